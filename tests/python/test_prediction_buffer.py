"""predict() writes batches into preallocated arrays when the row count is known
(trainers/prediction_buffer.py; issue 9, item 11), with the same results as
concatenating them."""

import gc
import os

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras.trainers.prediction_buffer import PredictionBuffer, concatenate_outputs


def _two_outputs():
    inputs = keras.Input((4,), name="x")
    a = keras.layers.Dense(3, name="a")(inputs)
    b = keras.layers.Dense(2, name="b")(inputs)
    return keras.Model(inputs, {"a": a, "b": b})


def test_buffer_equals_concatenation_for_nested_outputs():
    batches = [{"a": torch.full((4, 3), float(i)), "b": [torch.arange(4) + i, np.ones((4, 2))]}
               for i in range(3)]
    batches.append({"a": torch.full((1, 3), 9.0), "b": [torch.arange(1), np.zeros((1, 2))]})
    buffer = PredictionBuffer(rows=13)
    for batch in batches:
        buffer.add(batch)
    result, expected = buffer.result(), concatenate_outputs(batches)
    assert buffer._arrays is not None  # preallocated
    assert list(result) == ["a", "b"]
    np.testing.assert_array_equal(result["a"], expected["a"])
    np.testing.assert_array_equal(result["b"][0], expected["b"][0])
    np.testing.assert_array_equal(result["b"][1], expected["b"][1])
    assert result["b"][0].dtype == np.int64 and result["a"].dtype == np.float32


def test_buffer_falls_back_when_batches_do_not_fit():
    # more rows than announced, then a different trailing shape: both end up
    # concatenated as Keras would
    buffer = PredictionBuffer(rows=3)
    buffer.add(torch.ones(2, 2))
    buffer.add(torch.zeros(2, 2))
    np.testing.assert_array_equal(buffer.result(), np.array([[1, 1], [1, 1], [0, 0], [0, 0]],
                                                            dtype=np.float32))
    buffer = PredictionBuffer(rows=4)
    buffer.add(torch.ones(2, 2))
    buffer.add(torch.ones(2, 3))
    with pytest.raises(ValueError):  # numpy's refusal, as before
        buffer.result()
    # outputs without a batch dimension are kept as they come
    buffer = PredictionBuffer(rows=4)
    buffer.add(torch.tensor(1.0))
    assert buffer._arrays is None and not buffer.empty


def test_predict_results_are_unchanged():
    model = _two_outputs()
    x = np.random.default_rng(0).random((70, 4)).astype("float32")
    out = model.predict(x, batch_size=16, verbose=0)
    direct = model(torch.from_numpy(x))
    np.testing.assert_allclose(out["a"], direct["a"].detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(out["b"], direct["b"].detach().numpy(), rtol=1e-6)
    # steps stops early: only the rows predicted
    out = model.predict(x, batch_size=16, steps=2, verbose=0)
    assert out["a"].shape == (32, 3)
    # a generator (rows unknown) gives the same values
    gen = ((x[i:i + 16],) for i in range(0, 70, 16))
    streamed = model.predict(gen, verbose=0)
    np.testing.assert_allclose(streamed["a"], direct["a"].detach().numpy(), rtol=1e-6)


def _status_bytes(key):
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith(key + ":"))
    return int(line.split()[1]) * 1024


@pytest.mark.skipif(not os.access("/proc/self/clear_refs", os.W_OK),
                    reason="needs Linux's /proc/self/clear_refs to reset the peak memory")
def test_predict_holds_the_predictions_once():
    inputs = keras.Input((64,))
    model = keras.Model(inputs, keras.layers.Dense(64)(inputs))
    x = np.ones((160000, 64), "float32")  # predictions: 41 MB
    model.predict(x[:20000], batch_size=256, verbose=0)
    gc.collect()
    before = _status_bytes("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM := VmRSS
    out = model.predict(x, batch_size=256, verbose=0)
    peak_extra = _status_bytes("VmHWM") - before
    # keeping every batch and concatenating them peaked at twice the
    # predictions (measured 2.0x)
    assert peak_extra < 1.4 * out.nbytes
