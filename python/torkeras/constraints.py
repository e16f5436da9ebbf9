"""Weight constraints: projections optimizers apply to a variable after each
update (`kernel_constraint=`, `bias_constraint=`...)."""

import torch

from torkeras import config
from torkeras.naming import to_snake_case as _snake
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


def _as_tensor(w):
    if isinstance(w, torch.Tensor):
        return w
    from torkeras.ops.core import convert_to_tensor
    return convert_to_tensor(w)


def _norms(w, axis):
    return torch.sqrt(torch.sum(torch.square(w), dim=axis, keepdim=True))


class Constraint:
    """Base class of weight constraints: `constraint(w)` returns the projected weight.

    The optimizer applies a variable's constraint (`kernel_constraint=`,
    `bias_constraint=`, ...) right after each update. Subclasses implement
    `__call__(w)` and, to be saved with a model, `get_config()` returning their
    constructor arguments.

    Example:
    >>> class Clip(keras.constraints.Constraint):
    ...     def __call__(self, w):
    ...         return keras.ops.clip(w, -1.0, 1.0)
    >>> Clip()(np.array([-3.0, 0.5], "float32")).tolist()
    [-1.0, 0.5]
    """

    def __call__(self, w):
        return w

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds a constraint from the dict `get_config()` returned."""
        return cls(**config)


class NonNeg(Constraint):
    """Constrains the weights to be non-negative: negative entries become 0.

    Example:
    >>> keras.constraints.NonNeg()(np.array([-1.0, 2.0], "float32")).tolist()
    [0.0, 2.0]
    """

    def __call__(self, w):
        w = _as_tensor(w)
        return torch.clamp(w, min=0)


class MaxNorm(Constraint):
    """Constrains the norm of the weights along an axis to at most `max_value`.

    Rescales the weights whose norm along `axis` exceeds `max_value`:
    `w * clip(norm, 0, max_value) / (epsilon + norm)`.

    Args:
        max_value: The largest norm allowed.
        axis: Axis (or axes) along which norms are computed; 0 for the
            incoming weights of each unit of a Dense kernel
            `(input_dim, units)`, `[0, 1, 2]` for a Conv2D kernel.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _as_tensor(w)
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w.to(norms.dtype) * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class UnitNorm(Constraint):
    """Constrains the weights to unit L2 norm along an axis.

    `w / (epsilon + sqrt(sum(w**2, axis)))`.

    Args:
        axis: axis (or list of axes) along which norms are computed; 0 for the
            incoming weights of each unit of a Dense kernel `(input_dim, units)`,
            `[0, 1, 2]` for a Conv2D kernel.

    Example:
    >>> w = np.array([[3.0], [4.0]], "float32")
    >>> [round(v, 4) for v in keras.constraints.UnitNorm()(w).numpy().ravel().tolist()]
    [0.6, 0.8]
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = _as_tensor(w)
        norms = _norms(w, self.axis)
        return w.to(norms.dtype) / (config.epsilon() + norms)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Constrains the norm of the weights along an axis to `[min_value, max_value]`.

    Moves the norm along `axis` into `[min_value, max_value]`, by the
    fraction `rate` of the way: the new norm is
    `rate * clip(norm, min_value, max_value) + (1 - rate) * norm`.

    Args:
        min_value: The smallest norm allowed.
        max_value: The largest norm allowed.
        rate: 1.0 enforces the bounds at once; smaller values move
            gradually towards them.
        axis: Axis (or axes) along which norms are computed.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _as_tensor(w)
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + \
            (1 - self.rate) * norms
        return w.to(norms.dtype) * (desired / (config.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


# Keras 3's lowercase aliases are the classes themselves.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_BY_NAME = {}
for _cls in (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm):
    _BY_NAME[_cls.__name__] = _cls
    _BY_NAME[_snake(_cls.__name__)] = _cls


def get(identifier):
    """Retrieves a constraint from an identifier.

    A name ("non_neg", "max_norm", "unit_norm", "min_max_norm" or the class
    name) gives that constraint with its default arguments; a config dict is
    deserialized; a class is instantiated; another callable is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A constraint (or None for None).
    """
    if isinstance(identifier, type):
        return identifier()
    return _reg.get_configurable(identifier, _BY_NAME, kind="constraint")


def serialize(constraint):
    """The Keras config dict of a constraint, as stored in `.keras` files.

    Returns `{"module": "keras.constraints", "class_name": ..., "config": {...},
    "registered_name": ...}`; a plain function is stored by its name. `deserialize()` turns it back
    into a constraint.

    Args:
        constraint: the constraint to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialize_object(constraint, "keras.constraints")


def deserialize(config, custom_objects=None):
    """Rebuilds a constraint from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in constraints.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A constraint instance.
    """
    return _reg.deserialize_class_config(
        config, _BY_NAME, custom_objects, unknown=lambda name: f"Unknown constraint: {name!r}",
        malformed="`config` must be a dict with 'class_name' and 'config'")
