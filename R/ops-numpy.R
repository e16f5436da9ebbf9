# Hand-written ops.numpy wrappers: the ones whose index results are not a
# single tensor of indices (tools/r_conversions.py excludes them from
# generation). Indices are 1-based in R, as in keras3; `zero_indexed = TRUE`
# keeps Python's 0-based values.

# Indices of the non-zero elements of `x`: an integer tensor with one row per
# non-zero element and one column per axis of `x` (1-based), so that
# `x@r[op_nonzero(x)]` picks the non-zero values, as in keras3.
#' Positions of the non-zero elements
#'
#' The positions of the non-zero elements of `x`, one row per element and one column per
#' axis, in row-major order (as NumPy's `argwhere`), so that `x[op_nonzero(x)]`-style
#' indexing of an R array picks the non-zero values.
#'
#' @param x A tensor (or an R array).
#' @param zero_indexed `FALSE` (the default) for 1-based positions, `TRUE` for Python's
#'   0-based ones.
#' @returns An integer tensor of shape `(number of non-zero elements, rank of x)`.
#' @seealso All numpy ops: [family_numpy_ops]
#' @export
#' @examples
#' x <- op_array(rbind(c(0, 3), c(5, 0)))
#' op_nonzero(x)
op_nonzero <- function(x, zero_indexed = FALSE) {
  positions <- call_python(.tk()$ops$nonzero, list(x), "op_nonzero")
  index_result(.tk()$ops$transpose(positions), zero_indexed)
}

# Converts flat (row-major, as NumPy) indices into per-axis indices for a
# tensor of `shape`: a list with one index tensor per axis. `indices` and the
# results are 1-based unless `zero_indexed = TRUE`.
#' Flat indices to per-axis indices
#'
#' Converts indices into the flattened (row-major, as NumPy) elements of a tensor of shape
#' `shape` into one index per axis.
#'
#' @param indices Flat indices: whole numbers, 1-based unless `zero_indexed = TRUE`.
#' @param shape The shape of the tensor the indices point into.
#' @param zero_indexed `FALSE` (the default) for 1-based indices in and out, `TRUE` for
#'   Python's 0-based ones.
#' @returns A list with one integer tensor of indices per axis.
#' @seealso All numpy ops: [family_numpy_ops]
#' @export
#' @examples
#' op_unravel_index(c(1, 5, 6), shape = c(2, 3))
op_unravel_index <- function(indices, shape, zero_indexed = FALSE) {
  indices <- index_rule(zero_indexed)(indices, "indices")
  result <- call_python(.tk()$ops$unravel_index,
                        list(indices, as_shape_arg(shape, "shape")), "op_unravel_index")
  if (is_py_object(result)) result <- reticulate::py_to_r(result)
  lapply(as.list(result), index_result, zero_indexed = zero_indexed)
}

