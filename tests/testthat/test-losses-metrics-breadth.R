# The loss_* / metric_* wrappers added for issue 10: keras3 names, values
# against base R, 1-based axes, 0-based class ids (as in keras3), compile()/fit().

vec <- function(x) as.vector(op_convert_to_numpy(x))
num <- function(x) as.numeric(op_convert_to_numpy(x))

test_that("the new losses and metrics have their keras3 names", {
  for (name in c("binary_focal_crossentropy", "categorical_focal_crossentropy",
                 "categorical_generalized_cross_entropy", "circle", "ctc", "dice", "tversky")) {
    expect_true(exists(paste0("loss_", name), mode = "function"), info = name)
  }
  for (name in c("iou", "binary_iou", "mean_iou", "one_hot_iou", "one_hot_mean_iou",
                 "f1_score", "fbeta_score", "r2_score", "pearson_correlation",
                 "concordance_correlation", "binary_focal_crossentropy",
                 "categorical_focal_crossentropy", "huber", "log_cosh")) {
    expect_true(exists(paste0("metric_", name), mode = "function"), info = name)
  }
})

test_that("loss_dice() and loss_tversky() equal base R, with 1-based axes", {
  set.seed(2)
  y_true <- array(rbinom(2 * 3 * 3, 1, 0.5), c(2, 3, 3))
  y_pred <- array(runif(2 * 3 * 3), c(2, 3, 3))
  eps <- 1e-7
  r_dice <- 1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)
  expect_equal(num(loss_dice(y_true, y_pred)), r_dice, tolerance = 1e-6)
  # axis = c(2, 3) (R) sums over everything but the batch axis.
  per_sample <- sapply(1:2, function(i) {
    t <- y_true[i, , ]; p <- y_pred[i, , ]
    1 - 2 * sum(t * p) / (sum(t) + sum(p) + eps)
  })
  expect_equal(vec(loss_dice(y_true, y_pred, axis = c(2, 3))), per_sample, tolerance = 1e-6)
  expect_equal(num(loss_dice(axis = c(2, 3))(y_true, y_pred)), mean(per_sample),
               tolerance = 1e-6)
  tp <- sum(y_true * y_pred); fp <- sum((1 - y_pred) * y_true); fn <- sum(y_pred * (1 - y_true))
  expect_equal(num(loss_tversky(y_true, y_pred, alpha = 0.3, beta = 0.7)),
               1 - tp / (tp + 0.3 * fp + 0.7 * fn + eps), tolerance = 1e-6)
})

test_that("focal and generalized cross-entropies equal their base R formulas", {
  y_true <- rbind(c(0, 1, 1), c(1, 0, 0))
  p <- rbind(c(0.2, 0.7, 0.4), c(0.9, 0.3, 0.05))
  bce <- -(y_true * log(p) + (1 - y_true) * log(1 - p))
  p_t <- y_true * p + (1 - y_true) * (1 - p)
  expect_equal(vec(loss_binary_focal_crossentropy(y_true, p, gamma = 2)),
               rowMeans((1 - p_t)^2 * bce), tolerance = 1e-6)
  weight <- y_true * 0.25 + (1 - y_true) * 0.75
  expect_equal(vec(loss_binary_focal_crossentropy(y_true, p, apply_class_balancing = TRUE)),
               rowMeans(weight * (1 - p_t)^2 * bce), tolerance = 1e-6)
  expect_equal(vec(metric_binary_focal_crossentropy(y_true, p)),
               rowMeans((1 - p_t)^2 * bce), tolerance = 1e-6)

  onehot <- rbind(c(0, 1, 0), c(1, 0, 0))
  probs <- rbind(c(0.2, 0.5, 0.3), c(0.6, 0.3, 0.1))
  expect_equal(vec(loss_categorical_focal_crossentropy(onehot, probs)),
               rowSums(0.25 * (1 - probs)^2 * -onehot * log(probs)), tolerance = 1e-6)
  expect_equal(vec(metric_categorical_focal_crossentropy(onehot, probs, gamma = 0)),
               rowSums(0.25 * -onehot * log(probs)), tolerance = 1e-6)

  # Integer labels are 0-based class ids, as in keras3.
  labels <- c(1, 0)
  expect_equal(vec(loss_categorical_generalized_cross_entropy(labels, probs, q = 0.5)),
               (1 - c(0.5, 0.6)^0.5) / 0.5, tolerance = 1e-6)
  expect_error(loss_categorical_generalized_cross_entropy(q = 1.5), "q")
})

