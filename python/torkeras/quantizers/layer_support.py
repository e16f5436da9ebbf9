"""What Dense, EinsumDense and Embedding share for int8 quantization:
replacing the float weight by int8 variables, and writing/reading them in
the order Keras 3.15 uses in weights files."""

import contextlib

import torch

from torkeras import dtype_policies, naming
from torkeras import quantizers


class Int8QuantizeMixin:
    """A layer whose float weight `self._<_quant_weight>` can become int8 with a
    float scale `self.<_quant_scale>`. The layer defines `_int8_save_order`
    (attribute names, in Keras's file order), `_int8_weights(float_weight)`
    -> (int8 tensor, scale tensor) and `_int8_build(weight_shape)`."""

    _quant_weight = "kernel"
    _quant_scale = "kernel_scale"

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the layer's weights in place; only `mode="int8"` is
        implemented (as Keras 3: per-output-channel abs-max int8 weights and
        a float scale; the dtype policy becomes `"int8_from_<policy>"`).

        Args:
            mode: "int8" ("float8", "int4", "gptq", "awq" raise
                NotImplementedError).
            type_check: as Keras, refuse subclasses of the layer (whose
                `call` may not use the quantized weights).
            config: must be None (custom quantization configs are not
                implemented).
        """
        base = type(self)._quantizable_class
        if type_check and type(self) is not base:
            raise NotImplementedError(f"Layer {type(self).__name__} does not have a `quantize` "
                                      "method implemented.")
        if config is not None:
            raise NotImplementedError("quantize(): `config` is not implemented in torkeras; "
                                      "pass mode='int8' and config=None.")
        quantizers.check_quantize_args(self, mode)
        old = getattr(self, "_" + self._quant_weight)
        with torch.no_grad():
            q, scale = self._int8_weights(old.value.detach())
        shape = tuple(old.shape)
        self._drop_variable(old)
        # Unbuilt while the new variables are added: the public `kernel`
        # property then does not shadow the attribute name torch registers.
        # The new variables keep the old one's path ("model/layer/kernel").
        parents = old.path.split("/")[:-1]
        if parents and parents[-1] == self.name:
            parents = parents[:-1]
        self.built = False
        try:
            with contextlib.ExitStack() as stack:
                for part in parents:
                    stack.enter_context(naming.name_scope(part))
                self._int8_build(shape)
        finally:
            self.built = True
        getattr(self, "_" + self._quant_weight).assign(q)
        getattr(self, self._quant_scale).assign(scale)
        self.quantization_config = quantizers.int8_quantization_config()
        self.dtype_policy = dtype_policies.get(f"{mode}_from_{self.dtype_policy.name}")

    def _drop_variable(self, variable):
        key = variable._owner_attr
        self._parameters.pop(key, None)
        self._buffers.pop(key, None)
        self._variables[:] = [v for v in self._variables if v is not variable]
        self._regularized[:] = [v for v in self._regularized if v is not variable]
        variable._owner = None

    def _int8_saved_variables(self):
        out = []
        for name in self._int8_save_order:
            v = getattr(self, "_" + name, None) if name == self._quant_weight \
                else getattr(self, name, None)
            if v is not None:
                out.append(v)
        return out

    def save_own_variables(self, store):
        if self.built and self.quantization_mode == "int8":
            for i, v in enumerate(self._int8_saved_variables()):
                store[str(i)] = v
            return
        super().save_own_variables(store)

    def load_own_variables(self, store):
        if not (self.built and self.quantization_mode == "int8"):
            return super().load_own_variables(store)
        targets = self._int8_saved_variables()
        if len(store) != len(targets):
            raise ValueError(f"Layer {self.name!r} ({type(self).__name__}, int8-quantized) "
                             f"expected {len(targets)} variables, but received {len(store)} "
                             f"variables during loading. Expected: {[v.name for v in targets]}")
        for i, v in enumerate(targets):
            value = store[str(i)]
            if tuple(value.shape) != tuple(v.shape):
                raise ValueError(f"The weight {v.path!r} has shape {tuple(v.shape)}, but the "
                                 f"weights file has shape {tuple(value.shape)}.")
        for i, v in enumerate(targets):
            v.assign(store[str(i)])

    def enable_lora(self, rank, *args, **kwargs):
        if self.quantization_mode is not None:
            raise NotImplementedError(f"{type(self).__name__} {self.name!r}: LoRA on an "
                                      "int8-quantized layer is not implemented in torkeras.")
        return super().enable_lora(rank, *args, **kwargs)
