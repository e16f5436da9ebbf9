# The table of docs/reliability.md (input -> error message): R tests look a
# message up by id and expect the R error to contain it word for word.
reliability_doc <- function() {
  candidates <- c(
    testthat::test_path("..", "..", "docs", "reliability.md"),
    file.path(Sys.getenv("TORKERAS_SOURCE_ROOT", "."), "docs", "reliability.md")
  )
  found <- candidates[file.exists(candidates)]
  if (!length(found)) stop("docs/reliability.md not found from ", getwd())
  found[[1]]
}

documented_message <- function(case_id) {
  lines <- trimws(readLines(reliability_doc(), encoding = "UTF-8"))
  lines <- lines[startsWith(lines, "|")]
  for (line in lines) {
    cells <- strsplit(gsub("\\\\\\|", "\001", line), "|", fixed = TRUE)[[1]]
    cells <- trimws(gsub("\001", "|", cells[-1], fixed = TRUE))
    if (length(cells) == 3 && identical(cells[[1]], case_id)) return(cells[[3]])
  }
  stop("docs/reliability.md has no row ", case_id)
}

# expect_error() with the documented message as a fixed string. R breaks a
# long first line of an error message in two (R/errors.R, .fit_first_line),
# so line breaks in the error count as the spaces they replaced.
expect_documented_error <- function(object, case_id) {
  err <- testthat::expect_error(object)
  message <- gsub("\\s+", " ", conditionMessage(err))
  expected <- documented_message(case_id)
  testthat::expect(grepl(expected, message, fixed = TRUE),
                   sprintf("Error message does not contain the documented %s:\n  %s\nActual:\n  %s",
                           case_id, expected, conditionMessage(err)))
  invisible(err)
}
