"""Activation functions by Keras name."""

import inspect

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
