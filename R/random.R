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

#' A random seed generator
#'
#' A stateful source of seeds for the `random_*()` functions: pass it as
#' their `seed` to draw different (but reproducible) values at every call,
#' e.g. inside a `train_step`.
#'
#' @param seed Initial seed (an integer), or `NULL` for a random one.
#' @param name Optional name.
#' @param ... Further named arguments for Keras' `SeedGenerator`.
#' @return A `SeedGenerator` object.
random_seed_generator <- function(seed = NULL, name = NULL, ...) {
  args <- capture_args(list(seed = as_integer))
  call_python(.tk()$random$SeedGenerator, args, "random_seed_generator")
}
