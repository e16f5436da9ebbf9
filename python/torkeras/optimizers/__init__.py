"""`keras.optimizers`: optimizers with Keras update rules, and `get()`."""

from torkeras.optimizers import schedules
from torkeras.optimizers.adam import Adam, AdamW
from torkeras.optimizers.optimizer import Optimizer
from torkeras.optimizers.rmsprop import RMSprop
from torkeras.optimizers.sgd import SGD
from torkeras.utils.serialization import object_envelope

_BUILTIN = (SGD, RMSprop, Adam, AdamW)
_BY_NAME = {}
for _cls in _BUILTIN:
    _BY_NAME[_cls.__name__] = _cls
    _BY_NAME[_cls.__name__.lower()] = _cls


def serialize(optimizer):
    """The Keras 3 dict form: module, class_name, config, registered_name."""
    cls = type(optimizer)
    return object_envelope(optimizer, "keras.optimizers",
                           builtin=_BY_NAME.get(cls.__name__) is cls)


def deserialize(config, custom_objects=None):
    """Rebuilds an optimizer from `{"class_name": ..., "config": {...}}`."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Expected a dict with keys 'class_name' and 'config' to deserialize an optimizer; "
            f"received: {config!r}")
    name = config["class_name"]
    custom_objects = custom_objects or {}
    cls = custom_objects.get(name) or custom_objects.get(config.get("registered_name")) \
        or _BY_NAME.get(name) or _BY_NAME.get(str(name).lower())
    if cls is None:
        raise ValueError(_unknown(name))
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects) \
        if _accepts_custom_objects(cls) else cls.from_config(dict(config.get("config") or {}))


def _accepts_custom_objects(cls):
    import inspect
    try:
        return "custom_objects" in inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        return False


def _unknown(identifier):
    known = sorted({c.__name__.lower() for c in _BUILTIN})
    return (f"Could not interpret optimizer identifier: {identifier!r}. "
            f"Expected an Optimizer instance, a config dict, or one of the names {known}.")


def get(identifier):
    """An optimizer from a name ("adam", "rmsprop", "sgd", "adamw"; any case),
    an instance (returned as is) or a config dict."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier) or _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(_unknown(identifier))
        return cls()
    raise ValueError(_unknown(identifier))


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "schedules", "get", "serialize",
           "deserialize"]
