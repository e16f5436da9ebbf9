# The generated activation_* wrappers: every keras.activations function,
# values against base R, 1-based axes, use by name in layers.

to_r <- function(x) op_convert_to_numpy(x)
vec <- function(x) as.vector(op_convert_to_numpy(x))  # 1-d arrays as plain vectors

x <- c(-3, -1, -0.25, 0, 0.5, 1, 2.5)

test_that("every keras.activations function has its keras3 name", {
  for (name in c("celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid",
                 "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
                 "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu",
                 "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus",
                 "sparse_sigmoid", "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink",
                 "threshold")) {
    expect_true(exists(paste0("activation_", name), mode = "function"), info = name)
  }
})

test_that("the new activations equal their base R formulas", {
  expect_equal(vec(activation_celu(x)), pmax(x, 0) + pmin(0, exp(x) - 1), tolerance = 1e-6)
  expect_equal(vec(activation_hard_silu(x)), x * pmin(pmax(x + 3, 0), 6) / 6,
               tolerance = 1e-6)
  expect_equal(vec(activation_hard_swish(x)), vec(activation_hard_silu(x)))
  expect_equal(vec(activation_hard_tanh(x)), pmin(pmax(x, -1), 1), tolerance = 1e-6)
  expect_equal(vec(activation_hard_shrink(x)), ifelse(abs(x) > 0.5, x, 0), tolerance = 1e-6)
  expect_equal(vec(activation_soft_shrink(x, threshold = 1)),
               ifelse(abs(x) > 1, x - sign(x), 0), tolerance = 1e-6)
  expect_equal(vec(activation_log_sigmoid(x)), log(plogis(x)), tolerance = 1e-6)
  expect_equal(vec(activation_sparse_plus(x)),
               ifelse(x <= -1, 0, ifelse(x < 1, (x + 1)^2 / 4, x)), tolerance = 1e-6)
  expect_equal(vec(activation_sparse_sigmoid(x)), pmin(pmax((x + 1) / 2, 0), 1),
               tolerance = 1e-6)
  expect_equal(vec(activation_squareplus(x)), (x + sqrt(x^2 + 4)) / 2, tolerance = 1e-6)
  expect_equal(vec(activation_tanh_shrink(x)), x - tanh(x), tolerance = 1e-6)
  expect_equal(vec(activation_threshold(x, threshold = 0, default_value = 7)),
               ifelse(x > 0, x, 7), tolerance = 1e-6)
  expect_equal(vec(activation_mish(x)), x * tanh(log1p(exp(x))), tolerance = 1e-6)
  expect_equal(vec(activation_gelu(x)), x * pnorm(x), tolerance = 1e-6)  # exact by default
  expect_equal(vec(activation_relu(x, threshold = 0.5)), ifelse(x > 0.5, x, 0),
               tolerance = 1e-6)
  expect_equal(vec(activation_relu(x, negative_slope = 0.1, max_value = 2)),
               ifelse(x < 0, 0.1 * x, pmin(x, 2)), tolerance = 1e-6)
})

test_that("glu, sparsemax and softmax take 1-based axes", {
  m <- matrix(c(1, 2, 3, 4, 0.5, -1, 2, 0), nrow = 4)
  expect_equal(to_r(activation_glu(m, axis = 1)), m[1:2, ] * plogis(m[3:4, ]),
               tolerance = 1e-6)
  sm <- to_r(activation_sparsemax(m, axis = 1))
  expect_equal(colSums(sm), c(1, 1), tolerance = 1e-6)
  expect_equal(sm[, 1], c(0, 0, 0, 1), tolerance = 1e-6)  # 4 leads by more than 1
  expect_equal(colSums(to_r(activation_softmax(m, axis = 1))), c(1, 1), tolerance = 1e-6)
})

test_that("the new activations work by name and as functions in layers", {
  input <- keras_input(shape = c(4))
  for (act in list("sparsemax", "hard_swish", "squareplus", activation_celu)) {
    output <- layer_dense(input, 4, activation = act)
    model <- keras_model(input, output)
    y <- predict(model, matrix(runif(8), 2), verbose = 0)
    expect_equal(dim(y), c(2L, 4L))
  }
  dense <- layer_dense(units = 2, activation = "sparsemax")
  expect_equal(get_config(dense)$activation, "sparsemax")
})
