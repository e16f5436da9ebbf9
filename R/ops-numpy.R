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
