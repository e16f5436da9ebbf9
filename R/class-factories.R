# R6-style class factories: Layer(), Loss(), Metric(), Callback(), Model(),
# LearningRateSchedule(), Constraint() and their new_*_class() aliases.
#
# A factory call only records the class in R (no Python yet). The Python
# class is made on first use (an instance is created, or the class is used
# as `inherit =` of a class being made) by torkeras.bridge.classes.make_class:
# a real subclass of the torkeras base class whose methods call the R
# functions. Inside a method the R body sees
#   self     the Python object (attribute assignment sets Python attributes)
#   super    super$initialize(...), super$call(...), super()$method(...)
#   private  an R environment per instance, never converted to Python,
#            dropped when the Python object is garbage collected
# Methods may list `self` first or not. `initialize` is `__init__` and
# `finalize` is `__del__`.

# ---- the factories ------------------------------------------------------------

#' Define a custom layer class
#'
#' Builds a Python subclass of the torkeras `Layer` (or of `inherit`) whose
#' methods are R functions. Defining the class does not start Python.
#'
#' @param classname Name of the class.
#' @param initialize,call,build,get_config Methods (R functions). Inside a
#'   method, `self`, `super` and `private` are available.
#' @param ... Further methods or class attributes, named.
#' @param public Named list of further methods / attributes.
#' @param private Named list of initial members of each instance's private
#'   environment (functions there see `self`, `super` and `private` too).
#' @param active Named list of functions `function()` exposed as read-only
#'   Python properties.
#' @param inherit The class to derive from: a class made by one of these
#'   factories, or a Python class. Default: the torkeras base class.
#' @param parent_env Environment the class is defined in.
#' @return For `Layer()`, a composing constructor `function(object, ...)`
#'   (as the `layer_*()` wrappers: no `object` gives the layer, a Sequential
#'   model gets it added, a tensor is passed through it); for the others, a
#'   constructor returning an instance.
#' @examples
#' layer_scale <- Layer(
#'   "Scale",
#'   initialize = function(factor = 2, ...) {
#'     super$initialize(...)
#'     self$factor <- factor
#'   },
#'   call = function(inputs) inputs * self$factor
#' )
#' layer <- layer_scale(factor = 3)
#' layer(op_array(c(1, 2)))
#' @export
Layer <- function(classname, initialize = NULL, call = NULL, build = NULL,
                  get_config = NULL, ..., public = list(), private = list(),
                  active = list(), inherit = NULL, parent_env = parent.frame()) {
  .define_class("layer", classname,
                list(initialize = initialize, call = call, build = build,
                     get_config = get_config),
                rlang::list2(...), public, private, active, inherit, parent_env)
}

#' @rdname Layer
#' @export
new_layer_class <- Layer

#' @rdname Layer
#' @export
Loss <- function(classname, call = NULL, ..., public = list(), private = list(),
                 active = list(), inherit = NULL, parent_env = parent.frame()) {
  .define_class("loss", classname, list(call = call), rlang::list2(...), public, private,
                active, inherit, parent_env)
}

#' @rdname Layer
#' @export
new_loss_class <- Loss

#' @rdname Layer
#' @param update_state,result Metric methods (`reset_state` and other methods
#'   can be given in `...`).
#' @export
Metric <- function(classname, initialize = NULL, update_state = NULL, result = NULL,
                   ..., public = list(), private = list(), active = list(),
                   inherit = NULL, parent_env = parent.frame()) {
  .define_class("metric", classname,
                list(initialize = initialize, update_state = update_state,
                     result = result),
                rlang::list2(...), public, private, active, inherit, parent_env)
}

#' @rdname Layer
#' @export
new_metric_class <- Metric

