"""Data arriving from R, made ready for the engine.

reticulate turns an R double array into a float64 numpy array in Fortran
(column-major) order. The engine wants floatx, and row batches are cheapest
from C-ordered memory, so floats are converted to floatx and C order in one
copy here. Integer and boolean arrays keep their dtype (labels stay integer).
Arrays that share R's memory are read-only; those are copied, since torch
tensors must be able to own writable memory.
"""

import numpy as np

from torkeras.utils import tree


def from_r(data, floatx=None):
    """Converts (nested lists/tuples/dicts of) arrays coming from R.

    float arrays of another precision become `floatx` (default: the engine's
    floatx); every array becomes C-contiguous and writable; other objects
    pass through.
    """
    if floatx is None:
        from torkeras import config
        floatx = config.floatx()
    floatx = np.dtype(floatx)
    return tree.map_structure(lambda leaf: _convert_array(leaf, floatx), data)


def _convert_array(data, floatx):
    if not isinstance(data, np.ndarray):
        return data
    if data.dtype.kind == "f" and data.dtype != floatx:
        return data.astype(floatx, order="C")
    if not data.flags.writeable:
        return np.array(data, order="C")
    return np.ascontiguousarray(data)
