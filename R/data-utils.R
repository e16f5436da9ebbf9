# keras3's data utilities: to_categorical(), normalize(), pad_sequences(),
# timeseries_dataset_from_array() and split_dataset(). Each converts its R
# arguments (0-based class ids, 1-based axes, lists of vectors, fractions vs
# counts) and makes one call into the Python engine; arrays come back as R
# arrays, datasets as the engine's Dataset objects.

.data_utils_result <- function(x) {
  if (is_py_object(x)) .py_result_to_r(x) else x
}

#' Convert class ids to a one-hot matrix
#'
#' As in keras3, the class ids are **0-based**: `0` is the first class. A
#' factor is converted with `as.integer(x) - 1L`.
#'
#' @param x A vector or array of non-negative whole numbers (0-based class
#'   ids), or a factor. A trailing dimension of size 1 is dropped.
#' @param num_classes The number of classes; `NULL` uses `max(x) + 1`.
#' @returns A numeric array of `dim(x)` (or `length(x)`) plus a last
#'   dimension of `num_classes`, with a 1 at each class id.
#' @examples
#' to_categorical(c(0, 2, 1), num_classes = 3)
#' @export
to_categorical <- function(x, num_classes = NULL) {
  if (is.factor(x)) x <- as.integer(x) - 1L
  if (!is_py_object(x)) {
    if (!is.numeric(x) && !is.logical(x))
      stop("to_categorical(): `x` must be whole numbers (0-based class ids) or a factor; ",
           "received ", class(x)[[1L]], ".", call. = FALSE)
    x <- as_integer(x, "x")
    if (is.null(dim(x))) x <- as.array(x)
  }
  if (!is.null(num_classes)) num_classes <- as_integer(num_classes, "num_classes")
  .data_utils_result(call_python(.tk()$utils$to_categorical,
                                 list(x, num_classes = num_classes), "to_categorical"))
}

#' Scale an array to unit norm along an axis
#'
#' Each slice along `axis` is divided by its `order`-norm; slices whose norm
#' is 0 are left as they are.
#'
#' @param x A numeric array (or vector).
#' @param axis The axis to normalize along, **1-based** (`-1`, the default, is
#'   the last axis).
#' @param order The norm order (default `2`, the Euclidean norm; `1` sums
#'   absolute values).
#' @returns A numeric array of `x`'s shape.
#' @examples
#' normalize(matrix(c(3, 0, 4, 5), 2, 2))  # rows scaled to length 1
#' @export
normalize <- function(x, axis = -1L, order = 2L) {
  if (!is_py_object(x)) {
    if (!is.numeric(x))
      stop("normalize(): `x` must be a numeric array; received ", class(x)[[1L]], ".",
           call. = FALSE)
    if (is.null(dim(x))) x <- as.array(x)
  }
  axis <- as_axis(axis, "axis")
  if (!is.numeric(order) || length(order) != 1L || is.na(order))
    stop("normalize(): `order` must be a single number; received ",
         paste(deparse(order, nlines = 1L), collapse = ""), ".", call. = FALSE)
  .data_utils_result(call_python(.tk()$utils$normalize,
                                 list(x, axis = axis, order = order), "normalize"))
}

#' Pad sequences to a common length
#'
#' Shorter sequences are filled with `value`, longer ones are cut, so that
#' the result is a matrix with one row per sequence.
#'
#' @param sequences A list of vectors (each one sequence), or a list of
#'   matrices/arrays whose first dimension is time (their other dimensions,
#'   the same for all, become the result's trailing dimensions).
#' @param maxlen The number of columns of the result; `NULL` uses the length
#'   of the longest sequence.
#' @param dtype The dtype of the result (default `"int32"`; `"float32"` keeps
#'   fractions, `"object"` pads character vectors).
#' @param padding `"pre"` (default) fills before each sequence, `"post"`
#'   after.
#' @param truncating `"pre"` (default) drops values from the start of a
#'   sequence longer than `maxlen`, `"post"` from the end.
#' @param value The fill value (default `0`).
#' @returns An array of dimension `c(length(sequences), maxlen, ...)`.
#' @examples
#' pad_sequences(list(1:3, 4L, 5:6), maxlen = 2)
#' pad_sequences(list(1:3, 4L), padding = "post", value = -1)
#' @export
pad_sequences <- function(sequences, maxlen = NULL, dtype = "int32", padding = "pre",
                          truncating = "pre", value = 0) {
  if (!is_py_object(sequences)) {
    if (!is.list(sequences) || is.data.frame(sequences))
      stop("pad_sequences(): `sequences` must be a list of vectors (one per sequence); ",
           "received ", class(sequences)[[1L]], ".", call. = FALSE)
    sequences <- lapply(seq_along(sequences), function(i) {
      s <- sequences[[i]]
      if (is_py_object(s)) return(s)
      if (!is.atomic(s))
        stop("pad_sequences(): `sequences[[", i, "]]` must be a vector or array; received ",
             class(s)[[1L]], ".", call. = FALSE)
      if (is.factor(s)) s <- as.integer(s)
      # as.array(): a length-1 vector stays a sequence, not a Python scalar
      if (length(s) == 0L) return(list())
      if (is.null(dim(s))) as.array(s) else s
    })
  }
  if (!is.null(maxlen)) maxlen <- as_integer(maxlen, "maxlen")
  for (arg in c("padding", "truncating")) {
    v <- get(arg)
    if (!is.character(v) || length(v) != 1L || !v %in% c("pre", "post"))
      stop("pad_sequences(): `", arg, "` must be \"pre\" or \"post\"; received ",
           paste(deparse(v, nlines = 1L), collapse = ""), ".", call. = FALSE)
  }
  out <- call_python(.tk()$utils$pad_sequences,
                     list(sequences, maxlen = maxlen, dtype = dtype, padding = padding,
                          truncating = truncating, value = value), "pad_sequences")
  .data_utils_result(out)
}

