"""ops.numpy beyond the Keras comparison: errors, edge cases, where torkeras
follows NumPy rather than Keras-on-torch (documented in docs/numerics.md),
symbolic use in Functional models and saving."""
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import ops
from torkeras.graph.keras_tensor import KerasTensor

rng = np.random.default_rng(7)
F = rng.standard_normal((3, 4)).astype("float32")
I = rng.integers(-5, 6, (3, 4)).astype("int32")


def np_(x):
    return ops.convert_to_numpy(x)


# -- NumPy semantics where Keras on torch falls short ----------------------------
@pytest.mark.parametrize("mode", ["reflect", "symmetric", "edge", "wrap"])
@pytest.mark.parametrize("array", [np.arange(5, dtype="float32"), I,
                                   rng.standard_normal((2, 3, 4)).astype("float32")],
                         ids=["1d", "2d_int", "3d"])
def test_pad_modes_match_numpy(mode, array):
    width = [(1, 2)] + [(2, 1)] * (array.ndim - 1)
    out = ops.pad(array, width, mode=mode)
    np.testing.assert_array_equal(np_(out), np.pad(array, width, mode=mode))
    assert ops.dtype(out) == str(array.dtype)


def test_pad_constant_value_and_broadcast_width():
    np.testing.assert_array_equal(np_(ops.pad(I, 1, constant_values=7)),
                                  np.pad(I, 1, constant_values=7))
    np.testing.assert_array_equal(np_(ops.pad(F, (1, 2))), np.pad(F, (1, 2)))


def test_pad_errors():
    with pytest.raises(ValueError, match="mode"):
        ops.pad(F, 1, mode="mean")
    with pytest.raises(ValueError, match="constant_values"):
        ops.pad(F, 1, mode="reflect", constant_values=1)
    with pytest.raises(ValueError, match="pad_width"):
        ops.pad(F, ((1, 1), (1, 1), (1, 1)))


def test_cross_uses_the_last_axis_like_numpy():
    a = rng.standard_normal((3, 3)).astype("float32")
    b = rng.standard_normal((3, 3)).astype("float32")
    np.testing.assert_allclose(np_(ops.cross(a, b)), np.cross(a, b), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(np_(ops.cross(a, b[0])), np.cross(a, b[0]), rtol=1e-6,
                               atol=1e-6)
    with pytest.raises(ValueError, match="axisa"):
        ops.cross(a, b, axisa=0)


def test_vdot_flattens_like_numpy():
    np.testing.assert_allclose(np_(ops.vdot(F, F)), np.vdot(F, F), rtol=1e-6)


def test_histogram_of_integers_and_empty_bins():
    counts, edges = ops.histogram(np.array([0, 1, 1, 2, 3], dtype="int32"), bins=3)
    ref_counts, ref_edges = np.histogram([0, 1, 1, 2, 3], bins=3)
    np.testing.assert_array_equal(np_(counts), ref_counts)
    np.testing.assert_allclose(np_(edges), ref_edges)


@pytest.mark.parametrize("kth", [0, 2, 4, -1])
def test_argpartition_partitions_floats(kth):
    x = rng.standard_normal((3, 5)).astype("float32") / 10  # |x| < 1: int32 would tie
    idx = np_(ops.argpartition(x, kth))
    part = np.take_along_axis(x, idx.astype(np.int64), axis=-1)
    k = kth % 5
    np.testing.assert_array_equal(part[:, k], np.sort(x, axis=-1)[:, k])
    assert (part[:, :k] <= part[:, k:k + 1]).all() and (part[:, k + 1:] >= part[:, k:k + 1]).all()
    flat = np_(ops.argpartition(x, 3, axis=None))
    assert flat.shape == (15,) and np.sort(x.ravel())[3] == x.ravel()[flat[3]]


def test_unique_axis_size_and_order_of_outputs():
    x = np.array([[1, 2], [3, 4], [1, 2], [0, 0]], dtype="int32")
    values, index, inverse, counts = ops.unique(x, return_index=True, return_inverse=True,
                                                return_counts=True, axis=0)
    ref = np.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=0)
    for got, want in zip((values, index, inverse, counts), ref):
        np.testing.assert_array_equal(np_(got).reshape(want.shape), want)
    padded = ops.unique(np.array([3, 1, 3]), size=4, fill_value=-1)
    np.testing.assert_array_equal(np_(padded), [1, 3, -1, -1])
    cut, n = ops.unique(np.array([3, 1, 3, 2]), size=2, return_counts=True)
    np.testing.assert_array_equal(np_(cut), [1, 2])
    np.testing.assert_array_equal(np_(n), [1, 1])


