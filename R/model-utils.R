# keras3's model and layer utilities that are not generated wrappers:
# layer_input, clear_session, clone_model, count_params, get_layer,
# pop_layer, freeze_weights / unfreeze_weights, reset_state,
# get/set_state_tree, keras_variable, get_source_inputs,
# pack/unpack_x_y_sample_weight, quantize_weights and export_savedmodel.
# Each one converts its R arguments (1-based indices, names) and makes one
# call into the Python engine.

#' Create an input tensor (keras3's second name for `keras_input()`)
#'
#' `layer_input()` is [keras_input()]: a symbolic tensor to start a
#' functional model from.
#'
#' @inheritParams keras_input
#' @returns A symbolic tensor.
#' @examples
#' x <- layer_input(shape = 3)
#' model <- keras_model(x, x |> layer_dense(2))
#' @export
layer_input <- function(shape = NULL, batch_size = NULL, dtype = NULL,
                        sparse = NULL, batch_shape = NULL, name = NULL,
                        tensor = NULL, optional = FALSE) {
  .make_input(list(
    shape = shape, batch_size = batch_size, dtype = dtype, sparse = sparse,
    batch_shape = batch_shape, name = name, tensor = tensor, optional = optional
  ), "layer_input")
}

#' Reset the global state of the engine
#'
#' Automatic names start again (the next Dense layer is `dense`, the next
#' model `sequential` or `functional`); with `free_memory = TRUE` Python's
#' garbage collector runs too.
#'
#' @param free_memory Whether to run the garbage collector.
#' @returns `NULL`, invisibly.
#' @examples
#' clear_session()
#' layer_dense(units = 2)$name  # "dense"
#' @export
clear_session <- function(free_memory = TRUE) {
  call_python(.tk()$utils$clear_session, list(as_flag(free_memory, "free_memory")),
              "clear_session")
  invisible(NULL)
}

#' Clone a model
#'
#' A new model with the same structure and new layers (made from each
#' layer's config), so new weights. Copy the weights with
#' `set_weights(clone, get_weights(model))` when wanted.
#'
#' @param model A Functional or Sequential model (a subclassed model is
#'   rebuilt from its config).
#' @param input_tensors Not supported (must be `NULL`).
#' @param clone_function A function `function(layer)` returning the layer to
#'   use in the clone (return `layer` itself to share it).
#' @param call_function Not supported (must be `NULL`).
#' @param recursive Whether nested models are cloned layer by layer too.
#' @param ... Unused; an error when given.
#' @returns The new model.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' clone <- clone_model(model)
#' @export
clone_model <- function(model, input_tensors = NULL, clone_function = NULL,
                        call_function = NULL, recursive = FALSE, ...) {
  args <- list(model, input_tensors = input_tensors,
               clone_function = if (!is.null(clone_function))
                 .as_r_callable(clone_function, "clone_function"),
               call_function = call_function, recursive = as_flag(recursive, "recursive"))
  call_python(.tk()$models$clone_model, c(args, rlang::list2(...)), "clone_model")
}

#' Count the parameters of a layer or model
#'
#' @param object A built layer or model.
#' @returns The number of weights (trainable and not), an integer.
#' @examples
#' count_params(keras_model_sequential(input_shape = 3) |> layer_dense(2))  # 8
#' @export
count_params <- function(object) {
  as.integer(call_python(object$count_params, list(), "count_params"))
}

#' Get a layer of a model by name or position
#'
#' @param object A model.
#' @param name The layer's name.
#' @param index The layer's position in `object$layers`: 1-based, negative
#'   values count from the end (`-1` is the last layer).
#' @returns The layer.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2, name = "d")
#' get_layer(model, "d"); get_layer(model, index = 1)
#' @export
get_layer <- function(object, name = NULL, index = NULL) {
  if (!is.null(index)) index <- .as_layer_index(index, "index", "get_layer")
  call_python(object$get_layer, .drop_nulls(list(name = name, index = index)), "get_layer")
}

