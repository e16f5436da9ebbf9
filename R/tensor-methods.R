# R methods for tensors: torch tensors (and subclasses such as
# torch.nn.parameter.Parameter), torkeras Variables and KerasTensors.
#
# reticulate 1.28 gives Python objects no arithmetic, comparison, `[`, dim(),
# as.array(), ... methods, so the package registers them at load time
# (.register_tensor_methods(), called from .onLoad) for the three classes.
# R only dispatches: every method makes one call into
# python/torkeras/bridge/tensors.py, which does the work through
# torkeras.ops. On a KerasTensor the same calls record graph nodes, so
# `keras_input(shape = 3) * 2` is a symbolic tensor of shape (NA, 3).
#
# Semantics (R where it is cheap to match, keras3 otherwise):
#
# * Operators `+ - * / ^ %% %/% == != < > <= >= & | !` and unary `-`/`+`.
#   The R operand becomes a tensor of the tensor's dtype: an R double next to
#   a float32 tensor is float32, whole numbers next to an integer tensor keep
#   its integer dtype (other numbers make the result floatx). Shapes
#   broadcast as in NumPy/Keras (trailing axes), not by R's recycling.
#   `%%` and `%/%` follow R's (and Python's) sign convention: the remainder
#   has the sign of the divisor and `%/%` rounds down. `^` gives floats even
#   for two integer operands, as in R. Comparisons give bool tensors
#   (as.array() turns them into logical arrays).
# * `%*%` is exported by the package (R 4.2 has no S3 dispatch for it): on
#   tensors it is op_matmul(), on anything else base R's `%*%`. Attaching
#   torkeras therefore reports that it masks base::`%*%`.
# * `x[i, j, ...]`, as keras3's op_subset(): 1-based positions, inclusive
#   ranges (`2:4`), an empty index takes the whole axis, a single number
#   drops its axis (drop = FALSE keeps it), negative numbers count from the
#   end (`x[-1, ]` is the last row; not R's exclusion), logical vectors mask
#   an axis, integer vectors gather in the given order (`x[c(3, 1), ]`), and
#   several vectors select the cross product, as in R. Missing trailing
#   indices take whole axes (`x[1]` is the first row of a matrix, not its
#   first element). A single logical array/tensor of x's shape
#   (`x[x > 0]`) returns the selected elements in R's column-major order.
#   Only axes indexed by a single number are dropped (R would also drop other
#   axes of size 1).
# * dim() gives NA for unknown dimensions (KerasTensors) and integer(0) for
#   a 0-d tensor; length() is the number of elements (NA if unknown).
# * as.array(), as.vector(), as.numeric()/as.double(), as.integer(),
#   as.logical() copy the values into R (elements of n-d tensors in R's
#   column-major order, as for any R array); a 0-d tensor gives a plain
#   number, so sprintf("%.4f", t) works on scalars.
# * Math group (abs, sqrt, exp, log(x, base), floor, ceiling, round(x,
#   digits), trunc, sign, trigonometric functions, cumsum, ...) returns
#   tensors; cumsum()/cumprod()/cummax()/cummin() flatten in R's order.
# * Summary group (sum, prod, max, min, range, any, all) returns a 0-d tensor
#   (range: two elements), like the ops they use, so they also work on
#   KerasTensors; use as.numeric()/as.logical() for an R value (e.g. in
#   `if`). `na.rm = TRUE` skips NaN.
# * print() shows torch's layout of the values with the shape and dtype,
#   e.g. `tensor([1., 2.], shape=(2,), dtype=float32)`; Variables and
#   KerasTensors print their Keras repr. str() is one line.

.tensor_classes <- c("torch.Tensor",
                     "torkeras.variables.Variable",
                     "torkeras.graph.keras_tensor.KerasTensor")

# python/torkeras/bridge/tensors.py (imported on first use).
.tensors_py <- function() {
  if (is.null(.globals$tensors)) {
    .tk()
    .globals$tensors <- reticulate::import("torkeras.bridge.tensors")
  }
  .globals$tensors
}

# Called from .onLoad: registers every method below for the tensor classes.
# Registering does not start Python.
.register_tensor_methods <- function() {
  methods <- list(
    base = list(
      Ops = .tensor_ops, Math = .tensor_math, Summary = .tensor_summary,
      "[" = .tensor_subset, dim = .tensor_dim, length = .tensor_length,
      as.array = .tensor_as_array, as.vector = .tensor_as_vector,
      as.double = .tensor_as_double, as.integer = .tensor_as_integer,
      as.logical = .tensor_as_logical, print = .tensor_print, format = .tensor_format,
      t = .tensor_t, aperm = .tensor_aperm
    ),
    utils = list(str = .tensor_str)
  )
  for (pkg in names(methods)) {
    envir <- asNamespace(pkg)
    for (generic in names(methods[[pkg]])) {
      for (class in .tensor_classes)
        registerS3method(generic, class, methods[[pkg]][[generic]], envir = envir)
    }
  }
  invisible()
}

