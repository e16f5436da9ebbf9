# shape(): construction, printing and conversions.

test_that("unknown dimensions may be written NA, NULL or -1", {
  expect_identical(format(shape(NA, 3)), "shape(NA, 3)")
  expect_identical(format(shape(NULL, 3)), "shape(NA, 3)")
  expect_identical(format(shape(-1, 3)), "shape(NA, 3)")
  expect_output(print(shape(NA, 28, 28, 1)), "^shape\\(NA, 28, 28, 1\\)$")
})

test_that("vectors, lists and shapes are flattened into one shape", {
  expect_identical(format(shape(c(28, 28), 1)), "shape(28, 28, 1)")
  expect_identical(format(shape(list(NA, 4L))), "shape(NA, 4)")
  expect_identical(format(shape(shape(NA, 2), 5)), "shape(NA, 2, 5)")
  expect_identical(format(shape()), "shape()")
})

test_that("a shape is a list of integers with NULL for unknown sizes", {
  s <- shape(NA, 3)
  expect_s3_class(s, "keras_shape")
  expect_identical(as.list(s), list(NULL, 3L))
  expect_identical(as.integer(shape(NA, 28, 3)), c(NA, 28L, 3L))
  expect_identical(as.numeric(shape(2, 3)), c(2, 3))
  expect_identical(length(shape(NA, 28, 3)), 3L)
  expect_identical(format(shape(NA, 28, 3)[2:3]), "shape(28, 3)")
  expect_true(shape(NA, 3) == shape(NULL, 3))
  expect_false(shape(NA, 3) == shape(2, 3))
  expect_true(shape(2, 3) != shape(2))
})

test_that("non-whole or negative sizes are errors", {
  expect_error(shape(2.5), "whole numbers")
  expect_error(shape(-3), "non-negative")
  expect_error(shape("a"), "must be numbers")
})

test_that("a shape converts to a Python tuple with None", {
  py <- r_to_py(shape(NA, 3))
  expect_true(inherits(py, "python.builtin.tuple"))
  expect_identical(reticulate::py_repr(py), "(None, 3)")
})

test_that("shape() of a tensor or an R array is its shape", {
  x <- keras_input(shape = c(5, 2))
  expect_identical(format(shape(x)), "shape(NA, 5, 2)")
  expect_identical(format(shape(random_normal(c(2, 3)))), "shape(2, 3)")
  expect_identical(format(shape(matrix(0, 4, 7))), "shape(4, 7)")
  expect_identical(format(shape(array(0, c(2, 1, 3)), NA)), "shape(2, 1, 3, NA)")
})

test_that("a shape destructures with %<-%, `...` skipping the rest", {
  x <- array(0, c(4, 28, 28, 1))
  c(batch_size, ...) %<-% op_shape(x)
  expect_identical(batch_size, 4L)
  c(n, h, w, ch) %<-% op_shape(x)
  expect_identical(c(n, h, w, ch), c(4L, 28L, 28L, 1L))
  c(b, rest) %<-% shape(NA, 3)
  expect_null(b)
  expect_identical(rest, 3L)
  expect_error(c(a, b) %<-% shape(2, 3, 4), "incorrect number of values")
})
