"""`BackupAndRestore`: resume an interrupted `fit()` where it stopped."""

import json
import os
import shutil
import tempfile

from torkeras.callbacks.callback import Callback


class BackupAndRestore(Callback):
    """Backs up the model weights, the optimizer state and the epoch count in
    `backup_dir` (at each epoch end, or every `save_freq` batches). When
    `fit()` starts and a backup exists, it is restored and training resumes at
    the epoch after the last one backed up. A `fit()` that completes deletes
    the backup unless `delete_checkpoint=False`.

    Files in `backup_dir`: `latest.weights.h5` (`model.save_weights`, which
    holds the optimizer variables too) and `training_metadata.json`
    (`{"epoch": <epoch to resume at>, "batch": <last batch seen>}`).

    Args:
        backup_dir: directory for the backup (not shared with other callbacks).
        save_freq: "epoch" (back up at each epoch end), an integer (every
            that many batches; resuming restarts the epoch in progress), or
            False (no regular backups).
        double_checkpoint: also keep the previous backup (`prev.weights.h5`,
            `training_metadata_prev.json`), used when the latest one cannot
            be read.
        delete_checkpoint: delete the backup when training ends normally.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and save_freq is not False and (
                isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1):
            raise ValueError("Invalid value for argument `save_freq`. Expected 'epoch', False "
                             f"or a positive integer. Received: save_freq={save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._current_epoch = 0
        self._last_batch_seen = -1
        self._batches_seen_since_last_saving = 0
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")

    def _paths(self, prev=False):
        if prev:
            return (os.path.join(self.backup_dir, "prev.weights.h5"),
                    os.path.join(self.backup_dir, "training_metadata_prev.json"))
        return self._weights_path, self._metadata_path

    # -- restore -----------------------------------------------------------
    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             "before you call `fit()`.")
        self._current_epoch = 0
        self._last_batch_seen = -1
        self._batches_seen_since_last_saving = 0
        for prev in ((False, True) if self.double_checkpoint else (False,)):
            weights, metadata = self._paths(prev)
            if not os.path.exists(metadata):
                continue
            try:
                self._restore(weights, metadata)
                return
            except (OSError, ValueError, KeyError):
                if not self.double_checkpoint or prev:
                    raise

    def _restore(self, weights_path, metadata_path):
        with open(metadata_path) as f:
            metadata = json.load(f)
        self.model.load_weights(weights_path)
        epoch = int(metadata["epoch"])
        self._current_epoch = epoch
        self.model._initial_epoch = epoch

    # -- backup --------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch" or self.save_freq is False:
            return
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_seen_since_last_saving += added
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            # A mid-epoch backup resumes at the start of the current epoch.
            self._save(self._current_epoch, batch)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = -1
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def _save(self, epoch, batch):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._metadata_path):
            for latest, prev in zip(self._paths(), self._paths(prev=True)):
                if os.path.exists(latest):
                    os.replace(latest, prev)
        self.model.save_weights(self._weights_path, overwrite=True)
        # The metadata is written last: a backup without it is never restored.
        _atomic_write(self._metadata_path,
                      lambda f: f.write(json.dumps({"epoch": int(epoch),
                                                    "batch": int(batch)}).encode()))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir, ignore_errors=True)


def _atomic_write(path, write):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
