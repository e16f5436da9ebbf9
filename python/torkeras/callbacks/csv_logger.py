"""`CSVLogger`: stream the epoch logs to a CSV file."""

import collections
import csv
import os

import numpy as np

from torkeras.callbacks.callback import Callback


class CSVLogger(Callback):
    """Writes the epoch logs of `fit()` to a CSV file.

    Writes one row per epoch: `epoch` (0-based, as Keras writes it), then
    the log entries in sorted order.

    Args:
        filename: the CSV file.
        separator: the field separator (default ",").
        append: append to an existing file (the header is written only when
            the file is empty) instead of overwriting it.

    Example:
    >>> import os, tempfile
    >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> _ = model.fit(x, y, epochs=2, callbacks=[keras.callbacks.CSVLogger(path)], verbose=0)
    >>> open(path).read().splitlines()[0]
    'epoch,loss'
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        self.writer = None
        self.keys = None
        self.csv_file = open(self.filename, mode, newline="")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle_value(k):
            is_zero_dim = isinstance(k, np.ndarray) and k.ndim == 0
            if isinstance(k, str):
                return k
            if isinstance(k, collections.abc.Iterable) and not is_zero_dim:
                return f"[{', '.join(map(str, k))}]"
            return k

        if self.keys is None:
            self.keys = sorted(logs.keys())
        if self.writer is None:
            sep = self.sep

            class CustomDialect(csv.excel):
                delimiter = sep

            fieldnames = ["epoch"] + list(self.keys)
            self.writer = csv.DictWriter(self.csv_file, fieldnames=fieldnames,
                                         dialect=CustomDialect)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        # An entry missing from this epoch (e.g. no validation) is written "NA".
        row.update((key, handle_value(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self._close()

    def _on_train_abort(self):
        # The rows of the finished epochs are already written and flushed.
        self._close()

    def _close(self):
        if self.csv_file is not None:
            self.csv_file.close()
            self.csv_file = None
        self.writer = None
