# keras3's R helpers that are not wrappers of a Python function:
# named_list, zip_lists, newaxis / all_dims and op_subset / `op_subset<-`,
# op_convert_to_array, as_tensor, `%py_class%`, `%<-active%` / mark_active,
# R6 classes as Keras classes (r_to_py() of an R6ClassGenerator), and
# create_layer_wrapper.

#' A list named after its arguments
#'
#' Unnamed arguments are named after their expressions:
#' `named_list(a, b = 2)` is `list(a = a, b = 2)`.
#'
#' @param ... The elements.
#' @returns A named list.
#' @examples
#' x <- 1; y <- "a"
#' named_list(x, y, z = 3)
#' @export
named_list <- function(...) {
  exprs <- as.list(substitute(list(...)))[-1L]
  # A trailing comma (named_list(a, b,)) is an empty last argument: drop it.
  if (length(exprs) && identical(exprs[[length(exprs)]], quote(expr = )) &&
      !nzchar(names_or_empty(exprs)[[length(exprs)]]))
    exprs <- exprs[-length(exprs)]
  out <- rlang::list2(...)
  nms <- names(out) %||% rep("", length(out))
  for (i in seq_along(out))
    if (!nzchar(nms[[i]])) nms[[i]] <- paste(deparse(exprs[[i]], nlines = 1L), collapse = "")
  names(out) <- nms
  out
}

#' Zip lists together
#'
#' `zip_lists(list(1, 2), list("a", "b"))` is
#' `list(list(1, "a"), list(2, "b"))`. When the lists are named, they must
#' all have the same names: elements are matched by name (in the order of the
#' first list) and the result is named; unnamed lists are matched by
#' position. Named arguments name the elements of each inner list.
#'
#' @param ... Lists (or vectors) of the same length; or a single list of
#'   them.
#' @returns A list of lists.
#' @examples
#' zip_lists(x = list(1, 2), y = list("a", "b"))
#' zip_lists(list(a = 1, b = 2), list(b = "B", a = "A"))
#' @export
zip_lists <- function(...) {
  args <- rlang::list2(...)
  if (length(args) == 1L) args <- args[[1L]]
  if (!length(args)) return(list())
  keys <- names(args[[1L]])
  if (!is.null(keys) && (anyNA(keys) || !all(nzchar(keys)) || anyDuplicated(keys)))
    .stop_in_verb("the names of the lists must be unique and non-empty; call unname() for positional matching.",
                  "zip_lists")
  for (i in seq_along(args)[-1L]) {
    other <- names(args[[i]])
    if (identical(other, keys)) next
    if (is.null(keys) || is.null(other) || !setequal(other, keys))
      .stop_in_verb("the lists must all have the same names (matched by name) or all be unnamed (matched by position); call unname() on each for positional matching.",
                    "zip_lists")
    args[[i]] <- args[[i]][keys]
  }
  lens <- lengths(args)
  if (length(unique(lens)) != 1L)
    .stop_in_verb(sprintf("the lists must have the same length; received lengths %s.",
                          paste(lens, collapse = ", ")), "zip_lists")
  out <- lapply(seq_len(lens[[1L]]), function(i) lapply(args, function(a) a[[i]]))
  names(out) <- keys
  out
}

#' Special indices for `op_subset()`: a new axis, all remaining axes
#'
#' `newaxis` inserts an axis of size 1 where it appears in
#' [op_subset()] (`op_subset(x, , newaxis)` on a matrix gives shape
#' `(n, 1, m)`); `all_dims()` stands for all the axes not indexed otherwise
#' (`op_subset(x, all_dims(), 1)` takes the first element of the last axis).
#'
#' @returns A marker object for `op_subset()`.
#' @examples
#' x <- op_ones(c(2, 3, 4))
#' dim(op_subset(x, all_dims(), 1))  # 2 3
#' dim(op_subset(x, newaxis))       # 1 2 3 4
#' @export
all_dims <- function() structure(list(), class = "torkeras_all_dims")

#' @rdname all_dims
#' @format NULL
#' @export
newaxis <- structure(list(), class = "torkeras_newaxis")

#' @export
print.torkeras_newaxis <- function(x, ...) {
  cat("<newaxis>\n")
  invisible(x)
}

#' @export
print.torkeras_all_dims <- function(x, ...) {
  cat("<all_dims()>\n")
  invisible(x)
}

