# How the generated layer_*() wrappers compose (keras3 semantics):
#   layer_dense(, 64)              -> the layer
#   model |> layer_dense(64)       -> adds the layer to a Sequential model,
#                                     returns the model invisibly
#   tensor |> layer_dense(64)      -> calls the layer on the tensor
#   layer_concatenate(list(a, b))  -> merge layers take their inputs first

# `object` is forced before the layer is created, so in
# `x |> layer_dense(4) |> layer_dense(2)` the layers are created (and
# auto-named dense, dense_1) in pipe order.
# `verb` (the wrapper's name) heads Python errors: "Error in layer_dense() : ...".
create_layer <- function(layer_class, object, args = list(), verb = NULL) {
  layer_class <- .as_layer_class(layer_class)  # R/r-utils.R: R6 / Layer() classes
  if (missing(object)) return(call_python(layer_class, args, verb))
  force(object)
  layer <- call_python(layer_class, args, verb)
  .with_python_errors(compose_layer(object, layer), verb)
}

compose_layer <- function(object, layer, ...) {
  if (missing(object) || is.null(object)) return(layer)
  if (is_sequential_model(object)) {
    object$add(layer)
    return(invisible(object))
  }
  # A plain R vector would reach Python as a list (a list of inputs to a
  # layer); as a 1-d array it arrives as one NumPy array.
  if (is.atomic(object) && is.null(dim(object))) object <- as.array(object)
  layer(object, ...)
}

is_sequential_model <- function(x) {
  is_py_object(x) && any(grepl("^torkeras\\..*\\.Sequential$", class(x)))
}

# Merge layers: `inputs` is a list of tensors (or one tensor), more tensors
# may follow unnamed in `...` (they arrive as unnamed elements of `args`).
# No inputs at all -> the layer itself.
create_merge_layer <- function(layer_class, inputs, args = list(), verb = NULL) {
  inputs <- if (missing(inputs) || is.null(inputs)) list()
            else if (is.list(inputs) && !is_py_object(inputs)) inputs
            else list(inputs)
  unnamed <- names_or_empty(args) == ""
  inputs <- c(inputs, unname(args[unnamed]))
  layer <- call_python(layer_class, args[!unnamed], verb)
  if (!length(inputs)) return(layer)
  .with_python_errors(layer(inputs), verb)
}
