# The generated op_* wrappers of keras.ops.nn: names, 1-based axes and
# indices, values against base R.

to_r <- function(x) op_convert_to_numpy(x)

test_that("every keras.ops.nn function has its keras3 name", {
  for (name in c("op_adaptive_average_pool", "op_adaptive_max_pool", "op_average_pool",
                 "op_batch_normalization", "op_binary_crossentropy",
                 "op_categorical_crossentropy", "op_celu", "op_conv", "op_conv_transpose",
                 "op_ctc_decode", "op_ctc_loss", "op_depth_to_space", "op_depthwise_conv",
                 "op_dot_product_attention", "op_elu", "op_fold", "op_gelu", "op_glu",
                 "op_hard_shrink", "op_hard_sigmoid", "op_hard_silu", "op_hard_swish",
                 "op_hard_tanh", "op_layer_normalization", "op_leaky_relu", "op_log_sigmoid",
                 "op_log_softmax", "op_max_pool", "op_moments", "op_multi_hot", "op_normalize",
                 "op_one_hot", "op_polar", "op_psnr", "op_relu", "op_relu6",
                 "op_rms_normalization", "op_selu", "op_separable_conv", "op_sigmoid",
                 "op_silu", "op_soft_shrink", "op_softmax", "op_softplus", "op_softsign",
                 "op_space_to_depth", "op_sparse_categorical_crossentropy", "op_sparse_plus",
                 "op_sparse_sigmoid", "op_sparsemax", "op_squareplus", "op_swish",
                 "op_tanh_shrink", "op_threshold", "op_unfold")) {
    expect_true(exists(name, mode = "function"), info = name)
  }
})

x <- matrix(c(-2, -0.5, 0, 0.5, 1, 3), nrow = 2)

test_that("elementwise nn ops equal their base R formulas", {
  expect_equal(to_r(op_sparse_plus(x)), ifelse(x <= -1, 0, ifelse(x < 1, (x + 1)^2 / 4, x)),
               tolerance = 1e-6)
  expect_equal(to_r(op_sparse_sigmoid(x)), pmin(pmax((x + 1) / 2, 0), 1), tolerance = 1e-6)
  expect_equal(to_r(op_squareplus(x, b = 1)), (x + sqrt(x^2 + 1)) / 2, tolerance = 1e-6)
  expect_equal(to_r(op_celu(x, alpha = 2)), pmax(x, 0) + pmin(0, 2 * (exp(x / 2) - 1)),
               tolerance = 1e-6)
  expect_equal(to_r(op_soft_shrink(x)), ifelse(abs(x) > 0.5, x - sign(x) * 0.5, 0),
               tolerance = 1e-6)
  expect_equal(to_r(op_hard_shrink(x, threshold = 0.4)), ifelse(abs(x) > 0.4, x, 0),
               tolerance = 1e-6)
  expect_equal(to_r(op_tanh_shrink(x)), x - tanh(x), tolerance = 1e-6)
  expect_equal(to_r(op_hard_tanh(x)), pmin(pmax(x, -1), 1), tolerance = 1e-6)
  expect_equal(to_r(op_hard_silu(x)), x * pmin(pmax(x + 3, 0), 6) / 6, tolerance = 1e-6)
  expect_equal(to_r(op_threshold(x, 0.2, -9)), ifelse(x > 0.2, x, -9), tolerance = 1e-6)
  expect_equal(to_r(op_log_sigmoid(x)), -log1p(exp(-x)), tolerance = 1e-6)
})

test_that("softmax-like ops take 1-based axes", {
  by_column <- to_r(op_softmax(x, axis = 1))
  expect_equal(colSums(by_column), rep(1, 3), tolerance = 1e-6)
  expect_equal(by_column, exp(x) / rep(colSums(exp(x)), each = 2), tolerance = 1e-6)
  expect_equal(to_r(op_log_softmax(x, axis = 2)), log(exp(x) / rowSums(exp(x))),
               tolerance = 1e-6)
  sm <- to_r(op_sparsemax(x, axis = 1))
  expect_equal(colSums(sm), rep(1, 3), tolerance = 1e-6)
  expect_true(all(sm >= 0))
  expect_error(op_softmax(x, axis = 0), "1-based")
})