test_that("loss_binary_crossentropy() computes targets outside [0, 1] by the formula", {
  y_true <- rbind(c(1.5, -0.5))
  p <- rbind(c(0.3, 0.6))
  expect_equal(vec(loss_binary_crossentropy(y_true, p)),
               mean(-(y_true * log(p) + (1 - y_true) * log(1 - p))), tolerance = 1e-6)
})

test_that("loss_circle() and loss_ctc() give losses and compile-ready objects", {
  emb <- diag(4)[, 1:3]
  emb <- emb / pmax(sqrt(rowSums(emb^2)), 1)
  labels <- c(0, 0, 1, 1)
  values <- vec(loss_circle(labels, emb, gamma = 10))
  expect_length(values, 4)
  expect_true(all(is.finite(values)) && all(values >= 0))
  expect_s3_class(loss_circle(gamma = 10), "python.builtin.object")
  logits <- array(rnorm(2 * 5 * 4), c(2, 5, 4))
  ctc <- vec(loss_ctc(rbind(c(1, 2, 0), c(3, 0, 0)), logits))
  expect_length(ctc, 2)
  expect_true(all(ctc > 0))
  expect_equal(loss_ctc()$get_config()$name, "ctc")
})

test_that("IoU metrics take 0-based class ids and match base R", {
  y_true <- c(0, 1, 2, 2, 1, 0)
  y_pred <- c(0, 2, 2, 2, 1, 1)
  cm <- table(factor(y_true, 0:2), factor(y_pred, 0:2))
  iou <- diag(cm) / (rowSums(cm) + colSums(cm) - diag(cm))
  m <- metric_mean_iou(num_classes = 3)
  m$update_state(y_true, y_pred)
  expect_equal(num(m$result()), mean(iou), tolerance = 1e-6)
  m <- metric_iou(num_classes = 3, target_class_ids = 2)
  m$update_state(y_true, y_pred)
  expect_equal(num(m$result()), unname(iou[3]), tolerance = 1e-6)
  m <- metric_iou(num_classes = 3, target_class_ids = c(0, 2))
  m$update_state(y_true, y_pred)
  expect_equal(num(m$result()), mean(iou[c(1, 3)]), tolerance = 1e-6)
  m <- metric_one_hot_mean_iou(num_classes = 3)
  m$update_state(diag(3)[y_true + 1, ], diag(3)[y_pred + 1, ])
  expect_equal(num(m$result()), mean(iou), tolerance = 1e-6)
  m <- metric_binary_iou(target_class_ids = 1, threshold = 0.5)
  m$update_state(c(0, 1, 1, 0), c(0.2, 0.8, 0.4, 0.6))
  expect_equal(num(m$result()), 1 / 3, tolerance = 1e-6)
  expect_error(metric_mean_iou(num_classes = 2.5), "num_classes")
  expect_error(metric_iou(num_classes = 3, target_class_ids = 3), "out of range")
})

test_that("metric_f1_score(), metric_fbeta_score() and metric_r2_score() match base R", {
  y_true <- rbind(c(1, 0), c(0, 1), c(1, 0), c(0, 1))
  y_pred <- rbind(c(0.9, 0.1), c(0.8, 0.2), c(0.3, 0.7), c(0.4, 0.6))
  pred <- (y_pred == apply(y_pred, 1, max)) * 1
  tp <- colSums(pred * y_true); fp <- colSums(pred * (1 - y_true))
  fn <- colSums((1 - pred) * y_true)
  prec <- tp / (tp + fp); rec <- tp / (tp + fn)
  m <- metric_f1_score()
  m$update_state(y_true, y_pred)
  expect_equal(vec(m$result()), 2 * prec * rec / (prec + rec), tolerance = 1e-6)
  m <- metric_fbeta_score(beta = 2, average = "macro")
  m$update_state(y_true, y_pred)
  expect_equal(num(m$result()), mean(5 * prec * rec / (4 * prec + rec)), tolerance = 1e-6)
  expect_error(metric_f1_score(average = "median"), "average")

  set.seed(3)
  y <- matrix(rnorm(20), 10)
  yhat <- y + matrix(rnorm(20, sd = 0.5), 10)
  r2 <- 1 - colSums((y - yhat)^2) / colSums(sweep(y, 2, colMeans(y))^2)
  m <- metric_r2_score()
  m$update_state(y[1:5, ], yhat[1:5, ])
  m$update_state(y[6:10, ], yhat[6:10, ])
  expect_equal(num(m$result()), mean(r2), tolerance = 1e-5)
  m <- metric_r2_score(class_aggregation = NULL)
  m$update_state(y, yhat)
  expect_equal(vec(m$result()), r2, tolerance = 1e-5)
  expect_error(metric_r2_score(num_regressors = 1.5), "num_regressors")
})

