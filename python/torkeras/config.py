"""Global numerical settings, as `keras.config` exposes them."""

import random as _py_random

import numpy as np
import torch

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")


def backend():
    """The name of the backend: always `"torch"`.

    torkeras computes with torch only; see `set_backend`.

    Returns:
        The string `"torch"`.

    Example:

    >>> keras.config.backend()
    'torch'
    """
    return "torch"


def floatx():
    """The default floating-point dtype.

    Used for new weights, for Python floats and float64 arrays converted to tensors, and for integer inputs of ops that compute in floating point. `"float32"` unless changed with `set_floatx`.

    Returns:
        A dtype name: `"float16"`, `"bfloat16"`, `"float32"` or `"float64"`.

    Example:

    >>> keras.config.floatx()
    'float32'
    """
    return _FLOATX


def set_floatx(value):
    """Sets the default floating-point dtype returned by `floatx()`.

    Prefer a dtype policy (`set_dtype_policy("mixed_float16")`) for mixed
    precision training: lowering `floatx` makes the weights themselves low
    precision.

    Args:
        value: `"float16"`, `"bfloat16"`, `"float32"` or `"float64"`.

    Raises:
        ValueError: for another value.

    Example:

    >>> keras.config.set_floatx("float64")
    >>> keras.ops.ones(2).dtype
    torch.float64
    >>> keras.config.set_floatx("float32")
    """
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(f"`floatx` must be one of {_VALID_FLOATX}; received: {value!r}")
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor used to avoid divisions by zero and `log(0)`.

    Used by losses, metrics and ops such as `normalize` when no epsilon is given. `1e-7` unless changed with `set_epsilon`.

    Returns:
        A Python float.

    Example:

    >>> keras.config.epsilon()
    1e-07
    """
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor returned by `epsilon()`.

    Args:
        value: The new value (converted to a Python float).

    Example:

    >>> keras.config.set_epsilon(1e-5)
    >>> keras.config.epsilon()
    1e-05
    >>> keras.config.set_epsilon(1e-7)
    """
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """The default layout of image data: where the channel axis is.

    `"channels_last"` means `(batch, height, width, channels)`, `"channels_first"` means `(batch, channels, height, width)`. Layers and ops with a `data_format=None` argument use it. `"channels_last"` unless changed with `set_image_data_format`.

    Returns:
        `"channels_last"` or `"channels_first"`.

    Example:

    >>> keras.config.image_data_format()
    'channels_last'
    """
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default layout of image data returned by `image_data_format()`.

    Args:
        data_format: `"channels_last"` or `"channels_first"` (case is
            ignored).

    Raises:
        ValueError: for another value.

    Example:

    >>> keras.config.set_image_data_format("channels_first")
    >>> keras.config.image_data_format()
    'channels_first'
    >>> keras.config.set_image_data_format("channels_last")
    """
    global _IMAGE_DATA_FORMAT
    _IMAGE_DATA_FORMAT = _checked_data_format(data_format)


def _checked_data_format(data_format):
    """`data_format` lower-cased, or a ValueError unless it is
    "channels_first" / "channels_last" (any case)."""
    if not isinstance(data_format, str) or data_format.lower() not in (
            "channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of 'channels_first' or "
                         f"'channels_last'. Received: data_format={data_format!r}")
    return data_format.lower()


def _standardize_data_format(data_format):
    """The data format an op or layer uses: `image_data_format()` for None,
    else the checked value (the one check every op, layer and utility shares)."""
    if data_format is None:
        return image_data_format()
    return _checked_data_format(data_format)


def set_random_seed(seed):
    """Seeds Python's, NumPy's and torch's global random generators in one call.

    Makes weight initialization, dropout and the `keras.random` functions called
    with `seed=None` reproducible. The same function as
    `keras.utils.set_random_seed`.

    Args:
        seed: An integer.

    Raises:
        ValueError: if `seed` is not an integer.

    Example:

    >>> keras.config.set_random_seed(1)
    >>> a = keras.random.normal((2,))
    >>> keras.config.set_random_seed(1)
    >>> bool((a == keras.random.normal((2,))).all())
    True
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise ValueError(f"`seed` must be an integer; received: {seed!r}")
    seed = int(seed)
    _py_random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


_UNSAFE_DESERIALIZATION = False


def enable_unsafe_deserialization():
    """Lets loading deserialize Python lambdas without `safe_mode=False`.

    A lambda saved in a `.keras` file or a config is stored as code; running it
    can do anything, so by default it is refused. After this call it is
    loaded everywhere (for the rest of the session: there is no way back).
    Only for files you trust; `load_model(..., safe_mode=False)` allows it for
    one load instead.
    """
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True


