# Errors the R user sees.
#
# Whatever goes wrong in a torkeras function, the user gets an R error raised
# from the function they called (only its name, no arguments), whose first
# printed line says what was wrong:
#
#   Error in fit() : x has 100 rows but y has 90;
#   they must match (one target per sample).
#   Python ValueError (traceback: reticulate::py_last_error())
#
# * A Python exception becomes a condition of class "torkeras_python_error"
#   carrying the Python type (`python_type`) and the untouched message
#   (`python_message`). The traceback is not printed; it stays available
#   through reticulate::py_last_error().
# * An R error raised inside an R function that Python called (an R loss,
#   metric, callback or class method) travels through Python as a
#   RuntimeError holding the R message, and comes back to R with that message
#   as its first line (`from_r` is TRUE then). Notes that a nested torkeras
#   error already carried are not repeated.
# * Argument errors detected in R (see R/conversions.R) use .stop_in_verb(),
#   which names the user-facing function the same way.
#
# R prints "Error in f() : " followed by the message on the same line only
# when the call plus the message's first line fit in 75 columns (the
# LONGWARN rule of R's error printer, which try() copies); otherwise it moves
# the whole message to the next line. So the first line is broken at a word
# (preferably clause) boundary to fit, keeping the start of the message on
# the line that says "Error in".

# The width R's error printer allows for "Error in <call> : <first line>".
.error_line_width <- 75L

# Evaluates `expr` (which calls into Python) and converts a Python exception
# into a torkeras_python_error raised from `verb()`. Errors raised in R pass
# through; a plain R error raised by reticulate or by torkeras internals
# while running `expr` is re-raised from `verb()` with its message unchanged.
.with_python_errors <- function(expr, verb) {
  reticulate::py_clear_last_error()
  outer <- .globals$python_depth %||% 0L
  .globals$python_depth <- outer + 1L
  on.exit(.globals$python_depth <- outer, add = TRUE)
  tryCatch(expr, error = function(e) {
    err <- if (inherits(e, "torkeras_python_env_error")) NULL
           else tryCatch(reticulate::py_last_error(), error = function(e2) NULL)
    # Ctrl-C that ended the Python call (see .trap_interrupt()): an R interrupt,
    # as if R's own code had been interrupted.
    if (identical(err$type, "KeyboardInterrupt")) rlang::interrupt()
    if (!is.null(err)) stop(.python_error_condition(err, verb, nested = outer > 0L))
    if (!is.null(verb) && identical(class(e), c("simpleError", "error", "condition")) &&
        !.is_user_facing_call(conditionCall(e)))
      stop(.torkeras_error(conditionMessage(e), .verb_call(verb)))
    stop(e)
  })
}

# The condition for Python error `err` (from reticulate::py_last_error()).
# `nested`: the error happens inside R code that Python called (e.g. an
# op_*() in an R loss); see .nested_message().
.python_error_condition <- function(err, verb, nested = FALSE) {
  msg <- .strip_error_notes(sub("\\s+$", "", err$value %||% ""))
  if (!nzchar(msg)) msg <- err$type
  from_r <- .raised_in_r(err)
  note <- if (from_r) "Raised by R code called from Python (traceback: reticulate::py_last_error())"
          else sprintf("Python %s (traceback: reticulate::py_last_error())", err$type)
  call <- .verb_call(verb)
  if (nested) msg <- .nested_message(msg, call)
  # A nested error is printed only as part of the outer one, which fits its
  # first line then.
  first <- if (nested) msg else .fit_first_line(msg, call)
  structure(
    class = c("torkeras_python_error", "error", "condition"),
    list(
      message = paste0(first, "\n", note),
      call = call,
      python_type = err$type,
      python_message = msg,
      from_r = from_r
    )
  )
}

# `fn` for Python to call: an interrupt (Ctrl-C) inside it returns the marker
# torkeras.bridge.interrupts.R_INTERRUPTED, which the bridge's call_r() raises
# as KeyboardInterrupt; the Python code in between unwinds, and the verb the
# user called ends with an R interrupt. (reticulate 1.28 turns only an
# interrupt of R's own code into KeyboardInterrupt; one coming out of a nested
# verb, e.g. predict() inside a callback, would cross Python as a RuntimeError.)
.trap_interrupt <- function(fn) {
  force(fn)
  function(...) tryCatch(fn(...), interrupt = function(e) .r_interrupted())
}

.r_interrupted <- function() {
  if (is.null(.globals$r_interrupted)) {
    .bridge()
    .globals$r_interrupted <- reticulate::import("torkeras.bridge.interrupts")$R_INTERRUPTED
  }
  .globals$r_interrupted
}

# Raises an R error (class "torkeras_error") from the user-facing torkeras
# function being run: `call` when given (only its function name is kept),
# else the innermost such function on the current stack (see .user_call()).
.stop_in_verb <- function(message, call = NULL) {
  call <- if (is.null(call)) .user_call() else .verb_call(call)
  nested <- (.globals$python_depth %||% 0L) > 0L
  if (nested) message <- .nested_message(message, call)
  stop(.torkeras_error(message, call, wrap = !nested))
}