test_that("op_glu splits the given (1-based) axis in halves", {
  m <- matrix(c(1, 2, 3, 4, 5, 6, 7, 8), nrow = 4)
  expect_equal(to_r(op_glu(m, axis = 1)), m[1:2, ] * plogis(m[3:4, ]), tolerance = 1e-6)
  expect_error(op_glu(matrix(1:6 + 0, nrow = 3), axis = 1), "divisible")
})

test_that("op_moments and the normalization ops reduce over 1-based axes", {
  m <- matrix(c(1, 2, 4, 8, 3, 5), nrow = 3)
  mv <- op_moments(m, axes = 1)
  expect_equal(as.vector(to_r(mv[[1]])), colMeans(m), tolerance = 1e-6)
  expect_equal(as.vector(to_r(mv[[2]])), apply(m, 2, function(v) mean((v - mean(v))^2)),
               tolerance = 1e-5)
  ln <- to_r(op_layer_normalization(m, axis = 2, epsilon = 0))
  centered <- m - rowMeans(m)
  expect_equal(ln, centered / sqrt(rowMeans(centered^2)), tolerance = 1e-5)
  rms <- to_r(op_rms_normalization(m, axis = -1, epsilon = 0))
  expect_equal(rms, m / sqrt(rowMeans(m^2)), tolerance = 1e-6)
  bn <- to_r(op_batch_normalization(m, mean = c(1, 2), variance = c(4, 9), axis = 2,
                                    epsilon = 0))
  expect_equal(bn, sweep(sweep(m, 2, c(1, 2)), 2, c(2, 3), "/"), tolerance = 1e-6)
  expect_equal(to_r(op_normalize(m, axis = 2)), m / sqrt(rowSums(m^2)), tolerance = 1e-6)
})

test_that("one-hot ops take 1-based class ids", {
  expect_equal(to_r(op_one_hot(c(1, 3), 3)), rbind(c(1, 0, 0), c(0, 0, 1)),
               ignore_attr = TRUE)
  expect_equal(to_r(op_multi_hot(matrix(c(1, 3, 3, 2), nrow = 2, byrow = TRUE), 3)),
               rbind(c(1, 0, 1), c(0, 1, 1)), ignore_attr = TRUE)
})

test_that("op_binary_crossentropy computes targets outside [0, 1] by the formula", {
  p <- c(0.2, 0.7)
  t <- c(1.5, -0.5)
  expect_equal(as.vector(to_r(op_binary_crossentropy(t, p))), -(t * log(p) + (1 - t) * log(1 - p)),
               tolerance = 1e-6)
})

test_that("pools and convolutions are channels_last with TensorFlow padding", {
  img <- array(seq_len(16), dim = c(1, 4, 4, 1))
  pooled <- to_r(op_max_pool(img, pool_size = 2))
  expect_equal(dim(pooled), c(1L, 2L, 2L, 1L))
  expect_equal(pooled[1, , , 1], matrix(c(6, 8, 14, 16), 2), tolerance = 1e-6)
  avg <- to_r(op_average_pool(img, pool_size = c(2, 2), strides = 2))
  expect_equal(avg[1, , , 1], matrix(c(3.5, 5.5, 11.5, 13.5), 2), tolerance = 1e-6)
  # "same" with stride 2 on 5 elements pads one after: the last window is [5].
  seq5 <- array(c(1, 2, 3, 4, 5), dim = c(1, 5, 1))
  expect_equal(as.vector(to_r(op_average_pool(seq5, 2, padding = "same"))), c(1.5, 3.5, 5),
               tolerance = 1e-6)
  expect_equal(dim(to_r(op_adaptive_average_pool(img, output_size = c(1, 2)))),
               c(1L, 1L, 2L, 1L))
  # A 1x1 convolution is a matrix product over the channels.
  rgb <- array(runif(2 * 3 * 3 * 3), dim = c(2, 3, 3, 3))
  k <- matrix(runif(6), 3, 2)
  out <- to_r(op_conv(rgb, array(k, dim = c(1, 1, 3, 2))))
  expect_equal(dim(out), c(2L, 3L, 3L, 2L))
  expect_equal(out[1, 2, 3, ], as.vector(rgb[1, 2, 3, ] %*% k), tolerance = 1e-5)
  expect_equal(dim(to_r(op_conv(rgb, array(1, dim = c(3, 3, 3, 4)), strides = 2,
                                padding = "same"))), c(2L, 2L, 2L, 4L))
  expect_equal(dim(to_r(op_conv_transpose(rgb, array(1, dim = c(3, 3, 5, 3)), strides = 2,
                                          padding = "same"))), c(2L, 6L, 6L, 5L))
  expect_equal(dim(to_r(op_depthwise_conv(rgb, array(1, dim = c(2, 2, 3, 2))))),
               c(2L, 2L, 2L, 6L))
  expect_error(op_max_pool(img, pool_size = 2.5), "pool_size")
})

