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

#' @importFrom zeallot %<-%
#' @export
zeallot::`%<-%`

#' @importFrom magrittr %>%
#' @export
magrittr::`%>%`

#' @importFrom magrittr %<>%
#' @export
magrittr::`%<>%`

#' @importFrom generics fit
#' @export
generics::fit

#' @importFrom generics compile
#' @export
generics::compile

#' @importFrom reticulate array_reshape
#' @export
reticulate::array_reshape

#' @importFrom reticulate %as%
#' @export
reticulate::`%as%`

#' @importFrom reticulate iter_next
#' @export
reticulate::iter_next

#' @importFrom reticulate as_iterator
#' @export
reticulate::as_iterator

#' @importFrom reticulate iterate
#' @export
reticulate::iterate

#' @importFrom reticulate np_array
#' @export
reticulate::np_array

#' @importFrom reticulate tuple
#' @export
reticulate::tuple

#' @importFrom reticulate py_to_r
#' @export
reticulate::py_to_r

#' @importFrom reticulate r_to_py
#' @export
reticulate::r_to_py

#' @importFrom reticulate import
#' @export
reticulate::import

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