# Inside R code that Python called, only an error's message travels back
# through Python (reticulate keeps no call), so the function's name is put in
# front: the user then reads `Error in fit() : op_mean(): ...`.
.nested_message <- function(message, call) {
  if (is.null(call)) return(message)
  paste0(paste(deparse(call, nlines = 1L), collapse = ""), ": ", message)
}

.torkeras_error <- function(message, call, wrap = TRUE) {
  structure(
    class = c("torkeras_error", "error", "condition"),
    list(message = if (wrap) .fit_first_line(message, call) else message, call = call)
  )
}

# `verb` as a call without arguments: "fit" -> fit(); a call -> its function
# name only (`layer_dense(units = 2.5)` -> layer_dense(); an S3 method's call
# `fit.torkeras.models.model.Model(...)` -> fit()).
.verb_call <- function(verb) {
  if (is.null(verb)) return(NULL)
  if (is.call(verb)) verb <- .called_name(verb)
  if (is.null(verb)) return(NULL)
  as.call(list(as.name(verb)))
}

# The name of the function `call` calls (pkg::name -> name), with a torkeras
# S3 method name reduced to its generic; NULL for an anonymous function.
.called_name <- function(call) {
  fn <- call[[1L]]
  if (is.call(fn) && length(fn) == 3L && as.character(fn[[1L]]) %in% c("::", ":::"))
    fn <- fn[[3L]]
  if (!is.name(fn)) return(NULL)
  sub("^(.+?)\\.(torkeras\\.|keras_).*$", "\\1", as.character(fn), perl = TRUE)
}

# The user-facing torkeras function the current code runs for: follows the
# chain of calling frames from the caller of .stop_in_verb() outward and
# returns the outermost exported torkeras function on it (e.g. keras_input()
# rather than the shape() it calls internally). The chain ends where Python
# called into R, so an error in an op_*() used inside an R layer method names
# that op, not the fit() that is running the layer.
.user_call <- function() {
  ns <- environment(.user_call)
  parents <- sys.parents()
  frame <- parents[[sys.nframe()]]  # .stop_in_verb(); its callers follow
  found <- NULL
  while (frame > 0L) {
    if (identical(environment(sys.function(frame)), ns)) {
      call <- sys.call(frame)
      if (.is_user_facing_call(call)) found <- call
    }
    frame <- parents[[frame]]
  }
  .verb_call(found)
}

# Whether `call` calls a function the user could have called: one the
# namespace exports, or a generic torkeras defines S3 methods for.
.is_user_facing_call <- function(call) {
  if (!is.call(call)) return(FALSE)
  name <- .called_name(call)
  !is.null(name) &&
    name %in% c(getNamespaceExports(environment(.user_call)),
                "predict", "summary", "format", "print", "plot", "as.data.frame")
}

# Whether Python error `err` is an R error that crossed Python: reticulate
# raises those as RuntimeError from its R-function wrapper (rpytools/call.py).
.raised_in_r <- function(err) {
  tb <- err$traceback
  identical(err$type, "RuntimeError") && length(tb) > 0L &&
    grepl("rpytools[/\\\\]call\\.py", tb[[length(tb)]])
}

# Drops the note lines a nested torkeras error added (an R error that came
# from a Python error, raised again through Python).
.strip_error_notes <- function(msg) {
  lines <- strsplit(msg, "\n", fixed = TRUE)[[1L]]
  notes <- grepl("^(Python \\S+|Raised by R code called from Python) \\(traceback: reticulate::py_last_error\\(\\)\\)$", lines)
  paste(lines[!notes], collapse = "\n")
}

# Breaks the first line of `msg` so that "Error in <call> : <first line>"
# fits R's printing width. Prefers to break after a clause (";", ":", ".",
# ",") or before a parenthesis, when that keeps at least half the room used;
# otherwise breaks at the last space that fits. A first line without a
# usable space is left whole.
.fit_first_line <- function(msg, call) {
  lines <- strsplit(msg, "\n", fixed = TRUE)[[1L]]
  if (!length(lines)) return(msg)
  call_text <- if (is.null(call)) "" else paste(deparse(call, nlines = 1L), collapse = "")
  # R's rule: 14 + width(call) + width(first line) must not exceed 75. With
  # no call R prints "Error: <message>" and never moves it.
  if (is.null(call)) return(msg)
  room <- max(20L, .error_line_width - 14L - nchar(call_text, type = "width"))
  first <- lines[[1L]]
  if (is.na(nchar(first, type = "width")) || nchar(first, type = "width") <= room) return(msg)
  chars <- strsplit(first, "", fixed = TRUE)[[1L]]
  widths <- cumsum(nchar(chars, type = "width"))
  spaces <- which(chars == " ")
  fits <- spaces[spaces > 1L & widths[pmax(spaces - 1L, 1L)] <= room]
  if (!length(fits)) return(msg)
  clause <- fits[chars[fits - 1L] %in% c(";", ":", ".", ",") |
                   c(chars, "")[fits + 1L] == "("]
  clause <- clause[widths[clause - 1L] >= room / 2]
  at <- if (length(clause)) max(clause) else max(fits)
  head <- paste(chars[seq_len(at - 1L)], collapse = "")
  tail <- sub("^ +", "", paste(chars[-seq_len(at)], collapse = ""))
  paste(c(head, if (nzchar(tail)) tail, lines[-1L]), collapse = "\n")
}
