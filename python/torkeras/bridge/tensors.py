"""Python side of the R methods for tensors (R/tensor-methods.R).

R dispatches `+`, `[`, `sum()`, `as.array()`, ... on torch tensors, torkeras
Variables and KerasTensors to the functions here; all numeric work happens in
Python, through `torkeras.ops` where an op exists. The functions that compute
something are `@op`s, so a KerasTensor argument records a graph node instead
of computing (the same function then runs on real tensors inside the model).

Conventions for values coming from R (as reticulate hands them over):
an R number is a Python float/int/bool, an R vector a list, an R array a
float64/int32/bool NumPy array.
"""

import builtins
import re

import numpy as np
import torch

from torkeras import config, dtypes, ops
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.ops.core import _t, convert_to_tensor, op
from torkeras.variables import Variable

_TENSORISH = (torch.Tensor, Variable, KerasTensor)


def is_tensorish(x):
    """True for the objects the R methods are registered for."""
    return isinstance(x, _TENSORISH)


def dtype_of(x):
    """The Keras dtype name of a tensor, Variable or KerasTensor."""
    if isinstance(x, torch.Tensor):
        return dtypes.name_of(x.dtype)
    return x.dtype


def _torch_dtype(x):
    return dtypes.to_torch(dtype_of(x))


# ---------------------------------------------------------------------------
# Operands from R
# ---------------------------------------------------------------------------

def _is_whole(a):
    return bool(np.all(np.isfinite(a)) and np.all(np.floor(a) == a))


def from_r_operand(value, like):
    """Converts the R side of a binary operation whose other side is `like`.

    The result takes `like`'s dtype when that keeps the R values: an R double
    next to a float32 tensor becomes float32 (not float64); whole numbers next
    to an integer tensor take its integer dtype, other numbers become floatx;
    numbers next to a bool tensor become int32 (whole) or floatx. Scalars stay
    Python scalars where torch's "weak" scalar typing already gives that
    result, so no tensor is made for `t * 2`.
    """
    if is_tensorish(value):
        return value
    target = _torch_dtype(like)
    if isinstance(value, (bool, int, float, np.generic)) and not isinstance(value, np.ndarray):
        if isinstance(value, np.generic):
            value = value.item()
        if target.is_floating_point or target.is_complex:
            return value if isinstance(value, bool) else float(value)
        if target == torch.bool:
            if isinstance(value, bool):
                return value
            dt = torch.int32 if _is_whole(value) else dtypes.to_torch(config.floatx())
            return torch.tensor(value, dtype=dt)
        # integer tensor
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and _is_whole(value):
            return int(value)
        return value
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind not in "biuf":
        what = "character values" if kind in "US" else f"values of NumPy type {array.dtype}"
        raise TypeError(f"a tensor can be combined with numbers, logicals or tensors, "
                        f"not {what}")
    floatx = dtypes.to_torch(config.floatx())
    if target.is_floating_point or target.is_complex:
        dt = target
    elif target == torch.bool:
        dt = torch.bool if kind == "b" else (torch.int32 if kind in "iu" or _is_whole(array)
                                             else floatx)
    else:
        dt = target if kind in "biu" or _is_whole(array) else floatx
    t = convert_to_tensor(np.ascontiguousarray(array), dtype=dtypes.name_of(dt))
    if isinstance(like, torch.Tensor) and like.device != t.device:
        t = t.to(like.device)
    return t


_BINARY = {
    "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "^": "power",
    "%%": "mod", "%/%": "floor_divide",
    "==": "equal", "!=": "not_equal", "<": "less", ">": "greater",
    "<=": "less_equal", ">=": "greater_equal",
    "&": "logical_and", "|": "logical_or",
}


def binary(generic, x1, x2):
    """`x1 <generic> x2` for R's Ops group; at least one side is a tensor."""
    name = _BINARY.get(generic)
    if name is None:
        raise TypeError(f"the `{generic}` operator is not supported for tensors")
    if not is_tensorish(x1):
        x1 = from_r_operand(x1, x2)
    if not is_tensorish(x2):
        x2 = from_r_operand(x2, x1)
    if generic == "^":
        # R's `^` always gives doubles: 2L^-1L is 0.5, not an integer error.
        x1, x2 = _float_power_operands(x1, x2)
    return getattr(ops, name)(x1, x2)


def _non_float(x):
    if is_tensorish(x):
        return not dtypes.to_torch(dtype_of(x)).is_floating_point
    return not isinstance(x, float)


def _float_power_operands(x1, x2):
    if _non_float(x1) and _non_float(x2):
        floatx = config.floatx()
        if is_tensorish(x1):
            x1 = ops.cast(x1, floatx)
        else:
            x1 = float(x1)
    return x1, x2


