"""Input pipelines (a small tf.data-style `Dataset` on torch tensors)."""

from torkeras.data.dataset import AUTOTUNE, INFINITE, Dataset

__all__ = ["AUTOTUNE", "INFINITE", "Dataset"]
