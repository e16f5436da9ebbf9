"""GlobalMaxPooling2D: max over the 2 spatial axes (keepdims keeps them as size 1)."""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, pool_mode="max", data_format=data_format,
                         keepdims=keepdims, **kwargs)
