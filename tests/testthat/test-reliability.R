# Issue 9 (reliability): the table of docs/reliability.md as R sees it. The
# cases are in test-reliability-<area>.R; this file checks that the table
# parses with R's reader (helper-reliability.R) and that every row of its R
# section is exercised by an R test, so no documented R message goes unchecked.

reliability_rows <- function() {
  lines <- trimws(readLines(reliability_doc(), encoding = "UTF-8"))
  sections <- cumsum(startsWith(lines, "## "))
  heading <- lines[startsWith(lines, "## ")]
  rows <- lines[startsWith(lines, "| 9.")]
  ids <- vapply(strsplit(rows, "|", fixed = TRUE), function(cells) trimws(cells[[2]]), "")
  section <- heading[sections[startsWith(lines, "| 9.")]]
  data.frame(id = ids, section = section, stringsAsFactors = FALSE)
}

test_that("every documented row has a message R can look up", {
  rows <- reliability_rows()
  expect_gt(nrow(rows), 20)
  for (id in rows$id) expect_true(nzchar(documented_message(id)), info = id)
  expect_error(documented_message("9.0-no-such-row"), "has no row 9.0-no-such-row")
})

test_that("every R row (id 9.N-r-...) is checked by an R test", {
  rows <- reliability_rows()
  # The R section also documents the Python side of safe_mode (ids without
  # "-r-"), which tests/python/test_reliability_r.py checks.
  r_rows <- rows$id[grepl("^## R ", rows$section) & grepl("^9[.][0-9]+-r-", rows$id)]
  expect_gt(length(r_rows), 5)
  files <- list.files(testthat::test_path(), pattern = "^test-reliability-.*[.]R$",
                      full.names = TRUE)
  sources <- paste(unlist(lapply(files, readLines, encoding = "UTF-8")), collapse = "\n")
  unused <- r_rows[!vapply(sprintf('"%s"', r_rows), grepl, TRUE, x = sources, fixed = TRUE)]
  expect_identical(unused, character(0))
})
