# Saving from R: .keras round trips with numbers, weights files, get/set
# weights as R arrays, configs, and R-defined classes through custom_objects.

make_model <- function() {
  inputs <- keras_input(shape = 4, name = "x")
  outputs <- inputs |>
    layer_dense(8, activation = "relu") |>
    layer_dense(3, activation = "softmax")
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = optimizer_adam(learning_rate = 0.01),
                   loss = "sparse_categorical_crossentropy", metrics = "accuracy")
  model
}

toy_data <- function() {
  set.seed(1)
  list(x = matrix(runif(64 * 4), ncol = 4), y = sample(0:2, 64, replace = TRUE))
}

test_that("a saved and loaded model predicts and keeps training identically", {
  set_random_seed(1)
  d <- toy_data()
  model <- make_model()
  model |> fit(d$x, d$y, epochs = 2, batch_size = 16, verbose = 0)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  expect_identical(save_model(model, path), model)
  expect_true(file.exists(path))
  expect_identical(unzip(path, list = TRUE)$Name,
                   c("metadata.json", "config.json", "model.weights.h5"))
  loaded <- load_model(path)
  expect_equal(predict(loaded, d$x, verbose = 0), predict(model, d$x, verbose = 0),
               tolerance = 0)
  expect_equal(as.numeric(loaded$optimizer$iterations$numpy()), 8)
  for (m in list(model, loaded))
    m |> fit(d$x[1:32, ], d$y[1:32], epochs = 1, batch_size = 16, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(loaded), get_weights(model), tolerance = 0)
  expect_equal(as.numeric(loaded$optimizer$iterations$numpy()), 10)
  # overwrite = FALSE refuses an existing file.
  expect_error(save_model(model, path, overwrite = FALSE), "already\\s+exists")
  expect_error(save_model(model, tempfile(fileext = ".h5")), "must end in `.keras`")
})

test_that("get_weights/set_weights use R arrays; weights files round trip", {
  model <- make_model()
  w <- get_weights(model)
  expect_length(w, 4)
  expect_identical(dim(w[[1]]), c(4L, 8L))
  expect_identical(length(w[[2]]), 8L)
  w[[1]][] <- 0.5
  w[[2]][] <- seq_len(8) / 10
  set_weights(model, w)
  expect_equal(get_weights(model)[[1]], array(0.5, c(4, 8)))
  expect_equal(as.numeric(get_weights(model)[[2]]), seq_len(8) / 10, tolerance = 1e-7)
  expect_length(get_weights(model, trainable = FALSE), 0)
  x <- matrix(1, 2, 4)
  path <- tempfile(fileext = ".weights.h5")
  on.exit(unlink(path))
  save_model_weights(model, path)
  other <- make_model()
  expect_false(isTRUE(all.equal(get_weights(other), get_weights(model))))
  load_model_weights(other, path)
  expect_equal(get_weights(other), get_weights(model), tolerance = 0)
  expect_equal(predict(other, x, verbose = 0), predict(model, x, verbose = 0), tolerance = 0)
  expect_error(set_weights(model, w[1:2]), "expects 4 weights")
})

test_that("get_config/from_config rebuild layers and models", {
  layer <- layer_dense(units = 5, activation = "tanh", name = "d5")
  config <- get_config(layer)
  expect_identical(config$units, 5L)
  expect_identical(config$activation, "tanh")
  clone <- from_config(config)
  expect_identical(clone$units, 5L)
  expect_identical(clone$name, "d5")
  model <- make_model()
  model_config <- get_config(model)
  expect_identical(vapply(model_config$layers, function(l) l$class_name, ""),
                   c("InputLayer", "Dense", "Dense"))
  rebuilt <- from_config(model_config)
  set_weights(rebuilt, get_weights(model))
  x <- matrix(runif(8), 2, 4)
  expect_equal(predict(rebuilt, x, verbose = 0), predict(model, x, verbose = 0), tolerance = 0)
  seq_model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
  seq_clone <- from_config(get_config(seq_model))
  expect_identical(dim(get_weights(seq_clone)[[1]]), c(3L, 2L))
})

