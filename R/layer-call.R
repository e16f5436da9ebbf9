# Calling a layer or model object as a function, as keras3 does:
#   model |> layer_instance()     -> adds the layer (or inner model) to a
#                                    Sequential model, returns it invisibly
#   tensor |> layer_instance()    -> calls the layer on the tensor
#   layer_instance()              -> the layer itself
# reticulate turns callable Python objects into R functions through
# py_to_r_wrapper(); this method gives layer and model objects the rule the
# generated layer_*() wrappers follow (compose_layer()).
#' @exportS3Method reticulate::py_to_r_wrapper
py_to_r_wrapper.torkeras.layers.layer.Layer <- function(x) .layer_caller(x)

# The function is made outside the S3 method: a method's frame holds
# `.GenericCallEnv`, the chain of reticulate frames that produced `x`, which
# can hold the call's arguments (e.g. the object weakref.ref(self) was given),
# and a closure over it would keep them alive.
.layer_caller <- function(x) {
  force(x)
  function(object, ...) {
    # rlang::list2() drops a trailing empty argument: layer(x, training = TRUE,)
    args <- rlang::list2(...)
    if (missing(object) || is.null(object)) {
      # layer(query = q, value = v): every argument is named, so none is `object`
      if (length(args) == 0) return(x)
      return(.as_r_outputs(.with_python_errors(do.call(reticulate::py_call, c(list(x), args)),
                                               NULL)))
    }
    if (is_sequential_model(object)) {
      .with_python_errors(object$add(x), NULL)
      return(invisible(object))
    }
    # A plain R vector reaches the layer as one array, as in compose_layer().
    if (is.atomic(object) && is.null(dim(object))) object <- as.array(object)
    .as_r_outputs(.with_python_errors(do.call(reticulate::py_call, c(list(x, object), args)),
                                      NULL))
  }
}

# Every other Python callable reached from R (`model$fit`, `self$add_weight`,
# `keras$ops$add`, a Python class): reticulate 1.28 collects the arguments
# with list(...), which fails on the trailing empty argument keras3 code
# writes (`model$fit(x, y, epochs = 1,)`); keras3's reticulate drops it. This
# wrapper collects them with rlang::list2() (which drops it, and splices
# `!!!args`) and calls reticulate's own function for `x` with them, so
# conversion and errors are reticulate's. Non-callable objects are left alone.
#' @exportS3Method reticulate::py_to_r_wrapper
py_to_r_wrapper.python.builtin.object <- function(x) {
  if (!is.function(x)) return(x)
  .python_caller(x)
}

# Made outside the S3 method for the reason given at .layer_caller().
.python_caller <- function(x) {
  force(x)
  function(...) do.call(x, rlang::list2(...))
}

# Several outputs (a tuple or list of tensors) become an R list, as in keras3,
# so `[[2]]` is the second output and `c(a, b) %<-%` destructures.
.as_r_outputs <- function(result) {
  if (inherits(result, c("python.builtin.tuple", "python.builtin.list")))
    return(reticulate::py_to_r(result))
  result
}
