"""NumPy-style ops (`keras.ops.add`, `keras.ops.mean`, ...) on torch tensors."""

import builtins

import numpy as np
import torch

from torkeras import config, dtypes
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.ops.core import (Tensor, _axis, _floatx, _is_scalar, _pair, _shape_arg, _t,
                               _to_float, convert_to_tensor, op)
from torkeras.variables import Variable

_SMALL_INTS = (torch.bool, torch.int8, torch.int16, torch.uint8)


# -- conversion / introspection (no graph nodes) ------------------------------
def shape(x):
    """The shape as a tuple (None for unknown symbolic dimensions)."""
    if isinstance(x, (Tensor, KerasTensor, np.ndarray)):
        return tuple(x.shape)
    if isinstance(x, Variable):
        return x.shape
    return tuple(convert_to_tensor(x).shape)


def dtype(x):
    """The Keras dtype name of `x` ("float32", "int64", ...)."""
    if isinstance(x, Tensor):
        return dtypes.name_of(x.dtype)
    if isinstance(x, (KerasTensor, Variable)):
        return x.dtype
    return dtypes.name_of(convert_to_tensor(x).dtype)


def ndim(x):
    """The number of dimensions (rank) of `x`."""
    return len(shape(x))


def size(x):
    """The number of elements of `x`."""
    return int(np.prod(shape(x)))


def is_tensor(x):
    """True when `x` is a torch tensor."""
    return isinstance(x, Tensor)


def convert_to_numpy(x):
    """`x` as a NumPy array (symbolic tensors hold no data and are refused)."""
    if isinstance(x, KerasTensor):
        raise ValueError("A symbolic KerasTensor holds no data and cannot be converted to NumPy.")
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    return np.asarray(x)


# -- arithmetic -------------------------------------------------------------
def _scalar_tensor(x):
    """A Python scalar as the 0-d tensor Keras on torch makes of it (bool,
    int32 or floatx): torch lets a dimensioned operand's dtype win over a 0-d
    one of the same kind, so `int8 + 3` stays int8 and `bool + 3` is int32."""
    return convert_to_tensor(x) if type(x) in (int, float, bool) else x


def _tensor_pair(x1, x2):
    x1, x2 = _pair(x1, x2)
    return _scalar_tensor(x1), _scalar_tensor(x2)


@op
def add(x1, x2):
    """Elementwise `x1 + x2` (with broadcasting)."""
    x1, x2 = _tensor_pair(x1, x2)
    return torch.add(x1, x2)


@op
def subtract(x1, x2):
    """Elementwise `x1 - x2`; a boolean operand takes the other's dtype."""
    x1, x2 = _tensor_pair(x1, x2)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.subtract(x1, x2)


@op
def multiply(x1, x2):
    """Elementwise `x1 * x2`."""
    x1, x2 = _tensor_pair(x1, x2)
    return torch.multiply(x1, x2)


@op
def divide(x1, x2):
    """Elementwise true division `x1 / x2` (integers give floats)."""
    x1, x2 = _pair(x1, x2)
    return x1 / x2


true_divide = divide


@op
def divide_no_nan(x1, x2):
    """Elementwise `x1 / x2`, 0 where `x2` is 0."""
    x1, x2 = _pair(x1, x2)
    if not isinstance(x2, Tensor):
        x2 = torch.tensor(x2)
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, 0.0, x1 / safe)


def _dtype_or_type(x):
    return x.dtype if isinstance(x, Tensor) else type(x)


@op
def floor_divide(x1, x2):
    """Elementwise `floor(x1 / x2)`, in the promoted dtype (Keras's rule)."""
    x1, x2 = _pair(x1, x2)
    name = result_type(_dtype_or_type(x1), _dtype_or_type(x2))
    return _cast(torch.floor_divide(x1, x2), name)


