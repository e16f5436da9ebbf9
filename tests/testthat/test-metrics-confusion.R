# Confusion-count metrics from R: metric_precision(), metric_recall(),
# metric_auc(), metric_true_positives(), ... against counts computed in base R.

as_r <- function(x) as.numeric(op_convert_to_numpy(x))

# Predictions on a 0.001 grid offset by 0.0005: never equal to a threshold,
# so float32 and R's doubles agree on every comparison.
grid_scores <- function(n, lift = 0) {
  step <- pmin(sample(0:999, n, replace = TRUE) + round(lift * 1000), 999)
  (step + 0.5) / 1000
}

# tp, fp, tn, fn at each threshold (positive when score > threshold).
r_counts <- function(y, p, thresholds, w = rep(1, length(p))) {
  above <- outer(thresholds, p, "<")   # score above threshold
  pos <- matrix(y != 0, nrow = length(thresholds), ncol = length(p), byrow = TRUE)
  wm <- matrix(w, nrow = length(thresholds), ncol = length(p), byrow = TRUE)
  list(tp = rowSums((above & pos) * wm),
       fp = rowSums((above & !pos) * wm),
       tn = rowSums((!above & !pos) * wm),
       fn = rowSums((!above & pos) * wm))
}

safe_div <- function(a, b) ifelse(b == 0, 0, a / ifelse(b == 0, 1, b))

auc_thresholds <- function(n = 200) c(-1e-7, seq_len(n - 2) / (n - 1), 1 + 1e-7)

r_roc_auc <- function(k) {
  tpr <- safe_div(k$tp, k$tp + k$fn)
  fpr <- safe_div(k$fp, k$fp + k$tn)
  n <- length(tpr)
  sum((fpr[-n] - fpr[-1]) * (tpr[-n] + tpr[-1]) / 2)
}

test_that("metric_precision() and metric_recall() match base R counts, with weights", {
  set.seed(1)
  y <- rbinom(50, 1, 0.5)
  p <- grid_scores(50)
  w <- runif(50)
  k <- r_counts(y, p, 0.5, w)
  m <- metric_precision()
  expect_identical(m$name, "precision")
  m$update_state(y, p, sample_weight = w)
  expect_equal(as_r(m$result()), k$tp / (k$tp + k$fp), tolerance = 1e-5)
  r <- metric_recall(thresholds = c(0.3, 0.7))
  r$update_state(y, p)
  k2 <- r_counts(y, p, c(0.3, 0.7))
  expect_equal(as_r(r$result()), k2$tp / (k2$tp + k2$fn), tolerance = 1e-6)
  tp <- metric_true_positives()
  tp$update_state(y, p)
  expect_equal(as_r(tp$result()), r_counts(y, p, 0.5)$tp)
  fn <- metric_false_negatives(thresholds = c(0.2, 0.9))
  fn$update_state(y, p)
  expect_equal(as_r(fn$result()), r_counts(y, p, c(0.2, 0.9))$fn)
  expect_identical(metric_true_negatives(name = "tn")$name, "tn")
})

test_that("class_id is a 0-based class id and top_k an integer, as in keras3", {
  y <- rbind(c(0, 1, 0), c(1, 0, 1), c(0, 0, 1), c(0, 1, 1))
  p <- rbind(c(0.1, 0.7, 0.6), c(0.8, 0.3, 0.55), c(0.2, 0.9, 0.4), c(0.3, 0.35, 0.9))
  m <- metric_precision(class_id = 2)     # the third column
  m$update_state(y, p)
  pred <- p[, 3] > 0.5
  expect_equal(as_r(m$result()), sum(pred & y[, 3] == 1) / sum(pred), tolerance = 1e-6)
  expect_identical(m$class_id, 2L)
  r <- metric_recall(top_k = 1)
  r$update_state(y, p)
  top1 <- t(apply(p, 1, function(row) row == max(row)))
  expect_equal(as_r(r$result()), sum(top1 & y == 1) / sum(y == 1))
  expect_identical(r$top_k, 1L)
  expect_error(metric_precision(class_id = 1.5), "class_id")
  expect_error(m$update_state(y[, 1:2], p[, 1:2]), "out of range")
})

test_that("metric_auc() matches the trapezoid rule and the exact AUC", {
  set.seed(2)
  y <- rbinom(200, 1, 0.5)
  p <- grid_scores(200, lift = 0.2 * y)
  w <- runif(200)
  m <- metric_auc()
  expect_identical(m$name, "auc")
  m$update_state(y, p, sample_weight = w)
  expect_equal(as_r(m$result()), r_roc_auc(r_counts(y, p, auc_thresholds(), w)),
               tolerance = 1e-5)
  # Thresholds between all distinct scores: the curve is exact, so the AUC is
  # the probability that a positive outscores a negative.
  cuts <- sort(unique(p))
  exact <- metric_auc(thresholds = (cuts[-1] + cuts[-length(cuts)]) / 2)
  exact$update_state(y, p)
  pos <- p[y == 1]; neg <- p[y == 0]
  mann_whitney <- mean(outer(pos, neg, ">") + 0.5 * outer(pos, neg, "=="))
  expect_equal(as_r(exact$result()), mann_whitney, tolerance = 1e-5)
})

