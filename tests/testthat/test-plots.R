# plot(model) (the layer graph through Graphviz) and plot(history) on a real fit.

png_signature <- as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))

ticket_model <- function() {
  title <- keras_input(shape = 32, name = "title")
  tags <- keras_input(shape = 10, name = "tags")
  features <- layer_concatenate(title, tags) |> layer_dense(64, activation = "relu", name = "features")
  priority <- features |> layer_dense(1, activation = "sigmoid", name = "priority")
  department <- features |> layer_dense(4, activation = "softmax", name = "department")
  keras_model(list(title, tags), list(priority, department))
}

skip_if_no_dot <- function() {
  if (!nzchar(Sys.which("dot"))) skip("Graphviz `dot` is not installed")
}

test_that("plot(model) writes a PNG of the layer graph and returns its path", {
  skip_if_no_dot()
  model <- ticket_model()
  pdf(NULL)  # plot() also draws the graph on the current device
  path <- tryCatch(plot(model, show_shapes = TRUE, show_layer_names = TRUE),
                   finally = dev.off())
  expect_true(file.exists(path))
  expect_match(path, "\\.png$")
  expect_identical(readBin(path, "raw", 8), png_signature)
  unlink(path)

  out <- withVisible(plot(model, to_file = file.path(tempdir(), "ticket.png"), dpi = 72))
  expect_false(out$visible)
  expect_identical(out$value, file.path(tempdir(), "ticket.png"))
  expect_identical(readBin(out$value, "raw", 8), png_signature)
  unlink(out$value)
})

test_that("plot(model) options reach the DOT graph", {
  model <- ticket_model()
  dot_file <- tempfile(fileext = ".dot")
  on.exit(unlink(dot_file))
  plot(model, show_shapes = TRUE, show_layer_names = TRUE, to_file = dot_file)
  dot <- paste(readLines(dot_file), collapse = "\n")
  expect_match(dot, "<b>priority</b> (Dense)", fixed = TRUE)
  expect_match(dot, "Input shape: [(None, 32), (None, 10)]", fixed = TRUE)
  expect_match(dot, "Output shape: (None, 4)", fixed = TRUE)
  expect_no_match(dot, "Trainable", fixed = TRUE)

  # Layer classes only by default (keras3); trainable shown when a layer is frozen.
  frozen <- model$get_layer("features")
  frozen$trainable <- FALSE
  plot(model, to_file = dot_file, rankdir = "LR", show_layer_activations = TRUE)
  dot <- paste(readLines(dot_file), collapse = "\n")
  expect_no_match(dot, "<b>priority</b>", fixed = TRUE)
  expect_match(dot, "<b>Dense</b>", fixed = TRUE)
  expect_match(dot, "Trainable: False", fixed = TRUE)
  expect_match(dot, "Activation: softmax", fixed = TRUE)
  expect_match(dot, "rankdir=LR", fixed = TRUE)
})

test_that("plot(model) errors read as R errors", {
  model <- keras_model_sequential() |> layer_dense(2)
  expect_error(plot(model, to_file = tempfile(fileext = ".png")),
               "has not been built yet")
  expect_error(plot(ticket_model(), dpi = 2.5, to_file = tempfile(fileext = ".png")),
               "`dpi` must be a whole number")
})

test_that("plot(history) draws a real fit's curves with ggplot2 and base graphics", {
  set_random_seed(1)
  x <- matrix(rnorm(64 * 3), ncol = 3)
  y <- x %*% c(1, -2, 0.5)
  model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
  model |> compile(optimizer = "sgd", loss = "mse", metrics = "mae")
  history <- model |> fit(x, y, epochs = 3, batch_size = 16, validation_split = 0.25,
                          verbose = 0)
  df <- as.data.frame(history)
  expect_setequal(levels(df$metric), c("loss", "mae"))
  expect_identical(nrow(df), 12L)

  pdf(NULL)
  on.exit(dev.off())
  skip_if_not_installed("ggplot2")
  p <- plot(history)
  expect_s3_class(p, "ggplot")
  built <- ggplot2::ggplot_build(p)
  expect_identical(nrow(built$data[[1]]), 12L)  # one point per epoch, metric, data set
  print(p)
  expect_null(plot(history, method = "base"))
  expect_s3_class(plot(history, metrics = "loss"), "ggplot")
  # Ten epochs or more get a loess smooth.
  long <- model |> fit(x, y, epochs = 10, batch_size = 32, verbose = 0)
  expect_true(any(vapply(plot(long)$layers, function(l) inherits(l$geom, "GeomSmooth"), TRUE)))
})
