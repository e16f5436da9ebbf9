"""MultiOptimizer: different optimizers for different variables."""

import re
from collections.abc import MutableMapping

from torkeras.optimizers.optimizer import Optimizer


def _check_inner(optimizer, what):
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"{what} must be a torkeras Optimizer instance. Received: {optimizer!r}")
    if type(optimizer).__name__ == "LossScaleOptimizer":
        raise ValueError(f"{what} cannot be a LossScaleOptimizer.")
    if isinstance(optimizer, MultiOptimizer):
        raise ValueError(f"{what} cannot be a MultiOptimizer.")


class OptimizerMap(MutableMapping):
    """Maps variable paths to optimizers, with a default.

    A key is looked up by exact match first, then by `re.fullmatch` of each
    key taken as a regular expression (so `"encoder/.*"` covers every variable
    under `encoder`); a path matching several patterns is an error, a path
    matching none gets `default_optimizer`. Called on a variable, the map
    returns that variable's optimizer.

    Args:
        default_optimizer: The optimizer of unmapped variables.
        optimizer_map: Optional dict of path (or pattern) -> optimizer.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("`default_optimizer` must be a torkeras Optimizer instance. "
                            f"Received: {default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"`optimizer_map` must be a dictionary. Received: {optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [pattern for pattern in self._optimizer_map if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}: patterns {matches}.")
        if matches:
            return self._optimizer_map[matches[0]]
        return self._default_optimizer

    def __setitem__(self, key, optimizer):
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key!r}")
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value "
                             f"{self._optimizer_map[key]}. Keys must not be duplicated.")
        _check_inner(optimizer, "optimizer")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from torkeras import optimizers
        return {"default_optimizer": optimizers.serialize(self._default_optimizer),
                "optimizer_map": {key: optimizers.serialize(opt)
                                  for key, opt in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from torkeras import optimizers
        default = optimizers.deserialize(config["default_optimizer"], custom_objects)
        mapping = {key: optimizers.deserialize(value, custom_objects)
                   for key, value in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Delegates each variable to its own optimizer.

    `optimizer_map` is an `OptimizerMap` or a callable taking a variable and
    returning its optimizer. Each inner optimizer is built on, and updates,
    only its own variables; the MultiOptimizer counts its own `iterations`.
    Its `variables` are its own (iteration, learning rate) followed by each
    inner optimizer's, in the order the optimizers were first met. It has no
    `learning_rate` of its own: read or set it on `.optimizers`.

    Args:
        optimizer_map: An `OptimizerMap`, or a callable variable -> optimizer.
        loss_scale_factor: Overrides the inner optimizers' loss scale factor.
        name: The optimizer's name.
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        if not isinstance(optimizer_map, OptimizerMap) and not callable(optimizer_map):
            raise ValueError("`optimizer_map` must be an OptimizerMap or a callable taking a "
                             f"variable and returning an optimizer. Received: {optimizer_map!r}")
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        # The own learning rate Variable stays in `variables` (Keras saves it)
        # but is not a settable rate.
        self._unused_lr_var = self._lr_var
        self._lr_var = None
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        for optimizer in (optimizer_map.values() if hasattr(optimizer_map, "values") else ()):
            self._add_inner(optimizer)
        default = getattr(optimizer_map, "default_optimizer", None)
        if default is not None:
            self._add_inner(default)

    def _add_inner(self, optimizer):
        if not any(optimizer is known for known in self._inner_optimizers):
            optimizer.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(optimizer)

    def _inner_index(self, optimizer):
        return next(i for i, known in enumerate(self._inner_optimizers) if known is optimizer)

    @property
    def optimizers(self):
        """The inner optimizers."""
        return self._inner_optimizers

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for optimizer in getattr(self, "_inner_optimizers", ()):
            optimizer.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate on "
            "the individual sub-optimizers instead (`.optimizers`).")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError(
            "Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
            "individual sub-optimizers instead (`.optimizers`).")

    @property
    def iterations(self):
        return self._iterations

    @property
    def variables(self):
        result = self._variables[:]
        for optimizer in self._inner_optimizers:
            result.extend(optimizer.variables)
        return result

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        groups = {}
        self._owner = {}
        for variable in var_list:
            optimizer = self._optimizer_map(variable)
            _check_inner(optimizer, f"The optimizer of variable {getattr(variable, 'path', variable)}")
            self._add_inner(optimizer)
            index = self._inner_index(optimizer)
            self._owner[id(variable)] = index
            groups.setdefault(index, []).append(variable)
        for index, optimizer in enumerate(self._inner_optimizers):
            if index in groups:
                optimizer.build(groups[index])
        super().build(var_list)

    def _attributes(self):
        return {"own": super()._attributes(),
                "inner": [(opt, opt._attributes()) for opt in self._inner_optimizers]}

    def _restore_attributes(self, attributes):
        super()._restore_attributes(attributes["own"])
        for optimizer, inner in attributes["inner"]:
            optimizer._restore_attributes(inner)

    def apply(self, grads, trainable_variables=None):
        """Splits `grads` by optimizer and applies each group; increments the
        MultiOptimizer's own `iterations`."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built on "
                    "a list of variables. Call `optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self._build_all_or_nothing(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"Received {len(grads)} gradients for {len(trainable_variables)} "
                             "variables; they must correspond one to one.")
        groups = [([], []) for _ in self._inner_optimizers]
        for grad, variable in zip(grads, trainable_variables):
            index = self._owner.get(id(variable))
            if index is None:
                raise ValueError(
                    f"Unknown variable: {getattr(variable, 'path', variable)}. This optimizer can "
                    "only be called for the variables it was originally built with.")
            groups[index][0].append(grad)
            groups[index][1].append(variable)
        for optimizer, (sub_grads, sub_vars) in zip(self._inner_optimizers, groups):
            if sub_grads:
                optimizer.apply(sub_grads, sub_vars)
        self._iterations.assign_add(1)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        raise NotImplementedError("MultiOptimizer does not support `stateless_apply()`; call it "
                                  "on the inner optimizers (`.optimizers`).")

    def finalize_variable_values(self, var_list):
        groups = [[] for _ in self._inner_optimizers]
        for variable in var_list:
            groups[self._owner[id(variable)]].append(variable)
        for optimizer, variables in zip(self._inner_optimizers, groups):
            if variables:
                optimizer.finalize_variable_values(variables)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. Call "
                "`optimizer.build(trainable_variables)` to create the optimizer weights first.")
        weights = list(weights)
        expected = len(self.variables)
        if len(weights) != expected:
            raise ValueError(f"Expected {expected} weights, received {len(weights)}.")
        own = len(self._variables)
        for variable, weight in zip(self._variables, weights[:own]):
            variable.assign(weight)
        start = own
        for optimizer in self._inner_optimizers:
            count = len(optimizer.variables)
            if count and optimizer.built:
                optimizer.set_weights(weights[start:start + count])
            start += count

    def get_weights(self):
        return [v.numpy() for v in self.variables]

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        variables = self.variables
        if len(store.keys()) != len(variables):
            import warnings
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it has "
                          f"{len(variables)} variables whereas the saved optimizer has "
                          f"{len(store.keys())} variables.", stacklevel=2)
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self):
        if isinstance(self._optimizer_map, OptimizerMap):
            mapping = {"module": "keras.optimizers", "class_name": "OptimizerMap",
                       "config": self._optimizer_map.get_config(), "registered_name": None}
        else:
            mapping = self._optimizer_map
        return {"optimizer_map": mapping, "loss_scale_factor": self.loss_scale_factor,
                "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        mapping = config.get("optimizer_map")
        if isinstance(mapping, dict) and mapping.get("class_name") == "OptimizerMap":
            config["optimizer_map"] = OptimizerMap.from_config(mapping["config"], custom_objects)
        return cls(**config)