#' @rdname Layer
#' @param on_epoch_begin,on_epoch_end,on_train_begin,on_train_end,on_batch_begin,on_batch_end,on_predict_batch_begin,on_predict_batch_end,on_predict_begin,on_predict_end,on_test_batch_begin,on_test_batch_end,on_test_begin,on_test_end,on_train_batch_begin,on_train_batch_end
#'   Callback hooks. `epoch` and `batch` are 1-based; `logs` is a named list.
#'   A hook that returns a named list updates the logs seen by later
#'   callbacks (and the history).
#' @export
Callback <- function(classname, on_epoch_begin = NULL, on_epoch_end = NULL,
                     on_train_begin = NULL, on_train_end = NULL,
                     on_batch_begin = NULL, on_batch_end = NULL,
                     on_predict_batch_begin = NULL, on_predict_batch_end = NULL,
                     on_predict_begin = NULL, on_predict_end = NULL,
                     on_test_batch_begin = NULL, on_test_batch_end = NULL,
                     on_test_begin = NULL, on_test_end = NULL,
                     on_train_batch_begin = NULL, on_train_batch_end = NULL,
                     ..., public = list(), private = list(), active = list(),
                     inherit = NULL, parent_env = parent.frame()) {
  hooks <- list(on_epoch_begin = on_epoch_begin, on_epoch_end = on_epoch_end,
                on_train_begin = on_train_begin, on_train_end = on_train_end,
                on_batch_begin = on_batch_begin, on_batch_end = on_batch_end,
                on_predict_batch_begin = on_predict_batch_begin,
                on_predict_batch_end = on_predict_batch_end,
                on_predict_begin = on_predict_begin, on_predict_end = on_predict_end,
                on_test_batch_begin = on_test_batch_begin,
                on_test_batch_end = on_test_batch_end,
                on_test_begin = on_test_begin, on_test_end = on_test_end,
                on_train_batch_begin = on_train_batch_begin,
                on_train_batch_end = on_train_batch_end)
  .define_class("callback", classname, hooks, rlang::list2(...), public, private, active,
                inherit, parent_env)
}

#' @rdname Layer
#' @export
new_callback_class <- Callback

#' @rdname Layer
#' @param train_step,test_step,predict_step,compute_loss,compute_metrics Model
#'   methods.
#' @export
Model <- function(classname, initialize = NULL, call = NULL, train_step = NULL,
                  predict_step = NULL, test_step = NULL, compute_loss = NULL,
                  compute_metrics = NULL, ..., public = list(), private = list(),
                  active = list(), inherit = NULL, parent_env = parent.frame()) {
  .define_class("model", classname,
                list(initialize = initialize, call = call, train_step = train_step,
                     predict_step = predict_step, test_step = test_step,
                     compute_loss = compute_loss, compute_metrics = compute_metrics),
                rlang::list2(...), public, private, active, inherit, parent_env)
}

#' @rdname Layer
#' @export
new_model_class <- Model

#' Mark a class member as a read-only property
#'
#' A function given to a class factory through `...` (or `public`) wrapped in
#' `active_property()` becomes a Python property: reading `obj$name` calls it
#' (with `self` available) and returns its value, as the `active` argument
#' does. The usual use is a model's `metrics`, the list of metrics `fit()`
#' and `evaluate()` reset at the start of each epoch and evaluation:
#' `metrics = active_property(function() list(loss_tracker))`.
#'
#' @param fn A function without arguments (or with `self` only).
#' @return `fn`, marked as a property.
#' @examples
#' Counter <- Layer(
#'   "Counter",
#'   call = function(inputs) inputs,
#'   twice = active_property(function() 2 * 21)
#' )
#' Counter()$twice
#' @export
active_property <- function(fn) {
  if (!is.function(fn) || is_py_object(fn))
    stop("active_property(): `fn` must be an R function; received ",
         describe_value(fn), ".", call. = FALSE)
  class(fn) <- unique(c("torkeras_active_property", class(fn)))
  fn
}