test_that("R-defined layer classes round trip through custom_objects", {
  layer_scale <- Layer(
    "ScaleR",
    initialize = function(factor = 2, ...) {
      super$initialize(...)
      self$factor <- factor
    },
    build = function(input_shape) {
      self$w <- self$add_weight(shape = shape(input_shape[[2]]), initializer = "ones")
    },
    call = function(inputs) inputs * self$w * self$factor,
    get_config = function() {
      config <- super$get_config()
      config$factor <- self$factor
      config
    }
  )
  inputs <- keras_input(shape = 3)
  outputs <- inputs |> layer_scale(factor = 3) |> layer_dense(1, kernel_initializer = "ones")
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = "sgd", loss = "mse")
  w <- get_weights(model)
  w[[1]][] <- c(1, 2, 3)
  set_weights(model, w)
  x <- matrix(c(1, 1, 1, 2, 0, 1), 2, byrow = TRUE)
  # outputs: sum(x * c(1, 2, 3) * 3)
  expected <- matrix(c(18, 15), 2)
  expect_equal(predict(model, x, verbose = 0), expected, tolerance = 1e-6)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  save_model(model, path)
  expect_error(load_model(path), "Could not locate class 'ScaleR'")
  loaded <- load_model(path, custom_objects = list(ScaleR = layer_scale))
  expect_equal(predict(loaded, x, verbose = 0), expected, tolerance = 1e-6)
  expect_identical(loaded$layers[[2]]$factor, 3)
  # unnamed entries use the class name; registration works without custom_objects
  loaded2 <- load_model(path, custom_objects = list(layer_scale))
  expect_equal(predict(loaded2, x, verbose = 0), expected, tolerance = 1e-6)
  register_keras_serializable(layer_scale, package = "RTests")
  model2 <- keras_model(inputs, outputs)
  save_model(model2, path)
  loaded3 <- load_model(path)
  expect_equal(predict(loaded3, x, verbose = 0), expected, tolerance = 1e-6)
})

test_that("R loss functions reload through custom_objects; compile = FALSE; R layer configs", {
  my_loss <- function(y_true, y_pred) op_mean(op_square(y_true - y_pred), axis = -1)
  inputs <- keras_input(shape = 2)
  model <- keras_model(inputs, inputs |> layer_dense(1))
  model |> compile(optimizer = "sgd", loss = my_loss)
  x <- matrix(seq(0, 1, length.out = 20), 10)
  y <- matrix(seq(1, 0, length.out = 10), 10)
  model |> fit(x, y, verbose = 0)
  path <- tempfile(fileext = ".keras")
  on.exit(unlink(path))
  save_model(model, path)
  # compile() names an R loss function "custom_loss".
  expect_error(load_model(path), "Could not locate function 'custom_loss'")
  loaded <- load_model(path, custom_objects = list(custom_loss = my_loss))
  expect_equal(evaluate(loaded, x, y, verbose = 0), evaluate(model, x, y, verbose = 0),
               tolerance = 0)
  expect_null(load_model(path, compile = FALSE)$optimizer)

  layer_times <- Layer(
    "TimesR",
    initialize = function(factor = 2, ...) {
      super$initialize(...)
      self$factor <- factor
    },
    call = function(inputs) inputs * self$factor,
    get_config = function() {
      config <- super$get_config()
      config$factor <- self$factor
      config
    }
  )
  config <- get_config(layer_times(factor = 5, name = "five"))
  expect_identical(config$name, "five")
  clone <- from_config(config)
  expect_identical(clone$factor, 5)
  expect_equal(as.array(clone(op_ones(c(1, 2)))), matrix(5, 1, 2))
})

test_that("functional models using op_*() and operators on keras_input() save and load", {
  a <- keras_input(shape = 3, name = "a")
  b <- keras_input(shape = 3, name = "b")
  s <- op_add(a |> layer_dense(3, name = "proj"), b) * 2
  m <- op_mean(s, axis = 2, keepdims = TRUE)
  out <- op_concatenate(list(s, 1 - m), axis = 2)
  model <- keras_model(list(a, b), out)

  xa <- matrix(c(0.1, 0.5, -0.3, 0.8, 0.2, 0.7), 2)
  xb <- matrix(c(1, 2, 3, 4, 5, 6) / 10, 2)
  w <- get_weights(model)
  s_r <- (xa %*% w[[1]] + matrix(w[[2]], 2, 3, byrow = TRUE) + xb) * 2
  expected <- cbind(s_r, 1 - rowMeans(s_r))
  before <- predict(model, list(xa, xb), verbose = 0)
  expect_equal(before, expected, tolerance = 1e-6)

  path <- tempfile(fileext = ".keras")
  dir <- tempfile("saved_model_")
  on.exit(unlink(c(path, dir), recursive = TRUE))
  save_model(model, path)
  loaded <- load_model(path)
  expect_identical(predict(loaded, list(xa, xb), verbose = 0), before)
  # The ops are not layers, before or after loading.
  expect_identical(vapply(loaded$layers, function(l) l$name, ""), c("a", "b", "proj"))

  save_model(model, dir, zipped = FALSE)
  expect_setequal(list.files(dir), c("config.json", "metadata.json", "model.weights.h5"))
  expect_identical(predict(load_model(dir), list(xa, xb), verbose = 0), before)
  expect_error(save_model(model, path, zipped = FALSE),
               "should not end in `.keras`")
})
