"""Cropping1D: removes entries at the start and end of the steps axis of (batch, steps, features)."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, **kwargs)
