"""TensorBoard callback and the event-file writer, read back by tensorboard's
own reader (the `tensorboard` package is a test-only dependency)."""

import glob
import os
import struct

import numpy as np
import pytest

import torkeras as keras
from torkeras.utils import tensorboard_writer as tbw

event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.event_accumulator")


def _accumulator(directory):
    acc = event_accumulator.EventAccumulator(
        directory, size_guidance={event_accumulator.SCALARS: 0,
                                  event_accumulator.HISTOGRAMS: 0})
    acc.Reload()
    return acc


def _scalars(acc, tag):
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def _model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    return model


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 1).astype("int64")
    return x, y


# ---- crc32c and record framing ---------------------------------------------------

def test_crc32c_known_vectors():
    # The check value of CRC-32C, and RFC 3720's iSCSI test vectors.
    assert tbw.crc32c(b"123456789") == 0xE3069283
    assert tbw.crc32c(b"") == 0
    assert tbw.crc32c(bytes(32)) == 0x8A9136AA
    assert tbw.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert tbw.crc32c(bytes(range(32))) == 0x46DD794E


def test_masked_crc_and_record_layout():
    data = b"hello"
    record = tbw.tfrecord(data)
    assert len(record) == 8 + 4 + len(data) + 4
    assert struct.unpack("<Q", record[:8])[0] == len(data)
    crc = tbw.crc32c(data)
    masked = ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF
    assert struct.unpack("<I", record[-4:])[0] == masked == tbw.masked_crc32c(data)
    assert record[12:-4] == data


def test_events_parse_as_protobuf(tmp_path):
    from tensorboard.compat.proto import event_pb2
    w = tbw.EventFileWriter(str(tmp_path))
    w.add_scalar("loss", 0.25, step=7, wall_time=123.5)
    w.add_histogram("w", [-1.0, 0.0, 2.0, 2.0], step=-3)
    w.close()
    raw = open(w.path, "rb").read()
    events = []
    while raw:
        (n,) = struct.unpack("<Q", raw[:8])
        events.append(event_pb2.Event.FromString(raw[12:12 + n]))
        raw = raw[12 + n + 4:]
    assert events[0].file_version == "brain.Event:2"
    assert events[1].wall_time == 123.5 and events[1].step == 7
    assert events[1].summary.value[0].tag == "loss"
    assert events[1].summary.value[0].simple_value == 0.25
    h = events[2].summary.value[0].histo
    assert events[2].step == -3
    assert (h.min, h.max, h.num, h.sum, h.sum_squares) == (-1.0, 2.0, 4.0, 3.0, 9.0)
    assert len(h.bucket_limit) == len(h.bucket) == 30
    assert sum(h.bucket) == 4 and h.bucket_limit[-1] == 2.0


def test_reader_detects_corruption(tmp_path):
    from tensorboard.compat.tensorflow_stub import errors
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
    w = tbw.EventFileWriter(str(tmp_path))
    w.add_scalar("loss", 1.0, step=1)
    w.close()
    raw = bytearray(open(w.path, "rb").read())
    raw[-6] ^= 0x01  # flip one bit in the last event's data
    bad = tmp_path / "bad" / "events.out.tfevents.0.x"
    bad.parent.mkdir()
    bad.write_bytes(bytes(raw))
    reader = PyRecordReader_New(str(bad))
    reader.GetNext()
    with pytest.raises(errors.DataLossError):
        reader.GetNext()


# ---- the callback ---------------------------------------------------------------------

def test_epoch_scalars_equal_history(tmp_path):
    x, y = _data()
    model = _model()
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path))
    history = model.fit(x, y, epochs=3, batch_size=16, validation_data=(x[:32], y[:32]),
                        callbacks=[tb], verbose=0)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    files = glob.glob(str(tmp_path / "train" / "events.out.tfevents.*.v2"))
    assert len(files) == 1
    train = _accumulator(str(tmp_path / "train"))
    val = _accumulator(str(tmp_path / "validation"))
    assert set(train.Tags()["scalars"]) == {"epoch_loss", "epoch_sparse_categorical_accuracy",
                                            "epoch_learning_rate"}
    for name in ("loss", "sparse_categorical_accuracy"):
        steps, values = zip(*_scalars(train, "epoch_" + name))
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history.history[name], rtol=1e-6)
        steps, values = zip(*_scalars(val, "epoch_" + name))
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history.history["val_" + name], rtol=1e-6)
    assert [v for _, v in _scalars(train, "epoch_learning_rate")] == pytest.approx([0.05] * 3)
    # Validation inside fit also logs against the optimizer's iteration count.
    steps, values = zip(*_scalars(val, "evaluation_loss_vs_iterations"))
    assert steps == (4, 8, 12)
    np.testing.assert_allclose(values, history.history["val_loss"], rtol=1e-6)
    assert not train.Tags()["histograms"]


def test_batch_scalars_every_n_batches(tmp_path):
    x, y = _data()
    batch_losses = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batch_losses.append(logs["loss"])

    model = _model()
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=3)
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[tb, Record()], verbose=0)
    train = _accumulator(str(tmp_path / "train"))
    steps, values = zip(*_scalars(train, "batch_loss"))
    assert steps == (3, 6)  # 8 batches in all, written every 3rd
    np.testing.assert_allclose(values, [batch_losses[2], batch_losses[5]], rtol=1e-6)
    assert not os.path.exists(tmp_path / "validation")


def test_update_freq_batch_writes_each_batch(tmp_path):
    x, y = _data(32)
    model = _model()
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq="batch")
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[tb], verbose=0)
    train = _accumulator(str(tmp_path / "train"))
    assert [s for s, _ in _scalars(train, "batch_loss")] == [1, 2, 3, 4]
    assert [s for s, _ in _scalars(train, "batch_sparse_categorical_accuracy")] == [1, 2, 3, 4]


def test_weight_histograms(tmp_path):
    x, y = _data()
    model = _model()
    tb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=2)
    model.fit(x, y, epochs=3, batch_size=16, callbacks=[tb], verbose=0)
    train = _accumulator(str(tmp_path / "train"))
    tags = train.Tags()["histograms"]
    assert len(tags) == 4 and all(t.endswith("/histogram") for t in tags)
    kernel_tag = [t for t in tags if "kernel" in t and model.layers[0].name in t][0]
    events = train.Histograms(kernel_tag)
    assert [e.step for e in events] == [0, 2]
    kernel = model.layers[0].kernel.numpy()
    last = events[-1].histogram_value
    assert last.num == kernel.size
    assert last.min == pytest.approx(kernel.min()) and last.max == pytest.approx(kernel.max())
    assert last.sum == pytest.approx(float(kernel.astype("float64").sum()), rel=1e-5)


def test_argument_checks():
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq="sometimes")
    with pytest.raises(ValueError, match="update_freq"):
        keras.callbacks.TensorBoard(update_freq=0)
    assert keras.callbacks.TensorBoard(update_freq=5.0).update_freq == 5
    assert keras.callbacks.TensorBoard(update_freq="batch").update_freq == 1
    with pytest.warns(UserWarning, match="embeddings_freq"):
        keras.callbacks.TensorBoard(embeddings_freq=1)
