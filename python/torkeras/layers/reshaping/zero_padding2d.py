"""ZeroPadding2D: adds rows/columns of zeros; `padding` is an int, (h, w) or
((top, bottom), (left, right))."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class ZeroPadding2D(Layer):
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
