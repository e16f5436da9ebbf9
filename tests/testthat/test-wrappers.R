# The generated layer_*, loss_*, metric_*, optimizer_* wrappers.

# Tensors -> R arrays through Python (independent of any as.array method).
to_r <- function(x) op_convert_to_numpy(x)

is_layer <- function(x) inherits(x, "torkeras.layers.layer.Layer")

test_that("a missing or NULL object returns the layer", {
  layer <- layer_dense(, 64)
  expect_true(is_layer(layer))
  expect_identical(layer$units, 64L)
  expect_true(is_layer(layer_dense(NULL, 2)))
  expect_true(is_layer(layer_dropout(rate = 0.5)))
  expect_true(is_layer(layer_flatten()))
})

test_that("piping a symbolic tensor builds the graph with the right shapes", {
  inputs <- keras_input(shape = 784, name = "digits")
  outputs <- inputs |>
    layer_dense(64, activation = "relu") |>
    layer_dense(10)
  expect_true(op_shape(outputs) == shape(NA, 10))
  expect_identical(format(op_shape(outputs)), "shape(NA, 10)")

  images <- keras_input(shape = c(8, 8, 1))
  x <- images |>
    layer_conv_2d(filters = 4, kernel_size = 3, activation = "relu") |>
    layer_max_pooling_2d(pool_size = 2)
  expect_true(op_shape(x) == shape(NA, 3, 3, 4))
  expect_true(op_shape(layer_global_average_pooling_2d(x)) == shape(NA, 4))
  expect_true(op_shape(layer_flatten(x)) == shape(NA, 36))
  expect_true(op_shape(layer_reshape(x, c(9, 4))) == shape(NA, 9, 4))
  up <- x |> layer_conv_2d_transpose(filters = 2, kernel_size = 2, strides = 2)
  expect_true(op_shape(up) == shape(NA, 6, 6, 2))
})

test_that("layers are created in pipe order", {
  inputs <- keras_input(shape = 3)
  outputs <- inputs |> layer_dense(4) |> layer_dense(2)
  model <- keras_model(inputs, outputs)
  first <- model$layers[[2]]
  second <- model$layers[[3]]
  expect_identical(first$units, 4L)
  expect_identical(second$units, 2L)
  suffix <- function(name) as.integer(sub("^dense_?", "", name) |> (\(s) if (s == "") "0" else s)())
  expect_lt(suffix(first$name), suffix(second$name))
})

test_that("piping a Sequential model adds the layer and returns the model invisibly", {
  model <- keras_model_sequential(input_shape = 4)
  res <- withVisible(model |> layer_dense(8, activation = "relu"))
  expect_false(res$visible)
  expect_identical(res$value, model)
  model |> layer_dropout(0.1) |> layer_dense(2)
  expect_length(model$layers, 3L)
  expect_equal(model$count_params(), (4 * 8 + 8) + (8 * 2 + 2))
})

test_that("a layer applied to an R array computes on it", {
  x <- matrix(c(1, 2, 3, 4, 5, 6), 2, byrow = TRUE)
  layer <- layer_dense(, 2, use_bias = FALSE, kernel_initializer = "ones")
  y <- to_r(layer(x))
  expect_equal(y, cbind(rowSums(x), rowSums(x)), ignore_attr = TRUE, tolerance = 1e-6)
  y <- to_r(layer_activation(x, "relu"))
  expect_equal(y, x, ignore_attr = TRUE)
})

test_that("merge layers take their inputs first", {
  a <- keras_input(shape = 3)
  b <- keras_input(shape = 3)
  expect_true(op_shape(layer_concatenate(list(a, b))) == shape(NA, 6))
  expect_true(op_shape(layer_concatenate(a, b)) == shape(NA, 6))
  expect_true(op_shape(layer_concatenate(c(a, b, a))) == shape(NA, 9))
  expect_true(op_shape(layer_add(a, b)) == shape(NA, 3))
  expect_true(op_shape(layer_add(list(a, b))) == shape(NA, 3))
  expect_true(is_layer(layer_concatenate()))
  expect_true(is_layer(layer_add()))
  # Concatenate on the second (R) axis of 2-d inputs = the last axis.
  expect_true(op_shape(layer_concatenate(list(a, b), axis = 2)) == shape(NA, 6))
  expect_true(op_shape(layer_concatenate(list(a, b), axis = 1)) == shape(NA, 3))
  x <- matrix(1, 2, 3)
  y <- to_r(layer_add(list(x, x)))
  expect_equal(y, x * 2, ignore_attr = TRUE)
})

