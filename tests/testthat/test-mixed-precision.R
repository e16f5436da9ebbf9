# Mixed precision from R (keras3 names): config_set_dtype_policy() /
# config_dtype_policy(), layer dtype = "mixed_float16", optimizer_loss_scale(),
# fit() and save/load under mixed_float16 and mixed_bfloat16.

with_policy <- function(policy, code) {
  config_set_dtype_policy(policy)
  on.exit(config_set_dtype_policy("float32"), add = TRUE)
  force(code)
}

test_that("config_set_dtype_policy() / config_dtype_policy() set and read the default", {
  expect_identical(config_dtype_policy()$name, "float32")
  with_policy("mixed_bfloat16", {
    p <- config_dtype_policy()
    expect_identical(p$name, "mixed_bfloat16")
    expect_identical(p$compute_dtype, "bfloat16")
    expect_identical(p$variable_dtype, "float32")
    layer <- layer_dense(units = 2)
    expect_identical(layer$dtype_policy$name, "mixed_bfloat16")
  })
  expect_identical(config_dtype_policy()$name, "float32")
  expect_null(config_set_dtype_policy("float32"))
  expect_error(config_set_dtype_policy("mixed_float17"), "mixed_float17")
  expect_error(config_set_dtype_policy(3), "policy")
})

test_that("a layer's dtype = 'mixed_float16' keeps float32 variables and computes in float16", {
  layer <- layer_dense(units = 3, dtype = "mixed_float16")
  x <- matrix(c(1, 2, 3, 4, 5, 6), 2, 3)
  y <- layer(op_convert_to_tensor(x, dtype = "float32"))
  expect_identical(layer$compute_dtype, "float16")
  expect_identical(layer$variable_dtype, "float32")
  expect_identical(layer$dtype, "float32")
  expect_identical(layer$kernel$dtype, "float32")
  expect_identical(as.character(y$dtype), "torch.float16")
  # The value is the float32 product rounded to float16 (3 significant digits).
  w <- as.array(layer$kernel$numpy())
  b <- as.array(layer$bias$numpy())
  expected <- x %*% w + matrix(b, 2, 3, byrow = TRUE)
  expect_equal(as.array(op_cast(y, "float32")), expected, tolerance = 2e-3)
  expect_error(layer_dense(units = 3, dtype = "mixed_float17"), "dtype")
})

test_that("a float32 output layer stays float32 inside a mixed model", {
  with_policy("mixed_float16", {
    inputs <- keras_input(shape = 4)
    hidden <- inputs |> layer_dense(8, activation = "relu")
    outputs <- hidden |> layer_dense(2, activation = "softmax", dtype = "float32")
    model <- keras_model(inputs, outputs)
  })
  expect_identical(hidden$dtype, "float16")
  expect_identical(outputs$dtype, "float32")
  p <- predict(model, matrix(runif(12), 3, 4), verbose = 0)
  expect_equal(rowSums(p), rep(1, 3), tolerance = 1e-6)
})

test_that("optimizer_loss_scale() scales, skips non-finite steps and halves the scale", {
  opt <- optimizer_loss_scale(optimizer_sgd(learning_rate = 0.5), initial_scale = 4,
                              dynamic_growth_steps = 2)
  expect_identical(opt$dynamic_growth_steps, 2L)
  expect_equal(as.numeric(as.array(opt$scale_loss(op_convert_to_tensor(1.5)))), 6)
  v <- keras$Variable(c(1, 2), dtype = "float32")
  torch <- reticulate::import("torch")
  # The gradient given to apply() is the scaled one: 4 * (1, 1).
  opt$apply(list(torch$tensor(c(4, 4), dtype = torch$float32)), list(v))
  expect_equal(as.vector(v$numpy()), c(0.5, 1.5))
  opt$apply(list(torch$tensor(c(Inf, 4), dtype = torch$float32)), list(v))
  expect_equal(as.vector(v$numpy()), c(0.5, 1.5))       # skipped
  expect_equal(as.numeric(opt$dynamic_scale$numpy()), 2) # halved
  expect_error(optimizer_loss_scale(optimizer_sgd(), dynamic_growth_steps = 1.5),
               "dynamic_growth_steps")
  expect_error(optimizer_loss_scale(optimizer_sgd(), clipnorm = 1), "inner_optimizer")
})

test_that("fit() works under mixed_float16 and mixed_bfloat16 and the model saves and loads", {
  set.seed(1)
  x <- matrix(rnorm(64 * 4), 64, 4)
  y <- x %*% c(1, -1, 0.5, 2)
  for (policy in c("mixed_float16", "mixed_bfloat16")) {
    with_policy(policy, {
      set_random_seed(1)
      model <- keras_model_sequential(input_shape = 4) |>
        layer_dense(16, activation = "relu") |>
        layer_dense(1, dtype = "float32")
      model |> compile(optimizer = optimizer_adam(0.01), loss = "mse")
    })
    wrapped <- identical(policy, "mixed_float16")
    expect_identical(inherits(model$optimizer, "torkeras.optimizers.loss_scale_optimizer.LossScaleOptimizer"),
                     wrapped)
    history <- model |> fit(x, y, epochs = 5, batch_size = 16, verbose = 0)
    loss <- history$metrics$loss
    expect_true(all(is.finite(loss)))
    expect_lt(loss[5], loss[1])
    path <- tempfile(fileext = ".keras")
    save_model(model, path)
    loaded <- load_model(path)
    expect_identical(loaded$layers[[1]]$dtype_policy$name, policy)
    expect_equal(predict(loaded, x, verbose = 0), predict(model, x, verbose = 0))
  }
})
