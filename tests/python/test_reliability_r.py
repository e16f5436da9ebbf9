"""Issue 9, item 2 (Python side): only a real bool decides `safe_mode`.

Keras reads `safe_mode` by truthiness, so `safe_mode=0` would run the code a
file stores and `safe_mode="False"` would not; torkeras refuses anything but
True/False (the R side, tests/testthat/test-reliability-r.R, refuses NA, 1,
"TRUE", c(TRUE, TRUE) and NULL before calling Python).
"""

import warnings

import numpy as np
import pytest

import torkeras as keras
from reliability_table import documented_pattern
from torkeras.saving import deserialize_keras_object, serialize_keras_object


def _code_writing(marker):
    """A lambda loss that creates `marker` when it runs (the path is a literal
    in its code, so it survives marshal; closures would not)."""
    return eval(f"lambda y, p: (open({str(marker)!r}, 'w').close(), "
                "keras.ops.mean(keras.ops.square(y - p)))[1]")


@pytest.fixture
def model_file(tmp_path):
    marker = tmp_path / "stored_code_ran"
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss=_code_writing(marker))
    path = tmp_path / "with_lambda.keras"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Serializing a Python lambda"
        model.save(path)
    assert not marker.exists()
    return path, marker


@pytest.mark.parametrize("value, case", [
    (0, "9.2-safe-mode-zero"),
    ("False", "9.2-safe-mode-string"),
    (None, "9.2-safe-mode-none"),
])
def test_load_model_refuses_a_safe_mode_that_is_not_a_bool(model_file, value, case):
    path, marker = model_file
    with pytest.raises(TypeError, match=documented_pattern(case)):
        keras.saving.load_model(path, safe_mode=value)
    with pytest.raises(TypeError, match=documented_pattern(case)):
        keras.models.load_model(path, safe_mode=value)
    assert not marker.exists()


def test_only_false_lets_the_stored_code_load(model_file):
    path, marker = model_file
    with pytest.raises(ValueError, match="Refusing to deserialize a Python lambda"):
        keras.saving.load_model(path, safe_mode=True)
    with pytest.raises(ValueError, match="Refusing to deserialize a Python lambda"):
        keras.saving.load_model(path, safe_mode=np.True_)
    loaded = keras.saving.load_model(path, safe_mode=np.False_)
    assert not marker.exists()
    # The stored lambda is the loss: evaluating runs it, so the marker shows
    # that these tests would notice code from the file running.
    loaded.evaluate(np.ones((2, 3), "float32"), np.zeros((2, 1), "float32"), verbose=0)
    assert marker.exists()


def test_deserialize_refuses_a_safe_mode_that_is_not_a_bool(tmp_path):
    marker = tmp_path / "stored_code_ran"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = serialize_keras_object(_code_writing(marker))
    with pytest.raises(TypeError, match=documented_pattern("9.2-safe-mode-zero")):
        deserialize_keras_object(config, safe_mode=0)
    # None keeps the default, which is safe.
    with pytest.raises(ValueError, match="Refusing to deserialize a Python lambda"):
        deserialize_keras_object(config, safe_mode=None)
    assert callable(deserialize_keras_object(config, safe_mode=False))
    assert not marker.exists()
