# layer_separable_conv_*, layer_depthwise_conv_*, layer_cropping_*, layer_spatial_dropout_*,
# layer_gaussian_noise/dropout and layer_dot from R: shapes, values, R argument conventions.

to_r <- function(x) op_convert_to_numpy(x)

test_that("separable and depthwise convolutions give Keras shapes and weights", {
  images <- keras_input(shape = c(9, 8, 3))
  y <- images |> layer_separable_conv_2d(filters = 5, kernel_size = 3, strides = 2,
                                         padding = "same", depth_multiplier = 2)
  expect_true(op_shape(y) == shape(NA, 5, 4, 5))
  z <- images |> layer_depthwise_conv_2d(kernel_size = c(3, 2), depth_multiplier = 3)
  expect_true(op_shape(z) == shape(NA, 7, 7, 9))

  sep <- layer_separable_conv_1d(filters = 4, kernel_size = 3, depth_multiplier = 2)
  out <- sep(op_ones(c(2, 10, 3)))
  expect_identical(dim(to_r(out)), c(2L, 8L, 4L))
  shapes <- lapply(sep$weights, function(w) unlist(w$shape))
  expect_identical(shapes, list(c(3L, 3L, 2L), c(1L, 6L, 4L), 4L))
  expect_identical(sep$count_params(), 3L * 3L * 2L + 6L * 4L + 4L)
  expect_error(layer_depthwise_conv_1d(kernel_size = 2.5), "kernel_size")
})

test_that("a depthwise convolution with a ones kernel sums each channel's window", {
  x <- array(as.numeric(1:24), dim = c(1, 4, 3, 2))
  layer <- layer_depthwise_conv_2d(kernel_size = 2, depthwise_initializer = "ones",
                                   use_bias = FALSE)
  y <- to_r(layer(x))
  expect_identical(dim(y), c(1L, 3L, 2L, 2L))
  for (c in 1:2) for (i in 1:3) for (j in 1:2)
    expect_equal(y[1, i, j, c], sum(x[1, i:(i + 1), j:(j + 1), c]))
})

test_that("cropping layers slice like R indexing", {
  x <- array(runif(2 * 7 * 8 * 3), dim = c(2, 7, 8, 3))
  y <- to_r(layer_cropping_2d(x, cropping = list(c(1, 2), c(0, 3))))
  expect_equal(y, x[, 2:5, 1:5, , drop = FALSE], tolerance = 1e-6)
  y <- to_r(layer_cropping_2d(x, cropping = c(2, 1)))
  expect_equal(y, x[, 3:5, 2:7, , drop = FALSE], tolerance = 1e-6)
  s <- array(runif(2 * 9 * 2), dim = c(2, 9, 2))
  expect_equal(to_r(layer_cropping_1d(s, cropping = c(2, 3))), s[, 3:6, , drop = FALSE],
               tolerance = 1e-6)
  v <- keras_input(shape = c(5, 6, 7, 2))
  expect_true(op_shape(layer_cropping_3d(v)) == shape(NA, 3, 4, 5, 2))
  expect_error(layer_cropping_1d(s, cropping = c(5, 4)), "at least one")
})

test_that("spatial dropout zeroes whole channels only in training", {
  x <- array(1, dim = c(8, 5, 5, 16))
  layer <- layer_spatial_dropout_2d(rate = 0.5, seed = 1)
  expect_equal(to_r(layer(x)), x)
  y <- to_r(layer(x, training = TRUE))
  for (n in 1:8) for (c in 1:16) {
    values <- unique(as.vector(y[n, , , c]))
    expect_length(values, 1)
    expect_true(values %in% c(0, 2))
  }
  expect_identical(layer_spatial_dropout_3d(rate = 0.1, data_format = "channels_first")$data_format,
                   "channels_first")
  expect_error(layer_spatial_dropout_1d(rate = 2), "rate")
})

test_that("gaussian noise and dropout have the stated statistics in training", {
  x <- array(2, dim = c(200, 300))
  noise <- to_r(layer_gaussian_noise(stddev = 0.5, seed = 3)(x, training = TRUE)) - x
  expect_lt(abs(mean(noise)), 0.01)
  expect_lt(abs(sd(as.vector(noise)) - 0.5), 0.01)
  expect_equal(to_r(layer_gaussian_noise(x, stddev = 0.5)), x)
  factor <- to_r(layer_gaussian_dropout(rate = 0.5, seed = 3)(x, training = TRUE)) / x
  expect_lt(abs(mean(factor) - 1), 0.02)  # 5 standard errors
  expect_lt(abs(sd(as.vector(factor)) - 1), 0.01)  # sqrt(0.5 / 0.5)
})

test_that("layer_dot takes 1-based axes as keras3 does", {
  x <- array(runif(2 * 5 * 3), dim = c(2, 5, 3))
  y <- array(runif(2 * 3 * 4), dim = c(2, 3, 4))
  out <- to_r(layer_dot(x, y, axes = c(3, 2)))
  expect_identical(dim(out), c(2L, 5L, 4L))
  for (b in 1:2) expect_equal(out[b, , ], x[b, , ] %*% y[b, , ], tolerance = 1e-5)
  expect_identical(layer_dot(axes = c(3, 2))$axes, list(2L, 1L))
  expect_identical(layer_dot(axes = 2)$axes, 1L)
  expect_error(layer_dot(axes = 0), "1-based")

  a <- matrix(c(3, 0, 1, 1), 2)
  b <- matrix(c(4, 2, 1, 5), 2)
  cosine <- to_r(layer_dot(list(a, b), axes = 2, normalize = TRUE))
  expect_equal(cosine, matrix(c(sum(a[1, ] * b[1, ]) / sqrt(sum(a[1, ]^2) * sum(b[1, ]^2)),
                                sum(a[2, ] * b[2, ]) / sqrt(sum(a[2, ]^2) * sum(b[2, ]^2)))),
               tolerance = 1e-6)

  i1 <- keras_input(shape = 8)
  i2 <- keras_input(shape = 8)
  expect_true(op_shape(layer_dot(i1, i2, axes = 2)) == shape(NA, 1))
})
