# keras3's dtype policy settings: config_dtype_policy() / config_set_dtype_policy().
# (optimizer_loss_scale() is generated with the other optimizers.)

#' Default dtype policy of new layers
#'
#' `config_set_dtype_policy()` sets the policy new layers get when their
#' `dtype` argument is not given: `"mixed_float16"` (compute in float16,
#' float32 variables; `compile()` then wraps the optimizer in
#' [optimizer_loss_scale()]), `"mixed_bfloat16"` (compute in bfloat16,
#' float32 variables), or a dtype name such as `"float32"` (the default).
#' `config_dtype_policy()` returns the current policy; its `name`,
#' `compute_dtype` and `variable_dtype` fields describe it. A single layer
#' takes its own policy with `dtype = "mixed_float16"` (or `"float32"` for an
#' output layer that should stay in float32 under a mixed global policy).
#'
#' @param policy A policy name (`"mixed_float16"`, `"mixed_bfloat16"`,
#'   `"float32"`, ... or a quantized name such as `"int8_from_float32"`) or a
#'   `DTypePolicy` object.
#' @return `config_dtype_policy()`: the `DTypePolicy`. `config_set_dtype_policy()`:
#'   `NULL`, invisibly.
#' @examples
#' config_set_dtype_policy("mixed_bfloat16")
#' config_dtype_policy()$compute_dtype   # "bfloat16"
#' config_set_dtype_policy("float32")
#' @export
config_dtype_policy <- function() {
  call_python(.tk()$config$dtype_policy, list(), "config_dtype_policy")
}

#' @rdname config_dtype_policy
#' @export
config_set_dtype_policy <- function(policy) {
  call_python(.tk()$config$set_dtype_policy, list(policy), "config_set_dtype_policy")
  invisible(NULL)
}