#' Remove the last layer of a Sequential model
#'
#' @param object A Sequential model (modified in place).
#' @param rebuild Whether to rebuild the model after removing the layer.
#' @returns The removed layer, invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(4) |> layer_dense(2)
#' pop_layer(model)
#' length(model$layers)  # 1
#' @export
pop_layer <- function(object, rebuild = TRUE) {
  if (!is_sequential_model(object))
    .stop_in_verb("`object` must be a Sequential model (made with keras_model_sequential()).",
                  "pop_layer")
  invisible(call_python(object$pop, list(rebuild = as_flag(rebuild, "rebuild")), "pop_layer"))
}

#' Freeze or unfreeze weights
#'
#' Without `from`, `to` and `which`, the whole object becomes non-trainable
#' (`freeze_weights()`) or trainable (`unfreeze_weights()`). With a range,
#' the object itself stays trainable: `freeze_weights()` freezes the layers
#' `from` ... `to` and leaves the other layers trainable;
#' `unfreeze_weights()` makes the layers `from` ... `to` trainable and
#' freezes the others (so `unfreeze_weights(base, from = "block5_conv1")`
#' fine-tunes only the top block).
#'
#' @param object A model or layer (modified in place).
#' @param from,to First and last layer of the range (both included): a layer
#'   name, a layer object, or a 1-based position in `object$layers`
#'   (negative values count from the end). `from` defaults to the first layer,
#'   `to` to the last.
#' @param which Instead of a range: a logical vector (one value per layer),
#'   layer names, 1-based positions, a list of layers, or a function
#'   `function(layer)` returning `TRUE` for the layers to (un)freeze. The
#'   other layers get the opposite setting.
#' @returns `object`, invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |>
#'   layer_dense(4) |> layer_dense(2)
#' freeze_weights(model, to = 1)
#' sapply(model$layers, function(l) l$trainable)  # FALSE TRUE
#' @export
freeze_weights <- function(object, from = NULL, to = NULL, which = NULL) {
  .set_trainable(object, from, to, which, FALSE, "freeze_weights")
}

#' @rdname freeze_weights
#' @export
unfreeze_weights <- function(object, from = NULL, to = NULL, which = NULL) {
  .set_trainable(object, from, to, which, TRUE, "unfreeze_weights")
}

.set_trainable <- function(object, from, to, which, trainable, verb) {
  if (!is_py_object(object) || !reticulate::py_has_attr(object, "trainable"))
    .stop_in_verb("`object` must be a model or a layer.", verb)
  if (is.null(from) && is.null(to) && is.null(which)) {
    object$trainable <- trainable
    return(invisible(object))
  }
  if (!is.null(which) && (!is.null(from) || !is.null(to)))
    .stop_in_verb("give either `which` or `from`/`to`, not both.", verb)
  layers <- object$layers
  n <- length(layers)
  names <- vapply(layers, function(l) l$name, "")
  selected <- if (!is.null(which)) {
    if (is.function(which) && !is_py_object(which)) {
      picked <- lapply(layers, which)
      if (!all(vapply(picked, function(p) is.logical(p) && length(p) == 1L && !is.na(p), TRUE)))
        .stop_in_verb("a function `which` must return TRUE or FALSE for each layer.", verb)
      unlist(picked)
    } else if (is.logical(which)) {
      if (length(which) != n || anyNA(which))
        .stop_in_verb(sprintf("a logical `which` must have one TRUE/FALSE per layer (%d); received %d values.",
                              n, length(which)), verb)
      which
    } else {
      idx <- vapply(as.list(which), .layer_position, 1L, layers = layers, names = names,
                    arg = "which", verb = verb)
      seq_len(n) %in% idx
    }
  } else {
    first <- if (is.null(from)) 1L else .layer_position(from, layers, names, "from", verb)
    last <- if (is.null(to)) n else .layer_position(to, layers, names, "to", verb)
    if (first > last)
      .stop_in_verb(sprintf("`from` (layer %d, %s) comes after `to` (layer %d, %s).",
                            first, names[first], last, names[last]), verb)
    seq_len(n) >= first & seq_len(n) <= last
  }
  object$trainable <- TRUE
  for (i in seq_len(n)) {
    value <- if (selected[[i]]) trainable else !trainable
    layers[[i]]$trainable <- value
  }
  invisible(object)
}

