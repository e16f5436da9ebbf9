"""Image preprocessing layers Rescaling, Resizing and CenterCrop.

Outputs and configs are compared with real Keras 3 on the torch backend
(tests/keras_reference/preprocessing_image.py); the simple cases are also
checked against independent NumPy computations, and every layer goes through
the standard layer checks (symbolic call, config and .keras round trips).
"""
import json

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras
from layer_test_kit import run_layer_test

L = keras.layers
ref = keras_reference.load("preprocessing_image")
CASES = sorted({key.split("/")[0] for key in ref if key.endswith("/cls")})
BASE_KEYS = ("name", "trainable", "dtype")


def _input(value):
    # torkeras turns NumPy float64 into floatx on conversion (Keras keeps it):
    # a torch tensor keeps the dtype Keras saw.
    return torch.from_numpy(value) if value.dtype == np.float64 else value


@pytest.mark.parametrize("name", CASES)
def test_matches_keras(name):
    cls = getattr(L, str(ref[f"{name}/cls"]))
    kwargs = json.loads(str(ref[f"{name}/kwargs"]))
    layer = cls(**kwargs)
    actual = layer(_input(ref[f"{name}/x"]))
    expected = ref[f"{name}/out"]
    assert actual.dtype == torch.from_numpy(np.zeros(0, expected.dtype)).dtype, name
    keras_reference.assert_matches(actual, expected, rtol=1e-5, atol=1e-5, what=name)
    config = {k: v for k, v in layer.get_config().items() if k not in BASE_KEYS}
    assert config == json.loads(str(ref[f"{name}/config"])), name


def test_loads_keras_written_file(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(ref["file/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    keras_reference.assert_matches(model.predict(ref["file/x"], verbose=0), ref["file/out"],
                                   rtol=1e-5, atol=1e-5, what="keras file")
    np.testing.assert_allclose(model.layers[1].scale, [1 / 255, 2 / 255, 0.5 / 255])


# -- independent values --------------------------------------------------------------

def test_rescaling_values():
    x = np.array([[0, 51, 255]], dtype="uint8")
    out = L.Rescaling(1 / 255.0, offset=-0.5)(x)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[-0.5, -0.3, 0.5]], rtol=1e-6, atol=1e-7)


def test_rescaling_per_channel_channels_first():
    x = np.ones((2, 3, 4, 5), dtype="float32")
    old = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    try:
        out = L.Rescaling([1.0, 2.0, 3.0])(x).numpy()
    finally:
        keras.config.set_image_data_format(old)
    np.testing.assert_array_equal(out[:, 0], 1.0)
    np.testing.assert_array_equal(out[:, 1], 2.0)
    np.testing.assert_array_equal(out[:, 2], 3.0)


def test_rescaling_reads_keras_numpy_config():
    config = {"name": "r", "scale": {"class_name": "__numpy__",
                                     "config": {"value": [1.0, 2.0], "dtype": "float64"}},
              "offset": 0.5}
    layer = L.Rescaling.from_config(config)
    assert layer.scale == [1.0, 2.0]
    np.testing.assert_allclose(layer(np.ones((1, 2), "float32")).numpy(), [[1.5, 2.5]])


def test_center_crop_values():
    x = np.arange(2 * 7 * 9 * 3, dtype="float32").reshape(2, 7, 9, 3)
    np.testing.assert_array_equal(L.CenterCrop(3, 4)(x).numpy(), x[:, 2:5, 2:6, :])
    xcf = np.transpose(x, (0, 3, 1, 2))
    np.testing.assert_array_equal(L.CenterCrop(4, 5, data_format="channels_first")(xcf).numpy(),
                                  xcf[:, :, 1:5, 2:7])
    np.testing.assert_array_equal(L.CenterCrop(2, 2)(x[1]).numpy(), x[1, 2:4, 3:5, :])


def test_center_crop_smaller_input_resizes_the_aspect_window():
    # A 7x9 image cropped to 14x6 (taller than the input): the centred 7x3
    # window of aspect 14:6 is resized to 14x6, here by an exact 2x nearest-
    # equivalent check on a constant-per-column image.
    x = np.tile(np.arange(9, dtype="float32")[None, :, None], (7, 1, 1))[None]
    out = L.CenterCrop(14, 6)(x).numpy()
    assert out.shape == (1, 14, 6, 1)
    window = x[:, :, 3:6, :]   # columns 3, 4, 5
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(window).permute(0, 3, 1, 2), size=(14, 6), mode="bilinear",
        align_corners=False).permute(0, 2, 3, 1).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_resizing_values_bilinear_and_nearest():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    # Half-pixel centres: each output pixel is the mean of a 2x2 block.
    expected = x.reshape(1, 2, 2, 2, 2, 1).mean(axis=(2, 4))
    np.testing.assert_allclose(L.Resizing(2, 2)(x).numpy(), expected)
    up = L.Resizing(8, 8, interpolation="nearest")(x).numpy()
    np.testing.assert_array_equal(up, x.repeat(2, axis=1).repeat(2, axis=2))


