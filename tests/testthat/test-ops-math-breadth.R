# The generated wrappers of keras.ops.linalg, the math ops and the core
# (control-flow) ops: keras3 names, 1-based axes and indices, values against
# base R, and R functions as loop bodies, branches and gradients.

to_r <- function(x) op_convert_to_numpy(x)

test_that("the linalg, math and core ops have their keras3 names", {
  for (name in c("op_cholesky", "op_cholesky_inverse", "op_det", "op_eig", "op_eigh",
                 "op_inv", "op_jvp", "op_lstsq", "op_lu_factor", "op_matrix_rank", "op_norm",
                 "op_pinv", "op_qr", "op_solve", "op_solve_triangular", "op_svd",
                 "op_associative_scan", "op_cdist", "op_cond", "op_custom_gradient", "op_erfc",
                 "op_erfinv", "op_extract_sequences", "op_fft", "op_fft2", "op_fori_loop",
                 "op_ifft2", "op_irfft", "op_istft", "op_logdet", "op_map", "op_rearrange",
                 "op_rfft", "op_saturate_cast", "op_scan", "op_scatter", "op_scatter_update",
                 "op_segment_max", "op_segment_min", "op_segment_prod", "op_segment_sum",
                 "op_slice", "op_slice_update", "op_stft", "op_switch", "op_unstack",
                 "op_vectorized_map", "op_view_as_complex", "op_view_as_real",
                 "op_while_loop", "op_logsumexp", "op_top_k", "op_in_top_k", "op_rsqrt",
                 "op_erf")) {
    expect_true(exists(name, mode = "function"), info = name)
  }
})

pinv_by_svd <- function(m) {
  s <- svd(m)
  s$v %*% diag(1 / s$d) %*% t(s$u)
}

a <- matrix(c(4, 2, 0.6, 2, 5, 1, 0.6, 1, 3), 3, 3)   # symmetric positive definite
b <- c(1, -2, 0.5)

