# Issue 9 from R, callbacks and interrupted training: callback_backup_and_restore()
# resumes an interrupted fit where it stopped (with the same shuffles and
# dropout: the weights end as if nothing had happened), callback_csv_logger()'s
# file is complete and closed after fit() fails, and callback_terminate_on_nan()
# can restore the last finite weights. Messages come from docs/reliability.md.

set.seed(21)
rc_x <- matrix(runif(48 * 3), 48, 3)
rc_y <- matrix(rc_x %*% c(1, -2, 0.5) + 0.3, 48, 1)

rc_model <- function() {
  set_random_seed(3)
  model <- keras_model_sequential(input_shape = 3) |>
    layer_dense(8, activation = "relu") |>
    layer_dropout(0.25) |>
    layer_gaussian_noise(0.1, seed = 5) |>
    layer_dense(1)
  model |> compile(optimizer = optimizer_adam(learning_rate = 0.01), loss = "mse",
                   metrics = "mae")
  model
}

# Fails before batch `at_batch` of epoch `at_epoch` (1-based, as R callbacks count).
fail_at <- function(at_epoch, at_batch = 1) {
  Failing <- Callback("Failing",
    on_epoch_begin = function(epoch, logs) private$epoch <- epoch,
    on_train_batch_begin = function(batch, logs) {
      if (private$epoch == at_epoch && batch == at_batch) stop("interrupted here")
    })
  Failing()
}

open_files <- function() {
  fds <- list.files("/proc/self/fd", full.names = TRUE)
  normalizePath(Sys.readlink(fds[nzchar(Sys.readlink(fds))]), mustWork = FALSE)
}

test_that("callback_backup_and_restore resumes within an epoch, as if never interrupted", {
  reference <- rc_model()
  ref_history <- reference |> fit(rc_x, rc_y, epochs = 3, batch_size = 8, verbose = 0)

  dir <- file.path(withr::local_tempdir(), "backup")
  model <- rc_model()
  # backups every 4 batches (6 per epoch): the last one after 2 batches of epoch 2
  expect_error(model |> fit(rc_x, rc_y, epochs = 3, batch_size = 8, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir, save_freq = 4), fail_at(2, 4))), "interrupted here")
  expect_identical(list.files(dir), "latest.weights.h5")

  set_random_seed(99)  # the resumed fit gets its random state from the backup
  history <- model |> fit(rc_x, rc_y, epochs = 3, batch_size = 8, verbose = 0,
                          callbacks = list(callback_backup_and_restore(dir, save_freq = 4)))
  expect_false(dir.exists(dir))
  expect_identical(get_weights(model), get_weights(reference))
  # the resumed epoch 2 reports its loss over all 6 batches
  expect_identical(history$metrics$loss, ref_history$metrics$loss[2:3])
})

test_that("callback_backup_and_restore runs only the batches not done before", {
  dir <- file.path(withr::local_tempdir(), "backup")
  model <- rc_model()
  expect_error(model |> fit(rc_x, rc_y, epochs = 2, batch_size = 8, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir, save_freq = 4), fail_at(2, 4))), "interrupted here")
  batches <- list()
  Record <- Callback("Record",
    on_epoch_begin = function(epoch, logs) private$epoch <- epoch,
    on_train_batch_begin = function(batch, logs)
      batches[[length(batches) + 1]] <<- c(private$epoch, batch))
  model |> fit(rc_x, rc_y, epochs = 2, batch_size = 8, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir, save_freq = 4), Record()))
  # 1-based: batches 1 and 2 of epoch 2 were done before the interruption
  expect_identical(batches, lapply(3:6, function(b) c(2L, b)))
})

test_that("a backup taken within an epoch needs the same batches per epoch", {
  dir <- file.path(withr::local_tempdir(), "backup")
  x <- rc_x[1:44, ]
  y <- rc_y[1:44, , drop = FALSE]
  model <- rc_model()
  expect_error(model |> fit(x, y, epochs = 3, batch_size = 8, verbose = 0, callbacks = list(
    callback_backup_and_restore(dir, save_freq = 4), fail_at(2, 5))), "interrupted here")
  before <- get_weights(model)
  expect_documented_error(
    model |> fit(x, y, epochs = 3, batch_size = 4, verbose = 0,
                 callbacks = list(callback_backup_and_restore(dir, save_freq = 4))),
    "9.9-backup-other-batches")
  expect_identical(get_weights(model), before)
})

test_that("callback_csv_logger's file is complete and closed after fit() fails", {
  csv <- file.path(withr::local_tempdir(), "log.csv")
  model <- rc_model()
  expect_error(model |> fit(rc_x, rc_y, epochs = 5, batch_size = 16, verbose = 0, callbacks = list(
    callback_csv_logger(csv), fail_at(3))), "interrupted here")
  expect_false(normalizePath(csv) %in% open_files())
  rows <- read.csv(csv)
  expect_identical(names(rows), c("epoch", "loss", "mae"))
  expect_identical(rows$epoch, 0:1)  # the two epochs that ended
  expect_true(file.remove(csv))
})

test_that("callback_terminate_on_nan(restore_last_finite_weights = TRUE) from R", {
  nan_model <- function() {
    set_random_seed(3)
    model <- keras_model_sequential(input_shape = 3) |> layer_dense(4) |> layer_dense(1)
    model |> compile(optimizer = optimizer_adam(learning_rate = 0.01), loss = "mse")
    model
  }
  x <- rc_x
  x[17:24, ] <- 1e30  # batch 3 of 8 overflows float32: its loss is infinite
  model <- nan_model()
  expect_documented_error(
    model |> fit(x, rc_y, epochs = 2, batch_size = 8, shuffle = FALSE, verbose = 0,
                 callbacks = list(callback_terminate_on_nan(raise_error = TRUE,
                                                            restore_last_finite_weights = TRUE))),
    "9.10-nan-raise-error")
  # the weights and optimizer state after the two finite batches
  reference <- nan_model()
  reference |> fit(x[1:16, ], rc_y[1:16, , drop = FALSE], epochs = 1, batch_size = 8,
                   shuffle = FALSE, verbose = 0)
  expect_identical(get_weights(model), get_weights(reference))
  expect_identical(as.integer(model$optimizer$iterations$numpy()), 2L)
})
