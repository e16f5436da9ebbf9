# How much does driving fit() from R cost over the same fit() from Python?
#
# Both train the same MLP (784-64-64-10, relu, softmax) with RMSprop, sparse
# categorical crossentropy and accuracy on 50,000 Fashion-MNIST rows, batch
# 64, 2 epochs, in the same process:
#   - R:      keras_model() + compile() + fit() on R arrays (a double matrix
#             and integer labels, converted on the way in, as for any R user);
#   - Python: bench/fit_overhead.py's torkeras_fit() on its NumPy float32
#             arrays, called through reticulate.
# Each side is timed REPEATS times, interleaved (which side goes first
# alternates, so neither always runs right after the other's clean-up), after
# a warm-up; the best run of each counts (the machine may be busy with other
# work: a single 2-core machine shared with other jobs varies by +-20% from
# run to run, hence 5 repeats).
#
# What R adds is the conversion of the double matrix (column-major float64)
# into the row-major float32 array fit() trains on, once per fit(): about
# 0.04-0.06 s here (bridge.data.c_ordered_copy), plus ~5 ms of R-side argument
# handling; the training loop itself is the same Python code.
#
# Run with: RETICULATE_PYTHON=.venv/bin/python Rscript bench/fit_overhead.R
# Prints seconds per epoch for both and, last, `R/Python ratio: X.XX`.

library(torkeras)

EPOCHS <- 2L
BATCH <- 64L
ROWS <- 50000L
REPEATS <- 5L

train <- dataset_fashion_mnist()$train
x <- array_reshape(train$x[1:ROWS, , ], c(ROWS, 784)) / 255
y <- train$y[1:ROWS]

r_fit <- function(x, y, epochs) {
  inputs <- keras_input(shape = 784)
  outputs <- inputs |>
    layer_dense(64, activation = "relu") |>
    layer_dense(64, activation = "relu") |>
    layer_dense(10, activation = "softmax")
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = optimizer_rmsprop(),
                   loss = loss_sparse_categorical_crossentropy(),
                   metrics = "accuracy")  # as in bench/fit_overhead.py
  start <- proc.time()[["elapsed"]]
  model |> fit(x, y, batch_size = BATCH, epochs = epochs, verbose = 0)
  proc.time()[["elapsed"]] - start
}

# The Python side is bench/fit_overhead.py's own fit, on its own data
# (float32 NumPy arrays).
bench_py <- reticulate::import_from_path("fit_overhead", path = "bench", convert = FALSE)
py_data <- bench_py$load_data()
first_rows <- function(a, rows) {
  reticulate::py_get_item(a, reticulate::py_eval(sprintf("slice(0, %d)", rows)))
}
python_fit <- function(rows, epochs) {
  x <- first_rows(reticulate::py_get_item(py_data, 0L), rows)
  y <- first_rows(reticulate::py_get_item(py_data, 1L), rows)
  reticulate::py_to_r(bench_py$torkeras_fit(x, y, as.integer(epochs)))
}

# warm up both paths (allocator, first-call costs)
invisible(python_fit(6400L, 1L))
invisible(r_fit(x[1:6400, ], y[1:6400], 1L))

r_times <- py_times <- numeric()
for (i in seq_len(REPEATS)) {
  if (i %% 2 == 1) {
    py_times <- c(py_times, python_fit(ROWS, EPOCHS))
    r_times <- c(r_times, r_fit(x, y, EPOCHS))
  } else {
    r_times <- c(r_times, r_fit(x, y, EPOCHS))
    py_times <- c(py_times, python_fit(ROWS, EPOCHS))
  }
}
t_r <- min(r_times)
t_py <- min(py_times)
cat(sprintf("rows=%d batch=%d epochs=%d\n", ROWS, BATCH, EPOCHS))
cat(sprintf("fit() from Python: %.3f s/epoch\n", t_py / EPOCHS))
cat(sprintf("fit() from R:      %.3f s/epoch\n", t_r / EPOCHS))
cat(sprintf("all runs (s/epoch): Python %s | R %s\n",
            paste(sprintf("%.3f", py_times / EPOCHS), collapse = " "),
            paste(sprintf("%.3f", r_times / EPOCHS), collapse = " ")))
cat(sprintf("R/Python ratio: %.2f\n", t_r / t_py))