test_that("metric_auc() PR curve with Riemann sums, multi-label and label weights", {
  set.seed(3)
  y <- rbinom(120, 1, 0.4)
  p <- grid_scores(120, lift = 0.25 * y)
  k <- r_counts(y, p, auc_thresholds(20))
  rec <- safe_div(k$tp, k$tp + k$fn)
  prec <- safe_div(k$tp, k$tp + k$fp)
  n <- 20
  m <- metric_auc(num_thresholds = 20, curve = "PR", summation_method = "minoring")
  m$update_state(y, p)
  expect_equal(as_r(m$result()), sum((rec[-n] - rec[-1]) * pmin(prec[-n], prec[-1])),
               tolerance = 1e-5)

  Y <- matrix(rbinom(300, 1, 0.5), 100, 3)
  P <- matrix(grid_scores(300), 100, 3)
  per_label <- sapply(1:3, function(j) r_roc_auc(r_counts(Y[, j], P[, j], auc_thresholds(50))))
  lw <- c(0.5, 1, 2)
  ml <- metric_auc(num_thresholds = 50, multi_label = TRUE, num_labels = 3,
                   label_weights = lw)
  ml$update_state(Y, P)
  expect_equal(as_r(ml$result()), sum(per_label * lw) / sum(lw), tolerance = 1e-5)
  expect_identical(ml$get_config()$num_labels, 3L)
})

test_that("rate-at-constraint metrics pick the best feasible threshold", {
  set.seed(4)
  y <- rbinom(80, 1, 0.5)
  p <- grid_scores(80, lift = 0.3 * y)
  t <- c(0, seq_len(198) / 199, 1)
  k <- r_counts(y, p, t)
  sens <- safe_div(k$tp, k$tp + k$fn)
  spec <- safe_div(k$tn, k$tn + k$fp)
  m <- metric_sensitivity_at_specificity(specificity = 0.8)
  m$update_state(y, p)
  expect_equal(as_r(m$result()), max(sens[spec >= 0.8]), tolerance = 1e-6)
  m <- metric_specificity_at_sensitivity(0.9)
  m$update_state(y, p)
  expect_equal(as_r(m$result()), max(spec[sens >= 0.9]), tolerance = 1e-6)
})

test_that("confusion metrics in compile(), fit() and evaluate(), also after saving", {
  set.seed(5)
  x <- matrix(rnorm(64 * 4), 64, 4)
  y <- as.numeric(x[, 1] + 0.5 * x[, 2] + rnorm(64, sd = 0.3) > 0)
  model <- keras_model_sequential(input_shape = 4) |>
    layer_dense(1, activation = "sigmoid")
  model |> compile(optimizer = "adam", loss = "binary_crossentropy",
                   metrics = list("auc", metric_precision(name = "precision"),
                                  metric_recall(name = "recall")))
  history <- model |> fit(x, y, epochs = 2, batch_size = 16, verbose = 0)
  expect_setequal(names(history$metrics), c("loss", "auc", "precision", "recall"))
  result <- model |> evaluate(x, y, batch_size = 16, verbose = 0)
  scores <- as.numeric(predict(model, x, verbose = 0))
  expect_equal(result$auc, r_roc_auc(r_counts(y, scores, auc_thresholds())),
               tolerance = 1e-5)
  pred <- scores > 0.5
  expect_equal(result$precision, sum(pred & y == 1) / sum(pred), tolerance = 1e-5)
  expect_equal(result$recall, sum(pred & y == 1) / sum(y == 1), tolerance = 1e-5)

  path <- tempfile(fileext = ".keras")
  save_model(model, path)
  reloaded <- load_model(path)
  again <- reloaded |> evaluate(x, y, batch_size = 16, verbose = 0)
  expect_equal(again[names(result)], result, tolerance = 1e-6)
})

test_that("bad confusion-metric arguments are errors from the wrapper", {
  expect_error(metric_auc(curve = "ROCK"), "curve", class = "torkeras_python_error")
  expect_error(metric_auc(num_thresholds = 1), "num_thresholds")
  expect_error(metric_precision(thresholds = c(0.5, 2)), "Threshold values must be in")
  expect_error(metric_precision_at_recall(recall = 1.5), "recall")
})
