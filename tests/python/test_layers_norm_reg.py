"""GroupNormalization, UnitNormalization, RMSNormalization,
SpectralNormalization and AlphaDropout: Keras 3 comparison (same weights ->
same outputs and configs, Keras-written .keras files), the shared layer checks
with independent NumPy references, and error cases."""

import json
import os
import subprocess
import tempfile

import numpy as np
import pytest

import keras_reference
import torkeras as keras
from layer_test_kit import run_layer_test

L = keras.layers
ref = keras_reference.load("layers_norm_reg")


def np_(x):
    return keras.ops.convert_to_numpy(x)


def config_of(layer):
    cfg = dict(layer.get_config())
    cfg.pop("name", None)
    cfg.pop("dtype", None)
    return cfg


def keras_config(key):
    return json.loads(str(ref[key]))


def assert_config_matches(layer, key):
    ours, theirs = config_of(layer), keras_config(key)
    assert sorted(ours) == sorted(theirs)
    for k, v in theirs.items():
        if isinstance(v, dict) and "class_name" in v:
            assert ours[k]["class_name"] == v["class_name"], k
        else:
            assert ours[k] == v, k


# -- Keras comparison ---------------------------------------------------------

GROUP = {
    "g2_last": dict(groups=2), "g3_axis1": dict(groups=3, axis=1),
    "instance": dict(groups=-1), "g4_axis_m2": dict(groups=4, axis=-2, epsilon=1e-5),
    "g1_nocenter": dict(groups=1, center=False), "g2_noscale": dict(groups=2, scale=False),
}


@pytest.mark.parametrize("case", sorted(GROUP))
def test_group_normalization_matches_keras(case):
    x = ref[f"group/{case}/x"]
    layer = L.GroupNormalization(**GROUP[case])
    layer.build(x.shape)
    for w in layer.weights:
        w.assign(ref[f"group/{case}/{w.name}"])
    # Same formula as Keras (moments as mean(x^2) - mean^2, x * inv + res).
    keras_reference.assert_matches(np_(layer(x)), ref[f"group/{case}/out"], rtol=1e-6,
                                   atol=1e-6)
    assert_config_matches(layer, f"group/{case}/config")


UNIT = {"last": -1, "axes12": [1, 2], "axis1": 1}


@pytest.mark.parametrize("case", sorted(UNIT))
def test_unit_normalization_matches_keras(case):
    layer = L.UnitNormalization(axis=UNIT[case])
    out = np_(layer(ref[f"unit/{case}/x"]))
    keras_reference.assert_matches(out, ref[f"unit/{case}/out"], rtol=1e-6, atol=1e-7)
    assert np.all(out[0] == 0)
    assert_config_matches(layer, f"unit/{case}/config")


RMS = {"last": dict(), "axes12": dict(axis=[1, 2], epsilon=1e-3),
       "axes_neg": dict(axis=[-1, -2])}


@pytest.mark.parametrize("case", sorted(RMS))
def test_rms_normalization_matches_keras(case):
    x = ref[f"rms/{case}/x"]
    layer = L.RMSNormalization(**RMS[case])
    layer.build(x.shape)
    layer.scale.assign(ref[f"rms/{case}/scale"])
    keras_reference.assert_matches(np_(layer(x)), ref[f"rms/{case}/out"], rtol=1e-6,
                                   atol=1e-6)
    assert_config_matches(layer, f"rms/{case}/config")


MIXED = {"group": lambda: L.GroupNormalization(2, dtype="mixed_float16"),
         "unit": lambda: L.UnitNormalization(dtype="mixed_float16"),
         "rms": lambda: L.RMSNormalization(dtype="mixed_float16")}


@pytest.mark.parametrize("case", sorted(MIXED))
def test_mixed_float16_matches_keras(case):
    out = MIXED[case]()(ref["mixed/x"])
    theirs = ref[f"mixed/{case}"]
    assert str(out.dtype).endswith("float16") and theirs.dtype == np.float16
    # float16 results: one float16 ulp (~1e-3 relative) for rounding order.
    keras_reference.assert_matches(np_(out), theirs, rtol=2e-3, atol=2e-3)


