"""`keras.layers.serialize` / `keras.layers.deserialize`: a layer to and
from its Keras 3 config dict (`{"module", "class_name", "config", ...}`)."""

from torkeras.layers.layer import Layer
from torkeras.saving import serialization_lib


def serialize(layer):
    """The Keras config dict of a layer, as stored in `.keras` files.

    Returns `{"module": "keras.layers", "class_name": ..., "config": {...},
    "registered_name": ...}`. `deserialize()` turns it back into a layer.

    Args:
        layer: the layer to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialization_lib.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Rebuilds a layer from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in layers.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A layer instance.
    """
    obj = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError("`keras.layers.deserialize` was passed a `config` object that is not "
                         f"a `keras.layers.Layer`. Received: {config}")
    return obj
