"""Built-in callbacks: EarlyStopping, ModelCheckpoint, BackupAndRestore,
CSVLogger, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN,
LambdaCallback, SwapEMAWeights — with the numbers Keras gives."""

import csv
import os

import numpy as np
import pytest

import torkeras as keras
from torkeras import callbacks, layers


def regression_data(n=32, d=3, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, d).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3).astype("float32")
    return x, y


def dense_model(optimizer=None, d=3):
    model = keras.Sequential([layers.Dense(4, activation="relu", input_shape=(d,)),
                              layers.Dense(1)])
    model.compile(optimizer=optimizer or keras.optimizers.SGD(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    return model


class InjectLogs(callbacks.Callback):
    """Overwrites `key` in the epoch logs with a fixed sequence, before the
    callbacks that follow it see the logs."""

    def __init__(self, key, values):
        super().__init__()
        self.key, self.values = key, list(values)

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]


class WeightsPerEpoch(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.weights = {}
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append(epoch)

    def on_epoch_end(self, epoch, logs=None):
        self.weights[epoch] = self.model.get_weights()


def run_early_stopping(seq, key="val_loss", epochs=None, **kwargs):
    x, y = regression_data()
    model = dense_model()
    es = callbacks.EarlyStopping(monitor=key, **kwargs)
    history = model.fit(x, y, epochs=epochs or len(seq), batch_size=8, verbose=0,
                        callbacks=[InjectLogs(key, seq), es])
    return es, history, model


# -- EarlyStopping ----------------------------------------------------------------
def test_early_stopping_patience_stops_at_computed_epoch(capsys):
    es, history, _ = run_early_stopping([1.0, 0.9, 0.95, 0.97, 0.96, 0.5, 0.4], patience=2,
                                        verbose=1)
    # best at epoch 1; epochs 2 and 3 do not improve -> stop after epoch 3
    assert len(history.history["loss"]) == 4
    assert es.stopped_epoch == 3 and es.best == 0.9 and es.best_epoch == 1
    assert "Epoch 4: early stopping" in capsys.readouterr().out


def test_early_stopping_patience_zero_stops_on_first_non_improvement():
    es, history, _ = run_early_stopping([1.0, 0.8, 0.8, 0.5], patience=0)
    assert len(history.history["loss"]) == 3 and es.stopped_epoch == 2


def test_early_stopping_min_delta():
    # 0.995 and 0.99 are within 0.01 of 1.0: no improvement
    es, history, _ = run_early_stopping([1.0, 0.995, 0.99, 0.5], patience=1, min_delta=0.01)
    assert len(history.history["loss"]) == 2 and es.stopped_epoch == 1
    es, history, _ = run_early_stopping([1.0, 0.98, 0.96, 0.94], patience=1, min_delta=0.01)
    assert len(history.history["loss"]) == 4 and es.stopped_epoch == 0


def test_early_stopping_mode_max_and_auto_for_accuracy():
    for mode in ("max", "auto"):
        es, history, _ = run_early_stopping([0.5, 0.6, 0.55, 0.58, 0.7], key="val_accuracy",
                                            patience=1, mode=mode)
        assert len(history.history["loss"]) == 3, mode
    es, history, _ = run_early_stopping([0.5, 0.6, 0.55, 0.58, 0.7], key="val_loss",
                                        patience=1, mode="min")
    assert len(history.history["loss"]) == 2


def test_early_stopping_auto_mode_minimizes_a_compiled_error_metric():
    # "mae" is compiled: Keras minimizes it
    es, history, _ = run_early_stopping([0.5, 0.4, 0.45, 0.3], key="val_mae", patience=1)
    assert len(history.history["loss"]) == 3 and es.best == 0.4


def test_early_stopping_auto_mode_unknown_metric_is_an_error():
    with pytest.raises(ValueError, match="automatically determine"):
        run_early_stopping([1.0, 2.0], key="val_wobble")


def test_early_stopping_baseline():
    # never beats the 0.5 baseline: stops once patience epochs have passed
    es, history, _ = run_early_stopping([0.8, 0.9, 0.9, 0.9], patience=2, baseline=0.5)
    assert len(history.history["loss"]) == 2 and es.stopped_epoch == 1
    # beating the baseline resets the wait
    es, history, _ = run_early_stopping([0.8, 0.4, 0.45, 0.45, 0.45], patience=2, baseline=0.5)
    assert len(history.history["loss"]) == 4 and es.stopped_epoch == 3


def test_early_stopping_start_from_epoch():
    es, history, _ = run_early_stopping([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], patience=0,
                                        start_from_epoch=2)
    # epochs 0 and 1 are ignored; epoch 2 sets the best; epoch 3 is worse
    assert len(history.history["loss"]) == 4 and es.best == 3.0


def test_early_stopping_missing_monitor_warns_and_trains_on():
    x, y = regression_data()
    model = dense_model()
    with pytest.warns(UserWarning, match="not available"):
        history = model.fit(x, y, epochs=3, verbose=0,
                            callbacks=[callbacks.EarlyStopping(monitor="val_loss")])
    assert len(history.history["loss"]) == 3


def test_early_stopping_on_real_training_loss():
    # lr 0: the loss never changes, so patience 1 stops after epoch 1
    x, y = regression_data()
    model = dense_model(keras.optimizers.SGD(learning_rate=0.0))
    # (no shuffling: a different batch order could change the mean in the last bit)
    history = model.fit(x, y, epochs=10, verbose=0, shuffle=False,
                        callbacks=[callbacks.EarlyStopping(monitor="loss", patience=1)])
    assert len(history.history["loss"]) == 2


def test_restore_best_weights(capsys):
    x, y = regression_data()
    model = dense_model()
    record = WeightsPerEpoch()
    es = callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    model.fit(x, y, epochs=10, batch_size=8, verbose=0,
              callbacks=[InjectLogs("val_loss", [1.0, 0.5, 0.7, 0.8, 0.9, 0.1]), record, es])
    assert record.epochs == [0, 1, 2, 3]
    for got, want in zip(model.get_weights(), record.weights[1]):
        np.testing.assert_array_equal(got, want)
    assert not np.allclose(record.weights[1][0], record.weights[3][0])
    out = capsys.readouterr().out
    assert "Epoch 4: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_early_stopping_instance_reused_across_fits():
    x, y = regression_data()
    model = dense_model()
    es = callbacks.EarlyStopping(patience=1)
    for _ in range(2):
        history = model.fit(x, y, epochs=5, verbose=0,
                            callbacks=[InjectLogs("val_loss", [1.0, 1.0, 1.0, 1.0, 1.0]), es])
        assert len(history.history["loss"]) == 2


# -- CSVLogger --------------------------------------------------------------------
def read_csv(path, sep=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=sep))


def test_csv_logger_rows_equal_history(tmp_path):
    x, y = regression_data()
    path = tmp_path / "log.csv"
    model = dense_model()
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, validation_split=0.25,
                        callbacks=[callbacks.CSVLogger(str(path))])
    rows = read_csv(path)
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert len(rows) == 4
    for i, row in enumerate(rows[1:]):
        assert int(row[0]) == i
        for key, value in zip(rows[0][1:], row[1:]):
            assert float(value) == history.history[key][i]


