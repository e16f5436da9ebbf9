# The reshaping/pooling layers of issue 11 from R: layer_upsampling_1d/3d,
# layer_zero_padding_1d/3d, layer_adaptive_{average,max}_pooling_{1,2,3}d.
# Values against base R array indexing.

to_r <- function(x) op_convert_to_numpy(x)

set.seed(1)
x3 <- array(rnorm(2 * 5 * 3), c(2, 5, 3))
x5 <- array(rnorm(2 * 2 * 3 * 2 * 2), c(2, 2, 3, 2, 2))

test_that("the layers have their keras3 names", {
  for (name in c("upsampling_1d", "upsampling_3d", "zero_padding_1d", "zero_padding_3d",
                 "adaptive_average_pooling_1d", "adaptive_average_pooling_2d",
                 "adaptive_average_pooling_3d", "adaptive_max_pooling_1d",
                 "adaptive_max_pooling_2d", "adaptive_max_pooling_3d")) {
    expect_true(exists(paste0("layer_", name), mode = "function"), info = name)
  }
})

test_that("layer_upsampling_1d and _3d repeat entries", {
  out <- to_r(layer_upsampling_1d(x3, size = 2))
  expect_equal(dim(out), c(2, 10, 3))
  expect_equal(out, x3[, rep(1:5, each = 2), , drop = FALSE], tolerance = 1e-6)
  out <- to_r(layer_upsampling_3d(x5, size = c(2, 1, 3)))
  expect_equal(dim(out), c(2, 4, 3, 6, 2))
  expect_equal(out, x5[, rep(1:2, each = 2), , rep(1:2, each = 3), , drop = FALSE],
               tolerance = 1e-6)
  out <- to_r(layer_upsampling_3d(x5, size = 2, data_format = "channels_first"))
  expect_equal(dim(out), c(2, 2, 6, 4, 4))
})

test_that("layer_zero_padding_1d and _3d add zeros", {
  out <- to_r(layer_zero_padding_1d(x3, padding = c(1, 2)))
  expect_equal(dim(out), c(2, 8, 3))
  expect_equal(out[, 2:6, ], x3, tolerance = 1e-6)
  expect_equal(sum(abs(out[, c(1, 7, 8), ])), 0)
  out <- to_r(layer_zero_padding_1d(x3, padding = 1, data_format = "channels_first"))
  expect_equal(dim(out), c(2, 5, 5))
  out <- to_r(layer_zero_padding_3d(x5, padding = list(c(0, 1), c(2, 0), c(1, 1))))
  expect_equal(dim(out), c(2, 3, 5, 4, 2))
  expect_equal(out[, 1:2, 3:5, 2:3, ], x5, tolerance = 1e-6)
  expect_equal(sum(abs(out)), sum(abs(x5)), tolerance = 1e-5)
  layer <- layer_zero_padding_3d(padding = c(1, 0, 2))
  expect_equal(lapply(layer$padding, unlist), list(c(1L, 1L), c(0L, 0L), c(2L, 2L)))
})

test_that("adaptive pooling matches windows floor(i*n/m) .. ceil((i+1)*n/m)", {
  x <- array(rnorm(2 * 7 * 3), c(2, 7, 3))
  # 7 steps to 3: windows 1..3, 3..5, 5..7 (1-based)
  windows <- list(1:3, 3:5, 5:7)
  expected_mean <- simplify2array(lapply(windows, function(w) apply(x[, w, , drop = FALSE],
                                                                    c(1, 3), mean)))
  expected_mean <- aperm(expected_mean, c(1, 3, 2))
  out <- to_r(layer_adaptive_average_pooling_1d(x, output_size = 3))
  expect_equal(dim(out), c(2, 3, 3))
  expect_equal(out, expected_mean, tolerance = 1e-6)
  expected_max <- aperm(simplify2array(lapply(windows, function(w)
    apply(x[, w, , drop = FALSE], c(1, 3), max))), c(1, 3, 2))
  expect_equal(to_r(layer_adaptive_max_pooling_1d(x, output_size = 3)), expected_max,
               tolerance = 1e-6)

  img <- array(rnorm(1 * 4 * 6 * 2), c(1, 4, 6, 2))
  out <- to_r(layer_adaptive_average_pooling_2d(img, output_size = c(2, 3)))
  expect_equal(dim(out), c(1, 2, 3, 2))
  expect_equal(out[1, 2, 3, 1], mean(img[1, 3:4, 5:6, 1]), tolerance = 1e-6)
  out <- to_r(layer_adaptive_max_pooling_2d(img, output_size = 2,
                                            data_format = "channels_first"))
  expect_equal(dim(out), c(1, 4, 2, 2))
  # channels_first: 4 channels, spatial 6 x 2 pooled to 2 x 2
  expect_equal(out[1, 3, 2, 1], max(img[1, 3, 4:6, 1]), tolerance = 1e-6)

  vol <- array(rnorm(1 * 4 * 4 * 4 * 1), c(1, 4, 4, 4, 1))
  expect_equal(to_r(layer_adaptive_max_pooling_3d(vol, output_size = 1))[1, 1, 1, 1, 1],
               max(vol), tolerance = 1e-6)
  expect_equal(to_r(layer_adaptive_average_pooling_3d(vol, output_size = c(2, 2, 2)))[1, 2, 1, 2, 1],
               mean(vol[1, 3:4, 1:2, 3:4, 1]), tolerance = 1e-6)
})

test_that("the layers work in a sequential model with unknown spatial sizes", {
  model <- keras_model_sequential(input_shape = c(NA, 3)) |>
    layer_zero_padding_1d(padding = 1) |>
    layer_upsampling_1d(size = 2) |>
    layer_adaptive_average_pooling_1d(output_size = 4)
  expect_equal(model$output_shape, list(NULL, 4L, 3L), ignore_attr = TRUE)
  expect_equal(dim(predict(model, x3, verbose = 0)), c(2, 4, 3))
})

test_that("bad arguments are clear errors", {
  expect_error(layer_upsampling_1d(size = 0), "size")
  expect_error(layer_zero_padding_3d(padding = c(1, 2)), "padding")
  expect_error(layer_adaptive_max_pooling_2d(output_size = c(2, 2, 2)), "output_size")
  expect_error(layer_adaptive_average_pooling_1d(output_size = 3, data_format = "nhwc"),
               "data_format")
})