test_that("layer_activation_leaky_relu and its alias layer_leaky_relu", {
  layer <- layer_activation_leaky_relu(negative_slope = 0.1)
  expect_equal(layer$negative_slope, 0.1)
  expect_true(is_layer(layer_leaky_relu()))
  y <- to_r(layer_leaky_relu(c(-10, 2), negative_slope = 0.5))
  expect_equal(as.vector(y), c(-5, 2))
})

test_that("other generated layers build with keras3 argument names", {
  expect_identical(layer_embedding(, input_dim = 10, output_dim = 3)$output_dim, 3L)
  expect_true(is_layer(layer_batch_normalization()))
  expect_identical(layer_batch_normalization(axis = 2)$axis, 1L)
  expect_true(is_layer(layer_global_max_pooling_1d()))
  expect_true(is_layer(layer_conv_1d(, 2, 3)))
})

# ---- losses -----------------------------------------------------------------

y_true <- matrix(c(1, 0, 0, 1, 1, 0), 2, byrow = TRUE)
y_pred <- matrix(c(0.8, 0.1, 0.3, 0.6, 0.5, 0.2), 2, byrow = TRUE)

test_that("loss wrappers with y's compute per-sample values like base R", {
  expect_equal(as.vector(to_r(loss_mean_squared_error(y_true, y_pred))),
               rowMeans((y_true - y_pred)^2), tolerance = 1e-6)
  expect_equal(as.vector(to_r(loss_mean_absolute_error(y_true, y_pred))),
               rowMeans(abs(y_true - y_pred)), tolerance = 1e-6)
  eps <- 1e-7
  p <- pmin(pmax(y_pred, eps), 1 - eps)
  bce <- -rowMeans(y_true * log(p) + (1 - y_true) * log(1 - p))
  expect_equal(as.vector(to_r(loss_binary_crossentropy(y_true, y_pred))), bce,
               tolerance = 1e-5)
})

test_that("sparse categorical crossentropy takes 0-based class ids", {
  probs <- matrix(c(0.7, 0.2, 0.1,
                    0.1, 0.1, 0.8), 2, byrow = TRUE)
  labels <- c(0, 2)
  expected <- -log(c(0.7, 0.8))
  got <- to_r(loss_sparse_categorical_crossentropy(labels, probs))
  expect_equal(as.vector(got), expected, tolerance = 1e-5)
  logits <- log(probs)
  got <- to_r(loss_sparse_categorical_crossentropy(labels, logits, from_logits = TRUE))
  expect_equal(as.vector(got), expected, tolerance = 1e-5)
})

test_that("loss wrappers without y's return loss objects", {
  loss <- loss_mean_squared_error()
  expect_s3_class(loss, "torkeras.losses.loss.Loss")
  expect_equal(as.numeric(to_r(loss(y_true, y_pred))), mean((y_true - y_pred)^2),
               tolerance = 1e-6)
  loss <- loss_mean_squared_error(reduction = "sum", name = "my_mse")
  expect_identical(loss$name, "my_mse")
  expect_equal(as.numeric(to_r(loss(y_true, y_pred))), sum(rowMeans((y_true - y_pred)^2)),
               tolerance = 1e-6)
  scce <- loss_sparse_categorical_crossentropy(from_logits = TRUE)
  expect_identical(scce$name, "sparse_categorical_crossentropy")
})

test_that("loss wrappers reject half-given targets and misplaced options", {
  expect_error(loss_mean_squared_error(y_true), "both `y_true` and `y_pred`")
  expect_error(loss_mean_squared_error(y_true, y_pred, reduction = "sum"), "`reduction`")
})

# ---- metrics -----------------------------------------------------------------

test_that("metric wrappers with y's compute per-sample values like base R", {
  probs <- matrix(c(0.7, 0.2, 0.1,
                    0.1, 0.1, 0.8,
                    0.3, 0.4, 0.3), 3, byrow = TRUE)
  labels <- c(0, 1, 1)
  got <- to_r(metric_sparse_categorical_accuracy(labels, probs))
  expect_equal(as.vector(got), c(1, 0, 1))
  got <- to_r(metric_mean_absolute_error(y_true, y_pred))
  expect_equal(as.vector(got), rowMeans(abs(y_true - y_pred)), tolerance = 1e-6)
})

