# initializer_*, regularizer_*, constraint_*, random_beta/gamma and config_*
# (keras3 names): the wrappers exist, axes are 1-based, values against numbers
# computed in R.

as_r <- function(x) as.array(x)

test_that("every keras3 initializer, regularizer and constraint name exists", {
  for (name in c("initializer_constant", "initializer_glorot_normal",
                 "initializer_glorot_uniform", "initializer_he_normal",
                 "initializer_he_uniform", "initializer_identity",
                 "initializer_lecun_normal", "initializer_lecun_uniform",
                 "initializer_ones", "initializer_orthogonal", "initializer_random_normal",
                 "initializer_random_uniform", "initializer_stft",
                 "initializer_truncated_normal", "initializer_variance_scaling",
                 "initializer_zeros", "regularizer_l1", "regularizer_l2",
                 "regularizer_l1_l2", "regularizer_orthogonal", "constraint_maxnorm",
                 "constraint_minmaxnorm", "constraint_nonneg", "constraint_unitnorm",
                 "random_beta", "random_gamma", "config_enable_interactive_logging",
                 "config_max_epochs", "config_set_backend"))
    expect_true(exists(name, envir = asNamespace("torkeras")), info = name)
})

test_that("deterministic initializers give the values R computes", {
  expect_equal(as_r(initializer_identity(gain = 2)(shape = c(2, 3))),
               2 * diag(1, 2, 3), tolerance = 1e-7)
  expect_equal(as_r(initializer_constant(1.5)(shape = c(2, 2))), matrix(1.5, 2, 2))
  expect_equal(as_r(initializer_zeros()(shape = 3)), array(0, 3))
  # STFT real kernel without window: cos(-2 pi t f / fft_length).
  k <- as_r(initializer_stft("real", window = NULL, scaling = NULL)(shape = c(4, 1, 3)))
  t <- 0:3; f <- 0:2
  expect_equal(k[, 1, ], outer(t, f, function(t, f) cos(-2 * pi * t * f / 4)),
               tolerance = 1e-6)
})

test_that("seeded initializers repeat; orthogonal is orthogonal", {
  init <- initializer_glorot_uniform(seed = 4)
  a <- as_r(init(shape = c(30, 20)))
  expect_equal(a, as_r(init(shape = c(30, 20))))
  limit <- sqrt(6 / 50)
  expect_true(all(abs(a) <= limit))
  q <- as_r(initializer_orthogonal(seed = 1)(shape = c(5, 3)))
  expect_equal(crossprod(q), diag(3), tolerance = 1e-5)
})

test_that("variance-scaling fan axes are 1-based in R", {
  init <- initializer_variance_scaling(scale = 1, mode = "fan_in", distribution = "uniform",
                                       seed = 1, input_axes = 2, output_axes = c(1, 3))
  config <- init$get_config()
  expect_equal(unlist(config$input_axes), 1L)
  expect_equal(unlist(config$output_axes), c(0L, 2L))
  x <- as_r(init(shape = c(2, 50, 3)))
  expect_true(all(abs(x) <= sqrt(3 / 50)))
  expect_error(initializer_he_normal(input_axes = 0, output_axes = 1), "1-based")
})

test_that("regularizers compute their penalties", {
  w <- matrix(c(1, -2, 3, 0.5, -1, 2), 2, 3)
  expect_equal(as.numeric(as_r(regularizer_l1(0.1)(w))), 0.1 * sum(abs(w)), tolerance = 1e-6)
  expect_equal(as.numeric(as_r(regularizer_l2(0.2)(w))), 0.2 * sum(w^2), tolerance = 1e-6)
  expect_equal(as.numeric(as_r(regularizer_l1_l2(l1 = 0.1, l2 = 0.2)(w))),
               0.1 * sum(abs(w)) + 0.2 * sum(w^2), tolerance = 1e-6)
  # Orthogonal: mean |cosine| of the row pairs, times factor / 2.
  rows <- w / sqrt(rowSums(w^2))
  gram <- rows %*% t(rows)
  expected <- 0.5 * 0.5 * sum(abs(gram[upper.tri(gram)]) * 2) / 1
  expect_equal(as.numeric(as_r(regularizer_orthogonal(factor = 0.5)(w))), expected,
               tolerance = 1e-6)
  expect_error(regularizer_l1(-1), "non-negative")
})

