"""Issue 9, callbacks and interrupted training: BackupAndRestore resumes a
killed fit exactly (items 9), TerminateOnNaN can restore the last finite
weights and file-writing callbacks release their files when fit fails
(item 10). Messages come from docs/reliability.md."""

import os
import signal
import subprocess
import sys
import textwrap
import warnings

import h5py
import numpy as np
import pytest
import torch

import torkeras as keras
from reliability_table import documented_message, documented_pattern
from torkeras import callbacks, layers

# -- BackupAndRestore: kill -9 and resume -------------------------------------------------
# The child trains a small model with shuffle=True, an unseeded Dropout (torch's
# global generator) and a seeded one (its own generator) for 4 epochs of 6
# batches (44 rows, batch 8), printing a line after each backup. It sleeps a
# little per batch so the parent's SIGKILL lands while training goes on.
CHILD = textwrap.dedent('''
    import sys
    import time

    import numpy as np

    import torkeras as keras

    backup_dir, out_path, save_freq = sys.argv[1:4]
    keras.utils.set_random_seed(1234)
    rows = np.random.RandomState(0)
    x = rows.rand(44, 4).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 0.1
    model = keras.Sequential([
        keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.3),
        keras.layers.Dropout(0.2, seed=7), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")


    class Reporting(keras.callbacks.BackupAndRestore):
        def on_train_begin(self, logs=None):
            super().on_train_begin(logs)
            start = self.model.__dict__
            print("start", start.get("_initial_epoch", 0), start.get("_initial_step", 0),
                  flush=True)

        def _save(self, epoch, step):
            super()._save(epoch, step)
            print("saved", epoch, step, flush=True)


    class Slow(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            time.sleep(0.01)


    fit_callbacks = [Slow()]
    if save_freq != "none":
        fit_callbacks.insert(0, Reporting(
            backup_dir, save_freq=save_freq if save_freq == "epoch" else int(save_freq)))
    model.fit(x, y, epochs=4, batch_size=8, shuffle=True, verbose=0, callbacks=fit_callbacks)
    np.savez(out_path, *model.get_weights(), *[v.numpy() for v in model.optimizer.variables])
    print("done", flush=True)
''')


def run_child(script, backup_dir, out_path, save_freq, kill_after_saves=None):
    """Runs the child; with `kill_after_saves`, SIGKILLs it right after it
    reports that many backups. Returns (returncode, the lines it printed)."""
    with open(os.path.join(os.path.dirname(script), "stderr.txt"), "w+") as stderr:
        proc = subprocess.Popen([sys.executable, script, backup_dir, out_path, str(save_freq)],
                                stdout=subprocess.PIPE, stderr=stderr, text=True)
        lines = []
        saves = 0
        for line in proc.stdout:
            lines.append(line.split())
            if lines[-1][0] == "saved":
                saves += 1
                if saves == kill_after_saves:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
        proc.stdout.close()
        proc.wait(timeout=300)
        stderr.seek(0)
        assert proc.returncode in (0, -signal.SIGKILL), stderr.read()
    return proc.returncode, lines


def final_state(path):
    with np.load(path) as arrays:
        return [torch.from_numpy(arrays[f"arr_{i}"]) for i in range(len(arrays.files))]


@pytest.fixture(scope="module")
def kill_test_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("kill")
    script = directory / "child.py"
    script.write_text(CHILD)
    return directory, str(script)


@pytest.fixture(scope="module")
def uninterrupted(kill_test_dir):
    directory, script = kill_test_dir
    out = str(directory / "reference.npz")
    returncode, lines = run_child(script, str(directory / "unused"), out, "none")
    assert returncode == 0 and lines[-1] == ["done"]
    return final_state(out)


