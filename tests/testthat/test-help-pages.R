# Every export has a help page (man/ is written by roxygen2 from the roxygen
# blocks of R/; tools/document.sh), and every exported function's page has
# examples, except the re-exports of other packages' functions, whose pages are
# their own packages'.

rd_db <- function() tools::Rd_db("torkeras")

rd_field <- function(rd, tag) {
  unlist(lapply(rd[vapply(rd, function(x) identical(attr(x, "Rd_tag"), tag), TRUE)],
                function(x) paste(unlist(x), collapse = "")))
}

test_that("every export is an alias of a help page", {
  db <- rd_db()
  expect_gt(length(db), 100)
  aliases <- unlist(lapply(db, rd_field, tag = "\\alias"))
  exports <- getNamespaceExports("torkeras")
  missing <- setdiff(exports, aliases)
  expect(length(missing) == 0,
         paste("exports without a help page:", paste(sort(missing), collapse = ", ")))
})

test_that("help() finds the pages, operators and generated wrappers included", {
  for (name in c("layer_dense", "op_sum", "loss_huber", "keras_model_sequential",
                 "fit.torkeras.models.model.Model", "%*%", "shape", "keras", "%<-%")) {
    expect(length(utils::help(name, package = "torkeras", help_type = "text")) == 1,
           paste("no help page for", name))
  }
})

test_that("every exported function's page has examples (re-exports excepted)", {
  db <- rd_db()
  reexported <- unlist(lapply(db[grepl("^reexports", names(db))], rd_field, tag = "\\alias"))
  has_examples <- vapply(db, function(rd) length(rd_field(rd, "\\examples")) > 0, TRUE)
  documented <- unlist(lapply(db[has_examples], rd_field, tag = "\\alias"))
  ns <- asNamespace("torkeras")
  functions <- Filter(function(name) is.function(get(name, envir = ns)),
                      getNamespaceExports("torkeras"))
  missing <- setdiff(functions, c(documented, reexported))
  expect(length(missing) == 0,
         paste("exported functions whose page has no example:",
               paste(sort(missing), collapse = ", ")))
})

test_that("generated pages carry the docstring text, 1-based axes and R literals", {
  db <- rd_db()
  text <- function(topic) paste(unlist(db[[paste0(topic, ".Rd")]]), collapse = "")
  sum_page <- text("op_sum")
  expect_match(sum_page, "Axes are 1-based in R", fixed = TRUE)
  expect_match(sum_page, "Sum of the elements", fixed = TRUE)
  expect_no_match(sum_page, "\\bTrue\\b|\\bNone\\b")
  dense_page <- text("layer_dense")
  expect_match(dense_page, "Sequential model", fixed = TRUE)
  expect_match(dense_page, "layer_dense(", fixed = TRUE)  # the usage / example
  # keras3's `f` for layer_lambda, documented from Python's `function` entry
  lambda <- db[["layer_lambda.Rd"]]
  arguments <- lambda[vapply(lambda, function(x) identical(attr(x, "Rd_tag"), "\\arguments"),
                             TRUE)][[1]]
  items <- arguments[vapply(arguments, function(x) identical(attr(x, "Rd_tag"), "\\item"),
                            TRUE)]
  arg_names <- vapply(items, function(item) paste(unlist(item[[1]]), collapse = ""), "")
  expect_identical(arg_names, names(formals(layer_lambda)))
  expect_identical(arg_names[2], "f")
})
