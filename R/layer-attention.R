# Attention layers called on several tensors (layer_multi_head_attention,
# layer_group_query_attention): `inputs` is list(query, value) or
# list(query, value, key); named elements (e.g. `attention_mask`,
# `return_attention_scores`) are passed by name. Without inputs the layer
# itself is returned, to be called later as `layer(query, value, ...)`.
# A (output, scores) result comes back as an R list, as in keras3.
create_multi_arg_layer <- function(layer_class, inputs, args = list(), verb = NULL) {
  layer <- call_python(layer_class, args, verb)
  if (missing(inputs) || is.null(inputs)) return(layer)
  if (!is.list(inputs) || is_py_object(inputs) || length(inputs) < 2L)
    stop(verb, "(): `inputs` must be a list of tensors: list(query, value) or ",
         "list(query, value, key).", call. = FALSE)
  inputs <- lapply(inputs, function(x)
    if (is.atomic(x) && is.null(dim(x)) && length(x) > 1L) as.array(x) else x)
  res <- .with_python_errors(do.call(reticulate::py_call, c(list(layer), inputs)), verb)
  if (inherits(res, "python.builtin.tuple")) res <- as.list(reticulate::py_to_r(res))
  res
}
