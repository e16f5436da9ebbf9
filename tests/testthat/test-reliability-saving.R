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
