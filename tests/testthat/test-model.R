# Model constructors and verbs on small data, with values checked in R.

mlp <- function(units = 4) {
  inputs <- keras_input(shape = 3)
  outputs <- inputs |> layer_dense(units = units)
  keras_model(inputs, outputs)
}

summary_text <- function(model) paste(capture.output(summary(model)), collapse = "\n")

test_that("keras_input() makes a symbolic tensor with the batch dimension unknown", {
  x <- keras_input(shape = c(28, 28), name = "images")
  expect_s3_class(x, "torkeras.graph.keras_tensor.KerasTensor")
  expect_identical(format(shape(x)), "shape(NA, 28, 28)")
  expect_identical(x$name, "images")
  expect_identical(format(shape(keras_input(shape = 3, batch_size = 8))), "shape(8, 3)")
  expect_identical(format(shape(keras_input(batch_shape = shape(NA, 5)))), "shape(NA, 5)")
  expect_error(keras_input(shape = 3, batch_size = 2.5), "`batch_size` must be a whole number", fixed = TRUE)
})

test_that("a sequential model with input_shape is built; summary shows Keras' table", {
  model <- keras_model_sequential(input_shape = 3, name = "seq") |>
    layer_dense(64, activation = "relu") |>
    layer_dense(10)
  expect_s3_class(model, "torkeras.models.sequential.Sequential")
  text <- summary_text(model)
  expect_match(text, 'Model: "seq"', fixed = TRUE)
  expect_match(text, "Total params: 906 (3.54 KB)", fixed = TRUE)
  expect_match(text, "Trainable params: 906 (3.54 KB)", fixed = TRUE)
  expect_match(text, "Non-trainable params: 0 (0.00 B)", fixed = TRUE)
  expect_match(text, "(None, 64)", fixed = TRUE)
  # print() and format() show the same table
  expect_identical(paste(capture.output(print(model)), collapse = "\n"), text)
  expect_identical(paste(format(model), collapse = "\n"), text)
})

test_that("the functional model of the guide has 55,050 parameters", {
  inputs <- keras_input(shape = 784, name = "digits")
  outputs <- inputs |>
    layer_dense(units = 64, activation = "relu", name = "dense_1") |>
    layer_dense(units = 64, activation = "relu", name = "dense_2") |>
    layer_dense(units = 10, activation = "softmax", name = "predictions")
  model <- keras_model(inputs = inputs, outputs = outputs)
  lines <- capture.output(summary(model))
  expect_true(any(grepl("^│ digits \\(InputLayer\\) +│ \\(None, 784\\) +│ +0 │$", lines)))
  expect_true(any(grepl("^│ dense_1 \\(Dense\\) +│ \\(None, 64\\) +│ +50,240 │$", lines)))
  expect_true(" Total params: 55,050 (215.04 KB)" %in% lines)
})

test_that("keras_model_sequential(layers =) adds the layers in order", {
  model <- keras_model_sequential(input_shape = 2, layers = list(layer_dense(, 5), layer_dense(, 1)))
  expect_identical(length(model$layers), 2L)
  expect_match(summary_text(model), "Total params: 21 ", fixed = TRUE)
})

test_that("an unbuilt sequential model prints without failing", {
  model <- keras_model_sequential() |> layer_dense(2)
  expect_error(capture.output(print(model)), NA)
})

test_that("compile/fit/evaluate/predict: evaluate's MSE equals the one computed from predict()", {
  set_random_seed(42)
  x <- matrix(runif(64 * 3), ncol = 3)
  y <- matrix(runif(64 * 4), ncol = 4)
  model <- mlp()
  expect_identical(compile(model, optimizer = optimizer_sgd(learning_rate = 0.1),
                           loss = "mse", metrics = "mae"), model)

  history <- model |> fit(x, y, epochs = 3, batch_size = 16)
  expect_s3_class(history, "keras_training_history")
  expect_identical(history$params$epochs, 3L)
  expect_identical(history$params$steps, 4L)
  expect_identical(names(history$metrics), c("loss", "mae"))
  expect_length(history$metrics$loss, 3L)
  expect_true(all(diff(history$metrics$loss) < 0))

  pred <- predict(model, x)
  expect_true(is.array(pred) && is.double(pred))
  expect_identical(dim(pred), c(64L, 4L))

  result <- evaluate(model, x, y, batch_size = 64)
  expect_type(result, "list")
  expect_identical(names(result), c("loss", "mae"))
  expect_equal(result$loss, mean((pred - y)^2), tolerance = 1e-5)
  expect_equal(result$mae, mean(abs(pred - y)), tolerance = 1e-5)
})

test_that("predict() on one row keeps the matrix shape", {
  model <- mlp()
  x <- matrix(c(1, 2, 3), nrow = 1)
  expect_identical(dim(predict(model, x)), c(1L, 4L))
})

