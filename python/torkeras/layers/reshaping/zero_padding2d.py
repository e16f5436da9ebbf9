"""ZeroPadding2D: adds rows/columns of zeros; `padding` is an int, (h, w) or
((top, bottom), (left, right))."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class ZeroPadding2D(Layer):
    """Zero-padding layer for 2-D inputs (e.g. images): adds rows and columns of zeros.

    Args:
        padding: an integer (the same symmetric padding for height and width),
            a pair of integers `(symmetric_height_pad, symmetric_width_pad)`, or
            a pair of pairs `((top, bottom), (left, right))`.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor, as given by `data_format`.

    Output shape:
        4-D tensor with `rows + top + bottom` rows and `cols + left + right`
        columns.

    Example:
    >>> x = np.ones((1, 2, 2, 1), "float32")
    >>> keras.layers.ZeroPadding2D(1)(x)[0, :, :, 0].tolist()[0]
    [0.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.standardize_data_format(data_format)
        if isinstance(padding, (list, tuple)) and len(padding) == 2 and \
                all(isinstance(p, (list, tuple)) for p in padding):
            self.padding = (U.normalize_tuple(padding[0], 2, "padding", allow_zero=True),
                            U.normalize_tuple(padding[1], 2, "padding", allow_zero=True))
        else:
            h, w = U.normalize_tuple(padding, 2, "padding", allow_zero=True)
            self.padding = ((h, h), (w, w))
        (t, b), (l, r) = self.padding
        if self.data_format == "channels_last":
            self._pad = [0, 0, l, r, t, b]
        else:
            self._pad = [l, r, t, b]

    def call(self, inputs):
        return F.pad(inputs, self._pad)

    def compute_output_shape(self, input_shape):
        s = list(input_shape)
        h, w = (1, 2) if self.data_format == "channels_last" else (2, 3)
        s[h] = None if s[h] is None else s[h] + sum(self.padding[0])
        s[w] = None if s[w] is None else s[w] + sum(self.padding[1])
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
