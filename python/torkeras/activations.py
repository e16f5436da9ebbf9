"""Activation functions by Keras name."""

import torch
import torch.nn.functional as F


def linear(x):
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return torch.relu(x)
    neg = negative_slope * (x - threshold) if negative_slope else 0.0
    out = torch.where(x >= threshold, x, neg if isinstance(neg, torch.Tensor) else torch.zeros_like(x))
    if max_value is not None:
        out = torch.clamp(out, max=max_value)
    return out


def relu6(x):
    return F.relu6(x)


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(x, negative_slope)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def gelu(x, approximate=True):
    return F.gelu(x, approximate="tanh" if approximate else "none")


def sigmoid(x):
    return torch.sigmoid(x)


def hard_sigmoid(x):
    return F.hardsigmoid(x)


def tanh(x):
    return torch.tanh(x)


def softplus(x):
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def silu(x):
    return F.silu(x)


swish = silu


def mish(x):
    return F.mish(x)


def exponential(x):
    return torch.exp(x)


def softmax(x, axis=-1):
    return torch.softmax(x, dim=axis)


def log_softmax(x, axis=-1):
    return torch.log_softmax(x, dim=axis)


def _accepting_arrays(fn):
    """Lets an activation take arrays and Variables, not only tensors."""
    def wrapper(x, *args, **kwargs):
        if type(x) is not torch.Tensor and not isinstance(x, torch.Tensor):
            from torkeras.ops import convert_to_tensor
            x = convert_to_tensor(x)
        return fn(x, *args, **kwargs)
    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


for _name in ("linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid",
              "hard_sigmoid", "tanh", "softplus", "softsign", "silu", "mish", "exponential",
              "softmax", "log_softmax"):
    globals()[_name] = _accepting_arrays(globals()[_name])
swish = silu

_BY_NAME = {f.__name__: f for f in (
    linear, relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh,
    softplus, softsign, silu, mish, exponential, softmax, log_softmax)}
_BY_NAME["swish"] = silu


def get(identifier):
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        try:
            return _BY_NAME[identifier]
        except KeyError:
            raise ValueError(f"Unknown activation: {identifier!r}; known: {sorted(_BY_NAME)}") from None
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation: {identifier!r}")


def serialize(activation):
    name = getattr(activation, "__name__", None)
    if name in _BY_NAME and _BY_NAME[name] is activation:
        return name
    return name