@op
def mod(x1, x2):
    """Elementwise remainder with the sign of `x2` (Python's `%`)."""
    x1, x2 = _tensor_pair(x1, x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.remainder(x1, x2)


@op
def power(x1, x2):
    """Elementwise `x1 ** x2`."""
    x1, x2 = _tensor_pair(x1, x2)
    return torch.pow(x1, x2)


@op
def negative(x):
    """Elementwise `-x`."""
    return -_t(x)


@op
def abs(x):
    """Elementwise absolute value (booleans are returned as they are)."""
    x = _t(x)
    return x if x.dtype == torch.bool else torch.abs(x)


absolute = abs


@op
def sign(x):
    """Elementwise sign: -1, 0 or 1."""
    return torch.sign(_t(x))


@op
def square(x):
    """Elementwise `x * x` (booleans square as int32)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return x * x


@op
def sqrt(x):
    """Elementwise square root (integers give floats)."""
    return torch.sqrt(_to_float(_t(x)))


@op
def rsqrt(x):
    """Elementwise `1 / sqrt(x)`."""
    return torch.rsqrt(_to_float(_t(x)))


@op
def exp(x):
    """Elementwise exponential."""
    return torch.exp(_to_float(_t(x)))


@op
def log(x):
    """Elementwise natural logarithm."""
    return torch.log(_to_float(_t(x)))


@op
def log1p(x):
    """Elementwise `log(1 + x)`, accurate for small `x`."""
    return torch.log1p(_to_float(_t(x)))


@op
def expm1(x):
    """Elementwise `exp(x) - 1`, accurate for small `x`."""
    return torch.expm1(_to_float(_t(x)))


@op
def log2(x):
    """Elementwise base-2 logarithm."""
    return torch.log2(_to_float(_t(x)))


@op
def log10(x):
    """Elementwise base-10 logarithm."""
    return torch.log10(_to_float(_t(x)))


@op
def tanh(x):
    """Elementwise hyperbolic tangent."""
    return torch.tanh(_to_float(_t(x)))


@op
def sin(x):
    """Elementwise sine."""
    return torch.sin(_to_float(_t(x)))


@op
def cos(x):
    """Elementwise cosine."""
    return torch.cos(_to_float(_t(x)))


@op
def tan(x):
    """Elementwise tangent."""
    return torch.tan(_to_float(_t(x)))


@op
def arctan(x):
    """Elementwise inverse tangent."""
    return torch.atan(_to_float(_t(x)))


@op
def sinh(x):
    """Elementwise hyperbolic sine."""
    return torch.sinh(_to_float(_t(x)))


@op
def cosh(x):
    """Elementwise hyperbolic cosine."""
    return torch.cosh(_to_float(_t(x)))


@op
def erf(x):
    """Elementwise Gauss error function."""
    return torch.erf(_to_float(_t(x)))


@op
def reciprocal(x):
    """Elementwise `1 / x`."""
    return torch.reciprocal(_to_float(_t(x)))


@op
def round(x, decimals=0):
    """Rounds to `decimals` decimals (half to even); integers are returned unchanged."""
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.round(x, decimals=int(decimals))


@op
def floor(x):
    """Elementwise floor (a float result)."""
    return torch.floor(_to_float(_t(x)))


@op
def ceil(x):
    """Elementwise ceiling (a float result)."""
    return torch.ceil(_to_float(_t(x)))


@op
def matmul(x1, x2):
    """Matrix product (batched over leading axes, as NumPy's matmul). Result
    dtype by Keras's promotion (int8 @ int8 gives int32); booleans multiply
    as floats and float16 in float32 on CPU."""
    x1, x2 = _t(x1), _t(x2)
    if x1.dtype == torch.int8 and x2.dtype == torch.int8:
        out_dtype = "int32"
    else:
        out_dtype = result_type(x1.dtype, x2.dtype)
    compute = out_dtype
    if compute == "bool":
        compute = config.floatx()
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.matmul(_cast(x1, compute), _cast(x2, compute)), out_dtype)


def _float_compute(x1, x2):
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return out_dtype, _cast(x1, compute), _cast(x2, compute)


@op
def dot(x1, x2):
    """Dot product: matrix product for 2-D inputs, sum over the last axis of
    `x1` and the second-to-last of `x2` in general (computed in floats, cast
    to the promoted dtype)."""
    out_dtype, x1, x2 = _float_compute(_t(x1), _t(x2))
    if x1.dim() == 0 or x2.dim() == 0:
        return _cast(x1 * x2, out_dtype)
    return _cast(torch.matmul(x1, x2), out_dtype)


@op
def tensordot(x1, x2, axes=2):
    """Sum of products over `axes` (an int, or a pair of axis lists)."""
    out_dtype, x1, x2 = _float_compute(_t(x1), _t(x2))
    if isinstance(axes, (list, tuple)):
        first, second = axes
        axes = (tuple(first) if isinstance(first, (list, tuple)) else (first,),
                tuple(second) if isinstance(second, (list, tuple)) else (second,))
    return _cast(torch.tensordot(x1, x2, dims=axes), out_dtype)


@op
def outer(x1, x2):
    """Outer product of the flattened inputs."""
    return torch.outer(_t(x1).flatten(), _t(x2).flatten())


@op
def einsum(subscripts, *operands):
    """Einstein summation; int8-only operands are summed as int32."""
    operands = [_t(o) for o in operands]
    if operands and builtins.all(o.dtype == torch.int8 for o in operands):
        return torch.einsum(subscripts, *[o.to(torch.int32) for o in operands])
    return torch.einsum(subscripts, *operands)


def _extreme(fn, x1, x2):
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    name = result_type(_dtype_or_type(x1), _dtype_or_type(x2))
    return fn(convert_to_tensor(x1, name), convert_to_tensor(x2, name))


@op
def maximum(x1, x2):
    """Elementwise maximum (NaN propagates), in the promoted dtype."""
    return _extreme(torch.maximum, x1, x2)


@op
def minimum(x1, x2):
    """Elementwise minimum (NaN propagates), in the promoted dtype."""
    return _extreme(torch.minimum, x1, x2)


def _common(x1, x2):
    """Two tensors of one dtype (Python scalars follow the tensor)."""
    if not isinstance(x1, Tensor):
        x1 = torch.tensor(x1, dtype=torch.result_type(x2, x1), device=x2.device)
    if not isinstance(x2, Tensor):
        x2 = torch.tensor(x2, dtype=torch.result_type(x1, x2), device=x1.device)
    if x1.dtype != x2.dtype:
        common = torch.promote_types(x1.dtype, x2.dtype)
        x1, x2 = x1.to(common), x2.to(common)
    return x1, x2


@op
def clip(x, x_min, x_max):
    """Limits the values of `x` to [`x_min`, `x_max`] (booleans clip as
    int32; float16 is clipped in float32 on CPU and returned as float16)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if x.dtype == torch.float16 and x.device.type == "cpu":
        return clip(x.to(torch.float32), x_min, x_max).to(torch.float16)
    if isinstance(x_min, (Tensor, Variable, np.ndarray)) or isinstance(x_max, (Tensor, Variable,
                                                                              np.ndarray)):
        return torch.clamp(x, min=None if x_min is None else _t(x_min),
                           max=None if x_max is None else _t(x_max))
    return torch.clamp(x, min=x_min, max=x_max)


# -- comparisons and logic --------------------------------------------------
@op
def equal(x1, x2):
    """Elementwise `x1 == x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 == x2


@op
def not_equal(x1, x2):
    """Elementwise `x1 != x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 != x2


@op
def less(x1, x2):
    """Elementwise `x1 < x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 < x2


@op
def less_equal(x1, x2):
    """Elementwise `x1 <= x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 <= x2


@op
def greater(x1, x2):
    """Elementwise `x1 > x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 > x2


@op
def greater_equal(x1, x2):
    """Elementwise `x1 >= x2`."""
    x1, x2 = _pair(x1, x2)
    return x1 >= x2


@op
def logical_and(x1, x2):
    """Elementwise logical AND (non-zero is true)."""
    return torch.logical_and(_t(x1), _t(x2))


@op
def logical_or(x1, x2):
    """Elementwise logical OR (non-zero is true)."""
    return torch.logical_or(_t(x1), _t(x2))


@op
def logical_xor(x1, x2):
    """Elementwise logical XOR (non-zero is true)."""
    return torch.logical_xor(_t(x1), _t(x2))


@op
def logical_not(x):
    """Elementwise logical NOT (non-zero is true)."""
    return torch.logical_not(_t(x))


@op
def isnan(x):
    """True where `x` is NaN."""
    return torch.isnan(_t(x))


@op
def isinf(x):
    """True where `x` is infinite."""
    return torch.isinf(_t(x))


@op
def isfinite(x):
    """True where `x` is neither infinite nor NaN."""
    return torch.isfinite(_t(x))


@op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Elementwise `|x1 - x2| <= atol + rtol * |x2|` (exact equality for non-floats)."""
    x1, x2 = _common(*_pair(x1, x2))
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


@op
def where(condition, x1=None, x2=None):
    """Elements of `x1` where `condition` is true, of `x2` elsewhere; with only `condition`,
    the coordinates of its non-zero elements as one (rank, count) tensor."""
    condition = _t(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if x1 is None and x2 is None:
        # Keras on torch: one (rank, count) int64 tensor of coordinates
        return torch.stack(torch.where(condition), dim=0)
    if x1 is None or x2 is None:
        raise ValueError("where(): pass both `x1` and `x2`, or neither.")
    return torch.where(condition, convert_to_tensor(x1), convert_to_tensor(x2))


# -- reductions -------------------------------------------------------------
def _reduce_all(out, x, keepdims):
    return out.reshape((1,) * x.dim()) if keepdims else out


@op
def mean(x, axis=None, keepdims=False):
    """Mean along `axis` (all axes when None); integers give floats."""
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.mean(x), x, keepdims)
    return torch.mean(x, dim=axis, keepdim=keepdims)


@op
def sum(x, axis=None, keepdims=False):
    """Sum along `axis`; bool and 8/16-bit integers sum as int32, other
    dtypes keep their dtype (as Keras on torch)."""
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    axis = _axis(axis)
    if axis == ():
        return x
    dt = torch.int32 if x.dtype in _SMALL_INTS else (
        x.dtype if not (x.is_floating_point() or x.is_complex()) else None)
    if axis is None:
        return _reduce_all(torch.sum(x, dtype=dt), x, keepdims)
    return torch.sum(x, dim=axis, keepdim=keepdims, dtype=dt)


@op
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product along `axis`; without `dtype`, bool and 8/16-bit integers
    multiply as int32 and 64-bit dtypes give 32-bit results (Keras's rule)."""
    x = _t(x)
    if dtype is None:
        name = result_type(x.dtype)
        if name in ("bool", "int8", "int16", "uint8"):
            name = "int32"
    else:
        name = dtypes.name_of(dtype)
    dt = dtypes.to_torch(name)
    compute = torch.float32 if dt == torch.float16 and x.device.type == "cpu" else dt
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.prod(x, dtype=compute).to(dt), x, keepdims)
    axes = (axis,) if isinstance(axis, int) else axis
    for a in sorted((a % x.dim() for a in axes), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims, dtype=compute).to(dt)
    return x


def _minmax(fn, extreme, x, axis, keepdims, initial):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        out = _reduce_all(fn(x), x, keepdims)
    else:
        out = fn(x, dim=axis, keepdim=keepdims)
    if initial is not None:
        out = extreme(out, torch.as_tensor(initial, dtype=out.dtype, device=out.device))
    return out


@op
def max(x, axis=None, keepdims=False, initial=None):
    """Maximum along `axis` (all axes when None), at least `initial` when given."""
    return _minmax(torch.amax, torch.maximum, x, axis, keepdims, initial)


@op
def min(x, axis=None, keepdims=False, initial=None):
    """Minimum along `axis` (all axes when None), at most `initial` when given."""
    return _minmax(torch.amin, torch.minimum, x, axis, keepdims, initial)


amax = max
amin = min


@op
def any(x, axis=None, keepdims=False):
    """Logical OR along `axis` (a boolean result for every input dtype)."""
    x = _t(x)
    if x.dtype != torch.bool:
        x = x != 0
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.any(x), x, keepdims)
    return torch.any(x, dim=axis, keepdim=keepdims)


@op
def all(x, axis=None, keepdims=False):
    """Logical AND along `axis` (a boolean result for every input dtype)."""
    x = _t(x)
    if x.dtype != torch.bool:
        x = x != 0
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.all(x), x, keepdims)
    return torch.all(x, dim=axis, keepdim=keepdims)


@op
def argmax(x, axis=None, keepdims=False):
    """Index (int32) of the maximum along `axis` (of the flattened tensor
    when None); the first one on ties."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None and keepdims:
        return torch.argmax(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmax(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def argmin(x, axis=None, keepdims=False):
    """Index (int32) of the minimum along `axis` (of the flattened tensor
    when None); the first one on ties."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None and keepdims:
        return torch.argmin(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmin(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def var(x, axis=None, keepdims=False):
    """Population variance along `axis` (no Bessel correction)."""
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.var(x, correction=0), x, keepdims)
    return torch.var(x, dim=axis, keepdim=keepdims, correction=0)


@op
def std(x, axis=None, keepdims=False):
    """Population standard deviation along `axis` (no Bessel correction)."""
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.std(x, correction=0), x, keepdims)
    return torch.std(x, dim=axis, keepdim=keepdims, correction=0)


@op
def average(x, axis=None, weights=None):
    """Mean along `axis`, weighted by `weights` when given."""
    x = _to_float(_t(x))
    if weights is None:
        return mean(x, axis=axis)
    w = _t(weights).to(x.dtype)
    if axis is not None and w.dim() == 1 and x.dim() > 1:
        shape_ = [1] * x.dim()
        shape_[axis] = -1
        w = w.reshape(shape_)
    return torch.sum(x * w, dim=axis) / torch.sum(w * torch.ones_like(x), dim=axis)


def _cumulative(fn, x, axis, dtype):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    name = result_type(dtype or x.dtype)
    if name == "bool":
        name = "int32"
    if name == "float16" and x.device.type == "cpu":
        return fn(x, dim=axis, dtype=torch.float32).to(torch.float16)
    return fn(x, dim=axis, dtype=dtypes.to_torch(name))


@op
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (of the flattened tensor when None); the
    result dtype is `dtype` or the input's (bool counts as int32, 64-bit
    dtypes give 32-bit results, as Keras on torch)."""
    return _cumulative(torch.cumsum, x, axis, dtype)


@op
def cumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (of the flattened tensor when None);
    dtype rules as `cumsum`."""
    return _cumulative(torch.cumprod, x, axis, dtype)


@op
def count_nonzero(x, axis=None):
    """Number of non-zero elements along `axis` (int32)."""
    return torch.count_nonzero(_t(x), dim=_axis(axis)).to(torch.int32)


@op
def logsumexp(x, axis=None, keepdims=False):
    """`log(sum(exp(x)))` along `axis`, computed stably."""
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        axis = tuple(range(x.dim()))
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@op
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm of order `ord` along `axis`."""
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None and ord is not None and x.dim() > 2:
        raise ValueError("norm(): `ord` needs `axis` for inputs of rank > 2.")
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


# -- creation ---------------------------------------------------------------
def _creation_dtype(dtype):
    return _floatx() if dtype is None else dtypes.to_torch(dtype)


def array(x, dtype=None):
    """A tensor holding the values of `x` (as `keras.ops.array`)."""
    from torkeras.ops.core import convert_to_tensor
    return convert_to_tensor(x, dtype=dtype)


def ones(shape, dtype=None):
    """A tensor of ones of `shape` (dtype `floatx()` by default)."""
    return torch.ones(_shape_arg(shape), dtype=_creation_dtype(dtype))


def zeros(shape, dtype=None):
    """A tensor of zeros of `shape` (dtype `floatx()` by default)."""
    return torch.zeros(_shape_arg(shape), dtype=_creation_dtype(dtype))


@op
def full(shape, fill_value, dtype=None):
    """A tensor of `shape` filled with `fill_value` (of dtype `dtype`, default
    `floatx()` whatever the fill value, as Keras on torch). A non-scalar
    `fill_value` is tiled over the leading dimensions."""
    shape = _shape_arg(shape)
    torch_dtype = _creation_dtype(dtype)
    if isinstance(fill_value, (Tensor, np.ndarray, list, tuple, Variable)):
        value = convert_to_tensor(fill_value, torch_dtype)
        if value.dim():
            lead = len(shape) - value.dim()
            return torch.tile(value, tuple(shape[:lead]) + (1,) * value.dim())
        fill_value = value.item()
    elif isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    return torch.full(shape, fill_value, dtype=torch_dtype)


def eye(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones on the `k`-th diagonal."""
    M = N if M is None else M
    out = torch.zeros((int(N), int(M)), dtype=_creation_dtype(dtype))
    out.diagonal(int(k)).fill_(1)
    return out


identity = eye


@op
def zeros_like(x, dtype=None):
    """Zeros with the shape (and, by default, dtype) of `x`."""
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def ones_like(x, dtype=None):
    """Ones with the shape (and, by default, dtype) of `x`."""
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def full_like(x, fill_value, dtype=None):
    """`fill_value` with the shape (and, by default, dtype) of `x`."""
    x = _t(x)
    return torch.full_like(x, fill_value, dtype=None if dtype is None else dtypes.to_torch(dtype))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in [`start`, `stop`) with spacing `step`."""
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_float = builtins.any(isinstance(v, (float, np.floating)) for v in (start, stop, step))
        dtype = config.floatx() if is_float else "int32"
    return torch.arange(start, stop, step, dtype=dtypes.to_torch(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` (included unless `endpoint=False`)."""
    torch_dtype = _creation_dtype(dtype)
    num = int(num)
    if endpoint:
        out = torch.linspace(float(start), float(stop), num, dtype=torch.float64)
        step_ = (float(stop) - float(start)) / builtins.max(num - 1, 1)
    else:
        step_ = (float(stop) - float(start)) / num
        out = float(start) + step_ * torch.arange(num, dtype=torch.float64)
    out = out.to(torch_dtype)
    return (out, step_) if retstep else out


# -- shape manipulation -----------------------------------------------------
@op
def reshape(x, newshape):
    """`x` with a new shape (one dimension may be -1 or None: inferred)."""
    x = _t(x)
    newshape = (-1 if d is None else int(d) for d in
                (newshape if isinstance(newshape, (list, tuple)) else _shape_arg(newshape)))
    return torch.reshape(x, tuple(newshape))


@op
def transpose(x, axes=None):
    """`x` with its axes permuted (reversed when `axes` is None)."""
    x = _t(x)
    if axes is None:
        return x.permute(tuple(range(x.dim() - 1, -1, -1)))
    return x.permute(tuple(int(a) for a in axes))


@op
def swapaxes(x, axis1, axis2):
    """`x` with `axis1` and `axis2` exchanged."""
    return torch.swapaxes(_t(x), axis1, axis2)


@op
def moveaxis(x, source, destination):
    """`x` with the axes `source` moved to `destination`."""
    return torch.movedim(_t(x), source, destination)


@op
def expand_dims(x, axis):
    """`x` with new axes of size 1 inserted at `axis`."""
    x = _t(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    out_ndim = x.dim() + len(axis)
    for a in sorted(int(a) % out_ndim for a in axis):
        x = torch.unsqueeze(x, a)
    return x


@op
def squeeze(x, axis=None):
    """`x` without axes of size 1 (only `axis` when given; it must have size 1)."""
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze(): cannot squeeze axis {a} of size {x.shape[a]} "
                             f"(shape {tuple(x.shape)}).")
    return torch.squeeze(x, dim=axes if len(axes) > 1 else axes[0])


@op
def ravel(x):
    """`x` flattened to one dimension."""
    return torch.flatten(_t(x))


@op
def broadcast_to(x, shape):
    """`x` broadcast to `shape`."""
    return torch.broadcast_to(_t(x), _shape_arg(shape))


@op
def tile(x, repeats):
    """`x` repeated `repeats` times along each axis."""
    x = _t(x)
    repeats = _shape_arg(repeats)
    return torch.tile(x, repeats)


@op
def repeat(x, repeats, axis=None):
    """Each element of `x` repeated `repeats` times along `axis` (flattened when None)."""
    x = _t(x)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = _t(repeats).to(torch.int64)
    return torch.repeat_interleave(x, repeats, dim=axis)


@op
def flip(x, axis=None):
    """`x` with the order of elements reversed along `axis` (all axes when None)."""
    x = _t(x)
    axis = tuple(range(x.dim())) if axis is None else _axis(axis)
    return torch.flip(x, dims=(axis,) if isinstance(axis, int) else axis)


@op
def concatenate(xs, axis=0):
    """The tensors `xs` joined along `axis` (flattened when None)."""
    xs = [_t(x) for x in xs]
    if axis is None:
        return torch.cat([x.flatten() for x in xs])
    return torch.cat(xs, dim=axis)


@op
def stack(x, axis=0):
    """The tensors `x` stacked along a new `axis`."""
    return torch.stack([_t(i) for i in x], dim=axis)


@op
def split(x, indices_or_sections, axis=0):
    """`x` split along `axis` into equal sections or at the given indices."""
    x = _t(x)
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if n % indices_or_sections:
            raise ValueError(f"split(): axis of size {n} does not divide into "
                             f"{indices_or_sections} equal sections.")
        return list(torch.split(x, n // indices_or_sections, dim=axis))
    bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    sizes = [b - a for a, b in zip(bounds[:-1], bounds[1:])]
    return list(torch.split(x, sizes, dim=axis))


@op
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pads `x` by `pad_width` ((before, after) per axis, or one pair/number
    for every axis). `mode`: "constant" (with `constant_values`, default 0),
    "reflect", "symmetric", "edge" or "wrap", as in NumPy, for any rank."""
    x = _t(x)
    if mode not in ("constant", "reflect", "symmetric", "edge", "wrap"):
        raise ValueError(f"pad(): `mode` must be one of 'constant', 'reflect', 'symmetric', "
                         f"'edge', 'wrap'; received mode={mode!r}.")
    if constant_values is not None and mode != "constant":
        raise ValueError(f"pad(): `constant_values` needs mode='constant'; received "
                         f"mode={mode!r}.")
    try:
        pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.dim(), 2))
    except ValueError:
        raise ValueError(f"pad(): `pad_width` must be (before, after) pairs for the {x.dim()} "
                         f"axes of `x`; received pad_width={pad_width!r}.") from None
    if (pw < 0).any():
        raise ValueError(f"pad(): `pad_width` must be non-negative; received {pad_width!r}.")
    if mode == "constant":
        flat = []
        for before, after in pw[::-1]:
            flat.extend([int(before), int(after)])
        value = 0 if constant_values is None else constant_values
        if isinstance(value, (Tensor, np.ndarray, np.generic)):
            value = _t(value).item()
        return torch.nn.functional.pad(x, flat, value=value)
    # The other modes gather from `x`: NumPy's own padding of the positions
    # 0..n-1 gives, for each padded position, the index it copies.
    for axis, (before, after) in enumerate(pw):
        if before == 0 and after == 0:
            continue
        n = x.shape[axis]
        if n == 0:
            raise ValueError(f"pad(): cannot pad an empty axis with mode={mode!r}.")
        source = np.pad(np.arange(n), (int(before), int(after)), mode=mode)
        x = torch.index_select(x, axis, torch.as_tensor(source, device=x.device))
    return x


