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
    if (missing(object) || is.null(object)) return(x)
    if (is_sequential_model(object)) {
      .with_python_errors(object$add(x), NULL)
      return(invisible(object))
    }
    # A plain R vector reaches the layer as one array, as in compose_layer().
    if (is.atomic(object) && is.null(dim(object))) object <- as.array(object)
    .with_python_errors(reticulate::py_call(x, object, ...), NULL)
  }
}
