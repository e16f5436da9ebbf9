# What does a training step written in R cost per batch?
#
# The MLP of bench/fit_overhead.R (784-64-64-10, RMSprop, sparse categorical
# crossentropy, accuracy) trained by fit() on 6,400 Fashion-MNIST rows, batch
# 64, one epoch (100 steps), two ways in the same process:
#   - the built-in step (the whole loop runs in Python);
#   - the torch-native train_step of the "deep dive" chapter written in R with
#     new_model_class() (compute_loss, backward, optimizer$apply, self$metrics),
#     which fit() calls once per batch; each of its calls into the engine
#     crosses reticulate.
# Each is timed REPEATS times, interleaved, after a warm-up; the best counts.
# Prints milliseconds per step and, last, `R train_step/built-in ratio: X.XX`.
# There is no target: the ratio is reticulate's per-call cost (about 0.1-0.3 ms
# a call here) times the dozen calls of a step, against a ~1.4 ms step; the
# vignettes quote it so users know what an R-written step costs.
#
# Run with: RETICULATE_PYTHON=.venv/bin/python Rscript bench/custom_training.R

library(torkeras)

ROWS <- 6400L
BATCH <- 64L
REPEATS <- 3L

c(c(x, y), .) %<-% dataset_fashion_mnist()
x <- array_reshape(x[seq_len(ROWS), , ], c(ROWS, 784)) / 255
y <- y[seq_len(ROWS)]

RStepModel <- new_model_class(
  "RStepModel",
  train_step = function(data) {
    .[inputs, targets] <- data
    predictions <- self(inputs, training = TRUE)
    loss <- self$compute_loss(y = targets, y_pred = predictions)
    self$zero_grad()
    loss$backward()
    weights <- self$trainable_weights
    self$optimizer$apply(lapply(weights, \(w) w$value$grad), weights)
    logs <- list()
    for (metric in self$metrics) {
      if (metric$name == "loss") metric$update_state(loss)
      else metric$update_state(targets, predictions)
      logs[[metric$name]] <- metric$result()
    }
    logs
  }
)

make_model <- function(constructor) {
  inputs <- keras_input(shape = 784)
  outputs <- inputs |>
    layer_dense(64, activation = "relu") |>
    layer_dense(64, activation = "relu") |>
    layer_dense(10, activation = "softmax")
  model <- constructor(inputs, outputs)
  model |> compile(optimizer = optimizer_rmsprop(),
                   loss = loss_sparse_categorical_crossentropy(),
                   metrics = "accuracy")
  model
}

time_fit <- function(constructor, rows = ROWS) {
  model <- make_model(constructor)
  elapsed <- system.time(
    model |> fit(x[seq_len(rows), ], y[seq_len(rows)], batch_size = BATCH,
                 epochs = 1, shuffle = TRUE, verbose = 0)
  )[["elapsed"]]
  1000 * elapsed / ceiling(rows / BATCH)
}

time_fit(keras_model, 640L)  # warm-up
time_fit(RStepModel, 640L)
builtin <- r_step <- numeric()
for (i in seq_len(REPEATS)) {
  builtin <- c(builtin, time_fit(keras_model))
  r_step <- c(r_step, time_fit(RStepModel))
}
cat(sprintf("rows=%d batch=%d steps=%d\n", ROWS, BATCH, ROWS %/% BATCH))
cat(sprintf("built-in step:    %.2f ms/step\n", min(builtin)))
cat(sprintf("R train_step:     %.2f ms/step\n", min(r_step)))
cat(sprintf("R train_step/built-in ratio: %.2f\n", min(r_step) / min(builtin)))