@op
def triu(x, k=0):
    """The upper triangle of `x` from the `k`-th diagonal, zeros below."""
    return torch.triu(_t(x), diagonal=k)


@op
def tril(x, k=0):
    """The lower triangle of `x` up to the `k`-th diagonal, zeros above."""
    return torch.tril(_t(x), diagonal=k)


@op
def diagonal(x, offset=0, axis1=0, axis2=1):
    """The `offset` diagonal of the plane `axis1`/`axis2`."""
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


@op
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along the `offset` diagonal of the plane `axis1`/`axis2`."""
    x = _t(x)
    dt = torch.int32 if x.dtype in _SMALL_INTS else x.dtype
    return torch.sum(torch.diagonal(x, offset=offset, dim1=axis1, dim2=axis2), dim=-1, dtype=dt)


@op
def cast(x, dtype):
    """`x` converted to `dtype`."""
    x = _t(x)
    torch_dtype = dtypes.to_torch(dtype)
    return x if x.dtype == torch_dtype else x.to(torch_dtype)


@op
def stop_gradient(variable):
    """`variable` detached from the autograd graph."""
    return _t(variable).detach()


@op
def getitem(x, key):
    """`x[key]` (NumPy-style indexing)."""
    x = _t(x)
    return x[_index_key(key)]


def _index_key(key):
    if isinstance(key, tuple):
        return tuple(_index_key(k) for k in key)
    if isinstance(key, (np.ndarray, list, Variable)):
        return _t(key)
    return key


# -- sorting and indexing ---------------------------------------------------
@op
def sort(x, axis=-1):
    """`x` sorted along `axis`."""
    return torch.sort(_t(x), dim=axis).values


@op
def argsort(x, axis=-1):
    """Indices (int32) that sort `x` along `axis` (stable)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.flatten(), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@op
def take(x, indices, axis=None):
    """Elements of `x` at `indices` along `axis` (of the flattened `x` when None); negative
    indices count from the end."""
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.flatten(), 0
    axis = axis % x.dim()
    n = x.shape[axis]
    indices = torch.where(indices < 0, indices + n, indices)
    out = torch.index_select(x, axis, indices.flatten())
    return out.reshape(tuple(x.shape[:axis]) + tuple(indices.shape) + tuple(x.shape[axis + 1:]))


