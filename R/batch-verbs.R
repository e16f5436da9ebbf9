# Single-batch verbs: train_on_batch(), test_on_batch(), predict_on_batch().
# As in keras3 they take the batch as R data (converted like fit()'s), and
# the loss and metrics they report keep accumulating over calls until
# reset_metrics() (or fit()/evaluate()) -- Keras 3 does not reset them.

#' Train, test or predict on a single batch
#'
#' @param object A compiled Keras model.
#' @param x,y One batch of inputs and targets (see [fit()]).
#' @param sample_weight Per-sample weights for this batch.
#' @param class_weight Named numeric vector or list mapping class ids
#'   (0-based, as in keras3) to weights.
#' @return `train_on_batch()` and `test_on_batch()`: the loss (a number) if the
#'   model has no metrics, else a named list of the loss and the metrics.
#'   `predict_on_batch()`: an R array (a list of arrays for several outputs).
#' @examples
#' model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
#' model |> compile(optimizer = "sgd", loss = "mse")
#' x <- matrix(runif(12), 4, 3)
#' y <- matrix(runif(4), 4, 1)
#' train_on_batch(model, x, y)
#' test_on_batch(model, x, y)
#' predict_on_batch(model, x)
#' @export
train_on_batch <- function(object, x, y = NULL, sample_weight = NULL, class_weight = NULL) {
  args <- list(
    object,
    x = .as_py_data(x),
    y = .as_py_data(y, "y"),
    sample_weight = .as_py_data(sample_weight, "sample_weight"),
    class_weight = .as_class_weight(class_weight)
  )
  .batch_result(.call_verb(.bridge()$train_on_batch, args, "train_on_batch"))
}

#' @rdname train_on_batch
#' @export
test_on_batch <- function(object, x, y = NULL, sample_weight = NULL) {
  args <- list(
    object,
    x = .as_py_data(x),
    y = .as_py_data(y, "y"),
    sample_weight = .as_py_data(sample_weight, "sample_weight")
  )
  .batch_result(.call_verb(.bridge()$test_on_batch, args, "test_on_batch"))
}

#' @rdname train_on_batch
#' @export
predict_on_batch <- function(object, x) {
  .py_result_to_r(.call_verb(.bridge_unconverted()$predict_on_batch,
                             list(object, x = .as_py_data(x)), "predict_on_batch"))
}

# keras3: a single value (just the loss) comes back as a number.
.batch_result <- function(logs) {
  if (length(logs) == 1L) logs[[1L]] else logs
}
