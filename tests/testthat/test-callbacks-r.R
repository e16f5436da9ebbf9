# Callbacks written in R with Callback() / new_callback_class(): 1-based
# epoch and batch numbers, logs as named lists, modified logs reaching the
# history, self$model (stop_training), and the guides' two callbacks.

set.seed(7)
cb_x <- matrix(runif(40 * 3), 40, 3)
cb_y <- matrix(cb_x %*% c(1, -2, 0.5), 40, 1)

small_model <- function() {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse",
                   metrics = "mae")
  model
}

test_that("hooks get 1-based epochs and batches and logs as named lists", {
  events <- new.env()
  events$log <- character()
  events$logs <- list()
  record <- function(what) events$log <- c(events$log, what)
  Recorder <- Callback(
    "Recorder",
    on_train_begin = function(logs = NULL) record("train_begin"),
    on_epoch_begin = function(epoch, logs = NULL) record(paste0("epoch_begin:", epoch)),
    on_train_batch_begin = function(batch, logs = NULL) {
      events$begin_logs <- logs
      record(paste0("batch_begin:", batch))
    },
    on_train_batch_end = function(batch, logs = NULL) {
      events$batch_logs <- logs
      record(paste0("batch_end:", batch))
    },
    on_epoch_end = function(epoch, logs = NULL) {
      events$logs[[length(events$logs) + 1L]] <- logs
      record(paste0("epoch_end:", epoch))
    },
    on_test_batch_end = function(batch, logs = NULL) record(paste0("test_batch_end:", batch)),
    on_predict_batch_end = function(batch, logs = NULL) record(paste0("predict_batch_end:", batch)),
    on_train_end = function(logs) record("train_end")
  )
  model <- small_model()
  model |> fit(cb_x, cb_y, batch_size = 20, epochs = 2, callbacks = list(Recorder()))
  expect_identical(events$log, c(
    "train_begin",
    "epoch_begin:1", "batch_begin:1", "batch_end:1", "batch_begin:2", "batch_end:2", "epoch_end:1",
    "epoch_begin:2", "batch_begin:1", "batch_end:1", "batch_begin:2", "batch_end:2", "epoch_end:2",
    "train_end"))
  # logs: named lists of numbers (empty at batch begin, as in Keras)
  expect_identical(length(events$begin_logs), 0L)
  expect_true(is.list(events$batch_logs))
  expect_setequal(names(events$batch_logs), c("loss", "mae"))
  expect_true(is.numeric(events$batch_logs$loss))
  expect_length(events$logs, 2L)
  expect_setequal(names(events$logs[[2]]), c("loss", "mae"))

  events$log <- character()
  evaluate(model, cb_x, cb_y, batch_size = 20, callbacks = list(Recorder()))
  expect_identical(events$log, c("test_batch_end:1", "test_batch_end:2"))
  events$log <- character()
  predict(model, cb_x, batch_size = 40, callbacks = list(Recorder()))
  expect_identical(events$log, "predict_batch_end:1")
})

test_that("on_batch_end (the alias) is called for training batches, 1-based", {
  seen <- new.env()
  seen$batches <- integer()
  Alias <- new_callback_class(
    "Alias",
    on_batch_end = function(batch, logs = NULL) seen$batches <- c(seen$batches, batch)
  )
  small_model() |> fit(cb_x, cb_y, batch_size = 10, epochs = 1, callbacks = list(Alias()))
  expect_identical(seen$batches, 1:4)
})

test_that("a hook without a logs argument is called without it", {
  seen <- new.env()
  NoLogs <- Callback("NoLogs", on_epoch_end = function(epoch) seen$epoch <- epoch,
                     on_train_end = function() seen$done <- TRUE)
  small_model() |> fit(cb_x, cb_y, epochs = 3, callbacks = list(NoLogs()))
  expect_identical(seen$epoch, 3L)
  expect_true(seen$done)
})

test_that("a hook returning a modified named list updates the logs (and the history)", {
  AddLogs <- Callback(
    "AddLogs",
    on_epoch_end = function(epoch, logs = NULL) {
      logs$epoch_squared <- epoch^2
      logs$loss_x2 <- logs$loss * 2
      logs
    }
  )
  history <- small_model() |> fit(cb_x, cb_y, epochs = 3, batch_size = 40,
                                  callbacks = list(AddLogs()))
  expect_equal(history$metrics$epoch_squared, c(1, 4, 9))
  expect_equal(history$metrics$loss_x2, history$metrics$loss * 2)
  # a hook returning something else (here a number) leaves the logs alone
  Other <- Callback("Other", on_epoch_end = function(epoch, logs = NULL) 42)
  history <- small_model() |> fit(cb_x, cb_y, epochs = 1, callbacks = list(Other()))
  expect_setequal(names(history$metrics), c("loss", "mae"))
})

