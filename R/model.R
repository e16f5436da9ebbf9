# Model constructors and the model verbs (compile, fit, evaluate, predict,
# summary/print/format). Each verb converts its R arguments (integers, data,
# 1-based epochs) and makes one call into Python.
#
# S3 methods are registered on torkeras' Python Model class as reticulate
# names it ("torkeras.models.model.Model"); Functional and Sequential models
# inherit from it.

# ---- constructors -------------------------------------------------------------

#' Create a symbolic input tensor
#'
#' @param shape Shape of one sample, without the batch dimension: a number,
#'   a numeric vector or a [shape()]; `NA` for unknown sizes.
#' @param batch_size Optional fixed batch size.
#' @param dtype Data type (default: the float type, "float32").
#' @param sparse,tensor,optional Passed to Keras' `Input()`.
#' @param batch_shape Full shape including the batch dimension (instead of
#'   `shape`).
#' @param name Optional name of the input layer.
#' @return A symbolic tensor to start a functional model from.
#' @examples
#' input <- keras_input(shape = c(28, 28))
#' input$shape
#' keras_input(shape = 3, batch_size = 8, name = "features")
#' @export
keras_input <- function(shape = NULL, batch_size = NULL, dtype = NULL,
                        sparse = NULL, batch_shape = NULL, name = NULL,
                        tensor = NULL, optional = FALSE) {
  .make_input(list(
    shape = shape, batch_size = batch_size, dtype = dtype, sparse = sparse,
    batch_shape = batch_shape, name = name, tensor = tensor, optional = optional
  ), "keras_input")
}

# Input() from a list of R arguments (the shapes and the batch size converted).
.make_input <- function(args, verb) {
  tk <- .tk()
  if (!is.null(args$shape)) args$shape <- shape(args$shape)
  if (!is.null(args$batch_shape)) args$batch_shape <- shape(args$batch_shape)
  args$batch_size <- as_integer(args$batch_size, "batch_size")
  call_python(tk$Input, .drop_nulls(args), verb)
}

#' Create a functional model
#'
#' @param inputs Input tensor(s) from [keras_input()]: one tensor, a list or
#'   a named list.
#' @param outputs Output tensor(s) computed from `inputs`.
#' @param ... Further arguments to Keras' `Model()` (e.g. `name`).
#' @return A Keras model.
#' @examples
#' inputs <- keras_input(shape = 4)
#' outputs <- inputs |> layer_dense(8, activation = "relu") |> layer_dense(2)
#' model <- keras_model(inputs, outputs)
#' model
#' @export
keras_model <- function(inputs = NULL, outputs = NULL, ...) {
  tk <- .tk()
  args <- c(.drop_nulls(list(inputs = inputs, outputs = outputs)), .named_dots(...))
  call_python(tk$Model, args, "keras_model")
}

#' Create a sequential model
#'
#' @param input_shape Shape of one sample (without the batch dimension). When
#'   given, the model starts with an input layer and is built right away.
#' @param name Model name.
#' @param ... Further arguments for the input layer.
#' @param input_batch_size,input_dtype,input_sparse,input_batch_shape,input_name,input_tensor,input_optional
#'   Arguments of the input layer (see [keras_input()]).
#' @param trainable Whether the model's weights are trainable.
#' @param layers Layers to add, in order.
#' @return A Sequential model; add layers with `layer_*()` pipes.
#' @examples
#' model <- keras_model_sequential(input_shape = 4) |>
#'   layer_dense(8, activation = "relu") |>
#'   layer_dense(1)
#' model
#' @export
keras_model_sequential <- function(input_shape = NULL, name = NULL, ...,
                                   input_batch_size = NULL, input_dtype = NULL,
                                   input_sparse = NULL, input_batch_shape = NULL,
                                   input_name = NULL, input_tensor = NULL,
                                   input_optional = FALSE, trainable = TRUE,
                                   layers = list()) {
  tk <- .tk()
  layers <- if (inherits(layers, "python.builtin.object")) list(layers) else as.list(layers)
  if (!is.null(input_shape) || !is.null(input_batch_shape) || !is.null(input_tensor)) {
    input <- .make_input(c(list(
      shape = input_shape, batch_size = input_batch_size, dtype = input_dtype,
      sparse = input_sparse, batch_shape = input_batch_shape, name = input_name,
      tensor = input_tensor, optional = input_optional
    ), .named_dots(...)), "keras_model_sequential")
    layers <- c(list(input), layers)
  }
  .with_python_errors(
    tk$Sequential(layers = layers, trainable = trainable, name = name),
    "keras_model_sequential"
  )
}

