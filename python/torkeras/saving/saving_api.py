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
    """Saves `model` (architecture, weights, compile and optimizer state) to a
    `.keras` file, or with `zipped=False` to a directory holding the same
    files (`config.json`, `metadata.json`, `model.weights.h5`, `assets/`)."""
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
    """Loads a model saved in the `.keras` format (a zip, or a directory
    written with `zipped=False`). `custom_objects` maps names to custom
    classes/functions; `safe_mode=True` refuses stored lambdas (only
    `safe_mode=False` lets them load: anything but a bool is an error)."""
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
    filepath = _path(filepath)
    if kwargs.get("max_shard_size") is not None:
        raise ValueError("save_weights(max_shard_size=) is not supported.")
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`; received: {filepath!r}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists and overwrite=False.")
    saving_lib.save_weights_only(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    filepath = _path(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No such file: {filepath!r}")
    if not (filepath.endswith(".weights.h5") or filepath.endswith(".keras")):
        raise ValueError("load_weights() reads `.weights.h5` or `.keras` files; received: "
                         f"{filepath!r}")
    saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