def test_bincount_2d_pads_rows_to_one_width():
    out = ops.bincount(np.array([[0, 0, 3], [1, 1, 1]], dtype="int32"))
    np.testing.assert_array_equal(np_(out), [[2, 0, 0, 1], [0, 3, 0, 0]])


# -- vectorize --------------------------------------------------------------------
def test_vectorize_elementwise_broadcasts():
    f = ops.vectorize(lambda a, b: a * 2 + b)
    out = f(torch.ones(2, 3), torch.arange(3.0))
    np.testing.assert_array_equal(np_(out), np.ones((2, 3)) * 2 + np.arange(3.0))


def test_vectorize_signature_and_excluded():
    dot = ops.vectorize(lambda a, b: torch.dot(a, b), signature="(n),(n)->()")
    a = rng.standard_normal((4, 3)).astype("float32")
    b = rng.standard_normal((3,)).astype("float32")
    np.testing.assert_allclose(np_(dot(a, b)), a @ b, rtol=1e-6)
    scale = ops.vectorize(lambda a, k: a * k, excluded={1})
    np.testing.assert_array_equal(np_(scale(torch.ones(2, 2), 3.0)), np.full((2, 2), 3.0))
    with pytest.raises(ValueError, match="pyfunc"):
        ops.vectorize(3)
    with pytest.raises(ValueError, match="signature"):
        ops.vectorize(lambda a: a, signature="n->m")


# -- errors name the argument ----------------------------------------------------------
@pytest.mark.parametrize("call, error, match", [
    (lambda: ops.histogram(F[0], bins=2.5), TypeError, "bins"),
    (lambda: ops.histogram(F[0], bins=-1), ValueError, "bins"),
    (lambda: ops.histogram(F[0], range=(1.0, 0.0)), ValueError, "range"),
    (lambda: ops.histogram(F, bins=3), ValueError, "1-D"),
    (lambda: ops.array_split(F, 0), ValueError, "indices_or_sections"),
    (lambda: ops.array_split(F, [1, 2]), TypeError, "indices_or_sections"),
    (lambda: ops.quantile(F, 0.5, method="cubic"), ValueError, "method"),
    (lambda: ops.searchsorted(F, F), ValueError, "sorted_sequence"),
    (lambda: ops.searchsorted(F[0], F, side="middle"), ValueError, "side"),
    (lambda: ops.ldexp(F, F), TypeError, "x2"),
    (lambda: ops.fabs(np.array([1j], dtype="complex64")), TypeError, "complex"),
    (lambda: ops.bincount(F), TypeError, "x"),
    (lambda: ops.bincount(np.array([1, -1])), ValueError, "negative"),
    (lambda: ops.bincount(np.array([1]), sparse=True), ValueError, "sparse"),
    (lambda: ops.select([F > 0], [F, F]), ValueError, "same length"),
    (lambda: ops.select(F > 0, [F]), ValueError, "lists"),
    (lambda: ops.rot90(F, axes=(0, 0)), ValueError, "axes"),
    (lambda: ops.rot90(F[0]), ValueError, "2-D"),
    (lambda: ops.vander(F), ValueError, "1-D"),
    (lambda: ops.vander(F[0], N=-1), ValueError, "N"),
    (lambda: ops.diag(np.zeros((2, 2, 2))), ValueError, "1-D or 2-D"),
    (lambda: ops.tri(-1), ValueError, "N"),
    (lambda: ops.logspace(0, 1, axis=1), ValueError, "axis"),
    (lambda: ops.geomspace(1, 10, num=2.5), TypeError, "num"),
    (lambda: ops.argpartition(F, 7), ValueError, "kth"),
    (lambda: ops.meshgrid(F[0], indexing="yx"), ValueError, "indexing"),
    (lambda: ops.correlate(F[0], F[0], mode="circular"), ValueError, "mode"),
    (lambda: ops.diff(F, n=-1), ValueError, "n"),
    (lambda: ops.fliplr(F[0]), ValueError, "2-D"),
    (lambda: ops.kaiser(4.5, 1.0), TypeError, "x"),
])
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_windows_refuse_symbolic_tensors():
    for fn in (ops.bartlett, ops.blackman, ops.hamming, ops.hanning):
        with pytest.raises(TypeError, match="symbolic"):
            fn(KerasTensor((), "int32"))


