"""Keras side of the Keras comparison tests (runs in .venv-keras, never in .venv).

A reference script in this folder builds its inputs with NumPy, computes the
outputs with real Keras 3 on the torch backend, and stores both, under string
keys, in one .npz file named by its first command-line argument:

    from refkit import Reference, keras, np
    ref = Reference()
    x = ref.rng.standard_normal((4, 3)).astype("float32")
    ref.put("relu/x", x)
    ref.put("relu/out", keras.activations.relu(x))
    ref.save()

The torkeras test (tests/python/test_keras_<area>.py) loads the same file
through tests/python/keras_reference.py, reads the inputs from it and compares
torkeras's outputs to Keras's. Only arrays are stored (no pickles): strings
become NumPy unicode arrays, scalars 0-d arrays, tensors NumPy arrays.
"""
import os
import sys

os.environ["KERAS_BACKEND"] = "torch"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import keras  # noqa: E402

__all__ = ["Reference", "keras", "np", "to_numpy"]


def to_numpy(value):
    """A Keras/torch/NumPy value (or a list of strings) as a NumPy array."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    elif hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    # A copy: Keras may hand back a live state tensor (a metric's variable)
    # that the next update changes in place.
    return np.array(value, copy=True)


class Reference:
    """Collects named input and output arrays and writes them to argv[1]."""

    def __init__(self, seed=1234):
        if len(sys.argv) != 2:
            raise SystemExit(f"usage: {sys.argv[0]} OUTPUT.npz")
        self.path = sys.argv[1]
        self.rng = np.random.default_rng(seed)
        self.arrays = {}
        keras.utils.set_random_seed(seed)

    def put(self, key, value):
        if key in self.arrays:
            raise KeyError(f"reference key {key!r} stored twice")
        array = to_numpy(value)
        if array.dtype == object:
            raise TypeError(f"reference key {key!r}: object arrays cannot be stored")
        self.arrays[key] = array
        return value

    def save(self):
        np.savez(self.path, **self.arrays)
