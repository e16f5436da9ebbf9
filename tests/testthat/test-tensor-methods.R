# R methods for tensors, Variables and KerasTensors (R/tensor-methods.R),
# checked against base R on the same arrays.

a1 <- matrix(c(1.5, -2, 3, 4, -5.5, 6), 2)
a2 <- matrix(c(2, 3, -1, 0.5, 2, -4), 2)
t1 <- op_convert_to_tensor(a1)
t2 <- op_convert_to_tensor(a2)

m <- matrix(1:12 + 0.5, 3)  # 3 x 4
tm <- op_convert_to_tensor(m)

test_that("arithmetic operators match base R", {
  expect_equal(as.array(t1 + t2), a1 + a2)
  expect_equal(as.array(t1 - t2), a1 - a2)
  expect_equal(as.array(t1 * t2), a1 * a2)
  expect_equal(as.array(t1 / t2), a1 / a2, tolerance = 1e-6)
  expect_equal(as.array(abs(t1) ^ t2), abs(a1) ^ a2, tolerance = 1e-6)
  expect_equal(as.array(-t1), -a1)
  expect_equal(as.array(+t1), a1)
})

test_that("%% and %/% follow R's sign convention", {
  expect_equal(as.array(t1 %% t2), a1 %% a2, tolerance = 1e-6)
  expect_equal(as.array(t1 %/% t2), a1 %/% a2)
  expect_equal(as.array(t1 %% 2), a1 %% 2)
  expect_equal(as.array(t1 %/% 2), a1 %/% 2)
  i1 <- op_convert_to_tensor(c(-7L, 7L, -7L, 7L))
  expect_equal(as.array(i1 %% c(3L, 3L, -3L, -3L)), c(-7L, 7L, -7L, 7L) %% c(3L, 3L, -3L, -3L),
               ignore_attr = TRUE)
  expect_equal(as.array(i1 %/% 3L), c(-7L, 7L, -7L, 7L) %/% 3L, ignore_attr = TRUE)
})

test_that("R numbers and arrays on either side take the tensor's dtype", {
  expect_equal(as.array(0.5 - t1), 0.5 - a1)
  expect_equal(as.array(t1 * 2), a1 * 2)
  expect_equal(as.array(2 ^ t1), 2 ^ a1, tolerance = 1e-6)
  expect_equal(as.array(a2 - t1), a2 - a1)
  expect_equal(op_dtype(t1 * 2), "float32")
  expect_equal(op_dtype(0.5 - t1), "float32")
  expect_equal(op_dtype(a2 + t1), "float32")
  ti <- op_convert_to_tensor(c(1L, 2L, 3L))
  expect_equal(op_dtype(ti * 2), "int32")  # whole numbers keep the integer dtype
  expect_equal(op_dtype(ti + 0.5), "float32")
  expect_equal(as.array(ti + 0.5), c(1.5, 2.5, 3.5), ignore_attr = TRUE)
  expect_equal(op_dtype(ti / 2L), "float32")  # `/` always divides exactly, as in R
  expect_equal(as.array(ti ^ -1L), 1 / (1:3), tolerance = 1e-6, ignore_attr = TRUE)
})

test_that("comparisons and logical operators give logical arrays", {
  expect_identical(as.array(t1 > t2), a1 > a2)
  expect_identical(as.array(t1 < t2), a1 < a2)
  expect_identical(as.array(t1 >= 3), a1 >= 3)
  expect_identical(as.array(t1 <= 3), a1 <= 3)
  expect_identical(as.array(t1 == 3), a1 == 3)
  expect_identical(as.array(t1 != 3), a1 != 3)
  expect_identical(as.array(3 < t1), 3 < a1)
  expect_identical(as.array((t1 > 0) & (t2 > 0)), (a1 > 0) & (a2 > 0))
  expect_identical(as.array((t1 > 0) | (t2 > 0)), (a1 > 0) | (a2 > 0))
  expect_identical(as.array(!(t1 > 0)), !(a1 > 0))
  expect_identical(as.array((t1 > 0) & (a2 > 0)), (a1 > 0) & (a2 > 0))
})

