"""`History`: records the epoch logs; `fit()` returns it."""

from torkeras.callbacks.callback import Callback


def _to_python(value):
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


class History(Callback):
    """Records the per-epoch logs of `fit()`; `fit()` returns it.

    Added to every `fit()` run automatically. `history` maps each log name
    ("loss", metric names, "val_" names) to its list of per-epoch values;
    `epoch` lists the (0-based) epoch indices seen; `model` and `params` are
    those of the run.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(_to_python(value))
        if self.model is not None:
            self.model.history = self
