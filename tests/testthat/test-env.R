# Finding Python: a missing or broken environment gives one clear R error.
# Each case runs in a fresh R process, since Python can start only once per
# session.

run_r <- function(code, env) {
  rscript <- file.path(R.home("bin"), "Rscript")
  out <- suppressWarnings(system2(rscript, c("-e", shQuote(code)),
                                  stdout = TRUE, stderr = TRUE, env = env))
  status <- attr(out, "status")
  list(output = out, status = if (is.null(status)) 0L else status)
}

test_that("RETICULATE_PYTHON naming a missing file is one clear error", {
  res <- run_r("library(torkeras); keras_input(shape = 3)",
               env = "RETICULATE_PYTHON=/nonexistent/bin/python")
  expect_false(res$status == 0L)
  errors <- grep("^Error", res$output, value = TRUE)
  expect_identical(
    errors,
    "Error: RETICULATE_PYTHON is set to '/nonexistent/bin/python', but that file does not exist."
  )
  expect_true(any(grepl("install_torkeras()", res$output, fixed = TRUE)))
})

test_that("no RETICULATE_PYTHON and no r-torkeras virtualenv is one clear error", {
  home <- withr::local_tempdir()
  res <- run_r("library(torkeras); keras$layers",
               env = c("RETICULATE_PYTHON=", paste0("WORKON_HOME=", home)))
  expect_false(res$status == 0L)
  errors <- grep("^Error", res$output, value = TRUE)
  expect_length(errors, 1L)
  expect_match(errors, "No Python environment found for torkeras", fixed = TRUE)
  expect_true(any(grepl("set RETICULATE_PYTHON", res$output, fixed = TRUE)))
})

test_that("a Python without torkeras is one clear error naming it", {
  bare <- "/usr/bin/python3"
  skip_if_not(file.exists(bare), "no system python3")
  res <- run_r("library(torkeras); keras_input(shape = 3)",
               env = paste0("RETICULATE_PYTHON=", bare))
  expect_false(res$status == 0L)
  errors <- grep("^Error", res$output, value = TRUE)
  expect_identical(
    errors,
    sprintf("Error: Python (%s) could not import the torkeras module: ModuleNotFoundError: No module named 'torkeras'", bare)
  )
})

test_that("loading the package does not start Python", {
  res <- run_r(paste(
    "library(torkeras)",
    "s <- shape(NA, 3)",
    "cat(reticulate::py_available(initialize = FALSE))", sep = "; "),
    env = "RETICULATE_PYTHON=/nonexistent/bin/python")
  expect_identical(res$status, 0L)
  expect_identical(tail(res$output, 1), "FALSE")
})

test_that("`keras` is the torkeras Python module", {
  expect_identical(keras$`__name__`, "torkeras")
  expect_true(is.function(keras$Input))
})

test_that("install_torkeras() needs a source directory with pyproject.toml", {
  envname <- file.path(withr::local_tempdir(), "env")
  expect_error(install_torkeras(envname = envname, source = withr::local_tempdir()),
               "does not contain torkeras' pyproject.toml")
  expect_false(dir.exists(envname))
})

test_that("the installed R package ships the Python sources install_torkeras() uses", {
  # A source archive (the `cleanup` script makes it; test-release.R has more).
  files <- utils::untar(torkeras:::.python_source(), list = TRUE)
  expect_true(any(grepl("^torkeras-[^/]+/pyproject.toml$", files)))
  expect_true(any(grepl("^torkeras-[^/]+/python/torkeras/__init__.py$", files)))
  expect_true(any(grepl("^torkeras-[^/]+/python/torkeras/bridge/__init__.py$", files)))
})