#' Make a dataset of sliding windows over a timeseries
#'
#' Window `i` holds `sequence_length` timesteps (rows of `data`) taken every
#' `sampling_rate` steps, starting `sequence_stride` steps after window
#' `i - 1`; its target is the entry of `targets` at the window's first
#' timestep. The result is a dataset for `fit()`, `evaluate()` and
#' `predict()`, or to walk with `as_iterator()` / `iter_next()`.
#'
#' As in keras3, `start_index` and `end_index` are passed to Python as they
#' are: **0-based** offsets into the timesteps (`end_index` exclusive).
#'
#' @param data A vector, matrix or array whose first dimension is time.
#' @param targets A vector or array of targets, `targets[i]` belonging to the
#'   window that starts at row `i`; `NULL` yields the windows alone.
#' @param sequence_length The number of timesteps in each window.
#' @param sequence_stride The step between the starts of successive windows.
#' @param sampling_rate The step between the timesteps inside a window.
#' @param batch_size The number of windows per batch; `NULL` yields single
#'   windows.
#' @param shuffle Whether to draw the windows in random order.
#' @param seed Optional random seed for the shuffling.
#' @param start_index Optional 0-based index of the first timestep used.
#' @param end_index Optional 0-based index (exclusive) after which no
#'   timestep is used.
#' @returns A dataset yielding `list(windows, targets)` batches (or
#'   `windows`), `windows` of dimension `c(batch, sequence_length, ...)`.
#' @examples
#' ds <- timeseries_dataset_from_array(1:10, (1:10) * 10, sequence_length = 3,
#'                                     batch_size = 2)
#' batch <- ds |> as_iterator() |> iter_next()
#' batch[[1]]  # rows 1:3 and 2:4
#' @export
timeseries_dataset_from_array <- function(data, targets, sequence_length, sequence_stride = 1L,
                                          sampling_rate = 1L, batch_size = 128L,
                                          shuffle = FALSE, seed = NULL, start_index = NULL,
                                          end_index = NULL) {
  args <- list(.as_py_data(data, "data"), .as_py_data(targets, "targets"),
               sequence_length = as_integer(sequence_length, "sequence_length"),
               sequence_stride = as_integer(sequence_stride, "sequence_stride"),
               sampling_rate = as_integer(sampling_rate, "sampling_rate"),
               batch_size = if (!is.null(batch_size)) as_integer(batch_size, "batch_size"),
               shuffle = as_flag(shuffle, "shuffle"),
               seed = if (!is.null(seed)) as_integer(seed, "seed"),
               start_index = if (!is.null(start_index)) as_integer(start_index, "start_index"),
               end_index = if (!is.null(end_index)) as_integer(end_index, "end_index"))
  call_python(.tk()$utils$timeseries_dataset_from_array, args,
              "timeseries_dataset_from_array")
}

# A split size: a number in (0, 1) is a fraction (a Python float); a whole
# number >= 1 is a count (a Python int).
.split_size <- function(x, name) {
  if (is.null(x)) return(NULL)
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0)
    stop("split_dataset(): `", name, "` must be a fraction in (0, 1), a whole number ",
         "of elements, or NULL; received ", paste(deparse(x, nlines = 1L), collapse = ""),
         ".", call. = FALSE)
  if (x < 1) return(as.double(x))
  as_integer(x, name)
}

#' Split a dataset or arrays into two datasets
#'
#' Without shuffling, the left dataset holds the first `left_size` elements
#' and the right dataset the last `right_size` elements, in order.
#'
#' @param dataset An array or matrix (its rows are the elements), a list of
#'   arrays with the same number of rows (each element is then a list), or a
#'   finite dataset (a batched one is split by element and each split is
#'   batched again with the same size).
#' @param left_size A fraction in (0, 1) of the elements for the left dataset
#'   (rounded), or a whole number of elements; `NULL` takes the elements not
#'   in the right dataset.
#' @param right_size The same for the right dataset.
#' @param shuffle Whether to shuffle the elements before splitting.
#' @param seed Optional random seed for the shuffle.
#' @returns A list of two datasets, `left` and `right`.
#' @examples
#' c(train, test) %<-% split_dataset(matrix(1:20, 10, 2), left_size = 0.8)
#' length(train)  # 8
#' @export
split_dataset <- function(dataset, left_size = NULL, right_size = NULL, shuffle = FALSE,
                          seed = NULL) {
  if (!is_py_object(dataset) && !is.list(dataset) && !is.atomic(dataset))
    stop("split_dataset(): `dataset` must be an array, a list of arrays or a dataset; ",
         "received ", class(dataset)[[1L]], ".", call. = FALSE)
  data <- .as_py_data(dataset, "dataset")
  if (is.list(data) && is.null(names(data))) data <- reticulate::tuple(data)
  out <- call_python(.tk()$utils$split_dataset,
                     list(data, left_size = .split_size(left_size, "left_size"),
                          right_size = .split_size(right_size, "right_size"),
                          shuffle = as_flag(shuffle, "shuffle"),
                          seed = if (!is.null(seed)) as_integer(seed, "seed")),
                     "split_dataset")
  if (is_py_object(out)) out <- lapply(0:1, function(i) reticulate::py_get_item(out, i))
  list(left = out[[1L]], right = out[[2L]])
}
