"""Keras side of tests/python/test_image_utils.py: smart_resize and img_to_array.

(.venv-keras has no Pillow, so the Pillow-backed functions -- load_img,
array_to_img, save_img -- are compared against Pillow directly in the test.)
"""
from refkit import Reference, keras

ref = Reference()
resize = keras.preprocessing.image.smart_resize

CASES = [
    ("wide", (34, 50, 3), (20, 20), "bilinear", "channels_last"),
    ("tall", (50, 21, 1), (12, 7), "nearest", "channels_last"),
    ("batch", (2, 30, 40, 3), (9, 16), "bicubic", "channels_last"),
    ("first", (3, 25, 17), (10, 10), "bilinear", "channels_first"),
    ("batch_first", (2, 1, 19, 31), (8, 5), "nearest", "channels_first"),
]
for name, shape, size, interp, fmt in CASES:
    x = ref.rng.uniform(0, 255, size=shape).astype("float32")
    ref.put(f"smart/{name}/x", x)
    ref.put(f"smart/{name}/out", resize(x, size, interpolation=interp, data_format=fmt))

gray = ref.rng.integers(0, 256, size=(5, 7)).astype("uint8")
rgb = ref.rng.integers(0, 256, size=(5, 7, 3)).astype("uint8")
ref.put("to_array/gray", gray)
ref.put("to_array/rgb", rgb)
ref.put("to_array/gray_last", keras.utils.img_to_array(gray, data_format="channels_last"))
ref.put("to_array/gray_first", keras.utils.img_to_array(gray, data_format="channels_first"))
ref.put("to_array/rgb_first", keras.utils.img_to_array(rgb, data_format="channels_first"))
ref.put("to_array/rgb_int", keras.utils.img_to_array(rgb, dtype="int32"))
ref.save()
