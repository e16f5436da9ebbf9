# ops.numpy breadth: the R wrappers of the NumPy-style ops (names, 1-based
# axes and indices, values against base R).

to_r <- function(x) op_convert_to_numpy(x)
vec <- function(x) as.vector(to_r(x))

x <- matrix(c(1, 5, 3,
              7, 2, 9,
              4, 8, 6,
              0, 1, 2), 4, byrow = TRUE)
xnan <- matrix(c(1, NaN, 3,
                 NaN, NaN, NaN,
                 4, 8, NaN), 3, byrow = TRUE)

test_that("every keras.ops.numpy function has an op_* wrapper", {
  names <- c("allclose", "angle", "append", "arccos", "arccosh", "arcsin", "arcsinh",
             "arctan2", "arctanh", "argpartition", "array_split", "bartlett", "bincount",
             "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not",
             "bitwise_or", "bitwise_right_shift", "bitwise_xor", "blackman", "cbrt", "conj",
             "conjugate", "copy", "corrcoef", "correlate", "cross", "deg2rad", "diag",
             "diagflat", "diff", "digitize", "dsplit", "dstack", "empty", "empty_like",
             "exp2", "fabs", "fliplr", "flipud", "fmax", "fmin", "fmod", "gcd", "geomspace",
             "get_item", "hamming", "hanning", "heaviside", "histogram", "hsplit", "hstack",
             "hypot", "i0", "imag", "inner", "isin", "isneginf", "isposinf", "isreal",
             "kaiser", "kron", "lcm", "ldexp", "left_shift", "logaddexp", "logaddexp2",
             "logspace", "median", "meshgrid", "nanargmax", "nanargmin", "nancumprod",
             "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin", "nanpercentile",
             "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "nextafter", "nonzero",
             "percentile", "ptp", "quantile", "rad2deg", "real", "right_shift", "roll",
             "rot90", "searchsorted", "select", "signbit", "sinc", "slogdet", "trapezoid",
             "tri", "trunc", "unique", "unravel_index", "vander", "vdot", "vectorize", "view",
             "vsplit", "vstack")
  missing <- names[!vapply(paste0("op_", names), exists, logical(1),
                           envir = asNamespace("torkeras"))]
  expect_equal(missing, character())
})

test_that("elementwise math equals base R", {
  u <- c(-0.5, 0, 0.25, 0.9)
  expect_equal(vec(op_arccos(u)), acos(u), tolerance = 1e-6)
  expect_equal(vec(op_arcsin(u)), asin(u), tolerance = 1e-6)
  expect_equal(vec(op_arctanh(u)), atanh(u), tolerance = 1e-6)
  expect_equal(vec(op_arccosh(c(1, 2, 10))), acosh(c(1, 2, 10)), tolerance = 1e-6)
  expect_equal(vec(op_arcsinh(u)), asinh(u), tolerance = 1e-6)
  expect_equal(vec(op_arctan2(c(1, -1), c(-1, -1))), atan2(c(1, -1), c(-1, -1)),
               tolerance = 1e-6)
  expect_equal(vec(op_cbrt(c(-8, 27, 0))), c(-2, 3, 0), tolerance = 1e-6)
  expect_equal(vec(op_exp2(c(0, 3, -1))), c(1, 8, 0.5))
  expect_equal(vec(op_hypot(c(3, 5), c(4, 12))), c(5, 13))
  expect_equal(vec(op_deg2rad(c(180, 90))), c(pi, pi / 2), tolerance = 1e-6)
  expect_equal(vec(op_rad2deg(pi)), 180, tolerance = 1e-5)
  expect_equal(vec(op_trunc(c(-1.7, 1.7))), c(-1, 1))
  expect_equal(vec(op_fabs(c(-2L, 3L))), c(2, 3))
  expect_equal(vec(op_sinc(c(0, 0.5))), c(1, sin(pi / 2) / (pi / 2)), tolerance = 1e-6)
  expect_equal(vec(op_logaddexp(c(1, 2), c(3, 4))), log(exp(c(1, 2)) + exp(c(3, 4))),
               tolerance = 1e-6)
  expect_equal(vec(op_fmod(c(-7, 7), c(3, 3))), c(-1, 1))
  expect_equal(vec(op_gcd(c(12L, 18L), c(8L, 27L))), c(4, 9))
  expect_equal(vec(op_lcm(c(4L, 6L), c(6L, 10L))), c(12, 30))
  expect_equal(vec(op_fmax(c(1, NaN, 3), c(2, 2, NaN))), c(2, 2, 3))
  expect_equal(vec(op_heaviside(c(-1, 0, 2), 0.5)), c(0, 0.5, 1))
  expect_equal(vec(op_ldexp(c(1, 3), c(2L, 1L))), c(4, 6))
  expect_equal(vec(op_signbit(c(-1, 0, 2))), c(TRUE, FALSE, FALSE))
  expect_equal(vec(op_isposinf(c(-Inf, 1, Inf))), c(FALSE, FALSE, TRUE))
  expect_equal(vec(op_bitwise_and(12L, 10L)), bitwAnd(12L, 10L))
  expect_equal(vec(op_bitwise_xor(12L, 10L)), bitwXor(12L, 10L))
  expect_equal(vec(op_left_shift(3L, 2L)), 12)
  expect_equal(vec(op_right_shift(-8L, 1L)), -4)
})

