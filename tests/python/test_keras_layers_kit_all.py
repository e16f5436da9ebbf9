"""torkeras vs Keras 3 for what the layer test kit found in existing layers:
Softmax's mask rule (where-mask, zeroed masked outputs, numeric masks > 0.5,
broadcast masks, shape errors) and LayerNormalization(rms_scaling=True)."""

import json

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras

ref = keras_reference.load("layers_kit_all")


@pytest.mark.parametrize("case,axis", [("softmax_bool", -1), ("softmax_float", 1),
                                       ("softmax_broadcast", (1, 2))])
def test_softmax_mask_matches_keras(case, axis):
    x = torch.as_tensor(ref["softmax_bool/x"])
    mask = torch.as_tensor(ref[f"{case}/mask"])
    out = keras.layers.Softmax(axis=axis)(x, mask=mask)
    keras_reference.assert_matches(out, ref[f"{case}/out"], rtol=1e-6, atol=1e-7)


def test_softmax_fully_masked_row_is_zero():
    x = torch.as_tensor(ref["softmax_bool/x"])
    mask = torch.as_tensor(ref["softmax_bool/mask"])
    out = keras.layers.Softmax()(x, mask=mask).numpy()
    assert np.all(out[1, 2] == 0)


def test_softmax_mask_shape_errors():
    x = torch.zeros((2, 3))
    with pytest.raises(ValueError, match="must not have more dimensions"):
        keras.layers.Softmax()(x, mask=torch.ones((1, 2, 3), dtype=torch.bool))
    with pytest.raises(ValueError, match="must be 1 or match"):
        keras.layers.Softmax()(x, mask=torch.ones((2, 2), dtype=torch.bool))


def test_layer_normalization_rms_scaling_matches_keras():
    x = torch.as_tensor(ref["softmax_bool/x"])
    ln = keras.layers.LayerNormalization(rms_scaling=True)
    ln.build((2, 3, 4))
    assert len(ln.weights) == int(ref["ln_rms/n_weights"])
    ln.set_weights([ref["ln_rms/gamma"]])
    keras_reference.assert_matches(ln(x), ref["ln_rms/out"], rtol=1e-6, atol=0)


CONFIG_NAMES = sorted({k.split("/")[1] for k in ref.keys() if k.startswith("config/")})


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_get_config_matches_keras(name):
    kwargs = json.loads(str(ref[f"config/{name}/kwargs"]))
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    expected = json.loads(str(ref[f"config/{name}/config"]))
    actual = json.loads(json.dumps(getattr(keras.layers, name)(**kwargs).get_config(),
                                   default=str))
    expected.pop("name")
    actual.pop("name")
    # torkeras's documented, deliberate extras (docs/numerics.md; Keras reads
    # both): SimpleRNN keeps `seed`, SpatialDropout writes its dtype as the
    # DTypePolicy dict every other layer writes.
    if name == "SimpleRNN":
        assert actual.pop("seed") is None
    if name.startswith("SpatialDropout"):
        assert actual["dtype"]["config"]["name"] == expected["dtype"]
        actual["dtype"] = expected["dtype"]
    assert actual == expected


FILE_CASES = sorted({k.split("/")[1] for k in ref.keys() if k.startswith("file/")})


@pytest.mark.parametrize("case", FILE_CASES)
def test_keras_written_file_loads_with_keras_predictions(case, tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(ref[f"file/{case}/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    xs = [ref[k] for k in sorted(k for k in ref.keys()
                                 if k.startswith(f"file/{case}/x"))]
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    keras_reference.assert_matches(out, ref[f"file/{case}/out"], rtol=1e-6, atol=1e-7)
    assert [f"{w.path}:{tuple(w.shape)}" for w in model.weights] == \
        [str(v) for v in ref[f"file/{case}/weights"]]
