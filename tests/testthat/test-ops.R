# The generated op_* wrappers: 1-based axes and indices, shapes.

to_r <- function(x) op_convert_to_numpy(x)

x <- matrix(c(1, 5, 3,
              7, 2, 9,
              4, 8, 6,
              0, 1, 2), 4, byrow = TRUE)

test_that("reductions take 1-based axes", {
  expect_equal(as.vector(to_r(op_sum(x, axis = 1))), colSums(x))
  expect_equal(as.vector(to_r(op_sum(x, axis = 2))), rowSums(x))
  expect_equal(as.vector(to_r(op_sum(x, axis = -1))), rowSums(x))
  expect_equal(as.numeric(to_r(op_sum(x))), sum(x))
  expect_equal(as.numeric(to_r(op_sum(x, axis = c(1, 2)))), sum(x))
  expect_equal(as.vector(to_r(op_mean(x, axis = 1))), colMeans(x), tolerance = 1e-6)
  expect_equal(as.vector(to_r(op_mean(x, axis = 2))), rowMeans(x), tolerance = 1e-6)
  expect_equal(dim(to_r(op_mean(x, axis = 2, keepdims = TRUE))), c(4L, 1L))
  expect_equal(as.vector(to_r(op_max(x, axis = 1))), apply(x, 2, max))
})

test_that("axis = 0 is an error", {
  expect_error(op_sum(x, axis = 0), "`axis` is 1-based")
  expect_error(op_argmax(x, axis = 0), "`axis` is 1-based")
  expect_error(op_mean(x, axis = 1.5), "`axis` must be a whole number")
})

test_that("argmax/argmin return 1-based indices", {
  expect_equal(as.vector(to_r(op_argmax(x, axis = 2))), max.col(x, ties.method = "first"))
  expect_equal(as.vector(to_r(op_argmax(x, axis = 1))), apply(x, 2, which.max))
  expect_equal(as.vector(to_r(op_argmin(x, axis = 2))), apply(x, 1, which.min))
  expect_equal(as.vector(to_r(op_argmax(x, axis = 2, zero_indexed = TRUE))),
               max.col(x, ties.method = "first") - 1)
  expect_equal(as.vector(to_r(op_argmax(c(3, 9, 1)))), 2)
})

test_that("op_top_k returns values and 1-based indices", {
  res <- op_top_k(c(1, 5, 3, 4), k = 2)
  expect_equal(as.vector(to_r(res[[1]])), c(5, 4))
  expect_equal(as.vector(to_r(res[[2]])), c(2, 4))
  expect_error(op_top_k(c(1, 2), k = 1.5), "`k`")
})

test_that("op_one_hot takes 1-based class ids unless zero_indexed", {
  expect_equal(to_r(op_one_hot(c(1, 3, 2), 3)), diag(3)[c(1, 3, 2), ], ignore_attr = TRUE)
  expect_equal(to_r(op_one_hot(c(0, 2, 1), num_classes = 3, zero_indexed = TRUE)),
               diag(3)[c(1, 3, 2), ], ignore_attr = TRUE)
  expect_error(op_one_hot(c(1, 2), num_classes = 2.5), "`num_classes`")
})

test_that("op_shape returns a shape()", {
  inputs <- keras_input(shape = c(28, 28))
  s <- op_shape(inputs)
  expect_s3_class(s, "keras_shape")
  expect_identical(format(s), "shape(NA, 28, 28)")
  expect_true(op_shape(x) == shape(4, 3))
})

test_that("op_reshape treats NA as an inferred dimension (row-major, like keras3)", {
  v <- c(1, 2, 3, 4, 5, 6)
  expect_equal(to_r(op_reshape(v, c(NA, 2))), matrix(v, 3, byrow = TRUE), ignore_attr = TRUE)
  expect_equal(to_r(op_reshape(v, c(-1, 3))), matrix(v, 2, byrow = TRUE), ignore_attr = TRUE)
})

test_that("axis arguments of other ops are 1-based", {
  expect_equal(to_r(op_concatenate(list(x, x), axis = 1)), rbind(x, x), ignore_attr = TRUE)
  expect_equal(to_r(op_concatenate(list(x, x), axis = 2)), cbind(x, x), ignore_attr = TRUE)
  expect_equal(to_r(op_concatenate(list(x, x))), rbind(x, x), ignore_attr = TRUE)
  expect_equal(dim(to_r(op_expand_dims(x, axis = 1))), c(1L, 4L, 3L))
  expect_equal(dim(to_r(op_expand_dims(x, axis = -1))), c(4L, 3L, 1L))
  a <- array(seq_len(24), c(2, 3, 4))
  expect_equal(to_r(op_transpose(a, axes = c(2, 1, 3))), aperm(a, c(2, 1, 3)),
               ignore_attr = TRUE)
  expect_equal(dim(to_r(op_stack(list(x, x), axis = 3))), c(4L, 3L, 2L))
  sm <- to_r(op_softmax(x, axis = 1))
  expect_equal(colSums(sm), rep(1, 3), tolerance = 1e-6)
})

test_that("elementwise ops compute like base R", {
  expect_equal(to_r(op_square(x)), x^2, ignore_attr = TRUE)
  expect_equal(to_r(op_sqrt(x)), sqrt(x), ignore_attr = TRUE, tolerance = 1e-6)
  expect_equal(to_r(op_multiply(x, 2)), x * 2, ignore_attr = TRUE)
  expect_equal(as.vector(to_r(op_divide_no_nan(c(1, 2), c(0, 4)))), c(0, 0.5))
  expect_identical(op_dtype(op_cast(x, "int32")), "int32")
})

test_that("random wrappers take shapes and integer seeds", {
  r <- to_r(random_normal(c(2, 3), seed = 1))
  expect_equal(dim(r), c(2L, 3L))
  expect_equal(to_r(random_normal(shape(2, 3), seed = 1)), r)
  expect_error(random_normal(c(2, 3), seed = 1.5), "whole number")
})
