# shape(): tensor shapes as R values.
#
# A keras_shape is a list with one element per dimension: an integer, or NULL
# for an unknown dimension (Python's None). `NA`, `NULL` and `-1` all mean
# unknown. It converts to a Python tuple and prints as `shape(NA, 3)`.

#' Create a tensor shape
#'
#' @param ... Dimensions: numbers (`NA`, `NULL` or `-1` for an unknown size),
#'   numeric vectors, other shapes, or tensors and R arrays (their shape is
#'   used).
#' @return A `keras_shape`.
#' @examples
#' shape(NA, 3)
#' shape(28, 28, 1)
#' @export
shape <- function(...) {
  dims <- rlang::list2(...)  # shape(NA, 3,) is shape(NA, 3)
  out <- list()
  for (d in dims) out <- c(out, .shape_dims(d))
  structure(out, class = "keras_shape")
}

# One argument of shape() -> a list of dims (integer or NULL).
.shape_dims <- function(d) {
  if (is.null(d)) return(list(NULL))
  if (inherits(d, "keras_shape")) return(unclass(d))
  if (inherits(d, "python.builtin.object")) {
    if (reticulate::py_has_attr(d, "shape")) d <- reticulate::py_get_attr(d, "shape")
    dims <- reticulate::import_builtins()$list(d)  # -> R: ints, NULL for None
    return(.shape_dims(lapply(dims, function(x) x %||% NA)))
  }
  if (is.array(d)) return(lapply(dim(d), .shape_dim))  # an R array: its dims
  if (is.list(d)) return(do.call(c, lapply(d, .shape_dims)) %||% list())
  if (!(is.numeric(d) || is.logical(d)))
    .stop_in_verb(paste0("shape() dimensions must be numbers, NA/NULL, shapes or tensors; got ",
                         class(d)[1]))
  lapply(as.vector(d), .shape_dim)
}

.shape_dim <- function(x) {
  if (is.na(x) || x == -1) return(NULL)
  if (x < 0 || x != trunc(x))
    .stop_in_verb(paste0("shape() dimensions must be non-negative whole numbers ",
                         "(or NA for unknown); got ", x))
  as.integer(x)
}

#' @export
format.keras_shape <- function(x, ...) {
  dims <- vapply(unclass(x), function(d) if (is.null(d)) "NA" else as.character(d), "")
  sprintf("shape(%s)", paste(dims, collapse = ", "))
}

#' @export
print.keras_shape <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

#' @export
as.integer.keras_shape <- function(x, ...) {
  vapply(unclass(x), function(d) if (is.null(d)) NA_integer_ else d, 1L)
}

# as.numeric() dispatches to as.double methods.
#' @export
as.double.keras_shape <- function(x, ...) as.double(as.integer.keras_shape(x))

#' @export
as.list.keras_shape <- function(x, ...) unclass(x)

# zeallot only takes apart plain lists; a shape unpacks into its dimensions so
# `c(batch_size, ...) %<-% op_shape(x)` works as in keras3.
#' @exportS3Method zeallot::destructure
destructure.keras_shape <- function(x) unclass(x)

#' @export
`[.keras_shape` <- function(x, i) structure(unclass(x)[i], class = "keras_shape")

#' @export
length.keras_shape <- function(x) length(unclass(x))

#' @export
`==.keras_shape` <- function(e1, e2) {
  a <- as.integer(shape(e1))
  b <- as.integer(shape(e2))
  length(a) == length(b) && identical(is.na(a), is.na(b)) && all(a == b, na.rm = TRUE)
}

#' @export
`!=.keras_shape` <- function(e1, e2) !`==.keras_shape`(e1, e2)

# `x$shape` of a tensor, Variable or KerasTensor is a shape(), as in keras3:
# it prints as `shape(NA, 3)`, and as.integer() (NA for unknown), as.list()
# (NULL for unknown), `[[`, length() and `%<-%` work on it. Other `$`
# accesses are reticulate's.
.dollar_with_shape <- function(x, name) {
  if (identical(name, "shape")) return(shape(x))
  NextMethod()
}

#' @export
`$.torch.Tensor` <- .dollar_with_shape
#' @export
`$.torkeras.variables.Variable` <- .dollar_with_shape
#' @export
`$.torkeras.graph.keras_tensor.KerasTensor` <- .dollar_with_shape

#' @method r_to_py keras_shape
#' @export
r_to_py.keras_shape <- function(x, convert = FALSE) {
  .tk()  # start Python the torkeras way before reticulate does
  reticulate::tuple(unclass(x), convert = convert)
}
