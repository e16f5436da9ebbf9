# Package state and load hooks.
#
# Python is never started when the package loads: the torkeras module is
# imported the first time something needs it, through .tk() (internal) or the
# exported `keras` object (the Python module, as in keras3: a reticulate
# delay-load proxy that finds Python the same way as .tk()).

.globals <- new.env(parent = emptyenv())
.globals$module <- NULL  # the torkeras Python module, once imported
.globals$bridge <- NULL  # torkeras.bridge, once imported
.globals$loaded <- FALSE # .on_torkeras_loaded() has run

.onLoad <- function(libname, pkgname) {
  ns <- asNamespace(pkgname)
  proxy <- tryCatch(
    reticulate::import("torkeras", delay_load = list(
      before_load = function() .prepare_python(),
      on_load = function() .on_torkeras_loaded(),
      on_error = function(e) .python_import_error(e)
    )),
    # Python was already running and cannot import torkeras: `keras` then
    # raises the same clear error as every other entry point, when used.
    error = function(e) NULL
  )
  if (is.null(proxy)) makeActiveBinding("keras", function() .tk(), ns)
  else assign("keras", proxy, envir = ns)
  .register_tensor_methods()  # R/tensor-methods.R
  invisible()
}

# The torkeras Python module (imported on first use).
.tk <- function() {
  .globals$module %||% .load_torkeras()
}

# The R-specific Python helpers, python/torkeras/bridge.
.bridge <- function() {
  if (is.null(.globals$bridge)) {
    .tk()
    .globals$bridge <- tryCatch(
      reticulate::import("torkeras.bridge"),
      error = .python_import_error
    )
  }
  .globals$bridge
}
