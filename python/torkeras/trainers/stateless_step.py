"""JAX-style steps in fit/evaluate/predict: `train_step(state, data)`.

Keras' JAX backend hands the model's state to the step as plain values and
takes the new state back: `train_step(state, data) -> (logs, new_state)` with
`state = (trainable, non_trainable, optimizer, metrics)` values,
`test_step(state, data) -> (logs, (trainable, non_trainable, metrics))` and
`predict_step(state, data) -> (outputs, non_trainable)` with
`state = (trainable, non_trainable)`. Code written that way (with
`stateless_call`, `value_and_grad`, `optimizer.stateless_apply` and the
metrics' stateless methods) runs on torch too: a step whose method takes two
required arguments besides `self` is run by `StatelessStep`, which reads the
current values of the variables, calls the step, and assigns the values it
returns back to the model's, optimizer's and metrics' variables, so that
callbacks, evaluation and saving see the new state after every step.

Values are passed as detached tensors that share storage with the variables
(no copy); the stateless APIs copy before they write, so the step never
modifies a variable behind the trainer's back.
"""

import inspect

import torch

from torkeras.trainers import data_adapter


_STATE_PARTS = {
    "train": ("trainable", "non_trainable", "optimizer", "metrics"),
    "test": ("trainable", "non_trainable", "metrics"),
    "predict": ("trainable", "non_trainable"),
}


def takes_state(method):
    """True when `method` (bound) is written as `step(state, data)`: two
    required positional parameters."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return False
    required = [p for p in signature.parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                and p.default is p.empty]
    return len(required) == 2


class StatelessStep:
    """Runs a `step(state, data)` method as a `step(data)` function."""

    def __init__(self, model, kind, step):
        self.model = model
        self.kind = kind
        self.step = step
        self._ready = False

    def _variables(self, part):
        model = self.model
        if part == "trainable":
            return model.trainable_variables
        if part == "non_trainable":
            return model.non_trainable_variables
        if part == "optimizer":
            if model.optimizer is None:
                raise ValueError(
                    "train_step(state, data) needs an optimizer: its state includes the "
                    "optimizer variables. Pass `optimizer=` to `compile()`.")
            return model.optimizer.variables
        return [v for m in model.metrics for v in m.variables]

    def _prepare(self, data):
        """Builds what has variables before the first step, so that the lists
        in the state keep their length during the step (Keras builds them
        symbolically before training)."""
        model = self.model
        if self.kind == "train" and model.optimizer is not None:
            model.optimizer.build(model.trainable_variables)
        x, y, _ = data_adapter.unpack_x_y_sample_weight(data)
        compile_metrics = model._compile_metrics
        compile_loss = model._compile_loss
        pending = [c for c in (compile_metrics, compile_loss)
                   if c is not None and not getattr(c, "built", getattr(c, "_built", True))]
        if pending and y is not None:
            training = model.training
            model.eval()
            try:
                with torch.no_grad():
                    y_pred = model(x, training=False)
            finally:
                model.train(training)
            for container in pending:
                container.build(y, y_pred)
        self._ready = True

    def __call__(self, data):
        if not self._ready:
            self._prepare(data)
        parts = _STATE_PARTS[self.kind]
        variables = [self._variables(part) for part in parts]
        state = tuple([v.value.detach() for v in group] for group in variables)
        result = self.step(state, data)
        name = f"{self.kind}_step(state, data)"
        if not isinstance(result, (list, tuple)) or len(result) != 2:
            raise ValueError(
                f"{name} must return two values, (logs, new_state) "
                f"((outputs, non_trainable_values) for predict_step); received "
                f"{_describe(result)}.")
        output, new_state = result
        if self.kind == "predict":
            self._write_back("non_trainable", variables[1], state[1], new_state, name)
            return output
        if not isinstance(new_state, (list, tuple)) or len(new_state) != len(parts):
            raise ValueError(
                f"{name} must return the new state as {len(parts)} lists of values "
                f"({', '.join(parts)}); received {_describe(new_state)}.")
        for part, group, old, new in zip(parts, variables, state, new_state):
            self._write_back(part, group, old, new, name)
        return output

    def _write_back(self, part, variables, old_values, new_values, name):
        if not isinstance(new_values, (list, tuple)) or len(new_values) != len(variables):
            raise ValueError(
                f"{name}: the new {part} state must be a list of {len(variables)} values "
                f"(one per variable); received {_describe(new_values)}.")
        for variable, old, new in zip(variables, old_values, new_values):
            if new is old:
                continue
            if part == "optimizer" and _same_scalar(old, new):
                # Re-assigning the learning rate would replace the optimizer's
                # exact float mirror by the float32 value of the variable.
                continue
            variable.assign(new.detach() if isinstance(new, torch.Tensor) else new)


def _same_scalar(old, new):
    return (isinstance(new, torch.Tensor) and new.dim() == 0 and old.dim() == 0
            and bool(torch.equal(new.to(old.dtype), old)))


def _describe(value):
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"a {type(value).__name__}"
