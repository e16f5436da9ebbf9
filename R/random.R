# Seeds. (The random_*() tensor functions are generated: R/generated-random.R.)

#' Set all random seeds
#'
#' Seeds R's generator and, in Python, the `random` module, NumPy and torch,
#' so that weight initialization, shuffling and dropout are reproducible.
#'
#' @param seed An integer.
#' @return `NULL`, invisibly.
set_random_seed <- function(seed) {
  seed <- as_integer(seed, "seed")
  set.seed(seed)
  .with_python_errors(.tk()$config$set_random_seed(seed), "set_random_seed")
  invisible(NULL)
}
