"""`EarlyStopping`: stop training when a monitored value stops improving."""

import warnings

from torkeras.callbacks.monitor_callback import MonitorCallback
from torkeras.utils import io_utils


class EarlyStopping(MonitorCallback):
    """Stops `fit()` once `monitor` has not improved for `patience` epochs.

    Args:
        monitor: log entry to watch (default "val_loss").
        min_delta: an absolute change smaller than this is no improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints "Epoch N: early stopping" (and the restore message).
        mode: "auto", "min" or "max".
        baseline: training stops unless the monitored value beats it within
            `patience` epochs.
        restore_best_weights: at the end of training, set the weights of the
            best epoch (regardless of `baseline`).
        start_from_epoch: epochs to let pass before monitoring starts.

    Example:
    >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2, min_delta=10.0)
    >>> history = model.fit(x, y, epochs=20, callbacks=[stop], verbose=0)
    >>> len(history.history["loss"])
    3
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor=monitor, mode=mode, baseline=baseline, name="EarlyStopping")
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.verbose = verbose
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        # The same instance may serve several fit() calls.
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # The wait restarts only when the baseline is beaten too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            io_utils.print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                io_utils.print_msg(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(str(k) for k in logs)}", stacklevel=2)
            return None
        return float(value)