#' @rdname Layer
#' @details `LearningRateSchedule()`: `call(step)` receives the optimizer's
#'   step counter (0-based, as in keras3) and returns the learning rate.
#' @export
LearningRateSchedule <- function(classname, call = NULL, initialize = NULL,
                                 get_config = NULL, ..., public = list(),
                                 private = list(), active = list(), inherit = NULL,
                                 parent_env = parent.frame()) {
  .define_class("schedule", classname,
                list(call = call, initialize = initialize, get_config = get_config),
                rlang::list2(...), public, private, active, inherit, parent_env)
}

#' @rdname Layer
#' @export
new_learning_rate_schedule_class <- LearningRateSchedule

#' @rdname Layer
#' @details `Constraint()`: `call(w)` returns the constrained weights.
#' @export
Constraint <- function(classname, call = NULL, get_config = NULL, ...,
                       public = list(), private = list(), active = list(),
                       inherit = NULL, parent_env = parent.frame()) {
  .define_class("constraint", classname, list(call = call, get_config = get_config),
                rlang::list2(...), public, private, active, inherit, parent_env)
}

# ---- class definitions (R side, no Python) ------------------------------------

.class_bases <- list(
  layer = c("layers", "Layer"),
  loss = c("losses", "Loss"),
  metric = c("metrics", "Metric"),
  callback = c("callbacks", "Callback"),
  model = "Model",
  schedule = c("optimizers", "schedules", "LearningRateSchedule"),
  constraint = c("constraints", "Constraint")
)

# Constructor arguments when neither the class nor an R parent class has an
# `initialize` (the base class's own arguments, as keras3 shows them).
.class_default_formals <- list(
  loss = alist(name = NULL, reduction = "sum_over_batch_size", dtype = NULL),
  metric = alist(name = NULL, dtype = NULL)
)

.define_class <- function(kind, classname, methods, dots, public, private, active,
                          inherit, parent_env) {
  if (!is.character(classname) || length(classname) != 1L || is.na(classname) ||
      !grepl("^[A-Za-z_][A-Za-z0-9_]*$", classname))
    stop("`classname` must be a single valid class name (letters, digits, _), e.g. ",
         "\"CustomLayer\"; received ", describe_value(classname), ".", call. = FALSE)
  members <- c(methods[!vapply(methods, is.null, TRUE)], dots, as.list(public))
  # Members wrapped in active_property() are properties, as in `active`.
  is_active <- vapply(members, inherits, TRUE, what = "torkeras_active_property")
  active <- c(as.list(active), members[is_active])
  members <- members[!is_active]
  names_ <- names_or_empty(members)
  if (any(names_ == ""))
    stop("class members passed through `...` and `public` must be named.", call. = FALSE)
  if (anyDuplicated(names_))
    stop("class member defined twice: ", paste(unique(names_[duplicated(names_)]),
                                              collapse = ", "), call. = FALSE)
  for (group in list(private, active)) {
    if (length(group) && any(names_or_empty(group) == ""))
      stop("`private` and `active` members must be named.", call. = FALSE)
  }
  def <- new.env(parent = emptyenv())
  def$kind <- kind
  def$classname <- classname
  def$members <- members
  def$private <- as.list(private)
  def$active <- as.list(active)
  def$inherit <- inherit
  def$module <- .class_module_name(parent_env)
  def$py_class <- NULL
  .class_constructor(def)
}

# What Python sees as the class's __module__ (as keras3 does).
.class_module_name <- function(env) {
  if (identical(env, globalenv())) return("<r-globalenv>")
  if (isNamespace(env)) return(sprintf("<r-namespace:%s>", getNamespaceName(env)))
  name <- environmentName(env)
  if (nzchar(name)) sprintf("<r-%s>", name) else "<r-local>"
}

# The class definition behind a constructor made here (NULL for anything else).
.class_def_of <- function(x) {
  if (!is.function(x) || is_py_object(x) || is.primitive(x)) return(NULL)
  get0("__torkeras_class__", envir = environment(x), inherits = FALSE)
}