test_that("%*% is op_matmul for tensors and base R otherwise", {
  expect_equal(as.array(t1 %*% t(t2)), a1 %*% t(a2))
  expect_equal(as.array(a1 %*% t(t2)), a1 %*% t(a2))
  expect_equal(as.array(t1 %*% t(a2)), a1 %*% t(a2))
  expect_identical(a1 %*% t(a2), base::`%*%`(a1, t(a2)))
  expect_equal(dim(t(t1)), c(3L, 2L))
  expect_equal(as.array(aperm(tm, c(2, 1))), aperm(m, c(2, 1)))
})

test_that("[ follows R semantics (1-based, inclusive, drop, negatives from the end)", {
  expect_equal(as.array(tm[1:2, ]), m[1:2, ])
  expect_equal(as.array(tm[, 2]), m[, 2], ignore_attr = TRUE)
  expect_equal(as.array(tm[2, 3]), m[2, 3])
  expect_equal(as.array(tm[-1, ]), m[3, ], ignore_attr = TRUE)  # last row (keras3 op_subset)
  expect_equal(as.array(tm[-2:-1, ]), m[2:3, ])
  expect_equal(as.array(tm[, c(4, 1)]), m[, c(4, 1)])
  expect_equal(as.array(tm[c(1, 3), c(2, 4)]), m[c(1, 3), c(2, 4)])
  expect_equal(as.array(tm[c(TRUE, FALSE, TRUE), ]), m[c(TRUE, FALSE, TRUE), ])
  expect_equal(as.array(tm[]), m)
  expect_equal(as.array(tm[2, , drop = FALSE]), m[2, , drop = FALSE])
  expect_equal(as.array(tm[1]), m[1, ], ignore_attr = TRUE)  # missing trailing axes: whole
  expect_equal(dim(tm[integer(0), ]), c(0L, 4L))
})

test_that("[ with a logical mask of the tensor's shape returns elements in R's order", {
  expect_equal(as.array(tm[tm > 5]), m[m > 5], ignore_attr = TRUE)
  expect_equal(as.array(tm[m > 5]), m[m > 5], ignore_attr = TRUE)
  expect_equal(as.array(tm[op_convert_to_tensor(c(TRUE, FALSE, TRUE)), 1]), m[c(1, 3), 1],
               ignore_attr = TRUE)
})

test_that("[ with integer tensors gathers 1-based positions", {
  idx <- op_convert_to_tensor(c(3L, 1L))
  expect_equal(as.array(tm[idx, ]), m[c(3, 1), ])
  expect_equal(as.array(tm[op_convert_to_tensor(2L), 2]), m[2, 2])
})

test_that("[ errors are clear", {
  expect_error(tm[0, ], "1-based")
  expect_error(tm[4, ], "out of bounds")
  expect_error(tm[1.5, ], "whole numbers")
  expect_error(tm[1, 1, 1], "incorrect number of dimensions")
  expect_error(tm["a", ], "numbers or logicals")
  expect_error(tm[NA, ], "NA")
  expect_error(tm + "a", "not character values")
})

test_that("dim, length and conversions to R values", {
  expect_identical(dim(tm), c(3L, 4L))
  expect_identical(length(tm), 12L)
  expect_identical(dim(op_convert_to_tensor(2)), integer(0))
  expect_identical(length(op_convert_to_tensor(2)), 1L)
  expect_equal(as.array(tm), m)
  expect_identical(as.numeric(tm), as.numeric(m))
  expect_identical(as.double(tm), as.double(m))
  expect_identical(as.vector(tm), as.vector(m))
  expect_identical(as.integer(t1), as.integer(a1))
  expect_identical(as.logical(t1 > 0), as.logical(a1 > 0))
  expect_identical(as.array(op_convert_to_tensor(1:3)), array(1:3))
  expect_identical(as.numeric(op_convert_to_tensor(2.5)), 2.5)
  expect_identical(as.array(op_cast(t1, "float16")) , a1)
})

