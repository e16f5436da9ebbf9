# Functions re-exported from other packages (see NAMESPACE), as keras3 does:
#
#   zeallot:    %<-%                  c(c(x_train, y_train), c(x_test, y_test)) %<-% dataset_mnist()
#   magrittr:   %>%, %<>%             x_train %<>% .[-val_i, ] (the guides use both)
#   generics:   fit, compile          the generics our model methods extend
#   reticulate: array_reshape, %as%, iter_next, as_iterator, iterate,
#               np_array, tuple, py_to_r, r_to_py, import
#
# The re-exported objects are the originals; nothing is redefined here.