def test_csv_logger_append_and_separator(tmp_path):
    x, y = regression_data()
    path = tmp_path / "log.tsv"
    model = dense_model()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[callbacks.CSVLogger(path, separator="\t")])
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[callbacks.CSVLogger(path, separator="\t", append=True)])
    rows = read_csv(path, "\t")
    assert rows[0] == ["epoch", "loss", "mae"] and len(rows) == 4
    assert [r[0] for r in rows[1:]] == ["0", "1", "0"]
    # without append the file is rewritten
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callbacks.CSVLogger(path, separator="\t")])
    assert len(read_csv(path, "\t")) == 2


# -- ReduceLROnPlateau / LearningRateScheduler ----------------------------------------
def zero_data():
    # zero inputs and targets: gradients are zero whatever the learning rate
    return np.zeros((16, 3), "float32"), np.zeros((16, 1), "float32")


def test_reduce_lr_on_plateau_values(capsys):
    x, y = zero_data()
    model = dense_model(keras.optimizers.SGD(learning_rate=1.0))
    cb = callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, cooldown=1,
                                     min_lr=0.2, verbose=1)
    history = model.fit(x, y, epochs=9, verbose=0,
                        callbacks=[InjectLogs("val_loss", [1.0] * 9), cb])
    assert history.history["learning_rate"] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]
    assert model.optimizer.learning_rate == 0.2
    out = capsys.readouterr().out
    assert "Epoch 3: ReduceLROnPlateau reducing learning rate to 0.5." in out
    assert "Epoch 7: ReduceLROnPlateau reducing learning rate to 0.2." in out


def test_reduce_lr_on_plateau_improvement_resets_wait():
    x, y = zero_data()
    model = dense_model(keras.optimizers.SGD(learning_rate=1.0))
    cb = callbacks.ReduceLROnPlateau(factor=0.1, patience=2, min_delta=0.01)
    # 0.995 is not an improvement over 1.0 by min_delta; 0.5 is
    history = model.fit(x, y, epochs=5, verbose=0,
                        callbacks=[InjectLogs("val_loss", [1.0, 0.995, 0.5, 0.5, 0.5]), cb])
    assert history.history["learning_rate"] == pytest.approx([1.0, 1.0, 1.0, 1.0, 1.0])
    assert model.optimizer.learning_rate == pytest.approx(0.1)
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.0)