@op
def take_along_axis(x, indices, axis=None):
    """Values of `x` at `indices` along `axis` (matching shapes, as NumPy)."""
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.flatten(), 0
    n = x.shape[axis]
    indices = torch.where(indices < 0, indices + n, indices)
    return torch.take_along_dim(x, indices, dim=axis)


@op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """`x` with NaN replaced by `nan` and infinities by `posinf`/`neginf` (default: the
    dtype's extremes)."""
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


# ============================================================================
# Keras dtype promotion (the lattice Keras 3 uses on the torch backend)
# ============================================================================
# Each dtype points to the dtypes directly above it; "int" and "float" are the
# weak types of Python scalars. The least upper bound of a set of dtypes is the
# result dtype; 64-bit results come back as 32-bit ones (Keras does the same on
# the torch backend, following JAX's default).
_PROMOTION_EDGES = {
    "bool": ("int",),
    "uint8": ("int16", "uint16"), "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"), "uint64": ("float",),
    "int": ("uint8", "int8", "complex64"),
    "int8": ("int16",), "int16": ("int32",), "int32": ("int64",), "int64": ("float",),
    "float": ("bfloat16", "float16"),
    "bfloat16": ("float32",), "float16": ("float32",),
    "float32": ("float64", "complex64"), "float64": ("complex128",),
    "complex64": ("complex128",), "complex128": (),
}


def _above(node):
    seen = {node}
    todo = [node]
    while todo:
        for nxt in _PROMOTION_EDGES[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


_UPPER = {node: _above(node) for node in _PROMOTION_EDGES}
_NARROW = {"int64": "int32", "uint64": "uint32", "float64": "float32",
           "complex128": "complex64"}


def _dtype_name(value):
    """(Keras dtype name, is weak) of a dtype-like or a Python scalar type."""
    if value is int:
        return "int32", True
    if value is float:
        return "float32", True
    if value is bool:
        return "bool", False
    if isinstance(value, torch.dtype):
        return dtypes.name_of(value), False
    if isinstance(value, (np.dtype, type)):
        return np.dtype(value).name, False
    name = str(value)
    if name in ("uint16", "uint32", "uint64"):  # Keras dtypes torch has no tensors of
        return name, False
    return dtypes.name_of(value), False


def _least_upper_bound(names):
    common = frozenset.intersection(*(_UPPER[n] for n in names))
    direct = common & set(names)
    lub = direct or {c for c in common if common <= _UPPER[c]}
    if len(lub) != 1:
        raise ValueError(f"Input dtypes {tuple(names)} have no implicit dtype promotion path; "
                         "cast the inputs explicitly.")
    return next(iter(lub))


def result_type(*dtypes_):
    """The dtype Keras 3's promotion rules give for these dtypes (Keras dtype
    names, torch/NumPy dtypes, or the Python types `int`/`float`/`bool` for
    weakly typed scalars); as `keras.backend.result_type` on the torch backend."""
    if not dtypes_:
        return config.floatx()
    parsed = [_dtype_name(config.floatx() if d is None else d) for d in dtypes_]
    names = [n for n, _ in parsed]
    weak = [w for _, w in parsed]
    if len(parsed) == 1:
        out, out_weak = names[0], weak[0]
    elif len(set(names)) == 1 and not builtins.all(weak):
        out, out_weak = names[0], False
    elif builtins.all(weak):
        out, out_weak = _least_upper_bound(set(names)), True
    else:
        respected = set()
        for n, w in zip(names, weak):
            if w and n != "bool":
                n = "float" if "float" in n else "int"
            respected.add(n)
        out = _least_upper_bound(respected)
        out_weak = out in ("int", "float")
    if out_weak and out != "bool":
        bits = config.floatx()[-2:]
        out = {"b": "bool", "i": f"int{bits}", "u": f"uint{bits}"}.get(
            "f" if out == "bfloat16" else out[:1], f"float{bits}")
    return _NARROW.get(out, out)


def _dt(x):
    return dtypes.name_of(x.dtype)


def _cast(x, name):
    target = dtypes.to_torch(name)
    return x if x.dtype == target else x.to(target)


def _not_symbolic(name, *values):
    for v in values:
        if isinstance(v, KerasTensor):
            raise TypeError(f"{name}() does not support symbolic tensors; received {v}.")


def _check_int(name, arg, value, minimum=None):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}(): `{arg}` must be an integer; received {arg}={value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}(): `{arg}` must be >= {minimum}; received {arg}={value!r}.")
    return int(value)


# ============================================================================
# Elementwise math
# ============================================================================
@op
def arccos(x):
    """Elementwise inverse cosine; integer inputs give floats."""
    return torch.arccos(_t(x))


@op
def arccosh(x):
    """Elementwise inverse hyperbolic cosine."""
    return torch.arccosh(_t(x))


@op
def arcsin(x):
    """Elementwise inverse sine."""
    return torch.arcsin(_t(x))


@op
def arcsinh(x):
    """Elementwise inverse hyperbolic sine."""
    return torch.arcsinh(_t(x))


@op
def arctanh(x):
    """Elementwise inverse hyperbolic tangent."""
    return torch.arctanh(_t(x))


@op
def arctan2(x1, x2):
    """Elementwise arc tangent of `x1 / x2`, choosing the quadrant."""
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype, float)
    compute = "float32" if out_dtype == "float16" and x1.device.type == "cpu" else out_dtype
    return _cast(torch.arctan2(_cast(x1, compute), _cast(x2, compute)), out_dtype)


@op
def angle(x):
    """The argument (angle in radians) of complex values; 0 or pi for reals."""
    return torch.angle(_t(x))


@op
def cbrt(x):
    """Elementwise cube root (real, negative for negative inputs)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.sign(x) * torch.abs(x) ** (1.0 / 3.0)


@op
def deg2rad(x):
    """Converts angles from degrees to radians."""
    x = _t(x)
    out = torch.deg2rad(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op
def rad2deg(x):
    """Converts angles from radians to degrees."""
    x = _t(x)
    out = torch.rad2deg(x)
    return out.to(torch.float64) if x.dtype == torch.int64 else out


@op
def exp2(x):
    """Elementwise `2 ** x`; integer and boolean inputs give `floatx()`."""
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.to(_floatx())
    return torch.exp2(x)


@op
def fabs(x):
    """Elementwise absolute value as a float; complex inputs are refused."""
    x = _t(x)
    if x.is_complex():
        raise TypeError(f"fabs() does not support complex inputs; received x.dtype={_dt(x)}.")
    if not x.is_floating_point():
        x = x.to(_floatx())
    return torch.abs(x)


@op
def trunc(x):
    """Rounds toward zero, elementwise (booleans are returned unchanged)."""
    x = _t(x)
    return x if x.dtype == torch.bool else torch.trunc(x)


@op
def sinc(x):
    """The normalized sinc function `sin(pi x) / (pi x)` (1 at 0)."""
    return torch.sinc(_t(x))


@op
def signbit(x):
    """True where the sign bit is set (negative numbers and -0.0)."""
    return torch.signbit(_t(x))


@op
def i0(x):
    """The modified Bessel function of the first kind, order 0."""
    x = _t(x)
    name = _dt(x)
    if name in ("int64", "float64"):
        name = "float64"
    elif name not in ("bfloat16", "float16"):
        name = config.floatx()
    return torch.i0(_cast(x, name))


@op
def conjugate(x):
    """The complex conjugate, elementwise (real inputs are returned as is)."""
    return torch.conj(_t(x)).resolve_conj()


@op
def conj(x):
    """Alias of `conjugate`."""
    return torch.conj(_t(x)).resolve_conj()


@op
def real(x):
    """The real part of complex values (real inputs are returned as is)."""
    return torch.real(_t(x))


@op
def imag(x):
    """The imaginary part of complex values."""
    return torch.imag(_t(x))


@op
def isneginf(x):
    """True where `x` is negative infinity."""
    return torch.isneginf(_t(x))


@op
def isposinf(x):
    """True where `x` is positive infinity."""
    return torch.isposinf(_t(x))


@op
def isreal(x):
    """True where the imaginary part is zero (everywhere for real inputs)."""
    return torch.isreal(_t(x))


@op
def copy(x):
    """A copy of `x` (a new tensor)."""
    return torch.clone(_t(x))


def _float_pair_dtype(x1, x2):
    """Result dtype of hypot/heaviside: ints become floatx (int64 float64)."""
    name = result_type(x1.dtype, x2.dtype)
    if name in ("int8", "int16", "int32", "uint8", "uint16", "uint32"):
        return config.floatx()
    if name == "int64":
        return "float64"
    return name


@op
def hypot(x1, x2):
    """Elementwise `sqrt(x1**2 + x2**2)`."""
    x1, x2 = _t(x1), _t(x2)
    name = _float_pair_dtype(x1, x2)
    return torch.hypot(_cast(x1, name), _cast(x2, name))


@op
def heaviside(x1, x2):
    """The Heaviside step: 0 where x1 < 0, `x2` where x1 == 0, 1 where x1 > 0."""
    x1, x2 = _t(x1), _t(x2)
    name = _float_pair_dtype(x1, x2)
    return torch.heaviside(_cast(x1, name), _cast(x2, name))


@op
def logaddexp(x1, x2):
    """Elementwise `log(exp(x1) + exp(x2))`, computed stably."""
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    if name == "float16" and x1.device.type == "cpu":
        return _cast(torch.logaddexp(_cast(x1, "float32"), _cast(x2, "float32")), name)
    return torch.logaddexp(_cast(x1, name), _cast(x2, name))


@op
def logaddexp2(x1, x2):
    """Elementwise `log2(2**x1 + 2**x2)`, computed stably."""
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    return torch.logaddexp2(_cast(x1, name), _cast(x2, name))


@op
def ldexp(x1, x2):
    """Elementwise `x1 * 2**x2`; the exponent `x2` must be an integer tensor."""
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    if x2.is_floating_point() or x2.is_complex() or x2.dtype == torch.bool:
        raise TypeError(f"ldexp(): the exponent `x2` must have an integer dtype; "
                        f"received x2.dtype={_dt(x2)}.")
    return _cast(torch.ldexp(x1, x2), name)


@op
def nextafter(x1, x2):
    """The next representable float after `x1` in the direction of `x2`
    (computed in float64, returned in the promoted float dtype)."""
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype, float)
    return _cast(torch.nextafter(x1.to(torch.float64), x2.to(torch.float64)), name)


def _fm(fn, x1, x2):
    name = result_type(getattr(x1, "dtype", type(x1)), getattr(x2, "dtype", type(x2)))
    return fn(convert_to_tensor(x1, name), convert_to_tensor(x2, name))


@op
def fmax(x1, x2):
    """Elementwise maximum that ignores NaN (NaN only where both are NaN)."""
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    return _fm(torch.fmax, x1, x2)


@op
def fmin(x1, x2):
    """Elementwise minimum that ignores NaN (NaN only where both are NaN)."""
    x1 = x1 if isinstance(x1, (int, float)) else _t(x1)
    x2 = x2 if isinstance(x2, (int, float)) else _t(x2)
    return _fm(torch.fmin, x1, x2)


@op
def fmod(x1, x2):
    """Elementwise remainder of division with the sign of `x1` (C fmod)."""
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    return torch.fmod(x1, x2)


@op
def gcd(x1, x2):
    """Elementwise greatest common divisor of integers."""
    return torch.gcd(_t(x1), _t(x2))


@op
def lcm(x1, x2):
    """Elementwise least common multiple of integers."""
    return torch.lcm(_t(x1), _t(x2))


# -- bitwise ----------------------------------------------------------------
@op
def bitwise_and(x, y):
    """Elementwise bitwise AND of integer or boolean tensors."""
    return torch.bitwise_and(_t(x), _t(y))


@op
def bitwise_or(x, y):
    """Elementwise bitwise OR of integer or boolean tensors."""
    return torch.bitwise_or(_t(x), _t(y))


@op
def bitwise_xor(x, y):
    """Elementwise bitwise XOR of integer or boolean tensors."""
    return torch.bitwise_xor(_t(x), _t(y))


@op
def bitwise_invert(x):
    """Elementwise bitwise NOT (`~x`) of integer or boolean tensors."""
    return torch.bitwise_not(_t(x))


@op
def bitwise_not(x):
    """Alias of `bitwise_invert`."""
    return torch.bitwise_not(_t(x))


def _shift_amount(y):
    return y if isinstance(y, int) and not isinstance(y, bool) else _t(y)


@op
def bitwise_left_shift(x, y):
    """Shifts the bits of integers `x` to the left by `y`."""
    return torch.bitwise_left_shift(_t(x), _shift_amount(y))


@op
def left_shift(x, y):
    """Alias of `bitwise_left_shift`."""
    return torch.bitwise_left_shift(_t(x), _shift_amount(y))


@op
def bitwise_right_shift(x, y):
    """Shifts the bits of integers `x` to the right by `y` (arithmetic shift)."""
    return torch.bitwise_right_shift(_t(x), _shift_amount(y))


@op
def right_shift(x, y):
    """Alias of `bitwise_right_shift`."""
    return torch.bitwise_right_shift(_t(x), _shift_amount(y))


# -- comparisons --------------------------------------------------------------
@op
def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True when every element satisfies `|x1 - x2| <= atol + rtol * |x2|`
    (exact equality for non-float dtypes)."""
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype)
    x1, x2 = _cast(x1, name), _cast(x2, name)
    if "float" in name:
        return torch.all(torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))
    return torch.all(torch.eq(x1, x2))


