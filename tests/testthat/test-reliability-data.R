# Issue 9 from R, data given to fit() / evaluate() / predict(): x is checked
# against the model's inputs before the first step, and NaN/Inf, empty data,
# bad class weights and class labels outside the output's classes are errors
# from the verb called, with rows counted from 1. Messages come from
# docs/reliability.md.

rd_classifier <- function() {
  inputs <- keras_input(shape = 784, name = "digits")
  outputs <- inputs |> layer_dense(10, activation = "softmax")
  model <- keras_model(inputs, outputs, name = "classifier")
  model |> compile(optimizer = "adam", loss = "sparse_categorical_crossentropy",
                   metrics = "accuracy")
  model
}

set.seed(9)
rd_x <- matrix(runif(32 * 784), 32, 784)
rd_y <- (0:31) %% 10

rd_weights <- function(model) lapply(model$weights, function(w) as.array(w$numpy()))

test_that("a wrong feature count is an error from the verb, before any change", {
  model <- rd_classifier()
  before <- rd_weights(model)
  expect_documented_error(model |> fit(rd_x[, 1:783], rd_y, verbose = 0), "9.5-feature-count")
  expect_identical(rd_weights(model), before)
  expect_identical(as.numeric(model$optimizer$iterations$numpy()), 0)
  expect_documented_error(model |> evaluate(rd_x[, 1:783], rd_y, verbose = 0),
                          "9.5-feature-count")
  expect_documented_error(model |> predict(rd_x[, 1:783], verbose = 0), "9.5-feature-count")
  err <- tryCatch(model |> fit(rd_x[, 1:783], rd_y, verbose = 0), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
})

test_that("wrong-shaped validation_data is found at fit() start", {
  model <- rd_classifier()
  before <- rd_weights(model)
  expect_documented_error(
    model |> fit(rd_x, rd_y, validation_data = list(rd_x[1:10, 1:783], rd_y[1:10]), verbose = 0),
    "9.5-validation-shape")
  expect_identical(rd_weights(model), before)
})

test_that("NaN and Inf in an R matrix name the first row counted from 1", {
  model <- rd_classifier()
  x <- rd_x
  x[6, 4] <- NA   # a double NA: NaN for the engine
  x[10, 1] <- Inf
  expect_documented_error(model |> fit(x, rd_y, verbose = 0), "9.6-nan-x-r")
  expect_documented_error(model |> predict(x, verbose = 0), "9.6-nan-x-r")
})

test_that("class labels outside the output's classes, counted from 1", {
  model <- rd_classifier()
  y <- rd_y
  y[12] <- 10
  expect_documented_error(model |> fit(rd_x, y, verbose = 0), "9.6-r-label-too-large")
  y[12] <- 2.5
  expect_documented_error(model |> fit(rd_x, y, verbose = 0), "9.6-r-fractional-label")
})

test_that("class weights must be finite and non-negative, for existing classes", {
  model <- rd_classifier()
  expect_documented_error(model |> fit(rd_x, rd_y, class_weight = list("0" = -1), verbose = 0),
                          "9.6-class-weight-negative")
  expect_documented_error(model |> fit(rd_x, rd_y, class_weight = list("10" = 2), verbose = 0),
                          "9.6-class-weight-key-range")
})

test_that("empty data and negative sample weights", {
  model <- rd_classifier()
  expect_documented_error(model |> fit(rd_x[0, , drop = FALSE], rd_y[0], verbose = 0),
                          "9.6-empty")
  expect_documented_error(model |> evaluate(rd_x[0, , drop = FALSE], rd_y[0], verbose = 0),
                          "9.6-empty")
  weights <- rep(1, 32)
  weights[c(4, 21)] <- -0.5
  expect_documented_error(model |> fit(rd_x, rd_y, sample_weight = weights, verbose = 0),
                          "9.6-r-negative-sample-weight")
})

test_that("inputs passed as a named list are matched by name", {
  a <- keras_input(shape = 3, name = "a")
  b <- keras_input(shape = 5, name = "b")
  out <- layer_concatenate(a, b) |> layer_dense(4, activation = "softmax")
  model <- keras_model(list(a, b), out, name = "two_inputs")
  model |> compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy")
  xa <- matrix(1, 8, 3)
  xb <- matrix(2, 8, 5)
  expect_equal(predict(model, list(b = xb, a = xa), verbose = 0),
               predict(model, list(xa, xb), verbose = 0))
  expect_documented_error(model |> fit(list(xb, xa), (0:7) %% 4, verbose = 0),
                          "9.5-swapped-inputs")
})
