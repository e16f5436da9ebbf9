"""R's from_config(): configs that went through R lists come back with empty
dicts turned into empty lists; they are restored before deserializing."""

import inspect

from torkeras.saving import object_registration
from torkeras.saving.serialization_lib import deserialize_keras_object

# Keys whose value is always a dict in Keras configs.
_DICT_KEYS = ("config", "kwargs", "build_config", "compile_config")


def restore_dicts(value, key=None):
    if isinstance(value, dict):
        return {k: restore_dicts(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if not value and key in _DICT_KEYS:
            return {}
        return [restore_dicts(v) for v in value]
    return value


def from_config(cls, config, custom_objects=None):
    config = restore_dicts(dict(config or {}))
    with object_registration.custom_object_scope(custom_objects):
        try:
            accepts = "custom_objects" in inspect.signature(cls.from_config).parameters
        except (TypeError, ValueError):
            accepts = False
        if accepts:
            return cls.from_config(config, custom_objects=custom_objects)
        return cls.from_config(config)


def deserialize(config, custom_objects=None):
    return deserialize_keras_object(restore_dicts(config), custom_objects=custom_objects)
