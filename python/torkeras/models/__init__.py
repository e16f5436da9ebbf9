from torkeras.models.cloning import clone_model  # noqa: F401
from torkeras.models.functional import Functional
from torkeras.models.model import Model
from torkeras.models.sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save()` / `save_model()` (same as `keras.saving.load_model`).

    Args:
        filepath: path of a `.keras` file.
        custom_objects: optional dict mapping names to custom classes or
            functions the saved config refers to.
        compile: whether to compile the model as it was saved (optimizer, loss,
            metrics and optimizer state).
        safe_mode: refuse to deserialize code (`Lambda` layers holding Python
            bytecode) unless False.

    Returns:
        The model.
    """
    from torkeras.saving import load_model as _load_model
    return _load_model(filepath, custom_objects=custom_objects, compile=compile,
                       safe_mode=safe_mode)


def save_model(model, filepath, overwrite=True, **kwargs):
    """Saves a model to a `.keras` file (same as `keras.saving.save_model`).

    Args:
        model: the model to save.
        filepath: path ending in `.keras`.
        overwrite: whether to replace an existing file (False: an existing file
            is an error).
        **kwargs: other arguments of `keras.saving.save_model` (`zipped`).
    """
    from torkeras.saving import save_model as _save_model
    return _save_model(model, filepath, overwrite=overwrite, **kwargs)