def unsafe_deserialization_enabled():
    """Whether `enable_unsafe_deserialization()` has been called.

    Returns:
        `True` or `False` (the default).

    Example:

    >>> keras.config.unsafe_deserialization_enabled() in (True, False)
    True
    """
    return _UNSAFE_DESERIALIZATION


# Far above any model this engine trains, far below what a zip bomb reaches.
_MAX_DECOMPRESSED_BYTES = 8 * 1024**3


def max_decompressed_bytes():
    """The most bytes one load may decompress from a `.keras` file.

    The config, weights and assets of one `load_model` (or weights load) are counted together as they are read; a file that decompresses to more is refused as a likely zip bomb. 8 GiB unless changed with `set_max_decompressed_bytes`.

    Returns:
        An int (bytes).

    Example:

    >>> keras.config.max_decompressed_bytes()
    8589934592
    """
    return _MAX_DECOMPRESSED_BYTES


def set_max_decompressed_bytes(value):
    """Sets the decompression budget of `max_decompressed_bytes()` (default 8 GiB).

    Raise it to load a larger model you trust.

    Args:
        value: A positive whole number of bytes (an int, or a float with no
            fractional part such as `2e10`).

    Raises:
        ValueError: if `value` is not a positive whole number.

    Example:

    >>> keras.config.set_max_decompressed_bytes(16 * 1024**3)
    >>> keras.config.max_decompressed_bytes()
    17179869184
    >>> keras.config.set_max_decompressed_bytes(8 * 1024**3)
    """
    global _MAX_DECOMPRESSED_BYTES
    # A whole float counts (8e9, or any number from R, where numbers are doubles).
    whole = isinstance(value, (int, np.integer)) or \
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    if isinstance(value, bool) or not whole or value <= 0:
        raise ValueError("`max_decompressed_bytes` must be a positive integer (a number of "
                         f"bytes); received: {value!r}")
    _MAX_DECOMPRESSED_BYTES = int(value)


def dtype_policy():
    """The default dtype policy of new layers.

    A policy holds the dtype of a layer's weights (`variable_dtype`) and of its computations (`compute_dtype`); see `keras.dtype_policies`. The default is `floatx()` for both.

    Returns:
        A `DTypePolicy`.

    Example:

    >>> keras.config.dtype_policy().name
    'float32'
    """
    from torkeras.dtype_policies import dtype_policy as _dtype_policy
    return _dtype_policy()


def set_dtype_policy(policy):
    """Sets the default dtype policy of layers created afterwards.

    `"mixed_float16"` or `"mixed_bfloat16"` keep float32 weights but compute in
    16 bits (mixed precision).

    Args:
        policy: A `DTypePolicy` or its name (`"mixed_float16"`,
            `"mixed_bfloat16"`, `"float32"`, ...).

    Raises:
        ValueError: for an unknown policy.

    Example:

    >>> keras.config.set_dtype_policy("mixed_bfloat16")
    >>> layer = keras.layers.Dense(2)
    >>> layer.compute_dtype, layer.variable_dtype
    ('bfloat16', 'float32')
    >>> keras.config.set_dtype_policy("float32")
    """
    from torkeras.dtype_policies import set_dtype_policy as _set_dtype_policy
    _set_dtype_policy(policy)


def set_backend(backend):
    """Accepts `"torch"`, the only backend of torkeras; any other name is an error.

    Keras 3 switches between its backends here. torkeras computes with torch
    only, so `"torch"` changes nothing and other names (TensorFlow, JAX,
    OpenVINO) raise with an explanation.

    Args:
        backend: The backend name (case is ignored).

    Raises:
        ValueError: for any backend other than `"torch"`.

    Example:

    >>> keras.config.set_backend("torch")
    """
    if not isinstance(backend, str) or backend.lower() != "torch":
        raise ValueError(f"torkeras only has the 'torch' backend; `backend` must be 'torch', "
                         f"received: {backend!r}. Use Keras 3 itself for the "
                         "TensorFlow, JAX or OpenVINO backends.")


# -- flash attention -------------------------------------------------------------
# None (the default, as in Keras): layers use flash attention where the inputs
# allow it; False: never.
_FLASH_ATTENTION = None


