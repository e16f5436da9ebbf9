# Engine behaviours (issue 11, F): masks reach a custom layer's call() in a
# symbolic call, fit() with only add_loss()/activity-regularizer losses, and
# layer/model objects called as functions in pipes.

to_r <- function(x) op_convert_to_numpy(x)

test_that("keras3's masking guide: a custom layer after layer_dense() receives the mask", {
  seen <- new.env()
  layer_temporal_softmax <- Layer(
    "TemporalSoftmax",
    initialize = function(...) {
      super$initialize(...)
      self$supports_masking <- TRUE
    },
    call = function(inputs, mask = NULL) {
      seen$mask <- mask
      stopifnot(!is.null(mask))
      broadcast_float_mask <- op_expand_dims(op_cast(mask, "float32"), -1)
      inputs_exp <- op_exp(inputs) * broadcast_float_mask
      inputs_sum <- op_sum(inputs_exp * broadcast_float_mask, axis = -1, keepdims = TRUE)
      inputs_exp / inputs_sum
    }
  )
  inputs <- keras_input(shape = list(NULL), dtype = "int32")
  outputs <- inputs |>
    layer_embedding(input_dim = 10, output_dim = 32, mask_zero = TRUE) |>
    layer_dense(1) |>
    layer_temporal_softmax()
  expect_false(is.null(seen$mask))
  model <- keras_model(inputs, outputs)
  tokens <- rbind(c(1, 2, 0, 0), c(3, 4, 5, 0))
  out <- predict(model, tokens, verbose = 0)
  expect_equal(dim(out), c(2L, 4L, 1L))
  # softmax over the last axis of size 1: 1 where unmasked, NaN (0/0) where masked
  expect_equal(out[, , 1][tokens != 0], rep(1, 5), tolerance = 1e-6)
  expect_true(all(is.nan(out[, , 1][tokens == 0])))
})

test_that("fit() with only add_loss() losses (compile without loss)", {
  layer_square_penalty <- Layer(
    "SquarePenalty",
    call = function(inputs) {
      self$add_loss(op_mean(op_square(inputs)))
      inputs
    }
  )
  set_random_seed(1)
  inputs <- keras_input(shape = 3)
  outputs <- inputs |> layer_dense(2) |> layer_square_penalty()
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1))
  x <- matrix(seq(-1, 1, length.out = 48), 16, 3)
  before <- mean(predict(model, x, verbose = 0)^2)
  history <- model |> fit(x, epochs = 3, batch_size = 16, verbose = 0)
  expect_equal(history$metrics$loss[1], before, tolerance = 1e-5)
  expect_lt(history$metrics$loss[3], history$metrics$loss[1])
})

test_that("fit() with only an activity regularizer loss", {
  set_random_seed(2)
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(2, activity_regularizer = regularizer_l2(0.5))
  model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1))
  x <- matrix(seq(-1, 1, length.out = 48), 16, 3)
  out <- predict(model, x, verbose = 0)
  history <- model |> fit(x, epochs = 2, batch_size = 16, verbose = 0)
  # Keras: 0.5 * sum(outputs^2) / batch size
  expect_equal(history$metrics$loss[1], 0.5 * sum(out^2) / 16, tolerance = 1e-5)
  expect_lt(history$metrics$loss[2], history$metrics$loss[1])
})

test_that("a model called as a function in a pipe adds it to a Sequential model", {
  inner_model <- keras_model_sequential(input_shape = 4) |> layer_dense(2)
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(4) |> inner_model()
  expect_s3_class(model, "torkeras.models.sequential.Sequential")
  expect_length(model$layers, 2L)
  expect_identical(model$layers[[2]]$name, inner_model$name)
  expect_equal(unlist(model$output_shape), 2)  # (None, 2)
  x <- matrix(c(1, 2, 3, -1, 0, 1), 2, 3, byrow = TRUE)
  first <- to_r(model$layers[[1]](x))
  expect_equal(predict(model, x, verbose = 0), predict(inner_model, first, verbose = 0),
               tolerance = 1e-6)
  # A pipe that starts from keras_model_sequential(input_shape = 3) directly
  inner3 <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  m2 <- keras_model_sequential(input_shape = 3) |> inner3()
  expect_length(m2$layers, 1L)
})

test_that("a layer instance called as a function: pipe, tensor, no argument", {
  dense <- layer_dense(units = 2, use_bias = FALSE)
  model <- keras_model_sequential(input_shape = 3) |> dense()
  expect_length(model$layers, 1L)
  kernel <- get_weights(dense)[[1]]
  x <- rbind(c(1, 2, 3), c(0, -1, 4))
  expect_equal(to_r(dense(op_convert_to_tensor(x, "float32"))), x %*% kernel, tolerance = 1e-6)
  expect_equal(to_r(dense(x)), x %*% kernel, tolerance = 1e-6)
  # on a symbolic tensor: a functional model
  inputs <- keras_input(shape = 3)
  outputs <- inputs |> dense()
  expect_equal(predict(keras_model(inputs, outputs), x, verbose = 0), x %*% kernel,
               tolerance = 1e-6)
  # no argument: the layer itself
  expect_identical(dense()$name, dense$name)
  # Python errors keep their message
  expect_error(dense(op_ones(c(2, 5))), "5|shape|incompatible", ignore.case = TRUE)
})

test_that("a layer object called with named arguments only is called, and several outputs are an R list", {
  q <- keras_input(shape = c(4, 8))
  v <- keras_input(shape = c(6, 8))
  mha <- layer_multi_head_attention(num_heads = 2, key_dim = 4)
  res <- mha(query = q, value = v, return_attention_scores = TRUE)
  expect_type(res, "list")
  expect_length(res, 2)
  expect_identical(unlist(res[[2]]$shape), c(2L, 4L, 6L))
  lstm <- layer_lstm(units = 3, return_state = TRUE)
  c(seq, h, cc) %<-% lstm(keras_input(shape = c(5, 2)))
  expect_identical(unlist(h$shape), 3L)
  expect_s3_class(lstm(), "torkeras.layers.layer.Layer")
})
