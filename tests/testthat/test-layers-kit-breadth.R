# What running every existing layer through the layer test kit fixed, seen
# from R: layer_activation_softmax()'s mask, fit() of a model without trainable weights;
# layer_simple_rnn()'s config keeps its seed (a documented superset of Keras's).

to_r <- function(x) op_convert_to_numpy(x)

test_that("layer_activation_softmax with a mask zeroes masked positions as Keras 3", {
  x <- matrix(c(1, 2, 3, 4, 5, 6), 2, 3, byrow = TRUE)
  m <- matrix(c(TRUE, TRUE, FALSE, FALSE, FALSE, FALSE), 2, 3, byrow = TRUE)
  sm <- layer_activation_softmax()
  out <- to_r(sm(op_convert_to_tensor(x, dtype = "float32"), mask = op_convert_to_tensor(m)))
  e <- exp(c(1, 2))
  expect_equal(out[1, ], c(e / sum(e), 0), tolerance = 1e-6)
  expect_equal(out[2, ], c(0, 0, 0))  # a fully masked row gives zeros
})

test_that("fit() of a model without trainable weights runs (Python warns) instead of failing", {
  model <- keras_model_sequential(input_shape = 3) |> layer_dropout(rate = 0.1)
  model |> compile(optimizer = "sgd", loss = "mse")
  x <- matrix(runif(12), 4, 3)
  history <- model |> fit(x, x, epochs = 2, verbose = 0)
  expect_length(history$metrics$loss, 2)
  expect_true(all(is.finite(unlist(history$metrics$loss))))
})

test_that("layer_simple_rnn's config keeps seed (Keras drops it; both load)", {
  config <- get_config(layer_simple_rnn(units = 2, seed = 3))
  expect_equal(config$seed, 3)
  expect_equal(config$units, 2)
})
