# A tfdatasets-style input pipeline on torkeras.data.Dataset (no TensorFlow):
#
#   tensor_slices_dataset(list(x, y)) |> dataset_shuffle(1024) |> dataset_batch(64)
#
# The datasets are Python objects that fit()/evaluate()/predict() accept as
# they are; as_iterator()/iter_next()/iterate() (reticulate's) walk them and
# give each element as an R list of tensors.

.is_dataset <- function(x) inherits(x, "torkeras.data.dataset.Dataset")

.check_dataset <- function(dataset) {
  if (!.is_dataset(dataset))
    .stop_in_verb(paste0("`dataset` must be a dataset from tensor_slices_dataset(); received ",
                         class(dataset)[[1]]))
  dataset
}

#' Create a dataset whose elements are slices of the given arrays
#'
#' @param tensors An array, or a (named) list of arrays (nested lists are
#'   fine), all with the same number of rows; a data frame gives one element
#'   per row as a named list of its columns. Factors become 0-based integer
#'   codes.
#' @param name Unused (for tfdatasets compatibility).
#' @return A dataset: pass it to `fit()`, `evaluate()`, `predict()`, or walk it
#'   with `as_iterator()` / `iter_next()` / `iterate()`.
#' @examples
#' ds <- tensor_slices_dataset(list(matrix(1:6, 3, 2), c(10, 20, 30)))
#' ds |> dataset_batch(2) |> as_iterator() |> iter_next()
#' @export
tensor_slices_dataset <- function(tensors, name = NULL) {
  call_python(.bridge_data()$tensor_slices, list(.as_py_data(tensors, "tensors")),
              "tensor_slices_dataset")
}

#' Shuffle the elements of a dataset
#'
#' Draws elements at random from a buffer of `buffer_size` elements that is
#' refilled from the dataset, as tf.data does (a buffer at least as large as
#' the dataset shuffles it completely). The order changes every epoch.
#'
#' @param dataset A dataset.
#' @param buffer_size Number of elements in the shuffle buffer.
#' @param seed Optional random seed (makes the sequence of orders reproducible).
#' @param reshuffle_each_iteration Whether each pass uses a new order (default
#'   `TRUE`).
#' @param name Unused.
#' @return A dataset.
#' @examples
#' ds <- tensor_slices_dataset(1:5) |> dataset_shuffle(buffer_size = 5, seed = 1)
#' ds |> dataset_batch(5) |> as_iterator() |> iter_next()
#' @export
dataset_shuffle <- function(dataset, buffer_size, seed = NULL,
                            reshuffle_each_iteration = NULL, name = NULL) {
  .check_dataset(dataset)
  args <- .drop_nulls(list(
    buffer_size = as_integer(buffer_size, "buffer_size"),
    seed = as_integer(seed, "seed"),
    reshuffle_each_iteration = reshuffle_each_iteration
  ))
  call_python(dataset$shuffle, args, "dataset_shuffle")
}

#' Combine consecutive elements of a dataset into batches
#'
#' @param dataset A dataset.
#' @param batch_size Number of elements per batch.
#' @param drop_remainder Whether to drop a last, smaller batch.
#' @param num_parallel_calls,deterministic,name Unused (for tfdatasets
#'   compatibility).
#' @return A dataset of batches.
#' @examples
#' ds <- tensor_slices_dataset(matrix(1:10, 5, 2)) |> dataset_batch(2)
#' it <- as_iterator(ds)
#' iter_next(it)   # the first two rows
#' @export
dataset_batch <- function(dataset, batch_size, drop_remainder = FALSE,
                          num_parallel_calls = NULL, deterministic = NULL,
                          name = NULL) {
  .check_dataset(dataset)
  call_python(dataset$batch, list(batch_size = as_integer(batch_size, "batch_size"),
                                  drop_remainder = isTRUE(drop_remainder)),
              "dataset_batch")
}

