# The generated wrappers of the normalization / regularization layers:
# layer_group_normalization(), layer_unit_normalization() (1-based axis),
# layer_rms_normalization(), layer_spectral_normalization(),
# layer_alpha_dropout(); values against base R.

to_r <- function(x) op_convert_to_numpy(x)

test_that("the normalization layers have their keras3 names", {
  for (name in c("layer_group_normalization", "layer_unit_normalization",
                 "layer_rms_normalization", "layer_spectral_normalization",
                 "layer_alpha_dropout")) {
    expect_true(exists(name, mode = "function"), info = name)
  }
})

test_that("layer_unit_normalization: unit L2 norm along a 1-based axis", {
  x <- array(seq(-3, 4, length.out = 24), c(2, 3, 4))
  y <- to_r(layer_unit_normalization(axis = 3)(x))  # the last axis
  expect_equal(y, sweep(x, c(1, 2), sqrt(apply(x^2, c(1, 2), sum)), "/"), tolerance = 1e-6)
  y2 <- to_r(layer_unit_normalization(axis = 2)(x))  # the time axis
  expect_equal(y2, sweep(x, c(1, 3), sqrt(apply(x^2, c(1, 3), sum)), "/"), tolerance = 1e-6)
  expect_equal(layer_unit_normalization(axis = 2)$get_config()$axis, 1L)
  both <- layer_unit_normalization(axis = c(2, 3))
  expect_equal(unlist(both$get_config()$axis), c(1L, 2L))
  expect_error(layer_unit_normalization(axis = 0), "axis")
})

test_that("layer_rms_normalization: x / sqrt(mean(x^2) + eps) * scale", {
  x <- array(seq(-1, 2, length.out = 12), c(3, 4))
  layer <- layer_rms_normalization(epsilon = 1e-6)
  y <- to_r(layer(x))
  expect_equal(y, x / sqrt(rowMeans(x^2) + 1e-6), tolerance = 1e-6)
  expect_equal(dim(get_weights(layer)[[1]]), 4)
  set_weights(layer, list(c(1, 2, 3, 4)))
  expect_equal(to_r(layer(x)), sweep(x / sqrt(rowMeans(x^2) + 1e-6), 2, 1:4, "*"),
               tolerance = 1e-6)
  expect_equal(layer_rms_normalization(axis = 2)$get_config()$axis, 1L)
})

test_that("layer_group_normalization: groups over the channels, 1-based axis", {
  x <- array(seq(-2, 5, length.out = 2 * 3 * 4)^2, c(2, 3, 4))
  layer <- layer_group_normalization(groups = 2, epsilon = 1e-3)
  y <- to_r(layer(x))
  ref <- x
  for (b in 1:2) for (g in 1:2) {
    ch <- if (g == 1) 1:2 else 3:4
    v <- x[b, , ch]
    m <- mean(v)
    s2 <- mean((v - m)^2)
    ref[b, , ch] <- (v - m) / sqrt(s2 + 1e-3)
  }
  expect_equal(y, ref, tolerance = 1e-5)
  expect_equal(length(get_weights(layer)), 2)
  # axis = 2 is the time axis (Python axis 1): one group per time step.
  inst <- layer_group_normalization(groups = -1, axis = 2)
  y2 <- to_r(inst(x))
  ref2 <- x
  for (b in 1:2) for (t in 1:3) {
    v <- x[b, t, ]
    ref2[b, t, ] <- (v - mean(v)) / sqrt(mean((v - mean(v))^2) + 1e-3)
  }
  expect_equal(y2, ref2, tolerance = 1e-5)
  expect_equal(inst$get_config()$axis, 1L)
  expect_error(layer_group_normalization(groups = 1.5), "groups")
  expect_error(layer_group_normalization(groups = 3)(x), "groups")
})

test_that("layer_spectral_normalization: kernel over its largest singular value", {
  set.seed(1)
  dense <- layer_dense(units = 3, use_bias = FALSE)
  sn <- layer_spectral_normalization(layer = dense, power_iterations = 30)
  x <- matrix(rnorm(8), 2, 4)
  sn(x)
  w <- get_weights(dense)[[1]]
  sn(x, training = TRUE)
  w_new <- to_r(sn$kernel)
  expect_equal(w_new, w / svd(w)$d[1], tolerance = 1e-4)
  # inference leaves the kernel alone
  sn(x, training = FALSE)
  expect_equal(to_r(sn$kernel), w_new)
  expect_equal(sn$get_config()$power_iterations, 30L)
  expect_error(layer_spectral_normalization(layer = layer_dense(units = 2),
                                            power_iterations = 0), "power_iterations")
  model <- keras_model_sequential(input_shape = 4) |>
    layer_spectral_normalization(layer = layer_dense(units = 2))
  expect_equal(dim(predict(model, x, verbose = 0)), c(2, 2))
})

test_that("layer_alpha_dropout: identity at inference, two values per input in training", {
  x <- matrix(rnorm(2000), 100, 20)
  layer <- layer_alpha_dropout(rate = 0.2, seed = 3)
  expect_equal(to_r(layer(x)), x, tolerance = 1e-7)
  y <- to_r(layer(x, training = TRUE))
  alpha_p <- -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
  a <- ((1 - 0.2) * (1 + 0.2 * alpha_p^2))^-0.5
  b <- -a * alpha_p * 0.2
  kept <- abs(y - (a * x + b)) < 1e-5
  dropped <- abs(y - (a * alpha_p + b)) < 1e-5
  expect_true(all(kept | dropped))
  expect_lt(abs(mean(dropped) - 0.2), 0.05)
  expect_equal(unlist(layer_alpha_dropout(rate = 0.1, noise_shape = c(NA, 1, 4))$
                        get_config()$noise_shape), c(1L, 4L))
  expect_error(layer_alpha_dropout(rate = 2), "rate")
})