# save_freq -> how many backups each killed run makes before its kill. With 4
# batches per backup the kills follow the backups at (epoch 1, step 2) and then
# (1, 6), after the epoch's last batch but before its end.
@pytest.mark.parametrize("save_freq, kills, resume_points", [
    ("epoch", [1, 2], [(1, 0), (3, 0)]),
    (4, [2, 1], [(1, 2), (1, 6)]),
])
def test_killed_and_resumed_fit_ends_with_the_same_weights(kill_test_dir, uninterrupted,
                                                            save_freq, kills, resume_points):
    directory, script = kill_test_dir
    backup_dir = str(directory / f"backup_{save_freq}")
    out = str(directory / f"resumed_{save_freq}.npz")
    for run, kill_after in enumerate(kills):
        returncode, lines = run_child(script, backup_dir, out, save_freq, kill_after)
        assert returncode == -signal.SIGKILL  # killed while training, not finished
        start = tuple(map(int, lines[0][1:]))
        assert start == ((0, 0) if run == 0 else resume_points[run - 1])
        saved = [tuple(map(int, line[1:])) for line in lines if line[0] == "saved"]
        assert saved[-1] == resume_points[run]  # the backup the next run resumes from
        assert os.listdir(backup_dir) == ["latest.weights.h5"]
    returncode, lines = run_child(script, backup_dir, out, save_freq)
    assert returncode == 0 and lines[-1] == ["done"]
    assert tuple(map(int, lines[0][1:])) == resume_points[-1]
    assert not os.path.exists(backup_dir)  # deleted by the fit that completed
    resumed = final_state(out)
    assert len(resumed) == len(uninterrupted)
    for got, expected in zip(resumed, uninterrupted):
        assert torch.equal(got, expected)


# -- BackupAndRestore in one process ------------------------------------------------------
def regression_data(n=44):
    rng = np.random.RandomState(1)
    x = rng.rand(n, 3).astype("float32")
    return x, (x @ np.array([[1.0], [2.0], [-1.0]], dtype="float32")).astype("float32")


def dropout_model():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"),
                              layers.Dropout(0.25), layers.GaussianNoise(0.1, seed=3),
                              layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    return model


class StopAtBatch(callbacks.Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise RuntimeError("stopped")


class BatchesRun(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append((self.epoch, batch))


def test_resume_within_an_epoch_skips_the_batches_done_and_restores_the_metrics(tmp_path):
    x, y = regression_data()
    keras.utils.set_random_seed(5)
    reference_model = dropout_model()
    reference = reference_model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    expected = reference_model.get_weights()

    keras.utils.set_random_seed(5)
    model = dropout_model()
    backup_dir = str(tmp_path / "backup")
    with pytest.raises(RuntimeError, match="stopped"):
        # backups after 4 batches: (epoch 0, 4 done), (1, 2 done); stops in batch 3 of epoch 1
        model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                  callbacks=[callbacks.BackupAndRestore(backup_dir, save_freq=4),
                             StopAtBatch(1, 3)])
    keras.utils.set_random_seed(99)  # other global generator states from here on
    batches = BatchesRun()
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0,
                        callbacks=[callbacks.BackupAndRestore(backup_dir, save_freq=4), batches])
    # batches 0 and 1 of epoch 1 are not run again
    assert batches.seen == [(1, b) for b in range(2, 6)] + [(e, b) for e in (2,) for b in range(6)]
    assert int(model.optimizer.iterations.numpy()) == 18
    for got, want in zip(model.get_weights(), expected):
        assert np.array_equal(got, want)
    # the resumed epoch reports its loss and mae over all its 6 batches
    assert history.history["loss"] == reference.history["loss"][1:]
    assert history.history["mae"] == reference.history["mae"][1:]


class WeightsAt(callbacks.Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = None
        self.weights = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            self.weights = self.model.get_weights()


def test_the_backup_is_one_file_with_the_whole_training_state(tmp_path):
    x, y = regression_data()
    model = dropout_model()
    backup_dir = tmp_path / "backup"
    weights_at = WeightsAt(1, 3)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[
        callbacks.BackupAndRestore(str(backup_dir), save_freq=5, delete_checkpoint=False),
        weights_at])
    assert os.listdir(backup_dir) == ["latest.weights.h5"]
    # saves after global batches 5 (epoch 0) and 10 (epoch 1, 4 batches done)
    with h5py.File(backup_dir / "latest.weights.h5", "r") as f:
        state = f["training_state"]
        assert {k: int(v) for k, v in state.attrs.items()} == {
            "epoch": 1, "format_version": 1, "step": 4, "steps_per_epoch": 6}
        assert sorted(state["rng"].keys()) == ["generators", "numpy", "python", "torch"]
        assert list(state["rng/generators/model/layers"].keys()) == ["gaussian_noise"]
        assert "rng_at_epoch_start/torch" in state
        names = [state[f"metrics/{i}"].attrs["name"] for i in range(len(state["metrics"]))]
        assert names == [m.name for m in model.metrics]
    # the weights part is an ordinary weights file: the weights of that moment
    other = dropout_model()
    other.load_weights(str(backup_dir / "latest.weights.h5"))
    for got, want in zip(other.get_weights(), weights_at.weights):
        assert np.array_equal(got, want)


