"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer.

The loss is multiplied by `dynamic_scale` before the backward pass
(`scale_loss`, called by the train step), and `apply` divides the gradients
by it again before the inner optimizer uses them. A step whose gradients are
not all finite is skipped and halves the scale; after `dynamic_growth_steps`
finite steps in a row the scale doubles (Keras 3's rule).
"""

import numbers

import torch

from torkeras import initializers, naming
from torkeras.optimizers.optimizer import Optimizer
from torkeras.variables import substituted_values, values_for

# Base optimizer arguments LossScaleOptimizer refuses unless left at their
# defaults (they belong on the inner optimizer).
_BASE_DEFAULTS = {
    "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
    "loss_scale_factor": None, "gradient_accumulation_steps": None,
}


class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss dynamically so that float16 gradients do not underflow.

    The loss is multiplied by the current scale (`scale_loss()`) before the
    gradients are computed. Each `apply(grads)`: if every gradient is finite,
    the gradients are divided by the scale and passed to the inner optimizer,
    and the step counter advances (the scale doubles after
    `dynamic_growth_steps` such steps in a row); otherwise no variable changes,
    the scale halves and the counter restarts. `compile()` wraps the optimizer
    in one automatically when the model's dtype policy is "mixed_float16"
    (unless `auto_scale_loss=False`).

    Args:
        inner_optimizer: the `Optimizer` that applies the unscaled gradients.
        initial_scale: the first loss scale (a positive number, default 2**15).
        dynamic_growth_steps: after this many consecutive steps with finite
            gradients the scale doubles (a positive integer, default 2000).
        name: the optimizer's name (default "loss_scale_optimizer").
        **kwargs: the base optimizer arguments are not supported (set them on
            `inner_optimizer`); only their default values are accepted.
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`.")
        for arg_name, default in _BASE_DEFAULTS.items():
            if arg_name not in kwargs:
                continue
            value = kwargs.pop(arg_name)
            if (default is None and value is not None) or value != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg_name}`. Instead, "
                                 f"set `{arg_name}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError("LossScaleOptimizer does not support arguments: "
                             f"`{'`, `'.join(kwargs)}`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError("`inner_optimizer` must be an Optimizer instance (e.g. "
                            "keras.optimizers.SGD()); received: "
                            f"{inner_optimizer!r} (of type {type(inner_optimizer).__name__})")
        if isinstance(inner_optimizer, LossScaleOptimizer):
            raise ValueError("`inner_optimizer` is already a LossScaleOptimizer; wrap the "
                             "optimizer it holds instead.")
        if not isinstance(initial_scale, numbers.Real) or isinstance(initial_scale, bool) \
                or not initial_scale > 0 or initial_scale == float("inf"):
            raise ValueError("`initial_scale` must be a positive finite number; received: "
                             f"initial_scale={initial_scale!r}")
        whole = isinstance(dynamic_growth_steps, numbers.Integral) or (
            isinstance(dynamic_growth_steps, numbers.Real)
            and float(dynamic_growth_steps).is_integer())
        if isinstance(dynamic_growth_steps, bool) or not whole or dynamic_growth_steps < 1:
            raise ValueError("`dynamic_growth_steps` must be a positive integer; received: "
                             f"dynamic_growth_steps={dynamic_growth_steps!r}")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = int(dynamic_growth_steps)
        self.inner_optimizer.loss_scale_factor = None
        self.step_counter = None
        self.dynamic_scale = None
        self._building_in_apply = False

    def build(self, var_list):
        """Creates `step_counter` and `dynamic_scale`, then builds the inner
        optimizer on `var_list`."""
        if self.built:
            return
        var_list = list(var_list)
        self.step_counter = self.add_variable(shape=(), dtype="int64",
                                              initializer=initializers.Zeros(),
                                              aggregation="none", name="step_counter")
        self.dynamic_scale = self.add_variable(shape=(), dtype="float32",
                                               initializer=initializers.Constant(
                                                   float(self.initial_scale)),
                                               aggregation="none", name="dynamic_scale")
        if self._building_in_apply:
            # As Keras: built by `apply`, the inner optimizer's slots are
            # created inside this optimizer's name scope.
            with naming.name_scope(self.name):
                self.inner_optimizer.build(var_list)
        else:
            self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        """Own variables (iteration, learning_rate, step_counter,
        dynamic_scale) then the inner optimizer's, as Keras orders them."""
        return self._variables[:] + self.inner_optimizer.variables

    # -- the inner optimizer's step and learning rate ---------------------
    @property
    def learning_rate(self):
        """The inner optimizer's learning rate (settable)."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        """The inner optimizer's step counter: skipped steps do not count."""
        return self.inner_optimizer.iterations

    def _attributes(self):
        return (super()._attributes(), self.inner_optimizer._attributes())

    def _restore_attributes(self, attributes):
        own, inner = attributes
        super()._restore_attributes(own)
        self.inner_optimizer._restore_attributes(inner)

    # -- applying -----------------------------------------------------------
    def check_finite(self, grads):
        """True (a 0-d bool tensor) when every element of every non-None
        gradient is finite."""
        flags = [torch.isfinite(g).all() for g in grads if g is not None]
        if not flags:
            return torch.tensor(True)
        return torch.stack(flags).all()

    def scale_loss(self, loss):
        """`loss` times the current scale (the initial one before `build`)."""
        scale = self.dynamic_scale.value if self.built else self.initial_scale
        return loss * scale

    def _unscaled(self, grads, variables):
        scale = self.dynamic_scale.value
        return [g if g is None or getattr(v, "overwrite_with_gradient", False)
                else torch.as_tensor(g, device=scale.device) / scale
                for g, v in zip(grads, variables)]

    def _update_scale(self, finite):
        counter, scale = self.step_counter.value, self.dynamic_scale.value
        if not finite:
            counter.zero_()
            scale.mul_(0.5)
        elif int(counter) == self.dynamic_growth_steps - 1:
            counter.zero_()
            scale.mul_(2.0)
        else:
            counter.add_(1)

    @torch.compiler.disable
    def apply(self, grads, trainable_variables=None):
        """One loss-scaled step (see the class docstring)."""
        grads = list(grads)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first.")
            self._building_in_apply = True
            try:
                self._build_all_or_nothing(trainable_variables)
            finally:
                self._building_in_apply = False
        with torch.no_grad():
            finite = bool(self.check_finite(grads))
            if finite:
                variables = self._trainable_variables if trainable_variables is None \
                    else list(trainable_variables)
                self.inner_optimizer.apply(self._unscaled(grads, variables),
                                           trainable_variables=trainable_variables)
            self._update_scale(finite)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply` on given values (`optimizer_variables` ordered like
        `self.variables`); returns `(new_trainable_values, new_optimizer_values)`
        and changes no live state."""
        if not self.built:
            raise ValueError(
                f"stateless_apply(): optimizer {self.name!r} is not built, so it has no "
                "variables yet. Build it first with `optimizer.build(trainable_variables)`.")
        grads = list(grads)
        n_own = len(self._variables)
        values = values_for(self.variables, optimizer_variables, "optimizer_variables", copy=True)
        own, inner = values[:n_own], values[n_own:]
        train_values = values_for(self._trainable_variables, trainable_variables,
                                  "trainable_variables", copy=True)
        with torch.no_grad(), substituted_values(self._variables, own):
            finite = bool(self.check_finite(grads))
            if finite:
                train_values, inner = self.inner_optimizer.stateless_apply(
                    inner, self._unscaled(grads, self._trainable_variables), train_values)
            self._update_scale(finite)
        return train_values, own + list(inner)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    # -- state: own variables and the inner optimizer's, as `variables` --------
    def get_weights(self):
        return [v.numpy() for v in self.variables]

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Call `optimizer.build(trainable_variables)` to create the optimizer weights "
                "first.")
        weights = list(weights)
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(f"Expected {len(variables)} weights, received {len(weights)}.")
        for variable, weight in zip(variables, weights):
            if tuple(variable.shape) != tuple(getattr(weight, "shape", ())):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {variable.shape}, not "
                    f"compatible with provided weight shape {tuple(getattr(weight, 'shape', ()))}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        variables = self.variables
        if len(store.keys()) != len(variables):
            import warnings
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.", stacklevel=2)
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    # -- config ---------------------------------------------------------------
    def get_config(self):
        from torkeras import optimizers
        return {"name": self.name,
                "inner_optimizer": optimizers.serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from torkeras import optimizers
        config = dict(config)
        inner = optimizers.deserialize(config.pop("inner_optimizer"),
                                       custom_objects=custom_objects)
        return cls(inner, **config)
