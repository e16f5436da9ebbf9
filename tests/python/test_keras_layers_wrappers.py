"""torkeras's PReLU, TimeDistributed, ActivityRegularization and Identity
against Keras 3.15 (tests/keras_reference/layers_wrappers.py): same weights
-> same outputs, same get_config(), the same activity losses, and .keras
files crossing between the two in both directions."""
import json
import os
import subprocess

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras

ref = keras_reference.load("layers_wrappers")
L = keras.layers


def _config_without_dtype(config):
    config = dict(config)
    config.pop("dtype", None)
    if isinstance(config.get("layer"), dict):
        inner = dict(config["layer"])
        inner["config"] = _config_without_dtype(inner["config"])
        inner.pop("build_config", None)
        config["layer"] = inner
    return config


@pytest.mark.parametrize("case", keras_reference.cases(ref, "prelu"))
def test_prelu_matches_keras(case):
    kwargs = json.loads(str(ref[f"prelu/{case}/kwargs"]))
    x = ref[f"prelu/{case}/x"]
    layer = L.PReLU(**kwargs)
    layer.build(x.shape)
    layer.set_weights([ref[f"prelu/{case}/alpha"]])
    keras_reference.assert_matches(layer(x), ref[f"prelu/{case}/out"], rtol=1e-6)
    expected = json.loads(str(ref[f"prelu/{case}/config"]))
    got = layer.get_config()
    expected["name"] = got["name"]
    assert _config_without_dtype(got) == _config_without_dtype(expected)


@pytest.mark.parametrize("case", keras_reference.cases(ref, "td"))
def test_time_distributed_matches_keras(case):
    cls = str(ref[f"td/{case}/class"])
    kwargs = json.loads(str(ref[f"td/{case}/kwargs"]))
    x = ref[f"td/{case}/x"]
    layer = L.TimeDistributed(getattr(L, cls)(**kwargs))
    layer.build(x.shape)
    layer.set_weights([ref[f"td/{case}/w{i}"] for i in range(len(layer.weights))])
    keras_reference.assert_matches(layer(x), ref[f"td/{case}/out"], rtol=1e-6, atol=1e-6)
    assert tuple(layer.compute_output_shape((None,) + x.shape[1:])[1:]) == \
        tuple(ref[f"td/{case}/shape"])
    expected = json.loads(str(ref[f"td/{case}/config"]))
    got = layer.get_config()
    assert set(got) == set(expected)
    assert got["layer"]["class_name"] == expected["layer"]["class_name"]
    inner_expected = dict(expected["layer"]["config"])
    inner_got = dict(got["layer"]["config"])
    for key in ("name", "dtype"):
        inner_expected.pop(key)
        inner_got.pop(key)
    assert inner_got == inner_expected


@pytest.mark.parametrize("case", keras_reference.cases(ref, "actreg"))
def test_activity_regularization_matches_keras(case):
    x = ref[f"actreg/{case}/x"]
    layer = L.ActivityRegularization(l1=float(ref[f"actreg/{case}/l1"]),
                                     l2=float(ref[f"actreg/{case}/l2"]))
    out = layer(x)
    keras_reference.assert_matches(out, ref[f"actreg/{case}/out"], rtol=0, atol=0)
    assert len(layer.losses) == 1
    keras_reference.assert_matches(layer.losses[0], ref[f"actreg/{case}/loss"], rtol=1e-6)
    expected = json.loads(str(ref[f"actreg/{case}/config"]))
    got = layer.get_config()
    assert set(got) == set(expected)
    assert (got["l1"], got["l2"]) == (expected["l1"], expected["l2"])


def test_identity_config_matches_keras():
    expected = json.loads(str(ref["identity/config"]))
    got = L.Identity(name="ident").get_config()
    assert _config_without_dtype(got) == _config_without_dtype(expected)


