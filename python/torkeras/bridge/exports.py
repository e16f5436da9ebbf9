"""R-side helpers for keras3 exports that are not 1:1 wrappers
(R/r-utils.R, R/model-utils.R): `op_subset<-` (R-style subset assignment)."""

import numpy as np
import torch

from torkeras.bridge import tensors
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.ops.core import _t
from torkeras.variables import Variable


def r_setitem(x, specs, value):
    """`x[i, j, ...] <- value` with the positions of tensors.r_getitem():
    returns a new tensor (x unchanged) whose selected elements are `value`,
    broadcast to the selection's shape (NumPy rules; an R vector fills the
    selection in R's column-major order when it has exactly as many
    elements)."""
    if isinstance(x, KerasTensor):
        raise ValueError("op_subset<- needs a tensor with values, not a symbolic tensor "
                         "(inside a layer or a model graph, build the result with "
                         "op_where() or op_slice_update()).")
    base = _t(x.value if isinstance(x, Variable) else x)
    positions = torch.arange(base.numel(), device=base.device).reshape(base.shape)
    selected = tensors.r_getitem(positions, specs, True)
    selected = _t(selected)
    if isinstance(value, (torch.Tensor, Variable)):
        v = _t(value).to(device=base.device, dtype=base.dtype)
    else:
        v = torch.as_tensor(np.array(value), device=base.device).to(base.dtype)
    if v.dim() == 1 and v.numel() == selected.numel() and selected.dim() > 1 \
            and tuple(v.shape) != tuple(selected.shape[-1:]):
        # An R vector filling a selection: R's element order (first axis fastest).
        v = v.reshape(tuple(reversed(selected.shape))).permute(*reversed(range(selected.dim())))
    try:
        v = torch.broadcast_to(v, selected.shape)
    except RuntimeError:
        raise ValueError(f"the replacement value has shape {tuple(v.shape)}, which does not fit "
                         f"the selection of shape {tuple(selected.shape)}.") from None
    out = base.detach().clone().reshape(-1)
    out[selected.reshape(-1)] = v.reshape(-1)
    return out.reshape(base.shape)


# ---- model configs as JSON (save_model_config / load_model_config) --------------

def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().tolist()
    raise TypeError(f"cannot write a {type(value).__name__} in a model config")


def model_config_json(model):
    """The model's serialized config (as written in a .keras file), as JSON."""
    import json

    from torkeras.saving import serialize_keras_object
    return json.dumps(serialize_keras_object(model), default=_json_default)


def model_from_config_json(text, custom_objects=None):
    """A new model from model_config_json()'s text (new weights)."""
    import json

    from torkeras.saving import deserialize_keras_object
    config = json.loads(text)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("the file does not hold a Keras model config (a JSON object with "
                         "`class_name` and `config`).")
    return deserialize_keras_object(config, custom_objects=custom_objects)


# ---- the global custom-object registry ----------------------------------------------

def clear_custom_objects():
    """Empties the global registry (register_keras_serializable and
    set_custom_objects entries)."""
    from torkeras.saving import object_registration
    object_registration._GLOBAL_CUSTOM_OBJECTS.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.clear()


def set_custom_objects(objects, clear=True):
    """Adds `objects` (name -> object) to the global registry, after emptying
    it when `clear`; returns the previous registry (a dict copy)."""
    from torkeras.saving import object_registration
    previous = dict(object_registration._GLOBAL_CUSTOM_OBJECTS)
    if clear:
        clear_custom_objects()
    for name, obj in (objects or {}).items():
        object_registration._GLOBAL_CUSTOM_OBJECTS[name] = obj
        object_registration._GLOBAL_CUSTOM_NAMES[obj] = name
    return previous
