# layer_lstm(), layer_gru(), layer_simple_rnn(), layer_rnn() with rnn_cell_*(),
# layer_bidirectional() / bidirectional() from R: shapes and values.

to_r <- function(x) op_convert_to_numpy(x)

test_that("recurrent layers give Keras output and state shapes", {
  inputs <- keras_input(shape = c(7, 3))
  expect_true(op_shape(layer_lstm(inputs, units = 4)) == shape(NA, 4))
  expect_true(op_shape(layer_gru(inputs, units = 5, return_sequences = TRUE)) ==
                shape(NA, 7, 5))
  c(seq, h, c) %<-% layer_lstm(inputs, units = 2, return_sequences = TRUE,
                               return_state = TRUE)
  expect_true(op_shape(seq) == shape(NA, 7, 2))
  expect_true(op_shape(c) == shape(NA, 2))
  expect_true(op_shape(layer_bidirectional(inputs, layer_simple_rnn(units = 3))) ==
                shape(NA, 6))
  expect_true(op_shape(bidirectional(inputs, layer_gru(units = 3), merge_mode = "sum")) ==
                shape(NA, 3))

  model <- keras_model_sequential(input_shape = c(10, 16)) |> layer_lstm(units = 32)
  expect_identical(model$count_params(), 6272L)
  model <- keras_model_sequential(input_shape = c(10, 16)) |> layer_gru(units = 32)
  expect_identical(model$count_params(), 4800L)
  expect_error(layer_lstm(units = 2.5), "units")
})

test_that("a 1-unit simple RNN computes tanh(x w + h u + b) step by step", {
  layer <- layer_simple_rnn(units = 1, return_sequences = TRUE)
  x <- array(c(0.5, -1, 2, 0.25, 1.5, -0.75), dim = c(2, 3, 1))
  layer$build(shape(NA, 3, 1))
  layer$set_weights(list(matrix(0.8), matrix(-0.6), array(0.1)))
  y <- to_r(layer(x))
  expect_identical(dim(y), c(2L, 3L, 1L))
  for (b in 1:2) {
    h <- 0
    for (t in 1:3) {
      h <- tanh(x[b, t, 1] * 0.8 + h * -0.6 + 0.1)
      expect_equal(y[b, t, 1], h, tolerance = 1e-6)
    }
  }
  # go_backwards reads the sequence from its end.
  back <- layer_simple_rnn(units = 1, go_backwards = TRUE)
  back$build(shape(NA, 3, 1))
  back$set_weights(list(matrix(0.8), matrix(-0.6), array(0.1)))
  h <- 0
  for (t in 3:1) h <- tanh(x[1, t, 1] * 0.8 + h * -0.6 + 0.1)
  expect_lt(abs(to_r(back(x))[1, 1] - h), 1e-6)
})

test_that("layer_rnn() runs an rnn_cell_*() like the matching layer", {
  x <- array(runif(2 * 4 * 3), dim = c(2, 4, 3))
  rnn <- layer_rnn(cell = rnn_cell_gru(units = 2))
  gru <- layer_gru(units = 2)
  rnn$build(shape(NA, 4, 3))
  gru$build(shape(NA, 4, 3))
  gru$set_weights(rnn$get_weights())
  expect_equal(to_r(rnn(x)), to_r(gru(x)), tolerance = 1e-5)
  expect_identical(unlist(rnn_cell_lstm(units = 3)$state_size), c(3L, 3L))
  expect_identical(rnn_cell_simple(units = 4)$units, 4L)
  expect_error(rnn_cell_lstm(units = 0), "units")
})
