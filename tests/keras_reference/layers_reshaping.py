"""Keras 3.15 outputs and configs of the reshaping/pooling layers of issue 11
(UpSampling1D/3D, ZeroPadding1D/3D, AdaptiveAverage/MaxPooling1D/2D/3D), in
both data formats, plus a .keras file written by Keras that uses several of
them (stored as bytes, with an input batch and Keras's predictions)."""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()
L = keras.layers

# name -> (class name, constructor kwargs, input shape)
CASES = {
    "up1d_default": ("UpSampling1D", {}, (2, 3, 4)),
    "up1d_size3": ("UpSampling1D", {"size": 3}, (2, 4, 2)),
    "up3d_last": ("UpSampling3D", {"size": (2, 1, 3), "data_format": "channels_last"},
                  (2, 2, 3, 2, 3)),
    "up3d_first": ("UpSampling3D", {"size": 2, "data_format": "channels_first"},
                   (1, 3, 2, 2, 3)),
    "zp1d_int_last": ("ZeroPadding1D", {"padding": 2, "data_format": "channels_last"},
                      (2, 3, 4)),
    "zp1d_pair_first": ("ZeroPadding1D", {"padding": (0, 3), "data_format": "channels_first"},
                        (2, 3, 4)),
    "zp3d_default": ("ZeroPadding3D", {}, (1, 2, 3, 2, 2)),
    "zp3d_ints_first": ("ZeroPadding3D", {"padding": (1, 0, 2), "data_format": "channels_first"},
                        (1, 2, 2, 3, 2)),
    "zp3d_pairs_last": ("ZeroPadding3D", {"padding": ((0, 1), (2, 0), (1, 3)),
                                          "data_format": "channels_last"}, (2, 2, 2, 2, 3)),
}
# The existing 2D layers of the family, checked alongside.
for interp in ("nearest", "bilinear", "bicubic"):  # Keras torch: no lanczos
    for fmt in ("channels_last", "channels_first"):
        CASES[f"up2d_{interp}_{fmt}"] = ("UpSampling2D", {"size": (2, 3), "data_format": fmt,
                                                           "interpolation": interp},
                                          (2, 4, 3, 2) if fmt == "channels_last"
                                          else (2, 2, 4, 3))
CASES["zp2d_pairs_first"] = ("ZeroPadding2D", {"padding": ((1, 0), (2, 3)),
                                               "data_format": "channels_first"}, (1, 2, 3, 2))
CASES["zp2d_int_last"] = ("ZeroPadding2D", {"padding": 1, "data_format": "channels_last"},
                          (1, 2, 3, 2))
for kind in ("Average", "Max"):
    k = kind.lower()
    CASES.update({
        f"a{k}1d_last": (f"Adaptive{kind}Pooling1D", {"output_size": 3,
                                                      "data_format": "channels_last"}, (2, 7, 3)),
        f"a{k}1d_first": (f"Adaptive{kind}Pooling1D", {"output_size": (4,),
                                                       "data_format": "channels_first"},
                          (2, 3, 10)),
        f"a{k}1d_grow": (f"Adaptive{kind}Pooling1D", {"output_size": 5,
                                                      "data_format": "channels_last"}, (1, 3, 2)),
        f"a{k}2d_last": (f"Adaptive{kind}Pooling2D", {"output_size": (2, 3),
                                                      "data_format": "channels_last"},
                         (2, 5, 7, 3)),
        f"a{k}2d_first": (f"Adaptive{kind}Pooling2D", {"output_size": 3,
                                                       "data_format": "channels_first"},
                          (2, 2, 8, 6)),
        f"a{k}3d_last": (f"Adaptive{kind}Pooling3D", {"output_size": (2, 3, 2),
                                                      "data_format": "channels_last"},
                         (1, 5, 4, 7, 2)),
        f"a{k}3d_first": (f"Adaptive{kind}Pooling3D", {"output_size": 2,
                                                       "data_format": "channels_first"},
                          (2, 2, 3, 5, 4)),
    })

for name, (cls, kwargs, shape) in CASES.items():
    x = ref.rng.standard_normal(shape).astype("float32")
    layer = getattr(L, cls)(**kwargs)
    ref.put(f"layer/{name}/x", x)
    ref.put(f"layer/{name}/class", cls)
    ref.put(f"layer/{name}/kwargs", json.dumps(kwargs))
    ref.put(f"layer/{name}/out", layer(x))
    ref.put(f"layer/{name}/config", json.dumps(layer.get_config()))
    ref.put(f"layer/{name}/shape", np.array(layer.compute_output_shape((None,) + shape[1:])[1:]))

# A .keras file written by Keras: padding, convolution, upsampling and adaptive pooling.
inputs = keras.Input((6, 3))
h = L.ZeroPadding1D((1, 2))(inputs)
h = L.Conv1D(4, 3, name="conv")(h)
h = L.UpSampling1D(2)(h)
a = L.AdaptiveAveragePooling1D(3)(h)
m = L.AdaptiveMaxPooling1D(3, data_format="channels_first")(h)
outputs = L.Concatenate()([a, m[:, :3, :]])
model = keras.Model(inputs, outputs)
inputs3 = keras.Input((2, 3, 2, 2))
v = L.ZeroPadding3D(((0, 1), (1, 0), (1, 1)))(inputs3)
v = L.UpSampling3D((1, 2, 2))(v)
v = L.AdaptiveMaxPooling3D((2, 3, 2))(v)
v = L.AdaptiveAveragePooling2D(2)(L.Reshape((2, 3, 4))(v))
model3 = keras.Model(inputs3, v)
xb = ref.rng.standard_normal((2, 6, 3)).astype("float32")
xb3 = ref.rng.standard_normal((2, 2, 3, 2, 2)).astype("float32")
with tempfile.TemporaryDirectory() as tmp:
    for key, mdl, xin in (("file1d", model, xb), ("file3d", model3, xb3)):
        path = os.path.join(tmp, f"{key}.keras")
        mdl.save(path)
        with open(path, "rb") as f:
            ref.put(f"{key}/bytes", np.frombuffer(f.read(), dtype=np.uint8))
        ref.put(f"{key}/x", xin)
        ref.put(f"{key}/out", mdl.predict(xin, verbose=0))

ref.save()