# The unique values of `x` (see keras.ops.unique). With `return_index`,
# `return_inverse` or `return_counts` the result is a list (values, then the
# first positions, the inverse indices and the counts, in that order); the
# positions and inverse indices are 1-based unless `zero_indexed = TRUE`.
#' Unique values of a tensor
#'
#' The unique values of `x`, and optionally where they first occur, the inverse
#' mapping, and how often each occurs.
#'
#' @param x A tensor (or an R array).
#' @param sorted If `TRUE` (the default), the unique values come in ascending order.
#' @param return_index Also return the position of each unique value's first occurrence.
#' @param return_inverse Also return, for each element of `x`, the position of its value in
#'   the unique values.
#' @param return_counts Also return how often each unique value occurs.
#' @param axis `NULL` (flatten `x`), or the axis along which unique slices are found.
#'   Axes are 1-based in R (negative values count from the end).
#' @param size `NULL`, or a fixed number of unique values to return: extra ones are
#'   dropped, missing ones padded with `fill_value` (with a count of 0).
#' @param fill_value The padding value when `size` is larger than the number of unique
#'   values (`NULL`: 0).
#' @param zero_indexed `FALSE` (the default) for 1-based positions in the result, `TRUE` for
#'   Python's 0-based ones.
#' @returns The unique values (a tensor); with `return_index`, `return_inverse` or
#'   `return_counts`, a list of the values followed by the requested tensors, in that order.
#' @seealso All numpy ops: [family_numpy_ops]
#' @export
#' @examples
#' x <- op_array(c(3, 1, 3, 2, 1))
#' op_unique(x)
#' op_unique(x, return_counts = TRUE)
op_unique <- function(x, sorted = TRUE, return_index = FALSE, return_inverse = FALSE,
                      return_counts = FALSE, axis = NULL, size = NULL, fill_value = NULL,
                      zero_indexed = FALSE) {
  args <- capture_args(list(axis = as_axis, size = as_integer), ignore = "zero_indexed")
  result <- call_python(.tk()$ops$unique, args, "op_unique")
  if (!(isTRUE(return_index) || isTRUE(return_inverse) || isTRUE(return_counts)))
    return(result)
  if (is_py_object(result)) result <- reticulate::py_to_r(result)
  result <- as.list(result)
  k <- 2L
  if (isTRUE(return_index)) {
    result[[k]] <- index_result(result[[k]], zero_indexed)
    k <- k + 1L
  }
  if (isTRUE(return_inverse))
    result[[k]] <- index_result(result[[k]], zero_indexed)
  result
}

#' Evenly spaced values, with the end included (as R's `seq()`)
#'
#' As keras3's `op_arange()`: `op_arange(end)` is `1, 2, ..., end`, and
#' `op_arange(start, end, step)` goes from `start` to `end` by `step`, including
#' `end` when it falls on the grid (`include_end = TRUE`, the default). With
#' `include_end = FALSE` the interval is half-open, `[start, end)`, as Python's
#' `keras.ops.arange(start, stop, step)`.
#'
#' @param start The first value. With `end` missing, `start` is the end and
#'   the values start at 1.
#' @param end The last value (included unless `include_end = FALSE`).
#' @param step The spacing between values (not 0; negative counts down).
#' @param dtype The dtype of the result; by default inferred from the
#'   arguments as Keras does (whole R numbers give a float tensor unless they
#'   are R integers, e.g. `5L`).
#' @param include_end `TRUE` (the default) to include `end`, `FALSE` for the
#'   half-open interval.
#' @returns A 1-D tensor.
#' @seealso All numpy ops: [family_numpy_ops]
#' @export
#' @examples
#' op_arange(5L)
#' op_arange(0, 1, 0.25)
#' op_arange(10L, 1L, -3L)
#' op_arange(0L, 5L, include_end = FALSE)
op_arange <- function(start, end, step = 1L, dtype = NULL, include_end = TRUE) {
  # The argument names the user wrote, for errors: op_arange(5) passes `start`.
  labels <- c(start = "start", end = "end", step = "step")
  if (missing(end)) {
    end <- start
    start <- 1L
    labels[["end"]] <- "start"
  }
  include_end <- as_flag(include_end, "include_end")
  values <- list(start = start, end = end, step = step)
  for (nm in names(values)) {
    v <- values[[nm]]
    if (is_py_object(v)) v <- as.array(v)
    if (!is.numeric(v) || length(v) != 1L || is.na(v))
      conversion_error("`", labels[[nm]], "` must be a single number; received ",
                       describe_value(values[[nm]]), ".")
    values[[nm]] <- v
  }
  if (values$step == 0)
    conversion_error("`step` must not be 0.")
  stop <- values$end
  if (include_end) {
    # Move the stop just past `end`: by one for whole-number grids (keeps an
    # integer dtype), by half a step otherwise (robust to round-off).
    whole <- all(vapply(values, function(v) v == round(v), logical(1)))
    stop <- if (whole && all(vapply(values, is.integer, logical(1))))
      values$end + as.integer(sign(values$step))
    else if (whole) values$end + sign(values$step)
    else values$end + values$step / 2
  }
  args <- list(values$start, stop, values$step)
  if (!is.null(dtype)) args$dtype <- dtype
  call_python(.tk()$ops$arange, args, "op_arange")
}
