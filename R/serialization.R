# keras3's serialization helpers: serialize/deserialize_keras_object, the
# custom-object registry (get/set_custom_objects, with_custom_object_scope,
# get_registered_name/object, clear_registered_custom_objects), model configs
# as JSON files (save/load_model_config) and custom_metric().

.bridge_exports <- function() {
  if (is.null(.globals$exports)) {
    .bridge()
    .globals$exports <- reticulate::import("torkeras.bridge.exports")
  }
  .globals$exports
}

#' Serialize an object to a config, or rebuild an object from one
#'
#' `serialize_keras_object()` gives the Keras envelope of a layer, model,
#' loss, optimizer, ... (`module`, `class_name`, `config`, ...) as a named
#' list, the form used in `.keras` files. `deserialize_keras_object()` makes a
#' new object from it.
#'
#' @param obj The object.
#' @param config A config from `serialize_keras_object()`.
#' @param custom_objects Named list of custom classes and functions.
#' @param safe_mode Whether to refuse configs that hold code (lambdas).
#' @param ... Unused.
#' @returns `serialize_keras_object()`: a named list;
#'   `deserialize_keras_object()`: the new object.
#' @examples
#' config <- serialize_keras_object(layer_dense(units = 2))
#' layer <- deserialize_keras_object(config)
#' @export
serialize_keras_object <- function(obj) {
  call_python(.tk()$saving$serialize_keras_object, list(.as_custom_object(obj)),
              "serialize_keras_object")
}

#' @rdname serialize_keras_object
#' @export
deserialize_keras_object <- function(config, custom_objects = NULL, safe_mode = TRUE, ...) {
  .check_no_dots(..., verb = "deserialize_keras_object")
  call_python(.tk()$saving$deserialize_keras_object,
              list(config, custom_objects = .as_custom_objects(custom_objects),
                   safe_mode = as_flag(safe_mode, "safe_mode")),
              "deserialize_keras_object")
}

#' The global registry of custom objects
#'
#' Classes and functions registered with [register_keras_serializable()] or
#' `set_custom_objects()` are found by name when a model is loaded.
#' `get_custom_objects()` lists them; `set_custom_objects()` adds objects
#' (after emptying the registry when `clear = TRUE`);
#' `clear_registered_custom_objects()` empties it.
#'
#' @param objects A named list of classes (made with [Layer()] and friends, or
#'   Python classes) and functions.
#' @param clear Whether to empty the registry first.
#' @returns `get_custom_objects()`: a named list; `set_custom_objects()`: the
#'   previous registry, invisibly; `clear_registered_custom_objects()`:
#'   `NULL`, invisibly.
#' @examples
#' old <- set_custom_objects(list(my_fn = function(x) x), clear = FALSE)
#' names(get_custom_objects())
#' @export
get_custom_objects <- function() {
  registry <- call_python(.tk()$saving$get_custom_objects, list(), "get_custom_objects")
  as.list(.as_r_value(registry))
}

#' @rdname get_custom_objects
#' @export
set_custom_objects <- function(objects = list(), clear = TRUE) {
  if (!is.list(objects) || (length(objects) && any(names_or_empty(objects) == "")))
    .stop_in_verb("`objects` must be a named list (name = class or function).",
                  "set_custom_objects")
  previous <- call_python(.bridge_exports()$set_custom_objects,
                          list(.as_custom_objects(objects) %||% reticulate::dict(),
                               as_flag(clear, "clear")),
                          "set_custom_objects")
  invisible(as.list(.as_r_value(previous)))
}

.as_r_value <- function(x) if (is_py_object(x)) reticulate::py_to_r(x) else x

#' @rdname get_custom_objects
#' @export
clear_registered_custom_objects <- function() {
  call_python(.bridge_exports()$clear_custom_objects, list(),
              "clear_registered_custom_objects")
  invisible(NULL)
}