def test_keras_written_file_loads(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(ref["file/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    assert [type(l).__name__ for l in model.layers][1:] == \
        ["PReLU", "TimeDistributed", "Identity", "TimeDistributed"]
    keras_reference.assert_matches(model.predict(ref["file/x"], verbose=0), ref["file/out"],
                                   rtol=1e-6, atol=1e-6)


KERAS_LOAD = """
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], model.predict(x, verbose=0))
print([type(l).__name__ for l in model.layers])
"""


def test_torkeras_written_file_loads_in_keras(tmp_path):
    python = keras_reference.keras_python()
    inputs = keras.Input((4, 3))
    h = L.PReLU(alpha_initializer="random_normal", shared_axes=[1])(inputs)
    h = L.TimeDistributed(L.Dense(5, activation="relu"))(h)
    h = L.ActivityRegularization(l1=0.01)(L.Identity()(h))
    outputs = L.TimeDistributed(L.Dense(2))(h)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(0).standard_normal((3, 4, 3)).astype("float32")
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(KERAS_LOAD)
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    result = subprocess.run([python, str(script), path, str(tmp_path / "x.npy"),
                             str(tmp_path / "out.npy")], capture_output=True, text=True,
                            timeout=300, env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ActivityRegularization" in result.stdout
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", keras_reference.cases(ref, "remb"))
def test_reversible_embedding_matches_keras(case):
    kwargs = json.loads(str(ref[f"remb/{case}/kwargs"]))
    layer = L.ReversibleEmbedding(**kwargs)
    layer.build()
    layer.set_weights([ref[f"remb/{case}/w{i}"] for i in range(len(layer.weights))])
    keras_reference.assert_matches(layer(ref[f"remb/{case}/ids"]), ref[f"remb/{case}/forward"],
                                   rtol=0, atol=0)
    keras_reference.assert_matches(layer(ref[f"remb/{case}/hidden"], reverse=True),
                                   ref[f"remb/{case}/reverse"], rtol=1e-6, atol=1e-6)
    expected = json.loads(str(ref[f"remb/{case}/config"]))
    got = layer.get_config()
    expected["name"] = got["name"]
    assert _config_without_dtype(got) == _config_without_dtype(expected)


def test_keras_written_lambda_file(tmp_path):
    path = tmp_path / "lambda.keras"
    path.write_bytes(ref["lambda_file/bytes"].tobytes())
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.saving.load_model(str(path))
    model = keras.saving.load_model(str(path), safe_mode=False)
    keras_reference.assert_matches(model.predict(ref["lambda_file/x"], verbose=0),
                                   ref["lambda_file/out"], rtol=1e-6, atol=1e-6)
    expected = json.loads(str(ref["lambda/config"]))
    got = model.get_layer("cut").get_config()
    assert set(got) == set(expected)
    assert got["function"]["class_name"] == "__lambda__"
    assert set(got["function"]["config"]) == {"code", "defaults", "closure"}
    assert json.loads(json.dumps(got["output_shape"])) == expected["output_shape"]


def test_keras_written_torch_module_wrapper_file(tmp_path):
    path = tmp_path / "torch.keras"
    path.write_bytes(ref["torch_file/bytes"].tobytes())
    with pytest.raises(ValueError, match="torch.nn.Module"):
        keras.saving.load_model(str(path))
    model = keras.saving.load_model(str(path), safe_mode=False)
    block = model.get_layer("torch_block")
    assert isinstance(block, L.TorchModuleWrapper)
    keras_reference.assert_matches(model.predict(ref["torch_file/x"], verbose=0),
                                   ref["torch_file/out"], rtol=1e-6, atol=1e-6)


KERAS_LOAD_UNSAFE = KERAS_LOAD.replace("load_model(sys.argv[1])",
                                       "load_model(sys.argv[1], safe_mode=False)")


def test_torkeras_written_torch_module_wrapper_loads_in_keras(tmp_path):
    python = keras_reference.keras_python()
    torch.manual_seed(0)
    inputs = keras.Input((3,))
    # Keras rebuilds the graph symbolically, which needs output_shape.
    block = L.TorchModuleWrapper(torch.nn.Sequential(torch.nn.Linear(3, 4),
                                                     torch.nn.BatchNorm1d(4)),
                                 output_shape=(None, 4))
    model = keras.Model(inputs, L.Dense(2)(block(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).standard_normal((8, 3)).astype("float32")
    model.fit(x, np.ones((8, 2), "float32"), epochs=1, verbose=0)
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(KERAS_LOAD_UNSAFE)
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    result = subprocess.run([python, str(script), path, str(tmp_path / "x.npy"),
                             str(tmp_path / "out.npy")], capture_output=True, text=True,
                            timeout=300, env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "TorchModuleWrapper" in result.stdout
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected, rtol=1e-6, atol=1e-6)