def backup_after_batches(tmp_path, batches, batch_size=8):
    x, y = regression_data()
    model = dropout_model()
    backup_dir = str(tmp_path / "backup")
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=3, batch_size=batch_size, verbose=0, callbacks=[
            callbacks.BackupAndRestore(backup_dir, save_freq=batches), StopAtBatch(1, 5)])
    return backup_dir


def test_a_backup_within_an_epoch_needs_the_same_batches_per_epoch(tmp_path):
    backup_dir = backup_after_batches(tmp_path, 4)  # last backup: epoch 1, 2 batches done
    x, y = regression_data()
    model = dropout_model()
    before = model.get_weights()
    with pytest.raises(ValueError, match=documented_pattern("9.9-backup-other-batches")):
        model.fit(x, y, epochs=3, batch_size=4, verbose=0,
                  callbacks=[callbacks.BackupAndRestore(backup_dir, save_freq=4)])
    for a, b in zip(model.get_weights(), before):
        assert np.array_equal(a, b)  # nothing loaded
    assert os.path.exists(backup_dir)


def test_an_unreadable_backup_is_one_clear_error_and_changes_nothing(tmp_path):
    backup_dir = backup_after_batches(tmp_path, 4)
    x, y = regression_data()
    # a backup of another model: the first layer's weights load, the next do not
    other = keras.Sequential([keras.Input((3,)), layers.Dense(8, activation="relu"),
                              layers.Dropout(0.25), layers.GaussianNoise(0.1, seed=3),
                              layers.Dense(4), layers.Dense(1)])
    other.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    before = other.get_weights()
    with pytest.raises(ValueError, match=documented_pattern("9.9-backup-unreadable")) as error:
        other.fit(x, y, epochs=3, batch_size=8, verbose=0,
                  callbacks=[callbacks.BackupAndRestore(backup_dir, save_freq=4)])
    assert f"Delete {backup_dir!r} to train from the start." in str(error.value)
    for a, b in zip(other.get_weights(), before):
        assert np.array_equal(a, b)  # the loaded first layer was put back
    with open(os.path.join(backup_dir, "latest.weights.h5"), "wb") as f:
        f.write(b"not an h5 file")
    with pytest.raises(ValueError, match=documented_pattern("9.9-backup-unreadable")):
        dropout_model().fit(x, y, epochs=3, batch_size=8, verbose=0,
                            callbacks=[callbacks.BackupAndRestore(backup_dir)])


def test_backups_in_the_earlier_two_file_format_are_still_read(tmp_path):
    x, y = regression_data()
    model = dropout_model()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    backup_dir = tmp_path / "old"
    backup_dir.mkdir()
    model.save_weights(str(backup_dir / "latest.weights.h5"))
    (backup_dir / "training_metadata.json").write_text('{"epoch": 2, "batch": 0}')
    resumed = dropout_model()
    batches = BatchesRun()
    resumed.fit(x, y, epochs=3, batch_size=8, verbose=0,
                callbacks=[callbacks.BackupAndRestore(str(backup_dir)), batches])
    assert {e for e, _ in batches.seen} == {2}
    assert int(resumed.optimizer.iterations.numpy()) == 18


def test_seeded_layer_generators_are_captured_and_restored():
    from torkeras.utils import random_state
    model = keras.Sequential([keras.Input((4,)), layers.Dropout(0.5, seed=1),
                              layers.GaussianDropout(0.3, seed=2), layers.Reshape((4, 1)),
                              layers.GRU(3, dropout=0.4, seed=4)])
    seed_generator = keras.random.SeedGenerator(8)
    model.layers[0].noise_source = seed_generator  # a user layer's SeedGenerator
    x = torch.rand(5, 4)

    def draw():
        return (model(x, training=True).detach().clone(),
                keras.random.uniform((3,), seed=seed_generator).clone())

    draw()
    states = random_state.capture(model)
    assert sorted(k for k in states if k.startswith("generators/")) == [
        "generators/model/layers/dropout/_generators/cpu",
        "generators/model/layers/dropout/noise_source/cpu",
        "generators/model/layers/dropout/noise_source/state",
        "generators/model/layers/gaussian_dropout/_generators/cpu",
        "generators/model/layers/gru/cell/_dropout_masks/generators/cpu"]
    first = draw()
    draw()
    random_state.restore(model, states)
    again = draw()
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    other = keras.Sequential([keras.Input((4,)), layers.Dropout(0.5, seed=1)])
    with pytest.raises(ValueError, match="which this model does not have"):
        random_state.restore(other, states)


