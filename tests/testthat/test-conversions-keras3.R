# Issue 12, "Conversions": R calls written the keras3 way. Trailing commas,
# verbose = TRUE/FALSE, x$shape as a shape(), model numbering, summaries of
# Sequential models built from data or not built, self$metrics in a custom
# train_step. Expected texts are what Keras 3.15 (torch backend) prints.

# Automatic names start again (clear_session() does this; the engine's
# naming.reset_uids() is what it calls).
reset_names <- function() {
  reticulate::import("torkeras.naming")$reset_uids()
}

small_data <- function(n = 8, seed = 1) {
  set.seed(seed)
  list(x = matrix(runif(n * 3), n, 3), y = matrix(runif(n), n, 1))
}

compiled_model <- function() {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  compile(model, optimizer = optimizer_sgd(0.1), loss = "mse")
}

py_lines <- function(expr) {
  out <- reticulate::py_capture_output(expr)
  lines <- strsplit(out, "\n")[[1]]
  lines[nzchar(lines)]
}

# ---- 1. trailing commas ------------------------------------------------------

test_that("generated wrappers and constructors take a trailing comma", {
  inp <- keras_input(shape = 3,)
  expect_identical(format(inp$shape), "shape(NA, 3)")
  out <- layer_dense(inp, 4,)
  expect_identical(as.integer(out$shape), c(NA, 4L))
  # the trailing comma after an argument that goes through `...`
  d <- layer_dense(units = 2, name = "named_dense",)
  expect_identical(d$name, "named_dense")
  expect_identical(d$units, 2L)
  model <- keras_model(inp, out, name = "with_comma",)
  expect_identical(model$name, "with_comma")
  seq_model <- keras_model_sequential(input_shape = 3, name = "seq_comma",)
  expect_identical(seq_model$name, "seq_comma")
  expect_identical(format(shape(NA, 3,)), "shape(NA, 3)")
})

test_that("compile/fit/evaluate/predict take a trailing comma, with the same results", {
  d <- small_data()
  a <- compiled_model()
  b <- compiled_model()
  expect_equal(get_weights(a), get_weights(b))
  compile(b, optimizer = optimizer_sgd(0.1), loss = "mse",)
  h_a <- fit(a, d$x, d$y, epochs = 2, batch_size = 8, verbose = 0,
             validation_data = list(d$x, d$y))
  h_b <- fit(b, d$x, d$y, epochs = 2, batch_size = 8, verbose = 0,
             validation_data = list(d$x, d$y),)
  expect_named(h_b$metrics, c("loss", "val_loss"))
  expect_equal(h_b$metrics, h_a$metrics, tolerance = 1e-6)
  e <- evaluate(b, d$x, d$y, verbose = 0,)
  expect_named(e, "loss")
  # the loss of the trained model, computed in R
  p <- predict(b, d$x, verbose = 0,)
  expect_equal(dim(p), c(8L, 1L))
  expect_equal(e$loss, mean((p - d$y)^2), tolerance = 1e-5)
})

test_that("Python methods reached with `$` take a trailing comma (model$fit, model$predict)", {
  d <- small_data()
  model <- compiled_model()
  history <- model$fit(d$x, d$y, epochs = 1L, verbose = 0L,)
  expect_length(history$history$loss, 1L)
  p1 <- model$predict(d$x, verbose = 0L,)
  expect_equal(p1, predict(model, d$x, verbose = 0), tolerance = 1e-6)
  # and rlang's splicing works on them too
  args <- list(d$x, verbose = 0L)
  expect_equal(model$predict(!!!args), p1, tolerance = 1e-6)
  tk <- reticulate::import("torkeras")
  s <- tk$ops$add(op_ones(c(2, 2)), 1,)
  expect_equal(as.array(s), matrix(2, 2, 2))
})

test_that("self$add_weight(...,) and super$initialize(...,) in class factories", {
  Scale <- new_layer_class(
    "ScaleWithComma",
    initialize = function(factor, ...) {
      super$initialize(...,)
      self$factor <- factor
    },
    build = function(input_shape) {
      self$w <- self$add_weight(shape = shape(input_shape[[2]]), initializer = "ones",
                                name = "w",)
    },
    call = function(x) op_multiply(x, self$w) * self$factor,
  )
  layer <- Scale(factor = 3, name = "scale",)
  expect_identical(layer$name, "scale")
  x <- matrix(1:6, 2, 3) + 0
  expect_equal(as.array(layer(x,)), x * 3)
  expect_identical(format(layer$w$shape), "shape(3)")
})

test_that("callback_lambda() and rnn_cells_stack() take a trailing comma", {
  epochs <- c()
  cb <- callback_lambda(on_epoch_end = function(epoch, logs) epochs <<- c(epochs, epoch),)
  d <- small_data()
  model <- compiled_model()
  fit(model, d$x, d$y, epochs = 2, verbose = 0, callbacks = list(cb),)
  expect_identical(as.integer(epochs), 1:2)
  cells <- rnn_cells_stack(rnn_cell_simple(4), rnn_cell_gru(2),)
  out <- layer_rnn(cell = cells)(op_ones(c(2, 3, 5)))
  expect_identical(format(out$shape), "shape(2, 2)")
})