@op
def isin(x1, x2, assume_unique=False, invert=False):
    """True where an element of `x1` occurs in `x2` (False with `invert=True`)."""
    x1, x2 = _t(x1), _t(x2)
    if result_type(x1.dtype, x2.dtype) == "bool":
        x1, x2 = x1.to(torch.int32), x2.to(torch.int32)
    if x1.dtype == torch.bool:
        x1 = x1.to(x2.dtype)
    if x2.dtype == torch.bool:
        x2 = x2.to(x1.dtype)
    return torch.isin(x1, x2, assume_unique=assume_unique, invert=invert)


# ============================================================================
# Reductions: quantiles and NaN-ignoring reductions
# ============================================================================
_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _dims(axis, ndim):
    """`axis` as a sorted tuple of non-negative ints (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for a tensor of rank {ndim}.")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(out))


def _quantile(fn, x, q, axis, method, keepdims):
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"`method` must be one of {_QUANTILE_METHODS}; received "
                         f"method={method!r}.")
    x, q = _t(x), _t(q)
    compute = result_type(x.dtype, "float32")
    out_dtype = result_type(x.dtype, float)
    x = _cast(x, compute)
    if q.dtype != x.dtype:
        q = q.to(x.dtype)
    if axis is None:
        y = x.reshape(-1)
        dims = None
    else:
        dims = _dims(axis, x.dim())
        others = [d for d in range(x.dim()) if d not in dims]
        y = x.permute(others + list(dims))
        y = y.reshape([x.shape[d] for d in others] + [int(np.prod([x.shape[d] for d in dims]))])
    y = fn(y, q, dim=-1, interpolation=method)
    if keepdims:
        if dims is None:
            for _ in range(x.dim()):
                y = y.unsqueeze(-1)
        else:
            for d in dims:
                y = y.unsqueeze(d + 1 if q.dim() > 0 else d)
    return _cast(y, out_dtype)


@op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th quantiles (q in [0, 1]) of `x` along `axis`; with a vector
    `q` the quantiles are stacked along a new first axis."""
    return _quantile(torch.quantile, x, q, axis, method, keepdims)


@op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The `q`-th percentiles (q in [0, 100]) of `x` along `axis`."""
    return _quantile(torch.quantile, x, convert_to_tensor(q, config.floatx()) / 100.0, axis,
                     method, keepdims)


@op
def median(x, axis=None, keepdims=False):
    """The median along `axis` (the mean of the two middle values for an even
    count); always a float result."""
    return _quantile(torch.quantile, x, 0.5, axis, "linear", keepdims)


@op
def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    """As `quantile`, ignoring NaN values."""
    return _quantile(torch.nanquantile, x, q, axis, method, keepdims)


@op
def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    """As `percentile`, ignoring NaN values."""
    return _quantile(torch.nanquantile, x, convert_to_tensor(q, config.floatx()) / 100.0,
                     axis, method, keepdims)


def _empty_axis(axis):
    return isinstance(axis, (tuple, list)) and len(axis) == 0


@op
def nanmedian(x, axis=None, keepdims=False):
    """As `median`, ignoring NaN values."""
    x = _t(x)
    if _empty_axis(axis):
        return x
    return _quantile(torch.nanquantile, x, 0.5, axis, "linear", keepdims)


@op
def ptp(x, axis=None, keepdims=False):
    """Range of values (`max - min`) along `axis`."""
    x = _t(x)
    if _empty_axis(axis):
        return torch.zeros_like(x)
    dims = _dims(axis, x.dim())
    return torch.amax(x, dim=dims, keepdim=keepdims) - torch.amin(x, dim=dims, keepdim=keepdims)


def _nan_extreme(x, axis, keepdims, reduce_fn, fill):
    x = _t(x)
    dims = _dims(axis, x.dim()) if not _empty_axis(axis) else None
    if not x.is_floating_point():
        return reduce_fn(x, dim=dims if dims is not None else (), keepdim=keepdims)
    if dims is None:
        return x
    nan = torch.isnan(x)
    out = reduce_fn(torch.where(nan, fill, x), dim=dims, keepdim=keepdims)
    all_nan = torch.all(nan, dim=dims, keepdim=keepdims) if dims else nan
    return torch.where(all_nan, torch.tensor(float("nan"), dtype=x.dtype, device=x.device), out)


@op
def nanmax(x, axis=None, keepdims=False):
    """The maximum along `axis` ignoring NaN (NaN where every value is NaN)."""
    return _nan_extreme(x, axis, keepdims, torch.amax, float("-inf"))


@op
def nanmin(x, axis=None, keepdims=False):
    """The minimum along `axis` ignoring NaN (NaN where every value is NaN)."""
    return _nan_extreme(x, axis, keepdims, torch.amin, float("inf"))


def _nan_arg(x, axis, keepdims, fn, fill):
    x = _t(x)
    if not x.is_floating_point():
        return fn(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    best = fn(torch.where(nan, fill, x), axis=axis, keepdims=keepdims)
    if axis is None:
        all_nan = torch.all(nan)
        if keepdims:
            all_nan = all_nan.reshape((1,) * x.dim())
    else:
        all_nan = torch.all(nan, dim=axis, keepdim=keepdims)
    return torch.where(all_nan, torch.tensor(-1, dtype=torch.int32, device=x.device), best)


@op
def nanargmax(x, axis=None, keepdims=False):
    """Index of the maximum along `axis` ignoring NaN (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, argmax, float("-inf"))


@op
def nanargmin(x, axis=None, keepdims=False):
    """Index of the minimum along `axis` ignoring NaN (-1 where all are NaN)."""
    return _nan_arg(x, axis, keepdims, argmin, float("inf"))