# ---- compile ------------------------------------------------------------------

#' Configure a model for training
#'
#' @param object A Keras model.
#' @param optimizer An optimizer (`optimizer_*()`) or its name.
#' @param loss A loss (`loss_*()`), its name, an R function `f(y_true, y_pred)`,
#'   or a (named) list of them for several outputs.
#' @param metrics A list (or character vector) of metrics.
#' @param ... Further named arguments for Keras' `compile()`.
#' @param loss_weights,weighted_metrics,run_eagerly,steps_per_execution,jit_compile,auto_scale_loss
#'   As in Keras' `compile()`.
#' @return `object`, invisibly (the model is modified in place).
#' @examples
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_adam(1e-3), loss = "mse", metrics = "mae")
#' @method compile torkeras.models.model.Model
#' @export
compile.torkeras.models.model.Model <- function(object, optimizer = "rmsprop",
                                                loss = NULL, metrics = NULL, ...,
                                                loss_weights = NULL,
                                                weighted_metrics = NULL,
                                                run_eagerly = FALSE,
                                                steps_per_execution = 1L,
                                                jit_compile = "auto",
                                                auto_scale_loss = TRUE) {
  args <- c(list(
    optimizer = optimizer,
    loss = .as_loss_arg(loss),
    metrics = .as_metrics_arg(metrics),
    loss_weights = if (!is.null(loss_weights)) as.list(loss_weights),
    weighted_metrics = .as_metrics_arg(weighted_metrics),
    run_eagerly = run_eagerly,
    steps_per_execution = as_integer(steps_per_execution, "steps_per_execution"),
    jit_compile = jit_compile,
    auto_scale_loss = auto_scale_loss
  ), .named_dots(...))
  # Only the arguments given (the Python defaults are the same): a model class
  # may define compile() with arguments of its own, e.g. a GAN's
  # compile(d_optimizer, g_optimizer, loss_fn).
  supplied <- names(match.call())[-1L]
  args <- args[names(args) %in% supplied]
  call_python(object$compile, args, "compile")
  invisible(object)
}

# character vector -> list; a single object -> list of one; lists keep their
# names. Uncalled wrappers (`metric_sparse_categorical_accuracy`) stand for
# the Python functions they wrap, as in keras3.
.as_metrics_arg <- function(metrics) {
  if (is.null(metrics)) return(NULL)
  if (is.character(metrics)) metrics <- as.list(metrics)
  if (!is.list(metrics) || is_py_object(metrics)) metrics <- list(metrics)
  # An R function becomes a Python function named after its list element
  # (or "custom_metric"), see .as_r_callable() in R/class-factories.R.
  metric_fn <- function(m, name) .as_r_callable(m, if (nzchar(name)) name else "custom_metric")
  out <- Map(function(m, name) {
    if (is.list(m) && !is_py_object(m)) .map_keep_names(m, metric_fn, "") else metric_fn(m, name)
  }, metrics, names_or_empty(metrics))
  names(out) <- names(metrics)
  out
}

.as_loss_arg <- function(loss) {
  if (is.character(loss) && length(loss) > 1) loss <- as.list(loss)
  loss_fn <- function(l, ...) .as_r_callable(l, "custom_loss")
  if (is.list(loss) && !is_py_object(loss)) return(.map_keep_names(loss, loss_fn))
  loss_fn(loss)
}

