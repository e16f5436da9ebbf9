"""Small standard datasets (``keras.datasets``): ``mnist``, ``fashion_mnist``."""

from torkeras.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]
