# Argument conversions of the generated wrappers (R/conversions.R).

py_value <- function(x) reticulate::py_to_r(x)

test_that("as_integer coerces whole doubles and names the argument otherwise", {
  expect_identical(as_integer(64, "units"), 64L)
  expect_identical(as_integer(c(2, 3), "units"), c(2L, 3L))
  expect_identical(as_integer(NULL, "units"), NULL)
  expect_identical(as_integer("auto", "verbose"), "auto")
  expect_error(as_integer(64.5, "units"), "`units` must be a whole number.*64.5")
  expect_error(as_integer(NA_real_, "units"), "`units` must be a whole number, not NA")
  expect_error(as_integer(Inf, "epochs"), "`epochs`")
})

test_that("integer arguments of wrappers are coerced, with errors naming them", {
  layer <- layer_dense(units = 64)
  expect_identical(layer$units, 64L)
  expect_error(layer_dense(units = 64.5), "`units` must be a whole number")
  expect_error(layer_dense(, 64.5), "`units`")
  expect_error(layer_conv_2d(filters = 2.5, kernel_size = 3), "`filters`")
  expect_error(layer_conv_2d(filters = 2, kernel_size = c(3, 3.5)), "`kernel_size`")
  expect_error(layer_embedding(input_dim = 10.2, output_dim = 3), "`input_dim`")
})

test_that("as_integer_tuple keeps one number scalar and makes tuples of several", {
  expect_identical(as_integer_tuple(3, "kernel_size"), 3L)
  t2 <- as_integer_tuple(c(3, 5), "kernel_size")
  expect_s3_class(t2, "python.builtin.tuple")
  expect_identical(py_value(t2), list(3L, 5L))
  expect_identical(as_integer_tuple("same", "padding"), "same")
  layer <- layer_conv_2d(filters = 2, kernel_size = c(3, 5))
  expect_equal(unlist(layer$kernel_size), c(3, 5))
  layer <- layer_max_pooling_2d(pool_size = 2)
  expect_equal(unlist(layer$pool_size), c(2, 2))
})

test_that("as_axis is 1-based, keeps negatives and rejects 0", {
  expect_identical(as_axis(1, "axis"), 0L)
  expect_identical(as_axis(3, "axis"), 2L)
  expect_identical(as_axis(-1, "axis"), -1L)
  expect_identical(as_axis(NULL, "axis"), NULL)
  expect_identical(py_value(as_axis(c(1, 2), "axis")), list(0L, 1L))
  expect_error(as_axis(0, "axis"), "`axis` is 1-based")
  expect_error(as_axis(1.5, "axis"), "`axis` must be a whole number")
  # Layers convert their axis too: R's axis 2 is Python's axis 1.
  expect_identical(layer_concatenate(axis = 2)$axis, 1L)
  expect_identical(layer_concatenate()$axis, -1L)
  expect_error(layer_concatenate(axis = 0), "1-based")
})

test_that("shapes: NA and NULL are unknown dimensions", {
  expect_identical(py_value(as_shape_arg(c(NA, 3), "shape")), list(NULL, 3L))
  expect_identical(py_value(as_shape_arg(list(NULL, 3), "shape")), list(NULL, 3L))
  expect_identical(py_value(as_shape_arg(shape(NA, 28, 28), "shape")), list(NULL, 28L, 28L))
  expect_identical(py_value(as_shape_arg(784, "shape")), list(784L))
  expect_error(as_shape_arg(c(2.5, 3), "input_shape"), "`input_shape`")
  # For reshapes an unknown dimension is inferred (-1).
  expect_identical(py_value(as_reshape_dims(c(NA, 4), "newshape")), list(-1L, 4L))
  expect_identical(py_value(as_reshape_dims(c(-1, 4), "newshape")), list(-1L, 4L))
})

