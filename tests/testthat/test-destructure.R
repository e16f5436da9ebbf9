test_that(".[a, b] <- value assigns by position, by name, nested and with ..", {
  .[a, b] <- list(1, "x")
  expect_equal(a, 1)
  expect_equal(b, "x")

  inputs <- list(title = 1:3, text_body = "body", tags = TRUE)
  .[title = t, text_body = body, tags = tags] <- inputs
  expect_equal(t, 1:3)
  expect_equal(body, "body")
  expect_true(tags)

  .[.[x_train, y_train], .[x_test, y_test]] <- list(list(1, 2), list(3, 4))
  expect_equal(c(x_train, y_train, x_test, y_test), c(1, 2, 3, 4))

  .[first, ..] <- list(10, 20, 30)
  expect_equal(first, 10)
})

test_that(".[ ] destructures Python results and model outputs", {
  .[n, d] <- op_shape(op_ones(c(4, 7)))
  expect_equal(c(n, d), c(4, 7))
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, list(inputs |> layer_dense(2), inputs |> layer_dense(1)))
  .[p1, p2] <- model |> predict(matrix(1, 5, 3), verbose = 0)
  expect_equal(dim(p1), c(5, 2))
  expect_equal(dim(p2), c(5, 1))
})

test_that(".[ ] errors name the problem", {
  expect_error(.[a, b] <- list(1, 2, 3), "2 targets for a value of length 3")
  expect_error(.[z = q] <- list(a = 1), "no element named `z`")
})
