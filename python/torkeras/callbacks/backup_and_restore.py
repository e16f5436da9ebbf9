"""`BackupAndRestore`: resume an interrupted `fit()` exactly where it stopped."""

import dataclasses
import io
import json
import os
import shutil

import numpy as np

from torkeras.callbacks.callback import Callback
from torkeras.saving import saving_lib
from torkeras.utils import random_state
from torkeras.utils.variable_snapshot import VariableSnapshot

_STATE_GROUP = "training_state"
_FORMAT_VERSION = 1


class BackupAndRestore(Callback):
    """Backs up the training state so that an interrupted `fit()` can resume.

    Backs up the training state in `backup_dir` (at each epoch end, or
    every `save_freq` batches). When `fit()` starts and a backup exists, it is
    restored and training resumes where the backup was taken: at that epoch
    and, for a backup taken within an epoch, at the next batch of that epoch,
    with the batches already done skipped (not run) in the same shuffle order.
    A `fit()` that completes deletes the backup unless `delete_checkpoint=False`.

    The random generators are part of the state, so a fit that is killed
    and resumed (any number of times) ends with the same weights, bit for
    bit, as one that ran through, provided every epoch is one pass over the
    data (no `steps_per_epoch` shorter than the data) and the data's shuffle
    is drawn when the pass starts (arrays, tensors, DataFrames, PyDatasets;
    not the per-record-batch shuffle of streamed parquet data). Keras's
    BackupAndRestore resumes a mid-epoch backup at the start of its epoch and
    keeps no random state; this one resumes at the batch.

    The backup is one file, `backup_dir/latest.weights.h5`, written beside
    its final name and renamed over it, so a crash at any moment leaves the
    previous backup or the new one, never a mix. It holds:

    - the model weights and the optimizer variables, in the `.weights.h5`
      layout (`model.load_weights()` reads the file);
    - the group `training_state`, with the attributes `format_version` (1),
      `epoch` (0-based, the epoch to resume), `step` (how many batches of
      that epoch are done; 0 at an epoch boundary) and `steps_per_epoch`
      (batches per epoch of the fit that wrote it, -1 when unknown), and:
      `rng/<name>` the random generators when the backup was taken and, when
      `step > 0`, `rng_at_epoch_start/<name>` as they were when the epoch
      started (it draws the epoch's shuffle), with the names of
      `torkeras.utils.random_state` (torch's, numpy's and Python's global
      generators and those the model's layers own); `metrics/<i>` the
      variables of the i-th entry of `model.metrics` (attribute `name`), so
      the resumed epoch reports its loss and metrics over all its batches
      (compiled metrics that the new process has not built yet, which
      happens on the first batch, count from the resumed batch on).

    Not part of the state, as in Keras: the other callbacks' state (e.g.
    EarlyStopping's patience). A backup taken within an epoch resumes only a
    fit with the same number of batches per epoch. Backups written before
    this format (`latest.weights.h5` without `training_state`, plus
    `training_metadata.json`) are still read; they resume at the start of
    the epoch they name.

    Args:
        backup_dir: directory for the backup (not shared with other callbacks).
        save_freq: "epoch" (back up at each epoch end), an integer (every
            that many batches, counted across epochs), or False (no regular
            backups).
        double_checkpoint: also keep the previous backup
            (`prev.weights.h5`), used when the latest one cannot be read.
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
        self._latest_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._previous_path = os.path.join(self.backup_dir, "prev.weights.h5")
        self._reset_progress()

    def _reset_progress(self):
        self._current_epoch = 0
        self._last_batch_seen = -1
        self._batches_seen_since_last_saving = 0
        self._rng_at_epoch_start = None
        self._resume = None        # the backup being resumed, until its epoch starts
        self._pending_rng = None   # generators to put back before the next batch runs

    @property
    def _backs_up_within_epochs(self):
        return self.save_freq not in ("epoch", False)

    # -- restore -----------------------------------------------------------
    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             "before you call `fit()`.")
        self._reset_progress()
        paths = [self._latest_path] + ([self._previous_path] if self.double_checkpoint else [])
        paths = [p for p in paths if os.path.exists(p)]
        for path in paths:
            try:
                backup = _read_backup(path)
                try:
                    self._restore(backup)
                finally:
                    backup.h5file.close()
                return
            except (OSError, ValueError, KeyError) as error:
                if path == paths[-1]:
                    raise ValueError(
                        f"Cannot restore the training state from {path!r}: {error}. Delete "
                        f"{self.backup_dir!r} to train from the start.") from error

    def _restore(self, backup):
        """Checks the backup against this fit, then loads the weights and the
        optimizer state (all or nothing); the generators and metrics follow
        when the resumed epoch starts (`on_epoch_begin`)."""
        steps_now = (self.params or {}).get("steps")
        steps_now = -1 if steps_now is None else int(steps_now)
        if backup.step and backup.steps_per_epoch != steps_now:
            raise ValueError(
                f"it was taken after {backup.step} of the {backup.steps_per_epoch} batches of "
                f"epoch {backup.epoch + 1}, and this fit() has {steps_now} batches per epoch "
                "(other data, batch_size or steps_per_epoch)")
        model = self.model
        for states in (backup.rng, backup.rng_at_epoch_start):
            if states is not None:
                random_state.check(model, states)
        variables = list(model.weights) + list(model.optimizer.variables)
        undo = VariableSnapshot(variables)
        try:
            backup.load_weights(model)
        except BaseException:
            undo.restore()
            raise
        self._resume = backup
        self._current_epoch = backup.epoch
        self._last_batch_seen = backup.step - 1
        model._initial_epoch = backup.epoch
        model._initial_step = backup.step

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        backup, self._resume = self._resume, None
        if backup is not None and backup.rng is not None:
            if backup.step:
                # The epoch's shuffle is drawn from the generators as they were
                # at its start; the batches done before are then skipped and
                # the generators move on to where the backup left them.
                random_state.restore(self.model, backup.rng_at_epoch_start)
                self._rng_at_epoch_start = backup.rng_at_epoch_start
                self._pending_rng = backup.rng
                _assign_metric_values(self.model, backup.metrics)
            else:
                random_state.restore(self.model, backup.rng)
        if self._backs_up_within_epochs and self._rng_at_epoch_start is None:
            self._rng_at_epoch_start = random_state.capture(self.model)

    def on_train_batch_begin(self, batch, logs=None):
        if self._pending_rng is not None:
            self._put_back_pending_rng()

    def _put_back_pending_rng(self):
        random_state.restore(self.model, self._pending_rng)
        self._pending_rng = None

    # -- backup --------------------------------------------------------------
    def on_train_batch_end(self, batch, logs=None):
        if not self._backs_up_within_epochs:
            return
        if batch <= self._last_batch_seen:
            added = batch + 1
        else:
            added = batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_seen_since_last_saving += added
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save(self._current_epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        if self._pending_rng is not None:
            # Resumed after the epoch's last batch: no batch ran to take them.
            self._put_back_pending_rng()
        self._current_epoch = epoch + 1
        self._last_batch_seen = -1
        self._rng_at_epoch_start = None
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def _save(self, epoch, step):
        import h5py

        model = self.model
        rng = random_state.capture(model)
        rng_at_epoch_start = self._rng_at_epoch_start if step else None
        metrics = _metric_values(model) if step else []
        steps = (self.params or {}).get("steps")

        def write(tmp):
            with h5py.File(tmp, "w") as h5file:
                saving_lib.save_weights_to_h5(model, h5file)
                state = h5file.create_group(_STATE_GROUP)
                state.attrs.update({"format_version": _FORMAT_VERSION, "epoch": int(epoch),
                                    "step": int(step),
                                    "steps_per_epoch": -1 if steps is None else int(steps)})
                _write_arrays(state.create_group("rng"), rng)
                if rng_at_epoch_start is not None:
                    _write_arrays(state.create_group("rng_at_epoch_start"), rng_at_epoch_start)
                for i, (name, values) in enumerate(metrics):
                    group = state.create_group(f"metrics/{i}")
                    group.attrs["name"] = name
                    _write_arrays(group, {str(j): v for j, v in enumerate(values)})

        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._latest_path):
            os.replace(self._latest_path, self._previous_path)
        saving_lib.atomic_write(self._latest_path, write)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir, ignore_errors=True)


@dataclasses.dataclass
class _Backup:
    """A backup file read into memory (`h5file` is opened on its bytes)."""

    h5file: object
    epoch: int
    step: int = 0
    steps_per_epoch: int = -1
    rng: dict = None
    rng_at_epoch_start: dict = None
    metrics: list = ()

    def load_weights(self, model):
        saving_lib.load_weights_from_h5(model, self.h5file)


def _read_backup(path):
    import h5py

    with open(path, "rb") as f:
        h5file = h5py.File(io.BytesIO(f.read()), "r")
    if _STATE_GROUP not in h5file:
        return _Backup(h5file, _legacy_epoch(path))
    state = _hard_linked(h5file, _STATE_GROUP)
    version = int(state.attrs.get("format_version", -1))
    if version != _FORMAT_VERSION:
        raise ValueError(f"unknown backup format version {version}")
    step = int(state.attrs["step"])
    arrays = _read_arrays(state)
    rng = _subtree(arrays, "rng/")
    rng_at_epoch_start = _subtree(arrays, "rng_at_epoch_start/") if step else None
    metrics = []
    for i in range(len(state["metrics"]) if "metrics" in state else 0):
        values = _subtree(arrays, f"metrics/{i}/")
        metrics.append((str(state[f"metrics/{i}"].attrs["name"]),
                        [values[str(j)] for j in range(len(values))]))
    return _Backup(h5file, int(state.attrs["epoch"]), step, int(state.attrs["steps_per_epoch"]),
                   rng, rng_at_epoch_start, metrics)


def _legacy_epoch(weights_path):
    """The epoch of a backup in the earlier two-file format (weights file +
    `training_metadata[_prev].json`)."""
    suffix = "_prev" if os.path.basename(weights_path).startswith("prev.") else ""
    metadata_path = os.path.join(os.path.dirname(weights_path),
                                 f"training_metadata{suffix}.json")
    if not os.path.exists(metadata_path):
        raise ValueError("the file holds no training state")
    with open(metadata_path) as f:
        return int(json.load(f)["epoch"])


# -- arrays in h5 groups -----------------------------------------------------------
def _write_arrays(group, arrays):
    for name, value in arrays.items():
        group.create_dataset(name, data=np.asarray(value))


def _hard_linked(group, key):
    import h5py
    if not isinstance(group.get(key, getlink=True), h5py.HardLink):
        raise ValueError(f"{group.name.rstrip('/')}/{key} is a link, not data stored in the file")
    return group[key]


def _read_arrays(group, prefix=""):
    """{relative name: array} of every dataset below `group`; links and
    external or virtual datasets are refused."""
    import h5py
    arrays = {}
    for key in group:
        item = _hard_linked(group, key)
        if isinstance(item, h5py.Group):
            arrays.update(_read_arrays(item, f"{prefix}{key}/"))
        elif item.external or item.is_virtual:
            raise ValueError(f"{item.name} is an external or virtual dataset")
        else:
            arrays[prefix + key] = item[()]
    return arrays


def _subtree(arrays, prefix):
    return {name[len(prefix):]: value for name, value in arrays.items() if name.startswith(prefix)}


# -- metrics ---------------------------------------------------------------------------
def _metric_values(model):
    """[(name, [variable values])] for each entry of `model.metrics`."""
    return [(m.name, [v.numpy() for v in m.variables]) for m in model.metrics]


def _assign_metric_values(model, saved):
    """Puts saved metric variables back into the metrics with the same name
    and variable shapes (a metric not built yet is left as it is)."""
    by_name = dict(saved)
    for metric in model.metrics:
        values = by_name.get(metric.name)
        variables = metric.variables
        if values is None or len(values) != len(variables) or not variables:
            continue
        if all(tuple(np.shape(a)) == tuple(v.shape) for a, v in zip(values, variables)):
            for variable, value in zip(variables, values):
                variable.assign(value)
