"""Keras references for the image preprocessing layers Rescaling, Resizing and
CenterCrop (tests/python/test_preprocessing_image_layers.py).

Every case stores the layer class (`<case>/cls`), its constructor keyword
arguments as JSON (`<case>/kwargs`), the input (`<case>/x`), Keras's output
(`<case>/out`) and Keras's config without the base keys (`<case>/config`, JSON).
`file/bytes` is a `.keras` file Keras wrote for a model chaining the three
layers (Rescaling with a per-channel NumPy scale), `file/x` its input and
`file/out` Keras's prediction.
"""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()
rng = ref.rng
BASE_KEYS = ("name", "trainable", "dtype")


def case(name, cls, x, **kwargs):
    layer = getattr(keras.layers, cls)(**kwargs)
    ref.put(f"{name}/cls", np.array(cls))
    ref.put(f"{name}/kwargs", np.array(json.dumps(kwargs)))
    ref.put(f"{name}/x", x)
    ref.put(f"{name}/out", layer(x))
    config = {k: v for k, v in layer.get_config().items() if k not in BASE_KEYS}
    ref.put(f"{name}/config", np.array(json.dumps(config)))


images = rng.uniform(0, 255, (2, 7, 9, 3)).astype("float32")
images_cf = np.transpose(images, (0, 3, 1, 2)).copy()
uint8 = images.astype("uint8")
CL, CF = "channels_last", "channels_first"

# -- Rescaling ---------------------------------------------------------------------
case("rescaling_scalar", "Rescaling", images, scale=1 / 255.0)
case("rescaling_offset", "Rescaling", images, scale=1 / 127.5, offset=-1.0)
case("rescaling_uint8", "Rescaling", uint8, scale=0.5, offset=2.0)
case("rescaling_int32", "Rescaling", images.astype("int32"), scale=0.25)
case("rescaling_per_channel", "Rescaling", images, scale=[1.0, 0.5, 0.25],
     offset=[0.0, 1.0, 2.0])
case("rescaling_unbatched", "Rescaling", images[0], scale=2.0, offset=-3.0)
case("rescaling_float64", "Rescaling", images.astype("float64"), scale=0.1)

# -- Resizing ----------------------------------------------------------------------
for interpolation in ("bilinear", "nearest", "bicubic"):
    for antialias in (False, True):
        for h, w in ((4, 5), (11, 13)):
            case(f"resizing_{interpolation}_{int(antialias)}_{h}x{w}", "Resizing", images,
                 height=h, width=w, interpolation=interpolation, antialias=antialias)
case("resizing_channels_first", "Resizing", images_cf, height=5, width=4, data_format=CF)
case("resizing_unbatched", "Resizing", images[0], height=3, width=8)
case("resizing_unbatched_cf", "Resizing", images_cf[0], height=3, width=8, data_format=CF)
case("resizing_crop_tall", "Resizing", images, height=6, width=3, crop_to_aspect_ratio=True)
case("resizing_crop_wide", "Resizing", images, height=3, width=8, crop_to_aspect_ratio=True)
case("resizing_crop_cf", "Resizing", images_cf, height=3, width=8, crop_to_aspect_ratio=True,
     data_format=CF)
case("resizing_pad_tall", "Resizing", images, height=8, width=4, pad_to_aspect_ratio=True,
     fill_value=0.25)
case("resizing_pad_wide", "Resizing", images, height=4, width=12, pad_to_aspect_ratio=True)
case("resizing_pad_cf", "Resizing", images_cf, height=4, width=12, pad_to_aspect_ratio=True,
     fill_value=-1.0, data_format=CF)
case("resizing_uint8", "Resizing", uint8, height=4, width=5)
case("resizing_uint8_bicubic", "Resizing", uint8, height=12, width=14, interpolation="bicubic")
case("resizing_float64", "Resizing", images.astype("float64"), height=4, width=5)

# -- CenterCrop --------------------------------------------------------------------
case("center_crop_odd", "CenterCrop", images, height=3, width=4)
case("center_crop_even", "CenterCrop", images, height=4, width=6)
case("center_crop_full", "CenterCrop", images, height=7, width=9)
case("center_crop_cf", "CenterCrop", images_cf, height=3, width=5, data_format=CF)
case("center_crop_unbatched", "CenterCrop", images[0], height=2, width=3)
case("center_crop_unbatched_cf", "CenterCrop", images_cf[0], height=2, width=3,
     data_format=CF)
case("center_crop_taller", "CenterCrop", images, height=10, width=4)
case("center_crop_wider", "CenterCrop", images, height=5, width=12)
case("center_crop_larger", "CenterCrop", images, height=10, width=12)
case("center_crop_larger_cf", "CenterCrop", images_cf, height=8, width=11, data_format=CF)
case("center_crop_uint8", "CenterCrop", uint8, height=3, width=4)

# -- a .keras file written by Keras --------------------------------------------------
inputs = keras.Input((None, None, 3))
y = keras.layers.Rescaling(np.array([1 / 255, 2 / 255, 0.5 / 255]), offset=-0.25)(inputs)
y = keras.layers.Resizing(10, 12, interpolation="bicubic", antialias=True)(y)
y = keras.layers.CenterCrop(6, 7)(y)
y = keras.layers.Resizing(5, 5, pad_to_aspect_ratio=True, fill_value=0.5)(y)
model = keras.Model(inputs, y)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
ref.put("file/x", images)
ref.put("file/out", model.predict(images, verbose=0))

ref.save()
