"""Flatten: collapses every non-batch axis into one (channels_first inputs are
first moved to channels_last so the element order matches Keras)."""

from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class Flatten(Layer):
    """Flattens each sample to one axis: `(batch, d1, d2, ...)` becomes `(batch, d1 * d2 * ...)`.

    The batch axis is kept. With `data_format="channels_first"`, the channels
    axis is moved last before flattening, so that the element order matches
    channels-last data.

    Args:
        data_format: "channels_last" or "channels_first" (the layout of the
            inputs); None uses `keras.config.image_data_format()`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        `(batch, ...)`, at least 1-D per sample.

    Output shape:
        `(batch, product of the other dimensions)`.

    Example:
    >>> tuple(keras.layers.Flatten()(np.zeros((2, 3, 4), "float32")).shape)
    (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.standardize_data_format(data_format)

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.dim() > 2:
            rank = inputs.dim()
            inputs = inputs.permute((0,) + tuple(range(2, rank)) + (1,))
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0], U.prod_or_none(input_shape[1:]))

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
