# The generated op_image_* wrappers (keras.ops.image): names, R arrays in,
# shapes and values against base R.

to_r <- function(x) op_convert_to_numpy(x)

img <- array(seq_len(4 * 5 * 3) / 60, dim = c(4, 5, 3))  # one 4x5 RGB image

test_that("every keras.ops.image function has its keras3 name", {
  for (name in c("op_image_affine_transform", "op_image_crop", "op_image_elastic_transform",
                 "op_image_extract_patches", "op_image_extract_patches_3d",
                 "op_image_gaussian_blur", "op_image_hsv_to_rgb", "op_image_map_coordinates",
                 "op_image_pad", "op_image_perspective_transform", "op_image_resize",
                 "op_image_rgb_to_grayscale", "op_image_rgb_to_hsv",
                 "op_image_scale_and_translate", "op_image_sobel_edges", "op_image_ssim")) {
    expect_true(exists(name, mode = "function"), info = name)
  }
})

test_that("op_image_rgb_to_grayscale weighs the channels", {
  gray <- to_r(op_image_rgb_to_grayscale(img))
  expect_equal(dim(gray), c(4L, 5L, 1L))
  expected <- 0.2989 * img[, , 1] + 0.587 * img[, , 2] + 0.114 * img[, , 3]
  expect_equal(gray[, , 1], expected, tolerance = 1e-6)
})

test_that("op_image_rgb_to_hsv and op_image_hsv_to_rgb invert each other", {
  hsv <- op_image_rgb_to_hsv(img)
  expect_equal(to_r(op_image_hsv_to_rgb(hsv)), img, tolerance = 1e-6, ignore_attr = TRUE)
  red <- to_r(op_image_rgb_to_hsv(array(c(1, 0, 0), dim = c(1, 1, 3))))
  expect_equal(as.vector(red), c(0, 1, 1))
})

test_that("op_image_resize takes an integer size and keeps nearest pixels", {
  small <- array(c(1, 2, 3, 4), dim = c(2, 2, 1))
  big <- to_r(op_image_resize(small, size = c(4, 4), interpolation = "nearest"))
  expect_equal(dim(big), c(4L, 4L, 1L))
  expect_equal(big[, , 1], kronecker(small[, , 1], matrix(1, 2, 2)))
  batch <- array(runif(2 * 6 * 8 * 3), dim = c(2, 6, 8, 3))
  expect_equal(dim(to_r(op_image_resize(batch, c(3, 4), antialias = TRUE))), c(2L, 3L, 4L, 3L))
  expect_equal(dim(to_r(op_image_resize(batch, c(3, 3), crop_to_aspect_ratio = TRUE))),
               c(2L, 3L, 3L, 3L))
  expect_error(op_image_resize(batch, c(3.5, 4)), "size")
})

test_that("op_image_crop and op_image_pad count pixels", {
  cropped <- to_r(op_image_crop(img, top_cropping = 1, left_cropping = 2,
                                target_height = 2, target_width = 3))
  expect_equal(cropped, img[2:3, 3:5, , drop = FALSE], ignore_attr = TRUE, tolerance = 1e-7)
  padded <- to_r(op_image_pad(img, 1, 2, target_height = 6, target_width = 9))
  expect_equal(dim(padded), c(6L, 9L, 3L))
  expect_equal(padded[2:5, 3:7, ], img, ignore_attr = TRUE, tolerance = 1e-7)
  expect_equal(sum(abs(padded)), sum(img), tolerance = 1e-5)
  expect_error(op_image_crop(img, 1.5, 0, 1, 1), "whole number|integer")
  expect_error(op_image_pad(img, 1, 1), "exactly two")
})

