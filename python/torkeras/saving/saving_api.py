"""`keras.saving.save_model` / `load_model` and the weights-only entry points."""

import os

from torkeras.saving import saving_lib, serialization_lib


def _path(filepath, argname="filepath"):
    try:
        return os.fspath(filepath)
    except TypeError:
        raise TypeError(f"`{argname}` must be a path (str or os.PathLike); received: "
                        f"{filepath!r}") from None


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves a model (architecture, weights, compile and optimizer state) to a `.keras` file.

    The file is a zip holding `config.json` (the architecture), `metadata.json`
    and `model.weights.h5`, in the Keras 3 format that Keras can read. The file
    is written atomically (a temporary file renamed into place).

    Args:
        model: the model to save.
        filepath: path ending in `.keras` (with `zipped=False`, a directory
            path not ending in `.keras`).
        overwrite: whether to replace an existing file (False: an existing file
            is an error).
        zipped: whether to write a zip file (default) or, with False, a
            directory holding the same files.
        **kwargs: not accepted (an unknown argument is an error).

    Example:
    >>> import os, tempfile
    >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> keras.saving.save_model(model, path)
    >>> restored = keras.saving.load_model(path)
    >>> restored.output_shape
    (None, 2)
    """
    filepath = _path(filepath)
    if kwargs:
        raise ValueError(f"Unrecognized arguments for save_model(): {sorted(kwargs)}")
    if zipped is None:
        zipped = True
    if not isinstance(zipped, bool):
        raise TypeError(f"`zipped` must be True, False or None; received: {zipped!r}")
    if zipped and not filepath.endswith(".keras"):
        hint = (" To save only the weights, use `model.save_weights()` with a `.weights.h5` "
                "file." if filepath.endswith(".h5") else "")
        raise ValueError(f"Invalid filepath extension for saving: {filepath!r}. The file name "
                         f"must end in `.keras` (the Keras 3 format).{hint}")
    if not zipped and filepath.endswith(".keras"):
        raise ValueError("When using `zipped=False`, the `filepath` argument should not end "
                         f"in `.keras` (it names a directory). Received: filepath={filepath!r}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists and overwrite=False.")
    saving_lib.save_model(model, filepath, zipped=zipped)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved in the `.keras` format.

    Reads a `.keras` zip (written by torkeras or by Keras 3) or a directory
    written with `zipped=False`, rebuilds the model from its config, loads the
    weights and, with `compile=True`, the compile arguments and optimizer state.

    Args:
        filepath: path of a `.keras` file or of a `zipped=False` directory.
        custom_objects: optional dict mapping names (plain or "package>name") to
            custom classes or functions the config refers to.
        compile: whether to compile the model as it was saved.
        safe_mode: True (default) refuses to deserialize stored Python code
            (`Lambda` layers holding bytecode); only False lets it load.

    Returns:
        The model.
    """
    safe_mode = serialization_lib.check_safe_mode(safe_mode)
    filepath = _path(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: {filepath!r}")
    if os.path.isdir(filepath):
        if not os.path.isfile(os.path.join(filepath, saving_lib.CONFIG_FILENAME)):
            raise ValueError(f"{filepath!r} is a directory without "
                             f"{saving_lib.CONFIG_FILENAME}: not a model saved with "
                             "`zipped=False`.")
    elif filepath.endswith(".weights.h5"):
        raise ValueError(f"{filepath!r} holds only weights: build the model, then call "
                         "`model.load_weights()`.")
    elif not filepath.endswith(".keras"):
        import zipfile
        if not zipfile.is_zipfile(filepath):
            raise ValueError(f"File format not supported: {filepath!r}. torkeras loads "
                             "`.keras` files (Keras 3 format).")
    return saving_lib.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                 safe_mode=safe_mode)


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights of a model to a `.weights.h5` file.

    The file holds every layer's variables under Keras's paths (HDF5), readable
    by `load_weights()` here and in Keras 3.

    Args:
        model: the model (or layer) whose weights are saved.
        filepath: path ending in `.weights.h5`.
        overwrite: whether to replace an existing file (False: an existing file
            is an error).
        **kwargs: `max_shard_size` is not supported (an error when set).
    """
    filepath = _path(filepath)
    if kwargs.get("max_shard_size") is not None:
        raise ValueError("save_weights(max_shard_size=) is not supported.")
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`; received: {filepath!r}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists and overwrite=False.")
    saving_lib.save_weights_only(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights saved by `save_weights()` (or from a `.keras` file) into a model.

    The model must have the same architecture (and be built); weights are
    matched by the layers' structure.

    Args:
        model: the model (or layer) to load into.
        filepath: path of a `.weights.h5` or `.keras` file.
        skip_mismatch: whether to skip variables whose shape differs from the
            saved one (with a warning) instead of raising an error.
        **kwargs: ignored (accepted for Keras compatibility).
    """
    filepath = _path(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: {filepath!r}")
    if not (filepath.endswith(".weights.h5") or filepath.endswith(".keras")):
        raise ValueError("load_weights() reads `.weights.h5` or `.keras` files; received: "
                         f"{filepath!r}")
    saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
