# Issue 9 from R, compile and the first step: compile() checks everything
# before it changes the model (a rejected call leaves it as it was), a fit()
# that fails before its first update leaves the weights and the optimizer as
# they were, and fit() without y, predict(NULL) and layer sizes such as
# `units = NULL` get argument errors. Messages come from docs/reliability.md.

set.seed(9)
cp_x <- matrix(rnorm(16 * 3), 16, 3)
cp_y <- matrix(rnorm(16 * 2), 16, 2)

cp_model <- function() {
  set_random_seed(4)
  keras_model_sequential(input_shape = 3) |>
    layer_dense(2) |>
    layer_batch_normalization()
}

cp_compile <- function(model, optimizer = optimizer_adam(learning_rate = 0.01)) {
  model |> compile(optimizer = optimizer, loss = "mse", metrics = "mae")
}

cp_fit <- function(model) {
  history <- model |> fit(cp_x, cp_y, batch_size = 4, epochs = 2, shuffle = FALSE,
                          verbose = 0)
  list(metrics = history$metrics, weights = get_weights(model))
}

test_that("a rejected compile() leaves the model compiled as before, and it trains the same", {
  bad_calls <- list(
    "9.3-unknown-loss" = function(m) compile(m, loss = "msee"),
    "9.3-unknown-metric" = function(m) compile(m, loss = "mse", metrics = c("mae", "acuracy")),
    "9.4-steps-per-execution" = function(m) compile(m, loss = "mse", steps_per_execution = 0),
    "9.4-unknown-optimizer" = function(m) compile(m, optimizer = "adamm", loss = "mse"),
    "9.4-loss-weights-not-finite" = function(m) compile(m, loss = "mse", loss_weights = NaN)
  )
  for (case_id in names(bad_calls)) {
    model <- cp_model()
    cp_compile(model)
    optimizer <- model$optimizer
    reference <- cp_model()
    cp_compile(reference)
    expect_documented_error(bad_calls[[case_id]](model), case_id)
    err <- tryCatch(bad_calls[[case_id]](model), error = identity)
    expect_identical(deparse(conditionCall(err)), "compile()")
    expect_true(model$compiled)
    expect_identical(reticulate::py_id(model$optimizer), reticulate::py_id(optimizer))
    expect_identical(model$steps_per_execution, 1L)
    expect_identical(cp_fit(model), cp_fit(reference))
  }
})

test_that("a rejected compile() leaves a new model uncompiled", {
  model <- cp_model()
  expect_documented_error(compile(model, loss = "msee"), "9.3-unknown-loss")
  expect_false(model$compiled)
  expect_null(model$optimizer)
  expect_error(fit(model, cp_x, cp_y, verbose = 0), "You must call `compile()`", fixed = TRUE)
})

test_that("per-output losses and metrics are checked by compile(), before any data", {
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, list(layer_dense(inputs, 1, name = "a"),
                                    layer_dense(inputs, 1, name = "b")))
  expect_documented_error(compile(model, loss = list(a = "mse", b = "msee")),
                          "9.3-unknown-loss")
  expect_documented_error(compile(model, loss = list(a = "mse", c = "mae")),
                          "9.3-loss-unknown-output")
  expect_documented_error(compile(model, loss = "mse", metrics = list("mae", "mse", "mape")),
                          "9.3-metrics-list-length")
  expect_false(model$compiled)
})

test_that("a fit() that fails in its first step leaves weights and optimizer as they were", {
  # An R metric that fails on the first batch's shapes, after the loss.
  bad_metric <- function(y_true, y_pred) op_matmul(y_true, y_pred)
  model <- cp_model()
  model |> compile(optimizer = optimizer_adam(learning_rate = 0.01), loss = "mse",
                   metrics = list(bad = bad_metric))
  before <- get_weights(model)
  expect_error(fit(model, cp_x, cp_y, batch_size = 4, verbose = 0), class = "error")
  expect_identical(get_weights(model), before)  # BatchNormalization statistics included
  expect_false(model$optimizer$built)
  expect_equal(as.numeric(as.array(model$optimizer$iterations)), 0)

  # A callback failing before the first batch, in a later fit: the slots keep
  # their values and the step count stays.
  cp_compile(model, model$optimizer)
  fit(model, cp_x, cp_y, batch_size = 4, epochs = 1, shuffle = FALSE, verbose = 0)
  before <- get_weights(model)
  slots <- lapply(model$optimizer$variables, function(v) as.array(v$numpy()))
  failing <- callback_lambda(on_train_batch_begin = function(batch, logs) stop("not now"))
  expect_error(fit(model, cp_x, cp_y, batch_size = 4, verbose = 0, callbacks = list(failing)),
               "not now")
  expect_identical(get_weights(model), before)
  expect_identical(lapply(model$optimizer$variables, function(v) as.array(v$numpy())), slots)
})

test_that("fit(model, x) without y under a compiled loss names y", {
  model <- cp_model()
  cp_compile(model)
  before <- get_weights(model)
  expect_documented_error(fit(model, cp_x, verbose = 0), "9.10-fit-without-y")
  expect_error(fit(model, cp_x, verbose = 0), class = "torkeras_python_error")
  expect_identical(get_weights(model), before)
})

test_that("predict(model, NULL) names x", {
  model <- cp_model()
  expect_documented_error(predict(model, NULL), "9.10-predict-null")
  err <- tryCatch(predict(model, NULL), error = identity)
  expect_identical(deparse(conditionCall(err)), "predict()")
})

test_that("layer sizes that are not positive integers name the argument", {
  expect_documented_error(layer_dense(units = NULL), "9.10-units-null")
  err <- tryCatch(layer_dense(units = NULL), error = identity)
  expect_identical(deparse(conditionCall(err)), "layer_dense()")
  expect_documented_error(layer_lstm(units = 0), "9.10-recurrent-units-zero")
  expect_documented_error(layer_gru(units = 0), "9.10-recurrent-units-zero")
  expect_documented_error(layer_simple_rnn(units = 0), "9.10-recurrent-units-zero")
  expect_documented_error(layer_conv_2d(filters = -1, kernel_size = 3), "9.10-filters-negative")
  expect_documented_error(layer_embedding(input_dim = NULL, output_dim = 4),
                          "9.10-embedding-input-dim")
  expect_identical(layer_dense(units = 3)$units, 3L)
})
