# layer_rescaling, layer_resizing, layer_center_crop from R: on R arrays
# (eager), inside models, save/load; values against base R computations.

to_r <- function(x) op_convert_to_numpy(x)

set.seed(2)
img <- array(runif(2 * 7 * 9 * 3, 0, 255), c(2, 7, 9, 3))

test_that("layer_rescaling scales and shifts R arrays, integers included", {
  out <- to_r(layer_rescaling(img, scale = 1 / 255, offset = -0.5))
  expect_equal(dim(out), dim(img))
  expect_equal(out, img / 255 - 0.5, tolerance = 1e-6)
  ints <- array(c(0L, 51L, 255L), c(1, 3))
  expect_equal(to_r(layer_rescaling(ints, scale = 1 / 255)), array(c(0, 0.2, 1), c(1, 3)),
               tolerance = 1e-6)
  per_channel <- to_r(layer_rescaling(img, scale = c(1, 0.5, 0.25)))
  expect_equal(per_channel[, , , 3], img[, , , 3] * 0.25, tolerance = 1e-6)
  expect_equal(to_r(layer_rescaling(img[1, , , ], scale = 2)), img[1, , , ] * 2,
               tolerance = 1e-6)
})

test_that("layer_center_crop takes the centre, and resizes when the input is smaller", {
  out <- to_r(layer_center_crop(img, height = 3, width = 4))
  expect_equal(dim(out), c(2, 3, 4, 3))
  expect_equal(out, img[, 3:5, 3:6, , drop = FALSE], tolerance = 1e-6)
  one <- to_r(layer_center_crop(img[1, , , ], height = 2, width = 3))
  expect_equal(one, img[1, 3:4, 4:6, ], tolerance = 1e-6)
  cf <- aperm(img, c(1, 4, 2, 3))
  out <- to_r(layer_center_crop(cf, height = 5, width = 5, data_format = "channels_first"))
  expect_equal(out, cf[, , 2:6, 3:7, drop = FALSE], tolerance = 1e-6)
  # Larger than the input: the centred window of the target aspect ratio,
  # resized: equal to layer_resizing with crop_to_aspect_ratio.
  big <- to_r(layer_center_crop(img, height = 10, width = 4))
  expect_equal(big, to_r(layer_resizing(img, 10, 4, crop_to_aspect_ratio = TRUE)),
               tolerance = 1e-6)
})

test_that("layer_resizing interpolates as block means and repeats", {
  x <- array(0, c(1, 4, 4, 1))
  x[1, , , 1] <- matrix(0:15, 4, 4, byrow = TRUE)
  out <- to_r(layer_resizing(x, height = 2, width = 2))
  expect_equal(out[1, , , 1], matrix(c(2.5, 4.5, 10.5, 12.5), 2, 2, byrow = TRUE),
               tolerance = 1e-6)
  up <- to_r(layer_resizing(x, 8, 8, interpolation = "nearest"))
  expect_equal(up[1, , , 1], x[1, rep(1:4, each = 2), rep(1:4, each = 2), 1])
  padded <- to_r(layer_resizing(img, height = 9, width = 9, pad_to_aspect_ratio = TRUE,
                                fill_value = -1))
  expect_equal(dim(padded), c(2, 9, 9, 3))
  expect_equal(padded[, 1, , ], array(-1, c(2, 9, 3)))
  expect_equal(dim(to_r(layer_resizing(img[1, , , ], 3, 8))), c(3, 8, 3))
})

test_that("the layers work in a model and survive save/load", {
  inputs <- keras_input(shape = c(NA, NA, 3))
  outputs <- inputs |>
    layer_rescaling(scale = 1 / 255) |>
    layer_resizing(height = 6, width = 8, interpolation = "bicubic", antialias = TRUE) |>
    layer_center_crop(height = 4, width = 4)
  expect_equal(op_shape(outputs), shape(NA, 4, 4, 3))
  model <- keras_model(inputs, outputs)
  pred <- predict(model, img, verbose = 0)
  expect_equal(dim(pred), c(2, 4, 4, 3))
  step <- to_r(layer_resizing(img / 255, 6, 8, interpolation = "bicubic", antialias = TRUE))
  expect_equal(pred, step[, 2:5, 3:6, , drop = FALSE], tolerance = 1e-5)
  path <- tempfile(fileext = ".keras")
  save_model(model, path)
  reloaded <- load_model(path)
  expect_equal(predict(reloaded, img, verbose = 0), pred, tolerance = 1e-6)
  config <- get_config(model$layers[[3]])
  expect_identical(config$height, 6L)
  expect_identical(config$interpolation, "bicubic")
})

test_that("bad arguments give clear errors", {
  expect_error(layer_resizing(height = 2.5, width = 3), "height")
  expect_error(layer_resizing(height = 0, width = 3), "`height` must be a positive")
  expect_error(layer_resizing(height = 3, width = 3, interpolation = "lanczos3"),
               "lanczos3.*not")
  expect_error(layer_center_crop(height = 3, width = 3, data_format = "nhwc"), "data_format")
  expect_error(layer_center_crop(array(0, c(4, 4)), height = 2, width = 2),
               "rank 3")
})
