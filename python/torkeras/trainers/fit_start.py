"""Undoing a `fit()` that fails before its first update.

The built-in train step runs everything that can fail (forward pass, loss,
backward pass, metric update) before `optimizer.apply`, so a failing step
has changed no trainable weight and no optimizer slot. Two things can still
have changed before the first update lands: `fit()` has built the optimizer
(created its slots), and a forward pass in training mode has moved the
model's state variables (BatchNormalization's moving statistics, the states
of stateful RNNs). `FitStart` records both when fit starts and puts them back
when fit fails (an error, a callback raising, Ctrl-C) before the optimizer
has applied an update; once one has, the failure belongs to training and
nothing is undone. The cost is one copy of the state variables per fit.
"""

import torch


class FitStart:
    """What a fit that fails before its first update returns to.

    `restore_state_variables`: False for a user's train step, which may
    update weights through other optimizers than `model.optimizer` (a GAN),
    so the absence of a `model.optimizer` update does not mean that nothing
    was trained; only the optimizer's build is undone then.
    """

    def __init__(self, model, restore_state_variables=True):
        optimizer = model.optimizer
        self._optimizer = optimizer
        self._optimizer_attributes = None if optimizer.built else optimizer._attributes()
        self._iterations = _applied_updates(optimizer)
        # Variables created non-trainable are the ones a forward pass moves; a
        # frozen layer's kernel keeps `trainable=True` and is not copied.
        self._state = [(v, v.value.detach().clone()) for v in model.non_trainable_weights
                       if not v.trainable] if restore_state_variables else []

    def undo_if_no_update(self):
        """Restores the recorded state unless an update was applied since."""
        if _applied_updates(self._optimizer) != self._iterations:
            return
        with torch.no_grad():
            for variable, value in self._state:
                variable.assign(value)
        if self._optimizer_attributes is not None:
            self._optimizer._restore_attributes(self._optimizer_attributes)


def _applied_updates(optimizer):
    # The raw counter: `iterations` counts accumulated steps as one update.
    # A LossScaleOptimizer's updates are its inner optimizer's.
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    return int(optimizer._iterations.value)
