"""Activation: applies an activation function (name or callable) to its input."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = U.get_activation(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["activation"] = U.serialize_activation(self.activation)
        return config
