"""Mapping between Keras dtype names and torch dtypes."""

import numpy as np
import torch

from torkeras import config

_BY_NAME = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "uint8": torch.uint8,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_ALIASES = {"float": "float32", "double": "float64", "int": "int32", "half": "float16"}
_BY_TORCH = {v: k for k, v in _BY_NAME.items()}


def to_torch(dtype):
    """Returns the torch dtype for a Keras name, numpy dtype or torch dtype."""
    if dtype is None:
        return _BY_NAME[config.floatx()]
    if isinstance(dtype, torch.dtype):
        return dtype
    if isinstance(dtype, (np.dtype, type)):
        dtype = np.dtype(dtype).name
    name = _ALIASES.get(str(dtype), str(dtype))
    if name.startswith("torch."):
        name = name[len("torch."):]
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"Unknown dtype: {dtype!r}; expected one of {sorted(_BY_NAME)}") from None


def name_of(dtype):
    """Returns the Keras dtype name ("float32", "int64", ...)."""
    return _BY_TORCH[to_torch(dtype)]


def is_float(dtype):
    return to_torch(dtype).is_floating_point
