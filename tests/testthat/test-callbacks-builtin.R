# The built-in callbacks from R: generated callback_*() wrappers, the
# hand-written callback_lambda() (1-based epochs) and
# callback_learning_rate_scheduler() (0-based epochs, as in keras3).

set.seed(11)
bi_x <- matrix(rnorm(64 * 3), 64, 3)
bi_y <- matrix(bi_x %*% c(1, -2, 0.5) + 0.3, 64, 1)

# What Python prints (progress lines, callback messages), as lines.
py_output <- function(expr) strsplit(reticulate::py_capture_output(expr), "\n")[[1]]

bi_model <- function(learning_rate = 0.01) {
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(4, activation = "relu") |>
    layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = learning_rate), loss = "mse",
                   metrics = "mae")
  model
}

test_that("the generated wrappers build the Python callbacks with converted arguments", {
  es <- callback_early_stopping(monitor = "val_loss", min_delta = 1e-2, patience = 2,
                                verbose = 1, start_from_epoch = 1)
  expect_true(inherits(es, "torkeras.callbacks.early_stopping.EarlyStopping"))
  expect_identical(es$patience, 2L)
  expect_identical(es$start_from_epoch, 1L)
  expect_equal(es$min_delta, 0.01)
  rl <- callback_reduce_lr_on_plateau(factor = 0.5, patience = 3, cooldown = 1, min_lr = 1e-4)
  expect_identical(rl$patience, 3L)
  expect_identical(rl$cooldown, 1L)
  mc <- callback_model_checkpoint("m_{epoch}.keras", save_freq = 100)
  expect_identical(mc$save_freq, 100L)
  expect_identical(callback_model_checkpoint("m.keras")$save_freq, "epoch")
  expect_true(inherits(callback_terminate_on_nan(), "torkeras.callbacks.terminate_on_nan.TerminateOnNaN"))
  expect_true(inherits(callback_csv_logger(tempfile(fileext = ".csv")),
                       "torkeras.callbacks.csv_logger.CSVLogger"))
  expect_true(inherits(callback_swap_ema_weights(swap_on_epoch = TRUE),
                       "torkeras.callbacks.swap_ema_weights.SwapEMAWeights"))
  expect_true(inherits(callback_backup_and_restore(tempfile()),
                       "torkeras.callbacks.backup_and_restore.BackupAndRestore"))
  expect_error(callback_early_stopping(patience = 1.5), "whole number")
  expect_error(callback_model_checkpoint("model.txt"), "filepath=model.txt", fixed = TRUE)
})

test_that("callback_lambda gets 1-based epochs and batches and logs as named lists", {
  events <- new.env()
  events$log <- character()
  cb <- callback_lambda(
    on_train_begin = function(logs) events$log <- c(events$log, "train_begin"),
    on_epoch_begin = function(epoch, logs) events$log <- c(events$log, paste0("epoch_begin:", epoch)),
    on_train_batch_end = function(batch, logs) {
      events$batch_logs <- logs
      events$log <- c(events$log, paste0("batch_end:", batch))
    },
    on_epoch_end = function(epoch, logs) {
      events$epoch_logs <- logs
      events$log <- c(events$log, paste0("epoch_end:", epoch))
    },
    on_train_end = function(logs) events$log <- c(events$log, "train_end"),
    on_test_begin = function() events$log <- c(events$log, "test_begin")
  )
  model <- bi_model()
  model |> fit(bi_x, bi_y, epochs = 2, batch_size = 32, verbose = 0, callbacks = list(cb),
               validation_data = list(bi_x, bi_y))
  expect_identical(events$log, c("train_begin",
                                 "epoch_begin:1", "batch_end:1", "batch_end:2", "test_begin", "epoch_end:1",
                                 "epoch_begin:2", "batch_end:1", "batch_end:2", "test_begin", "epoch_end:2",
                                 "train_end"))
  expect_true(is.list(events$epoch_logs))
  expect_setequal(names(events$epoch_logs), c("loss", "mae", "val_loss", "val_mae"))
  expect_true(is.numeric(events$batch_logs$loss))
  expect_error(callback_lambda(on_epoch_bgin = function(epoch, logs) NULL), "unknown callback hook")
})

