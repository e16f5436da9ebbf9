"""Keras reference for GroupNormalization, UnitNormalization, RMSNormalization,
SpectralNormalization and AlphaDropout (engineer C's layers): same weights ->
same outputs, Keras's get_config(), and a Keras-written .keras file."""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()
L = keras.layers


def config_json(layer):
    cfg = layer.get_config()
    cfg.pop("name", None)
    cfg.pop("dtype", None)
    return json.dumps(cfg, sort_keys=True)


# GroupNormalization: (case, kwargs, input shape)
GROUP = [
    ("g2_last", dict(groups=2), (2, 3, 8)),
    ("g3_axis1", dict(groups=3, axis=1), (2, 6, 4)),
    ("instance", dict(groups=-1), (2, 5, 4)),
    ("g4_axis_m2", dict(groups=4, axis=-2, epsilon=1e-5), (2, 3, 8, 5)),
    ("g1_nocenter", dict(groups=1, center=False), (3, 4, 6)),
    ("g2_noscale", dict(groups=2, scale=False), (2, 4, 2, 6)),
]
for case, kw, shape in GROUP:
    layer = L.GroupNormalization(**kw)
    x = (ref.rng.standard_normal(shape) * 3 + 1).astype("float32")
    layer.build(shape)
    for w in layer.weights:
        w.assign(ref.rng.standard_normal(tuple(w.shape)).astype("float32"))
        ref.put(f"group/{case}/{w.name}", w.numpy())
    ref.put(f"group/{case}/x", x)
    ref.put(f"group/{case}/out", layer(x))
    ref.put(f"group/{case}/config", np.array(config_json(layer)))

UNIT = [("last", -1, (3, 5)), ("axes12", [1, 2], (2, 3, 4)), ("axis1", 1, (2, 4, 3))]
for case, axis, shape in UNIT:
    x = ref.rng.standard_normal(shape).astype("float32")
    x[0] = 0.0  # an all-zero slice stays zero
    layer = L.UnitNormalization(axis=axis)
    ref.put(f"unit/{case}/x", x)
    ref.put(f"unit/{case}/out", layer(x))
    ref.put(f"unit/{case}/config", np.array(config_json(layer)))

RMS = [("last", dict(), (3, 6)), ("axes12", dict(axis=[1, 2], epsilon=1e-3), (2, 3, 4)),
       ("axes_neg", dict(axis=[-1, -2]), (2, 3, 4))]
for case, kw, shape in RMS:
    layer = L.RMSNormalization(**kw)
    x = ref.rng.standard_normal(shape).astype("float32")
    layer.build(shape)
    scale = ref.rng.standard_normal(tuple(layer.scale.shape)).astype("float32")
    layer.scale.assign(scale)
    ref.put(f"rms/{case}/scale", scale)
    ref.put(f"rms/{case}/x", x)
    ref.put(f"rms/{case}/out", layer(x))
    ref.put(f"rms/{case}/config", np.array(config_json(layer)))

# mixed_float16 layers: float16 outputs, computed as Keras does.
x = ref.rng.standard_normal((2, 3, 4)).astype("float32")
ref.put("mixed/x", x)
for case, layer in (("group", L.GroupNormalization(2, dtype="mixed_float16")),
                    ("unit", L.UnitNormalization(dtype="mixed_float16")),
                    ("rms", L.RMSNormalization(dtype="mixed_float16"))):
    ref.put(f"mixed/{case}", layer(x))

# SpectralNormalization: three training calls then one inference call.
SPECTRAL = [("dense", lambda: L.Dense(4), (3, 5), 1),
            ("conv2d_pi2", lambda: L.Conv2D(3, 2), (2, 5, 5, 2), 2),
            ("embedding", lambda: L.Embedding(7, 3), None, 1)]
for case, make, shape, iters in SPECTRAL:
    layer = L.SpectralNormalization(make(), power_iterations=iters)
    if shape is None:
        x = ref.rng.integers(0, 7, size=(2, 4)).astype("int32")
        layer.build((2, 4))
    else:
        x = ref.rng.standard_normal(shape).astype("float32")
        layer.build(shape)
    kernel = layer.kernel
    kernel.assign(ref.rng.standard_normal(tuple(kernel.shape)).astype("float32"))
    layer.vector_u.assign(ref.rng.standard_normal(tuple(layer.vector_u.shape))
                          .astype("float32"))
    ref.put(f"spectral/{case}/x", x)
    ref.put(f"spectral/{case}/kernel0", kernel.numpy())
    ref.put(f"spectral/{case}/u0", layer.vector_u.numpy())
    ref.put(f"spectral/{case}/weight_names",
            np.array([w.path.split("/", 1)[-1] for w in layer.weights]))
    for step in range(3):
        ref.put(f"spectral/{case}/train{step}/out", layer(x, training=True))
        ref.put(f"spectral/{case}/train{step}/kernel", kernel.numpy())
        ref.put(f"spectral/{case}/train{step}/u", layer.vector_u.numpy())
    ref.put(f"spectral/{case}/infer/out", layer(x, training=False))
    ref.put(f"spectral/{case}/infer/kernel", kernel.numpy())
    ref.put(f"spectral/{case}/config", np.array(config_json(layer)))

# AlphaDropout: Keras's outputs (random) for the statistics; inference identity.
x = ref.rng.standard_normal((200, 100)).astype("float32")
for rate in (0.1, 0.5):
    layer = L.AlphaDropout(rate, seed=3)
    ref.put(f"alpha/{rate}/x", x)
    ref.put(f"alpha/{rate}/train", layer(x, training=True))
    ref.put(f"alpha/{rate}/infer", layer(x, training=False))
layer = L.AlphaDropout(0.2, noise_shape=(None, 1, 4), seed=1)
ref.put("alpha/config", np.array(config_json(layer)))

# A Keras-written .keras file with GroupNormalization + RMSNormalization.
inputs = keras.Input((4, 6))
h = L.GroupNormalization(3, name="gn")(inputs)
h = L.RMSNormalization(axis=[1, 2], name="rms")(h)
h = L.SpectralNormalization(L.Dense(2, name="dense"), name="sn")(h)
model = keras.Model(inputs, h)
for w in model.weights:
    w.assign(ref.rng.standard_normal(tuple(w.shape)).astype("float32"))
xs = ref.rng.standard_normal((3, 4, 6)).astype("float32")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "m.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("saved/file", np.frombuffer(f.read(), dtype=np.uint8))
    # Keras's own reload (its variable paths differ from the original model's:
    # the wrapped Dense is rebuilt outside the wrapper's name scope).
    ref.put("saved/loaded_weight_paths",
            np.array([w.path for w in keras.saving.load_model(path).weights]))
ref.put("saved/x", xs)
ref.put("saved/out", model(xs))
ref.put("saved/weight_paths", np.array([w.path for w in model.weights]))
ref.save()
