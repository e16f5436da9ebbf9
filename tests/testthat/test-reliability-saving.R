# Issue 9, saving and files, from R: R functions as activations survive
# save_model()/load_model(). Messages come from docs/reliability.md.

reliability_x <- function() matrix(seq(-2, 2, length.out = 24), ncol = 3)

test_that("an R activation function saves, and loads through custom_objects", {
  scaled_tanh <- function(x) op_tanh(x) * 2
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(4, activation = function(x) op_tanh(x) * 2)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  save_model(model, path)
  config <- jsonlite::fromJSON(unz(path, "config.json"), simplifyVector = FALSE)
  stored <- config$config$layers[[2]]$config$activation
  expect_identical(stored$class_name, "function")
  expect_identical(stored$config, "custom_activation")

  loaded <- load_model(path, custom_objects = list(custom_activation = scaled_tanh))
  x <- reliability_x()
  expect_equal(predict(loaded, x, verbose = 0), predict(model, x, verbose = 0), tolerance = 0)
  expect_equal(predict(loaded, x, verbose = 0), tanh(x %*% get_weights(model)[[1]]) * 2,
               tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("an R activation named by its `name` attribute is saved under that name", {
  doubled <- structure(function(x) x * 2, name = "doubled")
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(2, activation = doubled, use_bias = FALSE)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  save_model(model, path)
  loaded <- load_model(path, custom_objects = list(doubled = function(x) x * 2))
  x <- reliability_x()
  expect_equal(predict(loaded, x, verbose = 0), x %*% get_weights(model)[[1]] * 2,
               tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("loading an R activation without custom_objects is one clear error", {
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(4, activation = function(x) op_tanh(x) * 2)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  save_model(model, path)
  expect_documented_error(load_model(path), "9.1-r-activation-unknown")
  err <- tryCatch(load_model(path), error = identity)
  expect_identical(deparse(conditionCall(err)), "load_model()")
})

test_that("save_model() and save_model_weights() through a symlink update its target", {
  dir <- tempfile("links")
  dir.create(file.path(dir, "real"), recursive = TRUE)
  on.exit(unlink(dir, recursive = TRUE))
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
  x <- reliability_x()
  for (name in c("m.keras", "m.weights.h5")) {
    real <- file.path(dir, "real", name)
    link <- file.path(dir, name)
    file.symlink(real, link)
    if (name == "m.keras") save_model(model, link) else save_model_weights(model, link)
    expect_identical(Sys.readlink(link), real)
    expect_true(file.exists(real))
  }
  expect_equal(predict(load_model(file.path(dir, "real", "m.keras")), x, verbose = 0),
               predict(model, x, verbose = 0), tolerance = 0)
  expect_identical(sort(list.files(file.path(dir, "real"), all.files = TRUE, no.. = TRUE)),
                   c("m.keras", "m.weights.h5"))
})

test_that("a .keras file over the decompression budget is refused from load_model()", {
  # convert = FALSE: reticulate 1.28 turns the 8 GiB default into integer 0.
  config <- reticulate::import("torkeras.config", convert = FALSE)
  old <- config$max_decompressed_bytes()
  on.exit(config$set_max_decompressed_bytes(old))
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path), add = TRUE)
  save_model(model, path)
  config$set_max_decompressed_bytes(100)
  err <- expect_documented_error(load_model(path), "9.7-zip-over-budget")
  expect_identical(deparse(conditionCall(err)), "load_model()")
  config$set_max_decompressed_bytes(old)
  expect_equal(predict(load_model(path), reliability_x(), verbose = 0),
               predict(model, reliability_x(), verbose = 0), tolerance = 0)
})
