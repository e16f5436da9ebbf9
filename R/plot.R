# plot(model): the layer graph drawn by keras.utils.plot_model (Graphviz's
# `dot` renders it; python/torkeras/utils/model_visualization.py).

#' Plot a model's layer graph
#'
#' Draws the model's layers and their connections to a PNG with
#' `keras.utils.plot_model()` (Graphviz's `dot` program must be installed;
#' Debian package `graphviz`).
#'
#' Where the image goes:
#' - `to_file` given: the file is written and its path returned invisibly;
#'   nothing is drawn.
#' - inside knitr (R Markdown): the image is written into the chunk's figure
#'   directory and included in the document.
#' - otherwise: the image is written to a temporary PNG file and drawn on the
#'   current graphics device (opening the default device if none is open, as
#'   any `plot()` does, e.g. `Rplots.pdf` under Rscript); the path of the PNG
#'   is returned invisibly.
#'
#' @param x A Keras model (Functional or Sequential; a subclassed model is
#'   drawn as one box).
#' @param show_shapes Show input and output shapes (batch shapes, `None` for
#'   the batch size).
#' @param show_dtype Show input and output dtypes.
#' @param show_layer_names Show layer names (else only the layer classes).
#' @param ... Unused.
#' @param rankdir `"TB"` (top to bottom) or `"LR"` (left to right).
#' @param expand_nested Draw the layers of nested models inside a box.
#' @param dpi Resolution of the image in dots per inch.
#' @param show_layer_activations Show the activation of layers that have one.
#' @param show_trainable Show whether each layer is trainable; `NA` (the
#'   default) shows it when some layer is not trainable.
#' @param to_file File to write (the extension chooses the format: png, svg,
#'   pdf, ..., or dot for the DOT source). `NULL`: a temporary PNG.
#' @return The path of the image, invisibly (under knitr, the included image).
#' @examples
#' \donttest{
#' # needs Graphviz's `dot` program
#' input <- keras_input(shape = 3)
#' output <- input |> layer_dense(4) |> layer_dense(1)
#' model <- keras_model(input, output)
#' plot(model, show_shapes = TRUE, to_file = tempfile(fileext = ".png"))
#' }
#' @export
plot.torkeras.models.model.Model <- function(x, show_shapes = FALSE,
                                             show_dtype = FALSE,
                                             show_layer_names = FALSE, ...,
                                             rankdir = "TB", expand_nested = FALSE,
                                             dpi = 200, show_layer_activations = FALSE,
                                             show_trainable = NA, to_file = NULL) {
  .named_dots(...)
  in_knitr <- isTRUE(getOption("knitr.in.progress")) && is.null(to_file)
  draw <- is.null(to_file) && !in_knitr
  if (is.null(to_file)) {
    to_file <- if (in_knitr) .knitr_figure_path() else
      tempfile(paste0("keras_", .plot_file_stem(x)), fileext = ".png")
  }
  if (is.na(show_trainable)) {
    show_trainable <- tryCatch(
      any(!vapply(x$layers, function(layer) isTRUE(layer$trainable), TRUE)),
      error = function(e) FALSE)
  }
  args <- list(
    x,
    to_file = path.expand(to_file),
    show_shapes = show_shapes,
    show_dtype = show_dtype,
    show_layer_names = show_layer_names,
    rankdir = rankdir,
    expand_nested = expand_nested,
    dpi = as_integer(dpi, "dpi"),
    show_layer_activations = show_layer_activations,
    show_trainable = show_trainable
  )
  path <- call_python(.tk()$utils$plot_model, args, "plot")
  # An absolute path: pandoc may run in another directory than R (rmarkdown's
  # intermediates_dir), where a path relative to R's working directory breaks.
  if (in_knitr) return(knitr::include_graphics(normalizePath(path), rel_path = FALSE))
  if (draw) .draw_png(path)
  invisible(path)
}

.plot_file_stem <- function(model) {
  name <- tryCatch(as.character(model$name), error = function(e) "model")
  gsub("[^A-Za-z0-9_.-]", "_", name)
}

# A fresh file in the current chunk's figure directory.
.knitr_figure_path <- function() {
  options <- knitr::opts_current$get()
  label <- options$label %||% "plot"
  base <- knitr::fig_path("", options = options, number = NULL)
  dir.create(dirname(base), recursive = TRUE, showWarnings = FALSE)
  i <- 1L
  repeat {
    path <- sprintf("%s-model-%d.png", sub("-?$", "", base), i)
    if (!file.exists(path)) return(path)
    i <- i + 1L
  }
}

# Draws a PNG file on the current graphics device, filling it with the
# image's aspect ratio kept.
.draw_png <- function(path) {
  img <- png::readPNG(path, native = TRUE)
  dims <- dim(img)
  old <- graphics::par(mar = c(0, 0, 0, 0))
  on.exit(graphics::par(old))
  graphics::plot.new()
  graphics::plot.window(xlim = c(0, dims[[2]]), ylim = c(0, dims[[1]]), asp = 1)
  graphics::rasterImage(img, 0, 0, dims[[2]], dims[[1]], interpolate = TRUE)
  invisible()
}
