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
