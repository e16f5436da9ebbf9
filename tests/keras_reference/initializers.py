"""Keras 3 reference values for torkeras's initializers and keras.random's
gamma/beta/binomial (tests/python/test_keras_initializers.py).

Seeded initializers: Keras's values (torkeras draws the same way, so they must
be equal). Unseeded ones: statistics over a large tensor. Configs: the JSON of
`keras.initializers.serialize()`.
"""
import json

from refkit import Reference, keras, np

ref = Reference()
I = keras.initializers

# name -> (constructor, kwargs) ; the torkeras test rebuilds the same calls.
SEEDED = {
    "random_normal": ("RandomNormal", dict(mean=0.5, stddev=2.0, seed=7)),
    "random_uniform": ("RandomUniform", dict(minval=-3.0, maxval=1.0, seed=8)),
    "truncated_normal": ("TruncatedNormal", dict(mean=1.0, stddev=0.5, seed=9)),
    "vs_fan_in_tn": ("VarianceScaling", dict(scale=2.0, mode="fan_in", seed=10)),
    "vs_fan_out_un": ("VarianceScaling", dict(scale=0.5, mode="fan_out",
                                              distribution="untruncated_normal", seed=11)),
    "vs_fan_avg_uniform": ("VarianceScaling", dict(mode="fan_avg", distribution="uniform",
                                                   seed=12)),
    "vs_normal_alias": ("VarianceScaling", dict(distribution="normal", seed=13)),
    "vs_axes": ("VarianceScaling", dict(scale=3.0, mode="fan_avg", distribution="uniform",
                                        seed=14, input_axes=[0], output_axes=[1, 2])),
    "glorot_uniform": ("GlorotUniform", dict(seed=15)),
    "glorot_normal": ("GlorotNormal", dict(seed=16)),
    "he_uniform": ("HeUniform", dict(seed=17)),
    "he_normal": ("HeNormal", dict(seed=18)),
    "lecun_uniform": ("LecunUniform", dict(seed=19)),
    "lecun_normal": ("LecunNormal", dict(seed=20, input_axes=[0, 1], output_axes=[2])),
    "orthogonal_tall": ("Orthogonal", dict(gain=1.5, seed=21)),
    "orthogonal_wide": ("Orthogonal", dict(seed=22)),
    "orthogonal_conv": ("Orthogonal", dict(seed=23)),
    "big_seed": ("RandomNormal", dict(seed=2**33 + 5)),
}
SHAPES = {"orthogonal_tall": (7, 3), "orthogonal_wide": (3, 7), "orthogonal_conv": (3, 2, 4),
          "vs_axes": (4, 5, 6), "lecun_normal": (3, 4, 5)}
ref.put("seeded/names", np.array(sorted(SEEDED)))
for name, (cls, kwargs) in SEEDED.items():
    shape = SHAPES.get(name, (3, 2, 6, 5))
    init = getattr(I, cls)(**kwargs)
    ref.put(f"seeded/{name}/class", np.array(cls))
    ref.put(f"seeded/{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"seeded/{name}/shape", np.array(shape))
    ref.put(f"seeded/{name}/out", init(shape))
    # Same seed: same values on a second call; float64 too.
    ref.put(f"seeded/{name}/out64", init(shape, dtype="float64"))
    ref.put(f"seeded/{name}/config", np.array(json.dumps(I.serialize(init))))

# Deterministic initializers.
DETERMINISTIC = {
    "zeros": ("Zeros", {}, (2, 3), "float32"),
    "ones": ("Ones", {}, (4,), "float64"),
    "ones_int": ("Ones", {}, (2, 2), "int32"),
    "constant": ("Constant", dict(value=3.5), (2, 3), "float32"),
    "constant_int": ("Constant", dict(value=2), (3,), "int32"),
    "identity": ("Identity", dict(gain=2.0), (3, 4), "float32"),
    "identity_tall": ("Identity", {}, (4, 2), "float64"),
    "stft_real_nowin": ("STFT", dict(side="real", window=None), (8, 1, 5), "float32"),
    "stft_imag_nowin": ("STFT", dict(side="imag", window=None, scaling=None), (6, 1, 4),
                        "float32"),
    "stft_real_density": ("STFT", dict(side="real", window=None, scaling="density"),
                          (8, 2, 5), "float64"),
}
hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(8) / 7)  # symmetric hann, 8 points
hann_periodic = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(8) / 8)
DETERMINISTIC["stft_imag_hann_density"] = ("STFT", dict(side="imag", window=hann.tolist(),
                                                         scaling="density"), (8, 1, 5), "float32")
DETERMINISTIC["stft_real_hannp_spectrum"] = ("STFT", dict(side="real",
                                                          window=hann_periodic.tolist(),
                                                          scaling="spectrum"), (8, 1, 5),
                                             "float32")
