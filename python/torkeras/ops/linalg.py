"""`keras.ops.linalg`: matrix decompositions, solvers and norms on torch tensors.

Every function is also exported as `torkeras.ops.<name>`, as Keras does.
Inputs are tensors of shape `(..., M, N)` (a batch of matrices); the
functions call the `torch.linalg` routine Keras 3's torch backend calls, with
the same argument checks and the same conventions (0-based LU pivots,
`svd(compute_uv=False)` returning the singular values only, ...).
Integer inputs are computed in `floatx()` (torch's decompositions need
floating point values).
"""

import torch

from torkeras.ops.core import _axis, _floatx, _t, op

__all__ = ["cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq",
           "lu_factor", "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular",
           "svd"]


def _float_input(x):
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(_floatx())
    return x


def _check_rank2(x, name="x"):
    if x.dim() < 2:
        raise ValueError(f"Expected `{name}` to have rank >= 2 (a matrix or a batch of "
                         f"matrices). Received: {name}.shape={tuple(x.shape)}")


def _check_square(x, name="x"):
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Expected `{name}` to be a square matrix (or a batch of them). "
                         f"Received: {name}.shape={tuple(x.shape)}")


def _check_system(a, b):
    """`a` square (..., M, M); `b` (..., M) or (..., M, N)."""
    _check_rank2(a, "a")
    _check_square(a, "a")
    if b.dim() < 1:
        raise ValueError(f"Expected `b` to have rank >= 1. Received a scalar b={b}")
    if a.dim() == b.dim():
        if a.shape[-2] != b.shape[-2]:
            raise ValueError("Incompatible shapes: expected a.shape[-2] == b.shape[-2]. "
                             f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}")
    elif a.dim() == b.dim() + 1:
        if a.shape[-1] != b.shape[-1]:
            raise ValueError("Incompatible shapes: expected a.shape[-1] == b.shape[-1]. "
                             f"Received: a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}")


def _pair(a, b):
    a, b = _float_input(a), _float_input(b)
    if a.dtype != b.dtype:
        common = torch.promote_types(a.dtype, b.dtype)
        a, b = a.to(common), b.to(common)
    return a, b


@op
def cholesky(x, upper=False):
    """Cholesky factor of a symmetric (Hermitian) positive-definite matrix.

    Args:
        x: Tensor of shape `(..., M, M)`.
        upper: If `True`, return the upper-triangular factor `U` with
            `x = U^H U`; otherwise (default) the lower-triangular `L` with
            `x = L L^H`.

    Returns:
        Tensor of shape `(..., M, M)`.

    Example:

    >>> keras.ops.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
    tensor([[2., 0.],
            [1., 2.]])
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    try:
        return torch.linalg.cholesky(x, upper=bool(upper))
    except RuntimeError as e:
        raise ValueError(f"Cholesky decomposition failed: {e}") from None


@op
def cholesky_inverse(x, upper=False):
    """Inverse of a symmetric positive-definite matrix from its Cholesky factor.

    Args:
        x: Tensor of shape `(..., M, M)`, the (lower, or upper with
            `upper=True`) Cholesky factor of the matrix to invert.
        upper: Whether `x` is the upper-triangular factor.

    Returns:
        Tensor of shape `(..., M, M)`: the inverse of `x x^H` (`x^H x` when
        `upper`).

    Example:

    >>> L = keras.ops.cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
    >>> keras.ops.cholesky_inverse(L)
    tensor([[ 0.3125, -0.1250],
            [-0.1250,  0.2500]])
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    try:
        return torch.cholesky_inverse(x, upper=bool(upper))
    except RuntimeError as e:
        raise ValueError(f"Cholesky inverse failed: {e}") from None


@op
def det(x):
    """Determinant of a square matrix (or of each matrix in a batch).

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        Tensor of shape `(...,)`.

    Example:

    >>> keras.ops.det(np.array([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    return torch.linalg.det(x)


@op
def eig(x):
    """Eigenvalues and eigenvectors of a general square matrix.

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        A tuple `(eigenvalues, eigenvectors)` of complex tensors of shapes
        `(..., M)` and `(..., M, M)` (columns are the eigenvectors).

    Example:

    >>> w, v = keras.ops.eig(np.array([[2.0, 0.0], [0.0, 3.0]]))
    >>> w
    tensor([2.+0.j, 3.+0.j])
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    return tuple(torch.linalg.eig(x))


