"""ZeroPadding1D: adds zeros at the start and end of the steps axis of a 3D input."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.reshaping.up_sampling1d import check_rank


class ZeroPadding1D(Layer):
    """Zero-padding layer for 1D inputs (e.g. temporal sequences).

    Args:
        padding: Integer (the same number of zeros at the start and the end of
            the padded axis) or a pair of non-negative integers
            `(left_pad, right_pad)`.
        data_format: `"channels_last"` (inputs `(batch, axis_to_pad,
            features)`) or `"channels_first"` (inputs `(batch, features,
            axis_to_pad)`). Defaults to the `image_data_format` setting.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> x = np.ones((1, 2, 1), "float32")
    >>> keras.layers.ZeroPadding1D(1)(x)[0, :, 0].tolist()
    [0.0, 1.0, 1.0, 0.0]
    """

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.standardize_data_format(data_format)
        self.padding = U.normalize_tuple(padding, 2, "padding", allow_zero=True)
        self._axis = 1 if self.data_format == "channels_last" else 2

    def build(self, input_shape):
        check_rank(self, input_shape, 3)
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, 3)
        left, right = self.padding
        # F.pad lists the last axis first.
        pad = [0, 0, left, right] if self._axis == 1 else [left, right]
        return F.pad(inputs, pad)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, 3)
        s = list(input_shape)
        if s[self._axis] is not None:
            s[self._axis] += sum(self.padding)
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