.map_keep_names <- function(x, f, ...) {
  out <- lapply(x, f, ...)
  names(out) <- names(x)
  out
}

# ---- fit / evaluate / predict -------------------------------------------------

#' Train a model
#'
#' @param object A compiled Keras model.
#' @param x,y Training data: R arrays (doubles become the float type, integers
#'   stay integers), data frames, (named) lists of arrays for several inputs
#'   or outputs, or Python data objects.
#' @param ... Further named arguments for Keras' `fit()`.
#' @param batch_size Samples per gradient update (default 32).
#' @param epochs Number of epochs to train for.
#' @param callbacks List of callbacks.
#' @param validation_split Fraction of the training data held out for
#'   validation (taken from the end).
#' @param validation_data `list(x_val, y_val)` (or with sample weights).
#' @param shuffle Shuffle the training data every epoch.
#' @param class_weight Named numeric vector or list mapping class ids
#'   (0-based, as in keras3) to weights.
#' @param sample_weight Per-sample weights.
#' @param initial_epoch Epoch to start from (1-based).
#' @param steps_per_epoch,validation_steps,validation_batch_size,validation_freq
#'   As in Keras' `fit()`.
#' @param verbose 0 (silent), 1 (progress bar) or 2 (one line per epoch);
#'   `TRUE` is 1 and `FALSE` is 0. "auto" is 0 under testthat, 2 when not
#'   interactive or under knitr, else 1.
#' @details The data is checked before the first step: `x` against the
#'   model's inputs (their number, the names of a named list, the rank and
#'   every known dimension but the batch size); `x`, `y`, `sample_weight` and
#'   `validation_data` for `NA`, `NaN` or infinite values; sample and class
#'   weights for negative values; and, for sparse losses and metrics and for
#'   `class_weight`, labels that are not class ids of the output (whole
#'   numbers from 0 to the number of classes - 1). Bad data is one error
#'   naming the argument (and the first offending row, counted from 1); the
#'   model is left as it was. Batches of a generator or dataset are checked
#'   as they arrive, each before it is used.
#' @return A `keras_training_history`, invisibly.
#' @examples
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = "sgd", loss = "mse")
#' x <- matrix(runif(64), 32, 2)
#' y <- x %*% c(1, -1)
#' history <- model |> fit(x, y, epochs = 2, batch_size = 8, verbose = 0)
#' history
#' @method fit torkeras.models.model.Model
#' @export
fit.torkeras.models.model.Model <- function(object, x = NULL, y = NULL, ...,
                                            batch_size = NULL, epochs = 1L,
                                            callbacks = NULL,
                                            validation_split = 0,
                                            validation_data = NULL,
                                            shuffle = TRUE,
                                            class_weight = NULL,
                                            sample_weight = NULL,
                                            initial_epoch = 1L,
                                            steps_per_epoch = NULL,
                                            validation_steps = NULL,
                                            validation_batch_size = NULL,
                                            validation_freq = 1L,
                                            verbose = getOption("keras.verbose", default = "auto")) {
  bridge <- .bridge()
  .check_validation_split(x, validation_split)
  args <- c(list(
    object,
    x = .as_py_data(x),
    y = .as_py_data(y, "y"),
    batch_size = as_integer(batch_size, "batch_size"),
    epochs = as_integer(epochs, "epochs"),
    verbose = .resolve_verbose(verbose),
    callbacks = .as_callbacks_arg(callbacks),
    validation_split = validation_split,
    validation_data = .as_py_validation_data(validation_data),
    shuffle = shuffle,
    class_weight = .as_class_weight(class_weight),
    sample_weight = .as_py_data(sample_weight, "sample_weight"),
    initial_epoch = as_integer(initial_epoch, "initial_epoch") - 1L,
    steps_per_epoch = as_integer(steps_per_epoch, "steps_per_epoch"),
    validation_steps = as_integer(validation_steps, "validation_steps"),
    validation_batch_size = as_integer(validation_batch_size, "validation_batch_size"),
    validation_freq = as_integer(validation_freq, "validation_freq")
  ), .named_dots(...))
  result <- .call_verb(bridge$fit, args, "fit")
  # epochs without validation (validation_freq > 1) come back as NaN: NA in R
  metrics <- lapply(result$metrics, function(v) {
    v <- as.numeric(unlist(v))
    v[is.nan(v)] <- NA_real_
    v
  })
  invisible(.new_history(result$params, metrics))
}

