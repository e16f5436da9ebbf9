"""Runnable R @examples for the generated R wrappers (issue 12, item 3).

Interface (read by tools/generate_r_wrappers.py):

    EXAMPLES: dict[str, str]        # R function name -> R example code (multi-line ok)
    def example_for(r_name: str, family: str) -> str | None:
        '''The example for one generated wrapper: EXAMPLES[r_name] if present,
        else a family template filled in where that is correct (e.g.
        activation_* on a small vector), else None.'''

`family` is the generated file's family: "layers", "losses", "metrics",
"optimizers", "learning_rate_schedules", "ops", "random", "activations",
"initializers", "regularizers", "constraints", "callbacks" (the generator may
also pass the R name prefix, e.g. "layer" or "op"; both are accepted).
Example code is plain R, one statement per line, no roxygen prefix.
Every example is run by tools/check_r_examples.py (one R process, against the
installed package); see tools/README.md.
"""

from __future__ import annotations


def _lines(*lines: str) -> str:
    return "\n".join(lines)


# Generated functions that are not exported (no help page, no example).
INTERNAL = {"wrapper_targets", "layer_kwarg_rules", "rename_args"}

# --------------------------------------------------------------------------
# op_*: family templates (the op name is substituted), then hand-written ones
# --------------------------------------------------------------------------

# Elementwise ops on any real input.
_OP_UNARY_REAL = """
abs absolute fabs negative sign signbit ceil floor trunc sin cos tan sinh cosh tanh
arctan arcsinh exp exp2 expm1 erf erfc square cbrt deg2rad rad2deg sigmoid relu
relu6 silu swish softplus softsign selu elu celu gelu hard_sigmoid hard_silu
hard_swish hard_tanh hard_shrink soft_shrink tanh_shrink leaky_relu log_sigmoid
sparse_plus sparse_sigmoid squareplus sinc i0 copy ones_like zeros_like stop_gradient
""".split()
_OP_UNARY_REAL_TEMPLATE = _lines(
    "x <- op_array(c(-1.5, -0.5, 0, 0.5, 1.5))",
    "{r}(x)")

# Ops on complex numbers (real input works too, except for imag).
_OP_COMPLEX = "real imag angle conj conjugate isreal".split()
_OP_COMPLEX_TEMPLATE = _lines(
    "# 1+2i and 3-1i, from (real, imaginary) pairs",
    "z <- op_view_as_complex(op_array(rbind(c(1, 2), c(3, -1))))",
    "{r}(z)")

# Elementwise ops defined on (-1, 1).
_OP_UNARY_UNIT = "arcsin arccos arctanh erfinv".split()
_OP_UNARY_UNIT_TEMPLATE = _lines(
    "x <- op_array(c(-0.5, 0, 0.5))",
    "{r}(x)")

# Elementwise ops defined on positive numbers.
_OP_UNARY_POSITIVE = "log log10 log2 log1p sqrt rsqrt reciprocal".split()
_OP_UNARY_POSITIVE_TEMPLATE = _lines(
    "x <- op_array(c(0.5, 1, 2, 4))",
    "{r}(x)")

# Elementwise tests for special floating-point values.
_OP_SPECIAL = "isnan isinf isposinf isneginf isfinite".split()
_OP_SPECIAL_TEMPLATE = _lines(
    "x <- op_array(c(1, NaN, Inf, -Inf))",
    "{r}(x)")

# Elementwise ops of two numeric tensors (broadcasting as NumPy).
_OP_BINARY = """
add subtract multiply divide true_divide floor_divide mod fmod power maximum minimum
fmax fmin equal not_equal greater greater_equal less less_equal arctan2 hypot
logaddexp logaddexp2
""".split()
_OP_BINARY_TEMPLATE = _lines(
    "x1 <- op_array(c(1, 2, 3))",
    "x2 <- op_array(c(3, 2, 1))",
    "{r}(x1, x2)",
    "{r}(x1, 2)")

# Bitwise and integer ops of two integer tensors.
_OP_BINARY_INT = """
bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift
left_shift right_shift gcd lcm
""".split()
_OP_BINARY_INT_TEMPLATE = _lines(
    "x <- op_array(c(12L, 10L, 7L))",
    "y <- op_array(c(2L, 4L, 1L))",
    "{r}(x, y)")

_OP_BINARY_BOOL = "logical_and logical_or logical_xor".split()
_OP_BINARY_BOOL_TEMPLATE = _lines(
    "x1 <- op_array(c(TRUE, TRUE, FALSE, FALSE))",
    "x2 <- op_array(c(TRUE, FALSE, TRUE, FALSE))",
    "{r}(x1, x2)")

# Reductions and scans along an axis (1-based, as in keras3).
_OP_REDUCE = """
sum mean max min amax amin prod std var median ptp logsumexp count_nonzero
argmax argmin cumsum cumprod average norm flip
""".split()
_OP_REDUCE_TEMPLATE = _lines(
    "x <- op_array(rbind(c(1, 2, 3),",
    "                    c(6, 5, 4)))",
    "{r}(x)",
    "{r}(x, axis = 2)")

_OP_REDUCE_NAN = """
nansum nanmean nanmax nanmin nanprod nanstd nanvar nanmedian nanargmax nanargmin
nancumsum nancumprod
""".split()
_OP_REDUCE_NAN_TEMPLATE = _lines(
    "x <- op_array(rbind(c(1, NaN, 3),",
    "                    c(6, 5, NaN)))",
    "{r}(x)",
    "{r}(x, axis = 2)")

_OP_REDUCE_BOOL = "all any".split()
_OP_REDUCE_BOOL_TEMPLATE = _lines(
    "x <- op_array(rbind(c(TRUE, FALSE, TRUE),",
    "                    c(TRUE, TRUE, TRUE)))",
    "{r}(x)",
    "{r}(x, axis = 2)")

# Softmax-like ops over the last axis (pairs of halves for glu).
_OP_LAST_AXIS = "softmax log_softmax sparsemax glu normalize".split()
_OP_LAST_AXIS_TEMPLATE = _lines(
    "x <- op_array(rbind(c(1, 2, 3, 4),",
    "                    c(0, -1, 2, 1)))",
    "{r}(x)")

_OP_SORT = "sort argsort".split()
_OP_SORT_TEMPLATE = _lines(
    "x <- op_array(rbind(c(3, 6, 2),",
    "                    c(4, 1, 5)))",
    "{r}(x)",
    "{r}(x, axis = 1)")

_OP_WINDOWS = "bartlett blackman hamming hanning".split()
_OP_WINDOWS_TEMPLATE = _lines(
    "{r}(5)")

OP_TEMPLATES = [
    (_OP_UNARY_REAL, _OP_UNARY_REAL_TEMPLATE),
    (_OP_COMPLEX, _OP_COMPLEX_TEMPLATE),
    (_OP_UNARY_UNIT, _OP_UNARY_UNIT_TEMPLATE),
    (_OP_UNARY_POSITIVE, _OP_UNARY_POSITIVE_TEMPLATE),
    (_OP_SPECIAL, _OP_SPECIAL_TEMPLATE),
    (_OP_BINARY, _OP_BINARY_TEMPLATE),
    (_OP_BINARY_INT, _OP_BINARY_INT_TEMPLATE),
    (_OP_BINARY_BOOL, _OP_BINARY_BOOL_TEMPLATE),
    (_OP_REDUCE, _OP_REDUCE_TEMPLATE),
    (_OP_REDUCE_NAN, _OP_REDUCE_NAN_TEMPLATE),
    (_OP_REDUCE_BOOL, _OP_REDUCE_BOOL_TEMPLATE),
    (_OP_LAST_AXIS, _OP_LAST_AXIS_TEMPLATE),
    (_OP_SORT, _OP_SORT_TEMPLATE),
    (_OP_WINDOWS, _OP_WINDOWS_TEMPLATE),
]

_MAT = "x <- op_array(rbind(c(4, 1), c(1, 3)))"

