# keras3's backend and Python-environment functions: use_backend(),
# py_require() (reticulate 1.28 has none) and install_keras().

#' Select the backend
#'
#' torkeras has one backend, torch: `use_backend("torch")` is accepted (and
#' does nothing); any other backend is an error that says so. keras3 users
#' who call `use_backend("jax")` or `use_backend("tensorflow")` should use the
#' keras3 package for those backends.
#'
#' @param backend The backend name; only `"torch"`.
#' @param gpu Ignored (torch uses a GPU when one is available and torch was
#'   installed with GPU support).
#' @returns `"torch"`, invisibly.
#' @examples
#' use_backend("torch")
#' try(use_backend("jax"))
#' @export
use_backend <- function(backend, gpu = NA) {
  if (!is.character(backend) || length(backend) != 1L || is.na(backend))
    .stop_in_verb("`backend` must be a single string; torkeras supports \"torch\".",
                  "use_backend")
  if (tolower(backend) != "torch")
    .stop_in_verb(sprintf(paste0(
      "torkeras runs Keras 3 on torch only; backend \"%s\" is not available. ",
      "Use use_backend(\"torch\") (the default), or the keras3 package for the ",
      "JAX, TensorFlow and NumPy backends."), backend), "use_backend")
  invisible("torch")
}

#' Require Python packages in the Python torkeras uses
#'
#' reticulate's `py_require()` (reticulate >= 1.41) declares packages for an
#' automatically managed environment. With the reticulate 1.28 torkeras
#' supports, this function instead checks that the packages can be imported
#' by the Python torkeras runs in, and errors with the pip command to run
#' when one is missing (it cannot install into a running Python).
#'
#' @param packages Package requirements, e.g. `c("scipy", "pandas>=2")`; the
#'   version part is not checked.
#' @param python_version,exclude_newer,action Accepted for compatibility with
#'   reticulate's `py_require()`; unused.
#' @param ... Unused.
#' @returns The packages, invisibly.
#' @examples
#' py_require("numpy")
#' @export
py_require <- function(packages = NULL, python_version = NULL, ...,
                       exclude_newer = NULL, action = c("add", "remove", "set")) {
  if (is.null(packages)) return(invisible(character()))
  if (!is.character(packages) || anyNA(packages))
    .stop_in_verb("`packages` must be a character vector of package names.", "py_require")
  .tk()
  modules <- sub("[<>=!~;\\[ ].*$", "", packages)
  import_names <- gsub("-", "_", tolower(modules))
  import_names[import_names == "scikit_learn"] <- "sklearn"
  import_names[import_names == "pillow"] <- "PIL"
  missing <- modules[!vapply(import_names, reticulate::py_module_available, TRUE)]
  if (length(missing)) {
    python <- reticulate::py_config()$python
    .stop_in_verb(sprintf(paste0(
      "Python package(s) %s not installed in the Python torkeras uses (%s). ",
      "Install with: %s -m pip install %s"),
      paste(missing, collapse = ", "), python, python,
      paste(shQuote(packages[modules %in% missing]), collapse = " ")), "py_require")
  }
  invisible(packages)
}

#' Install the Python side (keras3's name)
#'
#' `install_keras()` is [install_torkeras()]: it makes a virtualenv with the
#' torkeras Python package (torch, NumPy, h5py, ...).
#'
#' @inheritParams install_torkeras
#' @returns The path of the virtualenv's Python, invisibly.
#' @examples
#' \dontrun{
#' install_keras()
#' }
#' @export
install_keras <- function(envname = "r-torkeras", python = NULL, source = NULL,
                          extra_packages = NULL, pip_options = character(), ...) {
  install_torkeras(envname = envname, python = python, source = source,
                   extra_packages = extra_packages, pip_options = pip_options, ...)
}
