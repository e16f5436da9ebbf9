"""LoRA (low-rank adaptation) of a layer's main weight, as Keras 3 does it.

A layer with LoRA enabled keeps its weight `W` (the Dense/Conv/EinsumDense
`kernel`, the Embedding `embeddings`) frozen and learns two small matrices instead:
`a` of shape `W.shape[:-1] + (rank,)` (he_uniform) and `b` of shape
`(rank, W.shape[-1])` (zeros), so the layer starts out unchanged. The weight
used in `call` is `W + (lora_alpha / rank) * (a @ b)`.

Saving writes the merged weight in the place of `W` (the file has no LoRA
variables, exactly the variables of the plain layer); loading assigns it to
`W` and zeroes `a` and `b`, so a loaded layer computes what the saved one did.
"""

import numbers

import torch

from torkeras import initializers


def lora_arguments(lora_rank, lora_alpha, layer):
    """(rank, alpha) from the constructor arguments: rank None or a positive
    integer, alpha None (then the rank) or a positive number."""
    if lora_rank is not None:
        lora_rank = _positive_int(lora_rank, "lora_rank", layer)
    if lora_alpha is not None:
        lora_alpha = _positive_number(lora_alpha, "lora_alpha", layer)
    return lora_rank, (lora_alpha if lora_alpha is not None else lora_rank)


def _positive_int(value, name, layer):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if ok:
        ok = float(value).is_integer() and value > 0
    if not ok:
        raise ValueError(f"{layer}: `{name}` must be a positive integer; received: "
                         f"{name}={value!r}")
    return int(value)


def _positive_number(value, name, layer):
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not value > 0:
        raise ValueError(f"{layer}: `{name}` must be a positive number; received: "
                         f"{name}={value!r}")
    # Whole numbers stay ints in configs (R passes doubles).
    return int(value) if float(value).is_integer() else float(value)


class LoraMixin:
    """LoRA for a layer whose adapted weight is the Variable `self._<name>`,
    with `<name>_regularizer` and `<name>_constraint` attributes; `<name>`
    is `_lora_weight_name`. The layer calls `_init_lora` in its constructor,
    `_build_lora` at the end of `build`, and reads `_lora_weight_value()`."""

    _lora_weight_name = "kernel"

    def _init_lora(self, lora_rank, lora_alpha):
        self.lora_rank, self.lora_alpha = lora_arguments(lora_rank, lora_alpha,
                                                         type(self).__name__)
        self.lora_enabled = False

    def _build_lora(self):
        if self.lora_rank:
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def _lora_base(self):
        return getattr(self, "_" + self._lora_weight_name)

    def _lora_factors(self):
        name = self._lora_weight_name
        return getattr(self, f"lora_{name}_a"), getattr(self, f"lora_{name}_b")

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes the weight and adds the trainable low-rank factors."""
        cls = type(self).__name__
        name = self._lora_weight_name
        if getattr(self, f"{name}_constraint", None) is not None:
            raise ValueError(f"{cls} {self.name!r}: LoRA cannot be enabled on a layer with a "
                             f"`{name}_constraint` (the constraint would apply to the frozen "
                             f"{name}, not to the adapted one); create the layer without it.")
        if not self.built:
            raise ValueError(f"{cls} {self.name!r}: cannot enable LoRA on a layer that is not "
                             "built yet; build it (or call it on data) first.")
        if self.lora_enabled:
            raise ValueError(f"{cls} {self.name!r}: LoRA is already enabled; it can only be "
                             "enabled once per layer.")
        rank = _positive_int(rank, "rank", f"{cls}.enable_lora()")
        alpha = rank if lora_alpha is None else _positive_number(
            lora_alpha, "lora_alpha", f"{cls}.enable_lora()")
        base = self._lora_base()
        regularizer = getattr(self, f"{name}_regularizer", None)
        a = self.add_weight(shape=tuple(base.shape[:-1]) + (rank,),
                            initializer=initializers.get(a_initializer),
                            regularizer=regularizer, name=f"lora_{name}_a")
        b = self.add_weight(shape=(rank, base.shape[-1]),
                            initializer=initializers.get(b_initializer),
                            regularizer=regularizer, name=f"lora_{name}_b")
        setattr(self, f"lora_{name}_a", a)
        setattr(self, f"lora_{name}_b", b)
        base.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = alpha

    def _lora_weight_value(self):
        """The weight `call` uses: the base tensor, plus the scaled low-rank
        update when LoRA is enabled."""
        base = self._lora_base().value
        if not self.lora_enabled:
            return base
        a, b = self._lora_factors()
        delta = torch.matmul(a.value, b.value)
        return base + delta * (self.lora_alpha / self.lora_rank)

    def _lora_weight_property(self):
        """What the public `kernel`/`embeddings` attribute gives: the Variable,
        or with LoRA the merged tensor (as in Keras)."""
        if not self.built:
            raise AttributeError(f"You must build the layer before accessing "
                                 f"`{self._lora_weight_name}`.")
        if self.lora_enabled:
            return self._lora_weight_value()
        return self._lora_base()

    @property
    def weights(self):
        # Keras lists a layer's variables in the order they were created
        # (the frozen weight first, then the bias, then the LoRA factors),
        # not trainable-first after the weight was frozen.
        if getattr(self, "lora_enabled", False):
            return list(self._variables)
        return super().weights

    def _lora_saved_variables(self):
        lora = self._lora_factors() if self.lora_enabled else ()
        return [v for v in self._variables if not any(v is f for f in lora)]

    def save_own_variables(self, store):
        if not self.built:
            return
        base = self._lora_base()
        for i, variable in enumerate(self._lora_saved_variables()):
            if variable is base:
                store[str(i)] = self._lora_weight_value().detach()
            else:
                store[str(i)] = variable

    def load_own_variables(self, store):
        cls = type(self).__name__
        targets = self._lora_saved_variables() if self.built else []
        if len(store) != len(targets):
            raise ValueError(f"Layer {self.name!r} ({cls}) expected {len(targets)} variables, "
                             f"but received {len(store)} variables during loading. Expected: "
                             f"{[v.name for v in targets]}")
        for i, variable in enumerate(targets):
            value = store.get(str(i))
            if value is None:
                raise ValueError(f"Layer {self.name!r}: variable {i} is missing from the "
                                 "weights file.")
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(f"The weight {variable.path!r} has shape "
                                 f"{tuple(variable.shape)}, but the weights file has shape "
                                 f"{tuple(value.shape)}.")
        for i, variable in enumerate(targets):
            variable.assign(store[str(i)])
        if self.lora_enabled:
            for factor in self._lora_factors():
                factor.assign(torch.zeros_like(factor._value))

    def _lora_config(self):
        if not self.lora_rank:
            return {}
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha}
