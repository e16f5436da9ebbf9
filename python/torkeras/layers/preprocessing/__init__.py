"""Preprocessing layers (image: Rescaling, Resizing, CenterCrop)."""

from torkeras.layers.preprocessing.rescaling import Rescaling
from torkeras.layers.preprocessing.resizing import Resizing
from torkeras.layers.preprocessing.center_crop import CenterCrop

__all__ = ["Rescaling", "Resizing", "CenterCrop"]
