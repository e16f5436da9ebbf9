# Argument conversions used by the generated wrappers (R/generated-*.R).
#
# Which argument gets which rule is decided in one table,
# tools/r_conversions.py; the generator writes the rule names into each
# wrapper. Every rule is called as `rule(value, "argument_name")` on values
# the user supplied and returns what reticulate should hand to Python.
# Rules convert representations only (doubles -> integers, 1-based -> 0-based,
# NA -> None); the numbers themselves are computed in Python.

# ---------------------------------------------------------------------------
# Capturing the arguments a user supplied
# ---------------------------------------------------------------------------

# Returns the arguments supplied to the calling wrapper as a list for
# `do.call(<python callable>, args)`. Arguments the user did not supply are
# left out, so the Python defaults apply. A trailing empty argument
# (`layer_dense(x, 4, name = "d",)`) is dropped, as keras3 allows: match.call()
# leaves out empty formals and rlang::list2() a trailing empty `...` element.
#   modifiers   named list of conversion rules, applied by argument name
#               (also to arguments passed through `...`)
#   ignore      formals that are not forwarded (e.g. `object` of layer_*())
#   positional  formals Python must receive positionally, in this order
#   dots        "named": every `...` argument must be named (they become
#               keyword arguments); "keep": unnamed ones are kept, unnamed,
#               after the positional arguments
capture_args <- function(modifiers = list(), ignore = character(),
                         positional = character(), dots = c("named", "keep")) {
  dots <- match.arg(dots)
  env <- parent.frame()
  fn <- sys.function(sys.parent())
  call <- sys.call(sys.parent())
  matched <- match.call(fn, call, expand.dots = FALSE, envir = parent.frame(2L))
  supplied <- setdiff(names(matched)[-1L], c("...", ignore))

  args <- list()
  for (name in supplied)
    args[name] <- list(get(name, envir = env, inherits = FALSE))

  if ("..." %in% names(formals(fn))) {
    extra <- eval(quote(rlang::list2(...)), env)
    if (length(extra)) {
      extra_names <- names_or_empty(extra)
      if (dots == "named" && any(extra_names == "")) {
        .stop_in_verb(
          "arguments passed through `...` must be named (they become keyword arguments).",
          call)
      }
      args <- c(args, extra)
    }
  }

  arg_names <- names_or_empty(args)
  for (i in seq_along(args)) {
    if (is.function(args[[i]]) && !is_py_object(args[[i]]))
      args[i] <- list(resolve_wrapper(args[[i]]))
    name <- arg_names[[i]]
    rule <- if (nzchar(name)) modifiers[[name]]
    if (is.null(rule)) next
    value <- tryCatch(rule(args[[i]], name),
                      error = function(e) {
                        if (inherits(e, "torkeras_error")) stop(e)
                        .stop_in_verb(conditionMessage(e), call)
                      })
    args[i] <- list(value)
  }

  if (length(positional)) {
    pos <- intersect(positional, arg_names)
    named <- args[!(arg_names %in% c(pos, ""))]
    unnamed <- unname(args[arg_names == ""])
    args <- c(unname(args[pos]), unnamed, named)
  } else if (any(arg_names == "")) {
    args <- c(unname(args[arg_names == ""]), args[arg_names != ""])
  }
  args
}

# names(x), with "" for unnamed elements (also when x has no names at all).
names_or_empty <- function(x) {
  n <- names(x)
  if (is.null(n)) rep("", length(x)) else n
}

# An uncalled torkeras wrapper passed as an argument
# (`layer_dense(activation = activation_relu)`) stands for the Python object
# it wraps (R/generated-registry.R says which); other R functions are returned
# unchanged (reticulate turns them into Python callables).
resolve_wrapper <- function(fn) {
  if (!is.function(fn) || is_py_object(fn)) return(fn)
  ns <- environment(resolve_wrapper)
  if (!identical(environment(fn), ns)) return(fn)
  targets <- wrapper_targets()
  for (name in names(targets)) {
    if (!identical(fn, get0(name, envir = ns, inherits = FALSE))) next
    target <- targets[[name]]
    obj <- .tk()
    for (part in target[[2]]) obj <- obj[[part]]
    return(if (target[[1]] == "class") obj() else obj)
  }
  fn
}

is_py_object <- function(x) inherits(x, "python.builtin.object")

# Raised from the user-facing function being run (see .stop_in_verb()).
conversion_error <- function(...) .stop_in_verb(paste0(...))