def test_learning_rate_scheduler_values(capsys):
    x, y = zero_data()
    model = dense_model(keras.optimizers.SGD(learning_rate=0.1))
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, lr))
        return lr if epoch < 2 else lr * 0.5

    history = model.fit(x, y, epochs=4, verbose=0,
                        callbacks=[callbacks.LearningRateScheduler(schedule, verbose=1)])
    assert [e for e, _ in seen] == [0, 1, 2, 3]
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.05, 0.025])
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.05." in capsys.readouterr().out
    # the one-argument form
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[
        callbacks.LearningRateScheduler(lambda epoch: 1.0 / (epoch + 1))])
    assert history.history["learning_rate"] == pytest.approx([1.0, 0.5, 1 / 3])


def test_learning_rate_scheduler_rate_is_used():
    x, y = regression_data()
    model = dense_model()
    before = model.get_weights() if model.built else None
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: 0.0)])
    after = model.get_weights()
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: 0.0)])
    for a, b in zip(after, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert before is None or len(before) == len(after)
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(x, y, epochs=1, verbose=0,
                  callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: "fast")])


# -- TerminateOnNaN / LambdaCallback ---------------------------------------------------
def test_terminate_on_nan(capsys):
    x, y = regression_data(n=32)
    # the third batch of 4 overflows float32 (fit refuses NaN inputs up front):
    # its squared error (1e30)^2 is inf whatever the weights are
    y[8:12] = 1e30
    model = dense_model()
    batches = []
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0, callbacks=[
        callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b)),
        callbacks.TerminateOnNaN()])
    assert batches == [0, 1, 2]
    assert len(history.history["loss"]) == 1 and not np.isfinite(history.history["loss"][0])
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_lambda_callback_hooks():
    x, y = regression_data(n=16)
    events = []
    cb = callbacks.LambdaCallback(
        on_train_begin=lambda logs: events.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: events.append(("epoch_begin", epoch)),
        on_train_batch_begin=lambda batch, logs: events.append(("batch_begin", batch)),
        on_train_batch_end=lambda batch, logs: events.append(("batch_end", batch,
                                                              sorted(logs))),
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, sorted(logs))),
        on_train_end=lambda logs: events.append("train_end"),
        on_test_begin=lambda logs: events.append("test_begin"))
    model = dense_model()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[cb],
              validation_data=(x, y))
    keys = ["loss", "mae"]
    epoch = lambda e: [("epoch_begin", e), ("batch_begin", 0), ("batch_end", 0, keys),
                       ("batch_begin", 1), ("batch_end", 1, keys), "test_begin",
                       ("epoch_end", e, keys + ["val_loss", "val_mae"])]
    assert events == ["train_begin"] + epoch(0) + epoch(1) + ["train_end"]


# -- SwapEMAWeights -----------------------------------------------------------------
def ema_model():
    keras.utils.set_random_seed(3) if hasattr(keras.utils, "set_random_seed") else None
    return dense_model(keras.optimizers.SGD(learning_rate=0.05, use_ema=True, ema_momentum=0.5))


def test_swap_ema_weights_around_evaluation():
    x, y = regression_data()
    model = ema_model()
    model.fit(x, y, epochs=1, verbose=0)  # fit ends with the EMA values in the model
    opt = model.optimizer
    # make model weights and averages differ
    model.set_weights([w + 1.0 for w in model.get_weights()])
    raw = model.get_weights()
    averages = [a.numpy() for a in opt._model_variables_moving_average]
    cb = callbacks.SwapEMAWeights()
    cb.set_model(model)
    seen = []
    probe = callbacks.LambdaCallback(on_test_begin=lambda logs: seen.append(model.get_weights()))
    model.evaluate(x, y, verbose=0, callbacks=[cb, probe])
    for got, want in zip(seen[0], averages):
        np.testing.assert_allclose(got, want)
    for got, want in zip(model.get_weights(), raw):
        np.testing.assert_allclose(got, want)
    ema_loss = model.evaluate(x, y, verbose=0, callbacks=[cb])
    model.set_weights(averages)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(ema_loss)


