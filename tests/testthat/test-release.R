# Release facts (docs/release.md): plot(model) draws on the current graphics
# device; the R and Python versions are one; install_torkeras() installs the
# shipped source archive with the shipped constraints.

test_that("plot(model) draws the layer graph on the current graphics device", {
  skip_if(!nzchar(Sys.which("dot")), "Graphviz `dot` is not installed")
  model <- keras_model_sequential(input_shape = 4, name = "drawn") |>
    layer_dense(8, activation = "relu", name = "hidden") |>
    layer_dense(1, name = "out")
  device_file <- tempfile(fileext = ".png")
  png(device_file, width = 300, height = 500)
  path <- tryCatch(plot(model, show_shapes = TRUE), finally = dev.off())
  on.exit(unlink(c(device_file, path)))

  # The graph was written as a PNG, and drawn: the device's file is not blank.
  expect_identical(readBin(path, "raw", 4), as.raw(c(0x89, 0x50, 0x4e, 0x47)))
  drawn <- png::readPNG(device_file)
  expect_identical(dim(drawn)[1:2], c(500L, 300L))
  luminance <- apply(drawn[, , 1:3, drop = FALSE], c(1, 2), mean)
  dark <- luminance < 0.5
  expect_gt(mean(dark), 0.002)       # text and edges
  expect_gt(mean(luminance > 0.9), 0.5)  # on a light background
  # The image keeps its aspect ratio: on this tall device the graph fills the
  # width, with blank bands above and below it of equal height.
  rows <- which(rowSums(luminance < 0.99) > 0)
  expect_lt(diff(range(rows)), 500 * 0.8)
  expect_lt(abs(mean(range(rows)) - 250), 25)
})

test_that("plot(model, to_file =) writes the file and draws nothing", {
  skip_if(!nzchar(Sys.which("dot")), "Graphviz `dot` is not installed")
  model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  device_file <- tempfile(fileext = ".png")
  to_file <- tempfile(fileext = ".png")
  on.exit(unlink(c(device_file, to_file)))
  png(device_file)
  out <- tryCatch(plot(model, to_file = to_file), finally = dev.off())
  expect_identical(out, to_file)
  expect_true(file.size(to_file) > 0)
  expect_false(file.exists(device_file))  # the device never started a page
})

test_that("the R package and the Python module have the same version", {
  expect_identical(as.character(packageVersion("torkeras")), keras$`__version__`)
})

test_that("the installed package ships the Python sources and constraints", {
  src <- system.file("python", package = "torkeras")
  version <- as.character(packageVersion("torkeras"))
  archive <- file.path(src, sprintf("torkeras-%s.tar.gz", version))
  expect_setequal(list.files(src), c("constraints.txt", basename(archive)))
  expect_identical(torkeras:::.python_source(), archive)
  expect_identical(torkeras:::.default_constraints(), file.path(src, "constraints.txt"))
  pins <- grep("^[a-z]", readLines(file.path(src, "constraints.txt")), value = TRUE)
  expect_true("torch==2.13.0" %in% pins)

  files <- utils::untar(archive, list = TRUE)
  top <- sprintf("torkeras-%s/", version)
  expect_true(all(paste0(top, c("pyproject.toml", "constraints.txt", "LICENSE", "README.md",
                                "python/torkeras/__init__.py",
                                "python/torkeras/bridge/__init__.py")) %in% files))
  expect_false(any(grepl("__pycache__|\\.pyc$", files)))
  out <- withr::local_tempdir()
  utils::untar(archive, files = paste0(top, "python/torkeras/_version.py"), exdir = out)
  version_py <- readLines(file.path(out, top, "python/torkeras/_version.py"))
  expect_true(sprintf('__version__ = "%s"', version) %in% version_py)
})

test_that("install_torkeras() checks `constraints` before creating anything", {
  envname <- file.path(withr::local_tempdir(), "env")
  src <- torkeras:::.python_source()
  expect_error(install_torkeras(envname = envname, source = src, constraints = 3),
               "`constraints` must be the path of a pip constraints file, or NULL.",
               fixed = TRUE)
  expect_error(install_torkeras(envname = envname, source = src,
                                constraints = "/nonexistent/constraints.txt"),
               "`constraints`: the file '/nonexistent/constraints.txt' does not exist.",
               fixed = TRUE)
  expect_false(dir.exists(envname))
  # A source directory without constraints.txt has no default constraints;
  # an archive's are the ones beside it.
  expect_null(torkeras:::.default_constraints(withr::local_tempdir()))
  dir <- withr::local_tempdir()
  file.create(file.path(dir, c("torkeras-0.0.1.tar.gz", "constraints.txt")))
  expect_identical(torkeras:::.default_constraints(file.path(dir, "torkeras-0.0.1.tar.gz")),
                   file.path(dir, "constraints.txt"))
})