#' Evaluate a model
#'
#' @param object A model (or another object with an `evaluate()` method).
#' @param ... Arguments for the method.
#' @return For Keras models, a named list: the loss and each metric.
#' @examples
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = "sgd", loss = "mse", metrics = "mae")
#' x <- matrix(runif(16), 8, 2)
#' model |> evaluate(x, rowSums(x), verbose = 0)
#' @export
evaluate <- function(object, ...) UseMethod("evaluate")

#' @rdname evaluate
#' @param x,y Test data (see [fit()]).
#' @param batch_size Samples per batch (default 32).
#' @param verbose Verbosity (see [fit()]).
#' @param sample_weight Per-sample weights.
#' @param steps Number of batches to evaluate.
#' @param callbacks List of callbacks.
#' @export
evaluate.torkeras.models.model.Model <- function(object, x = NULL, y = NULL, ...,
                                                 batch_size = NULL,
                                                 verbose = getOption("keras.verbose", default = "auto"),
                                                 sample_weight = NULL, steps = NULL,
                                                 callbacks = NULL) {
  bridge <- .bridge()
  args <- c(list(
    object,
    x = .as_py_data(x),
    y = .as_py_data(y, "y"),
    batch_size = as_integer(batch_size, "batch_size"),
    verbose = .resolve_verbose(verbose),
    sample_weight = .as_py_data(sample_weight, "sample_weight"),
    steps = as_integer(steps, "steps"),
    callbacks = .as_callbacks_arg(callbacks)
  ), .named_dots(...))
  .call_verb(bridge$evaluate, args, "evaluate")
}

#' Generate predictions
#'
#' @param object A Keras model.
#' @param x Input data (see [fit()]).
#' @param ... Further named arguments for Keras' `predict()`.
#' @param batch_size Samples per batch (default 32).
#' @param verbose Verbosity (see [fit()]).
#' @param steps Number of batches to predict.
#' @param callbacks List of callbacks.
#' @return An R array (a list of arrays for a model with several outputs).
#'   A large result is copied into R a block of rows at a time, so its
#'   conversion needs no second full-size copy.
#' @examples
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' predict(model, matrix(runif(6), 3, 2), verbose = 0)
#' @export
predict.torkeras.models.model.Model <- function(object, x, ..., batch_size = NULL,
                                                verbose = getOption("keras.verbose", default = "auto"),
                                                steps = NULL, callbacks = NULL) {
  args <- c(list(
    object,
    x = .as_py_data(x),
    batch_size = as_integer(batch_size, "batch_size"),
    verbose = .resolve_verbose(verbose),
    steps = as_integer(steps, "steps"),
    callbacks = .as_callbacks_arg(callbacks)
  ), .named_dots(...))
  .py_result_to_r(.call_verb(.bridge_unconverted()$predict, args, "predict"))
}

# One model verb: flush R's output first so Python's progress lines come after
# it, then call into Python with Python errors turned into R errors. Under
# knitr, Python's own stdout would bypass the document, so the verb's output is
# captured and written with cat() (verbose is 2 there: one line per epoch).
.call_verb <- function(fn, args, verb) {
  flush(stdout())
  if (!isTRUE(getOption("knitr.in.progress")))
    return(call_python(fn, args, verb))
  result <- NULL
  output <- reticulate::py_capture_output(result <- call_python(fn, args, verb))
  if (nzchar(output)) cat(output)
  result
}

