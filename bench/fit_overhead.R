# How much does driving fit() from R cost over the same fit() from Python?
#
# Both train the same MLP (784-64-64-10, relu, softmax) with RMSprop, sparse
# categorical crossentropy and accuracy on 50,000 Fashion-MNIST rows, batch
# 64, 2 epochs, in the same process:
#   - R:      keras_model() + compile() + fit() on R arrays (a double matrix
#             and integer labels, converted on the way in, as for any R user);
#   - Python: the same code in Python (reticulate::py_run_string) on NumPy
#             float32 arrays.
# Each side is timed REPEATS times, interleaved, after a warm-up; the best run
# of each counts (the machine may be busy with other work).
#
# Run with: RETICULATE_PYTHON=.venv/bin/python Rscript bench/fit_overhead.R
# Prints seconds per epoch for both and, last, `R/Python ratio: X.XX`.

library(torkeras)

EPOCHS <- 2L
BATCH <- 64L
ROWS <- 50000L
REPEATS <- 3L

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
                   metrics = "accuracy")
  start <- proc.time()[["elapsed"]]
  model |> fit(x, y, batch_size = BATCH, epochs = epochs, verbose = 0)
  proc.time()[["elapsed"]] - start
}

reticulate::py_run_string(sprintf('
import time
import torkeras as keras

(_x, _y), _ = keras.datasets.fashion_mnist.load_data()
x = (_x[:%d].reshape(%d, 784) / 255.0).astype("float32")
y = _y[:%d]

def python_fit(rows, epochs):
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Dense(64, activation="relu")(inputs)
    h = keras.layers.Dense(64, activation="relu")(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x[:rows], y[:rows], batch_size=%d, epochs=epochs, verbose=0)
    return time.perf_counter() - start
', ROWS, ROWS, ROWS, BATCH))
python_fit <- reticulate::py$python_fit

# warm up both paths (allocator, first-call costs)
invisible(python_fit(6400L, 1L))
invisible(r_fit(x[1:6400, ], y[1:6400], 1L))

r_times <- py_times <- numeric()
for (i in seq_len(REPEATS)) {
  py_times <- c(py_times, python_fit(ROWS, EPOCHS))
  r_times <- c(r_times, r_fit(x, y, EPOCHS))
}
t_r <- min(r_times)
t_py <- min(py_times)
cat(sprintf("rows=%d batch=%d epochs=%d\n", ROWS, BATCH, EPOCHS))
cat(sprintf("fit() from Python: %.3f s/epoch\n", t_py / EPOCHS))
cat(sprintf("fit() from R:      %.3f s/epoch\n", t_r / EPOCHS))
cat(sprintf("R/Python ratio: %.2f\n", t_r / t_py))