test_that("reductions take 1-based axes", {
  expect_equal(vec(op_median(x, axis = 1)), apply(x, 2, median))
  expect_equal(vec(op_median(x, axis = 2)), apply(x, 1, median))
  expect_equal(vec(op_ptp(x, axis = 2)), apply(x, 1, function(r) diff(range(r))))
  expect_equal(vec(op_quantile(x, 0.3, axis = 1)),
               unname(apply(x, 2, quantile, probs = 0.3)), tolerance = 1e-6)
  expect_equal(vec(op_percentile(x, 75, axis = 2)),
               unname(apply(x, 1, quantile, probs = 0.75)), tolerance = 1e-6)
  expect_equal(vec(op_nansum(xnan, axis = 2)), rowSums(xnan, na.rm = TRUE))
  expect_equal(vec(op_nanmean(xnan, axis = 1)), colMeans(xnan, na.rm = TRUE))
  expect_equal(vec(op_nanmax(xnan, axis = 2)), c(3, NaN, 8))
  expect_equal(vec(op_nanmin(xnan)), 1)
  expect_equal(vec(op_nanmedian(xnan, axis = 1)), c(2.5, 8, 3))
  expect_equal(vec(op_nancumsum(c(1, NaN, 2))), c(1, 1, 3))
  expect_error(op_median(x, axis = 0), "1-based")
})

test_that("index results are 1-based", {
  expect_equal(vec(op_nanargmax(xnan, axis = 2)), c(3, 0, 2))  # all-NaN row: 0
  expect_equal(vec(op_nanargmin(c(NaN, 5, 2))), 3)
  expect_equal(vec(op_nanargmax(c(NaN, 5, 2), zero_indexed = TRUE)), 1)
  expect_equal(vec(op_searchsorted(c(1, 3, 5), c(0, 3, 6))), c(1, 2, 4))
  expect_equal(vec(op_searchsorted(c(1, 3, 5), 3, side = "right")), 3)
  # digitize: findInterval(x, bins) + 1, as keras3
  expect_equal(vec(op_digitize(c(0.5, 1, 2.5), c(1, 2))),
               findInterval(c(0.5, 1, 2.5), c(1, 2)) + 1)
  v <- c(9, 3, 6, 2, 8, 5, 7, 1, 10, 4)
  idx <- vec(op_argpartition(v, 3))
  expect_equal(sort(idx), 1:10)
  expect_equal(v[idx][3], 3)
  expect_true(all(v[idx][1:2] < 3) && all(v[idx][4:10] > 3))
  idx0 <- vec(op_argpartition(v, 2, zero_indexed = TRUE))  # kth and result 0-based
  expect_equal(v[idx0 + 1][3], 3)
})

test_that("op_nonzero gives 1-based (count, rank) coordinates", {
  m <- matrix(c(0, 2, 0,
                3, 0, 4), 2, byrow = TRUE)
  nz <- to_r(op_nonzero(m))
  expect_equal(dim(nz), c(3L, 2L))
  expect_equal(nz, rbind(c(1, 2), c(2, 1), c(2, 3)), ignore_attr = TRUE)  # row-major order
  expect_equal(m[nz], c(2, 3, 4))
  expect_equal(vec(op_nonzero(c(0, 5, 0, 1))), c(2, 4))
})

test_that("op_unravel_index and op_unique shift their indices", {
  res <- op_unravel_index(c(1, 6, 12), shape = c(3, 4))
  expect_length(res, 2L)
  expect_equal(vec(res[[1]]), c(1, 2, 3))  # row-major, as NumPy
  expect_equal(vec(res[[2]]), c(1, 2, 4))
  expect_equal(vec(op_unravel_index(5, c(3, 4), zero_indexed = TRUE)[[2]]), 1)
  y <- c(3L, 1L, 2L, 1L, 5L, 3L)
  expect_equal(vec(op_unique(y)), sort(unique(y)))
  res <- op_unique(y, return_index = TRUE, return_inverse = TRUE, return_counts = TRUE)
  expect_length(res, 4L)
  expect_equal(vec(res[[2]]), match(sort(unique(y)), y))
  expect_equal(vec(res[[3]]), match(y, sort(unique(y))))
  expect_equal(vec(res[[4]]), as.vector(table(y)))
})

