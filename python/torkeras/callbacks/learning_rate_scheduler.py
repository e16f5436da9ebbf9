"""`LearningRateScheduler`: set the learning rate from a function of the epoch."""

import inspect

import numpy as np

from torkeras.callbacks.callback import Callback
from torkeras.utils import io_utils


def _takes_two_args(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch from a schedule function.

    At the start of each epoch, sets the optimizer's learning rate to
    `schedule(epoch, lr)` (`epoch` 0-based, `lr` the current rate as a float;
    a one-argument `schedule(epoch)` also works). Adds `learning_rate` to the
    epoch logs.

    Args:
        schedule: function returning the new learning rate as a float.
        verbose: 1 prints the rate set at each epoch.

    Example:
    >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> halve = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr / 2)
    >>> history = model.fit(x, y, epochs=3, callbacks=[halve], verbose=0)
    >>> [round(v, 6) for v in history.history["learning_rate"]]
    [0.005, 0.0025, 0.00125]
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        lr = float(optimizer.learning_rate)
        if _takes_two_args(self.schedule):
            lr = self.schedule(epoch, lr)
        else:
            lr = self.schedule(epoch)
        if isinstance(lr, np.ndarray) and lr.ndim == 0:
            lr = lr.item()
        if isinstance(lr, (int, np.integer)) and not isinstance(lr, bool):
            lr = float(lr)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {lr}")
        optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            io_utils.print_msg(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