test_that("constraints use 1-based axes", {
  w <- matrix(c(3, 4, 0.3, 0.4), 2, 2)
  # axis = 1: the norms of the columns (over the rows).
  out <- as_r(constraint_maxnorm(max_value = 1, axis = 1)(w))
  expect_equal(out[, 1], c(3, 4) / 5, tolerance = 1e-6)
  expect_equal(out[, 2], c(0.3, 0.4), tolerance = 1e-6)
  out <- as_r(constraint_unitnorm(axis = 2)(w))
  expect_equal(out[1, ], c(3, 0.3) / sqrt(9.09), tolerance = 1e-6)
  expect_equal(as_r(constraint_nonneg()(matrix(c(-1, 2), 1))), matrix(c(0, 2), 1))
  out <- as_r(constraint_minmaxnorm(min_value = 1, max_value = 2, axis = 1)(w))
  expect_equal(sqrt(colSums(out^2)), c(2, 1), tolerance = 1e-6)
})

test_that("initializers, regularizers and constraints work in layers", {
  layer <- layer_dense(units = 3, kernel_initializer = initializer_orthogonal(seed = 2),
                       kernel_regularizer = regularizer_orthogonal(0.1),
                       kernel_constraint = constraint_unitnorm())
  config <- layer$get_config()
  expect_equal(config$kernel_initializer$class_name, "Orthogonal")
  expect_equal(config$kernel_regularizer$class_name, "OrthogonalRegularizer")
  expect_equal(config$kernel_constraint$class_name, "UnitNorm")
  expect_null(config$quantization_config)
  # An uncalled wrapper stands for the class with its defaults.
  layer <- layer_dense(units = 2, kernel_initializer = initializer_he_normal)
  expect_equal(layer$get_config()$kernel_initializer$class_name, "HeNormal")
})

test_that("random_gamma and random_beta: seeded, in range, right moments", {
  g <- as_r(random_gamma(shape = 20000, alpha = 3, seed = 1))
  expect_equal(g, as_r(random_gamma(shape = 20000, alpha = 3, seed = 1)))
  expect_equal(mean(g), 3, tolerance = 0.05)
  expect_equal(var(g), 3, tolerance = 0.1)
  b <- as_r(random_beta(shape = c(100, 200), alpha = 2, beta = 3, seed = 2))
  expect_equal(dim(b), c(100, 200))
  expect_true(all(b >= 0 & b <= 1))
  expect_equal(mean(b), 0.4, tolerance = 0.02)
})

test_that("config switches", {
  on.exit({
    config_enable_interactive_logging()
    config_enable_traceback_filtering()
    config_enable_flash_attention()
    config_set_max_epochs(NULL)
    config_set_max_steps_per_epoch(NULL)
  })
  expect_equal(config_backend(), "torch")
  expect_null(config_set_backend("torch"))
  expect_error(config_set_backend("jax"), "torch")
  expect_equal(config_floatx(), "float32")
  expect_equal(config_epsilon(), 1e-7)
  expect_equal(config_image_data_format(), "channels_last")
  expect_true(config_is_interactive_logging_enabled())
  config_disable_interactive_logging()
  expect_false(config_is_interactive_logging_enabled())
  config_enable_interactive_logging()
  expect_true(config_is_traceback_filtering_enabled())
  config_disable_traceback_filtering()
  expect_false(config_is_traceback_filtering_enabled())
  expect_null(config_is_flash_attention_enabled())
  config_disable_flash_attention()
  expect_false(config_is_flash_attention_enabled())

  config_set_max_epochs(2)
  expect_equal(config_max_epochs(), 2L)
  config_set_max_steps_per_epoch(1)
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(optimizer = "sgd", loss = "mse")
  x <- matrix(1, 40, 3)
  y <- matrix(1, 40, 1)
  history <- suppressWarnings(model |> fit(x, y, epochs = 5, batch_size = 10, verbose = 0))
  expect_length(history$metrics$loss, 2)
  expect_equal(dim(suppressWarnings(predict(model, x, batch_size = 10, verbose = 0))),
               c(10, 1))
  expect_error(config_set_max_epochs(2.5), "positive\\s+integer")
})
