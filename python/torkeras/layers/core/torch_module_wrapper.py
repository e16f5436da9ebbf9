"""TorchModuleWrapper: any `torch.nn.Module` as a layer, its parameters
tracked as the layer's Variables (trained by fit, saved by `.keras` files) as
on Keras's torch backend."""

import base64
import io

import numpy as np
import torch

from torkeras.layers.layer import Layer, _infer_output_spec, _spec_from_shape
from torkeras.saving import serialization_lib
from torkeras.variables import Variable

_MODULE_REFUSED = (
    "Requested the deserialization of a `torch.nn.Module` object via `torch.load()`. This "
    "carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the artifact, you can override this error by "
    "passing `safe_mode=False` to the loading function, or calling "
    "`keras.config.enable_unsafe_deserialization().")


def _shared_variable(param, name):
    """A Variable whose storage is `param` itself (no copy), so the module
    and the layer see the same values and gradients."""
    variable = Variable.__new__(Variable)
    variable.name = name
    variable.path = name
    variable.aggregation = "none"
    variable.synchronization = "auto"
    variable._autocast = True
    variable._trainable = bool(param.requires_grad) and param.is_floating_point()
    variable._value = param
    variable._owner = None
    variable._owner_attr = None
    variable.regularizer = None
    variable.constraint = None
    return variable


class TorchModuleWrapper(Layer):
    """Wraps a `torch.nn.Module` so it can be used as a layer.

    The module's parameters become the layer's weights (sharing storage with
    the module), so `fit()` trains them and `get_weights()` sees them. The
    module is called with the layer's inputs; `training=False` puts it in
    eval mode (dropout off, batch-norm running statistics), anything else in
    train mode. Saved in `.keras` files as Keras does: the whole module
    pickled with `torch.save` in the config (loading it needs
    `safe_mode=False`) and its `state_dict` as the layer's variables.

    Args:
        module: The `torch.nn.Module` (lazy modules must be initialized).
        name: Layer name.
        output_shape: The full output shape (with the batch axis), for
            symbolic calls; inferred by running the module on fake tensors
            when None.
        **kwargs: Base layer keyword arguments.
    """

    def __init__(self, module, name=None, output_shape=None, **kwargs):
        if not isinstance(module, torch.nn.Module):
            raise ValueError("TorchModuleWrapper: `module` must be a torch.nn.Module; "
                             f"received module={module!r} of type {type(module).__name__}")
        if isinstance(module, torch.nn.modules.lazy.LazyModuleMixin) \
                and module.has_uninitialized_params():
            raise ValueError("LazyModules are not supported unless they are already "
                             f"initialized. Received uninitialized LazyModule: module={module}")
        super().__init__(name=name, **kwargs)
        self.module = module
        self.output_shape = tuple(output_shape) if output_shape is not None else None
        for i, param in enumerate(module.parameters()):
            variable = _shared_variable(param, f"variable_{i}" if i else "variable")
            variable.path = f"{self.name}/{variable.name}"
            variable._owner = self
            self._variables.append(variable)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        self.module.train(training is not False)
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape is None:
            raise NotImplementedError("TorchModuleWrapper: pass `output_shape` to compute the "
                                      "output shape without running the module")
        return self.output_shape

    def compute_output_spec(self, *args, **kwargs):
        if self.output_shape is None:
            return _infer_output_spec(self.module, args, {})
        return _spec_from_shape(self.output_shape, self.compute_dtype)

    def save_own_variables(self, store):
        for key, value in self.module.state_dict().items():
            store[key] = value.detach().cpu().numpy()

    def load_own_variables(self, store):
        state = {}
        for key in store.keys():
            name = key.decode() if isinstance(key, bytes) else key
            state[name] = torch.as_tensor(np.asarray(store[key]))
        self.module.load_state_dict(state)

    def get_config(self):
        config = super().get_config()
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        config["module"] = base64.b64encode(buffer.getvalue()).decode("ascii")
        config["output_shape"] = list(self.output_shape) if self.output_shape else None
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if "module" in config and isinstance(config["module"], str):
            if safe_mode is None:
                safe_mode = serialization_lib.in_safe_mode()
            if safe_mode is not False:
                raise ValueError(_MODULE_REFUSED)
            data = base64.b64decode(config["module"].encode("ascii"))
            config["module"] = torch.load(io.BytesIO(data), weights_only=False)
        return cls(**config)
