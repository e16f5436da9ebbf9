# R conventions of keras3's ops that differ from Python's: op_arange includes
# its end (as seq()), whole-number arguments given as R doubles or lists.

arr <- function(x) as.array(x)

test_that("op_arange(end) is 1..end and the end is included, as keras3", {
  expect_equal(as.vector(arr(op_arange(5L))), 1:5)
  expect_equal(as.vector(arr(op_arange(5))), c(1, 2, 3, 4, 5))
  expect_equal(as.vector(arr(op_arange(0, 1, 0.25))), seq(0, 1, by = 0.25))
  expect_equal(as.vector(arr(op_arange(1, 6, 2))), c(1, 3, 5))      # 6 is off the grid
  expect_equal(as.vector(arr(op_arange(10L, 1L, -3L))), c(10L, 7L, 4L, 1L))
  expect_equal(as.vector(arr(op_arange(0L, 5L, include_end = FALSE))), 0:4)
  expect_equal(as.vector(arr(op_arange(0, 0.9, 0.3))), c(0, 0.3, 0.6, 0.9), tolerance = 1e-6)
  expect_identical(op_arange(3L)$dtype, op_arange(3L, dtype = "int32")$dtype)
  expect_error(op_arange(1, 5, 0), "`step` must not be 0", class = "error")
  expect_error(op_arange("a"), "`start` must be a single number", class = "error")
})

test_that("offsets and axis counts given as R doubles are whole numbers", {
  m <- matrix(1:9, 3, 3, byrow = TRUE)
  expect_equal(as.numeric(arr(op_trace(m, offset = 1))), 2 + 6)
  expect_equal(as.vector(arr(op_diagonal(m, offset = 1))), c(2, 6))
  a <- array(as.numeric(1:24), c(2, 3, 4))
  b <- array(as.numeric(1:12), c(3, 4))
  expect_equal(as.vector(arr(op_tensordot(a, b, axes = 2))),
               sapply(1:2, function(i) sum(a[i, , ] * b)))
  expect_error(op_trace(m, offset = 1.5), "whole number")
})

test_that("lists of whole numbers become integers (metric_iou target_class_ids)", {
  m <- metric_iou(num_classes = 2L, target_class_ids = list(0, 1))
  m$update_state(c(0, 1, 1), c(0, 1, 0))
  # class 0: tp 1, fp 1, fn 0 -> 1/2; class 1: tp 1, fp 0, fn 1 -> 1/2
  expect_equal(as.numeric(arr(m$result())), 0.5, tolerance = 1e-6)
})