# -- dtypes, models, shapes -------------------------------------------------------------

def test_dtypes_symbolic_and_eager_agree():
    for layer, dtype in ((L.Resizing(3, 4), "uint8"), (L.CenterCrop(3, 4), "float32"),
                         (L.Rescaling(2.0), "float32")):
        inputs = keras.Input((5, 6, 3), dtype="uint8")
        assert layer(inputs).dtype == dtype
        assert str(layer(np.zeros((1, 5, 6, 3), "uint8")).dtype) == f"torch.{dtype}"


def test_in_models_with_unknown_sizes():
    inputs = keras.Input((None, None, 3))
    x = L.Rescaling(1 / 255.0)(inputs)
    x = L.Resizing(6, 8)(x)
    outputs = L.CenterCrop(4, 4)(x)
    assert tuple(outputs.shape) == (None, 4, 4, 3)
    model = keras.Model(inputs, outputs)
    images = np.random.default_rng(0).uniform(0, 255, (2, 9, 11, 3)).astype("float32")
    expected = L.CenterCrop(4, 4)(L.Resizing(6, 8)(images / 255.0)).numpy()
    np.testing.assert_allclose(model.predict(images, verbose=0), expected, rtol=1e-5,
                               atol=1e-6)


def test_compute_output_shape():
    assert L.Resizing(3, 4).compute_output_shape((5, 6, 2)) == (3, 4, 2)
    assert L.CenterCrop(3, 4, data_format="channels_first").compute_output_shape(
        (None, 2, 5, 6)) == (None, 2, 3, 4)
    assert L.Rescaling(2.0).compute_output_shape((None, 7)) == (None, 7)


@pytest.mark.parametrize("cls, kwargs", [
    (L.Rescaling, {"scale": 0.5, "offset": 1.0}),
    (L.Resizing, {"height": 3, "width": 5, "interpolation": "bicubic", "antialias": True}),
    (L.Resizing, {"height": 6, "width": 3, "crop_to_aspect_ratio": True}),
    (L.Resizing, {"height": 4, "width": 12, "pad_to_aspect_ratio": True, "fill_value": 2.0}),
    (L.CenterCrop, {"height": 3, "width": 4}),
    (L.CenterCrop, {"height": 3, "width": 4, "data_format": "channels_first"}),
])
def test_layer_kit(cls, kwargs):
    run_layer_test(cls, kwargs, input_shape=(2, 7, 9, 3), run_training_check=False,
                   expected_num_trainable_weights=0, expected_num_non_trainable_weights=0)


# -- errors -------------------------------------------------------------------------------

def test_bad_arguments():
    with pytest.raises(ValueError, match="`height` must be a positive integer"):
        L.Resizing(0, 4)
    with pytest.raises(ValueError, match="`width` must be a positive integer"):
        L.CenterCrop(3, 2.5)
    with pytest.raises(ValueError, match="not supported by the torch backend"):
        L.Resizing(3, 4, interpolation="lanczos3")
    with pytest.raises(ValueError, match="`interpolation` must be one of"):
        L.Resizing(3, 4, interpolation="cubic")
    with pytest.raises(ValueError, match="`fill_mode` must be 'constant'"):
        L.Resizing(3, 4, fill_mode="reflect")
    with pytest.raises(ValueError, match="only one of `crop_to_aspect_ratio`"):
        L.Resizing(3, 4, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="data_format"):
        L.CenterCrop(3, 4, data_format="nhwc")
    with pytest.raises(ValueError, match="`scale` must be a number"):
        L.Rescaling("big")
    with pytest.raises(ValueError, match="rank 3 .* or 4"):
        L.CenterCrop(3, 4)(np.zeros((5, 6), "float32"))
    with pytest.raises(ValueError, match="rank 3 .* or 4"):
        L.Resizing(3, 4)(np.zeros((1, 1, 5, 6, 3), "float32"))


# -- the other direction: torkeras writes, Keras 3.15 reads ----------------------------

KERAS_LOAD = """
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
print([type(layer).__name__ for layer in model.layers])
"""


def test_torkeras_written_file_loads_in_keras(tmp_path):
    import os
    import subprocess
    inputs = keras.Input((None, None, 3))
    y = L.Rescaling([1 / 255, 2 / 255, 0.5 / 255], offset=-0.25)(inputs)
    y = L.Resizing(10, 12, interpolation="bicubic", antialias=True)(y)
    y = L.CenterCrop(6, 7)(y)
    y = L.Resizing(5, 5, crop_to_aspect_ratio=True, interpolation="nearest")(y)
    model = keras.Model(inputs, y)
    x = ref["file/x"]
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(KERAS_LOAD)
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    result = subprocess.run([keras_reference.keras_python(), str(script), path,
                             str(tmp_path / "x.npy"), str(tmp_path / "out.npy")],
                            capture_output=True, text=True, timeout=300, env=env,
                            cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "CenterCrop" in result.stdout and "Rescaling" in result.stdout
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected, rtol=1e-5,
                                   atol=1e-5)
