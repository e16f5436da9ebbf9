# Saving and loading: the .keras format, weights files, configs and custom
# objects. Each function converts its R arguments and makes one call into
# torkeras.saving / the model's Python methods.

#' Save a model to a `.keras` file
#'
#' Writes the architecture, the weights, the compile configuration and the
#' optimizer state (Keras 3 format). The file is written atomically.
#'
#' @param model A Keras model.
#' @param filepath Path ending in `.keras`.
#' @param overwrite Whether to replace an existing file.
#' @param zipped `NULL` or `TRUE` writes the `.keras` zip; `FALSE` writes a
#'   directory (whose name must not end in `.keras`) holding the same files.
#' @param ... Unused; must be empty.
#' @return `model`, invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' path <- tempfile(fileext = ".keras")
#' save_model(model, path)
#' restored <- load_model(path)
#' x <- matrix(runif(6), 2, 3)
#' all.equal(predict(model, x, verbose = 0), predict(restored, x, verbose = 0))
#' @export
save_model <- function(model, filepath, overwrite = TRUE, zipped = NULL, ...) {
  .check_no_dots(..., verb = "save_model")
  filepath <- .as_filepath(filepath)
  call_python(.tk()$saving$save_model,
              list(model, filepath, overwrite = isTRUE(overwrite), zipped = zipped),
              "save_model")
  invisible(model)
}

#' Load a model saved in the `.keras` format
#'
#' @param filepath Path to a `.keras` file, or to a directory written by
#'   `save_model(zipped = FALSE)`.
#' @param custom_objects Named list mapping class or function names to custom
#'   classes (made with [Layer()] and friends, or Python classes) and
#'   functions; unnamed entries use their class name.
#' @param compile Whether to compile the model as it was saved (`TRUE` or
#'   `FALSE`).
#' @param safe_mode `TRUE` (the default) refuses to load code (Python
#'   lambdas) stored in the file; only `FALSE` allows it. Any other value
#'   (`NA`, `1`, `"TRUE"`, `c(TRUE, TRUE)`, `NULL`) is an error.
#' @return The model.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' path <- tempfile(fileext = ".keras")
#' save_model(model, path)
#' load_model(path)
#' @export
load_model <- function(filepath, custom_objects = NULL, compile = TRUE, safe_mode = TRUE) {
  safe_mode <- as_flag(safe_mode, "safe_mode")
  compile <- as_flag(compile, "compile")
  filepath <- .as_filepath(filepath)
  call_python(.tk()$saving$load_model,
              list(filepath, custom_objects = .as_custom_objects(custom_objects),
                   compile = compile, safe_mode = safe_mode),
              "load_model")
}

#' Save or load a model's weights (`.weights.h5`)
#'
#' @param model A Keras model.
#' @param filepath Path ending in `.weights.h5` (`load_model_weights()` also
#'   reads the weights of a `.keras` file).
#' @param overwrite Whether to replace an existing file.
#' @param skip_mismatch Skip (with a warning) layers whose weights do not match.
#' @param ... Unused; must be empty.
#' @return `model`, invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' path <- tempfile(fileext = ".weights.h5")
#' save_model_weights(model, path)
#' copy <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
#' load_model_weights(copy, path)
#' identical(get_weights(copy), get_weights(model))
#' @export
save_model_weights <- function(model, filepath, overwrite = TRUE, ...) {
  .check_no_dots(..., verb = "save_model_weights")
  call_python(model$save_weights, list(.as_filepath(filepath), overwrite = isTRUE(overwrite)),
              "save_model_weights")
  invisible(model)
}

#' @rdname save_model_weights
#' @export
load_model_weights <- function(model, filepath, skip_mismatch = FALSE, ...) {
  .check_no_dots(..., verb = "load_model_weights")
  call_python(model$load_weights,
              list(.as_filepath(filepath), skip_mismatch = isTRUE(skip_mismatch)),
              "load_model_weights")
  invisible(model)
}

#' Get or set the weights of a layer or model as R arrays
#'
#' @param object A layer or model.
#' @param trainable `NA` for all weights, `TRUE` / `FALSE` for only the
#'   trainable / non-trainable ones.
#' @param weights A list of arrays, as `get_weights()` returns.
#' @return `get_weights()`: a list of R arrays; `set_weights()`: `object`,
#'   invisibly.
#' @examples
#' layer <- layer_dense(units = 2)
#' layer$build(shape(NA, 3))
#' str(get_weights(layer))
#' set_weights(layer, list(matrix(1, 3, 2), c(0, 0.5)))
#' get_weights(layer)[[2]]
#' @export
get_weights <- function(object, trainable = NA) {
  variables <- if (is.na(trainable)) object$weights
               else if (isTRUE(trainable)) object$trainable_weights
               else object$non_trainable_weights
  lapply(variables, function(v) .as_r_array(v$numpy()))
}

#' @rdname get_weights
#' @export
set_weights <- function(object, weights) {
  if (!is.list(weights))
    .stop_in_verb("`weights` must be a list of arrays, as get_weights() returns.")
  np <- reticulate::import("numpy", convert = FALSE)
  arrays <- lapply(weights, function(w) np$array(w))
  call_python(object$set_weights, list(arrays), "set_weights")
  invisible(object)
}