SPECTRAL = {"dense": (lambda: L.Dense(4), 1), "conv2d_pi2": (lambda: L.Conv2D(3, 2), 2),
            "embedding": (lambda: L.Embedding(7, 3), 1)}


@pytest.mark.parametrize("case", sorted(SPECTRAL))
def test_spectral_normalization_matches_keras(case):
    make, iters = SPECTRAL[case]
    x = ref[f"spectral/{case}/x"]
    layer = L.SpectralNormalization(make(), power_iterations=iters)
    layer.build(x.shape)
    layer.kernel.assign(ref[f"spectral/{case}/kernel0"])
    layer.vector_u.assign(ref[f"spectral/{case}/u0"])
    assert layer.vector_u.trainable is False
    for step in range(3):
        out = np_(layer(x, training=True))
        # float32 power iteration over 3 steps: the same operations, summed in
        # a different order by the matmul kernels -> a few ulps.
        for what, actual in (("out", out), ("kernel", np_(layer.kernel)),
                             ("u", np_(layer.vector_u))):
            keras_reference.assert_matches(actual, ref[f"spectral/{case}/train{step}/{what}"],
                                           rtol=1e-5, atol=1e-6)
    before = np_(layer.kernel).copy()
    out = np_(layer(x, training=False))
    keras_reference.assert_matches(out, ref[f"spectral/{case}/infer/out"], rtol=1e-5,
                                   atol=1e-6)
    np.testing.assert_array_equal(np_(layer.kernel), before)
    cfg, theirs = config_of(layer), keras_config(f"spectral/{case}/config")
    assert sorted(cfg) == sorted(theirs)
    assert cfg["power_iterations"] == theirs["power_iterations"]
    assert cfg["layer"]["class_name"] == theirs["layer"]["class_name"]


@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_alpha_dropout_statistics_and_identity(rate):
    x = ref[f"alpha/{rate}/x"]
    np.testing.assert_array_equal(ref[f"alpha/{rate}/infer"], x)
    layer = L.AlphaDropout(rate, seed=3)
    np.testing.assert_array_equal(np_(layer(x, training=False)), x)
    ours = np_(layer(x, training=True))
    theirs = ref[f"alpha/{rate}/train"]
    alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * rate
    for out in (ours, theirs):
        kept = np.isclose(out, a * x + b, rtol=1e-6, atol=1e-6)
        dropped = np.isclose(out, a * alpha_p + b, rtol=1e-6, atol=1e-6)
        assert np.all(kept | dropped)
        # 20000 draws: the dropped fraction is within 4 standard errors of rate.
        se = np.sqrt(rate * (1 - rate) / x.size)
        assert abs(np.mean(dropped & ~kept) - rate) < 4 * se + 1e-3
    # Both keep zero mean / unit variance of standard normal inputs (Keras and
    # torkeras draw different random masks, so compare statistics).
    for stat in (np.mean, np.std):
        assert abs(stat(ours) - stat(theirs)) < 0.05
    assert abs(np.mean(ours)) < 0.05 and abs(np.std(ours) - 1) < 0.05


def test_alpha_dropout_config_matches_keras():
    layer = L.AlphaDropout(0.2, noise_shape=(None, 1, 4), seed=1)
    assert config_of(layer) == keras_config("alpha/config")


def test_keras_written_file_loads_identically():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.keras")
        ref["saved/file"].tofile(path)
        model = keras.saving.load_model(path)
    x = ref["saved/x"]
    keras_reference.assert_matches(np_(model(x)), ref["saved/out"], rtol=1e-6, atol=1e-6)
    assert [w.path for w in model.weights] == list(ref["saved/loaded_weight_paths"])


