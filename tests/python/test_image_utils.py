"""keras.utils image functions and keras.preprocessing.image.smart_resize.

smart_resize and img_to_array are compared with real Keras 3.15
(tests/keras_reference/image_utils.py); load_img / array_to_img / save_img
with Pillow directly and with PNG/JPEG round trips in temporary directories.
"""
import io
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

import keras_reference as kr
import torkeras as keras
import torkeras.preprocessing.image as kimage


def ref():
    return kr.load("image_utils")


CASES = [
    ("wide", (20, 20), "bilinear", "channels_last"),
    ("tall", (12, 7), "nearest", "channels_last"),
    ("batch", (9, 16), "bicubic", "channels_last"),
    ("first", (10, 10), "bilinear", "channels_first"),
    ("batch_first", (8, 5), "nearest", "channels_first"),
]


@pytest.mark.parametrize("name,size,interp,fmt", CASES)
def test_smart_resize_matches_keras(name, size, interp, fmt):
    r = ref()
    x = r[f"smart/{name}/x"]
    out = kimage.smart_resize(x, size, interpolation=interp, data_format=fmt)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, r[f"smart/{name}/out"], rtol=1e-5, atol=1e-3)
    # torch tensor in, torch tensor out, same values.
    out_t = kimage.smart_resize(torch.from_numpy(x), size, interpolation=interp, data_format=fmt)
    assert isinstance(out_t, torch.Tensor)
    np.testing.assert_allclose(out_t.numpy(), out, rtol=1e-6, atol=1e-5)


def test_smart_resize_crop_is_centred():
    # nearest resize to the crop's own size: exactly the centred crop.
    x = np.arange(6 * 10, dtype="float32").reshape(6, 10, 1)
    out = kimage.smart_resize(x, (6, 6), interpolation="nearest")
    np.testing.assert_array_equal(out, x[:, 2:8])


def test_smart_resize_errors():
    with pytest.raises(ValueError, match="size"):
        kimage.smart_resize(np.zeros((4, 4, 3)), (2, 2, 2))
    with pytest.raises(ValueError, match="rank|shape"):
        kimage.smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="data_format"):
        kimage.smart_resize(np.zeros((4, 4, 3)), (2, 2), data_format="nhwc")


def test_img_to_array_matches_keras():
    r = ref()
    gray = Image.fromarray(r["to_array/gray"])
    rgb = Image.fromarray(r["to_array/rgb"])
    for got, key in [
        (keras.utils.img_to_array(gray, data_format="channels_last"), "gray_last"),
        (keras.utils.img_to_array(gray, data_format="channels_first"), "gray_first"),
        (keras.utils.img_to_array(rgb, data_format="channels_first"), "rgb_first"),
        (keras.utils.img_to_array(rgb, dtype="int32"), "rgb_int"),
    ]:
        want = r[f"to_array/{key}"]
        assert got.dtype == want.dtype and got.shape == want.shape, key
        np.testing.assert_array_equal(got, want)
    assert keras.utils.img_to_array(rgb).dtype == np.float32
    with pytest.raises(ValueError, match="rank 2 or 3"):
        keras.utils.img_to_array(np.zeros((2, 2, 2, 2)))


def test_array_to_img_scaling_and_modes():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 5, size=(4, 6, 3)).astype("float32")
    img = keras.utils.array_to_img(x)
    assert img.mode == "RGB" and img.size == (6, 4)
    want = ((x - x.min()) / (x - x.min()).max() * 255).astype("uint8")
    np.testing.assert_array_equal(np.asarray(img), want)
    # scale=False: truncation only.
    y = rng.uniform(0, 255, size=(3, 2, 4)).astype("float32")
    img = keras.utils.array_to_img(y, scale=False)
    assert img.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(img), y.astype("uint8"))
    # channels_first, one channel -> "L".
    g = rng.uniform(0, 255, size=(1, 5, 3)).astype("float32")
    img = keras.utils.array_to_img(g, data_format="channels_first", scale=False)
    assert img.mode == "L" and img.size == (3, 5)
    np.testing.assert_array_equal(np.asarray(img), g[0].astype("uint8"))
    # one channel above 255 without scaling -> 32-bit "I".
    big = np.full((2, 2, 1), 1000.0, dtype="float32")
    img = keras.utils.array_to_img(big, scale=False)
    assert img.mode == "I"
    np.testing.assert_array_equal(np.asarray(img), np.full((2, 2), 1000))
    # constant image scales to zeros; torch tensors accepted.
    img = keras.utils.array_to_img(torch.full((2, 3, 3), 7.0))
    np.testing.assert_array_equal(np.asarray(img), np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="rank 3"):
        keras.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        keras.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="data_format"):
        keras.utils.array_to_img(np.zeros((2, 2, 3)), data_format="bogus")