def test_window_edge_lengths():
    assert np_(ops.hamming(0)).shape == (0,)
    np.testing.assert_allclose(np_(ops.hanning(1)), np.hanning(1))
    np.testing.assert_allclose(np_(ops.kaiser(7, 3.0)), np.kaiser(7, 3.0), rtol=1e-6,
                               atol=1e-7)


# -- NaN reductions: edge cases ---------------------------------------------------------
def test_nan_reductions_on_all_nan_and_empty_axis():
    x = np.array([[np.nan, np.nan], [1.0, np.nan]], dtype="float32")
    assert np.isnan(np_(ops.nanmax(x, axis=1))[0])
    assert np_(ops.nanargmax(x, axis=1)).tolist() == [-1, 0]
    np.testing.assert_array_equal(np_(ops.nansum(x, axis=())), np.nan_to_num(x))
    np.testing.assert_array_equal(np_(ops.nanprod(x, axis=())), np.nan_to_num(x, nan=1.0))
    np.testing.assert_array_equal(np_(ops.nanmean(x, axis=())), x)
    np.testing.assert_allclose(np_(ops.nanstd(x, axis=0)), np.nanstd(x, axis=0))


# -- symbolic use -------------------------------------------------------------------------
def test_data_dependent_symbolic_shapes_are_unknown():
    x = keras.Input((4,))
    assert ops.nonzero(x).shape == (2, None)
    assert ops.unique(x).shape == (None,)
    values, counts = ops.unique(x, return_counts=True)
    assert values.shape == (None,) and counts.shape == (None,)
    assert ops.unique(x, size=3).shape == (3,)
    assert ops.bincount(KerasTensor((5,), "int32")).shape == (None,)
    assert ops.histogram(KerasTensor((5,)), bins=4)[0].shape == (4,)


def test_new_ops_in_a_functional_model_save_and_load(tmp_path):
    inputs = keras.Input((6,))
    h = ops.hstack([ops.median(inputs, axis=1, keepdims=True),
                    ops.ptp(inputs, axis=1, keepdims=True),
                    ops.nanmean(inputs, axis=1, keepdims=True)])
    h = ops.roll(ops.logaddexp(h, 1.0), 1, axis=1)
    outputs = keras.layers.Dense(2)(ops.append(h, ops.cbrt(inputs), axis=1))
    model = keras.Model(inputs, outputs)
    x = rng.standard_normal((5, 6)).astype("float32")
    expected = np.concatenate([np.median(x, 1, keepdims=True), np.ptp(x, 1, keepdims=True),
                               x.mean(1, keepdims=True)], axis=1)
    expected = np.roll(np.logaddexp(expected, 1.0), 1, axis=1)
    expected = np.concatenate([expected, np.cbrt(x)], axis=1)
    weights = model.layers[-1].get_weights()
    np.testing.assert_allclose(np_(model(x)), expected @ weights[0] + weights[1], rtol=1e-5,
                               atol=1e-5)
    path = str(tmp_path / "numpy_ops.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(np_(loaded(x)), np_(model(x)), rtol=1e-6, atol=1e-6)


def test_result_type_rules():
    from torkeras.ops.numpy import result_type
    assert result_type() == "float32"
    assert result_type("int8", "uint8") == "int16"
    assert result_type("bfloat16", "float16") == "float32"
    assert result_type("int32", float) == "float32"
    assert result_type("float64") == "float32"  # 64-bit narrowed, as Keras on torch
    assert result_type(torch.int16, np.dtype("int8")) == "int16"
    with pytest.raises(ValueError):
        result_type("float32", "nope")