_OPS = {
    "op_adaptive_average_pool": _lines(
        "x <- op_array(array(1:32, c(1, 4, 4, 2)))  # (batch, height, width, channels)",
        "y <- op_adaptive_average_pool(x, output_size = c(2, 2))",
        "op_shape(y)"),
    "op_adaptive_max_pool": _lines(
        "x <- op_array(array(1:32, c(1, 4, 4, 2)))  # (batch, height, width, channels)",
        "y <- op_adaptive_max_pool(x, output_size = c(2, 2))",
        "op_shape(y)"),
    "op_allclose": _lines(
        "x1 <- op_array(c(1, 2, 3))",
        "op_allclose(x1, x1 + 1e-9)",
        "op_allclose(x1, x1 + 0.1)"),
    "op_isclose": _lines(
        "x1 <- op_array(c(1, 2, 3))",
        "op_isclose(x1, op_array(c(1, 2.1, 3 + 1e-9)))"),
    "op_append": _lines(
        "x1 <- op_array(rbind(c(1, 2), c(3, 4)))",
        "x2 <- op_array(rbind(c(5, 6)))",
        "op_append(x1, x2)            # flattened",
        "op_append(x1, x2, axis = 1)  # as a new row"),
    "op_arccosh": _lines(
        "x <- op_array(c(1, 2, 4))",
        "op_arccosh(x)"),
    "op_argpartition": _lines(
        "x <- op_array(c(3, 4, 2, 1))",
        "# 1-based positions; the 2nd smallest value is in its sorted place",
        "op_argpartition(x, kth = 2)"),
    "op_array": _lines(
        "op_array(c(1, 2, 3))",
        "op_array(matrix(1:6, nrow = 2), dtype = \"float32\")"),
    "op_array_split": _lines(
        "x <- op_arange(7)",
        "op_array_split(x, 3)  # pieces of sizes 3, 2, 2"),
    "op_split": _lines(
        "x <- op_arange(6)",
        "op_split(x, 3)"),
    "op_hsplit": _lines(
        "x <- op_reshape(op_arange(8), c(2, 4))",
        "op_hsplit(x, 2)"),
    "op_vsplit": _lines(
        "x <- op_reshape(op_arange(8), c(4, 2))",
        "op_vsplit(x, 2)"),
    "op_dsplit": _lines(
        "x <- op_reshape(op_arange(8), c(1, 2, 4))",
        "op_dsplit(x, 2)"),
    "op_associative_scan": _lines(
        "x <- op_array(c(1, 2, 3, 4))",
        "op_associative_scan(function(a, b) a + b, x)  # cumulative sum"),
    "op_average_pool": _lines(
        "x <- op_array(array(1:16, c(1, 4, 4, 1)))  # (batch, height, width, channels)",
        "y <- op_average_pool(x, pool_size = 2, strides = 2)",
        "op_shape(y)"),
    "op_max_pool": _lines(
        "x <- op_array(array(1:16, c(1, 4, 4, 1)))  # (batch, height, width, channels)",
        "y <- op_max_pool(x, pool_size = 2, strides = 2)",
        "op_shape(y)"),
    "op_batch_normalization": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(3, 4, 5)))",
        "op_batch_normalization(x, mean = c(2, 3, 4), variance = c(1, 1, 1), axis = -1)"),
    "op_binary_crossentropy": _lines(
        "target <- op_array(c(0, 1, 1))",
        "output <- op_array(c(0.1, 0.8, 0.6))",
        "op_binary_crossentropy(target, output)"),
    "op_categorical_crossentropy": _lines(
        "target <- op_array(rbind(c(0, 1, 0), c(1, 0, 0)))",
        "output <- op_array(rbind(c(0.1, 0.8, 0.1), c(0.5, 0.3, 0.2)))",
        "op_categorical_crossentropy(target, output)"),
    "op_sparse_categorical_crossentropy": _lines(
        "target <- op_array(c(1L, 0L))  # class ids 0, 1, 2 as in Keras",
        "output <- op_array(rbind(c(0.1, 0.8, 0.1), c(0.5, 0.3, 0.2)))",
        "op_sparse_categorical_crossentropy(target, output)"),
    "op_bincount": _lines(
        "x <- op_array(c(1L, 1L, 2L, 3L, 3L, 3L))",
        "op_bincount(x)  # counts of the values 0, 1, 2, 3"),
    "op_bitwise_invert": _lines(
        "x <- op_array(c(0L, 5L, -1L))",
        "op_bitwise_invert(x)"),
    "op_bitwise_not": _lines(
        "x <- op_array(c(0L, 5L, -1L))",
        "op_bitwise_not(x)"),
    "op_logical_not": _lines(
        "x <- op_array(c(TRUE, FALSE))",
        "op_logical_not(x)"),
    "op_broadcast_to": _lines(
        "x <- op_array(c(1, 2, 3))",
        "op_broadcast_to(x, c(2, 3))"),
    "op_cast": _lines(
        "x <- op_array(c(1.7, -2.2))",
        "op_cast(x, \"int32\")"),
    "op_saturate_cast": _lines(
        "x <- op_array(c(-10, 100, 300))",
        "op_saturate_cast(x, \"uint8\")  # clipped to 0..255 before casting"),
    "op_cdist": _lines(
        "x <- op_array(rbind(c(0, 0), c(1, 1)))",
        "y <- op_array(rbind(c(3, 4), c(0, 1), c(1, 0)))",
        "op_cdist(x, y)  # Euclidean distances, 2 x 3"),
    "op_cholesky": _lines(_MAT, "op_cholesky(x)"),
    "op_cholesky_inverse": _lines(
        _MAT,
        "l <- op_cholesky(x)",
        "op_cholesky_inverse(l)  # the inverse of x"),
    "op_clip": _lines(
        "x <- op_array(c(-2, 0.5, 3))",
        "op_clip(x, 0, 1)"),
    "op_concatenate": _lines(
        "x1 <- op_array(rbind(c(1, 2)))",
        "x2 <- op_array(rbind(c(3, 4)))",
        "op_concatenate(list(x1, x2))",
        "op_concatenate(list(x1, x2), axis = 2)"),
    "op_stack": _lines(
        "x1 <- op_array(c(1, 2))",
        "x2 <- op_array(c(3, 4))",
        "op_stack(list(x1, x2))",
        "op_stack(list(x1, x2), axis = 2)"),
    "op_hstack": _lines(
        "op_hstack(list(op_array(c(1, 2)), op_array(c(3, 4))))"),
    "op_vstack": _lines(
        "op_vstack(list(op_array(c(1, 2)), op_array(c(3, 4))))"),
    "op_dstack": _lines(
        "op_dstack(list(op_array(c(1, 2)), op_array(c(3, 4))))"),
    "op_cond": _lines(
        "x <- op_array(3)",
        "op_cond(x > 0, function() x * 2, function() -x)"),
    "op_conv": _lines(
        "x <- op_ones(c(1, 5, 5, 2))       # (batch, height, width, channels)",
        "kernel <- op_ones(c(3, 3, 2, 4))  # (height, width, in, out)",
        "y <- op_conv(x, kernel, padding = \"same\")",
        "op_shape(y)"),
    "op_conv_transpose": _lines(
        "x <- op_ones(c(1, 4, 4, 2))       # (batch, height, width, channels)",
        "kernel <- op_ones(c(3, 3, 5, 2))  # (height, width, out, in)",
        "y <- op_conv_transpose(x, kernel, strides = 2, padding = \"same\")",
        "op_shape(y)"),
    "op_depthwise_conv": _lines(
        "x <- op_ones(c(1, 5, 5, 2))       # (batch, height, width, channels)",
        "kernel <- op_ones(c(3, 3, 2, 1))  # (height, width, channels, multiplier)",
        "y <- op_depthwise_conv(x, kernel)",
        "op_shape(y)"),
    "op_separable_conv": _lines(
        "x <- op_ones(c(1, 5, 5, 2))",
        "depthwise <- op_ones(c(3, 3, 2, 1))",
        "pointwise <- op_ones(c(1, 1, 2, 4))",
        "y <- op_separable_conv(x, depthwise, pointwise)",
        "op_shape(y)"),
    "op_convert_to_numpy": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_convert_to_numpy(x)"),
    "op_convert_to_tensor": _lines(
        "x <- op_convert_to_tensor(matrix(1:4, 2), dtype = \"float32\")",
        "x",
        "op_is_tensor(x)"),
    "op_is_tensor": _lines(
        "op_is_tensor(op_array(1))",
        "op_is_tensor(1)"),
    "op_corrcoef": _lines(
        "x <- op_array(rbind(c(1, 2, 3, 4),",
        "                    c(2, 4, 6, 9)))",
        "op_corrcoef(x)"),
    "op_correlate": _lines(
        "op_correlate(op_array(c(1, 2, 3)), op_array(c(0, 1, 0.5)))",
        "op_correlate(op_array(c(1, 2, 3)), op_array(c(0, 1, 0.5)), mode = \"full\")"),
    "op_cross": _lines(
        "x1 <- op_array(c(1, 0, 0))",
        "x2 <- op_array(c(0, 1, 0))",
        "op_cross(x1, x2)"),
    "op_ctc_decode": _lines(
        "# (batch, time, classes) probabilities; the first class is the blank",
        "probs <- op_array(array(c(0.1, 0.1, 0.8, 0.1,",
        "                          0.8, 0.8, 0.1, 0.1,",
        "                          0.1, 0.1, 0.1, 0.8), c(1, 4, 3)))",
        "# the decoded class ids (padded with -1) and the log-probability",
        "op_ctc_decode(probs, sequence_lengths = 4L)"),
    "op_ctc_loss": _lines(
        "target <- op_array(matrix(c(2L, 3L), nrow = 1))",
        "output <- op_log_softmax(random_normal(c(1, 5, 4), seed = 1))",
        "op_ctc_loss(target, output, target_length = 2L, output_length = 5L)"),
    "op_custom_gradient": _lines(
        "# log(1 + exp(x)) with a numerically stable gradient",
        "log1pexp <- op_custom_gradient(function(x) {",
        "  e <- op_exp(x)",
        "  grad <- function(upstream) upstream * (1 - 1 / (1 + e))",
        "  list(op_log(1 + e), grad)",
        "})",
        "log1pexp(op_array(c(0, 1)))"),
    "op_depth_to_space": _lines(
        "x <- op_array(array(1:8, c(1, 1, 2, 4)))  # 4 channels",
        "y <- op_depth_to_space(x, block_size = 2)",
        "op_shape(y)"),
    "op_space_to_depth": _lines(
        "x <- op_array(array(1:16, c(1, 4, 4, 1)))",
        "y <- op_space_to_depth(x, block_size = 2)",
        "op_shape(y)"),
    "op_det": _lines(_MAT, "op_det(x)"),
    "op_logdet": _lines(_MAT, "op_logdet(x)"),
    "op_slogdet": _lines(_MAT, "op_slogdet(x)  # sign and log(abs(det))"),
    "op_inv": _lines(_MAT, "op_inv(x)", "op_matmul(x, op_inv(x))"),
    "op_pinv": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4), c(5, 6)))",
        "op_pinv(x)"),
    "op_eig": _lines(_MAT, "op_eig(x)  # eigenvalues and eigenvectors"),
    "op_eigh": _lines(_MAT, "op_eigh(x)  # for a symmetric matrix"),
    "op_lu_factor": _lines(_MAT, "op_lu_factor(x)  # LU matrix and 0-based pivots"),
    "op_qr": _lines(_MAT, "op_qr(x)"),
    "op_svd": _lines(_MAT, "op_svd(x)", "op_svd(x, compute_uv = FALSE)  # singular values"),
    "op_matrix_rank": _lines(
        "op_matrix_rank(op_array(rbind(c(1, 2), c(2, 4))))",
        "op_matrix_rank(op_eye(3))"),
    "op_solve": _lines(
        _MAT,
        "b <- op_array(c(1, 2))",
        "op_solve(x, b)"),
    "op_solve_triangular": _lines(
        "a <- op_array(rbind(c(2, 0), c(1, 4)))",
        "b <- op_array(c(2, 9))",
        "op_solve_triangular(a, b, lower = TRUE)"),
    "op_lstsq": _lines(
        "a <- op_array(rbind(c(1, 0), c(1, 1), c(1, 2)))",
        "b <- op_array(c(1, 2, 4))",
        "op_lstsq(a, b)  # intercept and slope of the least-squares line"),
    "op_diag": _lines(
        "op_diag(op_array(c(1, 2, 3)))",
        "op_diag(op_array(rbind(c(1, 2), c(3, 4))))"),
    "op_diagflat": _lines(
        "op_diagflat(op_array(rbind(c(1, 2), c(3, 4))))"),
    "op_diagonal": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6), c(7, 8, 9)))",
        "op_diagonal(x)",
        "op_diagonal(x, offset = 1L)"),
    "op_trace": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_trace(x)"),
    "op_diff": _lines(
        "x <- op_array(c(1, 4, 9, 16))",
        "op_diff(x)",
        "op_diff(x, n = 2)"),
    "op_digitize": _lines(
        "x <- op_array(c(0.5, 1.5, 2.5, 3.5))",
        "op_digitize(x, bins = c(1, 2, 3))  # 1-based bin numbers"),
    "op_nextafter": _lines(
        "# the step is taken in float64 and the result rounded to the inputs' float",
        "# dtype (float32 here), as in Keras, so a single step can round away",
        "op_nextafter(op_array(c(1, 2)), op_array(c(2, 1)))"),
    "op_heaviside": _lines(
        "x1 <- op_array(c(-1.5, 0, 2))",
        "op_heaviside(x1, 0.5)  # 0 below zero, 0.5 at zero, 1 above"),
    "op_divide_no_nan": _lines(
        "op_divide_no_nan(op_array(c(1, 2, 3)), op_array(c(2, 0, 3)))"),
    "op_dot": _lines(
        "op_dot(op_array(c(1, 2, 3)), op_array(c(4, 5, 6)))",
        "op_dot(op_array(rbind(c(1, 2), c(3, 4))), op_array(c(1, 1)))"),
    "op_vdot": _lines(
        "op_vdot(op_array(c(1, 2, 3)), op_array(c(4, 5, 6)))"),
    "op_inner": _lines(
        "op_inner(op_array(c(1, 2, 3)), op_array(c(4, 5, 6)))"),
    "op_outer": _lines(
        "op_outer(op_array(c(1, 2)), op_array(c(1, 10, 100)))"),
    "op_kron": _lines(
        "op_kron(op_eye(2), op_reshape(op_arange(4), c(2, 2)))"),
    "op_matmul": _lines(
        "x1 <- op_array(rbind(c(1, 2), c(3, 4)))",
        "x2 <- op_array(rbind(c(5, 6), c(7, 8)))",
        "op_matmul(x1, x2)"),
    "op_tensordot": _lines(
        "x1 <- op_ones(c(2, 3, 4))",
        "x2 <- op_ones(c(3, 4, 5))",
        "op_shape(op_tensordot(x1, x2, axes = 2L))  # contracts the last 2 axes of x1"),
    "op_einsum": _lines(
        "a <- op_array(rbind(c(1, 2), c(3, 4)))",
        "b <- op_array(rbind(c(5, 6), c(7, 8)))",
        "op_einsum(\"ij,jk->ik\", a, b)  # matrix product",
        "op_einsum(\"ii\", a)            # trace"),
    "op_dot_product_attention": _lines(
        "# (batch, sequence, heads, head_dim)",
        "q <- random_normal(c(1, 3, 2, 4), seed = 1)",
        "k <- random_normal(c(1, 5, 2, 4), seed = 2)",
        "v <- random_normal(c(1, 5, 2, 4), seed = 3)",
        "out <- op_dot_product_attention(q, k, v)",
        "op_shape(out)"),
    "op_dtype": _lines(
        "op_dtype(op_array(c(1, 2)))",
        "op_dtype(op_array(1:2))"),
    "op_shape": _lines(
        "x <- op_zeros(c(2, 3, 4))",
        "op_shape(x)"),
    "op_ndim": _lines(
        "op_ndim(op_zeros(c(2, 3, 4)))"),
    "op_size": _lines(
        "op_size(op_zeros(c(2, 3, 4)))"),
    "op_empty": _lines(
        "x <- op_empty(c(2, 3))  # values are not initialized",
        "op_shape(x)"),
    "op_empty_like": _lines(
        "x <- op_empty_like(op_ones(c(2, 3)))  # values are not initialized",
        "op_shape(x)"),
    "op_ones": _lines("op_ones(c(2, 3))", "op_ones(3, dtype = \"int32\")"),
    "op_zeros": _lines("op_zeros(c(2, 3))", "op_zeros(3, dtype = \"int32\")"),
    "op_full": _lines("op_full(c(2, 3), 7)"),
    "op_full_like": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_full_like(x, 0.5)"),
    "op_eye": _lines("op_eye(3)", "op_eye(2, 3, k = 1)"),
    "op_identity": _lines("op_identity(3)"),
    "op_tri": _lines("op_tri(3)", "op_tri(3, 4, k = 1)"),
    "op_tril": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6), c(7, 8, 9)))",
        "op_tril(x)",
        "op_tril(x, k = -1)"),
    "op_triu": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6), c(7, 8, 9)))",
        "op_triu(x)",
        "op_triu(x, k = 1)"),
    "op_expand_dims": _lines(
        "x <- op_array(c(1, 2, 3))",
        "op_shape(op_expand_dims(x, 1))",
        "op_shape(op_expand_dims(x, -1))"),
    "op_squeeze": _lines(
        "x <- op_zeros(c(1, 3, 1))",
        "op_shape(op_squeeze(x))",
        "op_shape(op_squeeze(x, axis = 1))"),
    "op_extract_sequences": _lines(
        "x <- op_arange(6)",
        "op_extract_sequences(x, sequence_length = 3, sequence_stride = 2)"),
    "op_fft": _lines(
        "real <- op_array(c(1, 0, -1, 0))",
        "imag <- op_zeros(4)",
        "op_fft(list(real, imag))  # real and imaginary parts"),
    "op_fft2": _lines(
        "real <- op_array(rbind(c(1, 2), c(3, 4)))",
        "imag <- op_zeros(c(2, 2))",
        "op_fft2(list(real, imag))"),
    "op_ifft2": _lines(
        "real <- op_array(rbind(c(10, -2), c(-4, 0)))",
        "imag <- op_zeros(c(2, 2))",
        "op_ifft2(list(real, imag))"),
    "op_rfft": _lines(
        "x <- op_array(c(1, 0, -1, 0))",
        "op_rfft(x)  # real and imaginary parts of the 3 non-negative frequencies"),
    "op_irfft": _lines(
        "x <- op_array(c(1, 0, -1, 0))",
        "op_irfft(op_rfft(x))  # x again"),
    "op_stft": _lines(
        "x <- op_sin(op_arange(0, 63) / 4)",
        "spec <- op_stft(x, sequence_length = 16, sequence_stride = 8, fft_length = 16)",
        "op_shape(spec[[1]])  # (frames, frequencies)"),
    "op_istft": _lines(
        "x <- op_sin(op_arange(0, 63) / 4)",
        "spec <- op_stft(x, sequence_length = 16, sequence_stride = 8, fft_length = 16)",
        "y <- op_istft(spec, sequence_length = 16, sequence_stride = 8, fft_length = 16)",
        "op_shape(y)"),
    "op_fliplr": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_fliplr(x)"),
    "op_flipud": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_flipud(x)"),
    "op_fold": _lines(
        "x <- op_ones(c(1, 4, 4))  # (batch, channels * 2 * 2, blocks)",
        "y <- op_fold(x, output_size = c(4, 4), kernel_size = 2, stride = 2)",
        "op_shape(y)"),
    "op_unfold": _lines(
        "x <- op_ones(c(1, 1, 4, 4))  # (batch, channels, height, width)",
        "y <- op_unfold(x, kernel_size = 2, stride = 2)",
        "op_shape(y)  # (batch, channels * 2 * 2, blocks)"),
    "op_fori_loop": _lines(
        "# the loop counter i is 0-based, as in keras3",
        "op_fori_loop(0, 5, function(i, total) total + i, op_array(0))"),
    "op_while_loop": _lines(
        "op_while_loop(",
        "  cond = function(x) x < 100,",
        "  body = function(x) x * 2,",
        "  loop_vars = op_array(1))"),
    "op_scan": _lines(
        "# running sum: the carry and the output at each step",
        "f <- function(carry, x) list(carry + x, carry + x)",
        "op_scan(f, init = op_array(0), xs = op_array(c(1, 2, 3, 4)))"),
    "op_map": _lines(
        "op_map(function(x) x^2, op_array(c(1, 2, 3)))"),
    "op_vectorized_map": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4), c(5, 6)))",
        "op_vectorized_map(function(row) op_sum(row), x)"),
    "op_vectorize": _lines(
        "# an R function of tensors, mapped over the leading axis",
        "vdot <- op_vectorize(function(a, b) op_sum(a * b), signature = \"(n),(n)->()\")",
        "vdot(op_array(rbind(c(1, 2), c(3, 4))), op_array(c(1, 1)))"),
    "op_jvp": _lines(
        "f <- function(x) x^2",
        "# value of f at 3 and its derivative times the tangent 1",
        "op_jvp(f, list(op_array(3)), list(op_array(1)))"),
    "op_switch": _lines(
        "branches <- list(function(x) x + 10, function(x) x * 10)",
        "op_switch(2, branches, op_array(3))  # the 2nd branch"),
    "op_geomspace": _lines("op_geomspace(1, 1000, num = 4)"),
    "op_linspace": _lines("op_linspace(0, 1, num = 5)"),
    "op_logspace": _lines("op_logspace(0, 3, num = 4)"),
    "op_get_item": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6)))",
        "op_get_item(x, 1L)  # Python key: the second row (0-based)"),
    "op_getitem": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6)))",
        "op_getitem(x, 0L)  # Python key: the first row (0-based)"),
    "op_histogram": _lines(
        "x <- op_array(c(1, 2, 2, 3, 3, 3, 4))",
        "op_histogram(x, bins = 3)  # counts and bin edges"),
    "op_in_top_k": _lines(
        "targets <- op_array(c(2L, 0L))  # class ids 0, 1, 2 as in Keras",
        "predictions <- op_array(rbind(c(0.1, 0.3, 0.6), c(0.2, 0.5, 0.3)))",
        "op_in_top_k(targets, predictions, k = 1)"),
    "op_isin": _lines(
        "op_isin(op_array(c(1, 2, 3, 4)), op_array(c(2, 4)))"),
    "op_kaiser": _lines("op_kaiser(5, beta = 8.6)"),
    "op_layer_normalization": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(2, 4, 6)))",
        "op_layer_normalization(x)"),
    "op_rms_normalization": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(2, 4, 6)))",
        "op_rms_normalization(x)"),
    "op_ldexp": _lines(
        "op_ldexp(op_array(c(1, 1.5, 3)), op_array(c(2L, 1L, -1L)))  # x1 * 2^x2"),
    "op_lstsq_": None,
    "op_meshgrid": _lines(
        "grids <- op_meshgrid(op_array(c(1, 2, 3)), op_array(c(10, 20)))",
        "grids[[1]]",
        "grids[[2]]"),
    "op_moments": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(5, 6, 7)))",
        "op_moments(x, axes = 1)  # mean and variance over the first axis"),
    "op_moveaxis": _lines(
        "x <- op_zeros(c(2, 3, 4))",
        "op_shape(op_moveaxis(x, 1, 3))"),
    "op_swapaxes": _lines(
        "x <- op_zeros(c(2, 3, 4))",
        "op_shape(op_swapaxes(x, 1, 3))"),
    "op_transpose": _lines(
        "x <- op_zeros(c(2, 3, 4))",
        "op_shape(op_transpose(x))",
        "op_shape(op_transpose(x, axes = c(2, 1, 3)))"),
    "op_one_hot": _lines(
        "op_one_hot(op_array(c(1L, 3L, 2L)), num_classes = 3)  # 1-based classes"),
    "op_multi_hot": _lines(
        "op_multi_hot(op_array(rbind(c(1L, 3L), c(2L, 2L))), num_classes = 3)  # 1-based"),
    "op_nan_to_num": _lines(
        "x <- op_array(c(1, NaN, Inf, -Inf))",
        "op_nan_to_num(x, nan = 0, posinf = 100, neginf = -100)"),
    "op_percentile": _lines(
        "x <- op_array(c(1, 2, 3, 4, 5))",
        "op_percentile(x, 50)",
        "op_percentile(x, c(25, 75))"),
    "op_nanpercentile": _lines(
        "x <- op_array(c(1, NaN, 3, 4, 5))",
        "op_nanpercentile(x, 50)"),
    "op_quantile": _lines(
        "x <- op_array(c(1, 2, 3, 4, 5))",
        "op_quantile(x, 0.5)",
        "op_quantile(x, c(0.25, 0.75))"),
    "op_nanquantile": _lines(
        "x <- op_array(c(1, NaN, 3, 4, 5))",
        "op_nanquantile(x, 0.5)"),
    "op_pad": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_pad(x, list(c(1, 1), c(0, 2)))",
        "op_pad(x, list(c(1, 1), c(1, 1)), mode = \"reflect\")"),
    "op_polar": _lines(
        "op_polar(op_array(c(1, 2)), op_array(c(0, pi / 2)))  # complex numbers"),
    "op_psnr": _lines(
        "x1 <- op_array(rbind(c(0, 0.5), c(1, 0.25)))",
        "x2 <- op_array(rbind(c(0, 0.4), c(1, 0.25)))",
        "op_psnr(x1, x2, max_val = 1)"),
    "op_ravel": _lines(
        "op_ravel(op_array(rbind(c(1, 2), c(3, 4))))  # row-major order"),
    "op_rearrange": _lines(
        "x <- op_zeros(c(2, 3, 4))",
        "op_shape(op_rearrange(x, \"b h w -> b w h\"))",
        "op_shape(op_rearrange(x, \"b h w -> b (h w)\"))"),
    "op_repeat": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_repeat(x, 2)",
        "op_repeat(x, 2, axis = 1)"),
    "op_reshape": _lines(
        "x <- op_arange(6)",
        "op_reshape(x, c(2, 3))",
        "op_reshape(x, c(3, -1))"),
    "op_roll": _lines(
        "x <- op_array(c(1, 2, 3, 4))",
        "op_roll(x, 1)"),
    "op_rot90": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4)))",
        "op_rot90(x)"),
    "op_round": _lines(
        "x <- op_array(c(1.234, -2.567, 0.5))",
        "op_round(x)",
        "op_round(x, decimals = 1)"),
    "op_scatter": _lines(
        "# 1-based indices into a zero tensor of the given shape",
        "indices <- op_array(rbind(c(1L, 1L), c(2L, 3L)))",
        "op_scatter(indices, op_array(c(5, 7)), shape = c(2, 3))"),
    "op_scatter_update": _lines(
        "x <- op_zeros(c(2, 3))",
        "indices <- op_array(rbind(c(1L, 1L), c(2L, 3L)))  # 1-based",
        "op_scatter_update(x, indices, op_array(c(5, 7)))"),
    "op_searchsorted": _lines(
        "sorted <- op_array(c(1, 3, 5, 7))",
        "op_searchsorted(sorted, op_array(c(0, 4, 8)))  # 1-based insertion points"),
    "op_segment_max": _lines(
        "data <- op_array(c(1, 5, 2, 8, 3))",
        "op_segment_max(data, op_array(c(1L, 1L, 2L, 2L, 3L)), num_segments = 3)"),
    "op_segment_min": _lines(
        "data <- op_array(c(1, 5, 2, 8, 3))",
        "op_segment_min(data, op_array(c(1L, 1L, 2L, 2L, 3L)), num_segments = 3)"),
    "op_segment_prod": _lines(
        "data <- op_array(c(1, 5, 2, 8, 3))",
        "op_segment_prod(data, op_array(c(1L, 1L, 2L, 2L, 3L)), num_segments = 3)"),
    "op_segment_sum": _lines(
        "data <- op_array(c(1, 5, 2, 8, 3))",
        "op_segment_sum(data, op_array(c(1L, 1L, 2L, 2L, 3L)), num_segments = 3)"),
    "op_select": _lines(
        "x <- op_array(c(-2, -1, 0, 1, 2))",
        "op_select(list(x < 0, x > 0), list(-x, x * 10), default = 99)"),
    "op_slice": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6)))",
        "op_slice(x, start_indices = c(1, 2), shape = c(2, 2))  # 1-based start"),
    "op_slice_update": _lines(
        "x <- op_zeros(c(3, 3))",
        "op_slice_update(x, start_indices = c(2, 2), updates = op_ones(c(2, 2)))"),
    "op_take": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(4, 5, 6)))",
        "op_take(x, c(1, 3), axis = 2)  # 1-based indices"),
    "op_take_along_axis": _lines(
        "x <- op_array(rbind(c(10, 30, 20), c(60, 40, 50)))",
        "idx <- op_argsort(x, axis = 2)",
        "op_take_along_axis(x, idx, axis = 2)  # sorted rows"),
    "op_threshold": _lines(
        "x <- op_array(c(-1, 0.2, 0.5, 2))",
        "op_threshold(x, threshold = 0.3, default_value = 0)"),
    "op_tile": _lines(
        "x <- op_array(c(1, 2))",
        "op_tile(x, 3)",
        "op_tile(x, c(2, 2))"),
    "op_top_k": _lines(
        "x <- op_array(c(5, 1, 4, 2, 3))",
        "op_top_k(x, k = 2)  # values and 1-based indices"),
    "op_trapezoid": _lines(
        "y <- op_array(c(1, 2, 3))",
        "op_trapezoid(y)",
        "op_trapezoid(y, dx = 0.5)"),
    "op_unstack": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4), c(5, 6)))",
        "op_unstack(x)",
        "op_unstack(x, axis = 2)"),
    "op_vander": _lines(
        "op_vander(op_array(c(1, 2, 3)))",
        "op_vander(op_array(c(1, 2, 3)), N = 2, increasing = TRUE)"),
    "op_view": _lines(
        "x <- op_array(c(1, 2), dtype = \"float32\")",
        "op_view(x, \"int32\")  # the same bits read as int32"),
    "op_view_as_complex": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, -1)))  # (real, imaginary) pairs",
        "op_view_as_complex(x)"),
    "op_view_as_real": _lines(
        "z <- op_view_as_complex(op_array(rbind(c(1, 2), c(3, -1))))",
        "op_view_as_real(z)"),
    "op_where": _lines(
        "x <- op_array(c(-1, 2, -3, 4))",
        "op_where(x > 0, x, 0)",
        "op_where(x > 0, x, -x)  # op_abs(x)"),
    "op_image_affine_transform": _lines(
        "images <- op_reshape(op_arange(16), c(1, 4, 4, 1))  # one 4 x 4 image",
        "# (a0, a1, a2, b0, b1, b2, c0, c1): output (x, y) samples the input at",
        "# (a0 x + a1 y + a2, b0 x + b1 y + b2); here a shift of one pixel to the left",
        "transform <- op_array(rbind(c(1, 0, 1, 0, 1, 0, 0, 0)))",
        "y <- op_image_affine_transform(images, transform, interpolation = \"nearest\")",
        "op_reshape(y, c(4, 4))"),
    "op_image_crop": _lines(
        "images <- op_ones(c(1, 6, 6, 3))",
        "y <- op_image_crop(images, top_cropping = 1, left_cropping = 1,",
        "                   target_height = 4, target_width = 3)",
        "op_shape(y)"),
    "op_image_pad": _lines(
        "images <- op_ones(c(1, 4, 4, 3))",
        "y <- op_image_pad(images, top_padding = 1, left_padding = 2,",
        "                  target_height = 6, target_width = 7)",
        "op_shape(y)"),
    "op_image_elastic_transform": _lines(
        "images <- random_uniform(c(1, 8, 8, 3), seed = 1)",
        "y <- op_image_elastic_transform(images, alpha = 2, sigma = 1, seed = 2)",
        "op_shape(y)"),
    "op_image_extract_patches": _lines(
        "images <- op_ones(c(1, 8, 8, 3))",
        "patches <- op_image_extract_patches(images, size = c(4, 4))",
        "op_shape(patches)  # 2 x 2 patches of 4 * 4 * 3 values"),
    "op_image_extract_patches_3d": _lines(
        "volumes <- op_ones(c(1, 4, 4, 4, 2))",
        "patches <- op_image_extract_patches_3d(volumes, size = c(2, 2, 2))",
        "op_shape(patches)"),
    "op_image_gaussian_blur": _lines(
        "images <- random_uniform(c(1, 8, 8, 3), seed = 1)",
        "y <- op_image_gaussian_blur(images, kernel_size = c(3, 3), sigma = c(1, 1))",
        "op_shape(y)"),
    "op_image_hsv_to_rgb": _lines(
        "# one image of 1 x 2 pixels: hue 0 and 0.5, full saturation and value",
        "hsv <- op_reshape(op_array(c(0, 1, 1, 0.5, 1, 1)), c(1, 1, 2, 3))",
        "op_image_hsv_to_rgb(hsv)"),
    "op_image_rgb_to_hsv": _lines(
        "# one image of 1 x 2 pixels: red and green",
        "rgb <- op_reshape(op_array(c(1, 0, 0, 0, 1, 0)), c(1, 1, 2, 3))",
        "op_image_rgb_to_hsv(rgb)"),
    "op_image_rgb_to_grayscale": _lines(
        "# one image of 1 x 2 pixels: red and green",
        "rgb <- op_reshape(op_array(c(1, 0, 0, 0, 1, 0)), c(1, 1, 2, 3))",
        "op_image_rgb_to_grayscale(rgb)"),
    "op_image_map_coordinates": _lines(
        "x <- op_array(rbind(c(0, 1, 2), c(3, 4, 5)))",
        "# sample x at (row, column) positions 0.5, 1 and 1, 1.5",
        "coordinates <- list(op_array(c(0.5, 1)), op_array(c(1, 1.5)))",
        "op_image_map_coordinates(x, coordinates, order = 1)"),
    "op_image_perspective_transform": _lines(
        "images <- random_uniform(c(1, 8, 8, 3), seed = 1)",
        "start <- op_array(array(c(0, 7, 0, 7, 0, 0, 7, 7), c(1, 4, 2)))",
        "end <- op_array(array(c(1, 6, 0, 7, 1, 0, 7, 6), c(1, 4, 2)))",
        "y <- op_image_perspective_transform(images, start, end)",
        "op_shape(y)"),
    "op_image_resize": _lines(
        "images <- op_ones(c(1, 4, 4, 3))",
        "op_shape(op_image_resize(images, size = c(8, 6)))"),
    "op_image_scale_and_translate": _lines(
        "images <- random_uniform(c(1, 4, 4, 3), seed = 1)",
        "y <- op_image_scale_and_translate(",
        "  images, output_shape = c(1, 8, 8, 3), scale = c(2, 2),",
        "  translation = c(0, 0), spatial_dims = c(2, 3), method = \"linear\")",
        "op_shape(y)"),
    "op_image_sobel_edges": _lines(
        "images <- random_uniform(c(1, 6, 6, 1), seed = 1)",
        "op_shape(op_image_sobel_edges(images))"),
    "op_image_ssim": _lines(
        "a <- random_uniform(c(1, 16, 16, 1), seed = 1)",
        "b <- op_clip(a + random_normal(c(1, 16, 16, 1), stddev = 0.05, seed = 2), 0, 1)",
        "op_image_ssim(a, a)  # identical images",
        "op_image_ssim(a, b)"),
}
del _OPS["op_lstsq_"]

