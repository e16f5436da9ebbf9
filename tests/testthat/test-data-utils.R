# keras3's data utilities: to_categorical() (0-based ids), normalize() (1-based
# axis) and pad_sequences() (lists of vectors). Expected values are computed
# in R independently of the engine (and agree with Keras 3.15).

test_that("to_categorical one-hot encodes 0-based ids into an R matrix", {
  out <- to_categorical(c(0, 2, 1), num_classes = 4)
  expected <- matrix(0, 3, 4)
  expected[cbind(1:3, c(0, 2, 1) + 1)] <- 1
  expect_true(is.matrix(out))
  expect_equal(out, expected)
  # num_classes defaults to max + 1; a factor gives 0-based codes
  expect_equal(dim(to_categorical(c(0L, 5L))), c(2L, 6L))
  f <- factor(c("b", "a", "c", "a"))
  expect_equal(to_categorical(f), diag(3)[as.integer(f), ])
  # a trailing dimension of 1 is dropped, as in Keras
  expect_equal(to_categorical(matrix(c(1, 0), 2, 1)), matrix(c(0, 1, 1, 0), 2, 2))
})

test_that("to_categorical rejects bad input with a clear message", {
  expect_error(to_categorical(c(-1, 2)), "non-negative")
  expect_error(to_categorical(c(0.5, 1)), "`x` must be a whole number")
  expect_error(to_categorical(c(0, 3), num_classes = 2), "out of range")
  expect_error(to_categorical("a"), "`x` must be whole numbers")
})

test_that("normalize divides by the norm along a 1-based axis", {
  m <- matrix(c(3, 0, 4, 5, 1, 0), 2, 3)
  expect_equal(normalize(m), m / sqrt(rowSums(m^2)), tolerance = 1e-6)
  expect_equal(normalize(m, axis = 1), sweep(m, 2, sqrt(colSums(m^2)), "/"),
               tolerance = 1e-6)
  expect_equal(normalize(m, axis = 2, order = 1), m / rowSums(abs(m)), tolerance = 1e-6)
  # a zero row stays zero
  expect_equal(normalize(matrix(c(0, 1, 0, 1), 2, 2))[1, ], c(0, 0))
  expect_error(normalize(m, axis = 0), "1-based")
  expect_error(normalize("a"), "`x` must be a numeric array")
  expect_error(normalize(m, order = "two"), "`order` must be a single number")
})

test_that("pad_sequences pads and truncates lists of integer vectors", {
  seqs <- list(1:3, 4L, 5:6, integer())
  out <- pad_sequences(seqs, maxlen = 2)
  expect_equal(out, matrix(c(2L, 0L, 5L, 0L, 3L, 4L, 6L, 0L), 4, 2))
  post <- pad_sequences(seqs, padding = "post", truncating = "post", value = -1)
  expect_equal(post, rbind(1:3, c(4L, -1L, -1L), c(5L, 6L, -1L), rep(-1L, 3)))
  fl <- pad_sequences(list(c(1.5, 2), 4), dtype = "float32", padding = "post")
  expect_equal(fl, rbind(c(1.5, 2), c(4, 0)))
  txt <- pad_sequences(list(c("a", "b"), "c"), dtype = "object", value = "<pad>")
  expect_equal(txt, rbind(c("a", "b"), c("<pad>", "c")))
})

test_that("pad_sequences matches an R loop on random sequences", {
  set.seed(11)
  seqs <- lapply(sample(0:8, 15, replace = TRUE), function(n) sample(1:50, n, replace = TRUE))
  for (padding in c("pre", "post")) for (truncating in c("pre", "post")) {
    out <- pad_sequences(seqs, maxlen = 5, padding = padding, truncating = truncating)
    expected <- t(vapply(seqs, function(s) {
      kept <- if (length(s) <= 5) s else if (truncating == "pre") tail(s, 5) else head(s, 5)
      fill <- rep(0L, 5 - length(kept))
      as.integer(if (padding == "pre") c(fill, kept) else c(kept, fill))
    }, integer(5)))
    expect_equal(out, expected)
  }
})

test_that("pad_sequences rejects bad arguments naming them", {
  expect_error(pad_sequences(1:3), "`sequences` must be a list of vectors")
  expect_error(pad_sequences(list(1:2, list(3))), "`sequences\\[\\[2\\]\\]` must be a vector")
  expect_error(pad_sequences(list(1:2), padding = "middle"), "`padding` must be \"pre\" or \"post\"")
  expect_error(pad_sequences(list(1:2), truncating = NA), "`truncating` must be")
  expect_error(pad_sequences(list(1:2), maxlen = 1.5), "`maxlen` must be a whole number")
  expect_error(pad_sequences(list(1:2), value = "x"), "cannot hold")
})

# Windows computed by an R loop from the definition: window i starts at
# start + (i - 1) * stride (0-based start offsets) and takes sequence_length
# rows every sampling_rate; its target is the target at its first row.
expected_windows <- function(data, targets, sequence_length, stride = 1, rate = 1,
                             start_index = 0, end_index = NROW(data)) {
  firsts <- integer()
  first <- start_index
  while (first + (sequence_length - 1) * rate < end_index &&
         first - start_index < length(targets)) {
    firsts <- c(firsts, first)
    first <- first + stride
  }
  rows <- lapply(firsts, function(f) f + (seq_len(sequence_length) - 1) * rate + 1)
  x <- t(vapply(rows, function(r) data[r], numeric(sequence_length)))
  list(x = x, y = targets[firsts + 1])
}

