# The optimizer_* and learning_rate_schedule_* wrappers (keras3 names): every
# optimizer compiles and fits a tiny model, integer arguments, configs, and
# update values against numbers computed by hand.

tiny_data <- function(n = 32) {
  set.seed(1)
  x <- matrix(rnorm(n * 3), n, 3)
  y <- x %*% c(1, -2, 0.5) + 0.3
  list(x = x, y = y)
}

tiny_model <- function() {
  keras_model_sequential(input_shape = 3) |>
    layer_dense(4, activation = "relu", name = "hidden") |>
    layer_dense(1, name = "out")
}

optimizers <- list(
  adadelta = function() optimizer_adadelta(learning_rate = 1),
  adafactor = function() optimizer_adafactor(learning_rate = 0.05),
  adagrad = function() optimizer_adagrad(learning_rate = 0.1),
  adam = function() optimizer_adam(learning_rate = 0.01),
  adam_w = function() optimizer_adam_w(learning_rate = 0.01),
  adamax = function() optimizer_adamax(learning_rate = 0.01),
  ftrl = function() optimizer_ftrl(learning_rate = 0.1),
  lamb = function() optimizer_lamb(learning_rate = 0.01),
  lion = function() optimizer_lion(learning_rate = 0.001),
  muon = function() optimizer_muon(learning_rate = 0.01, exclude_layers = "out"),
  nadam = function() optimizer_nadam(learning_rate = 0.01),
  rmsprop = function() optimizer_rmsprop(learning_rate = 0.01),
  schedule_free_adam_w = function() optimizer_schedule_free_adam_w(learning_rate = 0.01,
                                                                     warmup_steps = 2),
  sgd = function() optimizer_sgd(learning_rate = 0.01, momentum = 0.9)
)

test_that("every optimizer compiles and fits a tiny model for a few epochs", {
  d <- tiny_data()
  for (name in names(optimizers)) {
    set_random_seed(1)
    model <- tiny_model()
    optimizer <- optimizers[[name]]()
    model |> compile(optimizer = optimizer, loss = "mse")
    history <- model |> fit(d$x, d$y, epochs = 3, batch_size = 8, verbose = 0)
    loss <- history$metrics$loss
    expect_length(loss, 3L)
    expect_true(all(is.finite(loss)), info = name)
    # 4 batches per epoch, 3 epochs
    expect_identical(as.integer(op_convert_to_numpy(optimizer$iterations)), 12L, info = name)
  }
})

test_that("optimizers are found by their string names in compile()", {
  d <- tiny_data(16)
  for (name in c("adadelta", "adafactor", "adagrad", "adamax", "ftrl", "lamb", "lion",
                 "nadam", "muon", "schedulefreeadamw")) {
    model <- tiny_model()
    model |> compile(optimizer = name, loss = "mse")
    model |> fit(d$x, d$y, epochs = 1, batch_size = 8, verbose = 0)
    expect_true(model$optimizer$built, info = name)
  }
})

test_that("integer arguments are converted and checked", {
  muon <- optimizer_muon(ns_steps = 3)
  expect_identical(muon$ns_steps, 3L)
  expect_error(optimizer_muon(ns_steps = 2.5), "ns_steps")
  sf <- optimizer_schedule_free_adam_w(warmup_steps = 10)
  expect_identical(sf$warmup_steps, 10L)
  expect_error(optimizer_schedule_free_adam_w(warmup_steps = 1.5), "warmup_steps")
  acc <- optimizer_nadam(gradient_accumulation_steps = 2)
  expect_identical(acc$gradient_accumulation_steps, 2L)
})

test_that("bad arguments are errors naming the argument", {
  expect_error(optimizer_lion(beta_1 = 0), "beta_1")
  expect_error(optimizer_ftrl(l1_regularization_strength = -1), "l1_regularization_strength")
  expect_error(optimizer_ftrl(learning_rate_power = 0.5), "learning_rate_power")
  expect_error(optimizer_adagrad(clipnorm = 1, clipvalue = 1), "clipnorm")
})