# ---- 2. verbose = TRUE / FALSE ----------------------------------------------

test_that("verbose = FALSE is silent and TRUE shows the progress bar (as keras3: 0 and 1)", {
  d <- small_data()
  model <- compiled_model()
  expect_identical(py_lines(fit(model, d$x, d$y, epochs = 1, verbose = FALSE)), character())
  expect_identical(py_lines(evaluate(model, d$x, d$y, verbose = FALSE)), character())
  expect_identical(py_lines(predict(model, d$x, verbose = FALSE)), character())
  fit_out <- paste(py_lines(fit(model, d$x, d$y, epochs = 1, verbose = TRUE)), collapse = "\n")
  expect_match(fit_out, "1/1")
  expect_match(fit_out, "loss: ")
  expect_match(paste(py_lines(evaluate(model, d$x, d$y, verbose = TRUE)), collapse = "\n"), "1/1")
  expect_match(paste(py_lines(predict(model, d$x, verbose = TRUE)), collapse = "\n"), "1/1")
  # the Python method takes TRUE/FALSE as well, as Keras 3 does
  expect_identical(py_lines(model$predict(d$x, verbose = FALSE)), character())
  expect_error(fit(model, d$x, d$y, verbose = NA), "`verbose` must be a whole number, not NA")
  expect_error(fit(model, d$x, d$y, verbose = "loud"), "`verbose`")
})

# ---- 3. x$shape ------------------------------------------------------------

test_that("x$shape of a KerasTensor, a tensor and a Variable is a keras3 shape()", {
  inp <- keras_input(shape = c(4, 3))
  s <- inp$shape
  expect_s3_class(s, "keras_shape")
  expect_output(print(s), "^shape\\(NA, 4, 3\\)$")
  expect_identical(as.integer(s), c(NA, 4L, 3L))
  expect_identical(as.list(s), list(NULL, 4L, 3L))
  expect_null(s[[1]])
  expect_identical(s[[3]], 3L)
  expect_identical(length(s), 3L)
  c(batch, steps, features) %<-% s
  expect_null(batch)
  expect_identical(c(steps, features), c(4L, 3L))

  t <- op_ones(c(2, 5))
  expect_identical(format(t$shape), "shape(2, 5)")
  expect_identical(as.integer(t$shape), c(2L, 5L))
  expect_identical(format(op_convert_to_tensor(3)$shape), "shape()")

  layer <- layer_dense(units = 4)
  layer$build(shape(NA, 3))
  expect_identical(format(layer$kernel$shape), "shape(3, 4)")
  expect_identical(as.integer(layer$bias$shape), 4L)
  # the Variable's torch value (a Parameter) too
  expect_identical(format(layer$kernel$value$shape), "shape(3, 4)")
  # other attributes are untouched
  expect_identical(t$dtype$`__str__`(), "torch.float32")
  expect_identical(layer$kernel$name, "kernel")
})

# ---- 4. model numbering -----------------------------------------------------

test_that("unnamed models are numbered functional, functional_1, ... as Keras 3.15", {
  reset_names()
  inp <- keras_input(shape = 3)
  out <- layer_dense(inp, 2)
  expect_identical(keras_model(inp, out)$name, "functional")
  expect_identical(keras_model(inputs = inp, outputs = out)$name, "functional_1")
  expect_identical(keras_model_sequential()$name, "sequential")
  expect_identical(keras_model_sequential(input_shape = 3)$name, "sequential_1")
  expect_identical(keras_model(inp, out, name = "mine")$name, "mine")
  expect_identical(keras_model(inp, out)$name, "functional_2")
  reset_names()
  expect_identical(keras_model_sequential()$name, "sequential")
})

test_that("clear_session() restarts the numbering", {
  skip_if_not(exists("clear_session", envir = asNamespace("torkeras")),
              "clear_session() not in this build")
  inp <- keras_input(shape = 3)
  keras_model(inp, layer_dense(inp, 1))
  keras_model_sequential()
  clear_session()
  expect_identical(keras_model_sequential()$name, "sequential")
  expect_identical(keras_model(inp, inp)$name, "functional")
})

# ---- 5 and 6. summaries ----------------------------------------------------

keras_unbuilt <- c(
  'Model: "sequential"',
  "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓",
  "┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃",
  "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩",
  "│ dense (Dense)                   │ ?                      │   0 (unbuilt) │",
  "├─────────────────────────────────┼────────────────────────┼───────────────┤",
  "│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │",
  "└─────────────────────────────────┴────────────────────────┴───────────────┘",
  " Total params: 0 (0.00 B)",
  " Trainable params: 0 (0.00 B)",
  " Non-trainable params: 0 (0.00 B)")

