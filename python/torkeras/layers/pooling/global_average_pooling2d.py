"""GlobalAveragePooling2D: average over the 2 spatial axes (keepdims keeps them as size 1)."""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, pool_mode="average", data_format=data_format,
                         keepdims=keepdims, **kwargs)