@op
def eigh(x):
    """Eigenvalues and eigenvectors of a symmetric (Hermitian) matrix.

    Only the lower triangle of `x` is read.

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        A tuple `(eigenvalues, eigenvectors)`: eigenvalues in ascending order,
        shape `(..., M)`, and the eigenvectors as columns, shape `(..., M, M)`.

    Example:

    >>> w, v = keras.ops.eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> w
    tensor([1., 3.])
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    return tuple(torch.linalg.eigh(x))


@op
def inv(x):
    """Inverse of a square matrix (or of each matrix in a batch).

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        Tensor of shape `(..., M, M)`.

    Example:

    >>> keras.ops.inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    x = _float_input(x)
    _check_rank2(x)
    _check_square(x)
    return torch.linalg.inv(x)


@op
def lu_factor(x):
    """LU decomposition with partial pivoting.

    Args:
        x: Tensor of shape `(..., M, N)`.

    Returns:
        A tuple `(lu, pivots)`: `lu` of shape `(..., M, N)` holds `L` (below
        the diagonal, unit diagonal implied) and `U`; `pivots` of shape
        `(..., min(M, N))` are the 0-based row swaps (row `i` was swapped
        with row `pivots[i]`), int32.

    Example:

    >>> lu, pivots = keras.ops.lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> pivots
    tensor([1, 1], dtype=torch.int32)
    """
    x = _float_input(x)
    _check_rank2(x)
    lu, pivots = torch.linalg.lu_factor(x)
    return lu, pivots - 1


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


