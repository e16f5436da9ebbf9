# Issue 11 recurrent additions from R: layer_conv_lstm_1d/2d/3d() and
# rnn_cells_stack() (keras3 names), shapes, parameter counts and values
# against base-R recursions.

to_r <- function(x) op_convert_to_numpy(x)
sigmoid <- function(v) 1 / (1 + exp(-v))

test_that("the keras3 names exist", {
  for (name in c("layer_conv_lstm_1d", "layer_conv_lstm_2d", "layer_conv_lstm_3d",
                 "rnn_cells_stack"))
    expect_true(is.function(get(name, envir = asNamespace("torkeras"))), info = name)
})

test_that("conv LSTM layers give Keras shapes and parameter counts", {
  inputs <- keras_input(shape = c(4, 6, 5, 3))
  expect_true(op_shape(layer_conv_lstm_2d(inputs, filters = 4, kernel_size = 3)) ==
                shape(NA, 4, 3, 4))
  outs <- layer_conv_lstm_2d(inputs, filters = 2, kernel_size = c(3, 2), strides = 2,
                             padding = "same", return_sequences = TRUE, return_state = TRUE)
  expect_type(outs, "list")  # several outputs arrive as an R list, as in keras3
  expect_length(outs, 3)
  seq <- outs[[1]]
  h <- outs[[2]]
  expect_true(op_shape(seq) == shape(NA, 4, 3, 3, 2))
  expect_true(op_shape(h) == shape(NA, 3, 3, 2))
  model <- keras_model_sequential(input_shape = c(4, 6, 5, 3)) |>
    layer_conv_lstm_2d(filters = 4, kernel_size = 3)
  # kernel 3*3*3*16 + recurrent kernel 3*3*4*16 + bias 16
  expect_identical(model$count_params(), 1024L)
  out <- keras_input(shape = c(2, 7, 2)) |> layer_conv_lstm_1d(filters = 3, kernel_size = 2)
  expect_true(op_shape(out) == shape(NA, 6, 3))
  out <- keras_input(shape = c(2, 4, 3, 4, 1)) |>
    layer_conv_lstm_3d(filters = 2, kernel_size = 2, padding = "same")
  expect_true(op_shape(out) == shape(NA, 4, 3, 4, 2))
  expect_error(layer_conv_lstm_2d(filters = 2, kernel_size = 3, strides = 2,
                                  dilation_rate = 2), "dilation_rate")
})

test_that("a 1x1 conv LSTM with one filter is a 1-unit LSTM at each position", {
  layer <- layer_conv_lstm_1d(filters = 1, kernel_size = 1, return_sequences = TRUE)
  layer$build(shape(NA, 3, 2, 1))
  k <- c(0.5, -0.3, 0.8, 0.2); u <- c(0.1, 0.4, -0.6, 0.7); b <- c(0.05, 1, -0.1, 0.2)
  set_weights(layer, list(array(k, c(1, 1, 4)), array(u, c(1, 1, 4)), array(b)))
  x <- array(c(0.5, -1, 2, 0.25, 1.5, -0.75, 0.3, 1.1, -0.4, 0.9, 0.2, -1.3),
             dim = c(2, 3, 2, 1))
  got <- to_r(layer(x))
  expected <- array(0, dim = c(2, 3, 2, 1))
  for (n in 1:2) for (p in 1:2) {
    h <- 0; cc <- 0
    for (t in 1:3) {
      z <- x[n, t, p, 1] * k + h * u + b
      cc <- sigmoid(z[2]) * cc + sigmoid(z[1]) * tanh(z[3])
      h <- sigmoid(z[4]) * tanh(cc)
      expected[n, t, p, 1] <- h
    }
  }
  expect_equal(got, expected, tolerance = 1e-6)
})

test_that("rnn_cells_stack() chains cells like two stacked simple RNNs", {
  cells <- rnn_cells_stack(list(rnn_cell_simple(units = 1)), rnn_cell_simple(units = 1))
  expect_length(cells$cells, 2)
  layer <- layer_rnn(cell = cells, return_sequences = TRUE)
  layer$build(shape(NA, 3, 1))
  set_weights(layer, list(array(0.7, c(1, 1)), array(-0.4, c(1, 1)), array(0.1),
                          array(1.2, c(1, 1)), array(0.3, c(1, 1)), array(-0.2)))
  x <- array(c(0.5, -1, 2, 0.25, 1.5, -0.75), dim = c(2, 3, 1))
  got <- to_r(layer(x))
  expected <- array(0, dim = c(2, 3, 1))
  for (n in 1:2) {
    h1 <- 0; h2 <- 0
    for (t in 1:3) {
      h1 <- tanh(x[n, t, 1] * 0.7 + h1 * -0.4 + 0.1)
      h2 <- tanh(h1 * 1.2 + h2 * 0.3 - 0.2)
      expected[n, t, 1] <- h2
    }
  }
  expect_equal(got, expected, tolerance = 1e-6)
  # a plain list of cells given to layer_rnn() is stacked too
  stacked <- keras_input(shape = c(5, 3)) |>
    layer_rnn(cell = list(rnn_cell_lstm(units = 4), rnn_cell_gru(units = 2)))
  expect_true(op_shape(stacked) == shape(NA, 2))
  expect_error(rnn_cells_stack(list()), "cells")
})
