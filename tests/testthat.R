# R CMD check entry point. The tests need the torkeras Python environment
# (RETICULATE_PYTHON or the "r-torkeras" virtualenv), so they run only when
# NOT_CRAN is "true" (as `make test` sets it).
library(testthat)
library(torkeras)

if (identical(Sys.getenv("NOT_CRAN"), "true")) test_check("torkeras")