# --------------------------------------------------------------------------
# layer_*: every example creates the layer and calls it on a small tensor
# --------------------------------------------------------------------------


def _layer(call, input_shape, show="op_shape(y)", data=None):
    """Example: `layer <- call; y <- layer(x); show` on a random input."""
    x = data or f"x <- random_normal(c({input_shape}), seed = 1)"
    return _lines(x, f"layer <- {call}", "y <- layer(x)", show)


_LAYERS = {
    "layer_activation": _layer(
        "layer_activation(activation = \"relu\")", None, "y",
        "x <- op_array(c(-1, 0, 2))"),
    "layer_activation_elu": _layer(
        "layer_activation_elu(alpha = 1)", None, "y", "x <- op_array(c(-1, 0, 2))"),
    "layer_activation_leaky_relu": _layer(
        "layer_activation_leaky_relu(negative_slope = 0.1)", None, "y",
        "x <- op_array(c(-1, 0, 2))"),
    "layer_leaky_relu": _layer(
        "layer_leaky_relu(negative_slope = 0.1)", None, "y", "x <- op_array(c(-1, 0, 2))"),
    "layer_activation_parametric_relu": _layer(
        "layer_activation_parametric_relu()", None, "y",
        "x <- op_array(rbind(c(-1, 0, 2)))"),
    "layer_activation_relu": _layer(
        "layer_activation_relu(max_value = 1)", None, "y", "x <- op_array(c(-1, 0.5, 2))"),
    "layer_activation_softmax": _layer(
        "layer_activation_softmax()", None, "y", "x <- op_array(rbind(c(1, 2, 3)))"),
    "layer_activity_regularization": _lines(
        "layer <- layer_activity_regularization(l1 = 0.01)",
        "y <- layer(op_array(rbind(c(1, -2, 3))))",
        "y  # the input, unchanged; the penalty is added to the layer's losses",
        "layer$losses"),
    "layer_identity": _layer("layer_identity()", None, "y", "x <- op_array(c(1, 2, 3))"),
    "layer_masking": _lines(
        "x <- op_array(array(c(1, 0, 3, 2, 0, 4), c(1, 3, 2)))  # step 2 is all zeros",
        "layer <- layer_masking(mask_value = 0)",
        "y <- layer(x)",
        "layer$compute_mask(x)"),
    "layer_adaptive_average_pooling_1d": _layer(
        "layer_adaptive_average_pooling_1d(output_size = 4)", "2, 10, 3"),
    "layer_adaptive_average_pooling_2d": _layer(
        "layer_adaptive_average_pooling_2d(output_size = c(2, 3))", "2, 8, 9, 3"),
    "layer_adaptive_average_pooling_3d": _layer(
        "layer_adaptive_average_pooling_3d(output_size = 2)", "1, 4, 4, 6, 2"),
    "layer_adaptive_max_pooling_1d": _layer(
        "layer_adaptive_max_pooling_1d(output_size = 4)", "2, 10, 3"),
    "layer_adaptive_max_pooling_2d": _layer(
        "layer_adaptive_max_pooling_2d(output_size = c(2, 3))", "2, 8, 9, 3"),
    "layer_adaptive_max_pooling_3d": _layer(
        "layer_adaptive_max_pooling_3d(output_size = 2)", "1, 4, 4, 6, 2"),
    "layer_average_pooling_1d": _layer("layer_average_pooling_1d(pool_size = 2)", "2, 8, 3"),
    "layer_average_pooling_2d": _layer(
        "layer_average_pooling_2d(pool_size = c(2, 2))", "2, 8, 8, 3"),
    "layer_average_pooling_3d": _layer(
        "layer_average_pooling_3d(pool_size = c(2, 2, 2))", "1, 4, 4, 4, 2"),
    "layer_max_pooling_1d": _layer("layer_max_pooling_1d(pool_size = 2)", "2, 8, 3"),
    "layer_max_pooling_2d": _layer(
        "layer_max_pooling_2d(pool_size = c(2, 2))", "2, 8, 8, 3"),
    "layer_max_pooling_3d": _layer(
        "layer_max_pooling_3d(pool_size = c(2, 2, 2))", "1, 4, 4, 4, 2"),
    "layer_global_average_pooling_1d": _layer(
        "layer_global_average_pooling_1d()", "2, 8, 3"),
    "layer_global_average_pooling_2d": _layer(
        "layer_global_average_pooling_2d()", "2, 8, 8, 3"),
    "layer_global_average_pooling_3d": _layer(
        "layer_global_average_pooling_3d(keepdims = TRUE)", "1, 4, 4, 4, 2"),
    "layer_global_max_pooling_1d": _layer("layer_global_max_pooling_1d()", "2, 8, 3"),
    "layer_global_max_pooling_2d": _layer("layer_global_max_pooling_2d()", "2, 8, 8, 3"),
    "layer_global_max_pooling_3d": _layer(
        "layer_global_max_pooling_3d(keepdims = TRUE)", "1, 4, 4, 4, 2"),
    "layer_batch_normalization": _lines(
        "x <- random_normal(c(8, 3), mean = 5, seed = 1)",
        "layer <- layer_batch_normalization()",
        "y <- layer(x, training = TRUE)  # normalized with the batch statistics",
        "op_mean(y, axis = 1)"),
    "layer_layer_normalization": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(2, 4, 9)))",
        "layer <- layer_layer_normalization()",
        "layer(x)"),
    "layer_group_normalization": _layer(
        "layer_group_normalization(groups = 2)", "2, 5, 4", "op_shape(y)"),
    "layer_rms_normalization": _lines(
        "x <- op_array(rbind(c(1, 2, 3), c(2, 4, 9)))",
        "layer <- layer_rms_normalization()",
        "layer(x)"),
    "layer_unit_normalization": _lines(
        "x <- op_array(rbind(c(3, 4), c(1, 0)))",
        "layer <- layer_unit_normalization()",
        "layer(x)  # rows of L2 norm 1"),
    "layer_spectral_normalization": _layer(
        "layer_spectral_normalization(layer = layer_dense(units = 2))", "4, 3"),
    "layer_conv_1d": _layer("layer_conv_1d(filters = 4, kernel_size = 3)", "2, 10, 3"),
    "layer_conv_2d": _layer(
        "layer_conv_2d(filters = 4, kernel_size = c(3, 3), activation = \"relu\")",
        "2, 8, 8, 3"),
    "layer_conv_3d": _layer(
        "layer_conv_3d(filters = 4, kernel_size = 3)", "1, 5, 5, 5, 2"),
    "layer_conv_1d_transpose": _layer(
        "layer_conv_1d_transpose(filters = 4, kernel_size = 3, strides = 2)", "2, 5, 3"),
    "layer_conv_2d_transpose": _layer(
        "layer_conv_2d_transpose(filters = 4, kernel_size = 3, strides = 2)", "2, 4, 4, 3"),
    "layer_conv_3d_transpose": _layer(
        "layer_conv_3d_transpose(filters = 2, kernel_size = 3, strides = 2)",
        "1, 3, 3, 3, 2"),
    "layer_depthwise_conv_1d": _layer(
        "layer_depthwise_conv_1d(kernel_size = 3, depth_multiplier = 2)", "2, 10, 3"),
    "layer_depthwise_conv_2d": _layer(
        "layer_depthwise_conv_2d(kernel_size = 3, depth_multiplier = 2)", "2, 8, 8, 3"),
    "layer_separable_conv_1d": _layer(
        "layer_separable_conv_1d(filters = 4, kernel_size = 3)", "2, 10, 3"),
    "layer_separable_conv_2d": _layer(
        "layer_separable_conv_2d(filters = 4, kernel_size = 3)", "2, 8, 8, 3"),
    "layer_conv_lstm_1d": _layer(
        "layer_conv_lstm_1d(filters = 4, kernel_size = 3)",
        "1, 3, 8, 2", "op_shape(y)  # (batch, positions, filters) after the last step"),
    "layer_conv_lstm_2d": _layer(
        "layer_conv_lstm_2d(filters = 2, kernel_size = 3, return_sequences = TRUE)",
        "1, 3, 6, 6, 2"),
    "layer_conv_lstm_3d": _layer(
        "layer_conv_lstm_3d(filters = 2, kernel_size = 3, padding = \"same\")",
        "1, 2, 4, 4, 4, 1"),
    "layer_cropping_1d": _layer("layer_cropping_1d(cropping = c(1, 2))", "2, 10, 3"),
    "layer_cropping_2d": _layer(
        "layer_cropping_2d(cropping = list(c(1, 1), c(2, 2)))", "2, 8, 8, 3"),
    "layer_cropping_3d": _layer(
        "layer_cropping_3d(cropping = list(c(1, 1), c(1, 1), c(0, 0)))", "1, 4, 4, 4, 2"),
    "layer_zero_padding_1d": _layer("layer_zero_padding_1d(padding = 2)", "2, 5, 3"),
    "layer_zero_padding_2d": _layer(
        "layer_zero_padding_2d(padding = c(1, 2))", "2, 4, 4, 3"),
    "layer_zero_padding_3d": _layer("layer_zero_padding_3d(padding = 1)", "1, 2, 2, 2, 3"),
    "layer_upsampling_1d": _layer("layer_upsampling_1d(size = 2)", "2, 5, 3"),
    "layer_rescaling": _layer(
        "layer_rescaling(scale = 1 / 255, offset = -0.5)", None, "y",
        "x <- op_array(c(0, 51, 255))"),
    "layer_resizing": _layer(
        "layer_resizing(height = 4, width = 6, interpolation = \"bilinear\")", "2, 8, 8, 3"),
    "layer_center_crop": _layer("layer_center_crop(height = 4, width = 4)", "2, 8, 10, 3"),
    "layer_upsampling_2d": _layer(
        "layer_upsampling_2d(size = c(2, 2), interpolation = \"bilinear\")", "2, 4, 4, 3"),
    "layer_upsampling_3d": _layer("layer_upsampling_3d(size = 2)", "1, 2, 2, 2, 3"),
    "layer_dense": _lines(
        "layer <- layer_dense(units = 2, activation = \"relu\")",
        "y <- layer(op_ones(c(3, 4)))",
        "op_shape(y)",
        "# in a model",
        "model <- keras_model_sequential(input_shape = 4) |>",
        "  layer_dense(units = 8, activation = \"relu\") |>",
        "  layer_dense(units = 1)",
        "model"),
    "layer_embedding": _lines(
        "x <- op_array(rbind(c(1L, 4L, 2L), c(0L, 3L, 3L)))  # token ids 0..9",
        "layer <- layer_embedding(input_dim = 10, output_dim = 4)",
        "y <- layer(x)",
        "op_shape(y)"),
    "layer_reversible_embedding": _lines(
        "x <- op_array(rbind(c(1L, 4L, 2L)))  # token ids 0..9",
        "layer <- layer_reversible_embedding(input_dim = 10, output_dim = 4)",
        "y <- layer(x)",
        "op_shape(y)",
        "logits <- layer(y, reverse = TRUE)  # back to the vocabulary",
        "op_shape(logits)"),
    "layer_flatten": _layer("layer_flatten()", "2, 3, 4"),
    "layer_permute": _layer("layer_permute(dims = c(2, 1))", "2, 3, 4"),
    "layer_repeat_vector": _layer("layer_repeat_vector(n = 3)", "2, 4"),
    "layer_reshape": _layer("layer_reshape(target_shape = c(3, 4))", "2, 12"),
    "layer_dropout": _lines(
        "x <- op_ones(c(2, 5))",
        "layer <- layer_dropout(rate = 0.5, seed = 1)",
        "layer(x, training = TRUE)  # zeros some values, scales the rest by 2",
        "layer(x)                   # identity outside training"),
    "layer_alpha_dropout": _lines(
        "x <- op_ones(c(2, 5))",
        "layer <- layer_alpha_dropout(rate = 0.5, seed = 1)",
        "layer(x, training = TRUE)",
        "layer(x)"),
    "layer_gaussian_dropout": _lines(
        "x <- op_ones(c(2, 5))",
        "layer <- layer_gaussian_dropout(rate = 0.2, seed = 1)",
        "layer(x, training = TRUE)",
        "layer(x)"),
    "layer_gaussian_noise": _lines(
        "x <- op_ones(c(2, 5))",
        "layer <- layer_gaussian_noise(stddev = 0.1, seed = 1)",
        "layer(x, training = TRUE)",
        "layer(x)"),
    "layer_spatial_dropout_1d": _lines(
        "x <- op_ones(c(1, 4, 3))",
        "layer <- layer_spatial_dropout_1d(rate = 0.5, seed = 1)",
        "layer(x, training = TRUE)  # whole channels are dropped"),
    "layer_spatial_dropout_2d": _lines(
        "x <- op_ones(c(1, 2, 2, 3))",
        "layer <- layer_spatial_dropout_2d(rate = 0.5, seed = 1)",
        "y <- layer(x, training = TRUE)  # whole channels are dropped",
        "op_shape(y)"),
    "layer_spatial_dropout_3d": _lines(
        "x <- op_ones(c(1, 2, 2, 2, 3))",
        "layer <- layer_spatial_dropout_3d(rate = 0.5, seed = 1)",
        "y <- layer(x, training = TRUE)  # whole channels are dropped",
        "op_shape(y)"),
    "layer_gru": _layer("layer_gru(units = 4)", "2, 5, 3"),
    "layer_lstm": _lines(
        "x <- random_normal(c(2, 5, 3), seed = 1)  # (batch, steps, features)",
        "layer <- layer_lstm(units = 4)",
        "op_shape(layer(x))",
        "layer <- layer_lstm(units = 4, return_sequences = TRUE)",
        "op_shape(layer(x))"),
    "layer_simple_rnn": _layer("layer_simple_rnn(units = 4)", "2, 5, 3"),
    "layer_rnn": _layer(
        "layer_rnn(cell = rnn_cell_lstm(units = 4), return_sequences = TRUE)", "2, 5, 3"),
    "layer_bidirectional": _layer(
        "layer_bidirectional(layer = layer_lstm(units = 4))", "2, 5, 3",
        "op_shape(y)  # forward and backward outputs concatenated"),
    "bidirectional": _layer(
        "bidirectional(layer = layer_gru(units = 4), merge_mode = \"sum\")", "2, 5, 3"),
    "layer_time_distributed": _layer(
        "layer_time_distributed(layer = layer_dense(units = 2))", "2, 5, 3",
        "op_shape(y)  # the dense layer applied at each of the 5 steps"),
    "time_distributed": _layer(
        "time_distributed(layer = layer_dense(units = 2))", "2, 5, 3"),
    "layer_lambda": _lines(
        "x <- op_array(c(1, 2, 3))",
        "x |> layer_lambda(function(x) x^2 + 1)",
        "# in a functional model",
        "input <- keras_input(shape = 3)",
        "output <- input |> layer_lambda(function(x) op_sum(x, axis = 2, keepdims = TRUE))",
        "model <- keras_model(input, output)",
        "model(op_array(rbind(c(1, 2, 3))))"),
    "layer_torch_module_wrapper": _lines(
        "torch <- reticulate::import(\"torch\")",
        "layer <- layer_torch_module_wrapper(module = torch$nn$Linear(3L, 2L))",
        "y <- layer(op_ones(c(4, 3)))",
        "op_shape(y)"),
    "layer_add": _lines(
        "a <- op_array(rbind(c(1, 2)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_add(list(a, b))",
        "# in a functional model",
        "x1 <- keras_input(shape = 4)",
        "x2 <- keras_input(shape = 4)",
        "out <- layer_add(list(layer_dense(x1, 2), layer_dense(x2, 2)))",
        "model <- keras_model(list(x1, x2), out)"),
    "layer_subtract": _lines(
        "a <- op_array(rbind(c(1, 2)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_subtract(list(a, b))"),
    "layer_multiply": _lines(
        "a <- op_array(rbind(c(1, 2)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_multiply(list(a, b))"),
    "layer_average": _lines(
        "a <- op_array(rbind(c(1, 2)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_average(list(a, b))"),
    "layer_maximum": _lines(
        "a <- op_array(rbind(c(1, 30)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_maximum(list(a, b))"),
    "layer_minimum": _lines(
        "a <- op_array(rbind(c(1, 30)))",
        "b <- op_array(rbind(c(10, 20)))",
        "layer_minimum(list(a, b))"),
    "layer_concatenate": _lines(
        "a <- op_array(rbind(c(1, 2)))",
        "b <- op_array(rbind(c(10, 20, 30)))",
        "layer_concatenate(list(a, b))",
        "layer_concatenate(list(a, a), axis = 1)  # along the first (batch) axis"),
    "layer_dot": _lines(
        "a <- op_array(rbind(c(1, 2), c(3, 4)))",
        "b <- op_array(rbind(c(5, 6), c(7, 8)))",
        "layer_dot(list(a, b), axes = 2)  # row-wise dot products"),
    "layer_attention": _lines(
        "query <- random_normal(c(2, 3, 4), seed = 1)  # (batch, steps, features)",
        "value <- random_normal(c(2, 5, 4), seed = 2)",
        "y <- layer_attention(list(query, value))",
        "op_shape(y)"),
    "layer_additive_attention": _lines(
        "query <- random_normal(c(2, 3, 4), seed = 1)  # (batch, steps, features)",
        "value <- random_normal(c(2, 5, 4), seed = 2)",
        "y <- layer_additive_attention(list(query, value))",
        "op_shape(y)"),
    "layer_multi_head_attention": _lines(
        "query <- random_normal(c(2, 3, 8), seed = 1)  # (batch, steps, features)",
        "value <- random_normal(c(2, 5, 8), seed = 2)",
        "layer <- layer_multi_head_attention(num_heads = 2, key_dim = 4)",
        "y <- layer(query, value)",
        "op_shape(y)",
        "# or in one call",
        "y <- layer_multi_head_attention(list(query, value), num_heads = 2, key_dim = 4)"),
    "layer_group_query_attention": _lines(
        "query <- random_normal(c(2, 3, 8), seed = 1)  # (batch, steps, features)",
        "value <- random_normal(c(2, 5, 8), seed = 2)",
        "layer <- layer_group_query_attention(head_dim = 4, num_query_heads = 4,",
        "                                     num_key_value_heads = 2)",
        "y <- layer(query, value)",
        "op_shape(y)"),
}
_LAYERS["layer_einsum_dense"] = _lines(  # noqa: E305
    "x <- random_normal(c(2, 5, 3), seed = 1)",
    "layer <- layer_einsum_dense(equation = \"abc,cd->abd\", output_shape = c(NA, 6),",
    "                            bias_axes = \"d\")",
    "y <- layer(x)",
    "op_shape(y)")

