# Masks from R: layer_embedding(mask_zero = TRUE) and layer_masking() feed masks
# to the following layers, as in keras3.

to_r <- function(x) op_convert_to_numpy(x)

test_that("global average pooling after a mask_zero embedding averages the kept tokens", {
  tokens <- rbind(c(1, 2, 3, 0, 0),
                  c(4, 5, 0, 0, 0),
                  c(6, 1, 2, 7, 3))
  model <- keras_model_sequential(input_shape = c(5)) |>
    layer_embedding(input_dim = 8, output_dim = 3, mask_zero = TRUE) |>
    layer_global_average_pooling_1d()
  table <- get_weights(model)[[1]]          # row i + 1 is token i
  expected <- t(apply(tokens, 1, function(row) {
    kept <- row[row != 0]
    colMeans(table[kept + 1, , drop = FALSE])
  }))
  got <- predict(model, tokens, verbose = 0)
  expect_equal(got, expected, tolerance = 1e-6)
  # Averaging over all five steps (padding included) would give other values.
  all_steps <- t(apply(tokens, 1, function(row) colMeans(table[row + 1, , drop = FALSE])))
  expect_false(isTRUE(all.equal(got[1:2, ], all_steps[1:2, ], tolerance = 1e-6)))
})

test_that("layer_masking() masks all-equal timesteps and zeroes them", {
  x <- array(0, dim = c(2, 3, 2))
  x[1, 1, ] <- c(1, 2); x[1, 3, ] <- c(3, 4)
  x[2, , ] <- -1; x[2, 2, ] <- c(5, -1)
  out <- layer_masking()(x)
  expect_identical(to_r(out$`_keras_mask`), rbind(c(TRUE, FALSE, TRUE), c(TRUE, TRUE, TRUE)))
  m <- layer_masking(mask_value = -1)
  out <- m(x)
  expect_identical(to_r(out$`_keras_mask`), rbind(c(TRUE, TRUE, TRUE), c(FALSE, TRUE, FALSE)))
  expected <- x
  expected[2, c(1, 3), ] <- 0
  expect_equal(to_r(out), expected)
  expect_equal(get_config(m)$mask_value, -1)

  inputs <- keras_input(shape = c(3, 2))
  pooled <- inputs |> layer_masking() |> layer_global_average_pooling_1d()
  model <- keras_model(inputs, pooled)
  got <- predict(model, x[1, , , drop = FALSE], verbose = 0)
  expect_equal(as.vector(got), c(2, 3))
  expect_error(layer_masking(mask_value = "zero"), "mask_value")
})
