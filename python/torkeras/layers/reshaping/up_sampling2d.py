"""UpSampling2D: repeats rows and columns `size` times ("nearest") or resizes
bilinearly (half-pixel centres, no antialiasing)."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class UpSampling2D(Layer):
    """Upsampling layer for 2-D inputs: repeats (or interpolates) rows and columns.

    Rows are repeated `size[0]` times and columns `size[1]` times with
    "nearest"; "bilinear" and "bicubic" interpolate to the enlarged size instead.

    Args:
        size: an integer or a pair of integers, the upsampling factors for rows
            and columns.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        interpolation: "nearest" (default), "bilinear" or "bicubic".
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor, as given by `data_format`.

    Output shape:
        4-D tensor with `rows * size[0]` rows and `cols * size[1]` columns.

    Example:
    >>> x = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)
    >>> keras.layers.UpSampling2D(2)(x)[0, :, :, 0].tolist()
    [[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0], [2.0, 2.0, 3.0, 3.0]]
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = U.normalize_tuple(size, 2, "size")
        self.data_format = U.standardize_data_format(data_format)
        allowed = ("nearest", "bilinear", "bicubic")
        if interpolation not in allowed:
            raise ValueError(f"UpSampling2D: `interpolation` must be one of {allowed}; "
                             f"received: interpolation={interpolation!r}")
        self.interpolation = interpolation

    def call(self, inputs):
        last = self.data_format == "channels_last"
        if self.interpolation == "nearest":
            h_axis, w_axis = (1, 2) if last else (2, 3)
            out = inputs.repeat_interleave(self.size[0], dim=h_axis)
            return out.repeat_interleave(self.size[1], dim=w_axis)
        x = inputs.permute(0, 3, 1, 2) if last else inputs
        out = F.interpolate(x, scale_factor=self.size, mode=self.interpolation,
                            align_corners=False)
        return out.permute(0, 2, 3, 1) if last else out

    def compute_output_shape(self, input_shape):
        s = list(input_shape)
        h, w = (1, 2) if self.data_format == "channels_last" else (2, 3)
        s[h] = None if s[h] is None else s[h] * self.size[0]
        s[w] = None if s[w] is None else s[w] * self.size[1]
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config