def test_swap_ema_on_epoch_keeps_training_identical():
    x, y = regression_data()
    init = None
    finals = []
    for cbs in ([], [callbacks.SwapEMAWeights(swap_on_epoch=True)]):
        model = ema_model()
        model.build((None, 3))
        if init is None:
            init = model.get_weights()
        model.set_weights(init)
        model.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                  validation_data=(x, y), callbacks=cbs)
        finals.append(model.get_weights())
    for a, b in zip(*finals):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_swap_ema_requires_use_ema():
    x, y = regression_data()
    model = dense_model()
    with pytest.raises(ValueError, match="use_ema=True"):
        model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                  callbacks=[callbacks.SwapEMAWeights()])


# -- ModelCheckpoint (uses model.save / model.save_weights) -----------------------------
def test_model_checkpoint_templates_and_messages(tmp_path, capsys):
    x, y = regression_data()
    model = dense_model()
    template = str(tmp_path / "model_{epoch}-{loss:.2f}-{val_loss:.4f}.keras")
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, validation_split=0.25,
                        callbacks=[callbacks.ModelCheckpoint(template, verbose=1)])
    h = history.history
    expected = sorted(f"model_{e + 1}-{h['loss'][e]:.2f}-{h['val_loss'][e]:.4f}.keras"
                      for e in range(3))
    assert sorted(os.listdir(tmp_path)) == expected
    out = capsys.readouterr().out
    assert f"\nEpoch 1: saving model to {tmp_path / expected[0]}" in out
    # the last checkpoint holds the final weights
    loaded = keras.models.load_model(str(tmp_path / sorted(expected)[-1]))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_model_checkpoint_save_best_only(tmp_path, capsys):
    x, y = regression_data()
    model = dense_model()
    seq = [0.5, 0.4, 0.45, 0.3, 0.35]
    cb = callbacks.ModelCheckpoint(str(tmp_path / "best_{epoch}.keras"), monitor="val_loss",
                                   save_best_only=True, verbose=1)
    model.fit(x, y, epochs=5, verbose=0, callbacks=[InjectLogs("val_loss", seq), cb])
    assert sorted(os.listdir(tmp_path)) == ["best_1.keras", "best_2.keras", "best_4.keras"]
    out = capsys.readouterr().out
    path = lambda e: tmp_path / f"best_{e}.keras"
    assert f"\nEpoch 1: val_loss improved from inf to 0.50000, saving model to {path(1)}" in out
    assert f"\nEpoch 2: val_loss improved from 0.50000 to 0.40000, saving model to {path(2)}" in out
    assert "\nEpoch 3: val_loss did not improve from 0.40000" in out
    assert cb.best == 0.3
    # initial_value_threshold and mode max
    for sub, kwargs, want in (("thr", dict(initial_value_threshold=0.42), ["b_2.keras", "b_4.keras"]),
                              ("max", dict(mode="max"), ["b_1.keras"])):
        d = tmp_path / sub
        model.fit(x, y, epochs=5, verbose=0, callbacks=[InjectLogs("val_loss", seq),
                  callbacks.ModelCheckpoint(str(d / "b_{epoch}.keras"), save_best_only=True,
                                            **kwargs)])
        assert sorted(os.listdir(d)) == want, sub


def test_model_checkpoint_weights_only_and_fixed_path(tmp_path):
    x, y = regression_data()
    model = dense_model()
    path = str(tmp_path / "ckpt.weights.h5")
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[callbacks.ModelCheckpoint(path, save_weights_only=True)])
    assert os.listdir(tmp_path) == ["ckpt.weights.h5"]
    fresh = dense_model()
    fresh.build((None, 3))
    fresh.load_weights(path)
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=".weights.h5"):
        callbacks.ModelCheckpoint(str(tmp_path / "x.keras"), save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ModelCheckpoint(str(tmp_path / "x.keras"), save_freq="batch")


def test_model_checkpoint_save_freq_batches(tmp_path):
    x, y = regression_data(n=40)
    model = dense_model()
    losses = []
    # 40 samples / batch 8 = 5 batches per epoch; 2 epochs = 10 batches: saves after 3, 6, 9
    template = str(tmp_path / "m-{epoch}-{batch}-{loss:.3f}.keras")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[
        callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: losses.append(logs["loss"])),
        callbacks.ModelCheckpoint(template, save_freq=3)])
    expected = sorted([f"m-1-3-{losses[2]:.3f}.keras", f"m-2-1-{losses[5]:.3f}.keras",
                       f"m-2-4-{losses[8]:.3f}.keras"])
    assert sorted(os.listdir(tmp_path)) == expected