describe_value <- function(x) {
  if (length(x) == 1L) return(format(x))
  paste0("c(", paste(format(utils::head(x, 5L)), collapse = ", "),
         if (length(x) > 5L) ", ..." else "", ")")
}

# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------

# Whether a numeric rule takes `x` on: numbers, and also NA, which R writes as
# a logical; reticulate would hand that NA to Python as True.
is_number_or_na <- function(x) {
  !is_py_object(x) && (is.numeric(x) || (is.logical(x) && anyNA(x)))
}

# Whole numbers -> integer. Non-numeric values (strings, Python objects,
# logicals, NULL) pass through unchanged so Python can accept or reject them;
# NA is an error.
as_integer <- function(x, name = "x") {
  # keras3 accepts lists of whole numbers too (target_class_ids = list(0, 1)).
  if (is.list(x) && !is_py_object(x) && !inherits(x, "keras_shape"))
    return(lapply(x, as_integer, name = name))
  if (!is_number_or_na(x)) return(x)
  check_whole(x, name)
  out <- as.integer(x)
  dim(out) <- dim(x)
  out
}

check_whole <- function(x, name) {
  if (anyNA(x))
    conversion_error("`", name, "` must be a whole number, not NA.")
  bad <- !is.finite(x) | x != round(x)
  if (any(bad))
    conversion_error("`", name, "` must be a whole number (an integer); received ",
                     describe_value(x[bad]), ".")
  if (any(abs(x) > .Machine$integer.max))
    conversion_error("`", name, "` is too large for an integer: ", describe_value(x), ".")
  invisible(x)
}

# A single whole number stays a scalar (Python broadcasts it, e.g.
# kernel_size = 3 -> (3, 3)); several become a tuple.
as_integer_tuple <- function(x, name = "x") {
  if (is.null(x) || is_py_object(x)) return(x)
  if (is.list(x)) {
    values <- lapply(x, as_integer, name = name)
    return(do.call(reticulate::tuple, unname(values)))
  }
  if (!is_number_or_na(x)) return(x)
  x <- as_integer(x, name)
  if (length(x) == 1L) return(x)
  do.call(reticulate::tuple, as.list(x))
}

# 1-based axes -> 0-based. Negative axes count from the end and are passed
# unchanged; 0 is an error. Several axes become a tuple.
as_axis <- function(x, name = "axis") {
  if (is.null(x) || is_py_object(x)) return(x)
  if (is.list(x)) x <- unlist(x)
  if (!is_number_or_na(x)) return(x)
  check_whole(x, name)
  x <- as.integer(x)
  if (any(x == 0L))
    conversion_error("`", name, "` is 1-based (the first axis is 1, the last is -1); ",
                     "received 0.")
  x <- ifelse(x > 0L, x - 1L, x)
  if (length(x) == 1L) return(x)
  do.call(reticulate::tuple, as.list(x))
}

# A TRUE/FALSE switch: exactly one logical that is not NA. isTRUE() would
# quietly read NA, 1, "TRUE" or c(TRUE, TRUE) as FALSE, which for a switch
# such as `safe_mode` turns a protection off.
as_flag <- function(x, name) {
  if (is.logical(x) && length(x) == 1L && !is.na(x)) return(x)
  shown <- if (is_py_object(x)) "a Python object" else paste(deparse(x, nlines = 1L), collapse = "")
  conversion_error("`", name, "` must be TRUE or FALSE; received ", shown, ".")
}

# One dimension of a shape: NA/NULL -> `unknown`, whole number -> integer.
shape_dim <- function(d, name, unknown) {
  if (is.null(d) || (length(d) == 1L && is.na(d))) return(unknown)
  if (is_py_object(d)) return(d)
  if (!is.numeric(d) || length(d) != 1L)
    conversion_error("`", name, "` must be a shape: whole numbers, with NA or NULL for ",
                     "unknown dimensions; received ", describe_value(d), ".")
  as_integer(d, name)
}

shape_dims <- function(x, name, unknown) {
  values <- if (is.list(x)) unclass(x) else as.list(x)
  lapply(unname(values), shape_dim, name = name, unknown = unknown)
}

# A shape (numeric vector, list, or shape() object) -> tuple, NA/NULL -> None.
# Python objects (a tuple, torch.Size) pass through.
as_shape_arg <- function(x, name = "shape") {
  if (is.null(x) || is_py_object(x)) return(x)
  do.call(reticulate::tuple, shape_dims(x, name, unknown = NULL))
}

