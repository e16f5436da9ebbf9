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


@pytest.fixture
def blocked_copies(monkeypatch):
    """Makes small arrays take the threaded path, in blocks of a few rows (so
    tasks of uneven lengths and short last blocks are exercised)."""
    from torkeras.bridge import data
    monkeypatch.setattr(data, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(data, "_BLOCK_BYTES", 100)
    return data


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_blocked_copy_of_r_arrays_equals_numpy(blocked_copies, threads):
    rng = np.random.default_rng(0)
    cases = [
        (fortran_readonly(rng.normal(size=(23, 7))), np.float32),           # doubles -> floatx
        (fortran_readonly(rng.normal(size=(17, 4, 5))), np.float32),        # a 3-d array
        (fortran_readonly(rng.integers(-50, 50, size=(19, 6)).astype("int32")), np.int32),
        (fortran_readonly(rng.random((13, 5)) > 0.5), np.bool_),             # a logical matrix
        (fortran_readonly(rng.normal(size=(11, 3))), np.float64),            # floatx float64
        (fortran_readonly(np.arange(9.0)), np.float32),                      # a vector
    ]
    for a, dtype in cases:
        out = blocked_copies.c_ordered_copy(a, dtype, threads=threads)
        expected = np.ascontiguousarray(a.astype(dtype))
        assert out.dtype == dtype and out.shape == a.shape
        assert out.flags.c_contiguous and out.flags.writeable
        np.testing.assert_array_equal(out, expected)
    # element [i, j, k] is R's x[i + 1, j + 1, k + 1]: column-major offset into R's memory
    r_memory = np.arange(2 * 3 * 4, dtype="float64") + 1
    x = fortran_readonly(r_memory.reshape((2, 3, 4), order="F"))
    out = blocked_copies.c_ordered_copy(x, np.float32, threads=threads)
    assert out[1, 2, 3] == r_memory[1 + 2 * 2 + 3 * 6] == 24


def test_from_r_takes_the_blocked_path_with_exact_values(blocked_copies):
    x = fortran_readonly(np.arange(40 * 6, dtype="float64").reshape(40, 6) / 8)
    out = bridge.from_r(x)
    assert out.dtype == np.float32 and out.flags.c_contiguous
    np.testing.assert_array_equal(out, np.arange(40 * 6).reshape(40, 6) / 8)
    labels = fortran_readonly(np.array([[1, 2], [3, 4], [5, 6], [7, 8]], dtype="int32"))
    got = bridge.from_r(labels)
    assert got.dtype == np.int32 and got.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    # a writable F-ordered float array of the right type becomes C-ordered too
    f = np.asfortranarray(np.ones((5, 3), dtype="float32") * [1, 2, 3])
    assert bridge.from_r(f).flags.c_contiguous
    np.testing.assert_array_equal(bridge.from_r(f), f)


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