test_that("sprintf('%.4f') works on scalar tensors", {
  s <- op_sum(t1)
  expect_identical(sprintf("%.4f", s), sprintf("%.4f", sum(a1)))
  expect_identical(sprintf("loss: %.2f", op_mean(tm)), sprintf("loss: %.2f", mean(m)))
})

test_that("Math group matches base R", {
  expect_equal(as.array(abs(t1)), abs(a1))
  expect_equal(as.array(sqrt(abs(t1))), sqrt(abs(a1)), tolerance = 1e-6)
  expect_equal(as.array(exp(t1)), exp(a1), tolerance = 1e-6)
  expect_equal(as.array(log(abs(t1))), log(abs(a1)), tolerance = 1e-6)
  expect_equal(as.array(log(abs(t1), 2)), log(abs(a1), 2), tolerance = 1e-6)
  expect_equal(as.array(log(abs(t1), base = 10)), log10(abs(a1)), tolerance = 1e-6)
  expect_equal(as.array(floor(t1 / 4)), floor(a1 / 4))
  expect_equal(as.array(ceiling(t1 / 4)), ceiling(a1 / 4))
  expect_equal(as.array(trunc(t1 / 4)), trunc(a1 / 4))
  expect_equal(as.array(round(t1 / 3, 2)), round(a1 / 3, 2), tolerance = 1e-6)
  expect_equal(as.array(sign(t1)), sign(a1))
  expect_equal(as.array(tanh(t1)), tanh(a1), tolerance = 1e-6)
  expect_equal(as.array(cumsum(tm)), cumsum(m), ignore_attr = TRUE)
  expect_equal(as.array(cumprod(t1)), cumprod(a1), ignore_attr = TRUE)
  expect_equal(as.array(cummax(t1)), cummax(a1), ignore_attr = TRUE)
})

test_that("Summary group returns scalar tensors with base R's values", {
  s <- sum(tm)
  expect_true(inherits(s, "torch.Tensor"))
  expect_equal(as.numeric(s), sum(m))
  expect_equal(as.numeric(max(t1)), max(a1))
  expect_equal(as.numeric(min(t1)), min(a1))
  expect_equal(as.numeric(prod(t1)), prod(a1), tolerance = 1e-6)
  expect_equal(as.numeric(range(t1)), range(a1))
  expect_equal(as.numeric(sum(t1, t2, 1)), sum(a1, a2, 1))
  expect_identical(as.logical(any(t1 > 5)), any(a1 > 5))
  expect_identical(as.logical(all(t1 > -6)), all(a1 > -6))
  expect_identical(as.integer(sum(t1 > 0)), sum(a1 > 0))
  nan <- op_convert_to_tensor(c(1, NaN, 3))
  expect_true(is.nan(as.numeric(sum(nan))))
  expect_equal(as.numeric(sum(nan, na.rm = TRUE)), 4)
})

test_that("print and str are informative", {
  out <- capture.output(print(t1))
  expect_true(any(grepl("shape=(2, 3), dtype=float32", out, fixed = TRUE)))
  expect_true(any(grepl("1.5", out, fixed = TRUE)))
  expect_match(capture.output(print(op_convert_to_tensor(1:2)))[1],
               "tensor([1, 2], shape=(2,), dtype=int32)", fixed = TRUE)
  s <- capture.output(str(t1))
  expect_length(s, 1L)
  expect_match(s, "shape=(2, 3), dtype=float32", fixed = TRUE)
  expect_match(format(t1 > 0), "dtype=bool", fixed = TRUE)
  kt <- keras_input(shape = 3)
  expect_match(capture.output(print(kt)), "<KerasTensor shape=(None, 3)", fixed = TRUE)
  expect_length(capture.output(str(kt)), 1L)
})

