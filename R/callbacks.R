# Hand-written callback wrappers: the two whose arguments are R functions
# called with epoch numbers (tools/r_conversions.py excludes them from the
# generated wrappers).

#' Create a custom callback from R functions
#'
#' Each argument is an R function called at that point of `fit()`:
#' `on_epoch_begin` / `on_epoch_end` and `on_train_batch_begin` /
#' `on_train_batch_end` receive `(epoch_or_batch, logs)`, `on_train_begin` /
#' `on_train_end` receive `(logs)`. Epoch and batch numbers are 1-based, as in
#' [Callback()]; `logs` is a named list (`NULL` when there are none). A
#' function written with a single argument gets only the epoch or batch
#' number (or, for `on_train_begin`-style hooks, the logs). Other hooks
#' (`on_test_begin`, `on_predict_batch_end`, `on_batch_end`, ...) can be
#' passed by name in `...`.
#'
#' @param on_epoch_begin,on_epoch_end,on_train_begin,on_train_end,on_train_batch_begin,on_train_batch_end
#'   R functions, or `NULL`.
#' @param ... further hooks, named like the [Callback()] methods.
#' @returns a callback for `fit(callbacks = )`.
#' @examples
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = "sgd", loss = "mse")
#' losses <- c()
#' cb <- callback_lambda(on_epoch_end = function(epoch, logs) {
#'   losses[epoch] <<- logs$loss
#' })
#' model |> fit(matrix(runif(8), 4, 2), runif(4), epochs = 2, verbose = 0,
#'              callbacks = list(cb))
#' losses
#' @export
callback_lambda <- function(on_epoch_begin = NULL, on_epoch_end = NULL,
                            on_train_begin = NULL, on_train_end = NULL,
                            on_train_batch_begin = NULL, on_train_batch_end = NULL, ...) {
  hooks <- c(list(on_epoch_begin = on_epoch_begin, on_epoch_end = on_epoch_end,
                  on_train_begin = on_train_begin, on_train_end = on_train_end,
                  on_train_batch_begin = on_train_batch_begin,
                  on_train_batch_end = on_train_batch_end), rlang::list2(...))
  hook_names <- names(hooks)
  if (is.null(hook_names) || any(!nzchar(hook_names)))
    .stop_in_verb("every hook passed in `...` must be named (e.g. `on_test_begin = function(logs) ...`).")
  unknown <- setdiff(hook_names, c(.index_hooks, .logs_hooks))
  if (length(unknown))
    .stop_in_verb(paste0("unknown callback hook ", paste0("`", unknown, "`", collapse = ", "),
                         "; hooks are ", paste(c(.index_hooks, .logs_hooks), collapse = ", "),
                         "."))
  hooks <- hooks[!vapply(hooks, is.null, logical(1))]
  args <- list()
  for (name in names(hooks)) {
    fn <- hooks[[name]]
    if (!is.function(fn))
      .stop_in_verb(paste0("`", name, "` must be an R function or NULL."))
    wrapper <- if (name %in% .index_hooks) .lambda_index_hook(fn) else .lambda_logs_hook(fn)
    args[[name]] <- .py_function(wrapper, name)
  }
  call_python(.tk()$callbacks$LambdaCallback, args, "callback_lambda")
}

# Number of arguments an R function can take positionally (Inf with `...`).
.n_positional <- function(fn) {
  fmls <- names(formals(fn))
  if ("..." %in% fmls) Inf else length(fmls)
}

# (index, logs) from Python -> fn(index + 1, logs).
.lambda_index_hook <- function(fn) {
  force(fn)
  with_logs <- .n_positional(fn) >= 2
  function(index, logs = NULL) {
    index <- as.integer(index) + 1L
    if (with_logs) fn(index, logs) else fn(index)
    NULL
  }
}

# (logs) from Python -> fn(logs).
.lambda_logs_hook <- function(fn) {
  force(fn)
  with_logs <- .n_positional(fn) >= 1
  function(logs = NULL) {
    if (with_logs) fn(logs) else fn()
    NULL
  }
}

#' Learning rate scheduler
#'
#' At the start of every epoch, sets the optimizer's learning rate to
#' `schedule(epoch, lr)`, where `lr` is the current learning rate and `epoch`
#' is the **0-based** epoch index, as in keras3 (the first epoch is 0; this
#' differs from the 1-based epochs of [Callback()] and [callback_lambda()]).
#' A one-argument `schedule(epoch)` also works. The learning rate is added to
#' the epoch logs (and the history) as `learning_rate`.
#'
#' @param schedule an R function of `(epoch, lr)` returning the new learning
#'   rate (a number).
#' @param verbose `0` (silent) or `1` (print the learning rate set each epoch).
#' @returns a callback for `fit(callbacks = )`.
#' @examples
#' schedule <- function(epoch, lr) if (epoch < 1) lr else lr * 0.5
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(0.1), loss = "mse")
#' history <- model |> fit(matrix(runif(8), 4, 2), runif(4), epochs = 3, verbose = 0,
#'                         callbacks = list(callback_learning_rate_scheduler(schedule)))
#' history$metrics$learning_rate
#' @export
callback_learning_rate_scheduler <- function(schedule, verbose = 0) {
  if (!is.function(schedule))
    .stop_in_verb("`schedule` must be an R function of `(epoch, lr)`.")
  with_lr <- .n_positional(schedule) >= 2
  wrapper <- function(epoch, lr) {
    epoch <- as.integer(epoch)
    value <- if (with_lr) schedule(epoch, lr) else schedule(epoch)
    if (!is.numeric(value) || length(value) != 1L || is.na(value))
      stop("the `schedule` function must return a single number; it returned ",
           paste(deparse(value), collapse = " "), call. = FALSE)
    as.double(value)
  }
  args <- list(.py_function(wrapper, "schedule"), verbose = as_integer(verbose, "verbose"))
  call_python(.tk()$callbacks$LearningRateScheduler, args,
              "callback_learning_rate_scheduler")
}