test_that("correlation metrics equal cor() row by row, and axis is 1-based", {
  set.seed(4)
  y <- matrix(rnorm(12), 3)
  yhat <- y + matrix(rnorm(12, sd = 0.3), 3)
  r_rows <- sapply(1:3, function(i) cor(y[i, ], yhat[i, ]))
  expect_equal(vec(metric_pearson_correlation(y, yhat)), r_rows, tolerance = 1e-5)
  r_cols <- sapply(1:4, function(j) cor(y[, j], yhat[, j]))
  expect_equal(vec(metric_pearson_correlation(y, yhat, axis = 1)), r_cols, tolerance = 1e-5)
  m <- metric_pearson_correlation()
  m$update_state(y, yhat)
  expect_equal(num(m$result()), mean(r_rows), tolerance = 1e-5)
  # Keras's formula (covariance term centred on the mean of y_pred).
  ccc <- sapply(1:3, function(i) {
    t <- y[i, ]; p <- yhat[i, ]
    vt <- mean((t - mean(t))^2); vp <- mean((p - mean(p))^2)
    mean(2 * (t - mean(p)) * (p - mean(p)) / (vt + vp + (mean(t) - mean(p))^2 + 1e-7))
  })
  expect_equal(vec(metric_concordance_correlation(y, yhat)), ccc, tolerance = 1e-5)
  expect_equal(vec(metric_huber(y, yhat, delta = 0.5)),
               rowMeans(ifelse(abs(yhat - y) <= 0.5, 0.5 * (yhat - y)^2,
                               0.5 * abs(yhat - y) - 0.125)), tolerance = 1e-5)
  expect_equal(vec(metric_log_cosh(y, yhat)), rowMeans(log(cosh(yhat - y))), tolerance = 1e-5)
})

test_that("the new losses and metrics work in compile() and fit()", {
  set.seed(5)
  x <- matrix(runif(64 * 4), 64)
  y <- matrix(rbinom(64 * 3, 1, 0.5), 64)
  model <- keras_model_sequential(input_shape = 4) |>
    layer_dense(3, activation = "sigmoid")
  model |> compile(optimizer = "adam", loss = loss_binary_focal_crossentropy(),
                   metrics = list(metric_f1_score(average = "macro", threshold = 0.5),
                                  metric_binary_iou(name = "binary_iou"), metric_r2_score()))
  history <- model |> fit(x, y, epochs = 2, batch_size = 16, verbose = 0)
  expect_true(all(c("loss", "f1_score", "binary_iou", "r2_score") %in% names(history$metrics)))
  expect_true(all(is.finite(unlist(history$metrics))))
  model |> compile(optimizer = "adam", loss = loss_dice)
  history <- model |> fit(x, y, epochs = 1, verbose = 0)
  expect_true(is.finite(history$metrics$loss))
})

test_that("function-only metrics passed uncalled to compile() are the Python functions", {
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(optimizer = "sgd", loss = "mse",
                   metrics = list(metric_huber, metric_log_cosh))
  x <- matrix(seq(-1, 1, length.out = 30), 10)
  y <- seq(0, 1, length.out = 10)
  history <- model |> fit(x, y, epochs = 1, verbose = 0)
  # the logs carry the Python functions' names
  expect_identical(names(history$metrics), c("loss", "huber", "log_cosh"))
})
