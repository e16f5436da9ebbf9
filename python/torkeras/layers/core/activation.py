"""Activation: applies an activation function (name or callable) to its input."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: the activation function: a name from `keras.activations`
            (e.g. "relu", "softmax") or a callable.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> layer = keras.layers.Activation("relu")
    >>> layer(np.array([-3.0, 0.0, 2.0], "float32")).tolist()
    [0.0, 0.0, 2.0]
    """

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
