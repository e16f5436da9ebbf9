# Calling a layer or model object as a function, as keras3 does:
#   model |> layer_instance()     -> adds the layer (or inner model) to a
#                                    Sequential model, returns it invisibly
#   tensor |> layer_instance()    -> calls the layer on the tensor
#   layer_instance()              -> the layer itself
# reticulate turns callable Python objects into R functions through
# py_to_r_wrapper(); this method gives layer and model objects the rule the
# generated layer_*() wrappers follow (compose_layer()).
py_to_r_wrapper.torkeras.layers.layer.Layer <- function(x) {
  force(x)
  function(object, ...) {
    if (missing(object) || is.null(object)) {
      # layer(query = q, value = v): every argument is named, so none is `object`
      if (...length() == 0) return(x)
      return(.as_r_outputs(.with_python_errors(reticulate::py_call(x, ...), NULL)))
    }
    if (is_sequential_model(object)) {
      .with_python_errors(object$add(x), NULL)
      return(invisible(object))
    }
    # A plain R vector reaches the layer as one array, as in compose_layer().
    if (is.atomic(object) && is.null(dim(object))) object <- as.array(object)
    .as_r_outputs(.with_python_errors(reticulate::py_call(x, object, ...), NULL))
  }
}

# Several outputs (a tuple or list of tensors) become an R list, as in keras3,
# so `[[2]]` is the second output and `c(a, b) %<-%` destructures.
.as_r_outputs <- function(result) {
  if (inherits(result, c("python.builtin.tuple", "python.builtin.list")))
    return(reticulate::py_to_r(result))
  result
}
