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
    return len(shape(x))


def size(x):
    return int(np.prod(shape(x)))


def is_tensor(x):
    return isinstance(x, Tensor)


def convert_to_numpy(x):
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
@op
def add(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 + x2


@op
def subtract(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 - x2


@op
def multiply(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 * x2


@op
def divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 / x2


true_divide = divide


@op
def divide_no_nan(x1, x2):
    x1, x2 = _pair(x1, x2)
    if not isinstance(x2, Tensor):
        x2 = torch.tensor(x2)
    zero = x2 == 0
    safe = torch.where(zero, torch.ones_like(x2), x2)
    return torch.where(zero, 0.0, x1 / safe)


@op
def floor_divide(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 // x2


@op
def mod(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 % x2


@op
def power(x1, x2):
    x1, x2 = _pair(x1, x2)
    return torch.pow(x1, x2)


@op
def negative(x):
    return -_t(x)


@op
def abs(x):
    return torch.abs(_t(x))


absolute = abs


@op
def sign(x):
    return torch.sign(_t(x))


@op
def square(x):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return x * x


@op
def sqrt(x):
    return torch.sqrt(_to_float(_t(x)))


@op
def rsqrt(x):
    return torch.rsqrt(_to_float(_t(x)))


@op
def exp(x):
    return torch.exp(_to_float(_t(x)))


@op
def log(x):
    return torch.log(_to_float(_t(x)))


@op
def log1p(x):
    return torch.log1p(_to_float(_t(x)))


@op
def expm1(x):
    return torch.expm1(_to_float(_t(x)))


@op
def log2(x):
    return torch.log2(_to_float(_t(x)))


@op
def log10(x):
    return torch.log10(_to_float(_t(x)))


@op
def tanh(x):
    return torch.tanh(_to_float(_t(x)))


@op
def sin(x):
    return torch.sin(_to_float(_t(x)))


@op
def cos(x):
    return torch.cos(_to_float(_t(x)))


@op
def tan(x):
    return torch.tan(_to_float(_t(x)))


@op
def arctan(x):
    return torch.atan(_to_float(_t(x)))


@op
def sinh(x):
    return torch.sinh(_to_float(_t(x)))


@op
def cosh(x):
    return torch.cosh(_to_float(_t(x)))


@op
def erf(x):
    return torch.erf(_to_float(_t(x)))


@op
def reciprocal(x):
    return torch.reciprocal(_to_float(_t(x)))


@op
def round(x, decimals=0):
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.round(x, decimals=int(decimals))


@op
def floor(x):
    return torch.floor(_to_float(_t(x)))


@op
def ceil(x):
    return torch.ceil(_to_float(_t(x)))


@op
def matmul(x1, x2):
    return torch.matmul(_t(x1), _t(x2))


@op
def dot(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    if x1.dim() == 0 or x2.dim() == 0:
        return x1 * x2
    if x2.dim() == 1:
        return torch.matmul(x1, x2)
    return torch.tensordot(x1, x2, dims=([-1], [-2]))


@op
def tensordot(x1, x2, axes=2):
    return torch.tensordot(_t(x1), _t(x2), dims=axes)


@op
def outer(x1, x2):
    return torch.outer(_t(x1).flatten(), _t(x2).flatten())


@op
def einsum(subscripts, *operands):
    return torch.einsum(subscripts, *[_t(o) for o in operands])


@op
def maximum(x1, x2):
    x1, x2 = _pair(x1, x2)
    if _is_scalar(x2) and x1.is_floating_point():
        return torch.clamp(x1, min=x2)
    if _is_scalar(x1) and x2.is_floating_point():
        return torch.clamp(x2, min=x1)
    x1, x2 = _common(x1, x2)
    return torch.maximum(x1, x2)


@op
def minimum(x1, x2):
    x1, x2 = _pair(x1, x2)
    if _is_scalar(x2) and x1.is_floating_point():
        return torch.clamp(x1, max=x2)
    if _is_scalar(x1) and x2.is_floating_point():
        return torch.clamp(x2, max=x1)
    x1, x2 = _common(x1, x2)
    return torch.minimum(x1, x2)


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
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    if isinstance(x_min, (Tensor, Variable, np.ndarray)) or isinstance(x_max, (Tensor, Variable,
                                                                              np.ndarray)):
        return torch.clamp(x, min=None if x_min is None else _t(x_min),
                           max=None if x_max is None else _t(x_max))
    return torch.clamp(x, min=x_min, max=x_max)


# -- comparisons and logic --------------------------------------------------
@op
def equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 == x2


@op
def not_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 != x2


@op
def less(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 < x2


@op
def less_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 <= x2


@op
def greater(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 > x2


@op
def greater_equal(x1, x2):
    x1, x2 = _pair(x1, x2)
    return x1 >= x2


@op
def logical_and(x1, x2):
    return torch.logical_and(_t(x1), _t(x2))


@op
def logical_or(x1, x2):
    return torch.logical_or(_t(x1), _t(x2))


@op
def logical_xor(x1, x2):
    return torch.logical_xor(_t(x1), _t(x2))


@op
def logical_not(x):
    return torch.logical_not(_t(x))


@op
def isnan(x):
    return torch.isnan(_t(x))


@op
def isinf(x):
    return torch.isinf(_t(x))


@op
def isfinite(x):
    return torch.isfinite(_t(x))


@op
def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _common(*_pair(x1, x2))
    return torch.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


@op
def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if condition.dtype != torch.bool:
        condition = condition != 0
    if x1 is None and x2 is None:
        return tuple(i.to(torch.int32) for i in torch.nonzero(condition, as_tuple=True))
    if x1 is None or x2 is None:
        raise ValueError("where(): pass both `x1` and `x2`, or neither.")
    if not _is_scalar(x1):
        x1 = _t(x1)
    if not _is_scalar(x2):
        x2 = _t(x2)
    if _is_scalar(x1) and _is_scalar(x2):
        x1 = convert_to_tensor(x1)
    return torch.where(condition, x1, x2)


# -- reductions -------------------------------------------------------------
def _reduce_all(out, x, keepdims):
    return out.reshape((1,) * x.dim()) if keepdims else out


@op
def mean(x, axis=None, keepdims=False):
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.mean(x), x, keepdims)
    return torch.mean(x, dim=axis, keepdim=keepdims)


@op
def sum(x, axis=None, keepdims=False):
    x = _t(x)
    dt = torch.int32 if x.dtype in _SMALL_INTS else None
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.sum(x, dtype=dt), x, keepdims)
    if axis == ():
        return x if dt is None else x.to(dt)
    return torch.sum(x, dim=axis, keepdim=keepdims, dtype=dt)


@op
def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    dt = dtypes.to_torch(dtype) if dtype is not None else (
        torch.int32 if x.dtype in _SMALL_INTS else None)
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.prod(x, dtype=dt), x, keepdims)
    if isinstance(axis, tuple):
        for a in sorted((a % x.dim() for a in axis), reverse=True):
            x = torch.prod(x, dim=a, keepdim=keepdims, dtype=dt)
        return x
    return torch.prod(x, dim=axis, keepdim=keepdims, dtype=dt)


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
    return _minmax(torch.amax, torch.maximum, x, axis, keepdims, initial)


@op
def min(x, axis=None, keepdims=False, initial=None):
    return _minmax(torch.amin, torch.minimum, x, axis, keepdims, initial)


amax = max
amin = min


@op
def any(x, axis=None, keepdims=False):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.any(x), x, keepdims)
    return torch.any(x, dim=axis, keepdim=keepdims)


@op
def all(x, axis=None, keepdims=False):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.all(x), x, keepdims)
    return torch.all(x, dim=axis, keepdim=keepdims)


@op
def argmax(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None and keepdims:
        return torch.argmax(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmax(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def argmin(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None and keepdims:
        return torch.argmin(x).reshape((1,) * x.dim()).to(torch.int32)
    return torch.argmin(x, dim=axis, keepdim=keepdims).to(torch.int32)


@op
def var(x, axis=None, keepdims=False):
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.var(x, correction=0), x, keepdims)
    return torch.var(x, dim=axis, keepdim=keepdims, correction=0)


@op
def std(x, axis=None, keepdims=False):
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return _reduce_all(torch.std(x, correction=0), x, keepdims)
    return torch.std(x, dim=axis, keepdim=keepdims, correction=0)


@op
def average(x, axis=None, weights=None):
    x = _to_float(_t(x))
    if weights is None:
        return mean(x, axis=axis)
    w = _t(weights).to(x.dtype)
    if axis is not None and w.dim() == 1 and x.dim() > 1:
        shape_ = [1] * x.dim()
        shape_[axis] = -1
        w = w.reshape(shape_)
    return torch.sum(x * w, dim=axis) / torch.sum(w * torch.ones_like(x), dim=axis)


@op
def cumsum(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    dt = dtypes.to_torch(dtype) if dtype is not None else (
        torch.int32 if x.dtype in _SMALL_INTS else None)
    return torch.cumsum(x, dim=axis, dtype=dt)


@op
def cumprod(x, axis=None, dtype=None):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    dt = dtypes.to_torch(dtype) if dtype is not None else (
        torch.int32 if x.dtype in _SMALL_INTS else None)
    return torch.cumprod(x, dim=axis, dtype=dt)


@op
def count_nonzero(x, axis=None):
    return torch.count_nonzero(_t(x), dim=_axis(axis)).to(torch.int32)


@op
def logsumexp(x, axis=None, keepdims=False):
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        axis = tuple(range(x.dim()))
    return torch.logsumexp(x, dim=axis, keepdim=keepdims)


@op
def norm(x, ord=None, axis=None, keepdims=False):
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
    return torch.ones(_shape_arg(shape), dtype=_creation_dtype(dtype))


def zeros(shape, dtype=None):
    return torch.zeros(_shape_arg(shape), dtype=_creation_dtype(dtype))


def full(shape, fill_value, dtype=None):
    if dtype is None and isinstance(fill_value, bool):
        dtype = "bool"
    elif dtype is None and isinstance(fill_value, int):
        dtype = "int32"
    fill_value = fill_value.item() if isinstance(fill_value, (Tensor, np.generic)) else fill_value
    return torch.full(_shape_arg(shape), fill_value, dtype=_creation_dtype(dtype))


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    out = torch.zeros((int(N), int(M)), dtype=_creation_dtype(dtype))
    out.diagonal(int(k)).fill_(1)
    return out


identity = eye


@op
def zeros_like(x, dtype=None):
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def ones_like(x, dtype=None):
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else dtypes.to_torch(dtype))


@op
def full_like(x, fill_value, dtype=None):
    x = _t(x)
    return torch.full_like(x, fill_value, dtype=None if dtype is None else dtypes.to_torch(dtype))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    if dtype is None:
        is_float = builtins.any(isinstance(v, (float, np.floating)) for v in (start, stop, step))
        dtype = config.floatx() if is_float else "int32"
    return torch.arange(start, stop, step, dtype=dtypes.to_torch(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
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
    x = _t(x)
    newshape = (-1 if d is None else int(d) for d in
                (newshape if isinstance(newshape, (list, tuple)) else _shape_arg(newshape)))
    return torch.reshape(x, tuple(newshape))


@op
def transpose(x, axes=None):
    x = _t(x)
    if axes is None:
        return x.permute(tuple(range(x.dim() - 1, -1, -1)))
    return x.permute(tuple(int(a) for a in axes))


@op
def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_t(x), axis1, axis2)


@op
def moveaxis(x, source, destination):
    return torch.movedim(_t(x), source, destination)


@op
def expand_dims(x, axis):
    x = _t(x)
    if isinstance(axis, int):
        return torch.unsqueeze(x, axis)
    out_ndim = x.dim() + len(axis)
    for a in sorted(int(a) % out_ndim for a in axis):
        x = torch.unsqueeze(x, a)
    return x


@op
def squeeze(x, axis=None):
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
    return torch.flatten(_t(x))


@op
def broadcast_to(x, shape):
    return torch.broadcast_to(_t(x), _shape_arg(shape))


@op
def tile(x, repeats):
    x = _t(x)
    repeats = _shape_arg(repeats)
    return torch.tile(x, repeats)


@op
def repeat(x, repeats, axis=None):
    x = _t(x)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = _t(repeats).to(torch.int64)
    return torch.repeat_interleave(x, repeats, dim=axis)


@op
def flip(x, axis=None):
    x = _t(x)
    axis = tuple(range(x.dim())) if axis is None else _axis(axis)
    return torch.flip(x, dims=(axis,) if isinstance(axis, int) else axis)


@op
def concatenate(xs, axis=0):
    xs = [_t(x) for x in xs]
    if axis is None:
        return torch.cat([x.flatten() for x in xs])
    return torch.cat(xs, dim=axis)


@op
def stack(x, axis=0):
    return torch.stack([_t(i) for i in x], dim=axis)


@op
def split(x, indices_or_sections, axis=0):
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
    x = _t(x)
    pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.dim(), 2))
    flat = []
    for before, after in pw[::-1]:
        flat.extend([int(before), int(after)])
    torch_mode = {"constant": "constant", "reflect": "reflect", "symmetric": None,
                  "edge": "replicate", "wrap": "circular"}.get(mode)
    if torch_mode is None:
        raise ValueError(f"pad(): unsupported mode {mode!r}")
    if torch_mode == "constant":
        return torch.nn.functional.pad(x, flat, value=constant_values or 0)
    return torch.nn.functional.pad(x, flat, mode=torch_mode)


@op
def triu(x, k=0):
    return torch.triu(_t(x), diagonal=k)


@op
def tril(x, k=0):
    return torch.tril(_t(x), diagonal=k)


@op
def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2)


@op
def trace(x, offset=0, axis1=0, axis2=1):
    return torch.sum(torch.diagonal(_t(x), offset=offset, dim1=axis1, dim2=axis2), dim=-1)


@op
def cast(x, dtype):
    x = _t(x)
    torch_dtype = dtypes.to_torch(dtype)
    return x if x.dtype == torch_dtype else x.to(torch_dtype)


@op
def stop_gradient(variable):
    return _t(variable).detach()


@op
def getitem(x, key):
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
    return torch.sort(_t(x), dim=axis).values


@op
def argsort(x, axis=-1):
    x = _t(x)
    if axis is None:
        x, axis = x.flatten(), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


@op
def take(x, indices, axis=None):
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
    x = _t(x)
    indices = _t(indices).to(torch.int64)
    if axis is None:
        x, axis = x.flatten(), 0
    n = x.shape[axis]
    indices = torch.where(indices < 0, indices + n, indices)
    return torch.take_along_dim(x, indices, dim=axis)


@op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return torch.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)
