"""UpSampling1D/3D, ZeroPadding1D/3D and AdaptiveAverage/MaxPooling1D/2D/3D
against Keras 3.15 (tests/keras_reference/layers_reshaping.py): outputs in both
data formats, compute_output_shape, get_config(), a .keras file written by
Keras loading with Keras's predictions, and a torkeras-written file loading in
Keras with torkeras's predictions."""
import json
import os
import subprocess

import numpy as np
import pytest

import keras_reference
import torkeras as keras

ref = keras_reference.load("layers_reshaping")
CASES = keras_reference.cases(ref, "layer")


def _layer(case):
    cls = str(ref[f"layer/{case}/class"])
    kwargs = json.loads(str(ref[f"layer/{case}/kwargs"]))
    return getattr(keras.layers, cls)(**kwargs)


@pytest.mark.parametrize("case", CASES)
def test_output_matches_keras(case):
    layer = _layer(case)
    out = layer(ref[f"layer/{case}/x"])
    # Padding/repeating copies values and adaptive pooling is the same torch
    # kernel Keras's torch backend calls: identical results.
    keras_reference.assert_matches(out, ref[f"layer/{case}/out"], rtol=1e-6, atol=0)


@pytest.mark.parametrize("case", CASES)
def test_output_shape_matches_keras(case):
    layer = _layer(case)
    shape = (None,) + ref[f"layer/{case}/x"].shape[1:]
    assert tuple(layer.compute_output_shape(shape)[1:]) == \
        tuple(int(v) for v in ref[f"layer/{case}/shape"])
    symbolic = layer(keras.Input(shape[1:]))
    assert tuple(symbolic.shape[1:]) == tuple(int(v) for v in ref[f"layer/{case}/shape"])


@pytest.mark.parametrize("case", CASES)
def test_config_matches_keras(case):
    layer = _layer(case)
    mine = json.loads(json.dumps(layer.get_config()))
    theirs = json.loads(str(ref[f"layer/{case}/config"]))
    mine.pop("name"), theirs.pop("name")
    assert mine == theirs
    again = type(layer).from_config(layer.get_config())
    np.testing.assert_array_equal(np.asarray(again(ref[f"layer/{case}/x"])),
                                  ref[f"layer/{case}/out"])


@pytest.mark.parametrize("key", ["file1d", "file3d"])
def test_keras_written_file_loads_with_keras_predictions(key, tmp_path):
    path = tmp_path / f"{key}.keras"
    path.write_bytes(ref[f"{key}/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    out = model.predict(ref[f"{key}/x"], verbose=0)
    # The 1D model holds a Conv1D (float32 accumulation in torch's CPU kernel,
    # as Keras's torch backend); the rest copies or pools values.
    keras_reference.assert_matches(out, ref[f"{key}/out"], rtol=1e-6, atol=1e-6)


KERAS_LOAD = """
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], np.asarray(model.predict(x, verbose=0)))
"""


def test_torkeras_written_file_loads_in_keras(tmp_path):
    python = keras_reference.keras_python()
    L = keras.layers
    inp = keras.Input((5, 2))
    h = L.ZeroPadding1D((2, 1), data_format="channels_last")(inp)
    h = L.Conv1D(3, 2, name="conv")(h)
    h = L.UpSampling1D(3)(h)
    h = L.Reshape((7, 3, 3, 1))(h)
    h = L.ZeroPadding3D((1, (0, 2), 1))(h)
    h = L.UpSampling3D((1, 2, 1), data_format="channels_first")(h)
    a = L.AdaptiveAveragePooling3D((2, 3, 2))(h)
    m = L.AdaptiveMaxPooling3D(2, data_format="channels_first")(h)
    out = L.Concatenate()([L.Flatten()(a), L.Flatten()(m)])
    model = keras.Model(inp, out)
    x = np.random.default_rng(3).standard_normal((2, 5, 2)).astype("float32")
    expected = model.predict(x, verbose=0)
    np.save(tmp_path / "x.npy", x)
    model.save(str(tmp_path / "mine.keras"))
    (tmp_path / "load.py").write_text(KERAS_LOAD)
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    result = subprocess.run([python, str(tmp_path / "load.py"), str(tmp_path / "mine.keras"),
                             str(tmp_path / "x.npy"), str(tmp_path / "out.npy")],
                            capture_output=True, text=True, timeout=300, env=env,
                            cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected,
                                   rtol=1e-6, atol=1e-6)