#' Subset a tensor with R's indexing rules
#'
#' `op_subset(x, i, j, ...)` is `x[i, j, ...]` for tensors: positions are
#' 1-based, ranges inclusive (`2:4`), an empty index takes the whole axis,
#' negative numbers count from the end (`-1` is the last element; this is
#' keras3's rule, not R's exclusion), `NA:b` / `a:NA` are ranges open at
#' the start / end, logical vectors mask an axis, and a single number drops
#' its axis. [newaxis] inserts an axis and [all_dims()]
#' stands for the remaining axes. `op_subset(x, ...) <- value` returns `x`
#' with the selected elements replaced by `value` (broadcast to the
#' selection; an R vector fills it in R's column-major order).
#'
#' @param x A tensor (or an R array, converted first).
#' @param ... One index per axis.
#' @param value The replacement values.
#' @returns A tensor.
#' @examples
#' x <- op_convert_to_tensor(matrix(1:12, 3, 4))
#' op_subset(x, 2, )        # the second row
#' op_subset(x, -1, 2:3)    # last row, columns 2 and 3
#' op_subset(x, 1, 1) <- 0
#' @export
op_subset <- function(x, ...) {
  x <- .as_tensor_arg(x, "op_subset")
  items <- .subset_items(eval(substitute(alist(...))), parent.frame())
  specs <- .subset_specs(x, items, verb = "op_subset")
  out <- .tensor_call("r_getitem", list(x, specs$specs, TRUE), "op_subset")
  for (axis in specs$new_axes)
    out <- call_python(.tk()$ops$expand_dims, list(out, as.integer(axis)), "op_subset")
  out
}

#' @rdname op_subset
#' @export
`op_subset<-` <- function(x, ..., value) {
  x <- .as_tensor_arg(x, "op_subset<-")
  items <- .subset_items(eval(substitute(alist(...))), parent.frame())
  specs <- .subset_specs(x, items, verb = "op_subset<-")
  if (length(specs$new_axes))
    .stop_in_verb("`newaxis` cannot be used in an assignment.", "op_subset<-")
  if (is.numeric(value) || is.logical(value))
    value <- if (is.null(dim(value)) && length(value) > 1L) as.array(value) else value
  call_python(.bridge_exports()$r_setitem, list(x, specs$specs, value), "op_subset<-")
}

.as_tensor_arg <- function(x, verb) {
  if (is_py_object(x)) return(x)
  if (is.numeric(x) || is.logical(x))
    return(call_python(.tk()$ops$convert_to_tensor, list(x), verb))
  .stop_in_verb(sprintf("`x` must be a tensor or an R array; received %s.", class(x)[1L]), verb)
}

# The unevaluated indices -> a list of values, with the empty ones as a
# "missing" marker and `a:b` ranges with an NA end (`NA:3`, `2:NA`) kept as
# an open range, completed once the axis is known.
.subset_items <- function(exprs, env) {
  lapply(exprs, function(e) {
    if (identical(e, quote(expr = ))) return(structure(list(), class = "torkeras_missing_index"))
    if (is.call(e) && identical(e[[1L]], as.name(":"))) {
      from <- eval(e[[2L]], env)
      to <- eval(e[[3L]], env)
      if ((length(from) == 1L && is.na(from)) || (length(to) == 1L && is.na(to)))
        return(structure(list(from = from, to = to), class = "torkeras_open_range"))
    }
    eval(e, env)
  })
}

# The index values -> list(specs = for r_getitem (NULL = whole axis),
# new_axes = 0-based output positions where newaxis appeared).
.subset_specs <- function(x, items, verb) {
  n <- length(items)
  missing_ <- vapply(items, inherits, TRUE, what = "torkeras_missing_index")
  is_new <- vapply(items, inherits, TRUE, what = "torkeras_newaxis")
  is_all <- vapply(items, inherits, TRUE, what = "torkeras_all_dims")
  if (sum(is_all) > 1L) .stop_in_verb("all_dims() can appear only once.", verb)
  dims <- .tensor_dim(x)
  ndim <- length(dims)
  if (n == 1L && missing_[[1L]]) return(list(specs = list(), new_axes = integer()))
  if (any(is_all)) {
    fill <- ndim - sum(!is_new & !is_all)
    if (fill < 0L)
      .stop_in_verb(sprintf("%d indices for a tensor with %d axes.", sum(!is_new & !is_all), ndim),
                    verb)
    pos <- which(is_all)
    before <- seq_len(pos - 1L)
    after <- if (pos < n) (pos + 1L):n else integer()
    items <- c(items[before], vector("list", fill), items[after])
    missing_ <- c(missing_[before], rep(TRUE, fill), missing_[after])
    is_new <- c(is_new[before], rep(FALSE, fill), is_new[after])
  }
  specs <- list()
  new_axes <- integer()
  out_axis <- 0L
  for (i in seq_along(items)) {
    if (is_new[[i]]) {
      new_axes <- c(new_axes, out_axis)
      out_axis <- out_axis + 1L
      next
    }
    item <- items[[i]]
    if (inherits(item, "torkeras_open_range"))
      item <- .complete_range(item, dims, length(specs) + 1L, verb)
    spec <- if (missing_[[i]]) NULL else .index_spec(item)
    specs[length(specs) + 1L] <- list(spec)
    drops <- !is.null(spec) && !is_py_object(spec) && is.numeric(spec) && length(spec) == 1L
    if (!drops) out_axis <- out_axis + 1L
  }
  list(specs = specs, new_axes = new_axes)
}

