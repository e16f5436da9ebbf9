"""`keras.saving`: the `.keras` format, weights files, object (de)serialization."""

from torkeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from torkeras.saving.saving_api import load_model, load_weights, save_model, save_weights  # noqa: F401
from torkeras.saving.serialization_lib import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)

__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects",
           "get_registered_name", "get_registered_object", "register_keras_serializable",
           "load_model", "save_model", "save_weights", "load_weights",
           "serialize_keras_object", "deserialize_keras_object"]