# A layer given by name, object or 1-based (negative from the end) position
# -> its 1-based position.
.layer_position <- function(x, layers, names, arg, verb) {
  n <- length(layers)
  if (is_py_object(x)) {
    for (i in seq_len(n)) if (identical(reticulate::py_id(layers[[i]]), reticulate::py_id(x))) return(i)
    .stop_in_verb(sprintf("`%s` is a layer that is not among the object's layers.", arg), verb)
  }
  if (is.character(x) && length(x) == 1L && !is.na(x)) {
    i <- match(x, names)
    if (is.na(i))
      .stop_in_verb(sprintf("`%s`: no layer named \"%s\"; the layers are %s.", arg, x,
                            paste(names, collapse = ", ")), verb)
    return(i)
  }
  if (is.numeric(x) && length(x) == 1L && !is.na(x) && x == round(x)) {
    i <- as.integer(x)
    if (i == 0L || abs(i) > n)
      .stop_in_verb(sprintf("`%s` = %d is not a layer position: there are %d layers (1 to %d, or -1 to -%d from the end).",
                            arg, i, n, n, n), verb)
    return(if (i < 0L) n + 1L + i else i)
  }
  .stop_in_verb(sprintf("`%s` must be a layer name, a layer, or a whole number (1-based position); received %s.",
                        arg, describe_value(x)), verb)
}

# 1-based (negative from the end) -> 0-based (negative unchanged) for Python.
.as_layer_index <- function(index, arg, verb) {
  if (!is.numeric(index) || length(index) != 1L || is.na(index) || index != round(index))
    .stop_in_verb(sprintf("`%s` must be a single whole number (1-based); received %s.",
                          arg, describe_value(index)), verb)
  index <- as.integer(index)
  if (index == 0L) .stop_in_verb(sprintf("`%s` is 1-based; 0 is not a position.", arg), verb)
  if (index > 0L) index - 1L else index
}

#' Reset the state of a layer, metric or model
#'
#' Clears the states of stateful RNN layers, the accumulated values of a
#' metric, or (for a model) of every metric and stateful layer in it.
#'
#' @param object A layer, metric or model.
#' @returns `object`, invisibly.
#' @examples
#' m <- metric_mean()
#' m$update_state(c(1, 2)); reset_state(m); m$result()  # 0
#' @export
reset_state <- function(object) {
  if (!is_py_object(object))
    .stop_in_verb("`object` must be a layer, a metric or a model.", "reset_state")
  if (reticulate::py_has_attr(object, "reset_state")) {
    call_python(object$reset_state, list(), "reset_state")
  } else if (reticulate::py_has_attr(object, "reset_metrics")) {
    call_python(object$reset_metrics, list(), "reset_state")
  } else {
    .stop_in_verb(sprintf("a %s has no state to reset.", class(object)[1]), "reset_state")
  }
  invisible(object)
}

#' Get or set all the variables of a model as a nested list
#'
#' `get_state_tree()` returns a named list with `trainable_variables`,
#' `non_trainable_variables`, `optimizer_variables` (once compiled) and
#' `metrics_variables`, each a nested named list following the variable paths
#' (`state$trainable_variables$sequential$dense$kernel`). `set_state_tree()`
#' assigns the values of such a list (groups and variables may be left out).
#'
#' @param object A model.
#' @param value_format `"r_array"` (R arrays, the default), `"numpy_array"`
#'   or `"backend_tensor"` (torch tensors).
#' @param state_tree A nested list as `get_state_tree()` returns.
#' @returns `get_state_tree()`: the nested list; `set_state_tree()`: `object`,
#'   invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' state <- get_state_tree(model)
#' layer_name <- model$layers[[1]]$name
#' state$trainable_variables[[model$name]][[layer_name]][["bias"]][] <- 1
#' set_state_tree(model, state)
#' @export
get_state_tree <- function(object, value_format = "r_array") {
  value_format <- match.arg(value_format, c("r_array", "numpy_array", "backend_tensor"))
  fmt <- if (value_format == "backend_tensor") "backend_tensor" else "numpy_array"
  tree <- call_python(object$get_state_tree, list(fmt),
                      "get_state_tree")
  if (value_format == "numpy_array") return(tree)
  if (value_format == "r_array") return(.py_tree_to_r(tree))
  tree
}