# --------------------------------------------------------------------------
# activation_*
# --------------------------------------------------------------------------

_ACTIVATION_TEMPLATE = _lines(
    "x <- op_array(c(-2, -0.5, 0, 0.5, 2))",
    "{r}(x)",
    "# as a layer's activation",
    "layer <- layer_dense(units = 3, activation = {r})",
    "op_shape(layer(op_ones(c(2, 4))))")

# Activations over the last axis: shown on a matrix.
_ACTIVATION_LAST_AXIS_TEMPLATE = _lines(
    "x <- op_array(rbind(c(1, 2, 3, 4),",
    "                    c(0, -1, 2, 1)))",
    "{r}(x)",
    "# as a layer's activation",
    "layer <- layer_dense(units = 4, activation = {r})",
    "op_shape(layer(op_ones(c(2, 4))))")
_ACTIVATION_LAST_AXIS = {"activation_softmax", "activation_log_softmax",
                         "activation_sparsemax", "activation_glu"}

_ACTIVATIONS = {
    "activation_threshold": _lines(
        "x <- op_array(c(-2, -0.5, 0, 0.5, 2))",
        "activation_threshold(x, threshold = 0.4, default_value = 0)"),
    "activation_relu": _lines(
        "x <- op_array(c(-2, -0.5, 0, 0.5, 2))",
        "activation_relu(x)",
        "activation_relu(x, negative_slope = 0.1, max_value = 1)",
        "# as a layer's activation",
        "layer <- layer_dense(units = 3, activation = activation_relu)",
        "op_shape(layer(op_ones(c(2, 4))))"),
}