def _write_png(path, array):
    Image.fromarray(array).save(path)


def test_load_img_modes_and_resize(tmp_path):
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 256, size=(12, 20, 3)).astype("uint8")
    path = tmp_path / "a.png"
    _write_png(path, arr)
    img = keras.utils.load_img(path)
    assert img.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(img), arr)
    img = keras.utils.load_img(str(path), color_mode="grayscale")
    assert img.mode == "L"
    np.testing.assert_array_equal(np.asarray(img), np.asarray(Image.fromarray(arr).convert("L")))
    img = keras.utils.load_img(path, color_mode="rgba")
    assert img.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(img)[..., 3], 255)
    for interp, resample in [("nearest", Image.Resampling.NEAREST),
                             ("bilinear", Image.Resampling.BILINEAR),
                             ("bicubic", Image.Resampling.BICUBIC),
                             ("lanczos", Image.Resampling.LANCZOS)]:
        img = keras.utils.load_img(path, target_size=(5, 8), interpolation=interp)
        assert img.size == (8, 5)
        want = Image.fromarray(arr).resize((8, 5), resample)
        np.testing.assert_array_equal(np.asarray(img), np.asarray(want))
    # keep_aspect_ratio: centred crop (12x12 of 12x20 -> columns 4:16) then resize.
    img = keras.utils.load_img(path, target_size=(6, 6), keep_aspect_ratio=True)
    want = Image.fromarray(arr[:, 4:16]).resize((6, 6), Image.Resampling.NEAREST)
    np.testing.assert_array_equal(np.asarray(img), np.asarray(want))
    # BytesIO input.
    buf = io.BytesIO(path.read_bytes())
    np.testing.assert_array_equal(np.asarray(keras.utils.load_img(buf)), arr)


def test_load_img_errors(tmp_path):
    path = tmp_path / "a.png"
    _write_png(path, np.zeros((4, 4, 3), dtype="uint8"))
    with pytest.raises(ValueError, match="color_mode"):
        keras.utils.load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="interpolation"):
        keras.utils.load_img(path, target_size=(2, 2), interpolation="area")
    with pytest.raises(ValueError, match="target_size"):
        keras.utils.load_img(path, target_size=(2, 0))
    with pytest.raises(TypeError, match="path"):
        keras.utils.load_img(42)
    with pytest.raises(FileNotFoundError):
        keras.utils.load_img(tmp_path / "missing.png")


def test_save_img_png_round_trip(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, size=(7, 9, 3)).astype("float32")
    path = tmp_path / "out.png"
    keras.utils.save_img(path, x, scale=False)
    back = keras.utils.img_to_array(keras.utils.load_img(path))
    np.testing.assert_array_equal(back, x)
    # channels_first and grayscale.
    g = rng.integers(0, 256, size=(1, 4, 5)).astype("float32")
    keras.utils.save_img(tmp_path / "g.png", g, data_format="channels_first", scale=False)
    back = keras.utils.img_to_array(keras.utils.load_img(tmp_path / "g.png", color_mode="grayscale"),
                                    data_format="channels_first")
    np.testing.assert_array_equal(back, g)
    # file object needs file_format.
    buf = io.BytesIO()
    keras.utils.save_img(buf, x, file_format="png", scale=False)
    buf.seek(0)
    np.testing.assert_array_equal(np.asarray(Image.open(buf)), x.astype("uint8"))


def test_save_img_jpeg(tmp_path):
    x = np.full((8, 8, 4), 100.0, dtype="float32")
    x[..., 3] = 255.0
    path = tmp_path / "out.jpg"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.utils.save_img(path, x, scale=False, quality=95)
    assert any("JPEG" in str(w.message) for w in caught)
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.mode == "RGB"
    back = keras.utils.img_to_array(keras.utils.load_img(path))
    # flat colour survives JPEG within a couple of levels.
    assert np.abs(back - 100.0).max() <= 2
