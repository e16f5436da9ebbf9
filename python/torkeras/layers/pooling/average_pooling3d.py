"""AveragePooling3D: 3D average pooling; `strides` defaults to `pool_size`."""

from torkeras.layers.pooling.base_pooling import BasePooling


class AveragePooling3D(BasePooling):
    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
