"""Activation functions by Keras name."""

import inspect

import torch
import torch.nn.functional as F

from torkeras.ops import nn as _nn


def linear(x):
    """The identity: returns `x` unchanged."""
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: `x` where `x > threshold`, else 0, clipped to
    `max_value` when given; below the threshold a `negative_slope` gives
    `negative_slope * (x - threshold)` instead of 0 (Keras's formula)."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0:
        return F.leaky_relu(x, negative_slope)
    negative_part = torch.relu(threshold - x) if negative_slope != 0.0 else None
    clip = max_value is not None
    if threshold != 0:
        x = torch.where(x > threshold, x, torch.zeros((), dtype=x.dtype, device=x.device))
    elif max_value == 6:
        x = F.relu6(x)
        clip = False
    else:
        x = torch.relu(x)
    if clip:
        x = torch.clamp(x, 0.0, float(max_value))
    if negative_part is not None:
        x = x - negative_slope * negative_part
    return x


def relu6(x):
    """`min(max(x, 0), 6)`."""
    return F.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    """`x` for `x >= 0`, `negative_slope * x` otherwise."""
    return F.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    """`x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise."""
    return F.elu(x, alpha)


def selu(x):
    """Scaled ELU with Keras's constants (alpha 1.67326..., scale 1.05070...)."""
    return F.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit `x * Phi(x)`; `approximate=True` uses the
    tanh approximation. (The activation defaults to the exact form, the op
    `keras.ops.gelu` to the approximation, as in Keras.)"""
    return F.gelu(x, approximate="tanh" if approximate else "none")


def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return torch.sigmoid(x)


def hard_sigmoid(x):
    """`relu6(x + 3) / 6`: 0 below -3, 1 above 3, linear in between."""
    return F.hardsigmoid(x)


def tanh(x):
    """Hyperbolic tangent."""
    return torch.tanh(x)


def softplus(x):
    """`log(1 + exp(x))`."""
    return F.softplus(x)


def softsign(x):
    """`x / (1 + |x|)`."""
    return F.softsign(x)


def silu(x):
    """`x * sigmoid(x)` (also called swish)."""
    return F.silu(x)


swish = silu


def mish(x):
    """`x * tanh(softplus(x))`."""
    return x * torch.tanh(F.softplus(x))


def exponential(x):
    """`exp(x)`."""
    return torch.exp(x)


def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis` (an int or a tuple of axes)."""
    if type(axis) is int:
        return torch.softmax(x, dim=axis)
    return _nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """`x - log(sum(exp(x)))` along `axis` (an int or a tuple of axes)."""
    if type(axis) is int:
        return torch.log_softmax(x, dim=axis)
    return _nn.log_softmax(x, axis=axis)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x /
    alpha) - 1))`."""
    return _nn.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: the halves `a`, `b` of `x` along `axis` give `a *
    sigmoid(b)`."""
    return _nn.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, 0 elsewhere."""
    return _nn.hard_shrink(x, threshold=threshold)


def hard_silu(x):
    """`x * relu6(x + 3) / 6` (also called hard_swish)."""
    return _nn.hard_silu(x)


hard_swish = hard_silu


def hard_tanh(x):
    """`x` clipped to `[-1, 1]`."""
    return _nn.hard_tanh(x)


def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return _nn.log_sigmoid(x)


def soft_shrink(x, threshold=0.5):
    """`x - threshold` above `threshold`, `x + threshold` below `-threshold`,
    0 in between."""
    return _nn.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` above."""
    return _nn.sparse_plus(x)


def sparse_sigmoid(x):
    """0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` in between."""
    return _nn.sparse_sigmoid(x)


def sparsemax(x, axis=-1):
    """Projection of `x` on the probability simplex along `axis` (sums to 1,
    with exact zeros)."""
    return _nn.sparsemax(x, axis=axis)


def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    return _nn.squareplus(x, b=b)


def tanh_shrink(x):
    """`x - tanh(x)`."""
    return _nn.tanh_shrink(x)


def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, `default_value` elsewhere."""
    return _nn.threshold(x, threshold, default_value)


def _accepting_arrays(fn):
    """Lets an activation take arrays and Variables, not only tensors, and
    KerasTensors (then it becomes a graph node, as Keras's activations do)."""
    def wrapper(x, *args, **kwargs):
        if type(x) is not torch.Tensor and not isinstance(x, torch.Tensor):
            from torkeras.graph.keras_tensor import KerasTensor
            if isinstance(x, KerasTensor):
                return _symbolic(fn, x, args, kwargs)
            from torkeras.ops import convert_to_tensor
            x = convert_to_tensor(x)
        return fn(x, *args, **kwargs)
    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    wrapper.__signature__ = inspect.signature(fn)
    return wrapper


def _symbolic(fn, x, args, kwargs):
    """An activation called on a KerasTensor: the matching op node."""
    from torkeras import ops
    from torkeras.ops import numpy as np_ops
    name = fn.__name__
    if name == "linear":
        return x
    if name == "exponential":
        return np_ops.exp(x)
    if name == "tanh":
        return np_ops.tanh(x)
    if name == "relu" and (args or kwargs):
        return _symbolic_relu(x, *args, **kwargs)
    if name == "mish":
        return x * np_ops.tanh(ops.softplus(x))
    return getattr(ops, name)(x, *args, **kwargs)


def _symbolic_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """relu with arguments on a KerasTensor: Keras's formula as op nodes."""
    from torkeras import ops
    negative_part = ops.relu(ops.subtract(threshold, x)) if negative_slope != 0.0 else None
    clip = max_value is not None
    if threshold != 0:
        x = ops.where(ops.greater(x, threshold), x, 0.0)
    elif max_value == 6:
        x = ops.relu6(x)
        clip = False
    else:
        x = ops.relu(x)
    if clip:
        x = ops.clip(x, 0.0, float(max_value))
    if negative_part is not None:
        x = ops.subtract(x, ops.multiply(negative_slope, negative_part))
    return x


_NAMES = ("linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid",
          "hard_sigmoid", "tanh", "softplus", "softsign", "silu", "mish", "exponential",
          "softmax", "log_softmax", "celu", "glu", "hard_shrink", "hard_silu", "hard_tanh",
          "log_sigmoid", "soft_shrink", "sparse_plus", "sparse_sigmoid", "sparsemax",
          "squareplus", "tanh_shrink", "threshold")
for _name in _NAMES:
    globals()[_name] = _accepting_arrays(globals()[_name])
swish = silu
hard_swish = hard_silu

_BY_NAME = {_name: globals()[_name] for _name in _NAMES}
_BY_NAME["swish"] = silu
_BY_NAME["hard_swish"] = hard_silu


def get(identifier):
    """The activation function `identifier` stands for: None is `linear`; a
    name or a `serialize()` config is resolved by `deserialize()`; any other
    callable is returned as is."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation: {identifier!r}")


def serialize(activation):
    """The Keras 3 form of an activation: a built-in by its name, anything
    else by its envelope (for a function `{"module", "class_name":
    "function", "config": <name>, "registered_name": <name>}`, the name being
    "package>name" when it is registered), so that loading finds it again
    through the registry or `custom_objects`."""
    name = getattr(activation, "__name__", None)
    if _BY_NAME.get(name) is activation:
        return name
    from torkeras.saving import serialization_lib
    return serialization_lib.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """The activation `serialize()` described. Names resolve as every saved
    object's do: custom-object scopes, the registry, `custom_objects`, then
    the built-in activations."""
    from torkeras.saving import object_registration, serialization_lib
    if isinstance(config, str):
        return _resolve_name((config,), custom_objects)
    if isinstance(config, dict) and config.get("class_name") == "function":
        # Keras writes a custom function's (registered) name as both `config`
        # and `registered_name`; built-ins may carry registered_name "function".
        return _resolve_name((config.get("config"), config.get("registered_name")),
                             custom_objects)
    if isinstance(config, dict) and "class_name" in config:
        # A callable object's envelope, or a lambda (refused in safe mode).
        with object_registration.custom_object_scope(custom_objects):
            activation = serialization_lib._deserialize(config, _BY_NAME)
        if callable(activation):
            return activation
    raise ValueError(f"Could not interpret activation: {config!r}")


def _resolve_name(names, custom_objects):
    from torkeras.saving import object_registration
    activation = object_registration.get_first_registered(names, custom_objects, _BY_NAME)
    if activation is not None and not inspect.isclass(activation):
        return activation
    name = next((n for n in names if isinstance(n, str) and n and n != "function"), None)
    raise ValueError(
        f"Unknown activation {name!r}: it is not a built-in activation "
        f"({', '.join(sorted(_BY_NAME))}). A custom activation function must be passed in "
        f"`custom_objects` under the name {name!r}, or registered with "
        "`keras.saving.register_keras_serializable()`.")
