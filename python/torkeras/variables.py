"""Keras-style variables over torch storage.

A trainable Variable owns an `nn.Parameter`; a non-trainable one owns a plain
tensor that its layer registers as a buffer. Either way `value` is the live
torch tensor, so autograd, `state_dict()` and `.to(device)` all see it.
"""

import numpy as np
import torch

from torkeras import dtypes, naming

# The dtype float variables are read in (a torch dtype) inside a mixed
# precision layer's call, None outside: see `autocast_scope`.
_autocast_dtype = None


class autocast_scope:
    """Context manager: inside, `Variable.value` of float variables created
    with `autocast=True` is their value cast to `dtype` (a torch dtype or
    dtype name; None turns casting off). Layers enter it around `call`
    under a mixed precision policy, as Keras 3's AutocastScope."""

    def __init__(self, dtype):
        if dtype is not None:
            dtype = dtypes.to_torch(dtype)
            if not dtype.is_floating_point:
                raise ValueError("`autocast_scope` can only be used with a floating-point target "
                                 f"dtype, such as 'float16'. Received: dtype={dtype}")
        self.dtype = dtype
        self._saved = None

    def __enter__(self):
        global _autocast_dtype
        self._saved = _autocast_dtype
        _autocast_dtype = self.dtype
        return self

    def __exit__(self, *exc):
        global _autocast_dtype
        _autocast_dtype = self._saved
        return False


def autocast_dtype():
    """The dtype of the current `autocast_scope` (a torch dtype), or None."""
    return _autocast_dtype


class Variable:
    # Let torch functions accept a Variable wherever they accept a tensor.
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        args = _unwrap(args)
        kwargs = _unwrap(kwargs)
        return func(*args, **kwargs)

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None,
                 aggregation="none", synchronization="auto", autocast=True):
        if name is None:
            name = naming.auto_name("variable")
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"`name` must be a string without '/'; received: {name!r}")
        self.name = name
        scope = naming.current_path()
        self.path = f"{scope}/{name}" if scope else name
        self.aggregation = aggregation
        self.synchronization = synchronization
        # Read in the compute dtype inside a mixed precision layer's call.
        self._autocast = bool(autocast)
        torch_dtype = dtypes.to_torch(dtype) if dtype is not None else None
        # Variables hold real storage even when created during fake-tensor
        # shape inference (a lazily built sub-layer).
        with _real_tensors():
            value = self._initial_value(initializer, shape, torch_dtype, name)
        self._trainable = bool(trainable) and value.is_floating_point()
        if self._trainable:
            self._value = torch.nn.Parameter(value, requires_grad=True)
        else:
            self._value = value
        # The layer that registered this variable's tensor (set by Layer).
        self._owner = None
        self._owner_attr = None
        self.regularizer = None
        self.constraint = None

    @staticmethod
    def _initial_value(initializer, shape, torch_dtype, name):
        if callable(initializer) and not isinstance(initializer, (torch.Tensor, np.ndarray)):
            if shape is None:
                raise ValueError(f"Variable {name!r}: `shape` is required with a callable initializer")
            shape = tuple(int(d) for d in shape)
            value = initializer(shape, dtype=dtypes.name_of(torch_dtype))
            value = torch.as_tensor(value, dtype=torch_dtype)
        else:
            value = torch.as_tensor(np.asarray(initializer) if not isinstance(initializer, torch.Tensor)
                                    else initializer)
            if torch_dtype is None:
                torch_dtype = dtypes.to_torch(None) if value.is_floating_point() else value.dtype
            value = value.to(torch_dtype)
            if shape is not None and tuple(value.shape) != tuple(shape):
                value = value.reshape(tuple(shape))
        return value.detach().clone()

    # -- value access ---------------------------------------------------
    @property
    def value(self):
        """The live tensor; inside a mixed precision layer's call (an
        `autocast_scope`), a float variable's value cast to the compute dtype."""
        target = _autocast_dtype
        if target is None or not self._autocast:
            return self._value
        value = self._value
        if value.dtype is target or not value.is_floating_point():
            return value
        return value.to(target)

    @property
    def autocast(self):
        """Whether the variable is cast to the compute dtype in mixed precision calls."""
        return self._autocast

    def numpy(self):
        # A copy: the live tensor keeps changing under the optimizer.
        return self._value.detach().cpu().numpy().copy()

    def assign(self, value):
        value = value.value if isinstance(value, Variable) else value
        with torch.no_grad():
            self._value.copy_(torch.as_tensor(value, dtype=self._value.dtype,
                                              device=self._value.device).reshape(self._value.shape))
        return self

    def assign_add(self, value):
        value = value.value if isinstance(value, Variable) else value
        with torch.no_grad():
            self._value.add_(torch.as_tensor(value, dtype=self._value.dtype, device=self._value.device))
        return self

    def assign_sub(self, value):
        value = value.value if isinstance(value, Variable) else value
        with torch.no_grad():
            self._value.sub_(torch.as_tensor(value, dtype=self._value.dtype, device=self._value.device))
        return self

    def _replace_tensor(self, tensor):
        """Points the variable at new storage (used after `module.to()`)."""
        self._value = tensor

    # -- metadata -------------------------------------------------------
    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def ndim(self):
        return self._value.dim()

    @property
    def dtype(self):
        return dtypes.name_of(self._value.dtype)

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        if isinstance(self._value, torch.nn.Parameter):
            self._value.requires_grad_(self._trainable)

    def __repr__(self):
        shape = "(" + ", ".join(str(d) for d in self.shape) + ")"
        value = np.array2string(self.numpy(), threshold=6, edgeitems=2, separator=", ")
        value = " ".join(value.split())
        return f"<Variable path={self.path}, shape={shape}, dtype={self.dtype}, value={value}>"

    # -- tensor protocol ------------------------------------------------
    def __array__(self, dtype=None):
        array = self.numpy()
        return array.astype(dtype) if dtype is not None else array

    def __len__(self):
        return len(self._value)

    def __getitem__(self, idx):
        return self.value[idx]

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        return int(self._value)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self._value == _unwrap(other)

    def __ne__(self, other):
        return self._value != _unwrap(other)

    def __lt__(self, other):
        return self._value < _unwrap(other)

    def __le__(self, other):
        return self._value <= _unwrap(other)

    def __gt__(self, other):
        return self._value > _unwrap(other)

    def __ge__(self, other):
        return self._value >= _unwrap(other)

    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return abs(self.value)

    def __invert__(self):
        return ~self._value


