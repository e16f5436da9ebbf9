"""Input pipelines (a small tf.data-style `Dataset` on torch tensors)."""

from torkeras.data.dataset import Dataset

__all__ = ["Dataset"]
