"""`ProgbarLogger`: prints progress during fit/evaluate/predict (Keras format)."""

import time

from torkeras.callbacks.callback import Callback
from torkeras.utils.progbar import Progbar


def ordered_logs(logs):
    """Floats in the order Keras prints them: training names sorted, then
    `val_` names sorted."""
    items = [(k, v) for k, v in logs.items()]
    train = sorted((kv for kv in items if not str(kv[0]).startswith("val_")), key=lambda kv: kv[0])
    val = sorted((kv for kv in items if str(kv[0]).startswith("val_")), key=lambda kv: kv[0])
    out = []
    for key, value in train + val:
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass
        out.append((key, value))
    return out


class ProgbarLogger(Callback):
    """Prints the progress of `fit()`, `evaluate()` and `predict()` to standard output.

    Prints `Epoch i/N` (when there are several epochs) and a progress bar
    (`verbose=1`) or one line per epoch (`verbose=2`), with the running values
    of the logs. Validation inside `fit()` is silent. Added automatically when
    `verbose` is not 0.
    """

    _accepts_lazy_logs = True

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        params = params or {}
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    # -- loop hooks ---------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            from torkeras.utils.io_utils import print_msg
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update_progbar(batch, None)  # predictions are not displayed

    def on_epoch_end(self, epoch, logs=None):
        self._finalize_progbar(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs=None):
        self._finalize_progbar(logs)

    def end_open_line(self):
        """Called by the trainer when a loop stops on an exception."""
        if self.progbar is not None:
            self.progbar.end_line()

    # -- helpers --------------------------------------------------------------
    def _reset_progbar(self):
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self):
        if self.progbar is None:
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step")

    def _update_progbar(self, batch, logs):
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose != 1:
            return
        progbar = self.progbar
        # Skip before touching the logs: resolving them may sync the device.
        if self.seen > 1 and time.time() - progbar._last_update < progbar.interval:
            return
        if callable(logs):
            logs = logs()
        progbar.update(self.seen, ordered_logs(logs or {}), finalize=False)

    def _finalize_progbar(self, logs):
        if callable(logs):
            logs = logs()
        self._maybe_init_progbar()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, ordered_logs(logs or {}), finalize=True)
