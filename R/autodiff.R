# Gradients and step functions in custom training loops (Python side:
# python/torkeras/autodiff.py and python/torkeras/step_compiler.py).

#' A gradient tape (TensorFlow's `GradientTape` API on torch autograd)
#'
#' Use it as in keras3 with the TensorFlow backend:
#' ```
#' with(gradient_tape() %as% tape, {
#'   logits <- model(x, training = TRUE)
#'   loss <- loss_fn(y, logits)
#' })
#' grads <- tape$gradient(loss, model$trainable_weights)
#' optimizer$apply(grads, model$trainable_weights)
#' ```
#' `tape$gradient(target, sources, output_gradients = NULL,
#' unconnected_gradients = "none")` returns the gradients in the structure of
#' `sources` (a list of variables gives a list of tensors); a source the target
#' does not depend on gets `NULL` (zeros with `unconnected_gradients = "zero"`).
#' `tape$watch(x)` makes a plain tensor differentiable. A tape created with
#' `persistent = FALSE` computes gradients once.
#'
#' @param persistent Whether `gradient()` may be called more than once.
#' @param watch_accessed_variables Whether trainable variables are watched
#'   automatically (`FALSE`: only what `tape$watch()` was given).
#' @return A Python `GradientTape`, usable with `with(... %as% tape, ...)`.
#' @examples
#' w <- keras_variable(c(1, 2, 3))
#' with(gradient_tape() %as% tape, {
#'   loss <- op_sum(w * w)
#' })
#' tape$gradient(loss, w)   # 2 * w
#' @export
gradient_tape <- function(persistent = FALSE, watch_accessed_variables = TRUE) {
  .with_python_errors(
    .tk()$GradientTape(persistent = persistent,
                       watch_accessed_variables = watch_accessed_variables),
    "gradient_tape")
}

#' Value and gradients of a function (the torch counterpart of `jax$value_and_grad()`)
#'
#' Returns a function taking the same arguments as `fn` that returns
#' `list(value, grads)`, or `list(list(value, aux), grads)` with
#' `has_aux = TRUE` (then `fn` returns `list(value, aux)`), so the chapter's
#' `.[.[loss, non_trainable], grads] <- grad_fn(...)` takes it apart. `value`
#' must be a scalar tensor; `grads` has the structure of the differentiated
#' argument (a list of tensors for a list of weights). `fn` may be an R
#' function: it is called with fresh tensors that require grad, and only
#' called, never inspected.
#'
#' @param fn The function to differentiate (R or Python).
#' @param argnums The position of the argument to differentiate, 1-based as
#'   everywhere in R (`1`: the first argument). Several positions give a list
#'   of gradient structures.
#' @param has_aux Whether `fn` returns `list(value, aux)`.
#' @return A function.
#' @examples
#' f <- function(x) op_sum(x^2)
#' grad_fn <- value_and_grad(f)
#' .[value, grads] <- grad_fn(op_array(c(1, 2)))
#' value
#' grads
#' @export
value_and_grad <- function(fn, argnums = 1L, has_aux = FALSE) {
  positions <- as_integer(argnums, "argnums")
  if (length(positions) == 0L || any(positions < 1L))
    .stop_in_verb(paste0("`argnums` counts arguments from 1; received ",
                         deparse(argnums)))
  py_argnums <- if (length(positions) == 1L) positions - 1L
                else reticulate::tuple(as.list(positions - 1L))
  py_fn <- .with_python_errors(
    .tk()$value_and_grad(fn, argnums = py_argnums, has_aux = has_aux),
    "value_and_grad")
  function(...) .with_python_errors(py_fn(...), "value_and_grad")
}

#' Compile a step function (the torkeras counterpart of `tf_function()`)
#'
#' For a Python callable, `torch.compile()` (with `jit_compile = TRUE`): the
#' torch operations are captured and fused, and results stay those of the
#' eager function up to floating-point reordering.
#'
#' An R function cannot be compiled: its body is R code, opaque to torch's
#' compiler. `compile_function()` returns it unchanged, so it runs eagerly,
#' exactly as written. `compile(model, ..., jit_compile = TRUE)` compiles the
#' steps that `fit()`, `evaluate()` and `predict()` run, not calls of the model
#' from your own loop; when speed matters more than a hand-written loop, a
#' custom `train_step()` method run by `fit()` (see the customizing-fit
#' vignette) keeps the loop in Python.
#'
#' @param fn A function (R or Python).
#' @param jit_compile `FALSE` returns `fn` unchanged.
#' @return The compiled function (Python), or `fn` itself (R).
#' @examples
#' step <- function(x) x * 2
#' fast_step <- compile_function(step)   # an R function is returned as it is
#' fast_step(op_array(c(1, 2)))
#' @export
compile_function <- function(fn, jit_compile = TRUE) {
  if (!is.logical(jit_compile) || length(jit_compile) != 1L || is.na(jit_compile))
    .stop_in_verb("`jit_compile` must be TRUE or FALSE")
  if (inherits(fn, "python.builtin.object")) {
    return(.with_python_errors(.tk()$compile_function(fn, jit_compile = jit_compile),
                               "compile_function"))
  }
  if (!is.function(fn))
    .stop_in_verb(paste0("`fn` must be a function; received an object of class ", class(fn)[[1]]))
  fn
}
