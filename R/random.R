# Seeds and random tensors.

#' Set all random seeds
#'
#' Seeds R's generator and, in Python, the `random` module, NumPy and torch,
#' so that weight initialization, shuffling and dropout are reproducible.
#'
#' @param seed An integer.
#' @return `NULL`, invisibly.
set_random_seed <- function(seed) {
  seed <- as_integer(seed)
  set.seed(seed)
  .with_python_errors(.tk()$config$set_random_seed(seed), "set_random_seed")
  invisible(NULL)
}

#' Random tensor with a normal distribution
#'
#' @param shape Shape of the tensor (numeric vector or [shape()]).
#' @param mean,stddev Mean and standard deviation.
#' @param dtype Float type (default "float32").
#' @param seed Optional integer seed.
#' @return A tensor.
random_normal <- function(shape, mean = 0, stddev = 1, dtype = NULL, seed = NULL) {
  tk <- .tk()
  .with_python_errors(
    tk$random$normal(shape(shape), mean = mean, stddev = stddev, dtype = dtype,
                     seed = as_integer(seed)),
    "random_normal"
  )
}
