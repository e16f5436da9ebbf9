"""Cropping2D: removes rows and columns at the edges of an image; `cropping` is an int,
(h, w) or ((top, bottom), (left, right))."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)
