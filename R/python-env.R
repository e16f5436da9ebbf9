# Finding the Python that runs torkeras, and installing one.
#
# Discovery order:
#   1. a Python that reticulate has already started in this session;
#   2. the interpreter named by RETICULATE_PYTHON;
#   3. the virtualenv "r-torkeras" (see install_torkeras());
# otherwise one error that says what is missing and how to fix it.

.default_envname <- "r-torkeras"

.load_torkeras <- function() {
  .prepare_python()
  module <- tryCatch(reticulate::import("torkeras"), error = .python_import_error)
  .on_torkeras_loaded()
  .globals$module <- module
}

# Once per session, after torkeras is imported (by .tk() or through `keras`).
.on_torkeras_loaded <- function() {
  if (isTRUE(.globals$loaded)) return(invisible())
  .globals$loaded <- TRUE
  .configure_blas()
}

# torch's matrix products go through R's BLAS inside an R process (see
# python/torkeras/bridge/blas.py): OpenBLAS is set to one thread
# (option torkeras.openblas_threads) so it does not compete with torch's
# threads; a BLAS that cannot be tuned gets a warning with the fix.
.configure_blas <- function() {
  threads <- as_integer(getOption("torkeras.openblas_threads", 1L), "torkeras.openblas_threads")
  kind <- reticulate::import("torkeras.bridge.blas")$configure(threads)
  if (identical(kind, "other"))
    warning(sprintf(paste(
      "torch's matrix products run on R's BLAS (%s) in this process, which makes",
      "training many times slower. Install OpenBLAS (Debian/Ubuntu: apt-get install",
      "libopenblas0-pthread), or start R with LD_PRELOAD=<torch>/lib/libtorch_cpu.so."),
      extSoftVersion()[["BLAS"]]), call. = FALSE)
  invisible(kind)
}

# Chooses the interpreter (unless Python already runs) and prepares its start.
.prepare_python <- function() {
  .select_python()
  # Under knitr, Python's stdout must go through R so that the progress lines
  # of fit()/evaluate()/predict() land in the document. Only possible before
  # Python starts.
  if (isTRUE(getOption("knitr.in.progress")) &&
      !reticulate::py_available(initialize = FALSE) &&
      is.na(Sys.getenv("RETICULATE_REMAP_OUTPUT_STREAMS", unset = NA)))
    Sys.setenv(RETICULATE_REMAP_OUTPUT_STREAMS = "1")
  invisible()
}

.python_import_error <- function(e) {
  if (inherits(e, "torkeras_python_env_error")) stop(e)
  python <- tryCatch(reticulate::py_exe(), error = function(e) NULL) %||%
    Sys.getenv("RETICULATE_PYTHON")
  .python_env_error(sprintf("Python (%s) could not import the torkeras module: %s",
                            python, .python_error_text(e)))
}

# Points reticulate at the right interpreter (or fails with one clear error).
.select_python <- function() {
  if (reticulate::py_available(initialize = FALSE))
    return(invisible())

  python <- Sys.getenv("RETICULATE_PYTHON", unset = "")
  if (nzchar(python)) {
    if (!file.exists(python))
      .python_env_error(sprintf(
        "RETICULATE_PYTHON is set to '%s', but that file does not exist.",
        python
      ))
    .python_init_step(
      reticulate::use_python(python, required = TRUE),
      sprintf("RETICULATE_PYTHON='%s' cannot be used", python)
    )
    return(invisible())
  }

  if (reticulate::virtualenv_exists(.default_envname)) {
    .python_init_step(
      reticulate::use_virtualenv(.default_envname, required = TRUE),
      sprintf("the virtualenv '%s' cannot be used", .default_envname)
    )
    return(invisible())
  }

  .python_env_error(sprintf(
    "No Python environment found for torkeras: RETICULATE_PYTHON is not set and there is no virtualenv '%s' (looked in %s).",
    .default_envname, reticulate::virtualenv_root()
  ))
}

# Evaluates `expr`; an error becomes one torkeras_python_env_error headed by
# `what`.
.python_init_step <- function(expr, what) {
  tryCatch(expr, error = function(e) {
    if (inherits(e, "torkeras_python_env_error")) stop(e)
    detail <- .python_error_text(e)
    .python_env_error(paste0(what, ": ", detail))
  })
}

# The most useful one-line description of an error raised while starting or
# importing Python.
.python_error_text <- function(e) {
  err <- tryCatch(reticulate::py_last_error(), error = function(e) NULL)
  if (!is.null(err) && nzchar(err$value %||% ""))
    return(sprintf("%s: %s", err$type, .first_line(err$value)))
  .first_line(conditionMessage(e))
}

.first_line <- function(x) {
  x <- sub("^\\s+", "", x)
  strsplit(x, "\n", fixed = TRUE)[[1]][1] %||% ""
}