def unary(generic, x):
    """Unary `-`, `+` and `!`."""
    if generic == "-":
        return ops.negative(x)
    if generic == "+":
        return convert_to_tensor(x)
    if generic == "!":
        return ops.logical_not(x)
    raise TypeError(f"unary `{generic}` is not supported for tensors")


def matmul(x1, x2):
    """`%*%`; the R side is converted like any other operand."""
    if not is_tensorish(x1):
        x1 = from_r_operand(x1, x2)
    if not is_tensorish(x2):
        x2 = from_r_operand(x2, x1)
    return ops.matmul(x1, x2)


# ---------------------------------------------------------------------------
# Math and Summary groups
# ---------------------------------------------------------------------------

# R name -> torkeras.ops function.
_MATH_OPS = {
    "abs": "abs", "sign": "sign", "sqrt": "sqrt", "floor": "floor", "ceiling": "ceil",
    "exp": "exp", "expm1": "expm1", "log1p": "log1p", "log2": "log2", "log10": "log10",
    "cos": "cos", "sin": "sin", "tan": "tan", "cosh": "cosh", "sinh": "sinh",
    "tanh": "tanh", "atan": "arctan",
}

# R name -> function of a float torch tensor (no torkeras op for these).
_MATH_TORCH = {
    "trunc": torch.trunc,
    "acos": torch.acos, "asin": torch.asin, "acosh": torch.acosh,
    "asinh": torch.asinh, "atanh": torch.atanh,
    "cospi": lambda x: torch.cos(torch.pi * x),
    "sinpi": lambda x: torch.sin(torch.pi * x),
    "tanpi": lambda x: torch.tan(torch.pi * x),
    "lgamma": torch.lgamma, "digamma": torch.digamma,
    "trigamma": lambda x: torch.polygamma(1, x),
    "gamma": lambda x: torch.exp(torch.lgamma(x)) * _gamma_sign(x),
}


def _gamma_sign(x):
    # Gamma is negative on (-2k-1, -2k) for k >= 0.
    negative = (x < 0) & (torch.remainder(torch.floor(x), 2) == 1)
    return torch.where(negative, -1.0, 1.0).to(x.dtype)


def math(generic, x, arg=None):
    """R's Math group: `abs(t)`, `log(t, base)`, `round(t, digits)`, `cumsum(t)`, ..."""
    if generic in _MATH_OPS:
        return getattr(ops, _MATH_OPS[generic])(x)
    if generic == "log":
        out = ops.log(x)
        return out if arg is None else ops.divide(out, float(np.log(float(arg))))
    if generic == "round":
        return ops.round(x, 0 if arg is None else int(arg))
    if generic == "signif":
        return _signif(x, 6 if arg is None else int(arg))
    if generic in ("cumsum", "cumprod", "cummax", "cummin"):
        return _cumulative(x, generic)
    if generic in _MATH_TORCH:
        return _torch_math(x, generic)
    raise TypeError(f"{generic}() is not supported for tensors")