# The constructor returned by a factory. Its arguments are those of
# `initialize` (without `self`); only the arguments the user supplies are
# passed on, so the R defaults in `initialize` apply.
.class_constructor <- function(def) {
  fmls <- .constructor_formals(def)
  if (def$kind == "layer") {
    fmls <- c(alist(object = ), fmls[names(fmls) != "object"])
    body <- bquote({
      args <- capture_args(ignore = "object", dots = "keep")
      create_layer(.class_py(`__torkeras_class__`), object, args, .(def$classname))
    })
  } else {
    body <- bquote({
      args <- capture_args(dots = "keep")
      call_python(.class_py(`__torkeras_class__`), args, .(def$classname))
    })
  }
  env <- new.env(parent = asNamespace("torkeras"))
  env$`__torkeras_class__` <- def
  ctor <- function() NULL
  formals(ctor) <- fmls
  body(ctor) <- body
  environment(ctor) <- env
  class(ctor) <- c(paste0("torkeras_", def$kind, "_class"), "torkeras_class", "function")
  ctor
}

.constructor_formals <- function(def) {
  init <- def$members$initialize
  if (is.function(init)) {
    fmls <- formals(init)
    return(fmls[names(fmls) != "self"])
  }
  parent <- .class_def_of(def$inherit)
  if (!is.null(parent)) return(.constructor_formals(parent))
  .class_default_formals[[def$kind]] %||% alist(... = )
}

#' @export
print.torkeras_class <- function(x, ...) {
  def <- .class_def_of(x)
  cat(sprintf("<torkeras %s class %s>\n", def$kind, def$classname))
  args <- names(formals(x))
  cat(sprintf("  constructor: %s(%s)\n", def$classname, paste(args, collapse = ", ")))
  methods <- names(def$members)[vapply(def$members, is.function, TRUE)]
  if (length(methods)) cat("  methods:", paste(methods, collapse = ", "), "\n")
  invisible(x)
}

# ---- making the Python class ---------------------------------------------------

.bridge_classes <- function() {
  if (is.null(.globals$classes)) {
    .bridge()
    .globals$classes <- reticulate::import("torkeras.bridge.classes")
  }
  .globals$classes
}

# The Python class of a definition, made on first use.
.class_py <- function(def) {
  if (!is.null(def$py_class)) return(def$py_class)
  base <- .class_base_py(def)
  classes <- .bridge_classes()
  members <- list()
  for (name in names(def$members)) {
    value <- def$members[[name]]
    py_name <- .py_member_name(name, def$kind)
    members[[py_name]] <- if (is.function(value) && !is_py_object(value))
      .py_method(def, name, py_name, value) else value
  }
  for (name in names(def$active))
    members[[name]] <- .py_method(def, name, name, def$active[[name]])
  classmethods <- intersect("from_config", names(members))
  py_class <- .with_python_errors(
    classes$make_class(def$classname, list(base), members, module = def$module,
                       classmethods = as.list(classmethods),
                       properties = as.list(names(def$active))),
    def$classname)
  def$py_class <- py_class
  py_class
}

.class_base_py <- function(def) {
  inherit <- def$inherit
  if (is.null(inherit)) {
    obj <- .tk()
    for (part in .class_bases[[def$kind]]) obj <- obj[[part]]
    return(obj)
  }
  parent <- .class_def_of(inherit)
  if (!is.null(parent)) return(.class_py(parent))
  if (is_py_object(inherit)) return(inherit)
  # an R6 class generator (R/r-utils.R)
  if (inherits(inherit, "R6ClassGenerator")) return(r_to_py.R6ClassGenerator(inherit))
  if (is.function(inherit)) {
    resolved <- resolve_wrapper(inherit)
    if (is_py_object(resolved)) {
      # an uncalled class wrapper resolves to an instance: use its class
      if (!reticulate::py_has_attr(resolved, "__mro__"))
        resolved <- reticulate::py_get_attr(resolved, "__class__")
      return(resolved)
    }
  }
  stop(sprintf("%s: `inherit` must be a class made by Layer(), Loss(), Metric(), ",
               def$classname),
       "Callback(), Model(), ... or a Python class; received an object of class ",
       class(inherit)[1], ".", call. = FALSE)
}