test_that("callback_learning_rate_scheduler keeps keras3's 0-based epoch", {
  seen <- integer()
  sched <- callback_learning_rate_scheduler(function(epoch, lr) {
    seen <<- c(seen, epoch)
    if (epoch < 2) lr else lr * 0.5
  })
  model <- bi_model(learning_rate = 0.1)
  history <- model |> fit(bi_x, bi_y, epochs = 4, verbose = 0, callbacks = list(sched))
  expect_identical(seen, 0:3)
  expect_equal(history$metrics$learning_rate, c(0.1, 0.1, 0.05, 0.025), tolerance = 1e-7)
  one_arg <- callback_learning_rate_scheduler(function(epoch) 1 / (epoch + 1))
  history <- model |> fit(bi_x, bi_y, epochs = 2, verbose = 0, callbacks = list(one_arg))
  expect_equal(history$metrics$learning_rate, c(1, 0.5))
})

test_that("early stopping stops at the computed epoch and restores the best weights", {
  # an R callback placed first overwrites val_loss with a fixed sequence
  seq_loss <- c(1.0, 0.5, 0.7, 0.8, 0.9, 0.1)
  inject <- Callback("Inject", on_epoch_end = function(epoch, logs) list(val_loss = seq_loss[[epoch]]))
  weights <- list()
  record <- callback_lambda(on_epoch_end = function(epoch, logs)
    weights[[epoch]] <<- model$get_weights())
  model <- bi_model()
  out <- py_output(
    history <- model |> fit(bi_x, bi_y, epochs = 10, verbose = 0, callbacks = list(
      inject(), record,
      callback_early_stopping(patience = 2, restore_best_weights = TRUE, verbose = 1))))
  expect_length(history$metrics$loss, 4)
  expect_identical(history$metrics$val_loss, c(1.0, 0.5, 0.7, 0.8))
  expect_true("Epoch 4: early stopping" %in% out)
  expect_true("Restoring model weights from the end of the best epoch: 2." %in% out)
  expect_equal(model$get_weights(), weights[[2]])
})

test_that("the guide's early stopping run (validation_split, min_delta, patience)", {
  model <- bi_model(learning_rate = 0.0)
  out <- py_output(history <- model |> fit(
    bi_x, bi_y, epochs = 20, batch_size = 16, validation_split = 0.2, verbose = 2,
    callbacks = list(callback_early_stopping(monitor = "val_loss", min_delta = 1e-2,
                                             patience = 2, verbose = 1))))
  # learning rate 0: val_loss never improves, so training stops after epoch 3
  expect_length(history$metrics$val_loss, 3)
  expect_identical(tail(out[nzchar(out)], 1), "Epoch 3: early stopping")
})

test_that("ReduceLROnPlateau, CSVLogger and TerminateOnNaN from R", {
  csv <- tempfile(fileext = ".csv")
  inject <- Callback("Inject2", on_epoch_end = function(epoch, logs) list(val_loss = 1))
  model <- bi_model(learning_rate = 0.0)
  history <- model |> fit(bi_x, bi_y, epochs = 5, verbose = 0, callbacks = list(
    inject(), callback_reduce_lr_on_plateau(factor = 0.5, patience = 1, min_lr = 0.001),
    callback_csv_logger(csv)))
  rows <- read.csv(csv)
  expect_identical(names(rows), c("epoch", "learning_rate", "loss", "mae", "val_loss"))
  expect_identical(rows$epoch, 0:4)
  expect_equal(rows$loss, history$metrics$loss)
  # lr 0 is never above min_lr: no reduction
  expect_equal(rows$learning_rate, rep(0, 5))

  # The second batch's labels overflow float32 when squared: an infinite loss
  # whatever the weights (fit() refuses NaN in the data; an overflowing x
  # could be zeroed by a relu).
  y_inf <- bi_y
  y_inf[9:16] <- 1e30
  model <- bi_model()
  out <- py_output(history <- model |> fit(
    bi_x, y_inf, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0,
    callbacks = list(callback_terminate_on_nan())))
  expect_length(history$metrics$loss, 1)
  expect_true("Batch 1: Invalid loss, terminating training" %in% out)
})

