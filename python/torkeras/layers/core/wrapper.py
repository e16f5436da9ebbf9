"""Wrapper: base class of layers that wrap another layer (`self.layer`)."""

from torkeras import naming
from torkeras.layers.layer import Layer
from torkeras.saving import serialization_lib


class Wrapper(Layer):
    """Base class of layers that wrap another layer.

    Base class of layers that take another layer and change how it is
    applied (e.g. `TimeDistributed`). Not meant to be used on its own:
    subclasses implement `call`.

    Args:
        layer: The wrapped `keras.layers.Layer` instance (available as
            `self.layer`; its weights are the wrapper's weights).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer!r} supplied to Wrapper isn't a supported layer "
                             "type. Please ensure wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            with naming.name_scope(self.layer.name):
                self.layer._call_build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialization_lib.serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = serialization_lib.deserialize_keras_object(config.pop("layer"),
                                                           custom_objects=custom_objects)
        return cls(layer, **config)