ref.put("stft/hann8", hann)
ref.put("stft/hann8_periodic", hann_periodic)
ref.put("det/names", np.array(sorted(DETERMINISTIC)))
for name, (cls, kwargs, shape, dtype) in DETERMINISTIC.items():
    init = getattr(I, cls)(**kwargs)
    ref.put(f"det/{name}/class", np.array(cls))
    ref.put(f"det/{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"det/{name}/shape", np.array(shape))
    ref.put(f"det/{name}/dtype", np.array(dtype))
    ref.put(f"det/{name}/out", init(shape, dtype=dtype))
    ref.put(f"det/{name}/config", np.array(json.dumps(I.serialize(init))))

# Unseeded statistics over a large tensor.
STATS = {
    "random_normal": ("RandomNormal", dict(mean=1.0, stddev=0.5), (400, 500)),
    "random_uniform": ("RandomUniform", dict(minval=-1.0, maxval=3.0), (400, 500)),
    "truncated_normal": ("TruncatedNormal", dict(stddev=2.0), (400, 500)),
    "glorot_uniform": ("GlorotUniform", {}, (400, 500)),
    "glorot_normal": ("GlorotNormal", {}, (400, 500)),
    "he_normal": ("HeNormal", {}, (3, 3, 64, 128)),
    "he_uniform": ("HeUniform", {}, (3, 3, 64, 128)),
    "lecun_normal": ("LecunNormal", {}, (400, 500)),
    "lecun_uniform": ("LecunUniform", {}, (400, 500)),
    "variance_scaling_un": ("VarianceScaling", dict(scale=3.0, distribution="untruncated_normal"),
                            (400, 500)),
    "orthogonal": ("Orthogonal", {}, (300, 200)),
}
ref.put("stats/names", np.array(sorted(STATS)))
for name, (cls, kwargs, shape) in STATS.items():
    x = keras.ops.convert_to_numpy(getattr(I, cls)(**kwargs)(shape)).astype("float64")
    ref.put(f"stats/{name}/class", np.array(cls))
    ref.put(f"stats/{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"stats/{name}/shape", np.array(shape))
    ref.put(f"stats/{name}/moments", np.array([x.mean(), x.std(), x.min(), x.max()]))

# Unseeded instance called twice: Keras returns the same values.
init = I.RandomNormal()
ref.put("repeat/equal", np.array(bool(np.array_equal(
    keras.ops.convert_to_numpy(init((5,))), keras.ops.convert_to_numpy(init((5,)))))))

# Configs of default instances and of the lowercase aliases.
# (STFT's default window "hann" needs SciPy, which .venv-keras does not have.)
ref.put("default_config/STFT_nowindow", np.array(json.dumps(I.serialize(I.STFT(window=None)))))
for name in ["Zeros", "Ones", "Constant", "Identity", "RandomNormal", "RandomUniform",
             "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform",
             "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal"]:
    ref.put(f"default_config/{name}", np.array(json.dumps(I.serialize(getattr(I, name)()))))
ref.put("get/names", np.array(["zeros", "ones", "glorot_uniform", "he_normal", "uniform",
                               "normal", "one", "zero", "IdentityInitializer",
                               "OrthogonalInitializer", "variance_scaling", "lecun_uniform",
                               "orthogonal", "identity"]))
for name in ref.arrays["get/names"]:
    ref.put(f"get/{name}", np.array(type(I.get(str(name))).__name__))

# keras.random gamma / beta / binomial: seeded values and statistics.
R = keras.random
ref.put("random/gamma_seeded", R.gamma((4, 5), alpha=2.5, seed=3))
ref.put("random/gamma_alpha_array", R.gamma((2, 3), alpha=np.array([0.5, 1.0, 4.0]), seed=4))
ref.put("random/beta_seeded", R.beta((4, 5), alpha=2.0, beta=5.0, seed=5))
ref.put("random/beta_arrays", R.beta((2, 3), alpha=np.array([0.5, 1.0, 2.0]),
                                     beta=np.array([[1.0], [3.0]]), seed=6))
ref.put("random/binomial_seeded", R.binomial((4, 5), counts=10, probabilities=0.3, seed=7))
ref.put("random/normal_seeded", R.normal((3, 4), mean=1.0, stddev=2.0, seed=8))
ref.put("random/uniform_seeded", R.uniform((3, 4), minval=-2.0, maxval=5.0, seed=9))
ref.put("random/uniform_scalar", R.uniform((), seed=9))
ref.put("random/truncated_seeded", R.truncated_normal((3, 4), mean=-1.0, stddev=3.0, seed=10))
ref.put("random/gamma64", R.gamma((3,), alpha=1.5, dtype="float64", seed=11))
for name, x in [("gamma", R.gamma((200000,), alpha=3.0)),
                ("beta", R.beta((200000,), alpha=2.0, beta=3.0))]:
    x = keras.ops.convert_to_numpy(x).astype("float64")
    ref.put(f"random_stats/{name}", np.array([x.mean(), x.var(), x.min(), x.max()]))
ref.save()
