# The generated wrappers of the wrapper/core layers: layer_time_distributed()
# (and keras3's time_distributed()), layer_identity(),
# layer_activity_regularization(), layer_activation_parametric_relu()
# (1-based shared_axes), values against base R.

to_r <- function(x) op_convert_to_numpy(x)

test_that("the wrapper/core layers have their keras3 names", {
  for (name in c("layer_time_distributed", "time_distributed", "layer_identity",
                 "layer_activity_regularization", "layer_activation_parametric_relu")) {
    expect_true(exists(name, mode = "function"), info = name)
  }
  expect_identical(time_distributed, layer_time_distributed)
})

test_that("layer_identity returns its input", {
  x <- array(c(1.5, -2, 3, 0.25, 7, -1), c(2, 3))
  expect_equal(to_r(layer_identity()(x)), x, tolerance = 1e-7)
  model <- keras_model_sequential(input_shape = 3) |> layer_identity()
  expect_equal(predict(model, x, verbose = 0), x, tolerance = 1e-7)
})

test_that("layer_activation_parametric_relu: base R formula, 1-based shared_axes", {
  x <- array(seq(-2, 2.5, length.out = 24), c(2, 3, 4))
  layer <- layer_activation_parametric_relu(shared_axes = 2)  # the time axis (Python axis 1)
  y <- to_r(layer(x))
  alpha <- get_weights(layer)[[1]]
  expect_equal(dim(alpha), c(1, 4))
  expect_equal(y, ifelse(x >= 0, x, 0), tolerance = 1e-7)  # alpha starts at 0
  set_weights(layer, list(array(c(0.1, 0.2, 0.3, 0.4), c(1, 4))))
  y <- to_r(layer(x))
  a <- aperm(array(c(0.1, 0.2, 0.3, 0.4), c(4, 2, 3)), c(2, 3, 1))
  expect_equal(y, ifelse(x >= 0, x, a * x), tolerance = 1e-6)
  expect_equal(unlist(layer$get_config()$shared_axes), 1L)
  both <- layer_activation_parametric_relu(shared_axes = c(2, 3))
  both(array(0, c(1, 2, 3, 4)))
  expect_equal(dim(get_weights(both)[[1]]), c(1, 1, 4))
  expect_error(layer_activation_parametric_relu(shared_axes = 0), "axis")
})

test_that("layer_time_distributed applies one dense layer at every step", {
  x <- array(seq(-1, 1, length.out = 2 * 3 * 4), c(2, 3, 4))
  dense <- layer_dense(units = 2, use_bias = TRUE)
  td <- layer_time_distributed(layer = dense)
  y <- to_r(td(x))
  expect_equal(dim(y), c(2, 3, 2))
  w <- get_weights(dense)
  for (t in 1:3) {
    expect_equal(y[, t, ], x[, t, ] %*% w[[1]] + matrix(w[[2]], 2, 2, byrow = TRUE),
                 tolerance = 1e-6)
  }
  model <- keras_model_sequential(input_shape = c(3, 4)) |>
    time_distributed(layer_dense(units = 5))
  expect_equal(dim(predict(model, x, verbose = 0)), c(2, 3, 5))
  expect_error(layer_time_distributed(layer = 3), "TimeDistributed")
})

test_that("layer_activity_regularization adds l1 * sum|x| + l2 * sum x^2 over the batch", {
  x <- array(c(1, -2, 3, -4, 0.5, 6), c(2, 3))
  layer <- layer_activity_regularization(l1 = 0.1, l2 = 0.01)
  expect_equal(to_r(layer(x)), x, tolerance = 1e-7)
  loss <- to_r(layer$losses[[1]])
  expect_equal(as.numeric(loss), (0.1 * sum(abs(x)) + 0.01 * sum(x^2)) / 2, tolerance = 1e-6)
  expect_error(layer_activity_regularization(l1 = -1), "l1")
})

test_that("layer_lambda runs an R function, and saving it says it cannot be stored", {
  x <- array(c(1, 2, 3, 4, 5, 6), c(2, 3))
  layer <- layer_lambda(f = function(t) t * 2 + 1)
  expect_equal(to_r(layer(x)), x * 2 + 1, tolerance = 1e-6)
  model <- keras_model_sequential(input_shape = 3) |>
    layer_lambda(function(t) op_concatenate(list(t, t), axis = 2))
  expect_equal(predict(model, x, verbose = 0), cbind(x, x), tolerance = 1e-6)
  path <- tempfile(fileext = ".keras")
  expect_error(save_model(model, path), "R function")
})

test_that("layer_lambda's function argument is keras3's `f`; a Python function round-trips", {
  expect_identical(names(formals(layer_lambda))[1:2], c("object", "f"))
  x <- array(c(1, 2, 3, 4, 5, 6), c(2, 3))
  layer <- layer_lambda(f = function(x) x * 2)
  expect_equal(to_r(layer(x)), x * 2, tolerance = 1e-6)
  # `f` reaches Python as Lambda's `function`: a Python function under `f` is in
  # the config as `function`, and is saved and loaded back (safe_mode = FALSE)
  py_layer <- layer_lambda(f = reticulate::py_eval("lambda t: t * 2"))
  config <- py_layer$get_config()
  expect_true("function" %in% names(config))
  expect_false("f" %in% names(config))
  expect_equal(to_r(py_layer(x)), x * 2, tolerance = 1e-6)
  model <- keras_model_sequential(input_shape = 3) |>
    layer_lambda(f = reticulate::py_eval("lambda t: t * 2"))
  path <- tempfile(fileext = ".keras")
  save_model(model, path)
  restored <- load_model(path, safe_mode = FALSE)
  expect_equal(predict(restored, x, verbose = 0), x * 2, tolerance = 1e-6)
})

test_that("layer_torch_module_wrapper wraps a torch module; fit trains its parameters", {
  torch <- reticulate::import("torch")
  torch$manual_seed(0L)
  linear <- torch$nn$Linear(3L, 2L)
  layer <- layer_torch_module_wrapper(module = linear, output_shape = c(NA, 2))
  w <- get_weights(layer)
  expect_equal(dim(w[[1]]), c(2, 3))
  x <- matrix(c(1, 2, 3, -1, 0, 0.5), 2, 3, byrow = TRUE)
  expect_equal(to_r(layer(x)), x %*% t(w[[1]]) + matrix(w[[2]], 2, 2, byrow = TRUE),
               tolerance = 1e-6)
  model <- keras_model_sequential(input_shape = 3) |>
    layer_torch_module_wrapper(module = torch$nn$Linear(3L, 2L), output_shape = c(NA, 2))
  compile(model, optimizer = "sgd", loss = "mse")
  before <- get_weights(model)[[1]]
  fit(model, x, matrix(1, 2, 2), epochs = 2, verbose = 0)
  expect_false(isTRUE(all.equal(before, get_weights(model)[[1]])))
})
