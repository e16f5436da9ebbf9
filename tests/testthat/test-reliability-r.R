# Issue 9 from the R side: what only the R conversion can get wrong.
#   item 2   load_model(safe_mode =) takes only TRUE/FALSE (isTRUE() read NA,
#            1, "TRUE", c(TRUE, TRUE) as FALSE and ran the file's code)
#   item 6   NA in logical, integer, factor data (and any data frame column) is
#            an error naming the data, column and first row (a logical NA was
#            TRUE, an integer NA -2147483648)
#   item 10  NA given for an integer argument says NA (it reached Python as
#            True); Ctrl-C in R code called from fit() is an R interrupt
#   item 11  predict() on a large double matrix stays near 1x the input in
#            peak memory
# Messages come from docs/reliability.md.

rr_weights <- function(model) lapply(model$weights, function(w) as.array(w$numpy()))

rr_regressor <- function(features = 3) {
  model <- keras_model_sequential(input_shape = features) |> layer_dense(1)
  model |> compile(optimizer = "sgd", loss = "mse")
  model
}

# ---- item 2: safe_mode -----------------------------------------------------------

# A .keras file whose loss is a Python lambda that creates `marker` when it
# runs: loading it with safe_mode = FALSE and evaluating runs stored code.
rr_file_with_code <- function(marker) {
  loss <- reticulate::py_eval(sprintf(
    "lambda y, p: (open(%s, 'w').close(), keras.ops.mean(keras.ops.square(y - p)))[1]",
    deparse(marker)))
  inputs <- keras_input(shape = 3)
  model <- keras_model(inputs, inputs |> layer_dense(1))
  model |> compile(optimizer = "sgd", loss = loss)
  path <- tempfile(fileext = ".keras")
  warnings <- reticulate::import("warnings")
  with(warnings$catch_warnings(), {
    warnings$simplefilter("ignore")  # "Serializing a Python lambda"
    save_model(model, path)
  })
  path
}

test_that("load_model() refuses a safe_mode that is not TRUE or FALSE, running no code", {
  marker <- tempfile("stored_code_ran")
  path <- rr_file_with_code(marker)
  on.exit(unlink(c(path, marker)))
  expect_documented_error(load_model(path, safe_mode = NA), "9.2-r-safe-mode-na")
  expect_documented_error(load_model(path, safe_mode = 1), "9.2-r-safe-mode-number")
  expect_documented_error(load_model(path, safe_mode = "TRUE"), "9.2-r-safe-mode-string")
  expect_documented_error(load_model(path, safe_mode = c(TRUE, TRUE)), "9.2-r-safe-mode-vector")
  expect_documented_error(load_model(path, safe_mode = NULL), "9.2-r-safe-mode-null")
  expect_documented_error(load_model(path, compile = NA), "9.2-r-compile-na")
  err <- expect_error(load_model(path, safe_mode = NA))
  expect_identical(conditionCall(err), quote(load_model()))
  expect_false(file.exists(marker))

  # TRUE refuses the lambda; only FALSE loads it, and then its code runs.
  expect_error(load_model(path), "Refusing to deserialize a Python lambda")
  expect_error(load_model(path, safe_mode = TRUE), "Refusing to deserialize a Python lambda")
  expect_false(file.exists(marker))
  loaded <- load_model(path, safe_mode = FALSE)
  evaluate(loaded, matrix(1, 2, 3), matrix(0, 2, 1), verbose = 0)
  expect_true(file.exists(marker))
})

# ---- item 6: NA in R data ---------------------------------------------------------------

test_that("a logical NA is an error, not TRUE, and nothing trains", {
  model <- rr_regressor()
  before <- rr_weights(model)
  x <- matrix(runif(30), 10, 3)
  y <- c(TRUE, NA, rep(c(TRUE, FALSE), 4))
  expect_documented_error(fit(model, x, y, verbose = 0), "9.6-r-logical-na")
  expect_identical(rr_weights(model), before)
  expect_identical(as.numeric(model$optimizer$iterations$numpy()), 0)
})

test_that("an integer NA is an error (it would be -2147483648)", {
  model <- rr_regressor()
  x <- matrix(1:30, 10, 3)
  x[c(3, 5), 2] <- NA
  expect_documented_error(fit(model, x, runif(10), verbose = 0), "9.6-r-integer-na")
  expect_documented_error(predict(model, x, verbose = 0), "9.6-r-integer-na")
  expect_documented_error(predict_on_batch(model, x), "9.6-r-integer-na")
})

test_that("a factor NA is an error (evaluate, train_on_batch)", {
  model <- rr_regressor()
  x <- matrix(runif(15), 5, 3)
  y <- factor(c("a", "b", "a", NA, "b"))
  expect_documented_error(evaluate(model, x, y, verbose = 0), "9.6-r-factor-na")
  expect_documented_error(train_on_batch(model, x, y), "9.6-r-factor-na")
})

test_that("NA in sample weights is an error", {
  model <- rr_regressor()
  expect_documented_error(
    fit(model, matrix(runif(15), 5, 3), runif(5), sample_weight = c(1L, NA, 1L, 1L, 1L),
        verbose = 0),
    "9.6-r-sample-weight-na")
})

