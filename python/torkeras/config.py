"""Global numerical settings, as `keras.config` exposes them."""

import random as _py_random

import numpy as np
import torch

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")


def backend():
    """The engine always computes with torch."""
    return "torch"


def floatx():
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(f"`floatx` must be one of {_VALID_FLOATX}; received: {value!r}")
    _FLOATX = str(value)


def epsilon():
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    data_format = str(data_format).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "`data_format` must be 'channels_first' or 'channels_last'; "
            f"received: {data_format!r}")
    _IMAGE_DATA_FORMAT = data_format


def set_random_seed(seed):
    """Seeds Python's, NumPy's and torch's generators in one call."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"`seed` must be an integer; received: {seed!r}")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


_UNSAFE_DESERIALIZATION = False


def enable_unsafe_deserialization():
    """Lets `load_model` / deserialization load Python lambdas (code stored in
    a file) without `safe_mode=False`. Only for files you trust."""
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True


def unsafe_deserialization_enabled():
    return _UNSAFE_DESERIALIZATION


# Far above any model this engine trains, far below what a zip bomb reaches.
_MAX_DECOMPRESSED_BYTES = 8 * 1024**3


def max_decompressed_bytes():
    """The most bytes one load may decompress from a `.keras` zip (config,
    weights and assets together, counted as they are read)."""
    return _MAX_DECOMPRESSED_BYTES


def set_max_decompressed_bytes(value):
    """Sets the budget of `max_decompressed_bytes()` (default 8 GiB) to `value`,
    a positive whole number of bytes (an int, or a whole float). A file
    whose members decompress to more is refused as a likely zip bomb; raise
    the budget to load a larger model you trust."""
    global _MAX_DECOMPRESSED_BYTES
    # A whole float counts (8e9, or any number from R, where numbers are doubles).
    whole = isinstance(value, (int, np.integer)) or \
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    if isinstance(value, bool) or not whole or value <= 0:
        raise ValueError("`max_decompressed_bytes` must be a positive integer (a number of "
                         f"bytes); received: {value!r}")
    _MAX_DECOMPRESSED_BYTES = int(value)