# numpy -> R array; 1-d weights come back as 1-d arrays, scalars as numbers.
.as_r_array <- function(x) {
  if (is_py_object(x)) x <- reticulate::py_to_r(x)
  x
}

#' Get an object's config, or rebuild an object from one
#'
#' `get_config()` returns the object's config as a named list that remembers
#' the object's class, so `from_config()` can rebuild it. `from_config()` also
#' takes a full Keras envelope (`list(module=, class_name=, config=)`).
#'
#' @param object A layer, model, optimizer, ...
#' @param config A config from `get_config()`.
#' @param custom_objects Named list of custom classes and functions.
#' @return `get_config()`: a named list; `from_config()`: the new object.
#' @examples
#' layer <- layer_dense(units = 2, activation = "relu")
#' config <- get_config(layer)
#' config$units
#' copy <- from_config(config)
#' copy$activation
#' @export
get_config <- function(object) {
  config <- call_python(object$get_config, list(), "get_config")
  attr(config, "__class__") <- reticulate::py_get_attr(object, "__class__")
  config
}

#' @rdname get_config
#' @export
from_config <- function(config, custom_objects = NULL) {
  cls <- attr(config, "__class__", exact = TRUE)
  custom_objects <- .as_custom_objects(custom_objects)
  saving <- .tk()$saving
  attr(config, "__class__") <- NULL
  if (is.null(cls)) {
    if (!is.list(config) || is.null(config$class_name))
      .stop_in_verb(paste0("`config` must come from get_config(), or be a Keras envelope ",
                           "with `class_name` and `config`."))
    return(call_python(.bridge_saving()$deserialize, list(config, custom_objects), "from_config"))
  }
  call_python(.bridge_saving()$from_config, list(cls, config, custom_objects), "from_config")
}

#' Register a custom class or function for saving and loading
#'
#' @param object A class made with [Layer()] and friends, a Python class, or
#'   an R function.
#' @param name Name to register under (default: the class name).
#' @param package Package prefix of the registered name ("Custom").
#' @return `object`, invisibly (so it can be used in a pipe).
#' @examples
#' custom_double <- function(x) x * 2
#' register_keras_serializable(custom_double, package = "MyPackage")
#' @export
register_keras_serializable <- function(object, name = NULL, package = NULL) {
  py_object <- .as_custom_object(object, name)
  if (is.null(name)) name <- .custom_object_name(object, py_object)
  decorator <- call_python(.tk()$saving$register_keras_serializable,
                           list(package = package %||% "Custom", name = name),
                           "register_keras_serializable")
  call_python(decorator, list(py_object), "register_keras_serializable")
  invisible(object)
}

#' @rdname register_keras_serializable
#' @export
config_enable_unsafe_deserialization <- function() {
  call_python(.tk()$config$enable_unsafe_deserialization, list(),
              "config_enable_unsafe_deserialization")
  invisible(NULL)
}

# ---- helpers --------------------------------------------------------------------

.bridge_saving <- function() {
  if (is.null(.globals$saving)) {
    .bridge()
    .globals$saving <- reticulate::import("torkeras.bridge.saving")
  }
  .globals$saving
}

.as_filepath <- function(filepath) {
  if (!is.character(filepath) || length(filepath) != 1L || is.na(filepath))
    .stop_in_verb("`filepath` must be a single file path (a string).")
  path.expand(filepath)
}

.check_no_dots <- function(..., verb) {
  if (...length())
    .stop_in_verb(sprintf("unused arguments in `...`: %s",
                          paste(names(list(...)) %||% "(unnamed)", collapse = ", ")))
}

# An R class constructor -> its Python class; an R function -> a Python
# function named `name`; Python objects pass through.
.as_custom_object <- function(x, name = NULL) {
  def <- .class_def_of(x)
  if (!is.null(def)) return(.class_py(def))
  if (is.function(x) && !is_py_object(x)) return(.as_r_callable(x, name %||% "custom_function"))
  x
}

.custom_object_name <- function(x, py_object) {
  def <- .class_def_of(x)
  if (!is.null(def)) return(def$classname)
  if (is_py_object(py_object) && reticulate::py_has_attr(py_object, "__name__"))
    return(reticulate::py_to_r(reticulate::py_get_attr(py_object, "__name__")))
  .stop_in_verb(paste0("cannot tell the name of this custom object; give it a name in ",
                       "`custom_objects = list(Name = object)`."))
}

.as_custom_objects <- function(custom_objects) {
  if (is.null(custom_objects)) return(NULL)
  if (!is.list(custom_objects)) custom_objects <- list(custom_objects)
  nms <- names(custom_objects) %||% rep("", length(custom_objects))
  out <- list()
  for (i in seq_along(custom_objects)) {
    x <- custom_objects[[i]]
    name <- if (nzchar(nms[[i]])) nms[[i]] else NULL
    py <- .as_custom_object(x, name)
    if (is.null(name)) name <- .custom_object_name(x, py)
    out[[name]] <- py
  }
  reticulate::dict(out)
}
