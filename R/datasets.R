# Datasets as R arrays, in keras3's layout:
#   list(train = list(x = <array>, y = <array>), test = list(x = , y = ))
# so that `c(c(x_train, y_train), c(x_test, y_test)) %<-% dataset_mnist()`
# destructures them.

#' MNIST handwritten digits
#'
#' 60,000 training and 10,000 test images (28 x 28 integers 0-255) with
#' their labels 0-9. Downloaded on first use and cached.
#'
#' @param path Where to cache the file (relative to the Keras cache
#'   directory, `~/.keras/datasets`).
#' @return `list(train = list(x, y), test = list(x, y))` of R arrays.
#' @examples
#' \donttest{
#' # downloads the data (11 MB) on first use
#' mnist <- dataset_mnist()
#' dim(mnist$train$x)
#' }
#' @export
dataset_mnist <- function(path = "mnist.npz") {
  .load_dataset("mnist", path = path)
}

#' Fashion-MNIST
#'
#' 60,000 training and 10,000 test images (28 x 28 integers 0-255) of 10
#' kinds of clothing, with their labels 0-9. Read from Debian's
#' `dataset-fashion-mnist` package when it is installed, else downloaded and
#' cached.
#'
#' @return `list(train = list(x, y), test = list(x, y))` of R arrays.
#' @examples
#' \donttest{
#' # reads Debian's dataset-fashion-mnist files, or downloads them on first use
#' fashion <- dataset_fashion_mnist()
#' dim(fashion$train$x)
#' }
#' @export
dataset_fashion_mnist <- function() {
  .load_dataset("fashion_mnist")
}

.load_dataset <- function(name, ...) {
  bridge <- .bridge()
  .with_python_errors(bridge$load_dataset(name, ...), paste0("dataset_", name))
}