@op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm.

    Args:
        x: Input tensor.
        ord: Order of the norm. For vectors (one axis): `None` (2-norm), any
            number `p` (`sum(abs(x)**p)**(1/p)`), `inf`/`-inf` (max/min of
            `abs(x)`), `0` (count of non-zeros). For matrices (two axes):
            `None`/`"fro"` (Frobenius), `"nuc"` (nuclear), `inf`/`-inf`
            (max/min row sum of `abs(x)`), `1`/`-1` (max/min column sum),
            `2`/`-2` (largest/smallest singular value).
        axis: `None` (all axes: the vector 2-norm of the flattened input when
            `ord` is `None`; a 1-D or 2-D input's own norm otherwise), an int
            (vector norms along that axis) or a pair of ints (matrix norms over
            those axes).
        keepdims: Keep the reduced axes with size 1.

    Returns:
        The norm(s); integer inputs give `floatx()`.

    Example:

    >>> keras.ops.norm(np.array([[3.0, 4.0], [6.0, 8.0]]), axis=-1)
    tensor([ 5., 10.])
    >>> keras.ops.norm(np.array([[1.0, 2.0], [3.0, 4.0]]), ord="fro")
    tensor(5.4772)
    """
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise ValueError("Invalid `ord` argument: a string `ord` must be 'fro' or 'nuc'. "
                         f"Received: ord={ord}")
    x = _t(x)
    if x.dtype == torch.int64 or not (x.is_floating_point() or x.is_complex()):
        x = x.to(_floatx())
    axis = _axis(axis)
    n_axes = x.dim() if axis is None else (1 if isinstance(axis, int) else len(axis))
    if n_axes == 1 and isinstance(ord, str):
        raise ValueError(f"Invalid `ord` argument for a vector norm. Received: ord={ord}")
    if n_axes == 2 and axis is not None and ord not in _MATRIX_ORDS:
        raise ValueError(f"Invalid `ord` argument for a matrix norm. Received: ord={ord}")
    if axis is None and ord is not None and x.dim() > 2:
        raise ValueError("Invalid `ord` with `axis=None`: a norm order needs a 1-D or 2-D "
                         f"input, or `axis`. Received: ord={ord}, x.shape={tuple(x.shape)}")
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=bool(keepdims))


@op
def qr(x, mode="reduced"):
    """QR decomposition `x = q @ r`.

    Args:
        x: Tensor of shape `(..., M, N)`.
        mode: `"reduced"` (default: `q` is `(..., M, K)`, `r` is `(..., K, N)`,
            `K = min(M, N)`) or `"complete"` (`q` is `(..., M, M)`, `r` is
            `(..., M, N)`).

    Returns:
        A tuple `(q, r)`.

    Example:

    >>> q, r = keras.ops.qr(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    >>> q.shape, r.shape
    (torch.Size([3, 2]), torch.Size([2, 2]))
    """
    if mode not in ("reduced", "complete"):
        raise ValueError("`mode` argument value not supported. Expected one of "
                         f"{{'reduced', 'complete'}}. Received: mode={mode}")
    x = _float_input(x)
    if x.dim() < 2:
        raise ValueError(f"Input should have rank >= 2. Received: input.shape = "
                         f"{tuple(x.shape)}")
    return tuple(torch.linalg.qr(x, mode=mode))


@op
def solve(a, b):
    """Solves the linear system `a @ x = b` for `x`.

    Args:
        a: Tensor of shape `(..., M, M)`, the coefficient matrix.
        b: Tensor of shape `(..., M)` or `(..., M, N)`.

    Returns:
        Tensor of the shape of `b`.

    Example:

    >>> keras.ops.solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 8.0]))
    tensor([1., 2.])
    """
    a, b = _pair(a, b)
    _check_system(a, b)
    return torch.linalg.solve(a, b)


@op
def solve_triangular(a, b, lower=False):
    """Solves `a @ x = b` for a triangular `a`.

    Args:
        a: Tensor of shape `(..., M, M)`; only its upper triangle (or lower,
            with `lower=True`) is read.
        b: Tensor of shape `(..., M)` or `(..., M, N)`.
        lower: Whether `a` is lower-triangular (default: upper).

    Returns:
        Tensor of the shape of `b`.

    Example:

    >>> keras.ops.solve_triangular(np.array([[1.0, 0.0], [2.0, 1.0]]), np.array([1.0, 4.0]), lower=True)
    tensor([1., 2.])
    """
    a, b = _pair(a, b)
    _check_system(a, b)
    if b.dim() == a.dim() - 1:
        return torch.linalg.solve_triangular(a, b.unsqueeze(-1), upper=not lower).squeeze(-1)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


@op
def svd(x, full_matrices=True, compute_uv=True):
    """Singular value decomposition `x = u @ diag(s) @ vh`.

    Args:
        x: Tensor of shape `(..., M, N)`.
        full_matrices: If `True` (default), `u` is `(..., M, M)` and `vh`
            `(..., N, N)`; otherwise `(..., M, K)` and `(..., K, N)`,
            `K = min(M, N)`.
        compute_uv: If `False`, return only the singular values.

    Returns:
        A tuple `(u, s, vh)` (`s` of shape `(..., K)`, descending), or `s`
        when `compute_uv` is `False`.

    Example:

    >>> keras.ops.svd(np.array([[3.0, 0.0], [0.0, -2.0]]), compute_uv=False)
    tensor([3., 2.])
    """
    x = _float_input(x)
    _check_rank2(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=bool(full_matrices)))


@op
def lstsq(a, b, rcond=None):
    """Least-squares solution of `a @ x = b`.

    Args:
        a: Matrix of shape `(M, N)`.
        b: Tensor of shape `(M,)` or `(M, K)`.
        rcond: Singular values below `rcond` times the largest one are treated
            as zero (an SVD-based solver is used then); `None` uses torch's
            default driver.

    Returns:
        Tensor of shape `(N,)` or `(N, K)` (only the solution; NumPy's extra
        residual/rank/singular value outputs are not returned, as in Keras).

    Example:

    >>> a = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> keras.ops.lstsq(a, np.array([1.0, 3.0, 5.0]))
    tensor([1.0000, 2.0000])
    """
    a, b = _pair(a, b)
    if a.dim() != 2:
        raise ValueError(f"Expected a to have rank 2. Received: a.shape={tuple(a.shape)}")
    if b.dim() not in (1, 2):
        raise ValueError(f"Expected b to have rank 1 or 2. Received: b.shape={tuple(b.shape)}")
    if b.shape[0] != a.shape[0]:
        raise ValueError("Expected b.shape[0] to be equal to a.shape[0]. Received: "
                         f"a.shape={tuple(a.shape)}, b.shape={tuple(b.shape)}")
    vector = b.dim() == 1
    rhs = b.unsqueeze(-1) if vector else b
    if rcond is not None:
        if a.device.type == "cuda":
            out = torch.linalg.pinv(a, rtol=rcond) @ rhs
        else:
            out = torch.linalg.lstsq(a, rhs, rcond=rcond, driver="gelsd").solution
    else:
        out = torch.linalg.lstsq(a, rhs).solution
    return out.squeeze(-1) if vector else out


@op
def matrix_rank(x, tol=None):
    """Rank of a matrix (or of each matrix in a batch).

    Args:
        x: Tensor of shape `(..., M, N)`.
        tol: Absolute threshold: singular values at or below it count as
            zero. `None` uses `max(M, N) * eps * largest singular value`.

    Returns:
        int32 tensor of shape `(...,)`.

    Example:

    >>> keras.ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]]))
    tensor(1, dtype=torch.int32)
    """
    x = _float_input(x)
    _check_rank2(x)
    return torch.linalg.matrix_rank(x, atol=tol).to(torch.int32)


@op
def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse, computed through the SVD.

    Args:
        x: Tensor of shape `(..., M, N)`.
        rcond: Relative cutoff: singular values at or below
            `rcond * largest singular value` are treated as zero. `None` uses
            `max(M, N) * eps`.

    Returns:
        Tensor of shape `(..., N, M)`.

    Example:

    >>> keras.ops.pinv(np.array([[2.0, 0.0], [0.0, 0.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.0000]])
    """
    x = _float_input(x)
    _check_rank2(x)
    return torch.linalg.pinv(x, rtol=rcond)