# -- TerminateOnNaN ----------------------------------------------------------------------
def nan_data():
    """The third batch of 4 overflows float32 in the forward pass: its loss is inf."""
    x, y = regression_data(32)
    x[8:12] = 1e30
    return x, y


def adam_model(seed=3):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.BatchNormalization(),
                              layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    return model


def trained_on_first_batches(n_batches):
    """The same model trained on the first `n_batches` batches of 4 only."""
    x, y = nan_data()
    model = adam_model()
    model.fit(x[:4 * n_batches], y[:4 * n_batches], batch_size=4, epochs=1, shuffle=False,
              verbose=0)
    return model


def optimizer_state(model):
    return [v.numpy() for v in model.optimizer.variables]


def test_terminate_on_nan_keeps_keras_behaviour_by_default(capsys):
    x, y = nan_data()
    model = adam_model()
    model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0,
              callbacks=[callbacks.TerminateOnNaN()])
    assert capsys.readouterr().out == "Batch 2: Invalid loss, terminating training\n"
    # as Keras leaves them: the update from the inf loss made weights NaN
    assert np.isnan(model.get_weights()[-2]).all()


def test_terminate_on_nan_restores_the_last_finite_weights_and_optimizer_state(capsys):
    x, y = nan_data()
    model = adam_model()
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[
        callbacks.TerminateOnNaN(restore_last_finite_weights=True)])
    assert capsys.readouterr().out == (
        "Batch 2: Invalid loss, terminating training (the last finite weights and optimizer "
        "state were restored)\n")
    assert len(history.history["loss"]) == 1
    reference = trained_on_first_batches(2)
    for got, want in zip(model.get_weights(), reference.get_weights()):
        assert np.array_equal(got, want)  # incl. BatchNormalization's moving statistics
    for got, want in zip(optimizer_state(model), optimizer_state(reference)):
        assert np.array_equal(got, want)
    assert int(model.optimizer.iterations.numpy()) == 2
    # the model trains on from there
    model.fit(x[:8], y[:8], batch_size=4, epochs=1, verbose=0)
    assert all(np.isfinite(w).all() for w in model.get_weights())