test_that("NA in a data frame names the column, doubles included", {
  model <- rr_regressor(2)
  before <- rr_weights(model)
  df <- data.frame(age = c(30L, NA, NA, 41L, NA, 50L), height = c(1.7, 1.8, 1.6, 1.9, 1.75, 1.65))
  expect_documented_error(fit(model, df, runif(6), verbose = 0), "9.6-r-data-frame-na")
  df <- data.frame(age = 1:6, height = c(1.7, 1.8, 1.6, 1.9, NA, 1.65))
  expect_documented_error(fit(model, df, runif(6), verbose = 0), "9.6-r-data-frame-double-na")
  expect_identical(rr_weights(model), before)
})

test_that("NA in one array of a list names the list element", {
  a <- keras_input(shape = 2, name = "a")
  b <- keras_input(shape = 1, name = "b")
  model <- keras_model(list(a = a, b = b), layer_concatenate(list(a, b)) |> layer_dense(1))
  model |> compile(optimizer = "sgd", loss = "mse")
  x <- list(a = matrix(runif(8), 4, 2), b = c(NA, TRUE, FALSE, TRUE))
  expect_documented_error(fit(model, x, runif(4), verbose = 0), "9.6-r-list-input-na")
})

test_that("NA in validation data is refused before training starts", {
  model <- rr_regressor()
  before <- rr_weights(model)
  x <- matrix(runif(30), 10, 3)
  val <- list(matrix(runif(9), 3, 3), factor(c("a", NA, "b")))
  expect_documented_error(fit(model, x, runif(10), validation_data = val, verbose = 0),
                          "9.6-r-validation-na")
  expect_identical(rr_weights(model), before)
})

test_that("NA in a batch of an R generator is refused before the batch is used", {
  model <- rr_regressor()
  calls <- 0
  gen <- function() {
    calls <<- calls + 1
    y <- c(TRUE, FALSE, TRUE, FALSE)
    if (calls == 2) y[1] <- NA
    list(matrix(runif(12), 4, 3), y)
  }
  expect_documented_error(fit(model, gen, steps_per_epoch = 3, verbose = 0), "9.6-r-generator-na")
  expect_identical(as.numeric(model$optimizer$iterations$numpy()), 1)
})

test_that("factor columns of a data frame are their 0-based codes (they were strings)", {
  inputs <- keras_input(shape = 2)
  model <- keras_model(inputs, inputs |> layer_dense(2, use_bias = FALSE,
                                                     kernel_initializer = "identity"))
  df <- data.frame(level = factor(c("low", "high", "mid", "low"), levels = c("low", "mid", "high")),
                   value = c(0.5, 1.5, 2.5, 3.5))
  expect_equal(predict(model, df, verbose = 0),
               cbind(c(0, 2, 1, 0), c(0.5, 1.5, 2.5, 3.5)), tolerance = 1e-6)
})

# ---- item 10: NA for integer arguments ------------------------------------------------

test_that("NA for an integer argument says NA", {
  model <- rr_regressor()
  x <- matrix(runif(30), 10, 3)
  y <- runif(10)
  expect_documented_error(fit(model, x, y, batch_size = NA, verbose = 0), "9.10-r-batch-size-na")
  expect_documented_error(evaluate(model, x, y, batch_size = NA, verbose = 0),
                          "9.10-r-batch-size-na")
  expect_documented_error(predict(model, x, batch_size = NA, verbose = 0), "9.10-r-batch-size-na")
  expect_documented_error(fit(model, x, y, epochs = NA, verbose = 0), "9.10-r-epochs-na")
  expect_documented_error(fit(model, x, y, verbose = NA), "9.10-r-verbose-na")
  expect_documented_error(fit(model, x, y, initial_epoch = NA, verbose = 0),
                          "9.10-r-initial-epoch-na")
  expect_documented_error(layer_dense(units = NA), "9.10-r-units-na")
  err <- expect_error(layer_dense(units = NA))
  expect_identical(conditionCall(err), quote(layer_dense()))
  expect_documented_error(op_sum(matrix(1, 2, 2), axis = NA), "9.10-r-axis-na")
  expect_identical(as.numeric(model$optimizer$iterations$numpy()), 0)
})

# ---- item 10: Ctrl-C in R code called from fit() ---------------------------------------

