# `.[a, b] <- value`: destructuring assignment, as keras3 users write it
# (keras3 re-exports it from the dotty package, which Debian does not ship).
#
#   .[x, y] <- list(1, 2)                        # by position
#   .[title = t, body = b] <- inputs             # by name: t <- inputs$title
#   .[.[x_train, y_train], .[x_test, y_test]] <- dataset_mnist()   # nested
#   .[n, ..] <- op_shape(x)                      # `..` skips the rest
#
# R evaluates `.[a, b] <- value` as `. <- "[<-"(., a, b, value = value)` in
# the caller's frame, so the method below assigns the pieces there and
# returns `.` unchanged.

#' Destructure a list (or a Python sequence) into variables
#'
#' `.[a, b] <- value` assigns `value[[1]]` to `a` and `value[[2]]` to `b`;
#' `.[name = variable] <- value` assigns `value[["name"]]` to `variable`.
#' Targets may nest (`.[.[a, b], c]`), and `..` skips the remaining elements.
#' @name dot-destructure
#' @examples
#' .[a, b] <- list(1, "two")
#' a
#' b
#' .[first = x, ..] <- list(first = 10, second = 20, third = 30)
#' x
#' @export
. <- structure(list(), class = "torkeras_destructure")

#' @export
`[<-.torkeras_destructure` <- function(x, ..., value) {
  targets <- eval(substitute(alist(...)))
  .destructure(targets, value, parent.frame())
  x
}

#' @export
print.torkeras_destructure <- function(x, ...) {
  cat("<destructuring assignment: .[a, b] <- value>\n")
  invisible(x)
}

.destructure <- function(targets, value, env) {
  value <- .as_destructurable(value)
  names_ <- names(targets) %||% rep("", length(targets))
  positional <- which(!nzchar(names_))
  rest_at <- match(TRUE, vapply(targets[positional], .is_rest, logical(1)))
  n_before_rest <- if (is.na(rest_at)) length(positional) else rest_at - 1L
  if (is.na(rest_at) && length(positional) != length(value) && !any(nzchar(names_))) {
    stop(sprintf(".[...] <- value: %d targets for a value of length %d",
                 length(positional), length(value)), call. = FALSE)
  }
  pos <- 0L
  for (i in seq_along(targets)) {
    target <- targets[[i]]
    if (nzchar(names_[i])) {
      if (!names_[i] %in% names(value)) {
        stop(sprintf(".[...] <- value: value has no element named `%s`", names_[i]),
             call. = FALSE)
      }
      piece <- value[[names_[i]]]
    } else {
      if (.is_rest(target)) break
      pos <- pos + 1L
      if (pos > length(value)) {
        stop(sprintf(".[...] <- value: value has only %d elements", length(value)),
             call. = FALSE)
      }
      piece <- value[[pos]]
    }
    .assign_target(target, piece, env)
  }
  invisible(NULL)
}

.assign_target <- function(target, piece, env) {
  if (is.call(target) && identical(target[[1]], as.name("[")) &&
      identical(target[[2]], as.name("."))) {
    return(.destructure(as.list(target)[-(1:2)], piece, env))
  }
  if (!is.name(target) || identical(target, quote(expr = ))) {
    stop(".[...] <- value: targets must be variable names or nested .[ ] groups",
         call. = FALSE)
  }
  assign(as.character(target), piece, envir = env)
}

.is_rest <- function(target) identical(target, as.name(".."))

# Lists stay lists; Python lists/tuples/dicts and shapes become R lists.
.as_destructurable <- function(value) {
  if (inherits(value, "python.builtin.object")) value <- reticulate::py_to_r(value)
  if (is.list(value)) return(value)
  as.list(value)
}
