"""`keras.optimizers`: optimizers with Keras update rules, and `get()`."""

from torkeras.optimizers import legacy, schedules
from torkeras.optimizers.adadelta import Adadelta
from torkeras.optimizers.adafactor import Adafactor
from torkeras.optimizers.adagrad import Adagrad
from torkeras.optimizers.adam import Adam, AdamW
from torkeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from torkeras.optimizers.adamax import Adamax
from torkeras.optimizers.ftrl import Ftrl
from torkeras.optimizers.lamb import Lamb
from torkeras.optimizers.lion import Lion
from torkeras.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from torkeras.optimizers.muon import Muon
from torkeras.optimizers.nadam import Nadam
from torkeras.optimizers.optimizer import Optimizer
from torkeras.optimizers.rmsprop import RMSprop
from torkeras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from torkeras.optimizers.sgd import SGD
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import object_envelope

_BUILTIN = (SGD, RMSprop, Adam, AdamW, Adadelta, Adafactor, Adagrad, Adamax, Ftrl, Lamb, Lion,
            Muon, Nadam, ScheduleFreeAdamW, MultiOptimizer)
_BUILTIN += (LossScaleOptimizer,)


class _AnyCase(dict):
    """The built-in optimizers by name, in any case ("Adam", "adam", "ADAM")."""

    def __contains__(self, name):
        return isinstance(name, str) and dict.__contains__(self, name.lower())

    def __getitem__(self, name):
        return dict.__getitem__(self, name.lower())


_BY_NAME = _AnyCase((cls.__name__.lower(), cls) for cls in _BUILTIN)


def serialize(optimizer):
    """The Keras config dict of a optimizer, as stored in `.keras` files.

    Returns `{"module": "keras.optimizers", "class_name": ..., "config": {...},
    "registered_name": ...}`. `deserialize()` turns it back into an optimizer.

    Args:
        optimizer: the optimizer to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return object_envelope(optimizer, "keras.optimizers", builtin=type(optimizer) in _BUILTIN)


_MALFORMED = "Expected a dict with keys 'class_name' and 'config' to deserialize an optimizer"


def deserialize(config, custom_objects=None):
    """Rebuilds a optimizer from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in optimizers.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A optimizer instance.
    """
    return _reg.deserialize_class_config(config, _BY_NAME, custom_objects,
                                         malformed=_MALFORMED, unknown=_unknown)


def _unknown(identifier):
    known = sorted(c.__name__.lower() for c in _BUILTIN)
    return (f"Could not interpret optimizer identifier: {identifier!r}. "
            f"Expected an Optimizer instance, a config dict, or one of the names {known}.")


def get(identifier):
    """Retrieves a optimizer from an identifier.

    A name ("adam", "rmsprop", "sgd", any built-in class name in any case, or
    a registered or scoped custom name) gives an instance with default
    arguments; a config dict is deserialized; an Optimizer is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A optimizer (or None for None).

    Example:
    >>> type(keras.optimizers.get("adam")).__name__
    'Adam'
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        # As in Keras, a name is the config of that class with defaults.
        identifier = {"class_name": identifier, "config": {}}
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(_unknown(identifier))


__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adadelta", "Adafactor", "Adagrad",
           "Adamax", "Ftrl", "Lamb", "Lion", "Muon", "Nadam", "ScheduleFreeAdamW",
           "MultiOptimizer", "OptimizerMap", "legacy", "schedules", "get", "serialize",
           "deserialize", "LossScaleOptimizer"]
