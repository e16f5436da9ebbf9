"""`ModelCheckpoint`: save the model (or its weights) during training."""

import os
import warnings

from torkeras.callbacks.monitor_callback import MonitorCallback
from torkeras.utils import io_utils


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or its weights) during training.

    Saves the model with `model.save(path)` (or `model.save_weights(path)`
    when `save_weights_only`) at the end of each epoch or every `save_freq`
    batches.

    Args:
        filepath: path, optionally a `str.format` template filled with
            `epoch` (1-based), `batch` (1-based, batch-level saves) and the
            log entries: "model_{epoch}.keras", "model-{val_loss:.4f}.keras".
            It must end in ".keras" (or ".h5"), or in ".weights.h5" when
            `save_weights_only=True`.
        monitor: log entry compared when `save_best_only` (default "val_loss").
        verbose: 1 prints a message for each save decision.
        save_best_only: save only when `monitor` improves on the best so far.
        save_weights_only: save only the weights.
        mode: "auto", "min" or "max".
        save_freq: "epoch" or a number of batches.
        initial_value_threshold: the best value to beat at the start.

    Example:
    >>> import os, tempfile
    >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "model_{epoch}.keras")
    >>> _ = model.fit(x, y, epochs=2, verbose=0,
    ...               callbacks=[keras.callbacks.ModelCheckpoint(path)])
    >>> sorted(os.listdir(folder))
    ['model_1.keras', 'model_2.keras']
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold,
                         name="ModelCheckpoint")
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq < 1):
            raise ValueError(f"Unrecognized save_freq: {save_freq!r}. Expected save_freq are "
                             "'epoch' or integer values")
        self.save_freq = save_freq
        self.initial_value_threshold = initial_value_threshold
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}")
        elif not self.filepath.endswith((".keras", ".h5")):
            raise ValueError("The filepath provided must end in `.keras` (Keras model format). "
                             f"Received: filepath={self.filepath}")
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._best_reset = False

    def on_train_begin(self, logs=None):
        # The best value carries over between fit() calls, as in Keras.
        if not self._best_reset:
            self._reset_best()
            self._best_reset = True

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:  # a new epoch started
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _get_file_path(self, epoch, batch, logs):
        logs = dict(logs or {})
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(f'Failed to format this callback filepath: "{self.filepath}". '
                           f"Reason: {e}") from None

    def _should_save(self, epoch, logs, filepath):
        if not self.save_best_only:
            if self.verbose > 0:
                io_utils.print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available, "
                          "skipping.", stacklevel=3)
            return False
        current = float(current)
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.best is None:
            self._reset_best()
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to "
                      f"{current:.5f}, saving model to {filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
        return False

    def _save_model(self, epoch, batch, logs):
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save(epoch, logs, filepath):
            return
        if os.path.isdir(filepath):
            raise IOError("Please specify a non-directory filepath for ModelCheckpoint. "
                          f"Filepath used is an existing directory: {filepath}")
        dirname = os.path.dirname(filepath)
        if dirname:
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
