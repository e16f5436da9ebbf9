test_that("quantize_weights() quantizes Dense layers to int8 as keras3 does", {
  set.seed(1)
  model <- keras_model_sequential(input_shape = 4) |>
    layer_dense(3, name = "d1") |> layer_dense(2, name = "d2")
  k <- matrix(rnorm(12), 4, 3)
  b <- c(0.5, -0.25, 0.125)
  k2 <- matrix(rnorm(6), 3, 2)
  set_weights(model, list(k, b, k2, c(0, 0)))
  x <- matrix(rnorm(20), 5, 4)
  y_float <- predict(model, x, verbose = 0)

  expect_invisible(res <- quantize_weights(model, "int8"))
  expect_identical(res, model)
  d1 <- get_layer(model, "d1")
  expect_identical(d1$dtype_policy$name, "int8_from_float32")
  expect_identical(d1$kernel$dtype, "int8")
  expect_identical(vapply(d1$weights, function(w) w$name, ""),
                   c("bias", "kernel", "kernel_scale"))
  expect_identical(vapply(d1$trainable_weights, function(w) w$name, ""), "bias")

  # the int8 kernel and scale, computed independently in R
  scale <- 127 / (apply(abs(k), 2, max) + 1e-7)
  qk <- pmin(pmax(round(sweep(k, 2, scale, "*")), -127), 127)
  w <- get_weights(d1)
  expect_equal(as.numeric(w[[2]]), as.numeric(qk))
  expect_equal(as.numeric(w[[3]]), scale, tolerance = 1e-6)

  # the first layer's int8 call path: inputs quantized per row
  xs <- 127 / (apply(abs(x), 1, max) + 1e-7)
  qx <- pmin(pmax(round(x * xs), -127), 127)
  h <- (qx %*% qk) / outer(xs, scale) + rep(b, each = 5)
  sub <- keras_model(model$inputs, d1$output)
  expect_equal(predict(sub, x, verbose = 0), h, tolerance = 1e-5)
  expect_equal(predict(model, x, verbose = 0), y_float, tolerance = 0.05)

  # saved and loaded, the quantized model predicts the same
  path <- tempfile(fileext = ".keras")
  save_model(model, path)
  loaded <- load_model(path)
  expect_identical(get_layer(loaded, "d2")$dtype_policy$name, "int8_from_float32")
  expect_equal(predict(loaded, x, verbose = 0), predict(model, x, verbose = 0))
})

test_that("quantize_weights() errors name the problem", {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(2)
  expect_error(quantize_weights(model, "int4"), "'int4' is not implemented.*only 'int8'")
  expect_error(quantize_weights(model, "int3"), "Invalid quantization mode")
  expect_error(quantize_weights(model), "`mode` must be a single string")
  expect_error(quantize_weights(1, "int8"), "`object` must be a model")
  quantize_weights(model, "int8")
  expect_error(quantize_weights(model$layers[[1]], "int8"), "already quantized")
  expect_error(quantize_weights(layer_dense(units = 2), "int8"), "is not built yet")
})

test_that("quantize_weights() filters select layers; Embedding gets a per-row scale", {
  inp <- keras_input(shape = 3, dtype = "int32")
  out <- inp |> layer_embedding(5, 4, name = "emb") |> layer_dense(2, name = "head")
  model <- keras_model(inp, out)
  quantize_weights(model, "int8", filters = "emb")
  expect_identical(get_layer(model, "emb")$dtype_policy$name, "int8_from_float32")
  expect_identical(get_layer(model, "head")$dtype_policy$name, "float32")
  emb <- get_layer(model, "emb")
  w <- get_weights(emb)
  expect_identical(dim(w[[2]]), 5L)
  ids <- matrix(c(0L, 4L, 2L), 1, 3)
  rows <- sweep(w[[1]][ids + 1, , drop = FALSE], 1, w[[2]][ids + 1], "/")
  got <- as.array(emb(ids))
  expect_equal(got[1, , ], rows, tolerance = 1e-6)
  quantize_weights(model, "int8", filters = function(layer) layer$name == "head")
  expect_identical(get_layer(model, "head")$dtype_policy$name, "int8_from_float32")
})