test_that("print() and summary() of an unbuilt model show Keras 3's table", {
  reset_names()
  model <- keras_model_sequential() |> layer_dense(4) |> layer_dense(1)
  expect_false(model$built)
  printed <- capture.output(print(model))
  expect_identical(printed, keras_unbuilt)
  expect_identical(capture.output(summary(model)), keras_unbuilt)
  expect_identical(format(model), paste(keras_unbuilt, collapse = "\n"))
})

test_that("a Sequential model called on data shows the data's shapes, as Keras 3", {
  reset_names()
  model <- keras_model_sequential() |> layer_dense(4) |> layer_dense(1)
  d <- small_data(n = 8)
  out <- model(d$x)
  expect_identical(as.integer(out$shape), c(8L, 1L))
  lines <- capture.output(summary(model))
  expect_identical(lines[5], "│ dense (Dense)                   │ (8, 4)                 │            16 │")
  expect_identical(lines[7], "│ dense_1 (Dense)                 │ (8, 1)                 │             5 │")
  expect_identical(lines[9], " Total params: 21 (84.00 B)")
  expect_identical(format(shape(model$input_shape)), "shape(8, 3)")
  # other batch sizes still work, with the same numbers row by row
  w <- get_weights(model)
  five <- d$x[1:5, ]
  expected <- (five %*% w[[1]] + rep(w[[2]], each = 5)) %*% w[[3]] + as.numeric(w[[4]])
  expect_equal(predict(model, five, verbose = 0), expected, tolerance = 1e-5)
})

test_that("with a built optimizer the total counts its variables, as Keras 3", {
  reset_names()
  model <- keras_model_sequential() |> layer_dense(3)
  compile(model, optimizer = "adam", loss = "mse")
  d <- small_data(n = 8)
  fit(model, d$x, d$x, batch_size = 3, epochs = 1, verbose = 0)
  lines <- capture.output(print(model))
  expect_identical(lines[5], "│ dense (Dense)                   │ (3, 3)                 │            12 │")
  expect_identical(lines[7:10], c(" Total params: 38 (152.00 B)",
                                  " Trainable params: 12 (48.00 B)",
                                  " Non-trainable params: 0 (0.00 B)",
                                  " Optimizer params: 26 (104.00 B)"))
})

# ---- 7. self$metrics in a custom train_step ---------------------------------

test_that("self$metrics is the loss tracker and compile_metrics, whose result nests", {
  seen <- new.env()
  torch <- reticulate::import("torch")
  StepModel <- new_model_class(
    "StepModel",
    train_step = function(data) {
      c(x, y) %<-% data
      y_pred <- self(x, training = TRUE)
      loss <- self$compute_loss(y = y, y_pred = y_pred)
      self$zero_grad()
      loss$backward()
      weights <- self$trainable_weights
      with(torch$no_grad(),
           self$optimizer$apply(lapply(weights, \(v) v$value$grad), weights))
      logs <- list()
      for (metric in self$metrics) {
        if (metric$name == "loss") metric$update_state(loss)
        else metric$update_state(y, y_pred)
        logs[[metric$name]] <- metric$result()
      }
      seen$names <- vapply(self$metrics, \(m) m$name, "")
      seen$logs <- logs
      seen$y <- as.array(y)
      seen$y_pred <- as.array(y_pred$detach())
      logs
    })
  set_random_seed(2)
  inp <- keras_input(shape = 3)
  model <- StepModel(inp, layer_dense(inp, 1, activation = "sigmoid"))
  compile(model, optimizer = "adam", loss = "binary_crossentropy",
          metrics = c("accuracy", "mae"))
  d <- small_data(n = 8)
  y <- (d$x[, 1, drop = FALSE] > 0.5) + 0
  history <- fit(model, d$x, y, epochs = 1, batch_size = 8, verbose = 0)

  expect_identical(seen$names, c("loss", "compile_metrics"))
  expect_named(seen$logs, c("loss", "compile_metrics"))
  expect_type(seen$logs$compile_metrics, "list")
  expect_named(seen$logs$compile_metrics, c("accuracy", "mae"))
  # one batch: the metrics are those of this step's predictions, computed in R
  expect_equal(as.numeric(seen$logs$compile_metrics$mae),
               mean(abs(seen$y - seen$y_pred)), tolerance = 1e-5)
  expect_equal(as.numeric(seen$logs$compile_metrics$accuracy),
               mean((seen$y_pred > 0.5) == (seen$y == 1)), tolerance = 1e-6)
  # the nested result is flattened into the history, as in Keras
  expect_setequal(names(history$metrics), c("loss", "accuracy", "mae"))
  expect_equal(history$metrics$mae, as.numeric(seen$logs$compile_metrics$mae),
               tolerance = 1e-6)
})