test_that("linalg ops agree with base R", {
  expect_equal(as.numeric(to_r(op_det(a))), det(a), tolerance = 1e-6)
  expect_equal(to_r(op_inv(a)), solve(a), tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(as.vector(to_r(op_solve(a, b))), solve(a, b), tolerance = 1e-6)
  expect_equal(to_r(op_cholesky(a)), t(chol(a)), tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(to_r(op_cholesky(a, upper = TRUE)), chol(a), tolerance = 1e-6,
               ignore_attr = TRUE)
  expect_equal(to_r(op_cholesky_inverse(t(chol(a)))), solve(a), tolerance = 1e-5,
               ignore_attr = TRUE)
  eig <- op_eigh(a)
  expect_equal(sort(as.vector(to_r(eig[[1]]))), sort(eigen(a)$values), tolerance = 1e-5)
  s <- op_svd(a, compute_uv = FALSE)
  expect_equal(as.vector(to_r(s)), svd(a)$d, tolerance = 1e-5)
  qr <- op_qr(matrix(c(1, 2, 3, 4, 5, 7), 3, 2))
  expect_equal(to_r(qr[[1]]) %*% to_r(qr[[2]]), matrix(c(1, 2, 3, 4, 5, 7), 3, 2),
               tolerance = 1e-5, ignore_attr = TRUE)
  expect_equal(as.numeric(to_r(op_logdet(a))), log(det(a)), tolerance = 1e-6)
  expect_equal(as.integer(to_r(op_matrix_rank(matrix(c(1, 2, 2, 4), 2, 2)))), 1L)
  tall <- matrix(c(1, 1, 1, 1, 2, 3), 3, 2)
  expect_equal(as.vector(to_r(op_lstsq(tall, c(1, 2, 2)))),
               as.vector(qr.solve(tall, c(1, 2, 2))), tolerance = 1e-5)
  expect_equal(to_r(op_pinv(tall)), pinv_by_svd(tall), tolerance = 1e-5,
               ignore_attr = TRUE)
  upper <- matrix(c(2, 0, 0, 1, 3, 0, 1, 1, 4), 3, 3)
  expect_equal(as.vector(to_r(op_solve_triangular(upper, b))), backsolve(upper, b),
               tolerance = 1e-6)
})

test_that("op_norm takes 1-based axes and R's Inf", {
  x <- matrix(c(3, -4, 1, 2, 0, -2), 2, 3)
  expect_equal(as.vector(to_r(op_norm(x, axis = 2))), sqrt(rowSums(x^2)), tolerance = 1e-6)
  expect_equal(as.vector(to_r(op_norm(x, axis = 1))), sqrt(colSums(x^2)), tolerance = 1e-6)
  expect_equal(as.vector(to_r(op_norm(x, ord = Inf, axis = -1))), apply(abs(x), 1, max))
  expect_equal(as.numeric(to_r(op_norm(x, ord = "fro", axis = c(1, 2)))), sqrt(sum(x^2)),
               tolerance = 1e-6)
  expect_error(op_norm(x, axis = 0), "1-based")
})

test_that("segment ops take 1-based segment ids", {
  data <- c(1, 2, 10, 20, 100, 200)
  ids <- c(1, 1, 2, 2, 3, 3)
  expect_equal(as.vector(to_r(op_segment_sum(data, ids))), c(3, 30, 300))
  expect_equal(as.vector(to_r(op_segment_max(data, ids, num_segments = 3))), c(2, 20, 200))
  expect_equal(as.vector(to_r(op_segment_min(data, ids))), c(1, 10, 100))
  expect_equal(as.vector(to_r(op_segment_prod(data, ids))), c(2, 200, 20000))
  expect_equal(as.vector(to_r(op_segment_sum(data, ids - 1, zero_indexed = TRUE))),
               c(3, 30, 300))
  expect_error(op_segment_sum(data, ids, num_segments = 2.5), "whole number")
})

test_that("scatter, scatter_update, slice and slice_update use 1-based indices", {
  out <- to_r(op_scatter(rbind(c(1, 2), c(2, 2), c(1, 2)), c(1, 1, 5), shape = c(2, 2)))
  expect_equal(out, matrix(c(0, 0, 6, 1), 2, 2), ignore_attr = TRUE)
  inputs <- matrix(0, 3, 4)
  upd <- to_r(op_scatter_update(inputs, rbind(c(3, 4), c(1, 1)), c(7, 8)))
  expected <- inputs
  expected[3, 4] <- 7
  expected[1, 1] <- 8
  expect_equal(upd, expected, ignore_attr = TRUE)
  x <- matrix(1:20, 4, 5)
  expect_equal(to_r(op_slice(x, c(2, 3), c(2, 2))), x[2:3, 3:4], ignore_attr = TRUE)
  replaced <- to_r(op_slice_update(matrix(0, 4, 4), c(3, 3), matrix(1, 2, 2)))
  expect_equal(replaced, rbind(0, 0, c(0, 0, 1, 1), c(0, 0, 1, 1)), ignore_attr = TRUE)
})

test_that("op_unstack splits along a 1-based axis", {
  x <- rbind(c(1, 2), c(3, 4))
  rows <- op_unstack(x, axis = 1)
  expect_length(rows, 2)
  expect_equal(as.vector(to_r(rows[[2]])), c(3, 4))
  cols <- op_unstack(x, axis = 2)
  expect_equal(as.vector(to_r(cols[[1]])), c(1, 3))
})

test_that("FFT ops take and return (real, imaginary) pairs", {
  x <- c(0, 1, 2, 3, 4)
  spec <- op_rfft(x)
  expected <- fft(x)[1:3]
  expect_equal(as.vector(to_r(spec[[1]])), Re(expected), tolerance = 1e-5)
  expect_equal(as.vector(to_r(spec[[2]])), Im(expected), tolerance = 1e-5)
  full <- op_fft(list(x, rep(0, 5)))
  expect_equal(as.vector(to_r(full[[1]])), Re(fft(x)), tolerance = 1e-5)
  expect_equal(as.vector(to_r(op_irfft(spec, fft_length = 5))), x, tolerance = 1e-5)
  signal <- sin(seq(0, 6, length.out = 64))
  frames <- op_stft(op_convert_to_tensor(signal, "float32"), sequence_length = 16,
                    sequence_stride = 4, fft_length = 16)
  expect_equal(dim(to_r(frames[[1]])), c(17L, 9L))
  back <- op_istft(frames, 16, 4, 16, length = 64)
  expect_equal(as.vector(to_r(back)), signal, tolerance = 1e-5)
  expect_error(op_stft(op_convert_to_tensor(signal, "float32"), 16, 4.5, 16), "whole number")
})

test_that("other math ops", {
  expect_equal(as.vector(to_r(op_erfc(c(0, 1)))), c(1, 1 - 0.8427007929), tolerance = 1e-6)
  expect_equal(as.vector(to_r(op_erfinv(c(0, 0.5)))), c(0, 0.4769362762), tolerance = 1e-6)
  p <- matrix(c(0, 1, 0, 1), 2, 2)
  q <- matrix(c(1, 0, 0, 1), 2, 2)
  expect_equal(to_r(op_cdist(p, q)), as.matrix(dist(rbind(p, q)))[1:2, 3:4],
               tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(dim(to_r(op_extract_sequences(1:10, 4, 3))), c(3L, 4L))
  expect_equal(as.vector(to_r(op_saturate_cast(c(-300, 5.7, 300), "uint8"))), c(0, 5, 255))
  x <- array(seq_len(24), dim = c(2, 3, 4))
  expect_equal(dim(to_r(op_rearrange(x, "b h w -> b (w h)"))), c(2L, 12L))
  expect_equal(dim(to_r(op_rearrange(x, "b h (w1 w2) -> b w1 h w2", w1 = 2))),
               c(2L, 2L, 3L, 2L))
  cplx <- op_view_as_complex(matrix(c(1, 3, 2, 4), 2, 2))
  expect_equal(to_r(op_view_as_real(cplx)), matrix(c(1, 3, 2, 4), 2, 2), ignore_attr = TRUE)
})

test_that("R functions drive the control-flow ops", {
  expect_equal(as.numeric(to_r(op_fori_loop(0L, 10L, function(i, s) s + i, 0L))), 45)
  res <- op_while_loop(function(i, s) i < 5, function(i, s) list(i + 1, s * 2),
                       list(0, 1))
  expect_equal(as.numeric(to_r(res[[2]])), 32)
  scanned <- op_scan(function(carry, x) list(carry + x, carry * x), 0,
                     op_array(c(1, 2, 3, 4)))
  expect_equal(as.numeric(to_r(scanned[[1]])), 10)
  expect_equal(as.vector(to_r(scanned[[2]])), c(0, 2, 9, 24))
  expect_equal(as.vector(to_r(op_map(function(row) op_sum(row), matrix(1:6, 3, 2)))),
               c(5, 7, 9))
  expect_equal(as.vector(to_r(op_vectorized_map(function(row) row * 2, op_array(c(1, 2, 3))))),
               c(2, 4, 6))
  expect_equal(as.vector(to_r(op_associative_scan(function(a, b) a + b, op_array(c(1, 2, 3, 4, 5))))),
               cumsum(1:5))
  branches <- list(function(x, y) x + y, function(x, y) x - y)
  x <- op_array(2)
  y <- op_array(0.5)
  expect_equal(as.numeric(to_r(op_switch(1, branches, x, y))), 2.5)
  expect_equal(as.numeric(to_r(op_switch(2, branches, x, y))), 1.5)
  expect_equal(as.numeric(to_r(op_switch(5, branches, x, y))), 1.5)
  expect_equal(as.numeric(to_r(op_cond(x > 1, function() x * 10, function() x))), 20)
  expect_equal(as.numeric(to_r(op_cond(x > 3, function() x * 10, function() x))), 2)
})

test_that("op_custom_gradient takes an R function and its R gradient", {
  log1pexp <- op_custom_gradient(function(x) {
    e <- op_exp(x)
    grad <- function(..., upstream) upstream * (1 - 1 / (1 + e))
    list(op_log(1 + e), grad)
  })
  torch <- reticulate::import("torch", convert = FALSE)
  x <- torch$tensor(c(0, 2, 100), requires_grad = TRUE)
  y <- log1pexp(x)
  op_sum(y)$backward()
  grad <- as.vector(reticulate::py_to_r(x$grad$numpy()))
  expect_equal(grad, 1 / (1 + exp(-c(0, 2, 100))), tolerance = 1e-6)
})

test_that("op_jvp takes an R function", {
  res <- op_jvp(function(x) x * x, list(op_array(c(1, 2, 3))), list(op_array(c(1, 1, 1))))
  expect_equal(as.vector(to_r(res[[1]])), c(1, 4, 9))
  expect_equal(as.vector(to_r(res[[2]])), c(2, 4, 6))
})

test_that("op_top_k returns 1-based indices and op_lu_factor 0-based pivots as Keras", {
  res <- op_top_k(c(1, 9, 3, 7), k = 2)
  expect_equal(as.vector(to_r(res[[1]])), c(9, 7))
  expect_equal(as.vector(to_r(res[[2]])), c(2L, 4L))
  lu <- op_lu_factor(matrix(c(1, 3, 2, 4), 2, 2))
  expect_equal(as.vector(to_r(lu[[2]])), c(1L, 1L))
})