# --------------------------------------------------------------------------
# loss_*: the per-sample values, then the loss object (reduced to one number)
# --------------------------------------------------------------------------

_Y_BINARY = ("y_true <- op_array(rbind(c(0, 1), c(0, 0)))",
             "y_pred <- op_array(rbind(c(0.6, 0.4), c(0.4, 0.6)))")
_Y_REGRESSION = ("y_true <- op_array(rbind(c(0, 1), c(0, 0)))",
                 "y_pred <- op_array(rbind(c(1, 1), c(1, 0)))")
_Y_POSITIVE = ("y_true <- op_array(rbind(c(1, 2), c(3, 4)))",
               "y_pred <- op_array(rbind(c(1.5, 2), c(2, 4)))")
_Y_CATEGORICAL = ("y_true <- op_array(rbind(c(0, 1, 0), c(0, 0, 1)))",
                  "y_pred <- op_array(rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1)))")
_Y_SPARSE = ("y_true <- op_array(c(1L, 2L))  # class ids 0, 1, 2 as in Keras",
             "y_pred <- op_array(rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1)))")
_Y_PROBS = ("y_true <- op_array(rbind(c(0.2, 0.8), c(0.5, 0.5)))",
            "y_pred <- op_array(rbind(c(0.4, 0.6), c(0.3, 0.7)))")