.python_env_error <- function(problem) {
  fix <- paste0(
    "To fix it, either run install_torkeras() (creates the virtualenv '",
    .default_envname, "'), or set RETICULATE_PYTHON to a Python that has ",
    "torkeras installed (in a torkeras checkout: .venv/bin/python), ",
    "then restart R."
  )
  cond <- structure(
    class = c("torkeras_python_env_error", "error", "condition"),
    list(message = paste(problem, fix, sep = "\n"), call = NULL)
  )
  stop(cond)
}

#' Install the Python side of torkeras
#'
#' Creates the virtualenv `envname` (default "r-torkeras", where torkeras
#' looks when RETICULATE_PYTHON is not set) and pip-installs the torkeras
#' Python package into it, from `source` or from the source archive shipped
#' inside the installed R package (no package index is needed for torkeras
#' itself). pip resolves torch, numpy and the other dependencies with its
#' usual configuration (index, find-links), held to the versions torkeras is
#' tested with by the constraints file shipped beside the sources; for a
#' fully offline install pass e.g.
#' `pip_options = c("--no-index", "--find-links=/path/to/wheels")`.
#'
#' @param envname Name (or path) of the virtualenv.
#' @param python Python interpreter used to create the virtualenv
#'   (default: the one reticulate would pick, e.g. python3 on the PATH).
#' @param source Directory holding torkeras' `pyproject.toml`, or a source
#'   archive of one (`.tar.gz`); by default the archive shipped with this R
#'   package (`torkeras-<version>.tar.gz` in
#'   `system.file("python", package = "torkeras")`).
#' @param extra_packages Further pip requirements to install.
#' @param pip_options Extra options passed to `pip install`.
#' @param constraints A pip constraints file (`pip install -c`): the exact
#'   versions of torch, numpy, ... to install. By default `constraints.txt` in
#'   the `source` directory (or beside the `source` archive) when there is one
#'   (the shipped one: the versions torkeras is tested with); `NULL` installs
#'   whatever versions pip picks within torkeras' requirements.
#' @param ... Unused; for compatibility with other install helpers.
#' @return The path of the virtualenv's Python, invisibly.
#' @examples
#' \dontrun{
#' # creates the virtualenv "r-torkeras" and installs torch into it
#' install_torkeras()
#' }
#' @export
install_torkeras <- function(envname = "r-torkeras", python = NULL,
                             source = NULL, extra_packages = NULL,
                             pip_options = character(),
                             constraints = .default_constraints(source), ...) {
  source <- source %||% .python_source()
  if (!.is_source_archive(source) && !file.exists(file.path(source, "pyproject.toml")))
    stop(sprintf(
      "'%s' does not contain torkeras' pyproject.toml; pass `source =` the torkeras source directory.",
      source
    ), call. = FALSE)
  if (!is.null(constraints)) {
    if (!is.character(constraints) || length(constraints) != 1L || is.na(constraints))
      stop("`constraints` must be the path of a pip constraints file, or NULL.", call. = FALSE)
    if (!file.exists(constraints))
      stop(sprintf("`constraints`: the file '%s' does not exist.", constraints), call. = FALSE)
    pip_options <- c(pip_options, "-c", normalizePath(constraints))
  }
  # R's LD_LIBRARY_PATH can make a Python built with a shared libpython
  # (pyenv, python.org builds) load the system's libpython instead of its own
  # and fail; venv and pip run without it.
  ld_path <- Sys.getenv("LD_LIBRARY_PATH", unset = NA)
  if (!is.na(ld_path)) {
    Sys.unsetenv("LD_LIBRARY_PATH")
    on.exit(Sys.setenv(LD_LIBRARY_PATH = ld_path), add = TRUE)
  }
  if (!reticulate::virtualenv_exists(envname))
    reticulate::virtualenv_create(envname, python = python, packages = FALSE)
  reticulate::virtualenv_install(
    envname,
    packages = c(normalizePath(source), extra_packages),
    ignore_installed = FALSE,
    pip_options = pip_options
  )
  message(sprintf(
    "torkeras is installed in the virtualenv '%s'. Restart R; library(torkeras) will use it.",
    envname
  ))
  invisible(reticulate::virtualenv_python(envname))
}

# The constraints file in the source directory, or beside the source
# archive, install_torkeras() installs (NULL when there is none).
.default_constraints <- function(source = NULL) {
  source <- source %||% .python_source()
  dir <- if (.is_source_archive(source)) dirname(source) else source
  path <- file.path(dir, "constraints.txt")
  if (file.exists(path)) path else NULL
}

.is_source_archive <- function(path) {
  grepl("\\.(tar\\.gz|tgz|zip)$", path) && utils::file_test("-f", path)
}

# The Python sources shipped with the installed R package: the archive
# torkeras-<version>.tar.gz (pyproject.toml and python/torkeras) that the
# top-level `cleanup` script puts into inst/python at R CMD build / INSTALL.
.python_source <- function() {
  dir <- .python_source_dir()
  archive <- list.files(dir, pattern = "^torkeras-.*\\.tar\\.gz$", full.names = TRUE)
  if (length(archive) == 1L) archive else dir
}

.python_source_dir <- function() {
  system.file("python", package = "torkeras")
}