#' Evaluate an expression with custom objects known by name
#'
#' While `expr` runs, loading and deserializing find the objects of
#' `objects` by name (as with `custom_objects =` arguments).
#'
#' @param objects A named list of classes and functions.
#' @param expr The expression to evaluate.
#' @returns The value of `expr`.
#' @examples
#' Double <- Layer("Double", call = function(x) x * 2)
#' model <- keras_model_sequential(input_shape = 2) |> Double()
#' f <- tempfile(fileext = ".json")
#' save_model_config(model, f)
#' model2 <- with_custom_object_scope(list(Double = Double), load_model_config(f))
#' @export
with_custom_object_scope <- function(objects, expr) {
  scope <- call_python(.tk()$saving$custom_object_scope, list(.as_custom_objects(objects)),
                       "with_custom_object_scope")
  scope$`__enter__`()
  on.exit(scope$`__exit__`(NULL, NULL, NULL), add = TRUE)
  force(expr)
}

#' Registered name of an object, or the object registered under a name
#'
#' @param obj A class or function.
#' @param name A registered name (e.g. `"Custom>MyLayer"`) or a built-in
#'   class name.
#' @param custom_objects Named list searched first.
#' @param module_objects Named list searched after the registry.
#' @returns `get_registered_name()`: a string (the object's own name when it
#'   is not registered); `get_registered_object()`: the object, or `NULL`.
#' @examples
#' get_registered_name(layer_dense)
#' @export
get_registered_name <- function(obj) {
  call_python(.tk()$saving$get_registered_name, list(.as_custom_object(resolve_wrapper(obj))),
              "get_registered_name")
}

#' @rdname get_registered_name
#' @export
get_registered_object <- function(name, custom_objects = NULL, module_objects = NULL) {
  call_python(.tk()$saving$get_registered_object,
              list(name, custom_objects = .as_custom_objects(custom_objects),
                   module_objects = if (!is.null(module_objects)) reticulate::dict(module_objects)),
              "get_registered_object")
}

#' Save or load a model's configuration (no weights)
#'
#' `save_model_config()` writes the model's config (its layers and how they
#' connect, as in a `.keras` file) as JSON; `load_model_config()` makes a new
#' model (with new weights) from such a file.
#'
#' @param model A model.
#' @param filepath Path of the JSON file.
#' @param overwrite Whether an existing file may be replaced.
#' @param custom_objects Named list of custom classes and functions.
#' @returns `save_model_config()`: `model`, invisibly; `load_model_config()`:
#'   the new model.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' f <- tempfile(fileext = ".json")
#' save_model_config(model, f)
#' model2 <- load_model_config(f)
#' @export
save_model_config <- function(model, filepath, overwrite = FALSE) {
  filepath <- .as_filepath(filepath)
  if (file.exists(filepath) && !as_flag(overwrite, "overwrite"))
    .stop_in_verb(sprintf("'%s' exists; pass overwrite = TRUE to replace it.", filepath),
                  "save_model_config")
  text <- call_python(.bridge_exports()$model_config_json, list(model), "save_model_config")
  writeLines(text, filepath)
  invisible(model)
}

#' @rdname save_model_config
#' @export
load_model_config <- function(filepath, custom_objects = NULL) {
  filepath <- .as_filepath(filepath)
  if (!file.exists(filepath))
    .stop_in_verb(sprintf("no such file: '%s'.", filepath), "load_model_config")
  text <- paste(readLines(filepath, warn = FALSE), collapse = "\n")
  call_python(.bridge_exports()$model_from_config_json,
              list(text, .as_custom_objects(custom_objects)), "load_model_config")
}

#' A custom metric function with a name
#'
#' Wraps an R function `function(y_true, y_pred)` as a metric named `name`
#' (the name shown in training logs and history), for `compile(metrics = )`.
#'
#' @param name The metric's name.
#' @param metric_fn A function `function(y_true, y_pred)` returning a
#'   tensor of per-sample values (e.g. with `op_mean(..., axis = -1)`).
#' @returns A Python function named `name`.
#' @examples
#' mae <- custom_metric("my_mae", function(y_true, y_pred)
#'   op_mean(op_abs(y_true - y_pred), axis = -1))
#' @export
custom_metric <- function(name, metric_fn) {
  if (!is.character(name) || length(name) != 1L || is.na(name) || !nzchar(name))
    .stop_in_verb("`name` must be a single non-empty string.", "custom_metric")
  if (!is.function(metric_fn))
    .stop_in_verb("`metric_fn` must be a function(y_true, y_pred).", "custom_metric")
  .as_r_callable(structure(metric_fn, py_function_name = name), name)
}