_Y_SEGMENTATION = ("y_true <- op_array(rbind(c(1, 1, 0, 0), c(0, 1, 1, 0)))",
                   "y_pred <- op_array(rbind(c(0.9, 0.6, 0.2, 0.1), c(0.1, 0.7, 0.4, 0.2)))")

_LOSS_DATA = {
    "binary_crossentropy": _Y_BINARY,
    "binary_focal_crossentropy": _Y_BINARY,
    "hinge": _Y_BINARY,
    "squared_hinge": _Y_BINARY,
    "categorical_crossentropy": _Y_CATEGORICAL,
    "categorical_focal_crossentropy": _Y_CATEGORICAL,
    "categorical_hinge": _Y_CATEGORICAL,
    "sparse_categorical_crossentropy": _Y_SPARSE,
    "mean_squared_error": _Y_REGRESSION,
    "mean_absolute_error": _Y_REGRESSION,
    "mean_squared_logarithmic_error": _Y_REGRESSION,
    "huber": _Y_REGRESSION,
    "log_cosh": _Y_REGRESSION,
    "cosine_similarity": _Y_REGRESSION,
    "mean_absolute_percentage_error": _Y_POSITIVE,
    "poisson": _Y_POSITIVE,
    "kl_divergence": _Y_PROBS,
}

# Losses whose example names their own arguments.
_LOSSES = {
    "loss_categorical_generalized_cross_entropy": _lines(
        "y_true <- op_array(c(1L, 2L))  # class ids 0, 1, 2 as in Keras",
        "y_pred <- op_array(rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1)))",
        "loss_categorical_generalized_cross_entropy(y_true, y_pred, q = 0.5)",
        "loss <- loss_categorical_generalized_cross_entropy(q = 0.5)",
        "loss(y_true, y_pred)"),
    "loss_circle": _lines(
        "y_true <- op_array(c(1, 1, 2, 2))                 # labels",
        "y_pred <- op_normalize(random_normal(c(4, 3), seed = 1))  # embeddings",
        "loss_circle(y_true, y_pred)",
        "loss <- loss_circle(gamma = 80, margin = 0.4)",
        "loss(y_true, y_pred)"),
    "loss_ctc": _lines(
        "# labels (batch, max_label_length); class 0 is the blank",
        "y_true <- op_array(rbind(c(1L, 2L), c(2L, 2L)))",
        "# predictions (batch, steps, classes)",
        "y_pred <- op_softmax(random_normal(c(2, 6, 3), seed = 1))",
        "loss_ctc(y_true, y_pred)",
        "loss <- loss_ctc()",
        "loss(y_true, y_pred)"),
    "loss_dice": _lines(
        *_Y_SEGMENTATION,
        "loss_dice(y_true, y_pred)            # over all values (axis = NULL)",
        "loss_dice(y_true, y_pred, axis = 2)  # one value per sample",
        "loss <- loss_dice()",
        "loss(y_true, y_pred)"),
    "loss_tversky": _lines(
        *_Y_SEGMENTATION,
        "# alpha weighs the false positives, beta the false negatives",
        "loss_tversky(y_true, y_pred, alpha = 0.3, beta = 0.7)",
        "loss_tversky(y_true, y_pred, alpha = 0.3, beta = 0.7, axis = 2)  # per sample",
        "loss <- loss_tversky(alpha = 0.3, beta = 0.7)",
        "loss(y_true, y_pred)"),
    "loss_huber": _lines(
        "loss_huber(c(0, 1), c(0.2, 0.8))",
        *_Y_REGRESSION,
        "loss_huber(y_true, y_pred, delta = 0.5)",
        "loss <- loss_huber(delta = 0.5)",
        "loss(y_true, y_pred)",
        "# in compile()",
        "model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)",
        "model |> compile(optimizer = \"adam\", loss = loss_huber())"),
}


def _loss_example(r_name):
    data = _LOSS_DATA.get(r_name[len("loss_"):])
    if data is None:
        return None
    return _lines(*data, f"{r_name}(y_true, y_pred)  # one value per sample",
                  f"loss <- {r_name}()", "loss(y_true, y_pred)  # the mean over the batch")


# --------------------------------------------------------------------------
# metric_*: update_state() / result(), and the function form where there is one
# --------------------------------------------------------------------------

