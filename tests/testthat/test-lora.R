# LoRA from R: layer_dense(lora_rank =), layer$enable_lora(), fitting only the
# low-rank factors; layer_batch_normalization(renorm = TRUE). Expected values
# are computed in R from the layers' own variables.

to_r <- function(x) op_convert_to_numpy(x)

test_that("layer_dense(lora_rank = 2) computes x %*% (W + (alpha / rank) * A %*% B) + b", {
  layer <- layer_dense(units = 3, lora_rank = 2, lora_alpha = 4)
  x <- matrix(rnorm(5 * 4), 5, 4)
  layer(x)
  expect_identical(vapply(layer$weights, function(w) w$name, ""),
                   c("kernel", "bias", "lora_kernel_a", "lora_kernel_b"))
  expect_identical(vapply(layer$trainable_weights, function(w) w$name, ""),
                   c("bias", "lora_kernel_a", "lora_kernel_b"))
  expect_true(all(layer$lora_kernel_b$numpy() == 0))
  a <- matrix(rnorm(4 * 2), 4, 2)
  b <- matrix(rnorm(2 * 3), 2, 3)
  layer$lora_kernel_a$assign(a)
  layer$lora_kernel_b$assign(b)
  w <- layer$`_kernel`$numpy()
  expected <- x %*% (w + 2 * a %*% b) + rep(layer$bias$numpy(), each = 5)
  expect_equal(to_r(layer(x)), expected, tolerance = 1e-5)
  config <- get_config(layer)
  expect_identical(config$lora_rank, 2L)
  expect_equal(config$lora_alpha, 4)
})

test_that("enable_lora() from R freezes the kernel, and only once", {
  layer <- layer_dense(units = 2)
  expect_error(layer$enable_lora(2), "not built")
  layer$build(shape(NA, 3))
  layer$enable_lora(2)
  expect_true(layer$lora_enabled)
  expect_identical(layer$lora_rank, 2L)
  expect_false(layer$`_kernel`$trainable)
  expect_error(layer$enable_lora(2), "already enabled")
  expect_error(layer_dense(units = 2, lora_rank = 0), "lora_rank")
})

test_that("fit() with LoRA leaves the base kernel untouched", {
  model <- keras_model_sequential(input_shape = 4) |> layer_dense(units = 2, lora_rank = 1)
  dense <- model$layers[[1]]
  kernel0 <- dense$`_kernel`$numpy()
  b0 <- dense$lora_kernel_b$numpy()
  model |> compile(optimizer = optimizer_sgd(0.1), loss = "mse")
  x <- matrix(rnorm(16 * 4), 16, 4)
  y <- matrix(rnorm(16 * 2), 16, 2)
  model |> fit(x, y, epochs = 2, batch_size = 8, verbose = 0)
  expect_identical(dense$`_kernel`$numpy(), kernel0)
  expect_false(isTRUE(all.equal(dense$lora_kernel_b$numpy(), b0)))
})

test_that("layer_batch_normalization(renorm = TRUE) applies the clipped corrections", {
  bn <- layer_batch_normalization(renorm = TRUE, epsilon = 1e-3,
                                  renorm_clipping = list(rmax = 1.5, rmin = 0.5, dmax = 0.2))
  x <- matrix(rnorm(8 * 2, mean = 3, sd = 2), 8, 2)
  out <- to_r(bn(x, training = TRUE))
  # First step: renorm mean 0 and stddev 1, so r = batch std, d = batch mean.
  mu <- colMeans(x)
  s <- sqrt(colMeans(sweep(x, 2, mu)^2) + 1e-3)
  r <- pmin(pmax(s, 0.5), 1.5)
  d <- pmin(pmax(mu, -0.2), 0.2)
  expected <- sweep(sweep(sweep(x, 2, mu), 2, s, "/"), 2, r, "*")
  expected <- sweep(expected, 2, d, "+")
  expect_equal(out, expected, tolerance = 1e-4)
  expect_equal(as.numeric(bn$renorm_mean$numpy()), 0.01 * mu, tolerance = 1e-5)
  config <- get_config(bn)
  expect_true(config$renorm)
  expect_equal(config$renorm_clipping$dmax, 0.2)
})
