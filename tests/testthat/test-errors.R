# Python exceptions reach the user as R errors headed by the Python message.

compiled_model <- function() {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(loss = "mse")
  model
}

test_that("x/y row mismatch in fit() is an R error whose first line is the Python message", {
  model <- compiled_model()
  err <- tryCatch(
    fit(model, matrix(runif(100 * 3), ncol = 3), runif(90)),
    error = identity
  )
  expect_s3_class(err, "torkeras_python_error")
  first_line <- strsplit(conditionMessage(err), "\n")[[1]][1]
  expect_match(first_line, "^x has 100 rows but y has 90")
  expect_identical(err$python_type, "ValueError")
  expect_identical(deparse(conditionCall(err)), "fit()")
  expect_false(grepl("Traceback", conditionMessage(err)))
  # the Python traceback stays available
  expect_match(reticulate::py_last_error()$message, "Traceback", fixed = TRUE)
})

test_that("the error prints as 'Error in fit() : <Python message>'", {
  model <- compiled_model()
  out <- tryCatch(fit(model, matrix(1, 4, 3), c(1, 2)), error = function(e) e)
  text <- paste(capture.output(print(out)), collapse = "\n")
  expect_match(text, "^<torkeras_python_error in fit\\(\\): x has 4 rows but y has 2")
})

test_that("errors from other verbs name the verb", {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  err <- tryCatch(evaluate(model, matrix(1, 2, 3), c(1, 2)), error = identity)
  expect_s3_class(err, "torkeras_python_error")
  expect_identical(deparse(conditionCall(err)), "evaluate()")
  err <- tryCatch(keras_model(inputs = 1, outputs = 2), error = identity)
  expect_identical(deparse(conditionCall(err)), "keras_model()")
})

test_that("R-side argument errors stay plain R errors", {
  model <- compiled_model()
  expect_error(fit(model, matrix(1, 4, 3), 1:4, epochs = 1.5), "`epochs` must be a whole number", fixed = TRUE)
  expect_error(fit(model, matrix(1, 4, 3), 1:4, 5), "must be named")
})
