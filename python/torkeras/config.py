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


def dtype_policy():
    """The default dtype policy of new layers (a `DTypePolicy`); see
    `keras.dtype_policies`."""
    from torkeras.dtype_policies import dtype_policy as _dtype_policy
    return _dtype_policy()


def set_dtype_policy(policy):
    """Sets the default dtype policy of new layers: a `DTypePolicy` or its
    name ("mixed_float16", "mixed_bfloat16", "float32", ...)."""
    from torkeras.dtype_policies import set_dtype_policy as _set_dtype_policy
    _set_dtype_policy(policy)


def set_backend(backend):
    """Keras 3 switches its backend here; torkeras computes with torch only, so
    "torch" is accepted (nothing changes) and any other name is an error."""
    if not isinstance(backend, str) or backend.lower() != "torch":
        raise ValueError(f"torkeras only has the 'torch' backend; `backend` must be 'torch', "
                         f"received: {backend!r}. Use Keras 3 itself for the "
                         "TensorFlow, JAX or OpenVINO backends.")


# -- flash attention -------------------------------------------------------------
# None (the default, as in Keras): layers use flash attention where the inputs
# allow it; False: never.
_FLASH_ATTENTION = None


def enable_flash_attention():
    """Lets attention layers use flash attention where the inputs allow it
    (the default). Flash attention is fused, memory-efficient attention; on
    torch it needs float16/bfloat16 inputs on a supporting GPU."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = None


def disable_flash_attention():
    """Stops attention layers from using flash attention."""
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled():
    """`False` after `disable_flash_attention()`; otherwise `None`, as Keras
    returns: attention layers then pass `flash_attention=None` to
    `ops.dot_product_attention`, which uses it when the inputs allow it."""
    return _FLASH_ATTENTION


# -- interactive logging ----------------------------------------------------------
_INTERACTIVE_LOGGING = True


def enable_interactive_logging():
    """Progress bars and training messages are written to stdout, the bar
    redrawn in place on a terminal (the default)."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging():
    """Progress bars and training messages go to Python's `logging` (logger
    "torkeras", level INFO) instead of stdout, one line per update (no
    in-place redrawing), as Keras sends them to its logger."""
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled():
    """Whether progress and messages are written to stdout (True, the default)
    or to the "torkeras" logger (False)."""
    return _INTERACTIVE_LOGGING


# -- traceback filtering ----------------------------------------------------------
_TRACEBACK_FILTERING = True


def enable_traceback_filtering():
    """Exceptions raised through fit(), evaluate(), predict() and layer calls
    have torkeras's internal frames removed from their traceback, leaving
    the user's own code (the default)."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering():
    """Keeps the full tracebacks, torkeras's internal frames included."""
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled():
    """Whether tracebacks are filtered (True, the default)."""
    return _TRACEBACK_FILTERING


# -- debugging caps on training length ------------------------------------------------
def _env_int(name):
    import os
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else None


_MAX_EPOCHS = _env_int("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH = _env_int("KERAS_MAX_STEPS_PER_EPOCH")


def _cap_arg(value, name):
    if value is None:
        return None
    whole = isinstance(value, (int, np.integer)) or \
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    if isinstance(value, bool) or not whole or value < 1:
        raise ValueError(f"`{name}` must be a positive integer or None; received: {value!r}")
    return int(value)


def set_max_epochs(max_epochs):
    """Caps the epochs of every `fit()` at `max_epochs` (None: no cap), with
    a warning when a fit asks for more; for quick debugging runs. The
    environment variable KERAS_MAX_EPOCHS sets it at import."""
    global _MAX_EPOCHS
    _MAX_EPOCHS = _cap_arg(max_epochs, "max_epochs")


def max_epochs():
    """The cap `set_max_epochs()` set, or None."""
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of every fit() epoch, evaluate() and predict() at
    `max_steps_per_epoch` (None: no cap), with a warning when a loop would run
    more; for quick debugging runs. The environment variable
    KERAS_MAX_STEPS_PER_EPOCH sets it at import."""
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = _cap_arg(max_steps_per_epoch, "max_steps_per_epoch")


def max_steps_per_epoch():
    """The cap `set_max_steps_per_epoch()` set, or None."""
    return _MAX_STEPS_PER_EPOCH