@op
def nansum(x, axis=None, keepdims=False):
    """The sum along `axis`, treating NaN as zero (small ints sum as int32)."""
    if isinstance(x, (list, tuple)):
        x = stack(x)
    x = _t(x)
    name = _dt(x)
    if name in ("bool", "uint8", "int8", "int16"):
        name = "int32"
    if _empty_axis(axis):
        return _cast(torch.nan_to_num(x, nan=0), name)
    if not x.is_floating_point() and not x.is_complex():
        return torch.sum(x, dim=_dims(axis, x.dim()), keepdim=keepdims,
                         dtype=dtypes.to_torch(name))
    return _cast(torch.nansum(x, dim=_dims(axis, x.dim()), keepdim=keepdims), name)


@op
def nanprod(x, axis=None, keepdims=False):
    """The product along `axis`, treating NaN as one."""
    x = _t(x)
    if _empty_axis(axis):
        return torch.nan_to_num(x, nan=1)
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype, device=x.device), x)
    return prod(x, axis=axis, keepdims=keepdims)


@op
def nanmean(x, axis=None, keepdims=False):
    """The mean along `axis` ignoring NaN (a float result)."""
    x = _t(x)
    if _empty_axis(axis):
        return x
    x = _cast(x, result_type(_dt(x), float))
    return torch.nanmean(x, dim=_dims(axis, x.dim()), keepdim=keepdims)


@op
def nanvar(x, axis=None, keepdims=False):
    """The (population) variance along `axis` ignoring NaN."""
    x = _t(x)
    x = _cast(x, result_type(x.dtype, float))
    if _empty_axis(axis):
        return torch.where(torch.isnan(x), x, torch.zeros((), dtype=x.dtype, device=x.device))
    dims = _dims(axis, x.dim())
    centre = torch.nanmean(x, dim=dims, keepdim=True)
    valid = ~torch.isnan(x)
    centred = torch.where(valid, x - centre, torch.zeros_like(x))
    if centred.is_complex():
        centred = centred.real * centred.real + centred.imag * centred.imag
    else:
        centred = centred.square()
    return centred.sum(dim=dims, keepdim=keepdims) / valid.sum(dim=dims, keepdim=keepdims)


@op
def nanstd(x, axis=None, keepdims=False):
    """The (population) standard deviation along `axis` ignoring NaN."""
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


@op
def nancumsum(x, axis=None, dtype=None):
    """Cumulative sum along `axis` (flattened when None), NaN counted as 0."""
    return cumsum(nan_to_num(_t(x)), axis=axis, dtype=dtype)


@op
def nancumprod(x, axis=None, dtype=None):
    """Cumulative product along `axis` (flattened when None), NaN counted as 1."""
    return cumprod(nan_to_num(_t(x), nan=1.0), axis=axis, dtype=dtype)


# ============================================================================
# Creation
# ============================================================================
def empty(shape, dtype=None):
    """An uninitialized tensor of `shape` (its values are arbitrary)."""
    return torch.empty(_shape_arg(shape), dtype=_creation_dtype(dtype))


@op
def empty_like(x, dtype=None):
    """An uninitialized tensor with the shape (and, by default, dtype) of `x`."""
    x = _t(x)
    return torch.empty_like(x, dtype=x.dtype if dtype is None else dtypes.to_torch(dtype))


def tri(N, M=None, k=0, dtype=None):
    """An `N x M` matrix with ones at and below the `k`-th diagonal."""
    N = _check_int("tri", "N", N, 0)
    M = N if not M else _check_int("tri", "M", M, 0)
    return torch.tril(torch.ones((N, M), dtype=_creation_dtype(dtype)), diagonal=int(k))


def _space_dtype(start, stop, dtype):
    if dtype is not None:
        return dtypes.to_torch(dtype)
    return dtypes.to_torch(result_type(getattr(start, "dtype", type(start)),
                                       getattr(stop, "dtype", type(stop)), float))


def _logspace(start, stop, num, endpoint, base, torch_dtype):
    if endpoint is False:
        stop = stop - ((stop - start) / num)
    if hasattr(start, "__len__") and hasattr(stop, "__len__"):
        start = convert_to_tensor(start, torch_dtype)
        stop = convert_to_tensor(stop, torch_dtype)
        steps = torch.arange(num, dtype=torch_dtype) / (num - 1)
        for _ in range(start.dim()):
            steps = steps.unsqueeze(-1)
        return base ** (start[None] + steps * (stop - start)[None])
    compute = torch.float32 if torch_dtype == torch.float16 else torch_dtype
    return torch.logspace(start=start, end=stop, steps=num, base=base,
                          dtype=compute).to(torch_dtype)


@op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale, from `base**start` to
    `base**stop` (`stop` excluded when `endpoint=False`)."""
    if axis != 0:
        raise ValueError(f"logspace(): only axis=0 is supported on torch; received axis={axis}.")
    num = _check_int("logspace", "num", num, 0)
    if isinstance(start, (np.ndarray, Variable)) or isinstance(start, (list, tuple)):
        start = _t(start)
    if isinstance(stop, (np.ndarray, Variable)) or isinstance(stop, (list, tuple)):
        stop = _t(stop)
    return _logspace(start, stop, num, endpoint, base, _space_dtype(start, stop, dtype))


@op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` numbers spaced evenly on a log scale (a geometric progression)
    from `start` to `stop`."""
    if axis != 0:
        raise ValueError(f"geomspace(): only axis=0 is supported on torch; received "
                         f"axis={axis}.")
    num = _check_int("geomspace", "num", num, 0)
    torch_dtype = _space_dtype(start, stop, dtype)
    start = convert_to_tensor(start, torch_dtype)
    stop = convert_to_tensor(stop, torch_dtype)
    out = _logspace(torch.log10(torch.abs(start)), torch.log10(torch.abs(stop)), num,
                    endpoint, 10, torch_dtype)
    return out * torch.sign(start)


def _window(name, fn, x, **kwargs):
    _not_symbolic(name, x)
    m = _check_int(name, "x", x.item() if isinstance(x, (Tensor, np.ndarray)) else x)
    if m < 1:
        return torch.zeros((0,), dtype=_floatx())
    return fn(m, dtype=_floatx(), **kwargs)


def bartlett(x):
    """The Bartlett (triangular) window of `x` points."""
    return _window("bartlett", torch.signal.windows.bartlett, x)


def blackman(x):
    """The Blackman window of `x` points."""
    return _window("blackman", torch.signal.windows.blackman, x)


def hamming(x):
    """The Hamming window of `x` points."""
    return _window("hamming", torch.signal.windows.hamming, x)


def hanning(x):
    """The Hann (Hanning) window of `x` points."""
    return _window("hanning", torch.signal.windows.hann, x)


def kaiser(x, beta):
    """The Kaiser window of `x` points with shape parameter `beta`."""
    _not_symbolic("kaiser", beta)
    return _window("kaiser", torch.signal.windows.kaiser, x, beta=float(beta))


@op
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of the 1-D `x`: columns are powers of `x`
    (decreasing unless `increasing=True`), `N` columns (default len(x))."""
    x = _t(x)
    if x.dim() != 1:
        raise ValueError(f"vander(): `x` must be 1-D; received shape {tuple(x.shape)}.")
    if N is not None:
        N = _check_int("vander", "N", N, 0)
    if not isinstance(increasing, bool):
        raise TypeError(f"vander(): `increasing` must be a bool; received {increasing!r}.")
    return _cast(torch.vander(x, N=N, increasing=increasing), result_type(x.dtype))


@op
def diag(x, k=0):
    """The `k`-th diagonal of a matrix, or a square matrix with the vector `x`
    on its `k`-th diagonal."""
    x = _t(x)
    if x.dim() not in (1, 2):
        raise ValueError(f"diag(): `x` must be 1-D or 2-D; received shape {tuple(x.shape)}.")
    return torch.diag(x, diagonal=int(k))


@op
def diagflat(x, k=0):
    """A square matrix with the flattened `x` on its `k`-th diagonal."""
    return torch.diagflat(_t(x), offset=int(k))


@op
def meshgrid(*x, indexing="xy"):
    """Coordinate matrices from 1-D coordinate vectors (`indexing` "xy" or "ij")."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid(): `indexing` must be 'xy' or 'ij'; received {indexing!r}.")
    return tuple(torch.meshgrid([_t(i) for i in x], indexing=indexing))


# ============================================================================
# Joining, splitting and rearranging
# ============================================================================
@op
def append(x1, x2, axis=None):
    """`x2` appended to `x1` along `axis` (both flattened when axis is None)."""
    x1, x2 = _t(x1), _t(x2)
    if axis is None:
        return torch.cat((x1.flatten(), x2.flatten()))
    return torch.cat((x1, x2), dim=axis)


@op
def hstack(xs):
    """Stacks tensors horizontally (along axis 1; axis 0 for 1-D tensors)."""
    return torch.hstack([_t(x) for x in xs])


@op
def vstack(xs):
    """Stacks tensors vertically (along axis 0, 1-D tensors become rows)."""
    return torch.vstack([_t(x) for x in xs])


@op
def dstack(xs):
    """Stacks tensors along the third axis (depth)."""
    return torch.dstack([_t(x) for x in xs])


def _sections(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    return [int(i) for i in _t(indices_or_sections).tolist()]


@op
def hsplit(x, indices_or_sections):
    """Splits `x` horizontally (axis 1, or 0 for 1-D) into equal sections or
    at the given indices."""
    return list(torch.hsplit(_t(x), _sections(indices_or_sections)))


@op
def vsplit(x, indices_or_sections):
    """Splits `x` vertically (axis 0) into equal sections or at the indices."""
    return list(torch.vsplit(_t(x), _sections(indices_or_sections)))


@op
def dsplit(x, indices_or_sections):
    """Splits `x` along axis 2 into equal sections or at the indices."""
    return list(torch.dsplit(_t(x), _sections(indices_or_sections)))


@op
def array_split(x, indices_or_sections, axis=0):
    """Splits `x` into `indices_or_sections` parts along `axis`; unlike
    `split`, the parts may differ in size (the first ones get one more)."""
    if isinstance(indices_or_sections, bool) or not isinstance(indices_or_sections,
                                                                (int, np.integer)):
        raise TypeError("array_split(): `indices_or_sections` must be an integer; received "
                        f"indices_or_sections={indices_or_sections!r}.")
    if indices_or_sections <= 0:
        raise ValueError("array_split(): `indices_or_sections` must be positive; received "
                         f"indices_or_sections={indices_or_sections!r}.")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"array_split(): `axis` must be an integer; received axis={axis!r}.")
    return list(torch.tensor_split(_t(x), int(indices_or_sections), dim=int(axis)))


