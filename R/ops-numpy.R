# Hand-written ops.numpy wrappers: the ones whose index results are not a
# single tensor of indices (tools/r_conversions.py excludes them from
# generation). Indices are 1-based in R, as in keras3; `zero_indexed = TRUE`
# keeps Python's 0-based values.

# Indices of the non-zero elements of `x`: an integer tensor with one row per
# non-zero element and one column per axis of `x` (1-based), so that
# `x@r[op_nonzero(x)]` picks the non-zero values, as in keras3.
op_nonzero <- function(x, zero_indexed = FALSE) {
  positions <- call_python(.tk()$ops$nonzero, list(x), "op_nonzero")
  index_result(.tk()$ops$transpose(positions), zero_indexed)
}

# Converts flat (row-major, as NumPy) indices into per-axis indices for a
# tensor of `shape`: a list with one index tensor per axis. `indices` and the
# results are 1-based unless `zero_indexed = TRUE`.
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
