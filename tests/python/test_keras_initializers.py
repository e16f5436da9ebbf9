"""torkeras's initializers and keras.random's gamma/beta/binomial against
Keras 3 (reference: tests/keras_reference/initializers.py)."""
import json
import math

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras

I = keras.initializers

SEEDED = ["big_seed", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
          "lecun_normal", "lecun_uniform", "orthogonal_conv", "orthogonal_tall",
          "orthogonal_wide", "random_normal", "random_uniform", "truncated_normal", "vs_axes",
          "vs_fan_avg_uniform", "vs_fan_in_tn", "vs_fan_out_un", "vs_normal_alias"]
DETERMINISTIC = ["constant", "constant_int", "identity", "identity_tall", "ones", "ones_int",
                 "stft_imag_hann_density", "stft_imag_nowin", "stft_real_density",
                 "stft_real_hannp_spectrum", "stft_real_nowin", "zeros"]
STATS = ["glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "lecun_normal",
         "lecun_uniform", "orthogonal", "random_normal", "random_uniform", "truncated_normal",
         "variance_scaling_un"]
DEFAULTS = ["Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
            "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
            "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros"]


@pytest.fixture(scope="module")
def ref():
    return keras_reference.load("initializers")


def _build(ref, prefix):
    cls = getattr(I, str(ref[f"{prefix}/class"]))
    return cls(**json.loads(str(ref[f"{prefix}/kwargs"])))


def test_case_lists_match_the_reference(ref):
    assert sorted(SEEDED) == sorted(ref["seeded/names"].tolist())
    assert sorted(DETERMINISTIC) == sorted(ref["det/names"].tolist())
    assert sorted(STATS) == sorted(ref["stats/names"].tolist())


@pytest.mark.parametrize("case", SEEDED)
def test_seeded_initializers_give_keras_values(ref, case):
    init = _build(ref, f"seeded/{case}")
    shape = tuple(ref[f"seeded/{case}/shape"].tolist())
    out = init(shape)
    assert out.dtype == torch.float32
    # Same torch draws as Keras; Orthogonal adds a QR (LAPACK, same library
    # and inputs) whose float rounding may differ in the last bits.
    keras_reference.assert_matches(out, ref[f"seeded/{case}/out"], rtol=1e-6, atol=1e-6,
                                   what=case)
    out64 = init(shape, dtype="float64")
    assert out64.dtype == torch.float64
    keras_reference.assert_matches(out64, ref[f"seeded/{case}/out64"], rtol=1e-12, atol=1e-12,
                                   what=case)
    assert json.loads(str(ref[f"seeded/{case}/config"])) == I.serialize(init)


@pytest.mark.parametrize("case", DETERMINISTIC)
def test_deterministic_initializers_equal_keras(ref, case):
    init = _build(ref, f"det/{case}")
    shape = tuple(ref[f"det/{case}/shape"].tolist())
    dtype = str(ref[f"det/{case}/dtype"])
    out = init(shape, dtype=dtype)
    expected = ref[f"det/{case}/out"]
    assert str(out.dtype).replace("torch.", "") == str(expected.dtype)
    # sin/cos of the same float32 angles: torch's kernels, same as Keras's.
    keras_reference.assert_matches(out, expected, rtol=1e-6, atol=1e-7, what=case)
    _assert_config_like_keras(json.loads(str(ref[f"det/{case}/config"])), I.serialize(init))


def _assert_config_like_keras(keras_config, mine):
    """Equal, except that torkeras's Identity also writes its `gain` (Keras
    3.15's Identity has no get_config() and loses it; Keras reads it back)."""
    if mine["class_name"] == "Identity":
        assert keras_config["config"] == {}
        mine = dict(mine, config={k: v for k, v in mine["config"].items() if k != "gain"})
    assert keras_config == mine


def _moments(x):
    x = x.double().numpy()
    return np.array([x.mean(), x.std(), x.min(), x.max()])


