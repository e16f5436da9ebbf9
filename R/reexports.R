# Functions re-exported from other packages (see NAMESPACE), as keras3 does:
#
#   zeallot:    %<-%                  c(c(x_train, y_train), c(x_test, y_test)) %<-% dataset_mnist()
#   magrittr:   %>%, %<>%             x_train %<>% .[-val_i, ] (the guides use both)
#   generics:   fit, compile          the generics our model methods extend
#   reticulate: array_reshape, %as%, iter_next, as_iterator, iterate,
#               np_array, tuple, py_to_r, r_to_py, import
#
# The re-exported objects are the originals; nothing is redefined here.
#   reticulate: py_help, use_python, use_virtualenv (R/backend.R defines
#               py_require(), which reticulate 1.28 lacks)
#   generics:   generate

#' @importFrom reticulate py_help
#' @export
reticulate::py_help

#' @importFrom reticulate use_python
#' @export
reticulate::use_python

#' @importFrom reticulate use_virtualenv
#' @export
reticulate::use_virtualenv

#' @importFrom generics generate
#' @export
generics::generate