# `NA:b` starts at the first element, `a:NA` ends at the last one.
.complete_range <- function(range, dims, axis, verb) {
  if (axis > length(dims))
    .stop_in_verb(sprintf("more indices than the tensor's %d axes.", length(dims)), verb)
  size <- dims[[axis]]
  from <- range$from
  to <- range$to
  if (length(from) == 1L && is.na(from)) from <- 1L
  if (length(to) == 1L && is.na(to)) {
    if (is.na(size))
      .stop_in_verb(sprintf("`a:NA` on axis %d needs a known size; this axis has an unknown size.", axis),
                    verb)
    to <- size
  }
  if (from < 0) from <- size + 1L + from
  if (to < 0) to <- size + 1L + to
  seq(from, to)
}

#' Convert a tensor to an R array
#'
#' @param x A tensor (or a variable).
#' @returns An R array (a plain number for a 0-d tensor).
#' @examples
#' op_convert_to_array(op_ones(c(2, 2)))
#' @export
op_convert_to_array <- function(x) {
  if (!is_py_object(x)) return(x)
  .tensor_call("to_r_array", list(x), "op_convert_to_array")
}

#' Convert a value to a tensor
#'
#' keras3 re-exports `as_tensor()` from the tensorflow package; in torkeras it
#' makes a torch tensor: `op_convert_to_tensor(x, dtype)`, then reshaped to
#' `shape` when given (elements taken in row-major order, as
#' `tensorflow::as_tensor()` does).
#'
#' @param x An R array, number, or tensor.
#' @param dtype The dtype (default: floatx for doubles, int32 for integers).
#' @param ... Unused.
#' @param shape Optional new shape (one dimension may be `NA`/`-1`).
#' @returns A tensor.
#' @examples
#' as_tensor(1:6, "float32", shape = c(2, 3))
#' @export
as_tensor <- function(x, dtype = NULL, ..., shape = NULL) {
  if ((is.numeric(x) || is.logical(x)) && is.null(dim(x)) && length(x) > 1L) x <- as.array(x)
  out <- call_python(.tk()$ops$convert_to_tensor, .drop_nulls(list(x, dtype = dtype)),
                     "as_tensor")
  if (!is.null(shape))
    out <- call_python(.tk()$ops$reshape,
                       list(out, as_reshape_dims(shape, "shape")), "as_tensor")
  out
}

# ---- %py_class%, %<-active% ------------------------------------------------------

#' Define a Keras class with the `%py_class%` syntax
#'
#' `MyLayer(Layer) %py_class% { initialize <- function(...) ...; call <- function(x) ... }`
#' defines a class named `MyLayer` deriving from the class in parentheses
#' (a Keras class such as `keras$layers$Layer`, or a class made here or with
#' [Layer()] and friends), with the functions and values assigned in the
#' braces as its members (`initialize` is the constructor; `self`, `super` and
#' `private` work as in [Layer()]). Members assigned with `%<-active%` are
#' read-only properties. The class is assigned in the calling environment
#' under its name and returned invisibly; calling it makes an instance.
#'
#' @param spec `ClassName(Base)` (or `ClassName` for a Layer).
#' @param body The class body, in braces.
#' @returns The (Python) class, invisibly.
#' @examples
#' Scale(keras$layers$Layer) %py_class% {
#'   initialize <- function(factor, ...) { super$initialize(...); self$factor <- factor }
#'   call <- function(x) x * self$factor
#' }
#' Scale(factor = 2)(op_ones(3))
#' @export
`%py_class%` <- function(spec, body) {
  spec <- substitute(spec)
  body <- substitute(body)
  env <- parent.frame()
  if (is.name(spec)) {
    classname <- as.character(spec)
    base <- NULL
  } else if (is.call(spec) && is.name(spec[[1L]]) && length(spec) <= 2L) {
    classname <- as.character(spec[[1L]])
    base <- if (length(spec) == 2L) eval(spec[[2L]], env) else NULL
  } else {
    .stop_in_verb("the left side must be `ClassName(Base)`, e.g. MyLayer(keras$layers$Layer).",
                  "%py_class%")
  }
  members_env <- new.env(parent = env)
  eval(body, members_env)
  members <- .collect_members(members_env)
  base_info <- .resolve_base(base, "%py_class%")
  ctor <- .define_class(base_info$kind, classname, list(), members$public, list(),
                        list(), members$active, base_info$inherit, env)
  py_class <- .class_py(.class_def_of(ctor))
  assign(classname, py_class, envir = env)
  invisible(py_class)
}