test_that("self$model is the model; self$model$stop_training <- TRUE stops fit", {
  seen <- new.env()
  Stopper <- Callback(
    "Stopper",
    initialize = function(at) {
      super$initialize()
      self$at <- at
    },
    on_epoch_end = function(epoch, logs = NULL) {
      seen$model_name <- self$model$name
      if (epoch >= self$at) self$model$stop_training <- TRUE
    }
  )
  model <- small_model()
  history <- model |> fit(cb_x, cb_y, epochs = 10, callbacks = list(Stopper(at = 2)))
  expect_length(history$metrics$loss, 2L)
  expect_identical(seen$model_name, model$name)
  expect_true(model$stop_training)
})

test_that("private state in callbacks (LossHistory from the guide)", {
  skip_if_not_installed("fastmap")
  callback_loss_history <- Callback(
    classname = "LossHistory",
    initialize = function(file = "per_training_batch_losses.txt", ...) {
      super$initialize(...)
      private$file <- file
    },
    on_train_begin = function(logs = NULL) {
      private$per_batch_losses <- fastmap::faststack()
    },
    # The guide pushes in on_train_batch_begin, where Keras' logs are still
    # empty; the losses exist at the end of each batch.
    on_train_batch_end = function(batch, logs = NULL) {
      private$per_batch_losses$push(logs$loss)
    },
    on_train_end = function(logs = NULL) {
      per_batch_losses <- private$per_batch_losses$as_list() |> as.numeric()
      write(per_batch_losses, private$file)
    }
  )
  file <- withr::local_tempfile(fileext = ".txt")
  cb <- callback_loss_history(file = file)
  model <- small_model()
  history <- model |> fit(cb_x, cb_y, batch_size = 10, epochs = 2, callbacks = list(cb))
  losses <- scan(file, quiet = TRUE)
  expect_length(losses, 8L)  # 4 batches x 2 epochs
  expect_true(all(is.finite(losses) & losses >= 0))
  # the last batch loss of an epoch is that epoch's running mean of the
  # batch losses (all batches the same size)
  expect_equal(losses[4], history$metrics$loss[1], tolerance = 1e-5)
  # another instance has its own private file and stack
  file2 <- withr::local_tempfile(fileext = ".txt")
  model |> fit(cb_x, cb_y, batch_size = 20, epochs = 1,
               callbacks = list(callback_loss_history(file = file2)))
  expect_length(scan(file2, quiet = TRUE), 2L)
  expect_identical(scan(file, quiet = TRUE), losses)
})

test_that("PlotPerBatchLossHistory (listing 7.20) writes a per-epoch plot file", {
  # The listing combines the per-epoch PDFs with qpdf::pdf_combine(); without
  # qpdf installed the per-epoch files are copied to `outfile` (a directory).
  combine_pdfs <- function(plots, outfile) {
    if (requireNamespace("qpdf", quietly = TRUE)) return(qpdf::pdf_combine(plots, outfile))
    dir.create(outfile)
    file.copy(plots, outfile)
  }
  callback_plot_per_batch_loss_history <- new_callback_class(
    classname = "PlotPerBatchLossHistory",

    initialize = function(file = "training_loss.pdf") {
      private$outfile <- file
    },

    on_train_begin = function(logs = NULL) {
      private$plots_dir <- tempfile()
      dir.create(private$plots_dir)
      private$per_batch_losses <-
        reticulate::py_eval("[]", convert = FALSE)
    },

    on_epoch_begin = function(epoch, logs = NULL) {
      private$per_batch_losses$clear()
    },

    on_batch_end = function(batch, logs = NULL) {
      private$per_batch_losses$append(logs$loss)
    },

    on_epoch_end = function(epoch, logs = NULL) {
      losses <- as.numeric(reticulate::py_to_r(private$per_batch_losses))

      filename <- sprintf("epoch_%04i.pdf", epoch)
      filepath <- file.path(private$plots_dir, filename)

      pdf(filepath, width = 7, height = 5)
      on.exit(dev.off())

      plot(losses, type = "o",
           ylim = c(0, max(losses)),
           panel.first = grid(),
           main = sprintf("Training Loss for Each Batch\n(Epoch %i)", epoch),
           xlab = "Batch", ylab = "Loss")
    },

    on_train_end = function(logs) {
      private$per_batch_losses <- NULL
      plots <- sort(list.files(private$plots_dir, full.names = TRUE))
      combine_pdfs(plots, private$outfile)
      unlink(private$plots_dir, recursive = TRUE)
    }
  )
  out <- withr::local_tempfile(fileext = ".pdf")
  model <- small_model()
  model |> fit(cb_x, cb_y, epochs = 3, batch_size = 10,
               callbacks = list(callback_plot_per_batch_loss_history(file = out)),
               validation_data = list(cb_x[1:10, ], cb_y[1:10, , drop = FALSE]))
  expect_true(file.exists(out))
  if (dir.exists(out)) {
    expect_identical(list.files(out), sprintf("epoch_%04i.pdf", 1:3))
  }
})