class CorruptAfterBatch(callbacks.Callback):
    """Puts an infinity into a kernel at the end of batch `at` (as an update
    that overflowed while the batch loss was still finite)."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_train_batch_end(self, batch, logs=None):
        if batch == self.at:
            kernel = self.model.layers[0].kernel
            kernel.assign(np.full(kernel.shape, np.inf, dtype="float32"))


def test_terminate_on_nan_skips_states_that_are_not_finite():
    x, y = regression_data(32)
    model = adam_model()
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=[
        CorruptAfterBatch(1), callbacks.TerminateOnNaN(restore_last_finite_weights=True)])
    # batch 1's loss was finite but the weights after it were not: batch 0's state comes back
    reference = trained_on_first_batches(1)
    for got, want in zip(model.get_weights(), reference.get_weights()):
        assert np.array_equal(got, want)
    assert int(model.optimizer.iterations.numpy()) == 1


def test_terminate_on_nan_raise_error(tmp_path):
    x, y = nan_data()
    model = adam_model()
    logger = callbacks.CSVLogger(str(tmp_path / "log.csv"))
    ended = []
    with pytest.raises(RuntimeError, match=documented_pattern("9.10-nan-raise-error")):
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[
            callbacks.TerminateOnNaN(raise_error=True, restore_last_finite_weights=True),
            logger, callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(1))])
    assert ended == []  # as in Keras: no on_train_end after raise_error
    assert logger.csv_file is None  # ... but the log file is closed
    reference = trained_on_first_batches(2)
    for got, want in zip(model.get_weights(), reference.get_weights()):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("argument", ["raise_error", "restore_last_finite_weights"])
def test_terminate_on_nan_flags_are_booleans(argument):
    with pytest.raises(ValueError) as error:
        callbacks.TerminateOnNaN(**{argument: "yes"})
    assert str(error.value) == documented_message("9.10-nan-flag").replace(
        "raise_error", argument)


# -- files closed when fit fails --------------------------------------------------------
def open_paths():
    paths = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            paths.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return paths


class RaiseAtEpoch(callbacks.Callback):
    def __init__(self, epoch, error):
        super().__init__()
        self.epoch = epoch
        self.error = error

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise self.error


class FailingLayer(layers.Layer):
    """Fails on its `fail_at`-th call in training."""

    def __init__(self, fail_at, **kwargs):
        super().__init__(**kwargs)
        self.fail_at = fail_at
        self.calls = 0

    def call(self, inputs, training=False):
        if training:
            self.calls += 1
            if self.calls == self.fail_at:
                raise ValueError("the layer failed")
        return inputs


def failing_fit(source, tmp_path, extra_callbacks):
    x, y = regression_data(16)
    fail_layer = FailingLayer(fail_at=5 if source == "layer" else 0)

    def loss(y_true, y_pred):
        if source == "loss" and fail_layer.calls == 5:
            raise ValueError("the loss failed")
        return keras.ops.mean(keras.ops.square(y_true - y_pred))

    model = keras.Sequential([keras.Input((3,)), layers.Dense(1), fail_layer])
    model.compile(optimizer="sgd", loss=loss)
    fit_callbacks = list(extra_callbacks)
    if source == "callback":
        fit_callbacks.append(RaiseAtEpoch(2, RuntimeError("the callback failed")))
    if source == "interrupt":
        fit_callbacks.append(RaiseAtEpoch(2, KeyboardInterrupt()))
    with pytest.raises((ValueError, RuntimeError, KeyboardInterrupt), match=f"the {source} failed"
                       if source != "interrupt" else None):
        model.fit(x, y, batch_size=8, epochs=4, verbose=0, callbacks=fit_callbacks)


@pytest.mark.parametrize("source", ["layer", "loss", "callback", "interrupt"])
def test_csv_logger_closes_its_file_when_fit_fails(tmp_path, source):
    path = str(tmp_path / "log.csv")
    logger = callbacks.CSVLogger(path)
    failing_fit(source, tmp_path, [logger])
    assert logger.csv_file is None
    assert os.path.realpath(path) not in open_paths()
    with open(path) as f:
        rows = f.read().splitlines()
    assert rows[0] == "epoch,loss" and [r.split(",")[0] for r in rows[1:]] == ["0", "1"]
    os.remove(path)


def test_tensorboard_closes_its_event_files_when_fit_fails(tmp_path):
    log_dir = str(tmp_path / "logs")
    board = callbacks.TensorBoard(log_dir)
    failing_fit("callback", tmp_path, [board])
    event_files = [os.path.join(root, name) for root, _, names in os.walk(log_dir)
                   for name in names]
    assert event_files
    assert not {os.path.realpath(p) for p in event_files} & open_paths()
    assert board._writers == {}


def test_files_are_closed_when_a_later_callback_fails_in_on_train_begin(tmp_path):
    class FailsToStart(callbacks.Callback):
        def on_train_begin(self, logs=None):
            raise RuntimeError("cannot start")

    path = str(tmp_path / "log.csv")
    logger = callbacks.CSVLogger(path)
    x, y = regression_data(16)
    model = adam_model()
    with pytest.raises(RuntimeError, match="cannot start"):
        model.fit(x, y, verbose=0, callbacks=[logger, FailsToStart()])
    assert logger.csv_file is None and os.path.realpath(path) not in open_paths()


def test_a_failing_release_does_not_hide_the_error_that_stopped_fit(tmp_path):
    class BadRelease(callbacks.Callback):
        def _on_train_abort(self):
            raise OSError("disk gone")

    logger = callbacks.CSVLogger(str(tmp_path / "log.csv"))
    x, y = regression_data(16)
    model = adam_model()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RuntimeError, match="the callback failed"):
            model.fit(x, y, epochs=3, verbose=0, callbacks=[
                BadRelease(), logger, RaiseAtEpoch(1, RuntimeError("the callback failed"))])
    assert logger.csv_file is None  # released after the one that failed to
    assert any("BadRelease could not release its resources after fit() failed: "
               "OSError('disk gone')" in str(w.message) for w in caught)
