"""UpSampling3D: repeats the entries of the three spatial axes of a 5D input."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.reshaping.up_sampling1d import check_rank


class UpSampling3D(Layer):
    """Upsampling layer for 3D inputs (volumes).

    Repeats the first, second and third spatial dimensions `size[0]`,
    `size[1]` and `size[2]` times ("nearest" upsampling).

    Args:
        size: Integer or tuple of 3 positive integers, the upsampling factors
            for dim1, dim2 and dim3.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3,
            channels)`) or `"channels_first"` (inputs `(batch, channels, dim1,
            dim2, dim3)`). Defaults to the `image_data_format` setting.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> x = np.zeros((1, 2, 2, 2, 3), "float32")
    >>> tuple(keras.layers.UpSampling3D(2)(x).shape)
    (1, 4, 4, 4, 3)
    """

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.standardize_data_format(data_format)
        self.size = U.normalize_tuple(size, 3, "size")
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = (first, first + 1, first + 2)

    def build(self, input_shape):
        check_rank(self, input_shape, 5)
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, 5)
        out = inputs
        for axis, factor in zip(self._axes, self.size):
            out = out.repeat_interleave(factor, dim=axis)
        return out

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, 5)
        s = list(input_shape)
        for axis, factor in zip(self._axes, self.size):
            s[axis] = None if s[axis] is None else s[axis] * factor
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