_METRIC_DATA = {
    "accuracy": ("y_true <- op_array(c(1, 2, 3, 4))",
                 "y_pred <- op_array(c(0, 2, 3, 4))"),
    "binary_accuracy": ("y_true <- op_array(rbind(c(1), c(1), c(0), c(0)))",
                        "y_pred <- op_array(rbind(c(0.98), c(1), c(0), c(0.6)))"),
    "categorical_accuracy": ("y_true <- op_array(rbind(c(0, 0, 1), c(0, 1, 0)))",
                             "y_pred <- op_array(rbind(c(0.1, 0.9, 0.8), c(0.05, 0.95, 0)))"),
    "sparse_categorical_accuracy": (
        "y_true <- op_array(c(2L, 1L))  # class ids 0, 1, 2 as in Keras",
        "y_pred <- op_array(rbind(c(0.1, 0.6, 0.3), c(0.05, 0.95, 0)))"),
    "top_k_categorical_accuracy": ("y_true <- op_array(rbind(c(0, 0, 1), c(0, 1, 0)))",
                                   "y_pred <- op_array(rbind(c(0.1, 0.9, 0.8), "
                                   "c(0.05, 0.95, 0)))"),
    "sparse_top_k_categorical_accuracy": (
        "y_true <- op_array(c(2L, 1L))  # class ids 0, 1, 2 as in Keras",
        "y_pred <- op_array(rbind(c(0.1, 0.9, 0.8), c(0.05, 0.95, 0)))"),
    "binary_crossentropy": _Y_BINARY,
    "binary_focal_crossentropy": _Y_BINARY,
    "hinge": _Y_BINARY,
    "squared_hinge": _Y_BINARY,
    "categorical_crossentropy": _Y_CATEGORICAL,
    "categorical_focal_crossentropy": _Y_CATEGORICAL,
    "categorical_hinge": _Y_CATEGORICAL,
    "sparse_categorical_crossentropy": _Y_SPARSE,
    "kl_divergence": _Y_PROBS,
    "mean_squared_error": _Y_REGRESSION,
    "mean_absolute_error": _Y_REGRESSION,
    "mean_squared_logarithmic_error": _Y_REGRESSION,
    "root_mean_squared_error": _Y_REGRESSION,
    "log_cosh_error": _Y_REGRESSION,
    "huber": _Y_REGRESSION,
    "log_cosh": _Y_REGRESSION,
    "cosine_similarity": _Y_REGRESSION,
    "mean_absolute_percentage_error": _Y_POSITIVE,
    "poisson": _Y_POSITIVE,
    "concordance_correlation": ("y_true <- op_array(rbind(c(0, 1, 0.5), c(1, 1, 0.2)))",
                                "y_pred <- op_array(rbind(c(0.1, 0.9, 0.5), c(1, 0.9, 0.2)))"),
    "pearson_correlation": ("y_true <- op_array(rbind(c(0, 1, 0.5), c(1, 1, 0.2)))",
                            "y_pred <- op_array(rbind(c(0.1, 0.9, 0.5), c(1, 0.9, 0.2)))"),
    "r2_score": ("y_true <- op_array(rbind(c(1), c(4), c(3)))",
                 "y_pred <- op_array(rbind(c(2), c(4), c(4)))"),
    "auc": ("y_true <- op_array(c(0, 0, 1, 1))",
            "y_pred <- op_array(c(0, 0.5, 0.3, 0.9))"),
    "precision": ("y_true <- op_array(c(0, 1, 1, 1))",
                  "y_pred <- op_array(c(1, 0, 1, 1))"),
    "recall": ("y_true <- op_array(c(0, 1, 1, 1))",
               "y_pred <- op_array(c(1, 0, 1, 1))"),
    "true_positives": ("y_true <- op_array(c(0, 1, 1, 1))",
                       "y_pred <- op_array(c(1, 0, 1, 1))"),
    "true_negatives": ("y_true <- op_array(c(0, 1, 0, 0))",
                       "y_pred <- op_array(c(1, 1, 0, 0))"),
    "false_positives": ("y_true <- op_array(c(0, 1, 0, 0))",
                        "y_pred <- op_array(c(0, 0, 1, 1))"),
    "false_negatives": ("y_true <- op_array(c(0, 1, 1, 1))",
                        "y_pred <- op_array(c(0, 1, 0, 0))"),
    "precision_at_recall": ("y_true <- op_array(c(0, 0, 0, 1, 1))",
                            "y_pred <- op_array(c(0, 0.3, 0.8, 0.3, 0.8))"),
    "recall_at_precision": ("y_true <- op_array(c(0, 0, 1, 1))",
                            "y_pred <- op_array(c(0, 0.5, 0.3, 0.9))"),
    "sensitivity_at_specificity": ("y_true <- op_array(c(0, 0, 0, 1, 1))",
                                   "y_pred <- op_array(c(0, 0.3, 0.8, 0.3, 0.8))"),
    "specificity_at_sensitivity": ("y_true <- op_array(c(0, 0, 0, 1, 1))",
                                   "y_pred <- op_array(c(0, 0.3, 0.8, 0.3, 0.8))"),
    "binary_iou": ("y_true <- op_array(c(0, 1, 0, 1))",
                   "y_pred <- op_array(c(0.1, 0.9, 0.6, 0.3))"),
    "iou": ("y_true <- op_array(c(0L, 0L, 1L, 1L))  # class ids 0, 1",
            "y_pred <- op_array(c(0L, 1L, 0L, 1L))"),
    "mean_iou": ("y_true <- op_array(c(0L, 0L, 1L, 1L))  # class ids 0, 1",
                 "y_pred <- op_array(c(0L, 1L, 0L, 1L))"),
    "one_hot_iou": ("y_true <- op_array(rbind(c(0, 0, 1), c(1, 0, 0), c(0, 1, 0)))",
                    "y_pred <- op_array(rbind(c(0.2, 0.3, 0.5), c(0.1, 0.2, 0.7), "
                    "c(0.5, 0.3, 0.1)))"),
    "one_hot_mean_iou": ("y_true <- op_array(rbind(c(0, 0, 1), c(1, 0, 0), c(0, 1, 0)))",
                         "y_pred <- op_array(rbind(c(0.2, 0.3, 0.5), c(0.1, 0.2, 0.7), "
                         "c(0.5, 0.3, 0.1)))"),
    "f1_score": ("y_true <- op_array(rbind(c(0, 1, 1), c(1, 0, 0), c(1, 1, 0)))",
                 "y_pred <- op_array(rbind(c(0.2, 0.6, 0.7), c(0.2, 0.6, 0.6), "
                 "c(0.6, 0.8, 0)))"),
    "fbeta_score": ("y_true <- op_array(rbind(c(0, 1, 1), c(1, 0, 0), c(1, 1, 0)))",
                    "y_pred <- op_array(rbind(c(0.2, 0.6, 0.7), c(0.2, 0.6, 0.6), "
                    "c(0.6, 0.8, 0)))"),
}

# Constructor arguments a metric object needs in its example.
_METRIC_ARGS = {
    "iou": "num_classes = 2, target_class_ids = 0",
    "mean_iou": "num_classes = 2",
    "one_hot_iou": "num_classes = 3, target_class_ids = c(0, 2)",
    "one_hot_mean_iou": "num_classes = 3",
    "precision_at_recall": "recall = 0.5",
    "recall_at_precision": "precision = 0.8",
    "sensitivity_at_specificity": "specificity = 0.5",
    "specificity_at_sensitivity": "sensitivity = 0.5",
    "fbeta_score": "beta = 2, threshold = 0.5",
    "f1_score": "threshold = 0.5",
}

# Metrics that are only a function (no object form).
_METRIC_FUNCTION_ONLY = {"metric_huber", "metric_log_cosh",
                         "metric_binary_focal_crossentropy",
                         "metric_categorical_focal_crossentropy"}

_METRICS = {
    "metric_mean": _lines(
        "m <- metric_mean()",
        "m$update_state(c(1, 3, 5, 7))",
        "m$result()",
        "m$update_state(c(1, 1), sample_weight = c(1, 0))",
        "m$result()"),
    "metric_sum": _lines(
        "m <- metric_sum()",
        "m$update_state(c(1, 3, 5, 7))",
        "m$result()"),
    "metric_mean_wrapper": _lines(
        "m <- metric_mean_wrapper(fn = function(y_true, y_pred) op_abs(y_true - y_pred))",
        "m$update_state(op_array(c(1, 2, 3)), op_array(c(1, 3, 5)))",
        "m$result()"),
}


def _metric_example(r_name, has_function_form):
    key = r_name[len("metric_"):]
    data = _METRIC_DATA.get(key)
    if data is None:
        return None
    if r_name in _METRIC_FUNCTION_ONLY:
        return _lines(*data, f"{r_name}(y_true, y_pred)  # one value per sample")
    lines = list(data)
    if has_function_form:
        lines.append(f"{r_name}(y_true, y_pred)  # one value per sample")
    lines += [f"m <- {r_name}({_METRIC_ARGS.get(key, '')})",
              "m$update_state(y_true, y_pred)",
              "m$result()"]
    if r_name in _METRIC_COMPILE:
        activation, loss = _METRIC_COMPILE[r_name]
        lines += ["# in compile()",
                  "model <- keras_model_sequential(input_shape = 2) |>",
                  f"  layer_dense(1{activation})",
                  f"model |> compile(optimizer = \"adam\", loss = \"{loss}\",",
                  f"                  metrics = list({r_name}({_METRIC_ARGS.get(key, '')})))"]
    return _lines(*lines)


# Metrics whose example also shows them in compile(): (activation, loss).
_BINARY_COMPILE = (", activation = \"sigmoid\"", "binary_crossentropy")
_METRIC_COMPILE = {
    **{"metric_" + k: _BINARY_COMPILE for k in (
        "auc", "precision", "recall", "true_positives", "true_negatives", "false_positives",
        "false_negatives", "precision_at_recall", "recall_at_precision",
        "sensitivity_at_specificity", "specificity_at_sensitivity", "binary_iou",
        "binary_accuracy")},
    **{"metric_" + k: ("", "mse") for k in (
        "root_mean_squared_error", "r2_score", "log_cosh_error", "mean_absolute_error")},
}


# --------------------------------------------------------------------------
# optimizer_*, learning_rate_schedule_*
# --------------------------------------------------------------------------

_FIT_TINY = (
    "model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)",
    "model |> compile(optimizer = opt, loss = \"mse\")",
    "x <- matrix(runif(24), nrow = 8)",
    "y <- x %*% c(1, 2, 3)",
    "history <- model |> fit(x, y, epochs = 2, verbose = 0)",
    "history$metrics$loss")

_OPTIMIZER_ARGS = {
    "optimizer_adam": "learning_rate = 1e-3",
    "optimizer_adam_w": "learning_rate = 1e-3, weight_decay = 0.004",
    "optimizer_sgd": "learning_rate = 0.01, momentum = 0.9",
    "optimizer_rmsprop": "learning_rate = 1e-3",
    "optimizer_adagrad": "learning_rate = 0.01",
    "optimizer_adadelta": "learning_rate = 1",
    "optimizer_adamax": "learning_rate = 2e-3",
    "optimizer_adafactor": "learning_rate = 1e-3",
    "optimizer_ftrl": "learning_rate = 0.01",
    "optimizer_lamb": "learning_rate = 1e-3",
    "optimizer_lion": "learning_rate = 1e-4",
    "optimizer_nadam": "learning_rate = 2e-3",
    "optimizer_muon": "learning_rate = 1e-3",
    "optimizer_schedule_free_adam_w": "learning_rate = 2.5e-3",
}

_OPTIMIZERS = {
    "optimizer_loss_scale": _lines(
        "opt <- optimizer_loss_scale(inner_optimizer = optimizer_sgd(learning_rate = 0.01))",
        *_FIT_TINY),
    "optimizer_multi_optimizer": _lines(
        "model <- keras_model_sequential(input_shape = 3) |>",
        "  layer_dense(4, name = \"hidden\") |>",
        "  layer_dense(1, name = \"head\")",
        "# a function choosing each variable's optimizer by its path",
        "adam <- optimizer_adam(learning_rate = 1e-3)",
        "sgd <- optimizer_sgd(learning_rate = 0.01)",
        "opt <- optimizer_multi_optimizer(optimizer_map = function(variable) {",
        "  if (startsWith(variable$path, \"hidden/\")) adam else sgd",
        "})",
        "model |> compile(optimizer = opt, loss = \"mse\")",
        "x <- matrix(runif(24), nrow = 8)",
        "model |> fit(x, x %*% c(1, 2, 3), epochs = 1, verbose = 0)"),
}


def _optimizer_example(r_name):
    if r_name not in _OPTIMIZER_ARGS:
        return None
    return _lines(f"opt <- {r_name}({_OPTIMIZER_ARGS[r_name]})", *_FIT_TINY)


_SCHEDULES = {
    "learning_rate_schedule_exponential_decay": _lines(
        "schedule <- learning_rate_schedule_exponential_decay(",
        "  initial_learning_rate = 0.1, decay_steps = 10, decay_rate = 0.5)",
        "schedule(0)",
        "schedule(20)",
        "opt <- optimizer_sgd(learning_rate = schedule)"),
    "learning_rate_schedule_inverse_time_decay": _lines(
        "schedule <- learning_rate_schedule_inverse_time_decay(",
        "  initial_learning_rate = 0.1, decay_steps = 10, decay_rate = 0.5)",
        "schedule(0)",
        "schedule(20)",
        "opt <- optimizer_sgd(learning_rate = schedule)"),
    "learning_rate_schedule_polynomial_decay": _lines(
        "schedule <- learning_rate_schedule_polynomial_decay(",
        "  initial_learning_rate = 0.1, decay_steps = 100, end_learning_rate = 0.01)",
        "schedule(0)",
        "schedule(50)",
        "schedule(200)",
        "opt <- optimizer_sgd(learning_rate = schedule)"),
    "learning_rate_schedule_cosine_decay": _lines(
        "schedule <- learning_rate_schedule_cosine_decay(",
        "  initial_learning_rate = 0.1, decay_steps = 100)",
        "schedule(0)",
        "schedule(50)",
        "schedule(100)",
        "opt <- optimizer_adam(learning_rate = schedule)"),
    "learning_rate_schedule_cosine_decay_restarts": _lines(
        "schedule <- learning_rate_schedule_cosine_decay_restarts(",
        "  initial_learning_rate = 0.1, first_decay_steps = 10)",
        "schedule(5)",
        "schedule(10)  # restarted",
        "opt <- optimizer_adam(learning_rate = schedule)"),
    "learning_rate_schedule_piecewise_constant_decay": _lines(
        "schedule <- learning_rate_schedule_piecewise_constant_decay(",
        "  boundaries = c(100, 200), values = c(0.1, 0.01, 0.001))",
        "schedule(50)",
        "schedule(150)",
        "schedule(250)",
        "opt <- optimizer_sgd(learning_rate = schedule)"),
}

