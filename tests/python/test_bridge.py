"""torkeras.bridge: the Python side of the R package."""


import numpy as np
import pytest

import torkeras as keras
from torkeras import bridge
from torkeras.bridge import blas


def fortran_readonly(a):
    """An array laid out the way reticulate hands over R memory."""
    a = np.asfortranarray(a)
    a.flags.writeable = False
    return a


def test_from_r_makes_floats_floatx_and_c_ordered():
    x = fortran_readonly(np.arange(6, dtype="float64").reshape(2, 3))
    out = bridge.from_r(x)
    assert out.dtype == np.float32
    assert out.flags.c_contiguous and out.flags.writeable
    np.testing.assert_array_equal(out, [[0, 1, 2], [3, 4, 5]])
    assert bridge.from_r(x, floatx="float64").dtype == np.float64


def test_from_r_keeps_integer_labels_and_copies_readonly_memory():
    y = fortran_readonly(np.array([3, 1, 2], dtype="int32"))
    out = bridge.from_r(y)
    assert out.dtype == np.int32
    assert out.flags.writeable
    np.testing.assert_array_equal(out, [3, 1, 2])
    # a writable C-ordered array passes through without a copy
    z = np.zeros((2, 2), dtype="int32")
    assert bridge.from_r(z) is z


def test_from_r_converts_nested_structures():
    data = {"a": [np.ones(2), (np.zeros(1, dtype="int32"),)], "b": None, "c": "text"}
    out = bridge.from_r(data)
    assert out["a"][0].dtype == np.float32
    assert isinstance(out["a"][1], tuple) and out["a"][1][0].dtype == np.int32
    assert out["b"] is None and out["c"] == "text"


def small_model(units=2):
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(units)(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return model


def test_fit_returns_params_and_float_metrics():
    keras.config.set_random_seed(0)
    x = np.random.rand(20, 3)  # float64, as from R
    y = np.random.rand(20, 2)
    result = bridge.fit(small_model(), x, y, batch_size=5, epochs=2, verbose=0,
                        validation_data=[x[:4], y[:4]])
    assert result["params"]["epochs"] == 2
    assert result["params"]["steps"] == 4
    assert list(result["metrics"]) == ["loss", "mae", "val_loss", "val_mae"]
    assert all(isinstance(v, float) for vals in result["metrics"].values() for v in vals)
    assert all(len(vals) == 2 for vals in result["metrics"].values())


def test_evaluate_is_a_dict_matching_predict():
    keras.config.set_random_seed(0)
    model = small_model()
    x = np.random.rand(8, 3)
    y = np.random.rand(8, 2)
    logs = bridge.evaluate(model, x, y, batch_size=8, verbose=0)
    pred = bridge.predict(model, x, verbose=0)
    assert set(logs) == {"loss", "mae"}
    assert logs["loss"] == pytest.approx(float(np.mean((pred - y) ** 2)), rel=1e-5)
    assert logs["mae"] == pytest.approx(float(np.mean(np.abs(pred - y))), rel=1e-5)


def test_summary_text_is_the_summary_table():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(64),
                              keras.layers.Dense(10)])
    text = bridge.summary_text(model)
    assert "Total params: 906 (3.54 KB)" in text
    assert text.count("\n") > 5


# Debian's dataset-fashion-mnist is installed by `make test` (scripts/setup.sh).
def test_load_dataset_layout():
    data = bridge.load_dataset("fashion_mnist")
    assert list(data) == ["train", "test"]
    assert data["train"]["x"].shape == (60000, 28, 28)
    assert data["test"]["y"].shape == (10000,)


def test_blas_configure_in_a_plain_python_process_keeps_torch_blas():
    assert blas.configure() == "torch"