# Run in a child R process: each case interrupts itself (SIGINT, as Ctrl-C
# does) from R code that fit() calls, and prints what the caller's
# tryCatch() saw, whether the model is back in inference mode, and whether it
# predicts and trains afterwards. The first case shows a progress bar, which
# must be ended (the next output starts a line), and no traceback may appear.
test_that("Ctrl-C in an R callback, class method, loss or generator is an R interrupt", {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script))
  writeLines(r"---(
    suppressPackageStartupMessages(library(torkeras))
    model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
    model |> compile(optimizer = "sgd", loss = "mse")
    x <- matrix(runif(300), 100, 3); y <- runif(100)
    interrupt_me <- function() { tools::pskill(Sys.getpid(), tools::SIGINT); Sys.sleep(0.5) }
    outcome <- function(label, expr) {
      seen <- tryCatch({ force(expr); "finished" },
                       interrupt = function(e) "interrupt",
                       error = function(e) paste("error:", conditionMessage(e)))
      cat(sprintf("%s: %s, training=%s\n", label, seen, model$training))
    }
    outcome("callback_lambda", fit(model, x, y, epochs = 3, verbose = 1,
      callbacks = list(callback_lambda(on_epoch_end = function(epoch, logs)
        if (epoch == 2) interrupt_me()))))
    Stopper <- Callback("Stopper", on_train_batch_end = function(batch, logs = NULL)
      if (batch == 2) interrupt_me())
    outcome("Callback() method", fit(model, x, y, epochs = 2, verbose = 0,
                                     callbacks = list(Stopper())))
    outcome("nested predict()", fit(model, x, y, epochs = 2, verbose = 0,
      callbacks = list(callback_lambda(on_epoch_end = function(epoch, logs)
        predict(model, x, verbose = 0, callbacks = list(callback_lambda(
          on_predict_batch_end = function(batch, logs) interrupt_me())))))))
    outcome("R loss", {
      model2 <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
      model2 |> compile(optimizer = "sgd", loss = function(y_true, y_pred) {
        interrupt_me(); op_mean(op_square(y_true - y_pred)) })
      fit(model2, x, y, verbose = 0)
    })
    batches <- 0
    outcome("R generator", fit(model, function() {
      batches <<- batches + 1
      if (batches == 3) interrupt_me()
      list(x[1:10, ], y[1:10])
    }, steps_per_epoch = 5, verbose = 0))
    cat("predicts:", identical(dim(predict(model, x, verbose = 0)), c(100L, 1L)), "\n")
    history <- fit(model, x, y, epochs = 1, verbose = 0)
    cat("trains:", is.finite(history$metrics$loss), "\n")
  )---", script)
  out <- system2(file.path(R.home("bin"), "Rscript"), script, stdout = TRUE, stderr = TRUE,
                 env = paste0("RETICULATE_PYTHON=", Sys.getenv("RETICULATE_PYTHON")))
  expect_false(any(grepl("Traceback|KeyboardInterrupt|Error", out)))
  out <- out[grepl("^[A-Za-z_() ]+: ", out)]
  expect_identical(out, c(
    "callback_lambda: interrupt, training=FALSE",
    "Callback() method: interrupt, training=FALSE",
    "nested predict(): interrupt, training=FALSE",
    "R loss: interrupt, training=FALSE",
    "R generator: interrupt, training=FALSE",
    "predicts: TRUE ",
    "trains: TRUE "
  ))
})

# ---- item 11: predict() memory ----------------------------------------------------------

rr_status_mb <- function(key) {
  line <- grep(paste0("^", key, ":"), readLines("/proc/self/status"), value = TRUE)
  as.numeric(gsub("[^0-9]", "", line)) / 1024
}

test_that("large arrays come back to R in blocks, exactly as reticulate converts them", {
  np <- reticulate::import("numpy", convert = FALSE)
  cases <- list(
    np$random$rand(40000L, 3L, 5L)$astype("float32"),  # 4.8 MB as doubles: 2 blocks
    np$arange(1200000L, dtype = "int32")$reshape(c(600000L, 2L)),
    np$random$rand(700000L),
    np$random$rand(3L, 4L)                                # small: converted whole
  )
  for (array in cases)
    expect_identical(torkeras:::.py_array_to_r(array), reticulate::py_to_r(array))
  nested <- reticulate::py_eval(
    "{'a': [__import__('numpy').ones((700000, 1)), 2.5], 'b': (__import__('numpy').zeros(2),)}",
    convert = FALSE)
  expect_identical(torkeras:::.py_result_to_r(nested), reticulate::py_to_r(nested))
})

test_that("predict() on a large double matrix peaks near the size of its result", {
  skip_if_not(file.exists("/proc/self/clear_refs") && file.access("/proc/self/clear_refs", 2) == 0,
              "needs Linux's /proc/self/clear_refs to reset the peak memory")
  inputs <- keras_input(shape = 50)
  model <- keras_model(inputs, inputs |> layer_dense(50, use_bias = FALSE,
                                                     kernel_initializer = "identity"))
  x <- matrix(runif(200000 * 50), ncol = 50)  # 76 MB
  invisible(predict(model, x[1:50000, ], verbose = 0))
  invisible(gc())
  before <- rr_status_mb("VmRSS")
  writeLines("5", "/proc/self/clear_refs")  # VmHWM := VmRSS
  predicted <- predict(model, x, batch_size = 1024, verbose = 0)
  peak_extra <- rr_status_mb("VmHWM") - before
  # The result itself is 1x (R doubles) and the float32 predictions 0.5x;
  # converting them whole cost another 1x (2.5x in all, measured).
  expect_lt(peak_extra / (object.size(x) / 2^20), 1.6)
  expect_equal(predicted, x, tolerance = 1e-6)
})