# --------------------------------------------------------------------------
# callback_*
# --------------------------------------------------------------------------

_CB_MODEL = (
    "model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)",
    "model |> compile(optimizer = \"sgd\", loss = \"mse\")",
    "x <- matrix(runif(48), nrow = 16)",
    "y <- x %*% c(1, 2, 3)")

_CALLBACKS = {
    "callback_early_stopping": _lines(
        *_CB_MODEL,
        "# stop once the validation loss has not improved by 0.5 for 2 epochs",
        "cb <- callback_early_stopping(monitor = \"val_loss\", min_delta = 0.5,",
        "                              patience = 2, restore_best_weights = TRUE)",
        "history <- model |> fit(x, y, epochs = 20, validation_split = 0.25,",
        "                        callbacks = list(cb), verbose = 0)",
        "length(history$metrics$loss)  # the number of epochs that ran"),
    "callback_model_checkpoint": _lines(
        *_CB_MODEL,
        "path <- file.path(tempdir(), \"best.keras\")",
        "cb <- callback_model_checkpoint(path, monitor = \"loss\", save_best_only = TRUE)",
        "model |> fit(x, y, epochs = 2, callbacks = list(cb), verbose = 0)",
        "file.exists(path)",
        "unlink(path)"),
    "callback_csv_logger": _lines(
        *_CB_MODEL,
        "path <- tempfile(fileext = \".csv\")",
        "model |> fit(x, y, epochs = 2, callbacks = list(callback_csv_logger(path)),",
        "             verbose = 0)",
        "read.csv(path)",
        "unlink(path)"),
    "callback_backup_and_restore": _lines(
        *_CB_MODEL,
        "dir <- file.path(tempdir(), \"backup\")",
        "cb <- callback_backup_and_restore(backup_dir = dir)",
        "# an interrupted fit() called again resumes from the last saved epoch",
        "model |> fit(x, y, epochs = 2, callbacks = list(cb), verbose = 0)",
        "unlink(dir, recursive = TRUE)"),
    "callback_reduce_lr_on_plateau": _lines(
        *_CB_MODEL,
        "cb <- callback_reduce_lr_on_plateau(monitor = \"loss\", factor = 0.5,",
        "                                    patience = 1, min_lr = 1e-4)",
        "model |> fit(x, y, epochs = 3, callbacks = list(cb), verbose = 0)"),
    "callback_terminate_on_nan": _lines(
        *_CB_MODEL,
        "# stops training as soon as the loss is NaN or infinite",
        "model |> fit(x, y, epochs = 2, callbacks = list(callback_terminate_on_nan()),",
        "             verbose = 0)"),
    "callback_swap_ema_weights": _lines(
        "model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)",
        "# needs an optimizer that keeps an exponential moving average of the weights",
        "model |> compile(optimizer = optimizer_sgd(use_ema = TRUE), loss = \"mse\")",
        "x <- matrix(runif(48), nrow = 16)",
        "y <- x %*% c(1, 2, 3)",
        "cb <- callback_swap_ema_weights(swap_on_epoch = TRUE)",
        "model |> fit(x, y, epochs = 2, validation_split = 0.25, callbacks = list(cb),",
        "             verbose = 0)"),
    "callback_remote_monitor": _lines(
        "# posts the logs of each epoch as JSON to a server listening at `root`",
        "cb <- callback_remote_monitor(root = \"http://localhost:9000\", send_as_json = TRUE)",
        "# model |> fit(x, y, callbacks = list(cb))"),
    "callback_tensorboard": _lines(
        *_CB_MODEL,
        "log_dir <- file.path(tempdir(), \"logs\")",
        "cb <- callback_tensorboard(log_dir = log_dir)",
        "model |> fit(x, y, epochs = 2, callbacks = list(cb), verbose = 0)",
        "# event files for TensorBoard (tensorboard --logdir <log_dir>)",
        "length(list.files(log_dir, recursive = TRUE))",
        "unlink(log_dir, recursive = TRUE)"),
}

# --------------------------------------------------------------------------
# initializer_*, regularizer_*, constraint_*, random_*
# --------------------------------------------------------------------------

_INITIALIZER_ARGS = {
    "initializer_constant": "value = 2",
    "initializer_glorot_normal": "seed = 1",
    "initializer_glorot_uniform": "seed = 1",
    "initializer_he_normal": "seed = 1",
    "initializer_he_uniform": "seed = 1",
    "initializer_identity": "gain = 1",
    "initializer_lecun_normal": "seed = 1",
    "initializer_lecun_uniform": "seed = 1",
    "initializer_ones": "",
    "initializer_zeros": "",
    "initializer_orthogonal": "seed = 1",
    "initializer_random_normal": "mean = 0, stddev = 0.05, seed = 1",
    "initializer_random_uniform": "minval = -0.05, maxval = 0.05, seed = 1",
    "initializer_truncated_normal": "mean = 0, stddev = 0.05, seed = 1",
    "initializer_variance_scaling": "scale = 2, mode = \"fan_in\", seed = 1",
}

_INITIALIZERS = {
    "initializer_stft": _lines(
        "# a kernel of (frame length, 1, frequencies) for a Conv1D computing an STFT",
        "init <- initializer_stft(side = \"real\", window = \"hann\")",
        "kernel <- init(shape = c(16, 1, 9))",
        "op_shape(kernel)"),
    "initializer_random_initializer": _lines(
        "# the base class of the seeded initializers: it keeps a seed for them",
        "init <- initializer_random_initializer(seed = 1)",
        "init$get_config()"),
}


def _initializer_example(r_name):
    if r_name not in _INITIALIZER_ARGS:
        return None
    return _lines(f"init <- {r_name}({_INITIALIZER_ARGS[r_name]})",
                  "init(shape = c(2, 3))",
                  "layer <- layer_dense(units = 3, kernel_initializer = init)",
                  "op_shape(layer(op_ones(c(1, 2))))")


_REGULARIZERS = {
    "regularizer_l1": "regularizer_l1(l1 = 0.01)",
    "regularizer_l2": "regularizer_l2(l2 = 0.01)",
    "regularizer_l1_l2": "regularizer_l1_l2(l1 = 0.01, l2 = 0.01)",
    "regularizer_orthogonal": "regularizer_orthogonal(factor = 0.01)",
}


def _regularizer_example(r_name):
    call = _REGULARIZERS.get(r_name)
    if call is None:
        return None
    return _lines(f"reg <- {call}",
                  "reg(op_array(rbind(c(1, -2), c(0.5, 3))))  # the penalty of a weight",
                  "layer <- layer_dense(units = 2, kernel_regularizer = reg)",
                  "y <- layer(op_ones(c(1, 3)))",
                  "layer$losses  # the penalty added to the training loss")


_CONSTRAINTS = {
    "constraint_maxnorm": "constraint_maxnorm(max_value = 1)",
    "constraint_minmaxnorm": "constraint_minmaxnorm(min_value = 0.5, max_value = 1)",
    "constraint_nonneg": "constraint_nonneg()",
    "constraint_unitnorm": "constraint_unitnorm()",
}


def _constraint_example(r_name):
    call = _CONSTRAINTS.get(r_name)
    if call is None:
        return None
    return _lines(f"con <- {call}",
                  "w <- op_array(rbind(c(3, -0.1), c(4, 0.2)))",
                  "con(w)  # the weight after the constraint (columns are the units)",
                  "layer <- layer_dense(units = 2, kernel_constraint = con)")


_RANDOM = {
    "random_normal": _lines(
        "random_normal(c(2, 3), seed = 1)",
        "random_normal(c(2, 3), mean = 10, stddev = 0.1, seed = 1)"),
    "random_uniform": _lines(
        "random_uniform(c(2, 3), seed = 1)",
        "random_uniform(c(2, 3), minval = -1, maxval = 1, seed = 1)"),
    "random_truncated_normal": _lines(
        "random_truncated_normal(c(2, 3), seed = 1)  # within 2 standard deviations"),
    "random_integer": _lines(
        "random_integer(c(2, 5), minval = 0, maxval = 10, seed = 1)"),
    "random_randint": _lines(
        "random_randint(c(2, 5), minval = 0, maxval = 10, seed = 1)"),
    "random_beta": _lines(
        "random_beta(c(2, 3), alpha = 2, beta = 5, seed = 1)"),
    "random_gamma": _lines(
        "random_gamma(c(2, 3), alpha = 2, seed = 1)"),
    "random_binomial": _lines(
        "random_binomial(c(2, 3), counts = 10, probabilities = 0.3, seed = 1)"),
    "random_categorical": _lines(
        "logits <- op_log(op_array(rbind(c(0.1, 0.2, 0.7), c(0.5, 0.5, 0))))",
        "random_categorical(logits, num_samples = 5, seed = 1)  # 1-based classes"),
    "random_dropout": _lines(
        "random_dropout(op_ones(c(2, 5)), rate = 0.5, seed = 1)"),
    "random_shuffle": _lines(
        "x <- op_array(rbind(c(1, 2), c(3, 4), c(5, 6)))",
        "random_shuffle(x, seed = 1)  # rows in a random order"),
    # A seed generator could be shown too, but seeds as integers keep it short.
}


# --------------------------------------------------------------------------
# The table and the lookup
# --------------------------------------------------------------------------

# Metric classes without a function form (no y_true / y_pred arguments).
_METRIC_CLASS_ONLY = {
    "metric_auc", "metric_binary_iou", "metric_f1_score", "metric_false_negatives",
    "metric_false_positives", "metric_fbeta_score", "metric_iou", "metric_log_cosh_error",
    "metric_mean", "metric_mean_iou", "metric_mean_wrapper", "metric_one_hot_iou",
    "metric_one_hot_mean_iou", "metric_precision", "metric_precision_at_recall",
    "metric_r2_score", "metric_recall", "metric_recall_at_precision",
    "metric_root_mean_squared_error", "metric_sensitivity_at_specificity",
    "metric_specificity_at_sensitivity", "metric_sum", "metric_true_negatives",
    "metric_true_positives",
}

EXAMPLES: dict[str, str] = {}
for _table in (_OPS, _LAYERS, _ACTIVATIONS, _LOSSES, _METRICS, _OPTIMIZERS, _SCHEDULES,
               _CALLBACKS, _INITIALIZERS, _RANDOM):
    _overlap = set(EXAMPLES) & set(_table)
    assert not _overlap, f"example written twice: {sorted(_overlap)}"
    EXAMPLES.update(_table)

_OP_TEMPLATE_OF: dict[str, str] = {}
for _names, _template in OP_TEMPLATES:
    for _name in _names:
        _r = "op_" + _name
        assert _r not in _OP_TEMPLATE_OF and _r not in EXAMPLES, f"{_r} twice"
        _OP_TEMPLATE_OF[_r] = _template


def example_for(r_name: str, family: str) -> str | None:
    """The example for one generated wrapper: EXAMPLES[r_name] if present, else
    a family template filled in where that is correct (e.g. activation_* on a
    small vector), else None.

    The template is chosen by the R name's prefix; `family` (the generator's
    family name, "layers", "ops", "ops.image", "schedules", ...) is accepted for
    the interface but not needed."""
    if r_name in INTERNAL:
        return None
    if r_name in EXAMPLES:
        return EXAMPLES[r_name]
    if r_name in _OP_TEMPLATE_OF:
        return _OP_TEMPLATE_OF[r_name].format(r=r_name)
    if r_name.startswith("activation_"):
        template = (_ACTIVATION_LAST_AXIS_TEMPLATE if r_name in _ACTIVATION_LAST_AXIS
                    else _ACTIVATION_TEMPLATE)
        return template.format(r=r_name)
    if r_name.startswith("loss_"):
        return _loss_example(r_name)
    if r_name.startswith("metric_"):
        return _metric_example(r_name, r_name not in _METRIC_CLASS_ONLY)
    if r_name.startswith("optimizer_"):
        return _optimizer_example(r_name)
    if r_name.startswith("initializer_"):
        return _initializer_example(r_name)
    if r_name.startswith("regularizer_"):
        return _regularizer_example(r_name)
    if r_name.startswith("constraint_"):
        return _constraint_example(r_name)
    return None