def _binary(name):
    def forward(self, other):
        return getattr(self.value, name)(_unwrap(other))
    forward.__name__ = name
    return forward


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor"):
    setattr(Variable, f"__{_op}__", _binary(f"__{_op}__"))
    setattr(Variable, f"__r{_op}__", _binary(f"__r{_op}__"))


def _real_tensors():
    from torch._subclasses.fake_tensor import unset_fake_temporarily
    return unset_fake_temporarily()


def _unwrap(obj):
    if isinstance(obj, Variable):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return type(obj)(_unwrap(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _unwrap(v) for k, v in obj.items()}
    return obj


def as_value_for(variable, value, argname):
    """`value` as a tensor that may stand in for `variable`: a torch tensor, a
    Variable (its live tensor) or array-like, converted to the variable's dtype
    and device. A shape mismatch is an error naming `argname`."""
    if isinstance(value, Variable):
        value = value._value
    target = variable._value
    if not isinstance(value, torch.Tensor):
        value = torch.as_tensor(np.asarray(value), dtype=target.dtype, device=target.device)
    if tuple(value.shape) != tuple(target.shape):
        raise ValueError(
            f"`{argname}`: the value for variable {variable.path!r} must have shape "
            f"{tuple(target.shape)}; received shape {tuple(value.shape)}.")
    if value.dtype != target.dtype or value.device != target.device:
        value = value.to(dtype=target.dtype, device=target.device)
    return value


def values_for(variables, values, argname, copy):
    """The tensors for `variables` given by `values` (a list of the same length).
    With `copy`, each is a detached clone, so in-place updates made while the
    values are substituted (optimizer steps, moving statistics) never reach
    the caller's tensors."""
    variables = list(variables)
    if isinstance(values, (Variable, torch.Tensor, np.ndarray)) or not hasattr(values, "__len__"):
        raise TypeError(
            f"`{argname}` must be a list of {len(variables)} tensors or Variables; "
            f"received {type(values).__name__}.")
    values = list(values)
    if len(values) != len(variables):
        raise ValueError(
            f"`{argname}` must hold one value per variable: expected {len(variables)}, "
            f"received {len(values)}.")
    out = [as_value_for(v, x, argname) for v, x in zip(variables, values)]
    if copy:
        out = [t.detach().clone() for t in out]
    return out


class substituted_values:
    """Context manager: inside the block each Variable in `variables` reads
    and writes the corresponding tensor of `tensors` instead of its own; the
    original tensors are put back on exit (also on error). This is how the
    stateless APIs (Layer.stateless_call, Optimizer.stateless_apply,
    Metric.stateless_*) run the ordinary stateful code on given values.

    The substitution is visible to everything reading the Variables (they are
    shared objects), so it must not overlap with other use of the same
    variables, e.g. on another thread."""

    def __init__(self, variables, tensors):
        self._variables = list(variables)
        self._tensors = list(tensors)
        self._saved = None

    def __enter__(self):
        self._saved = [v._value for v in self._variables]
        for v, t in zip(self._variables, self._tensors):
            v._value = t
        return self._tensors

    def __exit__(self, *exc):
        for v, t in zip(self._variables, self._saved):
            v._value = t
        self._saved = None
        return False
