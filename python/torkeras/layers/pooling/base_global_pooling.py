"""BaseGlobalPooling: reduce all spatial axes with max or mean (keepdims optional)."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    def __init__(self, pool_dimensions, pool_mode="max", data_format=None, keepdims=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.rank = pool_dimensions
        self.pool_mode = pool_mode
        self.data_format = U.standardize_data_format(data_format)
        self.keepdims = bool(keepdims)
        n = pool_dimensions
        if self.data_format == "channels_last":
            self._axes = tuple(range(1, n + 1))
        else:
            self._axes = tuple(range(2, n + 2))

    def call(self, inputs):
        if self.pool_mode == "max":
            return inputs.amax(dim=self._axes, keepdim=self.keepdims)
        return inputs.mean(dim=self._axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