test_that("integer labels, validation_data and initial_epoch (1-based)", {
  set_random_seed(1)
  x <- matrix(rnorm(60 * 3), ncol = 3)
  y <- as.integer(x[, 1] > 0)
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(2, activation = "softmax")
  model |> compile(optimizer = "adam", loss = "sparse_categorical_crossentropy",
                   metrics = list("sparse_categorical_accuracy"))
  history <- model |> fit(x, y, epochs = 4, initial_epoch = 2, batch_size = 20,
                          validation_data = list(x[1:10, ], y[1:10]))
  # epochs 2, 3 and 4 ran
  expect_length(history$metrics$loss, 3L)
  expect_identical(names(history$metrics),
                   c("loss", "sparse_categorical_accuracy",
                     "val_loss", "val_sparse_categorical_accuracy"))
  df <- as.data.frame(history)
  expect_identical(nrow(df), 4L * 4L)
  acc <- evaluate(model, x[1:10, ], y[1:10])$sparse_categorical_accuracy
  pred <- predict(model, x[1:10, ])
  expect_equal(acc, mean(max.col(pred) - 1L == y[1:10]))
  expect_equal(history$metrics$val_sparse_categorical_accuracy[[3]], acc)
})

test_that("validation_split holds out the last samples", {
  model <- mlp(1)
  model |> compile(loss = "mse")
  history <- fit(model, matrix(runif(40 * 3), ncol = 3), runif(40),
                 epochs = 1, batch_size = 8, validation_split = 0.25)
  expect_identical(history$params$steps, 4L)   # 30 training rows / 8
  expect_true("val_loss" %in% names(history$metrics))
})

test_that("a model with two outputs predicts a list of arrays", {
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, list(layer_dense(inputs, 2), layer_dense(inputs, 5)))
  pred <- predict(model, matrix(runif(7 * 3), ncol = 3))
  expect_type(pred, "list")
  expect_identical(lapply(pred, dim), list(c(7L, 2L), c(7L, 5L)))
})

test_that("verbose = 'auto' follows keras3: 0 under testthat, 2 non-interactive/knitr", {
  withr::local_envvar(TESTTHAT = "true")
  expect_identical(torkeras:::.resolve_verbose("auto"), 0L)
  withr::local_envvar(TESTTHAT = "")
  expect_identical(torkeras:::.resolve_verbose("auto"), if (interactive()) 1L else 2L)
  withr::local_options(knitr.in.progress = TRUE)
  expect_identical(torkeras:::.resolve_verbose("auto"), 2L)
  expect_identical(torkeras:::.resolve_verbose(1), 1L)
})

test_that("class_weight names are 0-based class ids", {
  cw <- torkeras:::.as_class_weight(c("0" = 1, "1" = 2.5))
  expect_identical(reticulate::py_repr(cw), "{0: 1.0, 1: 2.5}")
  cw <- torkeras:::.as_class_weight(c(1, 3))
  expect_identical(reticulate::py_repr(cw), "{0: 1.0, 1: 3.0}")
  expect_error(torkeras:::.as_class_weight(c(a = 1)), "class ids")
})

test_that("R data reach Python as float32 (doubles) and int32 (integers), C-ordered", {
  bridge <- reticulate::import("torkeras.bridge", convert = FALSE)
  x <- bridge$from_r(torkeras:::.as_py_data(matrix(c(1, 2, 3, 4, 5, 6), 2)))
  expect_identical(reticulate::py_str(x$dtype), "float32")
  expect_true(reticulate::py_to_r(x$flags$c_contiguous))
  expect_identical(reticulate::py_to_r(x$tolist()), list(c(1, 3, 5), c(2, 4, 6)))
  y <- bridge$from_r(torkeras:::.as_py_data(1:3))
  expect_identical(reticulate::py_str(y$dtype), "int32")
  f <- bridge$from_r(torkeras:::.as_py_data(factor(c("b", "a", "b"))))
  expect_identical(reticulate::py_to_r(f$tolist()), c(1L, 0L, 1L))
})

test_that("compile() takes uncalled loss and metric wrappers as keras3 does", {
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, inputs |> layer_dense(2, activation = "softmax"))
  model |> compile(optimizer = "sgd",
                   loss = loss_sparse_categorical_crossentropy,
                   metrics = list(metric_sparse_categorical_accuracy))
  x <- matrix(c(1, 0, 0, 0, 1, 0), nrow = 2, byrow = TRUE)
  y <- c(0L, 1L)
  model |> fit(x, y, epochs = 1, verbose = 0)
  result <- model |> evaluate(x, y, verbose = 0)
  expect_named(result, c("loss", "sparse_categorical_accuracy"))
  probs <- model |> predict(x, verbose = 0)
  expected <- -mean(log(pmin(pmax(probs[cbind(1:2, y + 1L)], 1e-7), 1 - 1e-7)))
  expect_equal(result$loss, expected, tolerance = 1e-5)
  expect_equal(result$sparse_categorical_accuracy,
               mean(max.col(probs) - 1L == y))
})

test_that("under knitr, fit's progress lines reach R's output (and so the document)", {
  model <- mlp(2)
  model |> compile(optimizer = "sgd", loss = "mse")
  x <- matrix(1, 8, 3)
  y <- matrix(0, 8, 2)
  withr::local_options(knitr.in.progress = TRUE)
  out <- capture.output(h <- model |> fit(x, y, epochs = 2, batch_size = 4, verbose = 2))
  expect_identical(out[c(1, 3)], c("Epoch 1/2", "Epoch 2/2"))
  expect_match(out[4], sprintf("^2/2 - .* - loss: %.4f$", h$metrics$loss[2]))
  # Errors keep their message and call under the capture.
  err <- tryCatch(model |> fit(x, matrix(0, 7, 2), verbose = 2), error = identity)
  expect_match(conditionMessage(err), "x has 8 rows but y has 7", fixed = TRUE)
  expect_identical(deparse(conditionCall(err)), "fit()")
})