# R names of special methods -> Python names.
.py_member_name <- function(name, kind) {
  if (name == "initialize") return("__init__")
  if (name == "finalize") return("__del__")
  if (name == "call" && kind %in% c("schedule", "constraint")) return("__call__")
  name
}

.index_hooks <- c("on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
                  "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                  "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end")
.logs_hooks <- c("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                 "on_predict_begin", "on_predict_end")

# One R function -> a Python method (torkeras.bridge.classes.r_method).
.py_method <- function(def, name, py_name, fn) {
  mode <- if (py_name == "__init__") "init"
          else if (def$kind == "callback" && name %in% c(.index_hooks, .logs_hooks)) "hook"
          else if (name == "build") "build"
          else if (name == "compute_output_shape") "output_shape"
          else "method"
  kind <- switch(mode, init = "init",
                 hook = if (name %in% .index_hooks) "index_hook" else "logs_hook",
                 "method")
  wrapper <- .method_wrapper(fn, def, mode, n_args = if (kind == "index_hook") 2L else 1L)
  .bridge_classes()$r_method(py_name, reticulate::r_to_py(.trap_interrupt(wrapper), convert = TRUE),
                             .formals_spec(fn), kind)
}

# The R function Python calls: `function(self, ...)`. Each call binds the
# user's function to an environment holding `self`, `super` and (lazily)
# `private`, whose parent is the function's own environment.
.method_wrapper <- function(fn, def, mode, n_args = 1L) {
  force(fn); force(def)
  fmls <- names(formals(fn))
  has_self <- "self" %in% fmls
  call_fn <- if (has_self) function(f, self, ...) f(self = self, ...)
             else function(f, self, ...) f(...)
  switch(mode,
    init = function(self, ...) {
      call_fn(.bind_method(fn, def, self), self, ...)
      NULL
    },
    hook = {
      # Python passes (epoch_or_batch, logs) or (logs); a hook written
      # without a `logs` argument is called without it.
      takes_logs <- any(c("logs", "...") %in% fmls) ||
        length(setdiff(fmls, "self")) >= n_args
      function(self, ...) {
        args <- list(...)
        if (!takes_logs && length(args)) args <- args[-length(args)]
        result <- do.call(call_fn, c(list(.bind_method(fn, def, self), self), args))
        if (is.list(result) && !is.null(names(result)) && !is_py_object(result)) result
      }
    },
    build = function(self, input_shape, ...) {
      call_fn(.bind_method(fn, def, self), self, .shape_from_py(input_shape), ...)
      NULL
    },
    output_shape = function(self, input_shape, ...) {
      result <- call_fn(.bind_method(fn, def, self), self, .shape_from_py(input_shape), ...)
      .shape_to_py(result)
    },
    function(self, ...) call_fn(.bind_method(fn, def, self), self, ...)
  )
}

.bind_method <- function(fn, def, self) {
  env <- new.env(parent = environment(fn) %||% globalenv())
  env$self <- self
  env$super <- .new_super(function() .class_py(def), def$kind, self)
  env$`__class__` <- def$py_class
  delayedAssign("private", .private_env(self, def), assign.env = env)
  environment(fn) <- env
  fn
}

# R formals -> the parameter specs of torkeras.bridge.classes.signature_from_spec.
.formals_spec <- function(fn) {
  fmls <- formals(fn)
  names_ <- names(fmls)
  if (any(!grepl("^[A-Za-z_][A-Za-z0-9_]*$", setdiff(names_, "..."))))
    return(list(list(name = "args", kind = "var_positional"),
                list(name = "kwargs", kind = "var_keyword")))
  dots_at <- match("...", names_)
  spec <- list()
  for (i in seq_along(fmls)) {
    name <- names_[[i]]
    if (name == "...") {
      spec <- c(spec, list(list(name = "args", kind = "var_positional"),
                           list(name = "kwargs", kind = "var_keyword")))
      next
    }
    item <- list(name = name,
                 kind = if (!is.na(dots_at) && i > dots_at) "keyword" else "positional")
    if (!identical(fmls[[i]], quote(expr = ))) item <- c(item, .default_spec(fmls[[i]]))
    spec[[length(spec) + 1L]] <- item
  }
  spec
}

# An R default -> list(default = value) when it is a plain constant, else
# list(r_default = "its text") (R evaluates it when the argument is missing).
.default_spec <- function(value) {
  if (is.null(value)) return(list(default = NULL))
  if (is.call(value) && identical(value[[1L]], as.name("-")) && length(value) == 2L &&
      is.numeric(value[[2L]]))
    value <- -value[[2L]]
  if (is.atomic(value) && length(value) == 1L && !is.na(value))
    return(list(default = value))
  list(r_default = paste(deparse(value), collapse = " "))
}

# ---- shapes for build() / compute_output_shape() --------------------------------

# A shape from Python (a tuple arrives as a list of integers and NULLs) ->
# shape(); several shapes -> a (named) list of shape()s.
.shape_from_py <- function(x) {
  if (is.null(x) || inherits(x, "keras_shape")) return(x)
  if (is_py_object(x)) x <- reticulate::py_to_r(x)
  if (is.list(x)) {
    is_dim <- vapply(x, function(d) is.null(d) || (is.numeric(d) && length(d) == 1L), TRUE)
    if (is.null(names(x)) && all(is_dim))
      return(structure(lapply(x, function(d) if (!is.null(d)) as.integer(d)),
                       class = "keras_shape"))
    return(lapply(x, .shape_from_py))
  }
  if (is.numeric(x)) return(shape(x))
  x
}

# What compute_output_shape() returns -> tuples (NA -> None); lists of
# shapes -> Python lists (named: dicts).
.shape_to_py <- function(x) {
  if (is.null(x) || is_py_object(x)) return(x)
  if (inherits(x, "keras_shape")) return(reticulate::r_to_py(x))
  if (is.numeric(x) || is.logical(x)) return(reticulate::r_to_py(shape(x)))
  if (is.list(x)) {
    is_dim <- vapply(x, function(d) is.null(d) || ((is.numeric(d) || is.logical(d)) &&
                                                     length(d) == 1L), TRUE)
    if (is.null(names(x)) && all(is_dim)) return(reticulate::r_to_py(shape(x)))
    out <- lapply(x, .shape_to_py)
    if (!is.null(names(x))) return(reticulate::dict(out))
    return(reticulate::r_to_py(unname(out)))
  }
  x
}

# ---- super ------------------------------------------------------------------------

# `super` inside a method: `super$name` is the parent class's attribute bound
# to self (`initialize` -> `__init__`); `super()` returns the same object;
# `super(Class, self)` starts the lookup after Class (an R class or Python class).
.new_super <- function(get_class, kind, self) {
  force(get_class); force(kind); force(self)
  getter <- function(type, object) {
    if (missing(type)) return(getter)
    if (missing(object)) object <- self
    cls <- .class_def_of(type)
    cls <- if (!is.null(cls)) .class_py(cls) else type
    .new_super(function() cls, kind, object)
  }
  class(getter) <- "torkeras_super"
  getter
}

#' @export
`$.torkeras_super` <- function(x, name) {
  env <- environment(x)
  name <- .py_member_name(name, env$kind)
  target <- reticulate::import_builtins()$super(env$get_class(), env$self)
  do.call(`$`, list(target, name))  # `$` gives a callable R function
}

#' @export
`[[.torkeras_super` <- function(x, name) `$.torkeras_super`(x, name)

#' @export
print.torkeras_super <- function(x, ...) {
  cat("<super of", class(environment(x)$self)[1], "object>\n")
  invisible(x)
}

# ---- private ------------------------------------------------------------------------

# The registry of private environments, keyed by py_id(self). An entry is
# removed by a Python weakref.finalize callback when the object dies.
.private_registry <- function() {
  if (is.null(.globals$private)) .globals$private <- new.env(hash = TRUE, parent = emptyenv())
  .globals$private
}

.private_env <- function(self, def) {
  registry <- .private_registry()
  key <- reticulate::py_id(self)
  env <- registry[[key]]
  if (!is.null(env)) return(env)
  classes <- .bridge_classes()
  for (dead in unlist(classes$pending_releases())) .release_private(dead)
  env <- new.env(parent = emptyenv())
  assign(key, env, envir = registry)
  if (is.null(.globals$release_private))
    .globals$release_private <- reticulate::r_to_py(.release_private, convert = TRUE)
  classes$track_private(self, .globals$release_private)
  members <- .private_members(def)
  if (length(members)) {
    # Functions kept in private see `self` through a weak reference: a
    # strong one would keep the object (and this environment) alive forever.
    self_ref <- reticulate::import("weakref")$ref(self)
    for (name in names(members)) {
      value <- members[[name]]
      if (is.function(value) && !is_py_object(value))
        value <- .bind_method_weak(value, def, self_ref)
      assign(name, value, envir = env)
    }
  }
  env
}

.bind_method_weak <- function(fn, def, self_ref) {
  # forced now: an unforced promise would keep the caller's frame (and self)
  force(fn); force(def); force(self_ref)
  env <- new.env(parent = environment(fn) %||% globalenv())
  makeActiveBinding("self", function() self_ref(), env)
  makeActiveBinding("super", function() .new_super(function() .class_py(def), def$kind,
                                                   self_ref()), env)
  makeActiveBinding("private", function() .private_env(self_ref(), def), env)
  environment(fn) <- env
  fn
}

.release_private <- function(key) {
  registry <- .private_registry()
  if (exists(key, envir = registry, inherits = FALSE)) rm(list = key, envir = registry)
  invisible(NULL)
}

# Private members of a class and its R parent classes (the class's own win).
.private_members <- function(def) {
  parent <- .class_def_of(def$inherit)
  inherited <- if (!is.null(parent)) .private_members(parent) else list()
  inherited[names(def$private)] <- def$private
  inherited
}

# Number of live private environments (for tests).
.private_count <- function() length(ls(.private_registry(), all.names = TRUE))

# ---- R functions as components ------------------------------------------------------

# An R function given where Keras takes a callable (a loss, a metric, ...) ->
# a named Python function with the R function's arguments as its signature.
# Python objects and torkeras wrappers pass through unchanged.
.as_r_callable <- function(fn, name) {
  if (!is.function(fn) || is_py_object(fn)) return(fn)
  fn <- resolve_wrapper(fn)
  if (!is.function(fn) || is_py_object(fn)) return(fn)
  name <- attr(fn, "py_function_name", exact = TRUE) %||% attr(fn, "name", exact = TRUE) %||% name
  .py_function(fn, name, .formals_spec(fn))
}

# An R function as a Python function named `name` (torkeras.bridge.classes.r_function),
# with the signature `spec` describes (NULL: `*args, **kwargs`). A Ctrl-C in it
# reaches Python as KeyboardInterrupt (see .trap_interrupt()).
.py_function <- function(fn, name, spec = NULL) {
  .bridge_classes()$r_function(reticulate::r_to_py(.trap_interrupt(fn), convert = TRUE),
                               name, spec)
}
