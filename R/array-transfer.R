# Python results -> R values at bounded memory.
#
# reticulate converts a numpy array through a full intermediate copy, so the
# result of predict() on a large matrix briefly cost twice its R size (three
# times the input with the float32 predictions). Large arrays are instead
# copied into an R array allocated once, a block of rows (a few MB) at a
# time; the blocks come from torkeras.bridge.results, laid out for
# `out[rows, ] <- block` on the (rows, rest) matrix view of the result, an
# assignment R makes in place.

.bridge_results <- function() {
  if (is.null(.globals$bridge_results)) {
    .bridge()
    .globals$bridge_results <- reticulate::import("torkeras.bridge.results")
  }
  .globals$bridge_results
}

# The Python side of the verbs, without reticulate's automatic conversion of
# their results (see .py_result_to_r()).
.bridge_unconverted <- function() {
  if (is.null(.globals$bridge_unconverted)) {
    .bridge()
    .globals$bridge_unconverted <- reticulate::import("torkeras.bridge", convert = FALSE)
  }
  .globals$bridge_unconverted
}

# A Python result (a numpy array, or a list, tuple or dict of them, as
# predict() returns) as the R value reticulate would make of it: arrays as R
# arrays, lists and tuples as lists, dicts as named lists.
.py_result_to_r <- function(x) {
  if (inherits(x, "numpy.ndarray")) return(.py_array_to_r(x))
  if (inherits(x, "python.builtin.dict")) {
    keys <- reticulate::py_to_r(reticulate::import_builtins(convert = FALSE)$list(x))
    out <- lapply(keys, function(key) .py_result_to_r(reticulate::py_get_item(x, key)))
    names(out) <- keys
    return(out)
  }
  if (inherits(x, c("python.builtin.list", "python.builtin.tuple")))
    return(lapply(seq_len(reticulate::py_len(x)) - 1L,
                  function(i) .py_result_to_r(reticulate::py_get_item(x, i))))
  reticulate::py_to_r(x)
}

.py_array_to_r <- function(array) {
  results <- .bridge_results()
  dims <- as.integer(unlist(reticulate::py_to_r(array$shape)))
  values <- prod(as.numeric(dims))
  if (length(dims) == 0L || values * 8 <= results$BLOCK_BYTES)
    return(reticulate::py_to_r(array))
  rows <- dims[[1L]]
  step <- results$rows_per_block(array)
  out <- NULL
  for (start in seq(0L, rows - 1L, by = step)) {
    stop <- min(start + step, rows)
    block <- results$row_block(array, start, stop)
    if (is.null(out)) {
      # allocated as a vector and given dimensions: matrix() would copy it
      out <- vector(typeof(block), values)
      dim(out) <- c(rows, values %/% rows)
    }
    out[start + seq_len(stop - start), ] <- block
    # The converted blocks are garbage now; without a (quick, young-generation)
    # collection they pile up until R's next one, which its grown heap delays
    # (measured: 1.6x the result instead of 1x for an 80 MB result).
    rm(block)
    gc(full = FALSE)
  }
  dim(out) <- dims
  out
}
