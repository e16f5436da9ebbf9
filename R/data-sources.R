# R data for fit() / evaluate() / predict(), converted for Python.
#
#   arrays, matrices, vectors  numpy arrays (the bridge turns doubles into the
#                              float type; integers stay integers)
#   factors                    0-based integer codes (as keras3)
#   data.frames                their columns, by name (bridge.data.DataFrameColumns);
#                              the bridge gives a model with several inputs the
#                              columns named after them, and a model with one input
#                              all columns as one matrix
#   (named) lists              converted element-wise (named lists become dicts)
#   R functions                generators: each call returns list(x, y[, sample_weight])
#                              and NULL at the end (bridge.data.RGenerator calls the
#                              function on the R thread, once per batch)
#   Python objects             unchanged (datasets from tensor_slices_dataset(), ...)

.bridge_data <- function() {
  if (is.null(.globals$bridge_data)) {
    .bridge()
    .globals$bridge_data <- reticulate::import("torkeras.bridge.data")
  }
  .globals$bridge_data
}

.as_py_data <- function(x) {
  if (is.null(x) || inherits(x, "python.builtin.object")) return(x)
  if (is.function(x)) return(.as_py_generator(x))
  if (is.factor(x)) return(reticulate::r_to_py(as.array(as.integer(x) - 1L)))
  if (is.data.frame(x)) return(.as_py_data_frame(x))
  if (is.list(x)) return(lapply(x, .as_py_data))
  if (is.atomic(x)) return(reticulate::r_to_py(as.array(x)))
  x
}

.as_py_data_frame <- function(x) {
  columns <- lapply(seq_along(x), function(i) {
    col <- x[[i]]
    if (is.character(col))
      .stop_in_verb(paste0("column `", names(x)[[i]], "` of the data frame is character; ",
                           "convert it to a factor or to numbers"))
    if (!is.null(dim(col)) && length(dim(col)) > 1) return(.as_py_data(col))
    .as_py_data(as.vector(col))
  })
  .bridge_data()$data_frame(as.list(names(x)), unname(columns))
}

# An R generator function -> a Python iterator over its batches.
.as_py_generator <- function(fn) {
  if (length(formals(fn)))
    .stop_in_verb(paste0("a generator function must take no arguments and return ",
                         "list(x, y) (or NULL at the end)"))
  wrapped <- function() {
    batch <- fn()
    if (is.null(batch)) return(NULL)
    if (!is.list(batch) || is.data.frame(batch)) batch <- list(batch)
    .as_py_data(batch)
  }
  .bridge_data()$RGenerator(wrapped)
}

# validation_data: list(x, y[, sample_weight]), a dataset or a generator.
.as_py_validation_data <- function(validation_data) {
  if (is.null(validation_data)) return(NULL)
  if (is.function(validation_data) || is_py_object(validation_data))
    return(.as_py_data(validation_data))
  lapply(as.list(validation_data), .as_py_data)
}

# validation_split needs rows to hold out: arrays and data frames only.
.check_validation_split <- function(x, validation_split) {
  if (is.null(validation_split) || identical(as.numeric(validation_split), 0)) return()
  if (is.function(x) || (is_py_object(x) && !inherits(x, "numpy.ndarray") &&
                         !inherits(x, "torch.Tensor")))
    .stop_in_verb(paste0("`validation_split` is only supported for arrays and data frames, ",
                         "not for datasets or generator functions; pass `validation_data` instead"))
}