# One call into the bridge; a Python exception becomes an R error raised
# from `verb` (R/errors.R).
.tensor_call <- function(fn, args, verb) {
  .with_python_errors(do.call(.tensors_py()[[fn]], args), verb)
}

# ---------------------------------------------------------------------------
# Operators
# ---------------------------------------------------------------------------

.tensor_ops <- function(e1, e2) {
  if (missing(e2)) return(.tensor_call("unary", list(.Generic, e1), .Generic))
  .tensor_call("binary", list(.Generic, e1, e2), .Generic)
}

#' Matrix product, for R matrices and tensors
#'
#' `x %*% y` is [op_matmul()] when either side is a tensor (a torch tensor,
#' Variable or KerasTensor; an R operand is converted to the tensor's dtype),
#' and base R's matrix product otherwise. R 4.2 does not dispatch `%*%` on
#' S3 classes, so torkeras exports this function, which masks `base::%*%`.
#'
#' @param x,y Tensors, R matrices or vectors.
#' @return A tensor when either operand is a tensor, else an R matrix.
#' @examples
#' op_ones(c(2, 3)) %*% matrix(1, 3, 4)  # a (2, 4) tensor
#' matrix(1:4, 2) %*% diag(2)            # base R's product
#' @export
`%*%` <- function(x, y) {
  if (is_py_object(x) || is_py_object(y))
    return(.tensor_call("matmul", list(x, y), "%*%"))
  base::`%*%`(x, y)
}

.tensor_math <- function(x, ...) {
  extra <- list(...)
  arg <- if (length(extra)) extra[[1L]] else NULL
  .tensor_call("math", list(.Generic, x, arg), .Generic)
}

.tensor_summary <- function(..., na.rm = FALSE) {
  .tensor_call("summary", list(.Generic, list(...), isTRUE(na.rm)), .Generic)
}

# ---------------------------------------------------------------------------
# `[`
# ---------------------------------------------------------------------------

.tensor_subset <- function(x, ..., drop = TRUE) {
  n <- ...length()
  specs <- vector("list", n)  # NULL: an empty index (the whole axis)
  for (i in seq_len(n)) {
    if (eval(call("missing", as.name(paste0("..", i))))) next
    specs[i] <- list(.index_spec(...elt(i)))
  }
  .tensor_call("r_getitem", list(x, specs, isTRUE(drop)), "[")
}

# One index as Python should receive it.
.index_spec <- function(i) {
  if (is.null(i)) return(integer())
  if (is.factor(i)) return(as.integer(i))
  if (is_py_object(i)) return(i)
  if (!(is.numeric(i) || is.logical(i)))
    stop(sprintf("tensor indices must be numbers or logicals, not %s.", class(i)[1L]),
         call. = FALSE)
  if (anyNA(i)) stop("tensor indices cannot be NA.", call. = FALSE)
  i
}

# ---------------------------------------------------------------------------
# Dimensions and conversion to R values
# ---------------------------------------------------------------------------

.tensor_dim <- function(x) {
  dims <- .tensor_call("dims", list(x), "dim")
  vapply(dims, function(d) if (is.null(d)) NA_integer_ else as.integer(d), 1L)
}

.tensor_length <- function(x) {
  n <- .tensor_call("size", list(x), "length")
  if (is.null(n)) NA_integer_ else n
}

.tensor_as_array <- function(x, ...) .tensor_call("to_r_array", list(x), "as.array")

.tensor_as_vector <- function(x, mode = "any") as.vector(.tensor_as_array(x), mode)

.tensor_as_double <- function(x, ...) as.double(.tensor_as_array(x))

.tensor_as_integer <- function(x, ...) as.integer(.tensor_as_array(x))

.tensor_as_logical <- function(x, ...) as.logical(.tensor_as_array(x))

# ---------------------------------------------------------------------------
# Transposes (keras3 registers these too)
# ---------------------------------------------------------------------------

# t(): a matrix's transpose; a 1-D tensor becomes one row, as in R.
.tensor_t <- function(x) {
  ops <- .tk()$ops
  .with_python_errors({
    if (length(dim(x)) == 1L) ops$expand_dims(x, 0L) else ops$transpose(x)
  }, "t")
}

# aperm(a, perm) with R's 1-based permutation (default: reverse the axes).
.tensor_aperm <- function(a, perm = NULL, ...) {
  if (!is.null(perm)) perm <- as_axis(perm, "perm")
  .with_python_errors(.tk()$ops$transpose(a, perm), "aperm")
}

# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------

.tensor_format <- function(x, ...) .tensor_call("format_tensor", list(x), "format")

.tensor_print <- function(x, ...) {
  cat(.tensor_format(x), "\n", sep = "")
  invisible(x)
}

.tensor_str <- function(object, ...) {
  cat(" ", .tensor_call("str_line", list(object), "str"), "\n", sep = "")
  invisible()
}