def enable_flash_attention():
    """Lets attention layers use flash attention where the inputs allow it (the default).

    Flash attention is fused, memory-efficient attention; on torch it needs
    float16/bfloat16 inputs on a supporting GPU. Undoes
    `disable_flash_attention()`.

    Example:

    >>> keras.config.enable_flash_attention()
    >>> keras.config.is_flash_attention_enabled() is None
    True
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = None


def disable_flash_attention():
    """Stops attention layers from using flash attention.

    Example:

    >>> keras.config.disable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    False
    >>> keras.config.enable_flash_attention()
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled():
    """Whether attention layers may use flash attention.

    As in Keras, the default is `None` (not `True`): attention layers then pass `flash_attention=None` to `ops.dot_product_attention`, which uses it when the inputs allow it.

    Returns:
        `False` after `disable_flash_attention()`, otherwise `None`.

    Example:

    >>> keras.config.is_flash_attention_enabled() is None
    True
    """
    return _FLASH_ATTENTION


# -- interactive logging ----------------------------------------------------------
_INTERACTIVE_LOGGING = True


def enable_interactive_logging():
    """Writes progress bars and training messages to stdout (the default).

    On a terminal the progress bar is redrawn in place. Undoes
    `disable_interactive_logging()`.

    Example:

    >>> keras.config.enable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    True
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = True


def disable_interactive_logging():
    """Sends progress bars and training messages to Python's `logging` instead of stdout.

    They go to the logger `"torkeras"` at level INFO, one line per update (no
    in-place redrawing), as Keras sends them to its logger; useful in
    non-interactive jobs.

    Example:

    >>> keras.config.disable_interactive_logging()
    >>> keras.config.is_interactive_logging_enabled()
    False
    >>> keras.config.enable_interactive_logging()
    """
    global _INTERACTIVE_LOGGING
    _INTERACTIVE_LOGGING = False


def is_interactive_logging_enabled():
    """Whether progress and messages are written to stdout.

    Returns:
        `True` (the default) for stdout, `False` for the `"torkeras"` logger.

    Example:

    >>> keras.config.is_interactive_logging_enabled()
    True
    """
    return _INTERACTIVE_LOGGING


# -- traceback filtering ----------------------------------------------------------
_TRACEBACK_FILTERING = True


def enable_traceback_filtering():
    """Removes torkeras's internal frames from the tracebacks of errors raised through it (the default).

    Applies to `fit()`, `evaluate()`, `predict()` and layer calls, leaving the
    user's own code in the traceback. Undoes `disable_traceback_filtering()`.

    Example:

    >>> keras.config.enable_traceback_filtering()
    >>> keras.config.is_traceback_filtering_enabled()
    True
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering():
    """Keeps full tracebacks, torkeras's internal frames included.

    Useful when debugging torkeras itself.

    Example:

    >>> keras.config.disable_traceback_filtering()
    >>> keras.config.is_traceback_filtering_enabled()
    False
    >>> keras.config.enable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled():
    """Whether tracebacks are filtered.

    Returns:
        `True` (the default) or `False`.

    Example:

    >>> keras.config.is_traceback_filtering_enabled()
    True
    """
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
    """Caps the number of epochs of every `fit()`, for quick debugging runs.

    A `fit()` asking for more epochs runs `max_epochs` and warns. The
    environment variable `KERAS_MAX_EPOCHS` sets the cap at import.

    Args:
        max_epochs: A positive int (or whole float), or `None` for no cap.

    Raises:
        ValueError: for a value that is not a positive whole number or `None`.

    Example:

    >>> keras.config.set_max_epochs(2)
    >>> keras.config.max_epochs()
    2
    >>> keras.config.set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = _cap_arg(max_epochs, "max_epochs")


def max_epochs():
    """The epoch cap `set_max_epochs()` set.

    Returns:
        A positive int, or `None` (no cap, the default unless `KERAS_MAX_EPOCHS` is set).

    Example:

    >>> keras.config.max_epochs() is None
    True
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of every `fit()` epoch, `evaluate()` and `predict()`, for quick debugging runs.

    A loop that would run more steps stops after `max_steps_per_epoch` and
    warns. The environment variable `KERAS_MAX_STEPS_PER_EPOCH` sets the cap at
    import.

    Args:
        max_steps_per_epoch: A positive int (or whole float), or `None` for no
            cap.

    Raises:
        ValueError: for a value that is not a positive whole number or `None`.

    Example:

    >>> keras.config.set_max_steps_per_epoch(10)
    >>> keras.config.max_steps_per_epoch()
    10
    >>> keras.config.set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = _cap_arg(max_steps_per_epoch, "max_steps_per_epoch")


def max_steps_per_epoch():
    """The step cap `set_max_steps_per_epoch()` set.

    Returns:
        A positive int, or `None` (no cap, the default unless `KERAS_MAX_STEPS_PER_EPOCH` is set).

    Example:

    >>> keras.config.max_steps_per_epoch() is None
    True
    """
    return _MAX_STEPS_PER_EPOCH