#' Apply an R function to each element of a dataset
#'
#' @param dataset A dataset.
#' @param map_func An R function (or a `~` formula). An element that is an
#'   unnamed list is passed as separate arguments (`function(x, y)`), any
#'   other element as one argument (a named list for named elements). It
#'   receives R arrays and returns the new element (arrays or lists of them).
#' @param num_parallel_calls,name Unused.
#' @return A dataset.
#' @examples
#' ds <- tensor_slices_dataset(c(1, 2, 3)) |> dataset_map(function(x) x * 10)
#' ds |> dataset_batch(3) |> as_iterator() |> iter_next()
#' @export
dataset_map <- function(dataset, map_func, num_parallel_calls = NULL, name = NULL) {
  .check_dataset(dataset)
  if (inherits(map_func, "formula")) map_func <- rlang::as_function(map_func)
  if (!is.function(map_func))
    .stop_in_verb("`map_func` must be an R function or a formula")
  wrapped <- function(...) .as_py_element(map_func(...))
  call_python(dataset$map, list(.bridge_data()$r_map_function(.trap_interrupt(wrapped))), "dataset_map")
}

# An element returned by a map function: like .as_py_data(), but an R scalar
# stays a scalar (elements of 1-d arrays are 0-d).
.as_py_element <- function(x) {
  if (is.list(x) && !is.data.frame(x) && !is_py_object(x)) return(lapply(x, .as_py_element))
  if (is.atomic(x) && !is.factor(x) && is.null(dim(x)) && length(x) == 1)
    return(reticulate::r_to_py(x))
  .as_py_data(x, "map_func()")
}

#' Take the first elements of a dataset
#'
#' @param dataset A dataset.
#' @param count Number of elements to keep (-1: all).
#' @param name Unused.
#' @return A dataset.
#' @examples
#' ds <- tensor_slices_dataset(1:10) |> dataset_take(3)
#' ds |> dataset_batch(10) |> as_iterator() |> iter_next()
#' @export
dataset_take <- function(dataset, count, name = NULL) {
  .check_dataset(dataset)
  call_python(dataset$take, list(as_integer(count, "count")), "dataset_take")
}

#' Repeat a dataset
#'
#' The elements of `dataset`, `count` times over; with `count = NULL` (or -1)
#' the dataset never ends, so give `fit()` a `steps_per_epoch` (or
#' `evaluate()`/`predict()` a `steps`), or cut it with [dataset_take()]. Each
#' pass starts the pipeline again: a [dataset_shuffle()] before the repeat
#' draws a new order for every pass. Batching after the repeat makes batches
#' that run across the end of a pass, as in tfdatasets.
#'
#' @param dataset A dataset.
#' @param count Number of passes; `NULL` or -1 for an endless dataset.
#' @param name Unused.
#' @return A dataset.
#' @examples
#' ds <- tensor_slices_dataset(1:3) |> dataset_repeat(2)
#' ds |> dataset_batch(6) |> as_iterator() |> iter_next()
#' @export
dataset_repeat <- function(dataset, count = NULL, name = NULL) {
  .check_dataset(dataset)
  call_python(dataset$`repeat`, list(count = as_integer(count, "count")), "dataset_repeat")
}

#' Prefetch elements of a dataset
#'
#' Returns a dataset with the same elements in the same order. The pipeline
#' runs in the training thread and only gathers rows of tensors already in
#' memory, so nothing is read ahead on another thread (which would compete
#' with torch for the cores and could not call the R functions of
#' [dataset_map()]); the verb is there so tfdatasets pipelines run as written.
#'
#' @param dataset A dataset.
#' @param buffer_size Number of elements to read ahead: a positive whole
#'   number, or -1 (tfdatasets' `AUTOTUNE`, the default).
#' @param name Unused.
#' @return A dataset.
#' @examples
#' ds <- tensor_slices_dataset(1:4) |> dataset_batch(2) |> dataset_prefetch()
#' ds |> as_iterator() |> iter_next()
#' @export
dataset_prefetch <- function(dataset, buffer_size = -1L, name = NULL) {
  .check_dataset(dataset)
  call_python(dataset$prefetch, list(buffer_size = as_integer(buffer_size, "buffer_size")),
              "dataset_prefetch")
}
