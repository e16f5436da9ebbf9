"""Activation functions by Keras name."""

import inspect

import torch
import torch.nn.functional as F

from torkeras.ops import nn as _nn


def linear(x):
    """The identity activation: returns `x` unchanged.

    Used where a layer should apply no activation (`activation=None`).

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        `x` as a tensor (a tensor or KerasTensor is returned as it is).

    Example:

    >>> keras.activations.linear(np.array([-2.0, 0.0, 2.0]))
    tensor([-2.,  0.,  2.])
    """
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit, with Keras's optional slope, cap and threshold.

    With the defaults, `max(x, 0)`. In general: `x` where `x > threshold`, else `negative_slope * (x - threshold)`; then values above `max_value` are cut to `max_value` (when given).

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        negative_slope: Slope below the threshold. Default 0.0.
        max_value: Optional upper bound of the output.
        threshold: Values at or below it are treated as inactive. Default 0.0.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.relu(np.array([-4.0, -1.0, 2.0, 10.0]), negative_slope=0.5, max_value=6.0)
    tensor([-2.0000, -0.5000,  2.0000,  6.0000])
    """
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
    """Rectified linear unit capped at 6: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.relu6(np.array([-1.0, 3.0, 8.0]))
    tensor([0., 3., 6.])
    """
    return F.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    """Leaky rectified linear unit: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        negative_slope: Slope for negative inputs. Default 0.2.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.leaky_relu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.4000,  0.0000,  2.0000])
    """
    return F.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    """Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        alpha: Scale of the negative part (its limit is `-alpha`). Default 1.0.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.elu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.8647,  0.0000,  2.0000])
    """
    return F.elu(x, alpha)


def selu(x):
    """Scaled exponential linear unit: `scale * elu(x, alpha)` with fixed constants.

    `alpha = 1.67326324` and `scale = 1.05070098` (Klambauer et al., 2017), which keep activations self-normalizing with `lecun_normal` initialization.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.selu(np.array([-2.0, 0.0, 2.0]))
    tensor([-1.5202,  0.0000,  2.1014])
    """
    return F.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit: `x * P(X <= x)` for a standard normal `X`.

    Exact form `0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate=True` the tanh approximation. The activation defaults to the exact form while `keras.ops.gelu` defaults to the approximation, as in Keras.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        approximate: Whether to use the tanh approximation. Default `False`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.gelu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.0455,  0.0000,  1.9545])
    """
    return F.gelu(x, approximate="tanh" if approximate else "none")


def sigmoid(x):
    """Logistic sigmoid: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.sigmoid(np.array([-2.0, 0.0, 2.0]))
    tensor([0.1192, 0.5000, 0.8808])
    """
    return torch.sigmoid(x)


def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `relu6(x + 3) / 6`.

    0 for `x <= -3`, 1 for `x >= 3`, `x / 6 + 0.5` in between.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return F.hardsigmoid(x)


def tanh(x):
    """Hyperbolic tangent: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.tanh(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.9640,  0.0000,  0.9640])
    """
    return torch.tanh(x)


def softplus(x):
    """Softplus: `log(1 + exp(x))`, a smooth version of relu.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.softplus(np.array([-2.0, 0.0, 2.0]))
    tensor([0.1269, 0.6931, 2.1269])
    """
    return F.softplus(x)


def softsign(x):
    """Softsign: `x / (1 + |x|)`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.softsign(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.6667,  0.0000,  0.6667])
    """
    return F.softsign(x)


def silu(x):
    """Sigmoid linear unit (swish): `x * sigmoid(x)`.

    `keras.activations.swish` is the same function.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.silu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.2384,  0.0000,  1.7616])
    """
    return F.silu(x)


swish = silu


def mish(x):
    """Mish: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.mish(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.2525,  0.0000,  1.9440])
    """
    return x * torch.tanh(F.softplus(x))


def exponential(x):
    """Exponential: `exp(x)`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.exponential(np.array([-2.0, 0.0, 2.0]))
    tensor([0.1353, 1.0000, 7.3891])
    """
    return torch.exp(x)


def softmax(x, axis=-1):
    """Softmax along an axis: `exp(x) / sum(exp(x))`, computed stably.

    With a tuple of axes the normalization runs over all of them jointly. The values along `axis` sum to 1.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        axis: An int or a tuple of ints. Default -1.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    if type(axis) is int:
        return torch.softmax(x, dim=axis)
    return _nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """Log-softmax along an axis: `x - log(sum(exp(x)))`, computed stably.

    With a tuple of axes the normalization runs over all of them jointly.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        axis: An int or a tuple of ints. Default -1.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.log_softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[-2.4076, -1.4076, -0.4076]])
    """
    if type(axis) is int:
        return torch.log_softmax(x, dim=axis)
    return _nn.log_softmax(x, axis=axis)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        alpha: Scale of the negative part (non-zero). Default 1.0.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.celu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.8647,  0.0000,  2.0000])
    """
    return _nn.celu(x, alpha=alpha)