test_that("the guide's model checkpoint run: files per improving epoch and its messages", {
  dir <- withr::local_tempdir()
  seq_loss <- c(0.5, 0.4, 0.45)
  inject <- Callback("Inject3", on_epoch_end = function(epoch, logs) list(val_loss = seq_loss[[epoch]]))
  model <- bi_model()
  out <- py_output(model |> fit(
    bi_x, bi_y, epochs = 3, batch_size = 16, validation_split = 0.2, verbose = 2,
    callbacks = list(inject(), callback_model_checkpoint(
      filepath = file.path(dir, "mymodel_{epoch}.keras"), save_best_only = TRUE,
      monitor = "val_loss", verbose = 1))))
  expect_identical(sort(list.files(dir)), c("mymodel_1.keras", "mymodel_2.keras"))
  # as in the guide: "Epoch i/N", an empty line, the checkpoint message, the epoch line
  expect_identical(out[1:3], c("Epoch 1/3", "", paste0(
    "Epoch 1: val_loss improved from inf to 0.50000, saving model to ",
    file.path(dir, "mymodel_1.keras"))))
  expect_match(out[4], "^4/4 - .* - loss: .* - val_loss: 0.5000 - val_mae: ")
  expect_identical(out[7], paste0("Epoch 2: val_loss improved from 0.50000 to 0.40000, ",
                                  "saving model to ", file.path(dir, "mymodel_2.keras")))
  expect_identical(out[11], "Epoch 3: val_loss did not improve from 0.40000")
})

test_that("callback_backup_and_restore resumes an interrupted fit at the right epoch", {
  dir <- file.path(withr::local_tempdir(), "backup")
  Interrupt <- Callback("Interrupt", on_epoch_begin = function(epoch, logs) {
    if (epoch == 3) stop("interrupted in epoch 3")
  })
  model <- bi_model()
  expect_error(model |> fit(bi_x, bi_y, epochs = 5, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir), Interrupt())), "interrupted in epoch 3")
  expect_identical(list.files(dir), "latest.weights.h5")  # one file: the whole training state
  epochs <- integer()
  history <- model |> fit(bi_x, bi_y, epochs = 5, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir),
    callback_lambda(on_epoch_begin = function(epoch, logs) epochs <<- c(epochs, epoch))))
  expect_identical(epochs, 3:5)  # 1-based: epochs 1 and 2 were backed up
  expect_length(history$metrics$loss, 3)
  expect_false(dir.exists(dir))
})

test_that("the guide's fault tolerance: make_or_restore_model() with load_model()", {
  checkpoint_dir <- file.path(withr::local_tempdir(), "ckpt")
  dir.create(checkpoint_dir)
  make_or_restore_model <- function() {
    checkpoints <- Sys.glob(file.path(checkpoint_dir, "model-loss=*.keras"))
    if (length(checkpoints) > 0) {
      checkpoint_losses <- sub("^model-loss=([0-9.]+)\\.keras$", "\\1",
                               basename(checkpoints)) |> as.numeric()
      best_checkpoint <- checkpoints[which.min(checkpoint_losses)]
      load_model(best_checkpoint)
    } else {
      bi_model()
    }
  }
  model <- make_or_restore_model()
  losses <- numeric()
  callbacks <- list(
    callback_lambda(on_train_batch_end = function(batch, logs) losses <<- c(losses, logs$loss)),
    # saves the model every 2 batches, with the training loss in the file name
    callback_model_checkpoint(filepath = file.path(checkpoint_dir, "model-loss={loss:.2f}.keras"),
                              save_freq = 2))
  model |> fit(bi_x, bi_y, epochs = 1, batch_size = 8, verbose = 0, callbacks = callbacks)
  expected <- unique(sprintf("model-loss=%.2f.keras", losses[c(2, 4, 6, 8)]))
  expect_setequal(basename(Sys.glob(file.path(checkpoint_dir, "*.keras"))), expected)
  restored <- make_or_restore_model()
  # the restored model is the lowest-loss checkpoint
  best <- file.path(checkpoint_dir, expected[which.min(as.numeric(
    sub("^model-loss=([0-9.]+)\\.keras$", "\\1", expected)))])
  expect_equal(predict(restored, bi_x, verbose = 0), predict(load_model(best), bi_x, verbose = 0))
  history <- restored |> fit(bi_x, bi_y, epochs = 1, batch_size = 8, verbose = 0)
  expect_length(history$metrics$loss, 1)
})