# "auto": 0 under testthat, 2 when not interactive or under knitr, else 1.
# TRUE is 1 and FALSE is 0, as keras3 converts them (as.integer()).
.resolve_verbose <- function(verbose) {
  if (is.logical(verbose) && length(verbose) == 1L && !is.na(verbose))
    return(as.integer(verbose))
  if (identical(verbose, "auto")) {
    if (identical(Sys.getenv("TESTTHAT"), "true")) return(0L)
    if (!interactive() || isTRUE(getOption("knitr.in.progress"))) return(2L)
    return(1L)
  }
  as_integer(verbose, "verbose")
}

# R data -> Python data: .as_py_data() in R/data-sources.R.

.as_callbacks_arg <- function(callbacks) {
  if (is.null(callbacks) || is.list(callbacks)) callbacks else list(callbacks)
}

# class_weight: names are 0-based class ids (as in keras3); an unnamed vector
# gives the weights of classes 0, 1, 2, ... in order.
.as_class_weight <- function(class_weight) {
  if (is.null(class_weight) || inherits(class_weight, "python.builtin.object"))
    return(class_weight)
  weights <- as.list(class_weight)
  ids <- names(weights) %||% as.character(seq_along(weights) - 1L)
  if (any(is.na(suppressWarnings(as.integer(ids)))))
    .stop_in_verb("`class_weight` names must be class ids (0, 1, 2, ...)")
  reticulate::py_dict(as.list(as.integer(ids)), lapply(weights, as.numeric))
}

# ---- summary / print / format -------------------------------------------------

#' Model summary
#'
#' Prints the summary table of a model (layers, output shapes, parameter
#' counts), as Keras does.
#'
#' @param object,x A Keras model.
#' @param line_length,positions,expand_nested,show_trainable,layer_range As in
#'   Keras' `summary()`.
#' @param ... Unused.
#' @return `summary()` returns the model invisibly; `format()` the text.
#' @examples
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(8) |> layer_dense(1)
#' summary(model)
#' format(model, line_length = 60)
#' @export
summary.torkeras.models.model.Model <- function(object, ...) {
  writeLines(format(object, ...))
  invisible(object)
}

#' @rdname summary.torkeras.models.model.Model
#' @export
format.torkeras.models.model.Model <- function(x, line_length = NULL,
                                               positions = NULL,
                                               expand_nested = FALSE,
                                               show_trainable = FALSE,
                                               layer_range = NULL, ...) {
  args <- .drop_nulls(list(
    x,
    line_length = as_integer(line_length, "line_length"),
    positions = positions,
    expand_nested = expand_nested,
    show_trainable = show_trainable,
    layer_range = layer_range
  ))
  call_python(.bridge()$summary_text, args, "summary")
}

#' @rdname summary.torkeras.models.model.Model
#' @export
print.torkeras.models.model.Model <- function(x, ...) {
  text <- tryCatch(format(x, ...), torkeras_python_error = function(e) {
    # e.g. a Sequential model without an input shape has no summary yet
    c(reticulate::py_repr(x), conditionMessage(e))
  })
  writeLines(text)
  invisible(x)
}

# ---- helpers --------------------------------------------------------------------

.drop_nulls <- function(x) x[!vapply(x, is.null, TRUE)]

# The ... of a verb, which are passed to Python as keyword arguments.
# rlang::list2() drops a trailing empty argument, so
# `fit(model, x, y, epochs = 2, validation_data = v,)` works as in keras3.
.named_dots <- function(...) {
  dots <- rlang::list2(...)
  if (length(dots) && (is.null(names(dots)) || any(!nzchar(names(dots)))))
    .stop_in_verb("arguments in `...` must be named")
  dots
}