#' @rdname get_state_tree
#' @export
set_state_tree <- function(object, state_tree) {
  if (!is.list(state_tree) && !is_py_object(state_tree))
    .stop_in_verb("`state_tree` must be a nested named list as get_state_tree() returns.",
                  "set_state_tree")
  call_python(object$set_state_tree, list(state_tree),
              "set_state_tree")
  invisible(object)
}

.py_tree_to_r <- function(x) {
  if (is_py_object(x)) x <- reticulate::py_to_r(x)
  if (is.list(x)) return(lapply(x, .py_tree_to_r))
  x
}

#' Create a variable
#'
#' A Keras `Variable` (backed by a torch parameter or buffer) holding
#' `initializer`'s value.
#'
#' @param initializer The initial value (an R array or number, a tensor) or an
#'   initializer (e.g. `initializer_zeros()`; then `shape` is required).
#' @param shape The shape (needed with an initializer object).
#' @param dtype The dtype (default: floatx for floating values).
#' @param trainable Whether the variable is trained by `fit()`.
#' @param autocast Whether the variable is cast to the compute dtype inside
#'   layers under a mixed-precision policy.
#' @param aggregation,synchronization Keras's distribution settings (stored).
#' @param name Name of the variable.
#' @returns A variable.
#' @examples
#' v <- keras_variable(matrix(1:6, 2, 3), dtype = "float32")
#' as.array(v)
#' @export
keras_variable <- function(initializer, shape = NULL, dtype = NULL, trainable = TRUE,
                           autocast = TRUE, aggregation = "none",
                           synchronization = "auto", name = NULL) {
  if (is.numeric(initializer) || is.logical(initializer)) {
    initializer <- if (is.null(dim(initializer)) && length(initializer) > 1L)
      as.array(initializer) else initializer
    # a NumPy copy: the array reticulate makes shares R's read-only memory
    if (length(initializer) > 1L) initializer <- reticulate::r_to_py(initializer)$copy()
  }
  if (!is.null(shape)) shape <- shape(shape)
  args <- .drop_nulls(list(initializer = initializer, shape = shape, dtype = dtype,
                           trainable = as_flag(trainable, "trainable"),
                           autocast = as_flag(autocast, "autocast"),
                           aggregation = aggregation, synchronization = synchronization,
                           name = name))
  call_python(.tk()$Variable, args, "keras_variable")
}

#' The input tensors a symbolic tensor comes from
#'
#' @param tensor A symbolic tensor (from [keras_input()] and layers).
#' @returns A list of the input tensors it was computed from.
#' @examples
#' x <- keras_input(3); y <- x |> layer_dense(2)
#' get_source_inputs(y)  # list(x)
#' @export
get_source_inputs <- function(tensor) {
  call_python(.tk()$utils$get_source_inputs, list(tensor), "get_source_inputs")
}

#' Pack or unpack `(x, y, sample_weight)`
#'
#' `pack_x_y_sample_weight()` makes what a data generator returns to `fit()`:
#' `x` alone, `list(x, y)` or `list(x, y, sample_weight)`.
#' `unpack_x_y_sample_weight()` does the reverse and always gives three
#' elements (missing ones `NULL`).
#'
#' @param x Features.
#' @param y Targets (optional).
#' @param sample_weight Sample weights (optional).
#' @param data What `pack_x_y_sample_weight()` returns.
#' @returns `pack_x_y_sample_weight()`: `x`, or a list of 2 or 3 elements;
#'   `unpack_x_y_sample_weight()`: a list of 3 (`x`, `y`, `sample_weight`).
#' @examples
#' unpack_x_y_sample_weight(pack_x_y_sample_weight(1:3, 4:6))
#' @export
pack_x_y_sample_weight <- function(x, y = NULL, sample_weight = NULL) {
  if (is.null(y)) return(if (is.list(x) && !is_py_object(x)) list(x) else x)
  if (is.null(sample_weight)) return(list(x, y))
  list(x, y, sample_weight)
}