@op
def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product of `fun` at `primals` along `tangents`.

    Args:
        fun: Function of the tensors in `primals` returning a tensor (or a
            nested structure of tensors); with `has_aux=True` it returns
            `(output, aux)`.
        primals: Tuple or list of the inputs of `fun`.
        tangents: The directions, same structure and shapes as `primals`.
        has_aux: Whether `fun` also returns auxiliary data.

    Returns:
        `(outputs, tangent_outputs)`, or `(outputs, tangent_outputs, aux)`
        with `has_aux=True`.

    Example:

    >>> f = lambda x: x ** 2
    >>> keras.ops.jvp(f, (np.array([1.0, 3.0]),), (np.array([1.0, 1.0]),))
    (tensor([1., 9.]), tensor([2., 6.]))
    """
    if not callable(fun):
        raise TypeError(f"`fun` must be a callable. Received: fun={fun!r}")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("`primals` and `tangents` must be tuples (or lists) of tensors. "
                        f"Received: primals={type(primals).__name__}, "
                        f"tangents={type(tangents).__name__}")
    if len(primals) != len(tangents):
        raise ValueError("`primals` and `tangents` must have the same length. Received: "
                         f"{len(primals)} primals, {len(tangents)} tangents")
    from torkeras.utils import tree
    primals = tuple(tree.map_structure(_float_input, tuple(primals)))
    tangents = tuple(tree.map_structure(_float_input, tuple(tangents)))
    for p, t in zip(tree.flatten(primals), tree.flatten(tangents)):
        if tuple(p.shape) != tuple(t.shape):
            raise ValueError("Each tangent must have the shape of its primal. Received "
                             f"{tuple(t.shape)} for a primal of shape {tuple(p.shape)}")

    def plain(*args):
        out = fun(*args)
        if has_aux:
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise ValueError("With has_aux=True, `fun` must return (output, aux).")
            return tuple(out)
        return out

    result = torch.func.jvp(plain, primals, tangents, has_aux=bool(has_aux))
    return tuple(result)