def glu(x, axis=-1):
    """Gated linear unit: `a * sigmoid(b)`, with `a`, `b` the two halves of `x` along `axis`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        axis: The axis to split; its size must be even. Default -1.

    Returns:
        A tensor with half the size along `axis`.

    Example:

    >>> keras.activations.glu(np.array([[1.0, 2.0, 0.0, 100.0]]))
    tensor([[0.5000, 2.0000]])
    """
    return _nn.glu(x, axis=axis)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage: `x` where `|x| > threshold`, 0 elsewhere.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        threshold: Non-negative threshold. Default 0.5.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.hard_shrink(np.array([-2.0, 0.2, 1.0]))
    tensor([-2.,  0.,  1.])
    """
    return _nn.hard_shrink(x, threshold=threshold)


def hard_silu(x):
    """Hard SiLU (hard swish): `x * relu6(x + 3) / 6`.

    `keras.activations.hard_swish` is the same function.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.hard_silu(np.array([-4.0, 0.0, 1.0, 4.0]))
    tensor([-0.0000, 0.0000, 0.6667, 4.0000])
    """
    return _nn.hard_silu(x)


hard_swish = hard_silu


def hard_tanh(x):
    """Hard tanh: `x` clipped to `[-1, 1]`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.hard_tanh(np.array([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    return _nn.hard_tanh(x)


def log_sigmoid(x):
    """Logarithm of the sigmoid: `-softplus(-x)`, computed stably.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.log_sigmoid(np.array([-2.0, 0.0, 2.0]))
    tensor([-2.1269, -0.6931, -0.1269])
    """
    return _nn.log_sigmoid(x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, 0 in between.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        threshold: Non-negative shrinkage amount. Default 0.5.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.soft_shrink(np.array([-2.0, 0.2, 1.0]))
    tensor([-1.5000,  0.0000,  0.5000])
    """
    return _nn.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    """Smooth piecewise relu: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.sparse_plus(np.array([-2.0, 0.0, 0.5, 2.0]))
    tensor([0.0000, 0.2500, 0.5625, 2.0000])
    """
    return _nn.sparse_plus(x)


def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` in between.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.sparse_sigmoid(np.array([-2.0, 0.0, 0.5, 2.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return _nn.sparse_sigmoid(x)


def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex along `axis`.

    The outputs are non-negative and sum to 1 like softmax's, but many are exactly 0 (Martins & Astudillo, 2016). Keras 3.15 miscomputes it when more than one element is in the support (keras-team/keras#23425); torkeras returns the true projection.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        axis: The axis to normalize over. Default -1.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.sparsemax(np.array([[1.0, 2.0, 0.0], [0.1, 0.2, 0.3]]))
    tensor([[0.0000, 1.0000, 0.0000],
            [0.2333, 0.3333, 0.4333]])
    """
    return _nn.sparsemax(x, axis=axis)


def squareplus(x, b=4):
    """Squareplus: `(x + sqrt(x**2 + b)) / 2`, a smooth approximation of relu.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        b: Smoothness (non-negative; 0 gives relu). Default 4.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.squareplus(np.array([-2.0, 0.0, 2.0]))
    tensor([0.4142, 1.0000, 2.4142])
    """
    return _nn.squareplus(x, b=b)


def tanh_shrink(x):
    """Tanh shrinkage: `x - tanh(x)`.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.tanh_shrink(np.array([-2.0, 0.0, 2.0]))
    tensor([-1.0360,  0.0000,  1.0360])
    """
    return _nn.tanh_shrink(x)


def threshold(x, threshold, default_value):
    """Keeps the values above a threshold: `x` where `x > threshold`, `default_value` elsewhere.

    Args:
        x: Input tensor (arrays and Variables are converted; a symbolic
            KerasTensor gives a graph node).
        threshold: The threshold (a number).
        default_value: The value put where `x <= threshold`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.activations.threshold(np.array([-1.0, 0.5, 2.0]), 0.5, -9.0)
    tensor([-9., -9.,  2.])
    """
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
    """The activation function an identifier stands for.

    `None` is `linear`; a string is a built-in name (or a registered or
    custom-object name) and a dict a `serialize()` config, both resolved by
    `deserialize()`; any other callable is returned as is.

    Args:
        identifier: `None`, a name such as `"relu"`, a config dict, or a
            callable.

    Returns:
        A callable activation.

    Raises:
        ValueError: if `identifier` cannot be interpreted.

    Example:

    >>> keras.activations.get("relu") is keras.activations.relu
    True
    >>> keras.activations.get(None).__name__
    'linear'
    """
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation: {identifier!r}")


def serialize(activation):
    """The saved form of an activation.

    A built-in activation is saved by its name; any other (a registered or
    custom function, or a callable object) by its Keras 3 envelope (for a
    function `{"module", "class_name": "function", "config": name,
    "registered_name": name}`, the name being `"package>name"` when it is
    registered), so that `deserialize()` finds it again through the registry or
    `custom_objects`.

    Args:
        activation: The activation function or callable object.

    Returns:
        A string or a dict.

    Example:

    >>> keras.activations.serialize(keras.activations.gelu)
    'gelu'
    """
    name = getattr(activation, "__name__", None)
    if _BY_NAME.get(name) is activation:
        return name
    from torkeras.saving import serialization_lib
    return serialization_lib.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    """The activation a `serialize()` result describes.

    Names resolve as every saved object's do: the active custom-object scopes,
    then the registry, then `custom_objects`, then the built-in activations.
    A lambda's config is refused in safe mode.

    Args:
        config: A name or a config dict from `serialize()`.
        custom_objects: Optional dict from names to custom functions or
            classes.

    Returns:
        A callable activation.

    Raises:
        ValueError: for an unknown name or an unusable config.

    Example:

    >>> keras.activations.deserialize("swish") is keras.activations.silu
    True
    """
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