def _analytic(cls, kwargs, shape):
    """(mean, std, lower bound, upper bound) the distribution has."""
    fan_in, fan_out = I.compute_fans(shape)
    presets = {"GlorotUniform": (1.0, "fan_avg", "uniform"),
               "GlorotNormal": (1.0, "fan_avg", "truncated_normal"),
               "HeUniform": (2.0, "fan_in", "uniform"), "HeNormal": (2.0, "fan_in",
                                                                     "truncated_normal"),
               "LecunUniform": (1.0, "fan_in", "uniform"),
               "LecunNormal": (1.0, "fan_in", "truncated_normal")}
    if cls == "RandomNormal":
        return kwargs["mean"], kwargs["stddev"], -np.inf, np.inf
    if cls == "RandomUniform":
        lo, hi = kwargs["minval"], kwargs["maxval"]
        return (lo + hi) / 2, (hi - lo) / math.sqrt(12), lo, hi
    if cls == "TruncatedNormal":
        s = kwargs["stddev"]
        return 0.0, s * 0.87962566103423978, -2 * s, 2 * s
    if cls == "Orthogonal":
        return 0.0, 1 / math.sqrt(shape[0]), -1.0, 1.0
    if cls == "VarianceScaling":
        scale, mode, dist = kwargs.get("scale", 1.0), "fan_in", kwargs["distribution"]
    else:
        scale, mode, dist = presets[cls]
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    std = math.sqrt(scale / fan)
    if dist == "uniform":
        return 0.0, std, -math.sqrt(3) * std, math.sqrt(3) * std
    if dist == "truncated_normal":
        return 0.0, std, -2 * std / 0.87962566103423978, 2 * std / 0.87962566103423978
    return 0.0, std, -np.inf, np.inf


@pytest.mark.parametrize("case", STATS)
def test_unseeded_statistics_match_keras_and_the_distribution(ref, case):
    cls = str(ref[f"stats/{case}/class"])
    kwargs = json.loads(str(ref[f"stats/{case}/kwargs"]))
    shape = tuple(ref[f"stats/{case}/shape"].tolist())
    mine = _moments(getattr(I, cls)(**kwargs)(shape))
    keras_moments = ref[f"stats/{case}/moments"]
    mean, std, lo, hi = _analytic(cls, kwargs, shape)
    n = math.prod(shape)
    # Sampling error: 6 standard errors of the mean, 2% on the std.
    for moments in (mine, keras_moments):
        assert abs(moments[0] - mean) < 6 * std / math.sqrt(n), (case, moments, mean)
        assert abs(moments[1] - std) < 0.02 * std, (case, moments, std)
    # In range. (Keras's truncated normals are not always: where all four of
    # its draws for an element miss (-2, 2), p ~ 4e-6, it keeps one.)
    assert mine[2] >= lo - 1e-6 and mine[3] <= hi + 1e-6, (case, mine, lo, hi)
    np.testing.assert_allclose(mine[1], keras_moments[1], rtol=0.03)
    if "niform" in cls:
        # Uniform draws reach close to their bounds in both.
        np.testing.assert_allclose(mine[2:], keras_moments[2:], rtol=0.01)


def test_orthogonal_is_orthogonal():
    q = I.Orthogonal(gain=2.0, seed=1)((6, 4)).double()
    np.testing.assert_allclose((q.T @ q).numpy(), 4 * np.eye(4), atol=1e-5)
    q = I.Orthogonal(seed=2)((2, 3, 12)).reshape(6, 12).double()
    np.testing.assert_allclose((q @ q.T).numpy(), np.eye(6), atol=1e-5)


def test_unseeded_instance_repeats_its_values_as_in_keras(ref):
    init = I.RandomNormal()
    assert bool(ref["repeat/equal"]) is True
    assert torch.equal(init((5,)), init((5,)))
    # Two instances differ; set_random_seed makes the instance seeds reproducible.
    assert not torch.equal(I.RandomNormal()((5,)), I.RandomNormal()((5,)))
    keras.utils.set_random_seed(3)
    a = I.GlorotUniform()((4, 4))
    keras.utils.set_random_seed(3)
    assert torch.equal(a, I.GlorotUniform()((4, 4)))


def test_seed_generator_seed_advances():
    init = I.RandomUniform(seed=keras.random.SeedGenerator(5))
    assert not torch.equal(init((4,)), init((4,)))


@pytest.mark.parametrize("name", DEFAULTS)
def test_default_configs_equal_keras(ref, name):
    _assert_config_like_keras(json.loads(str(ref[f"default_config/{name}"])),
                              I.serialize(getattr(I, name)()))
    # and back
    config = I.serialize(getattr(I, name)())
    assert I.serialize(I.deserialize(config)) == config


def test_stft_configs_and_named_windows(ref):
    assert json.loads(str(ref["default_config/STFT_nowindow"])) == I.serialize(
        I.STFT(window=None))
    # A named window equals the same window given as values (Keras needs SciPy for names).
    for periodic, key in ((False, "stft/hann8"), (True, "stft/hann8_periodic")):
        by_name = I.STFT("imag", "hann", "density", periodic)((8, 1, 5))
        by_values = I.STFT("imag", ref[key].tolist(), "density")((8, 1, 5))
        np.testing.assert_allclose(by_name.numpy(), by_values.numpy(), rtol=1e-6, atol=1e-7)
    assert I.STFT().get_config() == {"side": "real", "window": "hann", "periodic": False,
                                     "scaling": "density"}


