# The object fit() returns: the training parameters and the per-epoch
# metrics, with print / format / as.data.frame / plot methods.

.new_history <- function(params, metrics) {
  metrics <- lapply(metrics, function(v) as.numeric(unlist(v)))
  structure(list(params = params, metrics = metrics),
            class = "keras_training_history")
}

#' @export
format.keras_training_history <- function(x, ...) {
  final <- vapply(x$metrics, function(v) {
    v <- v[!is.na(v)]
    if (length(v)) v[[length(v)]] else NA_real_
  }, 0)
  lines <- if (length(final)) {
    sprintf("%*s: %s", max(nchar(names(final))), names(final),
            vapply(final, .format_metric_value, ""))
  }
  c("", "Final epoch (plot to see history):", lines)
}

# Four decimals like the guides, without rounding tiny values (e.g. a small
# learning rate) to zero.
.format_metric_value <- function(v) {
  if (is.na(v)) return("NA")
  if (v != 0 && abs(v) < 5e-4) return(format(v, digits = 4))
  sprintf("%.4f", v)
}

#' @export
print.keras_training_history <- function(x, ...) {
  writeLines(format(x, ...))
  invisible(x)
}

#' @export
as.data.frame.keras_training_history <- function(x, ...) {
  metrics <- x$metrics
  n_epochs <- max(c(0L, lengths(metrics), x$params$epochs))
  names <- names(metrics)
  is_val <- startsWith(names, "val_")
  base_names <- ifelse(is_val, substring(names, 5), names)
  values <- lapply(metrics, function(v) c(v, rep(NA_real_, n_epochs - length(v))))
  data.frame(
    epoch = rep(seq_len(n_epochs), length(metrics)),
    value = unlist(values, use.names = FALSE),
    metric = factor(rep(base_names, each = n_epochs),
                    levels = unique(base_names)),
    data = factor(rep(ifelse(is_val, "validation", "training"), each = n_epochs),
                  levels = c("training", "validation")),
    stringsAsFactors = FALSE
  )
}

#' Plot training history
#'
#' One panel per metric, training and validation values by epoch. Uses
#' ggplot2 when it is installed (returns the plot object), else base graphics.
#'
#' @param x A `keras_training_history` (what fit() returns).
#' @param y Unused.
#' @param metrics Metric names to plot (default: all).
#' @param method "auto" (ggplot2 when installed), "ggplot2" or "base".
#' @param smooth Add a loess smooth when there are at least 10 epochs.
#' @param theme_bw Use ggplot2::theme_bw().
#' @param ... Unused.
#' @examples
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = "sgd", loss = "mse", metrics = "mae")
#' history <- model |> fit(matrix(runif(40), 20, 2), runif(20), epochs = 3,
#'                         validation_split = 0.25, verbose = 0)
#' plot(history)
#' history
#' as.data.frame(history)
#' @export
plot.keras_training_history <- function(x, y, metrics = NULL,
                                        method = c("auto", "ggplot2", "base"),
                                        smooth = getOption("keras.plot.history.smooth", TRUE),
                                        theme_bw = getOption("keras.plot.history.theme_bw", FALSE),
                                        ...) {
  method <- match.arg(method)
  df <- as.data.frame(x)
  if (!is.null(metrics)) {
    df <- df[df$metric %in% metrics, , drop = FALSE]
    df$metric <- droplevels(df$metric)
  }
  df <- df[!is.na(df$value), , drop = FALSE]
  if (method == "auto")
    method <- if (requireNamespace("ggplot2", quietly = TRUE)) "ggplot2" else "base"
  if (method == "ggplot2") .plot_history_ggplot(df, smooth, theme_bw)
  else .plot_history_base(df)
}

.plot_history_ggplot <- function(df, smooth, theme_bw) {
  gg <- ggplot2::ggplot(df, ggplot2::aes(x = .data$epoch, y = .data$value,
                                         colour = .data$data)) +
    ggplot2::facet_grid(metric ~ ., switch = "y", scales = "free_y") +
    ggplot2::labs(x = "epoch", y = NULL, colour = "data") +
    ggplot2::theme(strip.placement = "outside")
  if (theme_bw) gg <- gg + ggplot2::theme_bw()
  if (isTRUE(smooth) && max(c(0, df$epoch)) >= 10) {
    gg + ggplot2::geom_point(shape = 21, fill = "white") +
      ggplot2::geom_smooth(method = "loess", formula = y ~ x, se = FALSE)
  } else {
    gg + ggplot2::geom_point() + ggplot2::geom_line()
  }
}

.plot_history_base <- function(df) {
  metrics <- levels(df$metric)
  old <- graphics::par(mfrow = c(length(metrics), 1), mar = c(3, 4, 1, 1),
                       mgp = c(2, 0.7, 0))
  on.exit(graphics::par(old))
  cols <- c(training = "#F8766D", validation = "#00BFC4")
  for (m in metrics) {
    d <- df[df$metric == m, , drop = FALSE]
    graphics::plot(d$epoch, d$value, type = "n", xlab = "epoch", ylab = m)
    for (set in levels(droplevels(d$data))) {
      s <- d[d$data == set, , drop = FALSE]
      graphics::lines(s$epoch, s$value, type = "o", pch = 16, col = cols[[set]])
    }
    if (length(unique(d$data)) > 1)
      graphics::legend("topright", legend = names(cols), col = cols, pch = 16,
                       lty = 1, bty = "n")
  }
  invisible(NULL)
}
