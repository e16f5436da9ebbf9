# Every name keras3 exports exists in torkeras, except the exceptions named
# (with a reason) in docs/keras3_exports.md. The list of keras3's exports is
# tests/testthat/keras3-exports.txt.

exports_file <- test_path("keras3-exports.txt")

# docs/ is not part of the installed package: find it from the source tree.
exceptions_doc <- function() {
  candidates <- c(test_path("..", "..", "docs", "keras3_exports.md"),
                  file.path(Sys.getenv("TORKERAS_SOURCE_DIR", "."), "docs",
                            "keras3_exports.md"))
  found <- candidates[file.exists(candidates)]
  if (!length(found)) skip("docs/keras3_exports.md is not reachable from here")
  found[[1]]
}

read_keras3_exports <- function() {
  lines <- trimws(readLines(exports_file, warn = FALSE))
  lines[nzchar(lines) & !startsWith(lines, "#")]
}

# Rows of the Markdown table: | `name` | status | reason |
read_exceptions <- function(path) {
  lines <- readLines(path, warn = FALSE)
  rows <- regmatches(lines, regexec("^\\| `([^`]+)` \\| ([^|]+) \\| (.+) \\|$", lines))
  rows <- rows[lengths(rows) == 4L]
  data.frame(name = vapply(rows, `[[`, "", 2L),
             status = trimws(vapply(rows, `[[`, "", 3L)),
             reason = trimws(vapply(rows, `[[`, "", 4L)),
             stringsAsFactors = FALSE)
}

test_that("the keras3 export list is well formed", {
  names <- read_keras3_exports()
  expect_gt(length(names), 790L)
  expect_false(anyDuplicated(names) > 0L)
  # spot checks of each family and of the special names
  for (n in c("layer_dense", "op_subset", "op_subset<-", "%<-active%", "%py_class%",
              "config_set_floatx", "loss_tversky", "metric_auc", "optimizer_muon",
              "callback_swap_ema_weights", "random_beta", "application_resnet50",
              "feature_cross", "new_layer_class", "named_list", "zip_lists"))
    expect_true(n %in% names, info = n)
})

test_that("every keras3 export is exported by torkeras or named as an exception", {
  keras3 <- read_keras3_exports()
  exceptions <- read_exceptions(exceptions_doc())
  expect_gt(nrow(exceptions), 0L)
  expect_false(anyDuplicated(exceptions$name) > 0L)
  expect_true(all(nzchar(exceptions$reason)))
  expect_true(all(exceptions$status %in%
                    c("TensorFlow/JAX only", "open: issue 13", "open: issue 14")),
              info = paste(unique(exceptions$status), collapse = ", "))
  ours <- getNamespaceExports("torkeras")
  missing <- setdiff(keras3, c(ours, exceptions$name))
  expect(length(missing) == 0L,
         sprintf("keras3 exports %d name(s) torkeras lacks and docs/keras3_exports.md does not explain: %s",
                 length(missing), paste(missing, collapse = ", ")))
})

test_that("the exceptions table stays true", {
  keras3 <- read_keras3_exports()
  exceptions <- read_exceptions(exceptions_doc())
  ours <- getNamespaceExports("torkeras")
  exported <- intersect(exceptions$name, ours)
  expect(length(exported) == 0L,
         sprintf("docs/keras3_exports.md names %s as missing, but torkeras exports it; remove the row(s).",
                 paste(exported, collapse = ", ")))
  unknown <- setdiff(exceptions$name, keras3)
  expect(length(unknown) == 0L,
         sprintf("docs/keras3_exports.md lists name(s) that keras3 does not export: %s",
                 paste(unknown, collapse = ", ")))
})
