# Errors crossing between R and Python: what the R user reads, and the state
# a failed fit() leaves behind. (test-errors.R covers the basic Python error
# condition; R/errors.R has the rules.)

first_line <- function(text) strsplit(text, "\n", fixed = TRUE)[[1]][1]

# What try() prints for `expr` (try() applies the same line-width rule as R's
# top-level error printer).
printed_error <- function(expr) {
  out <- try(expr, silent = TRUE)
  expect_s3_class(out, "try-error")
  as.character(out)
}

linear_model <- function(loss = "mse", lr = 0.1) {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = lr), loss = loss,
                   metrics = list("mean_absolute_error"))
  model
}

linear_data <- function(n = 12, seed = 1) {
  set.seed(seed)
  list(x = matrix(rnorm(n * 3), ncol = 3), y = matrix(rnorm(n), ncol = 1))
}

dense_weights <- function(model) {
  w <- model$layers[[1]]$get_weights()
  list(kernel = w[[1]], bias = as.vector(w[[2]]))
}

# One full-batch fit step checked against base R: the logged loss and MAE are
# those of the weights before the step, and the weights move by one SGD step.
expect_one_sgd_step <- function(model, x, y, lr = 0.1) {
  w <- dense_weights(model)
  err <- x %*% w$kernel + w$bias - y
  history <- fit(model, x, y, batch_size = nrow(x), epochs = 1, shuffle = FALSE, verbose = 0)
  expect_equal(history$metrics$loss, mean(err^2), tolerance = 1e-5)
  expect_equal(history$metrics$mean_absolute_error, mean(abs(err)), tolerance = 1e-5)
  w2 <- dense_weights(model)
  expect_equal(w2$kernel, w$kernel - lr * 2 * t(x) %*% err / nrow(x), tolerance = 1e-5)
  expect_equal(w2$bias, w$bias - lr * 2 * mean(err), tolerance = 1e-5)
}

expect_evaluate_predict_match_base_r <- function(model, x, y) {
  w <- dense_weights(model)
  pred <- x %*% w$kernel + w$bias
  expect_equal(predict(model, x, verbose = 0), pred, tolerance = 1e-5, ignore_attr = TRUE)
  result <- evaluate(model, x, y, batch_size = 5, verbose = 0)
  expect_equal(result$loss, mean((pred - y)^2), tolerance = 1e-5)
  expect_equal(result$mean_absolute_error, mean(abs(pred - y)), tolerance = 1e-5)
}

# ---- how errors read -----------------------------------------------------------

test_that("R's top-level error line carries the start of the Python message", {
  rscript <- file.path(R.home("bin"), "Rscript")
  code <- paste(
    "library(torkeras)",
    "m <- keras_model_sequential(input_shape = 3) |> layer_dense(1)",
    "compile(m, loss = 'mse')",
    "fit(m, matrix(runif(300), ncol = 3), runif(90), verbose = 0)",
    sep = "; ")
  # the child R sees the same libraries as this one
  libs <- paste0("R_LIBS=", shQuote(paste(.libPaths(), collapse = .Platform$path.sep)))
  out <- suppressWarnings(system2(rscript, c("-e", shQuote(code)), stdout = TRUE, stderr = TRUE,
                                  env = libs))
  line <- grep("^Error", out, value = TRUE)
  expect_identical(line[1], "Error in fit() : x has 100 rows but y has 90; they must match",
                   info = paste(out, collapse = "\n"))
  expect_false(any(grepl("Traceback|File \"", out)), info = paste(out, collapse = "\n"))
})

test_that("long Python messages are broken so the first printed line is never empty", {
  # Named layers: auto-names ("input_layer_12") depend on the tests run before.
  inp <- keras_input(shape = 3, name = "features")
  model <- keras_model(inp, inp |> layer_dense(1), name = "regressor")
  text <- printed_error(predict(model, matrix(1, 4, 5), verbose = 0))
  expect_identical(first_line(text),
                   'Error in predict() : Input 0 ("features") of layer "regressor" is')
  expect_lte(nchar(first_line(text)) - nchar("Error in predict() : "), 75 - 14 - nchar("predict()"))
  err <- tryCatch(predict(model, matrix(1, 4, 5), verbose = 0), error = identity)
  # the untouched message stays available
  expect_identical(err$python_message,
                   paste('Input 0 ("features") of layer "regressor" is incompatible with the',
                         "layer: expected shape=(None, 3), found shape=(4, 5)."))
  text <- printed_error(compile(model, optimizer = "nope"))
  expect_identical(first_line(text),
                   "Error in compile() : Could not interpret optimizer identifier: 'nope'.")
})

