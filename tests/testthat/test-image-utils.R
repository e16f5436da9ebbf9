# image_load / image_to_array / image_from_array / image_array_save /
# image_smart_resize: values against Pillow (through reticulate) and against
# computations written out in R, PNG/JPEG round trips in a temporary folder.

test_that("image_array_save / image_load / image_to_array round-trip a PNG exactly", {
  set.seed(1)
  x <- array(sample(0:255, 7 * 9 * 3, replace = TRUE), c(7, 9, 3))
  path <- tempfile(fileext = ".png")
  on.exit(unlink(path))
  expect_identical(image_array_save(x, path, scale = FALSE), x)
  expect_true(file.exists(path))
  img <- image_load(path)
  expect_equal(img$mode, "RGB")
  back <- image_to_array(img)
  expect_equal(dim(back), c(7, 9, 3))
  expect_equal(back, x, ignore_attr = TRUE)
  first <- image_to_array(img, data_format = "channels_first")
  expect_equal(dim(first), c(3, 7, 9))
  expect_equal(first[2, , ], x[, , 2], ignore_attr = TRUE)
})

test_that("image_from_array scales to [0, 255] like the formula", {
  set.seed(2)
  x <- array(runif(4 * 5 * 3, -2, 3), c(4, 5, 3))
  img <- image_from_array(x)
  expect_equal(img$mode, "RGB")
  expect_equal(unlist(img$size), c(5, 4))
  # float32 arithmetic as in the engine, then truncation.
  want <- floor((x - min(x)) / (max(x) - min(x)) * 255 + 1e-4)
  got <- image_to_array(img)
  expect_lte(max(abs(got - want)), 1)
  expect_gte(mean(got == want), 0.95)
  # unscaled grayscale, channels first -> mode L with the truncated values.
  g <- array(c(10.7, 200.2, 3, 99.9, 0, 255), c(1, 2, 3))
  img <- image_from_array(g, data_format = "channels_first", scale = FALSE)
  expect_equal(img$mode, "L")
  expect_equal(image_to_array(img)[, , 1], matrix(c(10, 200, 3, 99, 0, 255), 2, 3),
               ignore_attr = TRUE)
})

test_that("image_load converts colour modes and resizes like Pillow", {
  PIL <- reticulate::import("PIL.Image")
  np <- reticulate::import("numpy", convert = FALSE)
  set.seed(3)
  x <- array(sample(0:255, 12 * 20 * 3, replace = TRUE), c(12, 20, 3))
  path <- tempfile(fileext = ".png")
  on.exit(unlink(path))
  image_array_save(x, path, scale = FALSE)
  gray <- image_load(path, color_mode = "grayscale")
  expect_equal(gray$mode, "L")
  want_gray <- reticulate::py_to_r(np$asarray(PIL$open(path)$convert("L")))
  expect_equal(image_to_array(gray)[, , 1], want_gray, ignore_attr = TRUE)
  expect_equal(dim(image_to_array(image_load(path, color_mode = "rgba"))), c(12, 20, 4))
  small <- image_load(path, target_size = c(5, 8), interpolation = "bilinear")
  want <- reticulate::py_to_r(np$asarray(PIL$open(path)$resize(reticulate::tuple(8L, 5L),
                                                                PIL$Resampling$BILINEAR)))
  expect_equal(image_to_array(small), want, ignore_attr = TRUE)
  # keep_aspect_ratio: nearest resize of the centred 12 x 12 crop to itself.
  crop <- image_load(path, target_size = c(12, 12), keep_aspect_ratio = TRUE)
  expect_equal(image_to_array(crop), x[, 5:16, ], ignore_attr = TRUE)
})

test_that("JPEG round trip is close, RGBA is converted with a warning", {
  x <- array(100, c(8, 8, 4))
  x[, , 4] <- 255
  path <- tempfile(fileext = ".jpg")
  on.exit(unlink(path))
  expect_warning(image_array_save(x, path, scale = FALSE, quality = 95L), "JPEG")
  back <- image_to_array(image_load(path))
  expect_equal(dim(back), c(8, 8, 3))
  expect_lte(max(abs(back - 100)), 2)
})

test_that("image_smart_resize crops the centre then resizes", {
  x <- array(as.numeric(seq_len(6 * 10)), c(6, 10, 1))
  out <- image_smart_resize(x, c(6, 6), interpolation = "nearest")
  expect_equal(dim(out), c(6, 6, 1))
  expect_equal(out, x[, 3:8, , drop = FALSE], ignore_attr = TRUE)
  # halving a 4 x 4 crop with bilinear (no antialias) averages 2 x 2 blocks.
  y <- array(as.numeric(1:16), c(4, 4, 1))
  half <- image_smart_resize(y, c(2, 2))
  expect_equal(half[, , 1], matrix(c(mean(y[1:2, 1:2, 1]), mean(y[3:4, 1:2, 1]),
                                     mean(y[1:2, 3:4, 1]), mean(y[3:4, 3:4, 1])), 2, 2),
               tolerance = 1e-5, ignore_attr = TRUE)
  batch <- image_smart_resize(array(runif(2 * 3 * 30 * 40), c(2, 3, 30, 40)), c(9, 16),
                              data_format = "channels_first")
  expect_equal(dim(batch), c(2, 3, 9, 16))
})

test_that("bad arguments give clear errors", {
  expect_error(image_load(42), "`path` must be a single file path")
  expect_error(image_load(tempfile(fileext = ".png")), "No such file|not found|does not exist")
  path <- tempfile(fileext = ".png")
  on.exit(unlink(path))
  image_array_save(array(0, c(2, 2, 3)), path)
  expect_error(image_load(path, color_mode = "cmyk"), "color_mode")
  expect_error(image_load(path, target_size = c(2, 0)), "target_size")
  expect_error(image_load(path, keep_aspect_ratio = "yes"), "keep_aspect_ratio")
  expect_error(image_from_array(array(0, c(2, 2, 2))), "1, 3 or 4 channels")
  expect_error(image_from_array(1:3), "`x` must be an array")
  expect_error(image_smart_resize(array(0, c(4, 4, 3)), 2), "`size` must be")
  expect_error(image_smart_resize(array(0, c(4, 4, 3)), c(2, 2), backend_module = "np"),
               "backend_module")
  expect_error(image_to_array(image_load(path), data_format = "nhwc"), "data_format")
})
