"""`keras.dtype_policies`: dtype policies (compute dtype / variable dtype of
layers) and `get`, `serialize`, `deserialize`."""

from torkeras.dtype_policies.dtype_policy import (  # noqa: F401
    QUANTIZATION_MODES, AWQDTypePolicy, DTypePolicy, FloatDTypePolicy, GPTQDTypePolicy,
    Int4DTypePolicy, QuantizedDTypePolicy, QuantizedFloat8DTypePolicy, dtype_policy,
    set_dtype_policy)
from torkeras.dtype_policies.dtype_policy_map import DTypePolicyMap

ALL_OBJECTS = (AWQDTypePolicy, DTypePolicy, FloatDTypePolicy, QuantizedDTypePolicy,
               QuantizedFloat8DTypePolicy, DTypePolicyMap, GPTQDTypePolicy, Int4DTypePolicy)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}

# The module Keras 3.15 writes in a policy's envelope.
_ENVELOPE_MODULE = {"DTypePolicy": "keras", "FloatDTypePolicy": "keras"}


def serialize(dtype_policy):
    """The Keras config dict of a dtype policy, as stored in `.keras` files.

    Returns `{"module": "keras", "class_name": ..., "config": {...},
    "registered_name": ...}`. `deserialize()` turns it back into a dtype policy.

    Args:
        dtype_policy: the dtype policy to serialize.

    Returns:
        A JSON-compatible dict.
    """
    if not isinstance(dtype_policy, DTypePolicy):
        raise TypeError("`dtype_policy` must be a DTypePolicy instance; received: "
                        f"{dtype_policy!r} (of type {type(dtype_policy).__name__})")
    from torkeras.saving import serialization_lib
    cls = type(dtype_policy)
    if cls in ALL_OBJECTS:
        return {"module": _ENVELOPE_MODULE.get(cls.__name__, "keras.dtype_policies"),
                "class_name": cls.__name__,
                "config": serialization_lib.serialize_keras_object(dtype_policy.get_config()),
                "registered_name": None}
    return serialization_lib.serialize_keras_object(dtype_policy)


def deserialize(config, custom_objects=None):
    """Rebuilds a dtype policy from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in policies.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A dtype policy instance.
    """
    from torkeras.saving import object_registration as _reg
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("Expected a dict with keys 'class_name' and 'config' to deserialize a "
                         f"dtype policy; received: {config!r}")
    cls = _reg.get_config_object(config, custom_objects=custom_objects,
                                 module_objects=ALL_OBJECTS_DICT)
    if cls is None:
        cls = ALL_OBJECTS_DICT.get(config["class_name"])
    if cls is None:
        raise ValueError(f"Unknown dtype policy class: {config['class_name']!r}. Expected one "
                         f"of {sorted(ALL_OBJECTS_DICT)} or a registered custom class.")
    inner = dict(config.get("config") or {})
    if cls is DTypePolicyMap:
        return DTypePolicyMap.from_config(inner, custom_objects=custom_objects)
    return cls.from_config(inner)


def get(identifier):
    """Retrieves a dtype policy from an identifier.

    None gives the global policy; a policy is returned as is; a name
    ("mixed_float16", "float32", "int8_from_float32", ...) gives that policy; a
    config dict is deserialized; a NumPy or torch dtype gives the policy of
    that dtype's name.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A dtype policy (or None for None).
    """
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier.startswith(QUANTIZATION_MODES):
            from torkeras.dtype_policies.dtype_policy import _quantized_policy_from_name
            return _quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    from torkeras import dtypes
    try:
        return DTypePolicy(dtypes.name_of(identifier))
    except Exception:
        raise ValueError("Cannot interpret `dtype` argument. Expected a string or an instance "
                         f"of DTypePolicy. Received: dtype={identifier!r}") from None


__all__ = ["AWQDTypePolicy", "DTypePolicy", "DTypePolicyMap", "FloatDTypePolicy",
           "GPTQDTypePolicy", "Int4DTypePolicy", "QuantizedDTypePolicy",
           "QuantizedFloat8DTypePolicy", "deserialize", "get", "serialize"]