@op
def fliplr(x):
    """Reverses the order of columns (axis 1)."""
    x = _t(x)
    if x.dim() < 2:
        raise ValueError(f"fliplr(): `x` must be at least 2-D; received shape {tuple(x.shape)}.")
    return torch.fliplr(x)


@op
def flipud(x):
    """Reverses the order of rows (axis 0)."""
    x = _t(x)
    if x.dim() < 1:
        raise ValueError("flipud(): `x` must be at least 1-D.")
    return torch.flipud(x)


@op
def rot90(array, k=1, axes=(0, 1)):
    """Rotates `array` by 90 degrees `k` times in the plane of `axes`
    (counter-clockwise from the first axis towards the second)."""
    array = _t(array)
    if array.dim() < 2:
        raise ValueError(f"rot90(): `array` must be at least 2-D; received shape "
                         f"{tuple(array.shape)}.")
    axes = tuple(int(a) for a in axes)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ValueError(f"rot90(): `axes` must be two different axes; received axes={axes}.")
    axes = tuple(a + array.dim() if a < 0 else a for a in axes)
    if not builtins.all(0 <= a < array.dim() for a in axes):
        raise ValueError(f"rot90(): `axes` {axes} out of bounds for rank {array.dim()}.")
    return torch.rot90(array, k=int(k), dims=axes)


@op
def roll(x, shift, axis=None):
    """Rolls elements by `shift` along `axis` (of the flattened tensor when
    axis is None); elements leaving one end come back at the other."""
    x = _t(x)
    shift = tuple(int(s) for s in shift) if isinstance(shift, (list, tuple)) else int(shift)
    if axis is None:
        return torch.roll(x, shift)
    axis = tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)
    return torch.roll(x, shift, dims=axis)


@op
def diff(a, n=1, axis=-1):
    """The `n`-th discrete difference along `axis`."""
    n = _check_int("diff", "n", n, 0)
    a = _t(a)
    if n == 0:
        return a
    return torch.diff(a, n=n, dim=int(axis))


@op
def view(x, dtype=None):
    """The same memory reinterpreted as `dtype` (the last axis is rescaled
    when the item sizes differ)."""
    return _t(x).view(dtype=_creation_dtype(dtype))


# ============================================================================
# Products, correlation
# ============================================================================
@op
def inner(x1, x2):
    """Inner product over the last axes of `x1` and `x2`."""
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.inner(_cast(x1, compute), _cast(x2, compute)), out_dtype)


@op
def vdot(x1, x2):
    """Dot product of the flattened inputs (the first one conjugated)."""
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = result_type(out_dtype, float)
    if compute == "float16" and x1.device.type == "cpu":
        compute = "float32"
    return _cast(torch.vdot(_cast(x1, compute).flatten(), _cast(x2, compute).flatten()),
                 out_dtype)


@op
def kron(x1, x2):
    """The Kronecker product of `x1` and `x2`."""
    return torch.kron(_t(x1), _t(x2))


@op
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-element vectors along `axis` (default: last).
    On torch only `axis` is supported, not `axisa`/`axisb`/`axisc`."""
    if axisa != -1 or axisb != -1 or axisc != -1:
        raise ValueError("cross(): `axisa`, `axisb` and `axisc` are not supported on the torch "
                         f"backend (use `axis`); received axisa={axisa}, axisb={axisb}, "
                         f"axisc={axisc}.")
    x1, x2 = _t(x1), _t(x2)
    out_dtype = result_type(x1.dtype, x2.dtype)
    compute = "float32" if out_dtype == "float16" and x1.device.type == "cpu" else out_dtype
    x1, x2 = _cast(x1, compute), _cast(x2, compute)
    dim = -1 if axis is None else int(axis)
    if x1.shape[dim] == 2 or x2.shape[dim] == 2:
        raise ValueError("cross(): vectors of length 2 are not supported on torch; pad them "
                         "to length 3.")
    x1, x2 = torch.broadcast_tensors(x1, x2)
    return _cast(torch.linalg.cross(x1, x2, dim=dim), out_dtype)


@op
def correlate(x1, x2, mode="valid"):
    """Cross-correlation of two 1-D sequences (`mode` "valid", "same" or "full")."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate(): `mode` must be 'valid', 'same' or 'full'; received "
                         f"mode={mode!r}.")
    x1, x2 = _t(x1), _t(x2)
    name = result_type(x1.dtype, x2.dtype)
    if name == "int64":
        name = "float64"
    elif name not in ("bfloat16", "float16", "float64"):
        name = "float32"
    x1, x2 = _cast(x1, name), _cast(x2, name)
    n1, n2 = x1.shape[0], x2.shape[0]
    if x1.shape[:-1] != x2.shape[:-1]:
        lead = [builtins.max(i, j) for i, j in zip(x1.shape[:-1], x2.shape[:-1])]
        x1 = torch.broadcast_to(x1, lead + [x1.shape[-1]])
        x2 = torch.broadcast_to(x2, lead + [x2.shape[-1]])
    signals = int(np.prod(x1.shape[:-1]))
    a = x1.reshape(signals, x1.shape[-1])
    v = x2.reshape(signals, x2.shape[-1])
    full = torch.nn.functional.conv1d(a, v.unsqueeze(1), groups=signals,
                                      padding=v.shape[-1] - 1)
    full = full.reshape(tuple(a.shape[:-1]) + (-1,))
    if mode == "valid":
        length = builtins.max(n1, n2) - builtins.min(n1, n2) + 1
        begin = (full.shape[-1] - length) // 2
        full = full[..., begin:begin + length]
    elif mode == "same":
        begin = (full.shape[-1] - n1) // 2
        full = full[..., begin:begin + n1]
    return torch.squeeze(full)


@op
def corrcoef(x):
    """Pearson correlation coefficients of the rows of `x` (variables in rows)."""
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(_floatx())
    elif x.dtype == torch.int64:
        x = x.to(torch.float64)
    return torch.corrcoef(x)


@op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of `y` along `axis` by the trapezoidal rule, with sample
    points `x` or constant spacing `dx`."""
    y = _t(y)
    if y.dtype == torch.bool:
        y = y.to(_floatx())
    if x is not None:
        return torch.trapezoid(y, x=_t(x), dim=int(axis))
    return torch.trapezoid(y, dx=_t(dx), dim=int(axis))


# ============================================================================
# Indexing, searching, counting
# ============================================================================
get_item = getitem


@op
def argpartition(x, kth, axis=-1):
    """Indices that partition `x` along `axis`: the element at position `kth`
    is where it would be in sorted order, the `kth` positions before it hold
    indices of smaller-or-equal elements (ascending), the rest of larger ones.
    `axis=None` partitions the flattened tensor."""
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    axis = int(axis)
    n = x.shape[axis]
    kth = _check_int("argpartition", "kth", kth)
    if not -n <= kth < n:
        raise ValueError(f"argpartition(): kth={kth} is out of bounds for an axis of size {n}.")
    kth %= n
    moved = torch.movedim(x, axis, -1)
    if moved.dtype == torch.bool:
        moved = moved.to(torch.int32)
    # Stable ordering: the kth+1 smallest in ascending order, then the others
    # in their original order.
    order = torch.argsort(moved, dim=-1, stable=True)
    low = order[..., :kth + 1]
    chosen = torch.zeros(moved.shape, dtype=torch.bool, device=moved.device)
    chosen.scatter_(-1, low, True)
    rest = torch.argsort(chosen.to(torch.int8), dim=-1, stable=True)[..., :n - kth - 1]
    out = torch.cat([low, rest], dim=-1)
    return torch.movedim(out, -1, axis).to(torch.int32)


@op
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts of each non-negative integer value in `x` (1-D, or 2-D counted
    row by row); with `weights`, sums of the weights instead of counts."""
    if sparse:
        raise ValueError("bincount(): `sparse=True` is not supported on the torch backend.")
    minlength = _check_int("bincount", "minlength", minlength, 0)
    x = _t(x)
    if x.is_floating_point() or x.is_complex() or x.dtype == torch.bool:
        raise TypeError(f"bincount(): `x` must hold integers; received dtype {_dt(x)}.")
    if x.dim() not in (1, 2):
        raise ValueError(f"bincount(): `x` must be 1-D or 2-D; received shape "
                         f"{tuple(x.shape)}.")
    if x.numel() and int(x.min()) < 0:
        raise ValueError("bincount(): `x` must not hold negative values.")
    if weights is None:
        name = "int32"
    else:
        weights = _t(weights)
        name = result_type(x.dtype, weights.dtype)
    if x.dim() == 2:
        width = builtins.max(minlength, int(x.max()) + 1 if x.numel() else 0)
        rows = [torch.bincount(x[i], None if weights is None else weights[i], width)
                for i in range(x.shape[0])]
        return _cast(torch.stack(rows) if rows else torch.zeros((0, width)), name)
    return _cast(torch.bincount(x, weights, minlength), name)


@op
def digitize(x, bins):
    """The index of the bin each value of `x` falls in, for increasing `bins`:
    `i` such that `bins[i-1] <= x < bins[i]` (0 below the first edge,
    `len(bins)` at or above the last)."""
    x, bins = _t(x), _t(bins)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if x.dtype != bins.dtype:
        common = dtypes.to_torch(result_type(x.dtype, bins.dtype))
        x, bins = x.to(common), bins.to(common)
    return torch.bucketize(x, bins, right=True).to(torch.int32)