#' @rdname mark_active
#' @export
`%<-active%` <- function(sym, value) {
  name <- as.character(substitute(sym))
  if (length(name) != 1L || !nzchar(name))
    .stop_in_verb("the left side of %<-active% must be a name.", "%<-active%")
  if (!is.function(value))
    .stop_in_verb("the right side of %<-active% must be a function.", "%<-active%")
  env <- parent.frame()
  if (exists(name, envir = env, inherits = FALSE)) rm(list = name, envir = env)
  makeActiveBinding(name, value, env)
  assign(paste0(".__active__.", name), value, envir = env)
  invisible(value)
}

#' Active members (read-only properties) of a class
#'
#' `name %<-active% function() ...` makes `name` an active binding (its
#' value is the function's result each time it is read) and marks it as a
#' property for `%py_class%`. `mark_active()` (an alias of
#' [active_property()]) marks a method given to [Layer()] and friends as a
#' property.
#'
#' @param sym The name to bind.
#' @param value A function without arguments.
#' @param x A function.
#' @returns `%<-active%`: `value`, invisibly; `mark_active()`: `x`, marked.
#' @examples
#' e <- new.env()
#' local(counter %<-active% function() 42, e)
#' e$counter
#' @export
mark_active <- function(x) active_property(x)

# Members of a class body environment: active bindings (recorded by
# %<-active%) become properties, everything else is a member.
.collect_members <- function(env) {
  nms <- ls(env, all.names = TRUE, sorted = FALSE)
  active_keys <- grep("^\\.__active__\\.", nms, value = TRUE)
  active_names <- sub("^\\.__active__\\.", "", active_keys)
  active <- lapply(active_keys, get, envir = env)
  names(active) <- active_names
  public <- list()
  for (nm in setdiff(nms, c(active_keys, active_names)))
    public[[nm]] <- get(nm, envir = env)
  list(public = public, active = active)
}

# A base class given as an R class constructor, an R6 generator or a Python
# class -> list(kind, inherit) for .define_class().
.resolve_base <- function(base, verb) {
  if (is.null(base)) return(list(kind = "layer", inherit = NULL))
  def <- .class_def_of(base)
  if (!is.null(def)) return(list(kind = def$kind, inherit = base))
  if (inherits(base, "R6ClassGenerator")) base <- r_to_py.R6ClassGenerator(base)
  if (is.function(base) && !is_py_object(base)) base <- resolve_wrapper(base)
  if (is_py_object(base)) {
    if (!reticulate::py_has_attr(base, "__mro__"))
      base <- reticulate::py_get_attr(base, "__class__")
    return(list(kind = .py_class_kind(base, verb), inherit = base))
  }
  .stop_in_verb("the base class must be a Keras class (e.g. keras$layers$Layer), a class made with Layer() and friends, or an R6 class generator.",
                verb)
}

# Which torkeras base a Python class derives from.
.py_class_kind <- function(cls, verb) {
  tk <- .tk()
  bases <- list(model = tk$Model, layer = tk$layers$Layer, loss = tk$losses$Loss,
                metric = tk$metrics$Metric, callback = tk$callbacks$Callback,
                schedule = tk$optimizers$schedules$LearningRateSchedule,
                constraint = tk$constraints$Constraint)
  issubclass <- reticulate::import_builtins()$issubclass
  for (kind in names(bases))
    if (isTRUE(issubclass(cls, bases[[kind]]))) return(kind)
  .stop_in_verb(sprintf("%s is not a Keras Layer, Model, Loss, Metric, Callback, LearningRateSchedule or Constraint class.",
                        reticulate::py_to_r(reticulate::py_get_attr(cls, "__name__"))), verb)
}

