# keras3's function-only metrics: keras.metrics functions that have no Metric
# class, so tools/generate_r_wrappers.py (which builds metric_* from classes)
# does not produce them. Each takes y_true and y_pred and returns per-sample
# values; pass it uncalled to compile(metrics = ) to average it as a metric.

# Wraps torkeras.metrics.binary_focal_crossentropy
metric_binary_focal_crossentropy <- function(y_true, y_pred, apply_class_balancing = FALSE,
                                             alpha = 0.25, gamma = 2, from_logits = FALSE,
                                             label_smoothing = 0, axis = -1L) {
  args <- capture_args(list(axis = as_axis), ignore = c("y_true", "y_pred"))
  call_python(.tk()$metrics$binary_focal_crossentropy, c(list(y_true, y_pred), args),
              "metric_binary_focal_crossentropy")
}

# Wraps torkeras.metrics.categorical_focal_crossentropy
metric_categorical_focal_crossentropy <- function(y_true, y_pred, alpha = 0.25, gamma = 2,
                                                  from_logits = FALSE, label_smoothing = 0,
                                                  axis = -1L) {
  args <- capture_args(list(axis = as_axis), ignore = c("y_true", "y_pred"))
  call_python(.tk()$metrics$categorical_focal_crossentropy, c(list(y_true, y_pred), args),
              "metric_categorical_focal_crossentropy")
}

# Wraps torkeras.metrics.huber
metric_huber <- function(y_true, y_pred, delta = 1) {
  args <- capture_args(list(), ignore = c("y_true", "y_pred"))
  call_python(.tk()$metrics$huber, c(list(y_true, y_pred), args), "metric_huber")
}

# Wraps torkeras.metrics.log_cosh
metric_log_cosh <- function(y_true, y_pred) {
  call_python(.tk()$metrics$log_cosh, list(y_true, y_pred), "metric_log_cosh")
}
