# The keras_training_history object: print, as.data.frame, plot.

history_fixture <- function() {
  torkeras:::.new_history(
    params = list(verbose = 0L, epochs = 3L, steps = 10L),
    metrics = list(
      loss = c(0.9, 0.5, 0.3483),
      sparse_categorical_accuracy = c(0.7, 0.85, 0.9004),
      val_loss = c(0.8, 0.3, 0.19716),
      val_sparse_categorical_accuracy = c(0.75, 0.9, 0.9444)
    )
  )
}

test_that("print shows the final epoch like the guides", {
  expect_identical(
    capture.output(print(history_fixture())),
    c("",
      "Final epoch (plot to see history):",
      "                           loss: 0.3483",
      "    sparse_categorical_accuracy: 0.9004",
      "                       val_loss: 0.1972",
      "val_sparse_categorical_accuracy: 0.9444")
  )
})

test_that("print keeps tiny values readable", {
  h <- torkeras:::.new_history(list(epochs = 1L),
                               list(loss = 2, learning_rate = 1e-5))
  expect_identical(capture.output(print(h))[3:4],
                   c("         loss: 2.0000", "learning_rate: 1e-05"))
})

test_that("as.data.frame is long format: epoch, value, metric, data", {
  df <- as.data.frame(history_fixture())
  expect_identical(names(df), c("epoch", "value", "metric", "data"))
  expect_identical(nrow(df), 12L)
  expect_identical(df$epoch, rep(1:3, 4))
  expect_identical(levels(df$metric), c("loss", "sparse_categorical_accuracy"))
  expect_identical(levels(df$data), c("training", "validation"))
  val_loss <- df[df$metric == "loss" & df$data == "validation", "value"]
  expect_equal(val_loss, c(0.8, 0.3, 0.19716))
})

test_that("as.data.frame pads epochs that did not run (early stopping) with NA", {
  h <- torkeras:::.new_history(list(epochs = 4L), list(loss = c(1, 0.5)))
  df <- as.data.frame(h)
  expect_identical(df$epoch, 1:4)
  expect_identical(df$value, c(1, 0.5, NA, NA))
})

test_that("plot uses ggplot2, or base graphics on request", {
  skip_if_not_installed("ggplot2")
  p <- plot(history_fixture())
  expect_s3_class(p, "ggplot")
  expect_identical(nrow(p$data), 12L)
  pdf(NULL)
  on.exit(dev.off())
  expect_null(plot(history_fixture(), method = "base"))
  expect_s3_class(plot(history_fixture(), metrics = "loss"), "ggplot")
})