test_that("depth_to_space inverts space_to_depth", {
  a <- array(runif(2 * 4 * 6 * 3), dim = c(2, 4, 6, 3))
  packed <- op_space_to_depth(a, block_size = 2)
  expect_equal(dim(to_r(packed)), c(2L, 2L, 3L, 12L))
  expect_equal(to_r(op_depth_to_space(packed, 2)), a, tolerance = 1e-6, ignore_attr = TRUE)
  expect_error(op_space_to_depth(a, 1), "block_size")
})

test_that("op_psnr and op_polar follow their formulas", {
  a <- matrix(c(0.1, 0.5, 0.9, 0.3), 2)
  b <- matrix(c(0.2, 0.4, 0.7, 0.3), 2)
  expect_equal(as.numeric(to_r(op_psnr(a, b, 1))), 10 * log10(1 / mean((a - b)^2)),
               tolerance = 1e-5)
  z <- as.vector(to_r(op_polar(c(1, 2), c(0, pi / 2))))
  expect_equal(z, complex(modulus = c(1, 2), argument = c(0, pi / 2)), tolerance = 1e-6)
})

test_that("op_dot_product_attention is softmax(q k' / sqrt(d)) v", {
  q <- array(runif(1 * 2 * 1 * 3), dim = c(1, 2, 1, 3))
  k <- array(runif(1 * 4 * 1 * 3), dim = c(1, 4, 1, 3))
  v <- array(runif(1 * 4 * 1 * 3), dim = c(1, 4, 1, 3))
  out <- to_r(op_dot_product_attention(q, k, v))
  logits <- q[1, , 1, ] %*% t(k[1, , 1, ]) / sqrt(3)
  weights <- exp(logits) / rowSums(exp(logits))
  expect_equal(out[1, , 1, ], weights %*% v[1, , 1, ], tolerance = 1e-5)
  causal <- to_r(op_dot_product_attention(q, k[, 1:2, , , drop = FALSE],
                                          v[, 1:2, , , drop = FALSE], is_causal = TRUE))
  expect_equal(causal[1, 1, 1, ], v[1, 1, 1, ], tolerance = 1e-6)
})

test_that("CTC ops take the blank as a 1-based class (default 1)", {
  # Best path per step: blank, 2, 2, blank, 3 (0-based classes), so the
  # greedy decoding with blank class 0 is (2, 3).
  best <- c(0, 2, 2, 0, 3)
  logits <- array(0, dim = c(1, 5, 4))
  for (t in seq_along(best)) logits[1, t, best[t] + 1] <- 5
  decoded <- op_ctc_decode(logits, sequence_lengths = 5L)
  expect_equal(as.vector(to_r(decoded[[1]])), c(2, 3, -1, -1, -1))
  expect_equal(as.vector(to_r(decoded[[2]])), -25, tolerance = 1e-6)
  same <- op_ctc_decode(logits, 5L, mask_index = 1)
  expect_equal(to_r(same[[1]]), to_r(decoded[[1]]))
  # With the last class as the blank, class 0 becomes a label.
  other <- op_ctc_decode(logits, 5L, mask_index = 4)
  expect_equal(as.vector(to_r(other[[1]])), c(0, 2, 0, -1, -1))
  beam <- op_ctc_decode(logits, 5L, strategy = "beam_search", beam_width = 3, top_paths = 2)
  expect_equal(dim(to_r(beam[[1]])), c(2L, 1L, 5L))
  expect_equal(as.vector(to_r(beam[[1]])[1, 1, ]), c(2, 3, -1, -1, -1))
  loss <- to_r(op_ctc_loss(matrix(c(2, 3), 1), logits, 2L, 5L))
  expect_true(loss > 0 && loss < 1)
  expect_equal(to_r(op_ctc_loss(matrix(c(2, 3), 1), logits, 2L, 5L, mask_index = 1)), loss)
})