def _float(x):
    x = _t(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(dtypes.to_torch(config.floatx()))


@op
def _torch_math(x, generic):
    return _MATH_TORCH[generic](_float(x))


@op
def _signif(x, digits):
    x = _t(x)
    if not x.is_floating_point():
        return x
    digits = builtins.max(int(digits), 1)
    magnitude = torch.floor(torch.log10(torch.abs(x)))
    magnitude = torch.where(torch.isfinite(magnitude), magnitude, torch.zeros_like(magnitude))
    scale = torch.pow(10.0, digits - 1 - magnitude).to(x.dtype)
    return torch.round(x * scale) / scale


def _r_order(x):
    """The elements of `x` as a 1-D tensor in R's (column-major) order, the
    order of `as.vector(as.array(x))` in R."""
    if x.dim() <= 1:
        return x.reshape(-1)
    return x.permute(*range(x.dim() - 1, -1, -1)).reshape(-1)


@op
def _cumulative(x, generic):
    x = _r_order(_t(x))
    if generic == "cumsum":
        return ops.cumsum(x)
    if generic == "cumprod":
        return ops.cumprod(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    fn = torch.cummax if generic == "cummax" else torch.cummin
    return fn(x, dim=0).values


_SUMMARY_FILL = {"sum": 0.0, "prod": 1.0, "max": -float("inf"), "min": float("inf")}


def summary(generic, args, na_rm=False):
    """R's Summary group (`sum`, `prod`, `max`, `min`, `range`, `any`, `all`)
    over every argument; returns a 0-d tensor (`range`: two elements)."""
    if generic not in ("sum", "prod", "max", "min", "range", "any", "all"):
        raise TypeError(f"{generic}() is not supported for tensors")
    like = next(a for a in args if is_tensorish(a))
    args = [a if is_tensorish(a) else from_r_operand(a, like) for a in args]
    return _summary(generic, bool(na_rm), *args)


@op
def _summary(generic, na_rm, *xs):
    xs = [_t(x) for x in xs]
    if generic == "range":
        return ops.stack([_summary._raw("min", na_rm, *xs), _summary._raw("max", na_rm, *xs)])
    if na_rm and generic in _SUMMARY_FILL:
        xs = [torch.where(torch.isnan(x), torch.tensor(_SUMMARY_FILL[generic], dtype=x.dtype), x)
              if x.is_floating_point() else x for x in xs]
    reduce = {"sum": ops.sum, "prod": ops.prod, "max": ops.max, "min": ops.min,
              "any": ops.any, "all": ops.all}[generic]
    combine = {"sum": ops.add, "prod": ops.multiply, "max": ops.maximum, "min": ops.minimum,
               "any": ops.logical_or, "all": ops.logical_and}[generic]
    out = None
    for x in xs:
        if generic in ("sum", "prod") and x.dtype == torch.bool:
            x = x.to(torch.int32)  # R: sum(c(TRUE, TRUE)) is 2L
        part = reduce(x)
        out = part if out is None else combine(out, part)
    return out


# ---------------------------------------------------------------------------
# `[`
# ---------------------------------------------------------------------------

def r_getitem(x, specs, drop=True):
    """`x[i, j, ...]` with R semantics; `specs` holds one entry per index R
    was given (None for an empty index).

    - None: the whole axis; missing trailing indices mean whole axes too.
    - one number: that position (1-based; negative counts from the end,
      -1 is the last); the axis is dropped unless `drop` is false.
    - several numbers: those positions, in that order (a gather); a run
      `a:b` becomes a slice.
    - logicals (R vector or bool tensor) the length of the axis: a mask.
    - an integer tensor: 1-based positions (a gather, 0-d drops the axis).
    - a single logical array/tensor with the shape of `x` (2-D or more):
      the selected elements, in R's column-major order.
    0 is an error, as are positions past the end.
    """
    specs = list(specs)
    if isinstance(x, KerasTensor):
        ndim = len(x.shape)
    else:
        ndim = len(tuple(x.shape))
    if len(specs) > ndim and not (len(specs) == 1 and ndim == 0):
        raise IndexError(f"incorrect number of dimensions: {len(specs)} indices for a "
                         f"tensor with {ndim} dimensions")
    return _getitem(x, specs, bool(drop))


@op
def _getitem(x, specs, drop):
    x = _t(x)
    if len(specs) == 1 and x.dim() > 1 and _is_full_mask(specs[0], x):
        mask = _t(specs[0]).to(torch.bool)
        if tuple(mask.shape) != tuple(x.shape):
            raise IndexError(f"a logical index with {mask.dim()} dimensions must have the shape "
                             f"of the tensor, {tuple(x.shape)}; received {tuple(mask.shape)}")
        return _r_order(x)[_r_order(mask).to(x.device)]
    # Right to left, so that dropping an axis leaves the earlier axes in place.
    for axis in range(len(specs) - 1, -1, -1):
        x = _index_axis(x, axis, specs[axis], drop)
    return x


def _is_full_mask(spec, x):
    if isinstance(spec, (torch.Tensor, Variable)):
        return _t(spec).dtype == torch.bool and _t(spec).dim() > 1
    return isinstance(spec, np.ndarray) and spec.dtype == np.bool_ and spec.ndim > 1


def _index_axis(x, axis, spec, drop):
    if spec is None:
        return x
    size = x.shape[axis]
    where = (slice(None),) * axis
    if isinstance(spec, (torch.Tensor, Variable)):
        spec = _t(spec)
        if spec.dtype == torch.bool:
            return x[where + (_check_mask(spec, size, axis).to(x.device),)]
        if spec.is_floating_point():
            spec = spec.to(torch.int64)
        if spec.dim() == 0 and drop:
            return x[where + (_py_position(spec, size, axis).to(x.device),)]
        spec = spec.reshape(-1) if spec.dim() == 0 else spec
        return x[where + (_py_position(spec, size, axis).to(x.device),)]
    values = np.asarray(spec)
    if values.dtype == np.bool_:
        mask = torch.as_tensor(np.atleast_1d(values).copy())
        return x[where + (_check_mask(mask, size, axis).to(x.device),)]
    if values.dtype.kind not in "iuf":
        raise IndexError(f"index for axis {axis + 1} must be numbers or logicals; "
                         f"received {values.dtype}")
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values)):
            raise IndexError(f"index for axis {axis + 1} contains NA or Inf")
        if not np.all(np.floor(values) == values):
            raise IndexError(f"index for axis {axis + 1} must be whole numbers")
    values = values.astype(np.int64)
    if values.ndim == 0:
        position = _py_scalar(int(values), size, axis)
        if drop:
            return x[where + (position,)]
        values = values.reshape(1)
    values = values.reshape(-1)
    positions = [_py_scalar(int(v), size, axis) for v in values]
    run = _as_slice(values, positions, size)
    if run is not None:
        return x[where + (run,)]
    return x[where + (torch.tensor(positions, dtype=torch.int64, device=x.device),)]