collect_batches <- function(ds) {
  it <- as_iterator(ds)
  xs <- list(); ys <- list()
  while (!is.null(b <- iter_next(it))) {
    xs[[length(xs) + 1]] <- as.array(b[[1]])
    ys[[length(ys) + 1]] <- as.array(b[[2]])
  }
  x <- if (length(dim(xs[[1]])) == 2L) do.call(rbind, xs) else xs
  list(x = x, y = unlist(ys), n = length(xs))
}

test_that("timeseries_dataset_from_array makes the defined windows and targets", {
  data <- as.numeric(101:130)
  targets <- as.numeric(1:30) * 10
  for (args in list(list(sequence_length = 3, stride = 1, rate = 1),
                    list(sequence_length = 4, stride = 3, rate = 2),
                    list(sequence_length = 2, stride = 1, rate = 1, start_index = 3,
                         end_index = 15))) {
    ds <- timeseries_dataset_from_array(
      data, targets, sequence_length = args$sequence_length,
      sequence_stride = args$stride, sampling_rate = args$rate,
      batch_size = 4, start_index = args$start_index, end_index = args$end_index)
    got <- collect_batches(ds)
    want <- do.call(expected_windows, c(list(data, targets), args))
    expect_equal(got$x, want$x)
    expect_equal(got$y, want$y)
    expect_equal(got$n, ceiling(nrow(want$x) / 4))
  }
})

test_that("timeseries_dataset_from_array shuffles with a seed and trains with fit()", {
  set.seed(4)
  x <- matrix(rnorm(120), 40, 3)
  ds <- timeseries_dataset_from_array(x, x[, 1], sequence_length = 4, batch_size = 8,
                                      shuffle = TRUE, seed = 2)
  a <- collect_batches(ds)
  b <- collect_batches(timeseries_dataset_from_array(x, x[, 1], sequence_length = 4,
                                                     batch_size = 8, shuffle = TRUE, seed = 2))
  expect_equal(a$y, b$y)
  expect_equal(sort(a$y), sort(x[1:37, 1]), tolerance = 1e-12)
  expect_false(isTRUE(all.equal(a$y, x[1:37, 1])))
  model <- keras_model_sequential(input_shape = c(4, 3)) |> layer_flatten() |> layer_dense(1)
  model |> compile(optimizer = "adam", loss = "mse")
  history <- model |> fit(ds, epochs = 2, verbose = 0)
  expect_length(history$metrics$loss, 2)
  expect_equal(dim(predict(model, ds, verbose = 0)), c(37L, 1L))
})

test_that("timeseries_dataset_from_array rejects bad arguments naming them", {
  expect_error(timeseries_dataset_from_array(1:10, NULL, sequence_length = 0),
               "`sequence_length`\\s+must\\s+be\\s+higher\\s+than\\s+0")
  expect_error(timeseries_dataset_from_array(1:10, NULL, sequence_length = 2.5),
               "`sequence_length`\\s+must\\s+be\\s+a\\s+whole\\s+number")
  expect_error(timeseries_dataset_from_array(1:10, NULL, 3, start_index = 10),
               "`start_index`\\s+must\\s+be\\s+lower")
  expect_error(timeseries_dataset_from_array(1:10, NULL, 3, shuffle = "yes"),
               "`shuffle`\\s+must\\s+be\\s+TRUE\\s+or\\s+FALSE")
})

dataset_values <- function(ds) {
  it <- as_iterator(ds)
  out <- list()
  while (!is.null(e <- iter_next(it)))
    out[[length(out) + 1]] <- if (is.list(e)) lapply(e, as.array) else as.array(e)
  out
}

test_that("split_dataset splits arrays by fraction or count, in order", {
  m <- matrix(1:20, 10, 2)
  s <- split_dataset(m, left_size = 0.8)
  expect_named(s, c("left", "right"))
  expect_equal(length(s$left), 8L)
  expect_equal(do.call(rbind, dataset_values(s$right)), m[9:10, ])
  c(left, right) %<-% split_dataset(1:10, left_size = 2, right_size = 3)
  expect_equal(unlist(dataset_values(left)), 1:2)
  expect_equal(unlist(dataset_values(right)), 8:10)
})

test_that("split_dataset shuffles with a seed, keeps pairs and rebatches datasets", {
  s <- split_dataset(list(1:10, (1:10) * 2), left_size = 3, right_size = 7,
                     shuffle = TRUE, seed = 3)
  torch <- reticulate::import("torch")
  perm <- torch$randperm(10L, generator = torch$Generator()$manual_seed(3L))$tolist()
  left <- dataset_values(s$left)
  expect_equal(vapply(left, function(e) e[[1]], integer(1)), unlist(perm)[1:3] + 1L)
  expect_equal(vapply(left, function(e) e[[2]], numeric(1)), (unlist(perm)[1:3] + 1) * 2)
  expect_equal(length(s$right), 7L)
  c(a, b) %<-% split_dataset(tensor_slices_dataset(1:10) |> dataset_batch(4), right_size = 3)
  expect_equal(lapply(dataset_values(a), as.vector), list(1:4, 5:7))
  expect_equal(lapply(dataset_values(b), as.vector), list(8:10))
})

test_that("split_dataset rejects bad sizes naming the argument", {
  expect_error(split_dataset(1:10), "or both")
  expect_error(split_dataset(1:10, left_size = -1), "`left_size` must be a\\s+fraction")
  expect_error(split_dataset(1:10, right_size = 2.5), "`right_size` must be a whole number")
  expect_error(split_dataset(1:10, left_size = 10), "as a count must\\s+be\\s+a\\s+positive")
  expect_error(split_dataset(1:10, left_size = 0.5, shuffle = NA), "`shuffle` must be TRUE or FALSE")
  expect_error(split_dataset(sum, left_size = 0.5), "`dataset` must be an array")
})
