# Seeds. (The random_*() tensor functions are generated: R/generated-random.R.)

#' Set all random seeds
#'
#' Seeds R's generator and, in Python, the `random` module, NumPy and torch,
#' so that weight initialization, shuffling and dropout are reproducible.
#'
#' @param seed An integer.
#' @return `NULL`, invisibly.
#' @examples
#' set_random_seed(42)
#' a <- random_uniform(c(2, 2))
#' set_random_seed(42)
#' b <- random_uniform(c(2, 2))
#' identical(as.array(a), as.array(b))
#' @export
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
#' @examples
#' gen <- random_seed_generator(seed = 1)
#' random_normal(c(2), seed = gen)
#' random_normal(c(2), seed = gen)   # different values, the same every run
#' @export
random_seed_generator <- function(seed = NULL, name = NULL, ...) {
  args <- capture_args(list(seed = as_integer))
  call_python(.tk()$random$SeedGenerator, args, "random_seed_generator")
}