test_that("Variables and Parameters support the same methods", {
  v <- keras$Variable(op_convert_to_tensor(a1))
  expect_equal(as.array(v$value * 2), a1 * 2)
  expect_equal(as.array(v * 2), a1 * 2)
  expect_equal(as.array(2 * v + t2), 2 * a1 + a2)
  expect_equal(as.array(v[2, ]), a1[2, ], ignore_attr = TRUE)
  expect_identical(dim(v), c(2L, 3L))
  expect_identical(length(v), 6L)
  expect_equal(as.array(v), a1)
  expect_match(capture.output(print(v)), "<Variable", fixed = TRUE)
  expect_match(capture.output(str(v)), "shape=(2, 3)", fixed = TRUE)
  p <- v$value
  expect_true(inherits(p, "torch.nn.parameter.Parameter"))
  expect_equal(as.array(p - t1), a1 - a1)
  expect_equal(as.numeric(sum(p)), sum(a1))
  expect_equal(sprintf("%.1f", v[1, 1]), "1.5")
})

test_that("KerasTensor operators and [ build symbolic tensors; a model computes them", {
  inputs <- keras_input(shape = 3)
  y <- inputs * 2
  expect_true(inherits(y, "torkeras.graph.keras_tensor.KerasTensor"))
  expect_identical(format(shape(y)), "shape(NA, 3)")
  expect_identical(dim(y), c(NA_integer_, 3L))
  expect_identical(length(y), NA_integer_)
  z <- (0.5 - y)[, 2:3] + sum(inputs)
  expect_identical(dim(z), c(NA_integer_, 2L))
  expect_identical(dim(inputs[, -1]), NA_integer_)
  expect_error(as.array(inputs), "symbolic")

  model <- keras_model(inputs, list(z, inputs %*% t(a2), abs(inputs)))
  x <- matrix(c(1, 2, 3,
                4, 5, 6), 2, byrow = TRUE)
  out <- predict(model, x, verbose = 0)
  expect_equal(out[[1]], (0.5 - 2 * x)[, 2:3] + sum(x), tolerance = 1e-5,
               ignore_attr = TRUE)
  expect_equal(out[[2]], x %*% t(a2), tolerance = 1e-5, ignore_attr = TRUE)
  expect_equal(out[[3]], abs(x), ignore_attr = TRUE)
})

test_that("op_* from the guides' class bodies work on tensors with 1-based axes", {
  y_true <- op_convert_to_tensor(matrix(c(0, 1, 0, 0, 0, 1), 2, byrow = TRUE))
  y_pred <- op_convert_to_tensor(matrix(c(0.2, 0.7, 0.1, 0.5, 0.1, 0.4), 2, byrow = TRUE))
  yt <- as.array(y_true); yp <- as.array(y_pred)
  expect_equal(as.array(op_mean(op_square(y_true - y_pred), axis = -1)),
               rowMeans((yt - yp)^2), tolerance = 1e-6, ignore_attr = TRUE)
  expect_equal(as.array(op_mean(op_square(0.5 - y_pred), axis = -1)),
               rowMeans((0.5 - yp)^2), tolerance = 1e-6, ignore_attr = TRUE)
  am <- op_argmax(y_pred, axis = 2) |> op_reshape(c(-1, 1))
  expect_equal(as.array(am), matrix(max.col(yp), ncol = 1))
  labels <- op_convert_to_tensor(matrix(c(2, 1), ncol = 1))
  values <- op_cast(op_cast(labels, "int32") == op_cast(am, "int32"), "float32")
  expect_equal(as.numeric(op_sum(values)), sum(max.col(yp) == c(2, 1)))
  oh <- op_one_hot(op_convert_to_tensor(c(1L, 3L)), num_classes = 3)
  expect_equal(as.array(oh), diag(3)[c(1, 3), ], ignore_attr = TRUE)
  expect_equal(as.array(op_sum(y_pred, axis = 2)), rowSums(yp), tolerance = 1e-6,
               ignore_attr = TRUE)
  mom <- op_moments(y_pred, axes = 2)
  expect_equal(as.array(mom[[1]]), rowMeans(yp), tolerance = 1e-6, ignore_attr = TRUE)
})