# Target dimensions of a reshape -> tuple; NA/NULL mean "infer" (-1).
as_reshape_dims <- function(x, name = "newshape") {
  if (is.null(x) || is_py_object(x)) return(x)
  do.call(reticulate::tuple, shape_dims(x, name, unknown = -1L))
}

# 1-based index values (class ids for op_one_hot, positions for op_take) ->
# 0-based: positive values minus 1; 0 and negative values unchanged.
# Factors give their codes minus 1. Tensors are shifted by Python ops.
as_py_index <- function(x, name = "x") {
  if (is.null(x)) return(x)
  if (is.factor(x)) return(array(as.integer(x) - 1L, dim = if (is.null(dim(x))) length(x) else dim(x)))
  if (is_py_object(x)) {
    ops <- .tk()$ops
    return(ops$where(ops$greater(x, 0L), ops$subtract(x, 1L), x))
  }
  if (!is_number_or_na(x)) return(x)
  x <- as_integer(x, name)
  positive <- x > 0L
  x[positive] <- x[positive] - 1L
  x
}

# An R function given as an activation -> a Python function named by its
# "name" attribute, else "custom_activation": a saved model records that name,
# and load_model(custom_objects = list(<name> = fn)) finds the function by it.
# Names, NULL and Python objects (torkeras wrappers are resolved before the
# rules run) pass through.
as_activation <- function(x, name = "activation") .as_r_callable(x, "custom_activation")

# Index values that are already 0-based: only coerced to integers.
as_zero_based_index <- function(x, name = "x") {
  if (is.factor(x)) return(array(as.integer(x) - 1L, dim = if (is.null(dim(x))) length(x) else dim(x)))
  as_integer(x, name)
}

# The rule for an index argument, chosen by the wrapper's `zero_indexed`.
index_rule <- function(zero_indexed) {
  if (isTRUE(zero_indexed)) as_zero_based_index else as_py_index
}

# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

# 0-based indices returned by Python -> 1-based (unless zero_indexed).
index_result <- function(x, zero_indexed = FALSE) {
  if (isTRUE(zero_indexed)) return(x)
  if (is_py_object(x)) return(.tk()$ops$add(x, 1L))
  x + 1L
}

# op_top_k returns list(values, indices): only the indices shift.
top_k_result <- function(x, zero_indexed = FALSE) {
  if (is_py_object(x)) x <- reticulate::py_to_r(x)
  x <- as.list(x)
  x[[2L]] <- index_result(x[[2L]], zero_indexed)
  x
}

# A shape returned by Python (tuple of ints and None) -> shape().
shape_result <- function(x) {
  if (is_py_object(x)) x <- reticulate::py_to_r(x)
  dims <- lapply(as.list(x), function(d) if (is.null(d)) NA_integer_ else as.integer(d))
  do.call(shape, dims)
}

# ---------------------------------------------------------------------------
# Losses and metrics: class form (no targets) or function form (targets)
# ---------------------------------------------------------------------------

# Arguments a callable does not take are an R error that names them.
# `accepts` NULL means the callable takes **kwargs.
check_accepted <- function(args, accepts, fname, context) {
  if (is.null(accepts)) return(invisible())
  given <- names_or_empty(args)
  unknown <- setdiff(given[nzchar(given)], accepts)
  if (length(unknown)) {
    stop(sprintf("%s(): %s cannot be used when called %s.", fname,
                 paste0("`", unknown, "`", collapse = ", "), context), call. = FALSE)
  }
  invisible()
}

# One call into Python; a Python exception becomes an R error raised from
# `verb()` (see R/errors.R).
call_python <- function(callable, args, verb = NULL) {
  .with_python_errors(do.call(callable, args), verb)
}

# loss_*() and metric_*() (keras3 semantics): without y_true and y_pred they
# return the object (for compile()); with both they call the function form and
# return its values. `class_args` / `fn_args` are the arguments each form takes
# (NULL: it takes **kwargs).
loss_or_metric <- function(y_true, y_pred, args, fname, class, class_args, fn, fn_args) {
  if (missing(y_true) && missing(y_pred)) {
    check_accepted(args, class_args, fname, "without y_true and y_pred")
    return(call_python(class, args, fname))
  }
  if (missing(y_true) || missing(y_pred)) {
    stop(sprintf(paste0("%s(): supply both `y_true` and `y_pred` (to compute values), ",
                        "or neither (to get an object for compile())."), fname),
         call. = FALSE)
  }
  check_accepted(args, fn_args, fname, "with y_true and y_pred")
  call_python(fn, c(list(y_true, y_pred), args), fname)
}