def _py_scalar(v, size, axis):
    """A 1-based (or negative) R position -> a 0-based Python one."""
    if v == 0:
        raise IndexError(f"index for axis {axis + 1} is 1-based: 0 is not a position "
                         "(the first is 1, the last is -1)")
    if v > size or v < -size:
        raise IndexError(f"index {v} is out of bounds for axis {axis + 1} with size {size}")
    return v - 1 if v > 0 else v


def _py_position(spec, size, axis):
    """Same as _py_scalar for an integer tensor of positions."""
    if not _is_fake(spec) and spec.numel():
        if bool((spec == 0).any()):
            raise IndexError(f"index for axis {axis + 1} is 1-based: 0 is not a position")
        if bool(((spec > size) | (spec < -size)).any()):
            raise IndexError(f"index out of bounds for axis {axis + 1} with size {size}")
    return torch.where(spec > 0, spec - 1, spec).to(torch.int64)


def _is_fake(t):
    from torch._subclasses.fake_tensor import FakeTensor
    return isinstance(t, FakeTensor)


def _as_slice(values, positions, size):
    """A consecutive ascending run of 2+ positions of one sign -> a slice."""
    if len(values) < 2:
        return None
    if not (np.all(values > 0) or np.all(values < 0)):
        return None
    if not np.all(np.diff(values) == 1):
        return None
    start, stop = positions[0], positions[-1] + 1
    return slice(start, None if stop == 0 else stop)


def _check_mask(mask, size, axis):
    if mask.dim() != 1 or mask.shape[0] != size:
        raise IndexError(f"logical index for axis {axis + 1} has length "
                         f"{mask.shape[0] if mask.dim() else 1}; the axis has size {size}")
    return mask


# ---------------------------------------------------------------------------
# Conversion to R values and printing
# ---------------------------------------------------------------------------

def to_r_array(x):
    """A NumPy array (a Python scalar for 0-d tensors) that reticulate turns
    into an R array (numbers, integers or logicals)."""
    if isinstance(x, KerasTensor):
        raise ValueError("A symbolic KerasTensor holds no data (it stands for the values a "
                         "model will compute): use it to build a model, then call the model "
                         "on real data.")
    if isinstance(x, Variable):
        x = x.value
    t = x.detach().cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.to(torch.float32)
    if t.dim() == 0:
        return t.item()
    return t.numpy()


def dims(x):
    """The dimensions as a list, None for unknown ones."""
    return [None if d is None else int(d) for d in tuple(x.shape)]


def size(x):
    """The number of elements (None when a dimension is unknown)."""
    n = 1
    for d in dims(x):
        if d is None:
            return None
        n *= d
    return n


def _shape_text(x):
    d = dims(x)
    return "(" + ", ".join("None" if v is None else str(v) for v in d) + \
        ("," if len(d) == 1 else "") + ")"


_TORCH_ANNOTATIONS = re.compile(
    r"(, (dtype=torch\.\w+|requires_grad=True|grad_fn=<[^>]*>))*\)$")


def format_tensor(x):
    """The printed form of a tensor: torch's layout of the values, then the
    shape and the Keras dtype, e.g.
    `tensor([[1., 2.], [3., 4.]], shape=(2, 2), dtype=float32)`."""
    if isinstance(x, KerasTensor):
        return repr(x)
    if isinstance(x, Variable):
        return repr(x)
    t = x.detach()
    # torch's layout of the values, without its own dtype / grad annotations
    # and the closing parenthesis.
    text = _TORCH_ANNOTATIONS.sub("", torch.Tensor.__repr__(t))
    return f"{text}, shape={_shape_text(t)}, dtype={dtype_of(t)})"


def str_line(x):
    """One line for R's str(): class, shape, dtype and the first values."""
    if isinstance(x, KerasTensor):
        return f"<KerasTensor shape={_shape_text(x)}, dtype={x.dtype}, name={x.name}>"
    label = "Variable" if isinstance(x, Variable) else "Tensor"
    t = (x.value if isinstance(x, Variable) else x).detach().cpu()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.float()
    flat = t.reshape(-1)[:6].tolist()
    values = " ".join(_format_value(v) for v in flat)
    more = " ..." if t.numel() > 6 else ""
    return f"<{label} shape={_shape_text(t)}, dtype={dtype_of(t)}> {values}{more}".rstrip()


def _format_value(v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
