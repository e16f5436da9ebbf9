# Datasets as R arrays in keras3's layout.

test_that("dataset_fashion_mnist() returns train/test lists of R arrays", {
  skip_if_not(dir.exists("/usr/share/datasets/fashion-mnist") ||
                nzchar(Sys.getenv("TORKERAS_FASHION_MNIST_DIR")),
              "Fashion-MNIST files not installed")
  data <- dataset_fashion_mnist()
  expect_identical(names(data), c("train", "test"))
  expect_identical(names(data$train), c("x", "y"))
  c(c(x_train, y_train), c(x_test, y_test)) %<-% data
  expect_identical(dim(x_train), c(60000L, 28L, 28L))
  expect_identical(dim(x_test), c(10000L, 28L, 28L))
  expect_identical(length(y_train), 60000L)
  expect_identical(length(y_test), 10000L)
  expect_type(x_train, "integer")
  expect_identical(range(x_train), c(0L, 255L))
  expect_identical(sort(unique(as.vector(y_train))), 0:9)
  # every class has 6,000 training images
  expect_identical(as.vector(table(y_train)), rep(6000L, 10))
  x <- array_reshape(x_train[1:5, , ], c(5, 784))
  expect_identical(dim(x), c(5L, 784L))
  # array_reshape is row-major like numpy: row 1 is image 1, row by row
  expect_identical(x[1, 1:28], x_train[1, 1, ])
})
