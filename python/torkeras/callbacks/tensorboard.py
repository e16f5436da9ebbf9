"""`TensorBoard`: writes training logs as TensorBoard event files."""

import os
import time
import warnings

from torkeras.callbacks.callback import Callback
from torkeras.utils.tensorboard_writer import EventFileWriter


class TensorBoard(Callback):
    """Writes training logs for TensorBoard.

    Writes loss, metrics, the learning rate and (optionally) weight
    histograms as TensorBoard event files, readable by `tensorboard --logdir`.

    Training values go to `<log_dir>/train`, validation values to
    `<log_dir>/validation`, under the names Keras uses: `epoch_loss`,
    `epoch_<metric>` and `epoch_learning_rate` at step `epoch` (0-based);
    with `update_freq` "batch" or an integer N, `batch_loss` / `batch_<metric>`
    every N training batches at the global batch count; after each
    validation inside `fit`, `evaluation_<name>_vs_iterations` at the
    optimizer's iteration count.

    Args:
        log_dir: directory for the logs (created when missing).
        histogram_freq: every how many epochs to write a histogram of each
            layer weight (0: never). Tags are `<weight path>/histogram`.
        write_graph: accepted for compatibility; torkeras writes no graph.
        write_images: accepted for compatibility; no images are written.
        write_steps_per_second: also log `steps_per_second` per epoch.
        update_freq: "epoch", "batch" or an integer number of batches.
        profile_batch: accepted for compatibility; 0 (no profiling) only.
        embeddings_freq: accepted for compatibility; 0 only.
        embeddings_metadata: accepted for compatibility; ignored.
    """

    _accepts_lazy_logs = True

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = int(histogram_freq)
        if self.histogram_freq < 0:
            raise ValueError(f"`histogram_freq` must be >= 0; received {histogram_freq!r}.")
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch":
            # A whole float (an R double such as 100) counts as an integer.
            if isinstance(update_freq, float) and update_freq.is_integer():
                update_freq = int(update_freq)
            if isinstance(update_freq, bool) or not isinstance(update_freq, int) \
                    or update_freq < 1:
                raise ValueError('`update_freq` must be "epoch", "batch" or a positive integer; '
                                 f"received {update_freq!r}.")
        self.update_freq = update_freq
        if profile_batch not in (0, None, (0, 0), [0, 0]):
            warnings.warn("TensorBoard(profile_batch=...) is not supported by torkeras; "
                          "no profile is written.", stacklevel=2)
        self.profile_batch = profile_batch
        if embeddings_freq:
            warnings.warn("TensorBoard(embeddings_freq=...) is not supported by torkeras; "
                          "no embeddings are written.", stacklevel=2)
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._global_train_batch = 0
        self._epoch = 0
        self._epoch_start = None
        self._epoch_batches = 0

    # -- writers ------------------------------------------------------------
    @property
    def _train_dir(self):
        return os.path.join(self.log_dir, "train")

    @property
    def _val_dir(self):
        return os.path.join(self.log_dir, "validation")

    def _writer(self, which):
        writer = self._writers.get(which)
        if writer is None:
            directory = self._train_dir if which == "train" else self._val_dir
            writer = self._writers[which] = EventFileWriter(directory)
        return writer

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # -- hooks ----------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._writer("train")

    def on_train_end(self, logs=None):
        self._close_writers()

    def _on_train_abort(self):
        # What was logged before the failure is written out and the files closed.
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._epoch_start = time.time()
        self._epoch_batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        self._epoch_batches += 1
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        logs = logs() if callable(logs) else (logs or {})
        scalars = {"batch_" + k: float(v) for k, v in logs.items() if _is_number(v)}
        self._writer("train").add_scalars(scalars, self._global_train_batch)

    def on_test_end(self, logs=None):
        # Only validation inside fit() (the model has an optimizer that stepped).
        optimizer = getattr(self.model, "optimizer", None)
        if not logs or optimizer is None or "train" not in self._writers:
            return
        step = int(optimizer.iterations.numpy())
        scalars = {f"evaluation_{k}_vs_iterations": float(v)
                   for k, v in logs.items() if _is_number(v)}
        self._writer("validation").add_scalars(scalars, step)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {}
        val = {}
        for key, value in logs.items():
            if not _is_number(value):
                continue
            if key.startswith("val_"):
                val["epoch_" + key[4:]] = float(value)
            else:
                train["epoch_" + key] = float(value)
        lr = self._learning_rate()
        if lr is not None and "epoch_learning_rate" not in train:
            train["epoch_learning_rate"] = lr
        if self.write_steps_per_second and self._epoch_start is not None:
            elapsed = time.time() - self._epoch_start
            train["epoch_steps_per_second"] = self._epoch_batches / elapsed if elapsed > 0 else 0.0
        writer = self._writer("train")
        writer.add_scalars(train, epoch)
        if val:
            self._writer("validation").add_scalars(val, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        for w in self._writers.values():
            w.flush()

    # -- helpers ----------------------------------------------------------------
    def _learning_rate(self):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            return None
        try:
            return float(optimizer.learning_rate)
        except (TypeError, ValueError, AttributeError):
            return None

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = (getattr(weight, "path", None) or weight.name).replace(":", "_")
                writer.add_histogram(name + "/histogram", weight.numpy(), epoch)


def _is_number(value):
    try:
        float(value)
    except (TypeError, ValueError, RuntimeError):
        return False
    return True
