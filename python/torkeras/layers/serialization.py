"""`keras.layers.serialize` / `keras.layers.deserialize`: a layer to and
from its Keras 3 config dict (`{"module", "class_name", "config", ...}`)."""

from torkeras.layers.layer import Layer
from torkeras.saving import serialization_lib


def serialize(layer):
    """The Keras 3 config dict of `layer` (as saved in a `.keras` file)."""
    return serialization_lib.serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """The layer described by `config` (a dict from `serialize()`);
    `custom_objects` maps names to user classes/functions."""
    obj = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(obj, Layer):
        raise ValueError("`keras.layers.deserialize` was passed a `config` object that is not "
                         f"a `keras.layers.Layer`. Received: {config}")
    return obj