#' @rdname pack_x_y_sample_weight
#' @export
unpack_x_y_sample_weight <- function(data) {
  if (is.list(data) && !is_py_object(data)) {
    if (length(data) %in% 1:3) {
      out <- list(data[[1]], NULL, NULL)
      for (i in seq_along(data)) if (!is.null(data[[i]])) out[[i]] <- data[[i]]
      return(out)
    }
    .stop_in_verb(sprintf("`data` must be x, list(x), list(x, y) or list(x, y, sample_weight); received a list of %d.",
                          length(data)), "unpack_x_y_sample_weight")
  }
  list(data, NULL, NULL)
}

#' Quantize the weights of a model
#'
#' Replaces the kernels of the model's Dense and EinsumDense layers and the
#' tables of its Embedding layers by int8 versions, in place, as keras3's
#' `quantize_weights()`: each kernel is quantized per output channel with
#' abs-max scaling (an int8 `kernel` plus a float `kernel_scale`; Embedding:
#' `embeddings` plus `embeddings_scale`, one scale per row), the layer's dtype
#' policy becomes `"int8_from_<policy>"`, and Dense/EinsumDense quantize their
#' inputs per row when called. Quantized kernels are frozen; other layers are
#' unchanged. Quantized models save to and load from `.keras` files that
#' keras3 reads.
#'
#' Only `mode = "int8"` is implemented; `"int4"`, `"float8"`, `"gptq"` and
#' `"awq"` (keras3's other modes) stop with an error saying so.
#'
#' @param object A built model (or a built Dense, EinsumDense or Embedding
#'   layer).
#' @param mode The quantization mode: `"int8"`.
#' @param ... Passed to the Python `quantize()` method, e.g. `filters`: a
#'   regular expression (or several) matched against layer names, or a
#'   function `function(layer)` returning `TRUE` for the layers to quantize.
#' @returns `object`, invisibly (modified in place).
#' @examples
#' model <- keras_model_sequential(input_shape = 4) |>
#'   layer_dense(8, activation = "relu") |> layer_dense(2)
#' quantize_weights(model, "int8")
#' model$layers[[1]]$dtype_policy$name   # "int8_from_float32"
#' model$layers[[1]]$kernel$dtype        # "int8"
#' predict(model, matrix(1, 3, 4), verbose = 0)
#' @export
quantize_weights <- function(object, mode, ...) {
  if (!is_py_object(object) || !reticulate::py_has_attr(object, "quantize"))
    .stop_in_verb("`object` must be a model or a Dense, EinsumDense or Embedding layer.",
                  "quantize_weights")
  if (missing(mode) || !is.character(mode) || length(mode) != 1L || is.na(mode))
    .stop_in_verb("`mode` must be a single string; only \"int8\" is implemented.",
                  "quantize_weights")
  call_python(object$quantize, c(list(mode), list(...)), "quantize_weights")
  invisible(object)
}

#' Export a TensorFlow SavedModel (TensorFlow only)
#'
#' A SavedModel is TensorFlow's format and needs TensorFlow, which torkeras
#' does not use; this function stops with an error saying so. Save with
#' [save_model()] (a `.keras` file, readable by Keras 3) instead.
#'
#' @param object A model.
#' @param export_dir_base Directory to export to.
#' @param ... Unused.
#' @returns Does not return: always an error.
#' @examples
#' try(export_savedmodel(NULL, tempfile()))
#' @export
export_savedmodel <- function(object, export_dir_base, ...) {
  .stop_in_verb(paste0("a TensorFlow SavedModel needs TensorFlow, which torkeras (a torch engine) ",
                       "does not use. Save the model with save_model(model, \"model.keras\") ",
                       "instead; Keras 3 on any backend reads that file."),
                "export_savedmodel")
}