test_that("index values are 1-based unless zero_indexed", {
  expect_identical(as_py_index(c(1, 2, 3)), c(0L, 1L, 2L))
  expect_identical(as_py_index(c(-1, 0, 2)), c(-1L, 0L, 1L))
  expect_identical(as_py_index(factor(c("b", "a", "b"))), array(c(1L, 0L, 1L), dim = 3L))
  expect_error(as_py_index(1.5, "x"), "`x` must be a whole number")
  m <- matrix(c(1, 2, 3, 4), 2)
  expect_identical(dim(as_py_index(m)), c(2L, 2L))
  expect_identical(index_rule(TRUE)(c(0, 1, 2), "x"), c(0L, 1L, 2L))
})

test_that("capture_args forwards only supplied arguments, NULL included", {
  f <- function(a, b = 2, ...) capture_args(list(a = as_integer))
  expect_identical(f(a = 1), list(a = 1L))
  expect_identical(f(b = NULL), list(b = NULL))
  expect_identical(f(1, z = "x"), list(a = 1L, z = "x"))
  expect_identical(f(), list())
  expect_error(f(1, 2, 3), "must be named")
  # Values are evaluated where the caller wrote them.
  g <- function(n) f(a = n * 2)
  expect_identical(g(3), list(a = 6L))
  # `...` passed on by another function.
  h <- function(...) f(...)
  expect_identical(h(a = 4, b = 5), list(a = 4L, b = 5))
  # Errors from rules name the call.
  expect_error(f(a = 0.5), "`a` must be a whole number")
})

test_that("omitted arguments keep the Python defaults", {
  layer <- layer_dense(, 3)
  expect_identical(layer$use_bias, TRUE)
  expect_identical(layer$get_config()$activation, "linear")
  layer <- layer_dense(, 3, use_bias = FALSE, activation = NULL)
  expect_identical(layer$use_bias, FALSE)
})

test_that("layer arguments in `...` are converted too", {
  layer <- layer_dense(, 4, input_shape = 3, name = "with_input_shape")
  expect_identical(layer$name, "with_input_shape")
  expect_error(layer_dense(, 4, input_shape = 2.5), "`input_shape`")
})

test_that("large R arrays reach Python row-major with exact values (threaded block copy)", {
  # Large enough (> 4 MB) for bridge.data.c_ordered_copy to split the copy
  # into blocks of rows over threads; the values are exact in float32.
  bridge <- reticulate::import("torkeras.bridge", convert = FALSE)
  torch <- reticulate::import("torch", convert = FALSE)
  threads <- reticulate::py_to_r(torch$get_num_threads())
  on.exit(torch$set_num_threads(threads))
  torch$set_num_threads(2L)  # the threaded path, also on a one-core machine
  to_python <- function(x) bridge$from_r(torkeras:::.as_py_data(x))
  back <- function(p) reticulate::py_to_r(p)

  x <- matrix(seq_len(8001 * 150) / 4, 8001, 150)
  p <- to_python(x)
  expect_identical(reticulate::py_str(p$dtype), "float32")
  expect_true(reticulate::py_to_r(p$flags$c_contiguous))
  expect_identical(back(p), x)
  # row 2 in Python is R's row 3: R's column-major order turned into rows
  expect_identical(back(p$`__getitem__`(2L)$tolist()), x[3, ])

  a <- array(seq_len(203 * 50 * 60) / 2, c(203, 50, 60))
  pa <- to_python(a)
  expect_identical(back(pa$shape), list(203L, 50L, 60L))
  expect_identical(back(pa), a)
  expect_identical(back(pa$`__getitem__`(reticulate::tuple(201L, 48L, 58L))), a[202, 49, 59])

  i <- matrix(seq_len(3001 * 400) - 600000L, 3001, 400)
  pi <- to_python(i)
  expect_identical(reticulate::py_str(pi$dtype), "int32")
  expect_identical(back(pi), i)

  set.seed(7)
  l <- matrix(runif(3001 * 1000) > 0.5, 3001, 1000)
  pl <- to_python(l)
  expect_identical(reticulate::py_str(pl$dtype), "bool")
  expect_identical(back(pl), l)
})
