# R data sources for fit/evaluate/predict: data frames, factors, generator
# functions, and the tfdatasets-style pipeline (R/data-sources.R,
# R/dataset-pipeline.R).

small_classifier <- function(n_in = 3, n_out = 3) {
  inputs <- keras_input(shape = n_in)
  outputs <- inputs |>
    layer_dense(n_out, activation = "softmax",
                kernel_initializer = initializer_constant(0.1))
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = optimizer_sgd(0.1),
                   loss = "sparse_categorical_crossentropy",
                   metrics = "accuracy")
  model
}

frame_data <- function(n = 96) {
  set.seed(1)
  df <- data.frame(a = rnorm(n), b = runif(n), c = rnorm(n))
  label <- factor(sample(c("lo", "mid", "hi"), n, TRUE), levels = c("lo", "mid", "hi"))
  list(df = df, label = label)
}

test_that("a data frame trains a single-input model like its matrix; factors are 0-based codes", {
  d <- frame_data()
  m1 <- small_classifier()
  h1 <- m1 |> fit(d$df, d$label, batch_size = 16, epochs = 2, shuffle = FALSE, verbose = 0)
  m2 <- small_classifier()
  h2 <- m2 |> fit(as.matrix(d$df), as.integer(d$label) - 1L, batch_size = 16,
                  epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(h1$metrics, h2$metrics)
  expect_equal(evaluate(m1, d$df, d$label, verbose = 0),
               evaluate(m2, as.matrix(d$df), as.integer(d$label) - 1L, verbose = 0))
  expect_equal(predict(m1, d$df, verbose = 0), predict(m2, as.matrix(d$df), verbose = 0))
  # validation_split holds out the last rows of a data frame, as for arrays
  h3 <- small_classifier() |> fit(d$df, d$label, validation_split = 0.25,
                                  shuffle = FALSE, batch_size = 16, verbose = 0)
  h4 <- small_classifier() |> fit(as.matrix(d$df), as.integer(d$label) - 1L,
                                  validation_split = 0.25, shuffle = FALSE,
                                  batch_size = 16, verbose = 0)
  expect_named(h3$metrics, c("loss", "accuracy", "val_loss", "val_accuracy"), ignore.order = TRUE)
  expect_equal(h3$metrics, h4$metrics)
})

test_that("data frame columns feed the inputs with the same names", {
  d <- frame_data()
  a <- keras_input(shape = 1, name = "a")
  b <- keras_input(shape = 1, name = "b")
  out <- layer_concatenate(list(a, b)) |>
    layer_dense(1, kernel_initializer = initializer_constant(0.5))
  model <- keras_model(list(a, b), out)
  model |> compile(optimizer = "sgd", loss = "mse")
  expected <- mean((0.5 * d$df$a + 0.5 * d$df$b - d$df$c)^2)
  # column c is not an input: it is ignored
  expect_equal(evaluate(model, d$df, d$df$c, verbose = 0)$loss, expected, tolerance = 1e-5)
  expect_error(evaluate(model, d$df[c("a", "c")], d$df$c, verbose = 0),
               "no column for the\\s+model's inputs")
  expect_error(fit(small_classifier(), data.frame(a = 1:3, s = c("x", "y", "z")), 1:3),
               "column `s` of the data frame is character")
})

test_that("an R generator function trains and evaluates like the arrays", {
  d <- frame_data()
  x <- as.matrix(d$df)
  y <- as.integer(d$label) - 1L
  make_gen <- function(with_weights = FALSE) {
    i <- 0
    function() {
      if (i >= 6) return(NULL)
      i <<- i + 1
      rows <- ((i - 1) * 16 + 1):(i * 16)
      if (with_weights) list(x[rows, ], y[rows], rep(2, 16)) else list(x[rows, ], y[rows])
    }
  }
  g <- small_classifier()
  hg <- g |> fit(make_gen(), epochs = 1, steps_per_epoch = 6, verbose = 0)
  a <- small_classifier()
  ha <- a |> fit(x, y, batch_size = 16, epochs = 1, shuffle = FALSE, verbose = 0)
  expect_equal(hg$metrics, ha$metrics)
  expect_equal(hg$params$steps, 6L)
  # evaluate() runs until the generator returns NULL
  expect_equal(evaluate(g, make_gen(), verbose = 0),
               evaluate(a, x, y, batch_size = 16, verbose = 0))
  expect_equal(predict(g, make_gen(), verbose = 0), predict(a, x, verbose = 0))
  # a third element is the sample weight
  hw <- small_classifier() |> fit(make_gen(TRUE), steps_per_epoch = 6, verbose = 0)
  hs <- small_classifier() |> fit(x, y, sample_weight = rep(2, 96), batch_size = 16,
                                  shuffle = FALSE, verbose = 0)
  expect_equal(hw$metrics, hs$metrics)
  # a generator as validation data
  hv <- small_classifier() |> fit(make_gen(), steps_per_epoch = 6,
                                  validation_data = make_gen(), verbose = 0)
  expect_equal(hv$metrics$val_loss, evaluate(a, x, y, batch_size = 16, verbose = 0)$loss)
})

test_that("an unbuilt model trains on every batch of a one-pass generator", {
  x <- matrix(rnorm(48), 16, 3)
  y <- sample(0:2, 16, TRUE)
  i <- 0
  gen <- function() {
    if (i >= 4) return(NULL)
    i <<- i + 1
    rows <- ((i - 1) * 4 + 1):(i * 4)
    list(x[rows, ], y[rows])
  }
  model <- keras_model_sequential() |> layer_dense(3, activation = "softmax")
  model |> compile(optimizer = "sgd", loss = "sparse_categorical_crossentropy")
  seen <- integer()
  cb <- callback_lambda(on_train_batch_end = function(batch, logs) seen <<- c(seen, batch))
  model |> fit(gen, epochs = 1, verbose = 0, callbacks = list(cb))
  expect_identical(seen, 1:4)
})

test_that("validation_split is refused for generators and datasets", {
  model <- small_classifier()
  gen <- function() list(matrix(0, 4, 3), c(0L, 1L, 2L, 0L))
  err <- tryCatch(fit(model, gen, validation_split = 0.2, verbose = 0), error = identity)
  expect_identical(gsub("\\s+", " ", conditionMessage(err)),
                   paste("`validation_split` is only supported for arrays and data frames,",
                         "not for datasets or generator functions; pass `validation_data` instead"))
  ds <- tensor_slices_dataset(list(matrix(0, 4, 3), c(0L, 1L, 2L, 0L))) |> dataset_batch(2)
  err <- tryCatch(fit(model, ds, validation_split = 0.2, verbose = 0), error = identity)
  expect_match(conditionMessage(err), "validation_split")
  expect_match(conditionMessage(err), "pass `validation_data`\\s+instead")
  expect_error(fit(model, function(n) NULL), "must take no arguments")
})

fashion <- function(n_train = 640, n_test = 200) {
  skip_if_not(dir.exists("/usr/share/datasets/fashion-mnist") ||
                nzchar(Sys.getenv("TORKERAS_FASHION_MNIST_DIR")),
              "Fashion-MNIST files not installed")
  c(c(x_train, y_train), c(x_test, y_test)) %<-% dataset_fashion_mnist()
  list(x_train = array_reshape(x_train[seq_len(n_train), , ], c(n_train, 784)) / 255,
       y_train = y_train[seq_len(n_train)],
       x_test = array_reshape(x_test[seq_len(n_test), , ], c(n_test, 784)) / 255,
       y_test = y_test[seq_len(n_test)])
}

get_compiled_model <- function() {
  inputs <- keras_input(shape = 784, name = "digits")
  outputs <- inputs |>
    layer_dense(64, activation = "relu", name = "dense_1") |>
    layer_dense(10, activation = "softmax", name = "predictions")
  model <- keras_model(inputs, outputs)
  model |> compile(optimizer = optimizer_rmsprop(learning_rate = 1e-3),
                   loss = "sparse_categorical_crossentropy",
                   metrics = list("sparse_categorical_accuracy"))
  model
}

test_that("the guide's dataset pipeline: fit shows 10/10, evaluate equals the arrays", {
  d <- fashion()
  x_train <- d$x_train; y_train <- d$y_train; x_test <- d$x_test; y_test <- d$y_test
  model <- get_compiled_model()
  train_dataset <- tensor_slices_dataset(list(x_train, y_train))
  train_dataset <- train_dataset |>
    dataset_shuffle(buffer_size = 1024) |>
    dataset_batch(64)
  test_dataset <-
    tensor_slices_dataset(list(x_test, y_test)) |>
    dataset_batch(64)
  out <- strsplit(reticulate::py_capture_output(
    model |> fit(train_dataset, epochs = 1, verbose = 2)), "\n")[[1]]
  expect_match(out[[1]], "^10/10 - .* - loss: [0-9.]+ - sparse_categorical_accuracy: [0-9.]+$")
  result <- model |> evaluate(test_dataset, verbose = 0)
  expect_named(result, c("loss", "sparse_categorical_accuracy"), ignore.order = TRUE)
  expect_equal(result, evaluate(model, x_test, y_test, batch_size = 64, verbose = 0))
  expect_equal(predict(model, test_dataset, verbose = 0),
               predict(model, x_test, batch_size = 64, verbose = 0), tolerance = 1e-6)
  # steps_per_epoch and a validation dataset (with validation_steps)
  val_dataset <- tensor_slices_dataset(list(x_test, y_test)) |> dataset_batch(64)
  h <- model |> fit(train_dataset, epochs = 2, steps_per_epoch = 3,
                    validation_data = val_dataset, validation_steps = 2, verbose = 0)
  expect_equal(h$params$steps, 3L)
  expect_length(h$metrics$val_loss, 2)
  # sample weights as the third element
  sample_weight <- rep(1.0, length(y_train))
  sample_weight[y_train == 5] <- 2.0
  weighted <- tensor_slices_dataset(list(x_train, y_train, sample_weight)) |>
    dataset_shuffle(buffer_size = 1024) |>
    dataset_batch(64)
  hw <- get_compiled_model() |> fit(weighted, epochs = 1, verbose = 0)
  expect_true(is.finite(hw$metrics$loss))
})

test_that("a pipeline of named lists feeds a multi-input, multi-output model", {
  img <- keras_input(shape = 4, name = "img_input")
  ts <- keras_input(shape = 2, name = "ts_input")
  joined <- layer_concatenate(list(img, ts))
  score <- joined |> layer_dense(1, name = "score_output")
  klass <- joined |> layer_dense(3, activation = "softmax", name = "class_output")
  model <- keras_model(list(img, ts), list(score, klass))
  model |> compile(optimizer = "rmsprop",
                   loss = list(score_output = "mse", class_output = "sparse_categorical_crossentropy"))
  set.seed(2)
  img_data <- matrix(runif(100 * 4), 100); ts_data <- matrix(runif(100 * 2), 100)
  score_targets <- matrix(runif(100), 100); class_targets <- sample(0:2, 100, TRUE)
  train_dataset <- tensor_slices_dataset(list(
    list(img_input = img_data, ts_input = ts_data),
    list(score_output = score_targets, class_output = class_targets)
  ))
  train_dataset <- train_dataset |>
    dataset_shuffle(buffer_size = 1024) |>
    dataset_batch(64)
  h <- model |> fit(train_dataset, epochs = 1, verbose = 0)
  expect_equal(h$params$steps, 2L)
  expect_true(is.finite(h$metrics$loss))
})

test_that("as_iterator(), iter_next() and iterate() walk a dataset", {
  x <- matrix(as.numeric(1:20), 10, 2)
  y <- 0:9
  ds <- tensor_slices_dataset(list(x, y)) |> dataset_batch(4)
  it <- as_iterator(ds)
  batch <- iter_next(it)
  c(x_batch, y_batch) %<-% batch
  expect_equal(as.array(x_batch), x[1:4, ], ignore_attr = TRUE)
  expect_equal(as.vector(as.array(y_batch)), 0:3)
  expect_equal(dim(iter_next(it)[[1]]), c(4L, 2L))
  expect_equal(dim(iter_next(it)[[1]]), c(2L, 2L))
  expect_null(iter_next(it))
  sizes <- iterate(ds, function(b) nrow(as.array(b[[1]])))
  expect_equal(sizes, c(4L, 4L, 2L))
  # a fresh iterator starts over
  expect_equal(as.vector(as.array(iter_next(as_iterator(ds))[[2]])), 0:3)
  # unbatched elements: rows and scalars
  first <- iter_next(as_iterator(tensor_slices_dataset(list(x, y))))
  expect_equal(as.vector(as.array(first[[1]])), c(1, 11))
  expect_equal(as.array(first[[2]]), 0L, ignore_attr = TRUE)
  # a data frame gives named elements
  row <- iter_next(as_iterator(tensor_slices_dataset(data.frame(p = 1:3, q = c(0.5, 1, 2)))))
  expect_named(row, c("p", "q"))
  expect_equal(length(tensor_slices_dataset(y) |> dataset_take(3)), 3L)
})

test_that("dataset_map() applies an R function to each element", {
  x <- matrix(as.numeric(1:20), 10, 2)
  y <- 0:9
  seen <- NULL
  ds <- tensor_slices_dataset(list(x, y)) |>
    dataset_map(function(features, label) {
      seen <<- c(seen, is.numeric(features) && !inherits(features, "python.builtin.object"))
      list(features * 2, label + 1L)
    }) |>
    dataset_batch(5)
  c(bx, by) %<-% iter_next(as_iterator(ds))
  expect_true(all(seen))
  expect_equal(as.array(bx), x[1:5, ] * 2, ignore_attr = TRUE)
  expect_equal(dim(by), 5L)
  expect_equal(as.vector(as.array(by)), 1:5)
  # formulas work too; map after batch sees whole batches
  f <- tensor_slices_dataset(x) |> dataset_batch(5) |> dataset_map(~ .x / 10)
  expect_equal(as.array(iter_next(as_iterator(f))), x[1:5, ] / 10, ignore_attr = TRUE,
               tolerance = 1e-6)
  expect_error(dataset_map(f, 3), "`map_func` must be an R function")
  expect_error(dataset_batch(list(1), 2), "must be a dataset")
})

test_that("dataset_repeat() repeats, forever with NULL; dataset_take() cuts it", {
  y <- 0:4
  twice <- tensor_slices_dataset(y) |> dataset_repeat(2)
  expect_equal(length(twice), 10L)
  expect_equal(unlist(iterate(twice, function(v) as.integer(as.array(v)))), c(0:4, 0:4))
  # batches run across the end of a pass
  sizes <- iterate(twice |> dataset_batch(3), function(b) as.vector(as.array(b)))
  expect_equal(sizes, list(0:2, c(3L, 4L, 0L), 1:3, 4L))
  forever <- tensor_slices_dataset(y) |> dataset_repeat()
  expect_error(length(forever), "infinite")
  first <- iterate(forever |> dataset_take(12), function(v) as.integer(as.array(v)))
  expect_equal(unlist(first), c(0:4, 0:4, 0:1))
  expect_equal(length(tensor_slices_dataset(y) |> dataset_repeat(-1) |> dataset_take(7)), 7L)
  expect_equal(length(tensor_slices_dataset(y) |> dataset_repeat(0)), 0L)
  # a shuffle before the repeat draws a new order each pass
  s <- tensor_slices_dataset(0:29) |> dataset_shuffle(30, seed = 5) |> dataset_repeat(2)
  out <- unlist(iterate(s, function(v) as.integer(as.array(v))))
  expect_equal(sort(out[1:30]), 0:29)
  expect_equal(sort(out[31:60]), 0:29)
  expect_false(identical(out[1:30], out[31:60]))
  expect_error(dataset_repeat(forever, 1.5), "`count` must be a whole number")
  expect_error(dataset_repeat(list(1)), "must be a dataset")
})

test_that("an endless dataset without steps_per_epoch is refused with a message", {
  x <- matrix(0, 20, 3)
  y <- rep(0L, 20)
  ds <- tensor_slices_dataset(list(x, y)) |> dataset_batch(10) |> dataset_repeat()
  m <- small_classifier()
  expect_error(m |> fit(ds, epochs = 1, verbose = 0),
               "repeats forever.*`steps_per_epoch`")
  expect_error(m |> evaluate(ds, verbose = 0), "repeats forever.*`steps`")
})

test_that("fit() on a repeated dataset runs steps_per_epoch steps through the passes", {
  set.seed(3)
  x <- matrix(rnorm(30 * 3), 30, 3)
  y <- as.integer(x[, 2] > 0)
  ds <- tensor_slices_dataset(list(x, y)) |> dataset_batch(10) |> dataset_repeat()
  batches <- integer()
  counter <- callback_lambda(on_train_batch_end = function(batch, logs) {
    batches <<- c(batches, batch)
  })
  m1 <- small_classifier()
  h <- m1 |> fit(ds, epochs = 3, steps_per_epoch = 2, callbacks = list(counter), verbose = 0)
  expect_equal(h$params$steps, 2L)
  expect_length(h$metrics$loss, 3)
  expect_equal(batches, rep(1:2, 3))  # 1-based batch numbers in R
  # 6 steps of 10 rows in order are two passes over the data: the same
  # weights as two epochs on the arrays without shuffling
  m2 <- small_classifier()
  m2 |> fit(x, y, batch_size = 10, epochs = 2, shuffle = FALSE, verbose = 0)
  expect_equal(get_weights(m1), get_weights(m2), tolerance = 1e-6)
  # evaluate() takes `steps` batches of the endless data
  expect_equal(evaluate(m1, ds, steps = 3, verbose = 0),
               evaluate(m1, x, y, batch_size = 10, verbose = 0), tolerance = 1e-6)
})

test_that("dataset_prefetch() keeps the elements and their order", {
  x <- matrix(as.numeric(1:20), 10, 2)
  base <- tensor_slices_dataset(list(x, 0:9)) |> dataset_shuffle(10, seed = 1) |> dataset_batch(4)
  fetched <- tensor_slices_dataset(list(x, 0:9)) |> dataset_shuffle(10, seed = 1) |>
    dataset_batch(4) |> dataset_prefetch(2)
  expect_equal(length(fetched), 3L)
  labels <- function(ds) iterate(ds, function(b) as.vector(as.array(b[[2]])))
  expect_equal(labels(fetched), labels(base))
  expect_equal(unlist(labels(tensor_slices_dataset(list(x, 0:9)) |> dataset_prefetch())), 0:9)
  expect_error(dataset_prefetch(base, 0), "buffer_size")
  expect_error(dataset_prefetch(base, 2.5), "`buffer_size` must be a whole number")
})