@pytest.mark.parametrize("name", ["zeros", "ones", "glorot_uniform", "he_normal", "uniform",
                                  "normal", "one", "zero", "IdentityInitializer",
                                  "OrthogonalInitializer", "variance_scaling", "lecun_uniform",
                                  "orthogonal", "identity"])
def test_get_resolves_names_as_keras(ref, name):
    assert type(I.get(name)).__name__ == str(ref[f"get/{name}"])


def test_keras_names_and_aliases():
    assert I.IdentityInitializer is I.Identity and I.identity is I.Identity
    assert I.OrthogonalInitializer is I.Orthogonal and I.STFTInitializer is I.STFT
    assert I.stft is I.STFT and I.glorot_uniform is I.GlorotUniform
    assert isinstance(I.get("STFTInitializer"), I.STFT)
    assert isinstance(I.get(I.HeNormal), I.HeNormal)


# -- keras.random gamma / beta / binomial -------------------------------------------
RANDOM_SEEDED = {
    "gamma_seeded": lambda: keras.random.gamma((4, 5), alpha=2.5, seed=3),
    "gamma_alpha_array": lambda: keras.random.gamma((2, 3), alpha=np.array([0.5, 1.0, 4.0]),
                                                    seed=4),
    "beta_seeded": lambda: keras.random.beta((4, 5), alpha=2.0, beta=5.0, seed=5),
    "beta_arrays": lambda: keras.random.beta((2, 3), alpha=np.array([0.5, 1.0, 2.0]),
                                             beta=np.array([[1.0], [3.0]]), seed=6),
    "binomial_seeded": lambda: keras.random.binomial((4, 5), counts=10, probabilities=0.3,
                                                     seed=7),
    "normal_seeded": lambda: keras.random.normal((3, 4), mean=1.0, stddev=2.0, seed=8),
    "uniform_seeded": lambda: keras.random.uniform((3, 4), minval=-2.0, maxval=5.0, seed=9),
    "uniform_scalar": lambda: keras.random.uniform((), seed=9),
    "truncated_seeded": lambda: keras.random.truncated_normal((3, 4), mean=-1.0, stddev=3.0,
                                                              seed=10),
    "gamma64": lambda: keras.random.gamma((3,), alpha=1.5, dtype="float64", seed=11),
}


@pytest.mark.parametrize("case", sorted(RANDOM_SEEDED))
def test_seeded_random_equals_keras(ref, case):
    out = RANDOM_SEEDED[case]()
    expected = ref[f"random/{case}"]
    assert str(out.dtype).replace("torch.", "") == str(expected.dtype)
    keras_reference.assert_matches(out, expected, rtol=1e-6, atol=1e-7, what=case)


def test_seeded_global_draws_leave_the_global_generator_alone():
    torch.manual_seed(0)
    a = torch.rand(3)
    torch.manual_seed(0)
    keras.random.gamma((5,), 2.0, seed=1)
    keras.random.beta((5,), 2.0, 2.0, seed=keras.random.SeedGenerator(2))
    assert torch.equal(torch.rand(3), a)


@pytest.mark.parametrize("name,draw,mean,var", [
    ("gamma", lambda: keras.random.gamma((200000,), alpha=3.0), 3.0, 3.0),
    ("beta", lambda: keras.random.beta((200000,), alpha=2.0, beta=3.0), 0.4, 0.04),
])
def test_random_statistics(ref, name, draw, mean, var):
    x = draw().double().numpy()
    expected = ref[f"random_stats/{name}"]
    n = x.size
    for m in (np.array([x.mean(), x.var()]), expected[:2]):
        assert abs(m[0] - mean) < 6 * math.sqrt(var / n)
        assert abs(m[1] - var) < 0.03 * var
    assert x.min() >= 0 and (name != "beta" or x.max() <= 1)


def test_truncated_normal_stays_in_range_even_when_four_draws_miss():
    # A stddev-1 normal misses (-2, 2) four times in a row with p ~ 4e-6: a
    # 2e6-element draw has such elements, which torkeras redraws.
    x = keras.random.truncated_normal((2_000_000,), seed=123)
    assert float(x.abs().max()) <= 2.0


def test_random_argument_errors():
    with pytest.raises(ValueError, match="seed"):
        keras.random.gamma((2,), 1.0, seed="x")
    with pytest.raises(ValueError, match="floating-point"):
        keras.random.beta((2,), 1.0, 1.0, dtype="int32")