_KERAS_LOAD = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np, keras
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], keras.ops.convert_to_numpy(model(x)))
"""


def test_torkeras_written_file_loads_in_keras():
    python = keras_reference.keras_python()
    rng = np.random.default_rng(5)
    inputs = keras.Input((4, 6))
    h = L.GroupNormalization(3, name="gn")(inputs)
    h = L.RMSNormalization(axis=[1, 2], name="rms")(h)
    h = L.SpectralNormalization(L.Dense(2, name="dense"), name="sn")(h)
    h = L.UnitNormalization(name="unit")(h)
    h = L.AlphaDropout(0.1, name="ad")(h)
    model = keras.Model(inputs, h)
    for w in model.weights:
        w.assign(rng.standard_normal(tuple(w.shape)).astype("float32"))
    x = rng.standard_normal((3, 4, 6)).astype("float32")
    with tempfile.TemporaryDirectory() as tmp:
        path, xpath, opath = (os.path.join(tmp, n) for n in ("m.keras", "x.npy", "o.npy"))
        model.save(path)
        np.save(xpath, x)
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
        result = subprocess.run([python, "-c", _KERAS_LOAD, path, xpath, opath], env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        theirs = np.load(opath)
    keras_reference.assert_matches(theirs, np_(model(x)), rtol=1e-6, atol=1e-6)


# -- shared layer checks with independent NumPy references --------------------

def np_group_norm(x, groups, axis, eps, gamma, beta):
    x = np.moveaxis(x.astype("float64"), axis, -1)
    shape = x.shape
    g = x.reshape(shape[:-1] + (groups, shape[-1] // groups))
    red = tuple(range(1, g.ndim - 2)) + (g.ndim - 1,)
    mean = g.mean(axis=red, keepdims=True)
    var = g.var(axis=red, keepdims=True)
    out = ((g - mean) / np.sqrt(var + eps)).reshape(shape) * gamma + beta
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("groups,axis,shape", [(2, -1, (2, 3, 4)), (3, 1, (2, 6, 5)),
                                               (-1, -1, (2, 4, 3))])
def test_group_normalization_layer_kit(groups, axis, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    ch = shape[axis]
    expected = np_group_norm(x, ch if groups == -1 else groups, axis, 1e-3, 1.0, 0.0)
    run_layer_test(L.GroupNormalization, dict(groups=groups, axis=axis), input_data=x,
                   expected_output_shape=shape, expected_output=expected.astype("float32"),
                   expected_num_trainable_weights=2, expected_num_non_trainable_weights=0,
                   supports_masking=True, atol=1e-5, rtol=1e-5)


def test_unit_normalization_layer_kit():
    x = np.random.default_rng(1).standard_normal((2, 3, 4)).astype("float32")
    expected = x / np.sqrt((x.astype("float64") ** 2).sum(axis=-1, keepdims=True))
    run_layer_test(L.UnitNormalization, dict(axis=-1), input_data=x,
                   expected_output_shape=(2, 3, 4), expected_output=expected,
                   expected_num_trainable_weights=0, expected_num_non_trainable_weights=0,
                   supports_masking=True, run_training_check=False)


@pytest.mark.parametrize("axis", [-1, [1, 2], 1])
def test_rms_normalization_layer_kit(axis):
    x = np.random.default_rng(2).standard_normal((2, 3, 4)).astype("float32")
    axes = tuple([axis] if isinstance(axis, int) else axis)
    expected = x / np.sqrt((x.astype("float64") ** 2).mean(axis=axes, keepdims=True) + 1e-6)
    run_layer_test(L.RMSNormalization, dict(axis=axis), input_data=x,
                   expected_output_shape=(2, 3, 4), expected_output=expected,
                   expected_num_trainable_weights=1, expected_num_non_trainable_weights=0,
                   atol=1e-5, rtol=1e-5)


def test_alpha_dropout_layer_kit():
    x = np.random.default_rng(3).standard_normal((2, 3, 4)).astype("float32")
    run_layer_test(L.AlphaDropout, dict(rate=0.3, seed=2), input_data=x,
                   expected_output_shape=(2, 3, 4), expected_output=x,
                   expected_num_trainable_weights=0, expected_num_non_trainable_weights=0,
                   supports_masking=True, run_training_check=False)


def test_spectral_normalization_layer_kit():
    x = np.random.default_rng(4).standard_normal((2, 5)).astype("float32")
    run_layer_test(L.SpectralNormalization, dict(layer=L.Dense(3)), input_data=x,
                   expected_output_shape=(2, 3), expected_num_trainable_weights=2,
                   expected_num_non_trainable_weights=1, expected_non_trainable_change=True)


def test_spectral_normalization_numpy_reference():
    rng = np.random.default_rng(6)
    layer = L.SpectralNormalization(L.Dense(3), power_iterations=5)
    layer.build((2, 4))
    w = rng.standard_normal((4, 3)).astype("float32")
    u = rng.standard_normal((1, 3)).astype("float32")
    layer.kernel.assign(w)
    layer.vector_u.assign(u)
    layer(np.ones((2, 4), "float32"), training=True)
    w64, u64 = w.astype("float64"), u.astype("float64")
    for _ in range(5):
        v = u64 @ w64.T
        v /= np.linalg.norm(v)
        u64 = v @ w64
        u64 /= np.linalg.norm(u64)
    sigma = (v @ w64 @ u64.T).item()
    np.testing.assert_allclose(np_(layer.kernel), w64 / sigma, rtol=1e-5)
    np.testing.assert_allclose(np_(layer.vector_u), u64, rtol=1e-5, atol=1e-6)
    # Many iterations converge to the largest singular value.
    for _ in range(50):
        layer(np.ones((2, 4), "float32"), training=True)
    assert np.linalg.norm(np_(layer.kernel), 2) == pytest.approx(1.0, rel=1e-4)


def test_spectral_normalization_zero_kernel_unchanged():
    layer = L.SpectralNormalization(L.Dense(2, kernel_initializer="zeros"))
    layer.build((1, 3))
    u = np_(layer.vector_u).copy()
    layer(np.ones((1, 3), "float32"), training=True)
    assert np.all(np_(layer.kernel) == 0)
    np.testing.assert_array_equal(np_(layer.vector_u), u)


# -- errors -------------------------------------------------------------------

def test_errors():
    with pytest.raises(ValueError, match="groups"):
        L.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="groups"):
        L.GroupNormalization(groups=2.5)
    with pytest.raises(ValueError, match="multiple"):
        L.GroupNormalization(groups=3)(np.zeros((1, 4), "float32"))
    with pytest.raises(ValueError, match="more than"):
        L.GroupNormalization(groups=8)(np.zeros((1, 4), "float32"))
    with pytest.raises(ValueError, match="axis"):
        L.GroupNormalization(groups=2, axis="x")
    built = L.GroupNormalization(groups=2)
    built(np.zeros((1, 4), "float32"))
    with pytest.raises(ValueError, match="4 channels"):
        built(np.zeros((1, 6), "float32"))
    with pytest.raises(ValueError, match="batch axis"):
        L.GroupNormalization(groups=1, axis=0)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="out of bounds"):
        L.GroupNormalization(groups=1, axis=3).compute_output_shape((None, 4))
    with pytest.raises(TypeError, match="axis"):
        L.UnitNormalization(axis="a")
    with pytest.raises(ValueError, match="out of bounds"):
        L.UnitNormalization(axis=2).compute_output_shape((None, 3))
    with pytest.raises(ValueError, match="axis"):
        L.RMSNormalization(axis=5)(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="power_iterations"):
        L.SpectralNormalization(L.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="kernel"):
        L.SpectralNormalization(L.Flatten())(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="rate"):
        L.AlphaDropout(1.5)
    with pytest.raises(ValueError, match="seed"):
        L.AlphaDropout(0.1, seed=1.5)


def test_alpha_dropout_noise_shape_and_seed():
    x = np.random.default_rng(7).standard_normal((4, 6, 5)).astype("float32")
    out = np_(L.AlphaDropout(0.5, noise_shape=(None, 1, 5), seed=9)(x, training=True))
    alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
    a = (0.5 * (1 + 0.5 * alpha_p ** 2)) ** -0.5
    dropped = np.isclose(out, a * alpha_p + (-a * alpha_p * 0.5))
    # the same features are dropped at every time step
    assert np.all(dropped == dropped[:, :1, :])
    again = np_(L.AlphaDropout(0.5, noise_shape=(None, 1, 5), seed=9)(x, training=True))
    np.testing.assert_array_equal(out, again)
    np.testing.assert_array_equal(np_(L.AlphaDropout(0.0)(x, training=True)), x)