test_that("op_image_extract_patches flattens patches row by row", {
  x <- array(seq_len(16), dim = c(4, 4, 1))
  patches <- to_r(op_image_extract_patches(x, size = 2))
  expect_equal(dim(patches), c(2L, 2L, 4L))
  expect_equal(patches[2, 1, ], c(x[3, 1, 1], x[3, 2, 1], x[4, 1, 1], x[4, 2, 1]))
  same <- to_r(op_image_extract_patches(x, size = c(3, 3), strides = 2, padding = "same"))
  expect_equal(dim(same), c(2L, 2L, 9L))
  vol <- array(runif(4 * 4 * 4 * 2), dim = c(4, 4, 4, 2))
  expect_equal(dim(to_r(op_image_extract_patches_3d(vol, size = 2))), c(2L, 2L, 2L, 16L))
  expect_equal(dim(to_r(op_image_extract_patches(vol, size = c(2, 2, 2)))),
               c(2L, 2L, 2L, 16L))
})

test_that("op_image_map_coordinates samples at 0-based pixel positions", {
  m <- matrix(c(1, 2, 3, 4, 5, 6), 2, byrow = TRUE)
  coords <- rbind(c(0, 1, 0.5), c(2, 0, 1))  # (row, column) pairs as columns
  out <- to_r(op_image_map_coordinates(m, coords, order = 1))
  expect_equal(as.vector(out), c(m[1, 3], m[2, 1], mean(c(m[1, 2], m[2, 2]))),
               tolerance = 1e-6)
  wrap <- to_r(op_image_map_coordinates(m, rbind(c(2, -1), c(3, 0)), order = 0,
                                        fill_mode = "wrap"))
  expect_equal(as.vector(wrap), c(m[1, 1], m[2, 1]))
})

test_that("identity transforms return the image", {
  identity <- c(1, 0, 0, 0, 1, 0, 0, 0)
  expect_equal(to_r(op_image_affine_transform(img, identity)), img, tolerance = 1e-6,
               ignore_attr = TRUE)
  corners <- rbind(c(0, 0), c(4, 0), c(0, 3), c(4, 3))
  expect_equal(to_r(op_image_perspective_transform(img, corners, corners)), img,
               tolerance = 1e-5, ignore_attr = TRUE)
  shifted <- to_r(op_image_affine_transform(img, c(1, 0, 1, 0, 1, 0, 0, 0),
                                            interpolation = "nearest"))
  expect_equal(shifted[, 1:4, ], img[, 2:5, ], tolerance = 1e-6, ignore_attr = TRUE)
  same <- to_r(op_image_scale_and_translate(img, c(4, 5, 3), c(1, 1), c(0, 0),
                                            spatial_dims = c(1, 2), method = "linear"))
  expect_equal(same, img, tolerance = 1e-6, ignore_attr = TRUE)
  half <- op_image_scale_and_translate(img, c(4, 3, 3), 0.5, 0, spatial_dims = 2,
                                       method = "linear")
  expect_equal(dim(to_r(half)), c(4L, 3L, 3L))
})

test_that("filters: gaussian blur, sobel, ssim, elastic", {
  flat <- array(0.5, dim = c(1, 7, 7, 1))
  blurred <- to_r(op_image_gaussian_blur(flat, kernel_size = c(3, 3), sigma = c(1, 1)))
  expect_equal(blurred[1, 2:6, 2:6, 1], matrix(0.5, 5, 5), tolerance = 1e-6)
  ramp <- array(rep(c(0, 1, 2, 3, 4), each = 5), dim = c(1, 5, 5, 1))  # value = column index
  edges <- to_r(op_image_sobel_edges(ramp))
  expect_equal(dim(edges), c(1L, 5L, 5L, 1L, 2L))
  expect_equal(edges[1, 3, 3, 1, ], c(0, 8))
  batch <- array(runif(2 * 12 * 12 * 3), dim = c(2, 12, 12, 3))
  expect_equal(as.vector(to_r(op_image_ssim(batch, batch))), c(1, 1), tolerance = 1e-6)
  a <- to_r(op_image_elastic_transform(batch, alpha = 3, sigma = 1, seed = 4))
  b <- to_r(op_image_elastic_transform(batch, alpha = 3, sigma = 1, seed = 4))
  expect_equal(a, b)
  expect_equal(dim(a), dim(batch))
})