test_that("shape functions take 1-based axes", {
  expect_equal(to_r(op_append(x, x[1, , drop = FALSE], axis = 1)), rbind(x, x[1, ]))
  expect_equal(to_r(op_roll(x, 1, axis = 1)), x[c(4, 1, 2, 3), ])
  expect_equal(to_r(op_roll(x, -1, axis = 2)), x[, c(2, 3, 1)])
  expect_equal(to_r(op_diff(x, axis = 1)), diff(x))
  expect_equal(to_r(op_diff(x)), t(diff(t(x))))
  expect_equal(to_r(op_rot90(x)), t(x)[3:1, ])
  expect_equal(to_r(op_rot90(x, axes = c(2, 1))), t(x[4:1, ]))
  expect_equal(to_r(op_fliplr(x)), x[, 3:1])
  expect_equal(to_r(op_flipud(x)), x[4:1, ])
  expect_equal(to_r(op_hstack(list(x, x))), cbind(x, x))
  expect_equal(to_r(op_vstack(list(x, x))), rbind(x, x))
  expect_equal(dim(to_r(op_dstack(list(x, x)))), c(4L, 3L, 2L))
  expect_length(op_hsplit(x, 3), 3L)
  expect_length(op_array_split(1:7, 3), 3L)
  expect_equal(vec(op_array_split(1:7, 3)[[1]]), 1:3)
  expect_equal(to_r(op_vsplit(x, 2)[[2]]), x[3:4, ])
  expect_equal(to_r(op_tri(3)), lower.tri(diag(3), diag = TRUE) * 1)
  expect_equal(to_r(op_diag(c(1, 2))), diag(c(1, 2)))
  expect_equal(vec(op_diag(x)), diag(x))
  expect_equal(to_r(op_kron(diag(2), matrix(1, 2, 2))), kronecker(diag(2), matrix(1, 2, 2)))
  expect_equal(to_r(op_vander(c(1, 2, 3), N = 3)), outer(c(1, 2, 3), 2:0, `^`))
  expect_equal(vec(op_cross(c(1, 0, 0), c(0, 1, 0))), c(0, 0, 1))
  expect_equal(to_r(op_cross(rbind(c(1, 0, 0)), rbind(c(0, 1, 0)), axis = 2)),
               rbind(c(0, 0, 1)))
  g <- op_meshgrid(c(1, 2, 3), c(4, 5))
  expect_equal(to_r(g[[1]]), rbind(c(1, 2, 3), c(1, 2, 3)))
})

test_that("creation, windows, statistics", {
  expect_equal(vec(op_logspace(0, 2, num = 3)), c(1, 10, 100), tolerance = 1e-6)
  expect_equal(vec(op_geomspace(1, 8, num = 4)), c(1, 2, 4, 8), tolerance = 1e-6)
  expect_equal(vec(op_hanning(5)), 0.5 - 0.5 * cos(2 * pi * (0:4) / 4), tolerance = 1e-6)
  expect_equal(vec(op_hamming(5)), 0.54 - 0.46 * cos(2 * pi * (0:4) / 4), tolerance = 1e-6)
  expect_equal(vec(op_bartlett(5)), c(0, 0.5, 1, 0.5, 0), tolerance = 1e-6)
  expect_length(vec(op_kaiser(6, 5)), 6L)
  expect_equal(dim(to_r(op_empty(c(2, 3)))), c(2L, 3L))
  expect_equal(to_r(op_corrcoef(rbind(c(1, 2, 3, 4), c(2, 4, 5, 9)))),
               cor(cbind(c(1, 2, 3, 4), c(2, 4, 5, 9))), tolerance = 1e-6,
               ignore_attr = TRUE)
  expect_equal(vec(op_correlate(c(1, 2, 3), c(0, 1, 0.5), mode = "full")),
               c(0.5, 2, 3.5, 3, 0))
  expect_equal(vec(op_trapezoid(c(1, 2, 3))), 4)
  expect_equal(vec(op_inner(c(1, 2), c(3, 4))), 11)
  expect_equal(vec(op_vdot(c(1, 2), c(3, 4))), 11)
  h <- op_histogram(c(0, 1, 1, 2, 3), bins = 3)
  expect_equal(vec(h[[1]]), c(1, 2, 2))
  expect_equal(vec(op_bincount(c(0L, 1L, 1L, 3L))), c(1, 2, 0, 1))
  expect_equal(vec(op_isin(c(1, 2, 3), c(2, 5))), c(FALSE, TRUE, FALSE))
  expect_true(vec(op_allclose(c(1, 2), c(1, 2 + 1e-9))))
  sd <- op_slogdet(rbind(c(2, 0), c(0, 3)))
  expect_equal(vec(sd[[1]]), 1)
  expect_equal(vec(sd[[2]]), log(6), tolerance = 1e-6)
  expect_equal(vec(op_select(list(c(TRUE, FALSE), c(FALSE, TRUE)), list(c(1, 1), c(2, 2)))),
               c(1, 2))
  # computed in float64, returned in float32 (as Keras on torch): the float64
  # neighbour of 1 rounds back to 1
  expect_equal(vec(op_nextafter(1, 2)), 1)
})

test_that("bad arguments name the argument", {
  expect_error(op_histogram(c(1, 2), bins = -1), "bins")
  expect_error(op_array_split(1:4, 0), "indices_or_sections")
  expect_error(op_quantile(x, 0.5, method = "cubic"), "method")
  expect_error(op_searchsorted(x, 1), "sorted_sequence")
  expect_error(op_ldexp(c(1, 2), c(1.5, 2)), "x2")
})
