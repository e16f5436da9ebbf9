from torkeras.models.functional import Functional
from torkeras.models.model import Model
from torkeras.models.sequential import Sequential


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a `.keras` model file (see `keras.saving.load_model`)."""
    from torkeras.saving import load_model as _load_model
    return _load_model(filepath, custom_objects=custom_objects, compile=compile,
                       safe_mode=safe_mode)


def save_model(model, filepath, overwrite=True, **kwargs):
    """Saves `model` to a `.keras` file (see `keras.saving.save_model`)."""
    from torkeras.saving import save_model as _save_model
    return _save_model(model, filepath, overwrite=overwrite, **kwargs)
