"""Cropping3D: removes entries at the edges of the three spatial axes; `cropping` is an
int, (d1, d2, d3) or three (before, after) pairs."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
