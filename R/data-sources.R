# R data for fit() / evaluate() / predict(), converted for Python.
#
#   arrays, matrices, vectors  numpy arrays (the bridge turns doubles into the
#                              float type; integers stay integers)
#   factors                    0-based integer codes (as keras3)
#   NA                         an error naming the data (and the data frame column),
#                              except in double arrays, where NA is NaN for the
#                              engine's checks (.check_no_na())
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

# `arg` names the data in error messages: the argument ("x", "y",
# "sample_weight", ...), with `$name` / `[[i]]` added for list elements.
.as_py_data <- function(x, arg = "x") {
  if (is.null(x) || inherits(x, "python.builtin.object")) return(x)
  if (is.function(x)) return(.as_py_generator(x))
  if (is.data.frame(x)) return(.as_py_data_frame(x, arg))
  if (is.list(x)) return(.as_py_list(x, arg))
  if (is.atomic(x)) .check_no_na(x, arg)
  .as_py_array(x)
}

# An atomic vector, matrix or array (or a factor) as a numpy array.
.as_py_array <- function(x) {
  if (is.factor(x)) return(reticulate::r_to_py(as.array(as.integer(x) - 1L)))
  if (is.atomic(x)) return(reticulate::r_to_py(as.array(x)))
  x
}

.as_py_list <- function(x, arg) {
  labels <- names_or_empty(x)
  labels <- ifelse(nzchar(labels), paste0(arg, "$", labels),
                   paste0(arg, "[[", seq_along(x), "]]"))
  out <- Map(.as_py_data, x, labels)
  names(out) <- names(x)
  out
}

# NA has no value outside doubles: reticulate would hand a logical NA to
# Python as TRUE, an integer or factor NA as -2147483648 and a character NA
# as the string "NA". So NA in those is an error here, naming the data, the
# column and the first row (worded like the engine's NaN/Inf check). A double
# NA becomes NaN, which the engine's data checks refuse; for arrays it is left
# to them, only data frame columns (whose names the engine never sees) are
# checked here for it too. anyNA() is one pass in C.
.check_no_na <- function(x, arg, column = NULL) {
  if ((is.double(x) && is.null(column)) || !anyNA(x)) return(invisible())
  missing <- is.na(x)
  first <- match(TRUE, missing)
  rows <- if (is.null(dim(x))) length(x) else dim(x)[[1L]]
  .stop_in_verb(sprintf("`%s` has %d NA value(s)%s, the first in row %d; fill in or drop those rows.",
                        arg, sum(missing),
                        if (is.null(column)) "" else sprintf(" in column '%s'", column),
                        (first - 1L) %% rows + 1L))
}

.as_py_data_frame <- function(x, arg = "x") {
  columns <- lapply(seq_along(x), function(i) {
    col <- x[[i]]
    name <- names(x)[[i]]
    if (is.character(col))
      .stop_in_verb(paste0("column `", name, "` of the data frame is character; ",
                           "convert it to a factor or to numbers"))
    .check_no_na(col, arg, column = name)
    # factors keep their class (as.vector() would make them strings); matrix
    # columns keep their dimensions; other columns lose their attributes.
    if (is.factor(col) || (!is.null(dim(col)) && length(dim(col)) > 1)) return(.as_py_array(col))
    .as_py_array(as.vector(col))
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
    # named as in fit(); a longer list is refused by the bridge
    roles <- c("x", "y", "sample_weight")[seq_along(batch)]
    roles[is.na(roles)] <- "batch"
    Map(.as_py_data, batch, roles)
  }
  .bridge_data()$RGenerator(.trap_interrupt(wrapped))
}

# validation_data: list(x, y[, sample_weight]), a dataset or a generator.
.as_py_validation_data <- function(validation_data) {
  if (is.null(validation_data)) return(NULL)
  if (is.function(validation_data) || is_py_object(validation_data))
    return(.as_py_data(validation_data, "validation_data"))
  .as_py_list(as.list(validation_data), "validation_data")
}

# validation_split needs rows to hold out: arrays and data frames only.
.check_validation_split <- function(x, validation_split) {
  if (is.null(validation_split) || identical(as.numeric(validation_split), 0)) return()
  if (is.function(x) || (is_py_object(x) && !inherits(x, "numpy.ndarray") &&
                         !inherits(x, "torch.Tensor")))
    .stop_in_verb(paste0("`validation_split` is only supported for arrays and data frames, ",
                         "not for datasets or generator functions; pass `validation_data` instead"))
}