test_that(".fit_first_line() prefers clause boundaries and leaves short lines alone", {
  fit_line <- torkeras:::.fit_first_line
  call <- quote(fit())
  expect_identical(fit_line("short message", call), "short message")
  expect_identical(fit_line("no call means no wrapping at all, however long the line may be, really", NULL),
                   "no call means no wrapping at all, however long the line may be, really")
  msg <- "x has 100 rows but y has 90; they must match (one target per sample).\nsecond line"
  expect_identical(fit_line(msg, call),
                   "x has 100 rows but y has 90; they must match\n(one target per sample).\nsecond line")
  msg <- "x has 100 rows but y has 90; they must match because one target per sample.\nsecond line"
  expect_identical(fit_line(msg, call),
                   "x has 100 rows but y has 90;\nthey must match because one target per sample.\nsecond line")
  # no clause boundary in the first half: the last space that fits
  msg <- paste(rep("word", 20), collapse = " ")
  out <- strsplit(fit_line(msg, call), "\n")[[1]]
  expect_lte(nchar(out[1]), 75 - 14 - nchar("fit()"))
  expect_identical(paste(out, collapse = " "), msg)
  # one long token cannot be broken
  long <- strrep("x", 100)
  expect_identical(fit_line(long, call), long)
})

test_that("argument errors found in R name the function the user called", {
  err <- tryCatch(layer_dense(units = 64.5), error = identity)
  expect_identical(deparse(conditionCall(err)), "layer_dense()")
  expect_match(conditionMessage(err), "^`units` must be a whole number")
  model <- linear_model()
  err <- tryCatch(fit(model, matrix(1, 4, 3), 1:4, epochs = 1.5), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
  err <- tryCatch(model |> fit(matrix(1, 4, 3), 1:4, batch_size = 0.5), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
  err <- tryCatch(fit(model, matrix(1, 4, 3), 1:4, 5), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
  expect_match(conditionMessage(err), "must be named")
  err <- tryCatch(fit(model, matrix(1, 4, 3), 0:3, class_weight = c(a = 1)), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
  # shape() called inside keras_input(): the user called keras_input()
  err <- tryCatch(keras_input(shape = -2), error = identity)
  expect_identical(deparse(conditionCall(err)), "keras_input()")
  expect_match(conditionMessage(err), "non-negative whole")
  err <- tryCatch(op_sum(matrix(1, 2, 2), axis = 0), error = identity)
  expect_identical(deparse(conditionCall(err)), "op_sum()")
  expect_s3_class(err, "torkeras_error")
})

# ---- R errors raised inside R code that Python calls ----------------------------

test_that("an R loss function's error comes back with its message first", {
  model <- linear_model(loss = function(y_true, y_pred) stop("bad loss"))
  d <- linear_data()
  err <- tryCatch(fit(model, d$x, d$y, verbose = 0), error = identity)
  expect_s3_class(err, "torkeras_python_error")
  expect_identical(deparse(conditionCall(err)), "fit()")
  expect_identical(first_line(conditionMessage(err)), "bad loss")
  expect_true(err$from_r)
  expect_match(conditionMessage(err), "Raised by R code called from Python", fixed = TRUE)
  expect_false(grepl("Traceback", conditionMessage(err)))
  # the Python traceback, ending in reticulate's R-function wrapper, is kept
  last <- reticulate::py_last_error()
  expect_identical(last$type, "RuntimeError")
  expect_match(last$message, "Traceback", fixed = TRUE)
  expect_identical(printed_error(fit(model, d$x, d$y, verbose = 0)) |> first_line(),
                   "Error in fit() : bad loss")
})

test_that("multi-line and formatted R messages stay intact", {
  model <- linear_model(loss = function(y_true, y_pred) {
    stop(sprintf("loss got %d columns\nexpected %d", ncol(y_pred), 2L))
  })
  d <- linear_data()
  err <- tryCatch(fit(model, d$x, d$y, verbose = 0), error = identity)
  lines <- strsplit(conditionMessage(err), "\n")[[1]]
  expect_identical(lines[1:2], c("loss got 1 columns", "expected 2"))
  expect_identical(err$python_message, "loss got 1 columns\nexpected 2")
})

test_that("a torkeras error inside an R loss names the op that failed", {
  d <- linear_data()
  model <- linear_model(loss = function(y_true, y_pred) op_mean(y_true - y_pred, axis = 0))
  err <- tryCatch(fit(model, d$x, d$y, verbose = 0), error = identity)
  expect_identical(deparse(conditionCall(err)), "fit()")
  expect_match(first_line(conditionMessage(err)), "^op_mean\\(\\): `axis` is 1-based")
  # the inner error's note line is not repeated
  expect_length(gregexpr("traceback:", conditionMessage(err), fixed = TRUE)[[1]], 1)
  model <- linear_model(loss = function(y_true, y_pred) op_mean(y_true - y_pred, axis = 7))
  err <- tryCatch(fit(model, d$x, d$y, verbose = 0), error = identity)
  expect_match(first_line(conditionMessage(err)), "^op_mean\\(\\): Dimension out of range")
  expect_length(gregexpr("traceback:", conditionMessage(err), fixed = TRUE)[[1]], 1)
})

test_that("an R error in a Python-called R function can be caught by Python code", {
  main <- reticulate::py_run_string(paste(
    "def call_and_catch(f):",
    "    try:",
    "        f()",
    "    except RuntimeError as e:",
    "        return 'caught: ' + str(e)",
    sep = "\n"), local = TRUE)
  expect_identical(main$call_and_catch(function() stop("from R")), "caught: from R")
})

# ---- a failed fit leaves the model usable ------------------------------------------

test_that("after an R callback fails at batch 3, fit/evaluate/predict give base-R numbers", {
  d <- linear_data()
  model <- linear_model()
  FailAtBatch3 <- Callback(
    "FailAtBatch3",
    on_train_batch_end = function(batch, logs = NULL) {
      if (batch == 3) {
        self$model$stop_training <- TRUE
        stop("callback failed at batch ", batch)
      }
    }
  )
  err <- tryCatch(fit(model, d$x, d$y, batch_size = 2, epochs = 3, verbose = 0,
                      callbacks = list(FailAtBatch3())),
                  error = identity)
  expect_identical(first_line(conditionMessage(err)), "callback failed at batch 3")
  expect_identical(deparse(conditionCall(err)), "fit()")
  # three batches were applied, each counted once by the optimizer
  expect_equal(as.numeric(model$optimizer$iterations$numpy()), 3)
  expect_false(model$training)
  expect_evaluate_predict_match_base_r(model, d$x, d$y)
  expect_one_sgd_step(model, d$x, d$y)
  # stop_training set just before the error does not stop the next fit
  history <- fit(model, d$x, d$y, batch_size = 4, epochs = 3, verbose = 0)
  expect_length(history$metrics$loss, 3)
  expect_false(model$stop_training)
})

test_that("after a failing R loss, the same model trains once the loss works", {
  d <- linear_data()
  fail <- TRUE
  model <- linear_model(loss = function(y_true, y_pred) {
    if (fail) stop("bad loss")
    op_mean(op_square(y_true - y_pred), axis = -1)
  })
  before <- dense_weights(model)
  expect_error(fit(model, d$x, d$y, verbose = 0), "bad loss")
  expect_identical(dense_weights(model), before)  # nothing was applied
  expect_equal(as.numeric(model$optimizer$iterations$numpy()), 0)
  fail <- FALSE
  expect_one_sgd_step(model, d$x, d$y)
  expect_evaluate_predict_match_base_r(model, d$x, d$y)
})

test_that("an error in an R layer's call() leaves the model usable", {
  d <- linear_data()
  broken <- TRUE
  MaybeBroken <- Layer(
    "MaybeBroken",
    call = function(inputs, training = NULL) {
      if (broken && isTRUE(training)) stop("layer broke while training")
      inputs
    }
  )
  model <- keras_model_sequential(input_shape = 3) |>
    MaybeBroken() |>
    layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse",
                   metrics = list("mean_absolute_error"))
  err <- tryCatch(fit(model, d$x, d$y, verbose = 0), error = identity)
  expect_identical(first_line(conditionMessage(err)), "layer broke while training")
  expect_false(model$training)
  # predict runs with training = FALSE, so the layer works there
  w <- model$layers[[2]]$get_weights()
  expect_equal(predict(model, d$x, verbose = 0), d$x %*% w[[1]] + as.vector(w[[2]]),
               tolerance = 1e-5, ignore_attr = TRUE)
  broken <- FALSE
  history <- fit(model, d$x, d$y, batch_size = 4, epochs = 2, verbose = 0)
  expect_length(history$metrics$loss, 2)
  expect_true(all(is.finite(history$metrics$loss)))
})
