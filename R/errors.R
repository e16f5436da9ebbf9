# Python exceptions as R errors.
#
# A Python exception raised while R calls into torkeras reaches the user as
# an R error whose first line is the Python message, raised from the verb the
# user called:
#
#   Error in fit() : x has 100 rows but y has 90
#   Python ValueError (traceback: reticulate::py_last_error())
#
# The condition has class "torkeras_python_error" and carries the Python
# exception type and message; the full traceback stays available through
# reticulate::py_last_error().

# Evaluates `expr` (which calls into Python) and converts a Python exception
# into a torkeras_python_error raised from `verb()`. Errors raised in R
# (argument checks) pass through unchanged.
.with_python_errors <- function(expr, verb) {
  reticulate::py_clear_last_error()
  tryCatch(expr, error = function(e) {
    err <- if (inherits(e, "torkeras_python_env_error")) NULL
           else tryCatch(reticulate::py_last_error(), error = function(e2) NULL)
    if (is.null(err)) stop(e)
    stop(.python_error_condition(err, verb))
  })
}

.python_error_condition <- function(err, verb) {
  msg <- sub("\\s+$", "", err$value %||% "")
  if (!nzchar(msg)) msg <- err$type
  structure(
    class = c("torkeras_python_error", "error", "condition"),
    list(
      message = sprintf(
        "%s\nPython %s (traceback: reticulate::py_last_error())",
        msg, err$type
      ),
      call = if (!is.null(verb)) as.call(list(as.name(verb))),
      python_type = err$type,
      python_message = msg
    )
  )
}