test_that("metric wrappers without y's return stateful metrics", {
  m <- metric_sparse_categorical_accuracy()
  expect_identical(m$name, "sparse_categorical_accuracy")
  m$update_state(c(0, 2), matrix(c(0.9, 0.05, 0.05, 0.2, 0.7, 0.1), 2, byrow = TRUE))
  expect_equal(as.numeric(to_r(m$result())), 0.5)
  mean_tracker <- metric_mean(name = "avg")
  for (v in 0:4) mean_tracker$update_state(v)
  expect_equal(as.numeric(to_r(mean_tracker$result())), 2)
  expect_identical(mean_tracker$name, "avg")
})

# ---- optimizers ----------------------------------------------------------------

test_that("optimizer wrappers return optimizers exposing learning_rate", {
  opt <- optimizer_adam(learning_rate = 0.01)
  expect_equal(as.numeric(to_r(opt$learning_rate)), 0.01, tolerance = 1e-7)
  expect_equal(as.numeric(to_r(optimizer_rmsprop()$learning_rate)), 0.001, tolerance = 1e-7)
  sgd <- optimizer_sgd(learning_rate = 0.1, momentum = 0.9, nesterov = TRUE)
  expect_equal(sgd$momentum, 0.9)
  expect_true(sgd$nesterov)
  expect_match(optimizer_adam_w()$name, "^adam_w")  # Keras 3.15's auto-name
})

test_that("learning rate schedules plug into optimizers", {
  schedule <- learning_rate_schedule_exponential_decay(
    0.1, decay_steps = 100, decay_rate = 0.96, staircase = TRUE)
  expect_equal(as.numeric(to_r(schedule(100L))), 0.1 * 0.96, tolerance = 1e-6)
  expect_equal(as.numeric(to_r(schedule(50L))), 0.1, tolerance = 1e-6)
  opt <- optimizer_rmsprop(learning_rate = schedule)
  expect_true(inherits(opt, "torkeras.optimizers.optimizer.Optimizer") ||
                any(grepl("^torkeras\\.optimizers\\.", class(opt))))
})

# ---- activations, initializers, regularizers, constraints ----------------------

test_that("activation wrappers compute, and stand for the Python function uncalled", {
  v <- c(-2, 0, 3)
  expect_equal(as.vector(to_r(activation_relu(op_convert_to_tensor(v)))), pmax(v, 0))
  m <- op_convert_to_tensor(matrix(c(1, 2, 3, 4), 2))
  sm <- to_r(activation_softmax(m, axis = 1))
  expect_equal(colSums(sm), c(1, 1), tolerance = 1e-6)
  layer <- layer_dense(, 2, activation = activation_relu)
  expect_identical(layer$get_config()$activation, "relu")
})

test_that("uncalled loss/metric wrappers resolve to their Python functions", {
  fn <- resolve_wrapper(loss_mean_squared_error)
  expect_true(inherits(fn, "python.builtin.object"))
  expect_identical(reticulate::py_to_r(reticulate::py_get_attr(fn, "__name__")),
                   "mean_squared_error")
  # Other R functions are left alone.
  f <- function(y_true, y_pred) y_true
  expect_identical(resolve_wrapper(f), f)
})

test_that("initializer, regularizer and constraint wrappers plug into layers", {
  x <- matrix(c(1, 2, 3, 4, 5, 6), 2, byrow = TRUE)
  layer <- layer_dense(, 2, use_bias = FALSE, kernel_initializer = initializer_ones())
  expect_equal(to_r(layer(x)), cbind(rowSums(x), rowSums(x)), ignore_attr = TRUE,
               tolerance = 1e-6)
  # An uncalled initializer wrapper means "with its defaults".
  layer <- layer_dense(, 2, use_bias = FALSE, kernel_initializer = initializer_ones)
  expect_equal(to_r(layer(x)), cbind(rowSums(x), rowSums(x)), ignore_attr = TRUE,
               tolerance = 1e-6)
  init <- initializer_constant(0.5)
  layer <- layer_dense(, 1, use_bias = FALSE, kernel_initializer = init,
                       kernel_regularizer = regularizer_l2(0.1),
                       kernel_constraint = constraint_nonneg())
  y <- to_r(layer(x))
  expect_equal(as.vector(y), rowSums(x) * 0.5, tolerance = 1e-6)
  # l2 penalty: 0.1 * sum(kernel^2) = 0.1 * 3 * 0.25
  expect_equal(as.numeric(to_r(layer$losses[[1]])), 0.075, tolerance = 1e-6)
  expect_error(initializer_random_normal(seed = 1.5), "`seed`")
})
