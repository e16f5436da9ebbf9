"""Issue 9, saving and files: custom activations survive a save, zip bombs
and h5 links are refused, and saves are atomic (stale temp files of a killed
save are cleaned, errors name the target, symlinks stay links).

Error messages come from docs/reliability.md ("Saving and loading files").
"""

import json
import zipfile

import numpy as np
import pytest

import torkeras as keras
from reliability_table import documented_pattern

X = np.linspace(-2.0, 2.0, 24, dtype="float32").reshape(8, 3)


def scaled_tanh(x):
    return keras.ops.tanh(x) * 2.0


@keras.saving.register_keras_serializable(package="reliability")
def shifted_relu(x):
    return keras.ops.relu(x) + 1.0


def _dense_model(activation):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation=activation)])


def _saved_config(path):
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("config.json"))


# -- item 1: custom activations ------------------------------------------------
def test_plain_function_activation_round_trips_with_custom_objects(tmp_path):
    model = _dense_model(scaled_tanh)
    path = tmp_path / "plain.keras"
    model.save(path)
    stored = _saved_config(path)["config"]["layers"][-1]["config"]["activation"]
    # Keras 3's form of a custom function: found again by its name.
    assert stored == {"module": __name__, "class_name": "function", "config": "scaled_tanh",
                      "registered_name": "scaled_tanh"}
    loaded = keras.saving.load_model(path, custom_objects={"scaled_tanh": scaled_tanh})
    assert loaded.layers[0].activation is scaled_tanh
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    with keras.saving.custom_object_scope({"scaled_tanh": scaled_tanh}):
        scoped = keras.saving.load_model(path)
    assert scoped.layers[0].activation is scaled_tanh


def test_registered_activation_loads_without_custom_objects(tmp_path):
    model = _dense_model(shifted_relu)
    path = tmp_path / "registered.keras"
    model.save(path)
    stored = _saved_config(path)["config"]["layers"][-1]["config"]["activation"]
    assert stored["config"] == stored["registered_name"] == "reliability>shifted_relu"
    loaded = keras.saving.load_model(path)
    assert loaded.layers[0].activation is shifted_relu
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert loaded.predict(X, verbose=0).min() >= 1.0


def test_missing_custom_activation_is_one_clear_error(tmp_path):
    path = tmp_path / "plain.keras"
    _dense_model(scaled_tanh).save(path)
    with pytest.raises(ValueError, match=documented_pattern("9.1-custom-activation-unknown")):
        keras.saving.load_model(path)
    # The message starts with the activation's name.
    with pytest.raises(ValueError, match=r"^Unknown activation 'scaled_tanh': it is not a "
                                         r"built-in activation \(elu, "):
        keras.saving.load_model(path)


def test_recurrent_activations_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((5, 3)),
                              keras.layers.LSTM(2, activation=scaled_tanh,
                                                recurrent_activation=shifted_relu)])
    path = tmp_path / "lstm.keras"
    model.save(path)
    x = np.linspace(-1.0, 1.0, 30, dtype="float32").reshape(2, 5, 3)
    loaded = keras.saving.load_model(path, custom_objects={"scaled_tanh": scaled_tanh})
    assert loaded.layers[0].cell.activation is scaled_tanh
    assert loaded.layers[0].cell.recurrent_activation is shifted_relu
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_lambda_activation_is_code_and_needs_unsafe_mode(tmp_path):
    with pytest.warns(UserWarning, match="Serializing a Python lambda"):
        model = _dense_model(lambda x: x * 3.0)
        path = tmp_path / "lambda.keras"
        model.save(path)
    with pytest.raises(ValueError, match="Refusing to deserialize a Python lambda"):
        keras.saving.load_model(path)
    loaded = keras.saving.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_builtin_activation_names_are_unchanged():
    assert keras.layers.Dense(2, activation="relu").get_config()["activation"] == "relu"
    assert keras.activations.get("gelu") is keras.activations.gelu
    assert keras.activations.deserialize("softmax") is keras.activations.softmax
    assert keras.activations.deserialize(
        {"module": "__main__", "class_name": "function", "config": "scaled_tanh",
         "registered_name": "scaled_tanh"},
        custom_objects={"scaled_tanh": scaled_tanh}) is scaled_tanh
