"""UpSampling2D: repeats rows and columns `size` times ("nearest") or resizes
bilinearly (half-pixel centres, no antialiasing)."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class UpSampling2D(Layer):
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
