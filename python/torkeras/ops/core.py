"""Tensor conversion and the dispatch decorator shared by every op.

Every public op is wrapped by `op`: when all positional arguments are of a
plain type (torch tensor, Python scalar, None, str) and no keyword arguments
are given, the wrapped function runs directly. Otherwise the arguments are
scanned for KerasTensors; a symbolic call becomes a graph node (see
`symbolic.py`), a concrete one runs the function, which converts its own
tensor arguments with `_t`.
"""

import functools

import numpy as np
import torch

from torkeras import config, dtypes
from torkeras.graph.keras_tensor import KerasTensor, any_symbolic
from torkeras.variables import Variable

Tensor = torch.Tensor
_PLAIN = frozenset({torch.Tensor, torch.nn.Parameter, int, float, bool, type(None), str})
_NP_INT_DOWNCAST = {np.dtype("uint16"): torch.int32, np.dtype("uint32"): torch.int64,
                    np.dtype("uint64"): torch.int64}


def op(fn):
    """Makes `fn` accept KerasTensors (building a graph node) and array-likes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        for a in args:
            if type(a) not in _PLAIN:
                break
        else:
            if not kwargs:
                return fn(*args)
        if any_symbolic(args, kwargs):
            from torkeras.ops import symbolic
            return symbolic.symbolic_call(fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper._raw = fn
    return wrapper


def _floatx():
    return dtypes.to_torch(config.floatx())


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Converts arrays, scalars, nested lists and Variables to a torch tensor.

    The dtype follows Keras's rules: Python floats, float lists and float64
    NumPy arrays become `floatx()`; Python ints and int lists int32; bools
    bool; other NumPy dtypes are kept (uint16/32/64 become int64, which torch
    can hold). A tensor of the requested dtype is returned as is; a Variable
    gives its value; a symbolic KerasTensor stays symbolic (cast when `dtype`
    is given).

    Args:
        x: The value: tensor, Variable, NumPy array or scalar, Python scalar,
            or nested list/tuple of these.
        dtype: Optional target dtype (Keras name, torch or NumPy dtype).
        sparse: Accepted for Keras compatibility and ignored (torkeras tensors
            are dense).
        ragged: Accepted for Keras compatibility and ignored.

    Returns:
        A torch tensor (or a KerasTensor for a symbolic input).

    Raises:
        ValueError: for values that cannot be converted (e.g. object arrays).

    Example:

    >>> keras.ops.convert_to_tensor([1, 2])
    tensor([1, 2], dtype=torch.int32)
    >>> keras.ops.convert_to_tensor(np.array([0.5], dtype="float64"))
    tensor([0.5000])
    >>> keras.ops.convert_to_tensor(3, dtype="float32")
    tensor(3.)
    """
    torch_dtype = None if dtype is None else dtypes.to_torch(dtype)
    if isinstance(x, Tensor):
        if torch_dtype is None or x.dtype == torch_dtype:
            return x
        return x.to(torch_dtype)
    if isinstance(x, Variable):
        return convert_to_tensor(x.value, dtype)
    if isinstance(x, KerasTensor):
        if dtype is not None and dtypes.name_of(dtype) != x.dtype:
            from torkeras.ops import numpy as _np_ops
            return _np_ops.cast(x, dtype)
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return _from_numpy(np.asarray(x), torch_dtype)
    if isinstance(x, bool):
        return torch.tensor(x, dtype=torch_dtype or torch.bool)
    if isinstance(x, int):
        return torch.tensor(x, dtype=torch_dtype or torch.int32)
    if isinstance(x, float):
        return torch.tensor(x, dtype=torch_dtype or _floatx())
    if isinstance(x, (list, tuple)):
        flat = _flat(x)
        if any(isinstance(i, (Tensor, Variable)) for i in flat):
            return torch.stack([convert_to_tensor(i, dtype) for i in x])
        if torch_dtype is None:
            if any(isinstance(i, (float, np.floating)) for i in flat):
                torch_dtype = _floatx()
            elif flat and all(isinstance(i, bool) for i in flat):
                torch_dtype = torch.bool
            elif flat and all(isinstance(i, int) for i in flat):
                torch_dtype = torch.int32
            elif not flat:
                torch_dtype = _floatx()
        return _from_numpy(np.asarray(x), torch_dtype)
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return _from_numpy(np.asarray(x), torch_dtype)
    raise ValueError(f"Cannot convert {type(x).__name__} to a tensor: {x!r}")


def _from_numpy(array, torch_dtype):
    if array.dtype == object:
        raise ValueError("Cannot convert a NumPy array of dtype object to a tensor.")
    if array.dtype in _NP_INT_DOWNCAST:
        array = array.astype(np.int64)
    if not array.flags.writeable or not (array.flags.c_contiguous or array.flags.f_contiguous) \
            or array.dtype.byteorder not in ("=", "|"):
        array = np.array(array, dtype=array.dtype.newbyteorder("="), copy=True)
    t = torch.from_numpy(array) if array.ndim else torch.tensor(array.item(),
                                                                 dtype=_np_dtype(array.dtype))
    if torch_dtype is None:
        if t.dtype == torch.float64:
            torch_dtype = _floatx()
        else:
            return t
    return t.to(torch_dtype) if t.dtype != torch_dtype else t


def _np_dtype(dtype):
    return torch.from_numpy(np.zeros((1,), dtype=dtype)).dtype


def _flat(x):
    out = []
    stack = [x]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        else:
            out.append(item)
    return out


def _t(x):
    """Fast conversion for op bodies."""
    return x if type(x) is Tensor else convert_to_tensor(x)


def _is_scalar(x):
    return type(x) in (int, float, bool)


def _pair(x1, x2):
    """Converts the two operands of a binary op; Python scalars stay weak."""
    s1 = type(x1) in (int, float, bool)
    s2 = type(x2) in (int, float, bool)
    if s1 and s2:
        return convert_to_tensor(x1), x2
    if not s1:
        x1 = _t(x1)
    if not s2:
        x2 = _t(x2)
        if not s1 and x1.device != x2.device and x2.dim() and x1.dim():
            x2 = x2.to(x1.device)
    return x1, x2


def _axis(axis):
    """Normalizes an axis argument to an int, a tuple of ints, or None."""
    if axis is None or isinstance(axis, int):
        return axis
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _shape_arg(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, Tensor):
        return tuple(int(d) for d in shape.tolist())
    return tuple(int(d) for d in shape)


def _to_float(x):
    return x if x.is_floating_point() or x.is_complex() else x.to(_floatx())