test_that("configs carry Keras's keys and defaults", {
  config <- optimizer_adafactor()$get_config()
  expect_equal(config$beta_2_decay, -0.8)
  expect_equal(config$epsilon_1, 1e-30)
  expect_true(config$relative_step)
  config <- optimizer_ftrl()$get_config()
  expect_setequal(
    setdiff(names(config), names(optimizer_sgd()$get_config())),
    c("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
      "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta"))
  expect_equal(optimizer_muon()$get_config()$weight_decay, 0.004)
  expect_equal(optimizer_schedule_free_adam_w()$get_config()$learning_rate, 0.0025)
})

# One step on w = c(1, 2) with gradient g = c(0.5, -1), against the formulas.
one_step <- function(optimizer) {
  w <- keras$Variable(op_convert_to_tensor(c(1, 2), dtype = "float32"))
  optimizer$apply(list(op_convert_to_tensor(c(0.5, -1), dtype = "float32")), list(w))
  as.numeric(op_convert_to_numpy(w))
}

test_that("one update step equals the formula computed in R", {
  g <- c(0.5, -1)
  w <- c(1, 2)
  # Adagrad: acc = 0.1 + g^2; w - lr * g / sqrt(acc + eps)
  expect_equal(one_step(optimizer_adagrad(learning_rate = 0.1)),
               w - 0.1 * g / sqrt(0.1 + g^2 + 1e-7), tolerance = 1e-6)
  # Adamax: m = 0.1 g, u = |g|; w - lr * m / ((u + eps) * (1 - 0.9))
  expect_equal(one_step(optimizer_adamax(learning_rate = 0.1)),
               w - 0.1 * (0.1 * g) / ((abs(g) + 1e-7) * 0.1), tolerance = 1e-6)
  # Lion: w - lr * sign(0.1 g)
  expect_equal(one_step(optimizer_lion(learning_rate = 0.1)), w - 0.1 * sign(g),
               tolerance = 1e-6)
  # Adadelta: acc_g = 0.05 g^2; delta = -sqrt(eps) g / sqrt(acc_g + eps)
  delta <- -sqrt(1e-7) * g / sqrt(0.05 * g^2 + 1e-7)
  expect_equal(one_step(optimizer_adadelta(learning_rate = 1)), w + delta, tolerance = 1e-5)
  # Lamb: u = m_hat / (sqrt(v_hat) + eps) = g / (|g| + eps); ratio = |w| / |u|
  u <- g / (abs(g) + 1e-7)
  ratio <- sqrt(sum(w^2)) / sqrt(sum(u^2))
  expect_equal(one_step(optimizer_lamb(learning_rate = 0.1)), w - ratio * 0.1 * u,
               tolerance = 1e-6)
})

test_that("learning-rate schedules give the known values and plug into optimizers", {
  s <- learning_rate_schedule_cosine_decay(0.1, decay_steps = 10L, alpha = 0.1)
  expect_equal(as.numeric(op_convert_to_numpy(s(5))),
               0.1 * ((1 - 0.1) * 0.5 * (1 + cos(pi * 0.5)) + 0.1), tolerance = 1e-6)
  p <- learning_rate_schedule_polynomial_decay(1, decay_steps = 4L, end_learning_rate = 0)
  expect_equal(as.numeric(op_convert_to_numpy(p(1))), 0.75, tolerance = 1e-7)
  opt <- optimizer_nadam(learning_rate = learning_rate_schedule_exponential_decay(
    0.1, decay_steps = 2L, decay_rate = 0.5))
  d <- tiny_data(16)
  model <- tiny_model()
  model |> compile(optimizer = opt, loss = "mse")
  model |> fit(d$x, d$y, epochs = 1, batch_size = 8, verbose = 0)
  expect_equal(opt$learning_rate, 0.1 * 0.5^(2 / 2), tolerance = 1e-6)
})