def test_guide_fault_tolerance_make_or_restore_model(tmp_path):
    x, y = regression_data(n=64)
    checkpoint_dir = str(tmp_path / "ckpt")
    os.makedirs(checkpoint_dir)

    def make_or_restore_model():
        checkpoints = [checkpoint_dir + "/" + name for name in os.listdir(checkpoint_dir)]
        if checkpoints:
            latest = max(checkpoints, key=os.path.getctime)
            return keras.models.load_model(latest), latest
        return dense_model(), None

    model, restored = make_or_restore_model()
    assert restored is None
    model.fit(x, y, epochs=1, batch_size=4, verbose=0, callbacks=[
        callbacks.ModelCheckpoint(checkpoint_dir + "/model-loss={loss:.2f}.keras", save_freq=5)])
    names = os.listdir(checkpoint_dir)
    assert names and all(n.startswith("model-loss=") and n.endswith(".keras") for n in names)
    model2, restored = make_or_restore_model()
    assert restored is not None
    model2.fit(x, y, epochs=1, batch_size=4, verbose=0)  # the restored model trains on


# -- BackupAndRestore -------------------------------------------------------------------
class InterruptAt(callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError(f"interrupted at epoch {epoch}")


def backup_position(backup_dir, name="latest.weights.h5"):
    """(epoch, step) recorded in a BackupAndRestore file."""
    import h5py
    with h5py.File(os.path.join(backup_dir, name), "r") as f:
        state = f["training_state"].attrs
        return int(state["epoch"]), int(state["step"])


def adam_model(init=None):
    model = dense_model(keras.optimizers.Adam(learning_rate=0.01))
    model.build((None, 3))
    if init is not None:
        model.set_weights(init)
    return model


def test_backup_and_restore_resumes_at_the_interrupted_epoch(tmp_path):
    x, y = regression_data()
    init = adam_model().get_weights()
    fit_kwargs = dict(epochs=6, batch_size=8, shuffle=False, verbose=0)

    reference = adam_model(init)
    ref_history = reference.fit(x, y, **fit_kwargs)

    backup_dir = str(tmp_path / "backup")
    model = adam_model(init)
    with pytest.raises(RuntimeError, match="interrupted at epoch 3"):
        model.fit(x, y, callbacks=[callbacks.BackupAndRestore(backup_dir), InterruptAt(3)],
                  **fit_kwargs)
    assert backup_position(backup_dir) == (3, 0)

    # a new process would build a fresh model: different weights, fresh optimizer
    resumed = adam_model()
    record = WeightsPerEpoch()
    history = resumed.fit(x, y, callbacks=[callbacks.BackupAndRestore(backup_dir), record],
                          **fit_kwargs)
    assert record.epochs == [3, 4, 5]
    assert history.history["loss"] == pytest.approx(ref_history.history["loss"][3:], rel=1e-5)
    for a, b in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert int(resumed.optimizer.iterations.numpy()) == int(reference.optimizer.iterations.numpy())
    assert not os.path.exists(backup_dir)  # deleted after a successful fit


def test_backup_and_restore_keeps_checkpoint_and_batch_freq(tmp_path):
    x, y = regression_data()
    backup_dir = str(tmp_path / "b")
    model = adam_model()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0,
              callbacks=[callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)])
    assert backup_position(backup_dir) == (2, 0)
    # a later fit with the same backup starts after epoch 2: epochs=2 runs nothing
    record = WeightsPerEpoch()
    model.fit(x, y, epochs=3, batch_size=8, verbose=0,
              callbacks=[callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False), record])
    assert record.epochs == [2]
    # save_freq in batches: interrupted mid-epoch, the backup records the batch
    backup_dir = str(tmp_path / "c")
    model = adam_model()
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=4, batch_size=8, verbose=0,
                  callbacks=[callbacks.BackupAndRestore(backup_dir, save_freq=3), InterruptAt(2)])
    # 4 batches per epoch: saves after global batches 3 (epoch 0) and 6 (epoch 1, 2 batches done)
    assert backup_position(backup_dir) == (1, 2)


def test_backup_and_restore_double_checkpoint_falls_back_to_previous(tmp_path):
    x, y = regression_data()
    backup_dir = str(tmp_path / "d")
    model = adam_model()
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[
            callbacks.BackupAndRestore(backup_dir, double_checkpoint=True), InterruptAt(3)])
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "prev.weights.h5"]
    assert backup_position(backup_dir, "prev.weights.h5") == (2, 0)
    with open(os.path.join(backup_dir, "latest.weights.h5"), "wb") as f:
        f.write(b"not an h5 file")  # the latest backup is unreadable
    record = WeightsPerEpoch()
    model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[
        callbacks.BackupAndRestore(backup_dir, double_checkpoint=True), record])
    assert record.epochs == [2, 3, 4]  # resumed from the previous backup (2 epochs done)
