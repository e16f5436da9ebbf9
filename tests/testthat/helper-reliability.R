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

# expect_error() with the documented message as a fixed string.
expect_documented_error <- function(object, case_id) {
  testthat::expect_error(object, documented_message(case_id), fixed = TRUE)
}