# ---- R6 classes ------------------------------------------------------------------

#' Use an R6 class as a Keras class
#'
#' `r_to_py()` of an `R6::R6Class(inherit = keras$layers$Layer, ...)`
#' generator (or of one inheriting from such a generator) makes the Python
#' class: public methods and fields become members (`initialize` the
#' constructor), active bindings become properties, and private members live
#' in the per-instance `private` environment. Such generators can be given to
#' [create_layer()], to `inherit =` of [Layer()] and friends, and as the base
#' of `%py_class%`.
#'
#' @param x An R6 class generator.
#' @param convert Passed on by reticulate (unused).
#' @returns The Python class.
#' @examples
#' Scale <- R6::R6Class("Scale", inherit = keras$layers$Layer,
#'   public = list(call = function(x) x * 2))
#' layer <- create_layer(Scale)
#' @method r_to_py R6ClassGenerator
#' @export
r_to_py.R6ClassGenerator <- function(x, convert = FALSE) {
  cached <- get0(".__torkeras_py_class__", envir = x, inherits = FALSE)
  if (!is.null(cached)) return(cached)
  parent <- x$get_inherit()
  base_info <- .resolve_base(parent, "r_to_py")
  public <- c(as.list(x$public_methods), as.list(x$public_fields))
  private <- c(as.list(x$private_methods), as.list(x$private_fields))
  ctor <- .define_class(base_info$kind, x$classname %||% "R6Class", list(), public, list(),
                        private, as.list(x$active), base_info$inherit,
                        x$parent_env %||% globalenv())
  py_class <- .class_py(.class_def_of(ctor))
  assign(".__torkeras_py_class__", py_class, envir = x)
  py_class
}

# A layer class given to create_layer(): an R6 generator or a class made with
# Layer() becomes its Python class; anything else passes through.
.as_layer_class <- function(layer_class) {
  if (inherits(layer_class, "R6ClassGenerator")) return(r_to_py.R6ClassGenerator(layer_class))
  def <- .class_def_of(layer_class)
  if (!is.null(def)) return(.class_py(def))
  layer_class
}

#' Make a `layer_*()`-style function for a layer class
#'
#' The returned function takes `object` first and composes as the built-in
#' wrappers do (no `object`: the layer; a Sequential model: the layer is
#' added; a tensor: the layer is called on it); its other arguments go to the
#' layer's constructor.
#'
#' @param Layer A layer class: a Python class, a class made with [Layer()],
#'   or an R6 class generator.
#' @param modifiers Optional named list of functions applied to the
#'   arguments of the same names before the layer is made.
#' @param convert Unused (keras3 compatibility).
#' @returns A function `function(object, ...)`.
#' @examples
#' layer_my_dense <- create_layer_wrapper(keras$layers$Dense)
#' layer_my_dense(units = 2)
#' @export
create_layer_wrapper <- function(Layer, modifiers = NULL, convert = TRUE) {
  force(Layer)
  if (!is.null(modifiers) && (!is.list(modifiers) || any(names_or_empty(modifiers) == "")))
    .stop_in_verb("`modifiers` must be a named list of functions.", "create_layer_wrapper")
  function(object, ...) {
    args <- rlang::list2(...)
    for (nm in intersect(names(modifiers), names(args))) args[[nm]] <- modifiers[[nm]](args[[nm]])
    create_layer(Layer, object, args)
  }
}

#' Create a layer from a layer class and compose it
#'
#' Makes an instance of `layer_class` with the arguments `args`, then
#' composes it with `object` as the `layer_*()` wrappers do: no `object` gives
#' the layer, a Sequential model gets it added (and is returned), a tensor is
#' passed through it.
#'
#' @usage create_layer(layer_class, object, args = list(), verb = NULL)
#' @param layer_class A layer class: a Python class (e.g.
#'   `keras$layers$Dense`), a class made with [Layer()], or an R6 class
#'   generator inheriting from a Keras layer.
#' @param object Optional: a Sequential model or a tensor.
#' @param args A named list of constructor arguments.
#' @param verb The function name shown in error messages.
#' @returns The layer, the model (invisibly), or the output tensor.
#' @examples
#' layer <- create_layer(keras$layers$Dense, args = list(units = 2))
#' model <- keras_model_sequential(input_shape = 3)
#' create_layer(keras$layers$Dense, model, list(units = 2))
#' length(model$layers)  # 1
#' @name create_layer
#' @export create_layer
NULL