@op
def searchsorted(sorted_sequence, values, side="left"):
    """Indices where `values` would be inserted into the 1-D ascending
    `sorted_sequence` to keep it sorted (`side` "left" or "right" for ties)."""
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted(): `side` must be 'left' or 'right'; received "
                         f"side={side!r}.")
    sorted_sequence, values = _t(sorted_sequence), _t(values)
    if sorted_sequence.dim() != 1:
        raise ValueError("searchsorted(): `sorted_sequence` must be 1-D (use vectorized_map "
                         f"for N-D); received shape {tuple(sorted_sequence.shape)}.")
    if sorted_sequence.dtype != values.dtype:
        common = dtypes.to_torch(result_type(sorted_sequence.dtype, values.dtype))
        sorted_sequence, values = sorted_sequence.to(common), values.to(common)
    out_int32 = sorted_sequence.shape[0] <= np.iinfo(np.int32).max
    return torch.searchsorted(sorted_sequence, values, side=side, out_int32=out_int32)


@op
def histogram(x, bins=10, range=None):
    """Histogram of the 1-D `x`: (counts, bin edges) for `bins` equal-width
    bins over `range` (default: min to max of `x`)."""
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)):
        raise TypeError(f"histogram(): `bins` must be an integer; received bins={bins!r}.")
    if bins < 0:
        raise ValueError(f"histogram(): `bins` must be non-negative; received bins={bins}.")
    if range is not None:
        if not isinstance(range, (tuple, list)) or len(range) != 2:
            raise ValueError(f"histogram(): `range` must be a tuple of two numbers; received "
                             f"range={range!r}.")
        if range[1] < range[0]:
            raise ValueError(f"histogram(): `range[1]` must be >= `range[0]`; received "
                             f"range={range!r}.")
    x = _t(x)
    if x.dim() > 1:
        raise ValueError(f"histogram(): `x` must be 1-D; received shape {tuple(x.shape)}.")
    if not x.is_floating_point():
        x = x.to(_floatx())
    if range is None:
        result = torch.histogram(x, bins=int(bins))
    else:
        result = torch.histogram(x, bins=int(bins), range=(float(range[0]), float(range[1])))
    return result.hist, result.bin_edges


@op
def nonzero(x):
    """Indices of the non-zero elements, as an int32 tensor of shape
    `(ndim, count)` (row `i` holds the indices along axis `i`)."""
    return torch.nonzero(_t(x)).T.to(torch.int32)


@op
def unravel_index(indices, shape):
    """Converts flat indices into a tuple of index tensors for `shape`."""
    indices = _t(indices)
    shape = _shape_arg(shape)
    name = result_type(indices.dtype)
    return tuple(_cast(i, name) for i in torch.unravel_index(indices, shape))


@op
def select(condlist, choicelist, default=0):
    """Picks, elementwise, from the first choice whose condition is true
    (`default` where none is)."""
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise ValueError("select(): `condlist` and `choicelist` must be lists; received "
                         f"{type(condlist).__name__} and {type(choicelist).__name__}.")
    if not condlist or not choicelist:
        raise ValueError("select(): `condlist` and `choicelist` must not be empty.")
    if len(condlist) != len(choicelist):
        raise ValueError(f"select(): `condlist` ({len(condlist)}) and `choicelist` "
                         f"({len(choicelist)}) must have the same length.")
    out = _t(default)
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = torch.where(_t(cond), _t(choice), out)
    return out


@op
def slogdet(x):
    """(sign, log|det|) of square matrices (batched over leading axes)."""
    return tuple(torch.linalg.slogdet(_t(x)))


@op
def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """The unique values of `x` (of the flattened `x` when axis is None, else
    unique slices along `axis`), optionally with the first index of each, the
    inverse indices and the counts. With `size`, the result is cut or padded
    (with `fill_value`, default 0) to `size` entries."""
    x = _t(x)
    want_inverse = return_inverse or return_index
    out = torch.unique(x, sorted=sorted, return_inverse=want_inverse,
                       return_counts=return_counts, dim=axis)
    out = list(out) if isinstance(out, tuple) else [out]
    values = out[0]
    dim = 0 if axis is None else int(axis) % x.dim()
    first = None
    if return_index:
        inverse = out[1].flatten()
        positions = torch.arange(inverse.numel(), dtype=inverse.dtype, device=inverse.device)
        first = inverse.new_empty(values.shape[dim]).scatter_reduce_(
            0, inverse, positions, reduce="amin", include_self=False)
    counts = out[-1] if return_counts else None
    if size is not None:
        size = _check_int("unique", "size", size, 0)
        found = values.shape[dim]
        if found > size:
            values = values.narrow(dim, 0, size)
            counts = None if counts is None else counts[:size]
            first = None if first is None else first[:size]
        elif found < size:
            extra = size - found
            pad_shape = list(values.shape)
            pad_shape[dim] = extra
            filler = torch.full(pad_shape, 0 if fill_value is None else fill_value,
                                dtype=values.dtype, device=values.device)
            values = torch.cat([values, filler], dim=dim)
            if counts is not None:
                counts = torch.cat([counts, counts.new_zeros(extra)])
            if first is not None:
                first = torch.cat([first, first.new_ones(extra)])
    result = [values]
    if return_index:
        result.append(first)
    if return_inverse:
        result.append(out[1])
    if return_counts:
        result.append(counts)
    return result[0] if len(result) == 1 else tuple(result)


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turns `pyfunc` (written for single elements, or for the core
    dimensions of a gufunc `signature` such as "(n),(n)->()") into a function
    that maps over the leading, broadcast dimensions of its tensor arguments
    (with `torch.vmap`). Arguments named or numbered in `excluded` are passed
    through unchanged."""
    if not callable(pyfunc):
        raise ValueError(f"vectorize(): `pyfunc` must be callable; received {pyfunc!r}.")
    excluded = set() if excluded is None else set(excluded)
    core_in = None
    if signature is not None:
        core_in, _ = _parse_gufunc_signature(signature)

    def vectorized(*args, **kwargs):
        fixed_pos = {i: a for i, a in enumerate(args) if i in excluded}
        fixed_kw = {k: v for k, v in kwargs.items() if k in excluded}
        mapped_pos = [i for i in range(len(args)) if i not in excluded]
        mapped_kw = [k for k in kwargs if k not in excluded]
        tensors = [_t(args[i]) for i in mapped_pos] + [_t(kwargs[k]) for k in mapped_kw]
        if core_in is not None and len(core_in) != len(tensors):
            raise TypeError(f"vectorize(): the signature {signature!r} names {len(core_in)} "
                            f"inputs; received {len(tensors)}.")
        cores = core_in or [()] * len(tensors)
        loop_shapes = [tuple(t.shape[:t.dim() - len(c)]) for t, c in zip(tensors, cores)]
        loop = torch.broadcast_shapes(*loop_shapes) if loop_shapes else ()
        tensors = [torch.broadcast_to(t, loop + tuple(t.shape[t.dim() - len(c):]))
                   for t, c in zip(tensors, cores)]

        def call(*ts):
            pos = list(args)
            kw = dict(kwargs)
            for i, t in zip(mapped_pos, ts):
                pos[i] = t
            for k, t in zip(mapped_kw, ts[len(mapped_pos):]):
                kw[k] = t
            for i, v in fixed_pos.items():
                pos[i] = v
            kw.update(fixed_kw)
            return pyfunc(*pos, **kw)

        fn = call
        for _ in loop:
            fn = torch.vmap(fn)
        return fn(*tensors)

    return vectorized


def _parse_gufunc_signature(signature):
    import re
    match = re.fullmatch(r"\s*(\(.*?\)(?:\s*,\s*\(.*?\))*)\s*->\s*(\(.*?\)(?:\s*,\s*\(.*?\))*)\s*",
                         signature)
    if match is None:
        raise ValueError(f"vectorize(): not a valid gufunc signature: {signature!r}.")

    def parse(part):
        return [tuple(d.strip() for d in group.split(",") if d.strip())
                for group in re.findall(r"\((.*?)\)", part)]

    return parse(match.group(1)), parse(match.group(2))


# -- symbolic outputs whose sizes depend on the values ---------------------------
def _with_unknown(spec, dims):
    shape = list(spec.shape)
    for d in dims:
        shape[d] = None
    return KerasTensor(tuple(shape), spec.dtype)


def _nonzero_unknown(spec, arguments):
    return _with_unknown(spec, [1])


def _bincount_unknown(spec, arguments):
    return _with_unknown(spec, [-1])


def _unique_unknown(spec, arguments):
    specs = list(spec) if isinstance(spec, (tuple, list)) else [spec]
    if arguments.get("size") is not None:
        return spec
    axis = arguments.get("axis")
    out = [_with_unknown(specs[0], [0 if axis is None else axis])]
    rest = specs[1:]
    if arguments.get("return_index"):
        out.append(_with_unknown(rest.pop(0), [0]))
    if arguments.get("return_inverse"):
        out.append(rest.pop(0))
    if arguments.get("return_counts"):
        out.append(_with_unknown(rest.pop(0), [0]))
    return out[0] if len(out) == 1 else tuple(out)


nonzero._raw._unknown_dims = _nonzero_unknown
bincount._raw._unknown_dims = _bincount_unknown
unique._raw._unknown_dims = _unique_unknown


def _where_unknown(spec, arguments, args, kwargs):
    x1 = args[1] if len(args) > 1 else kwargs.get("x1")
    x2 = args[2] if len(args) > 2 else kwargs.get("x2")
    return _with_unknown(spec, [1]) if x1 is None and x2 is None else spec


where._raw._keep_unknown_dims = _where_unknown
