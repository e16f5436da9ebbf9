"""Self-test of tests/python/layer_test_kit.py: each check fails on a layer
broken in the way that check is meant to catch, and passes on a sound one."""

import numpy as np
import pytest

import torkeras as keras

from layer_test_kit import run_layer_test


class Scale(keras.layers.Layer):
    """A sound layer: y = x * w + b over the last axis, with a `factor`."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.b = self.add_weight(shape=(input_shape[-1],), initializer="zeros", name="b")

    def call(self, x):
        return x * self.w * self.factor + self.b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class WrongShape(Scale):
    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + 1,)


class ForgetsConfig(Scale):
    def get_config(self):
        config = super().get_config()
        del config["factor"]
        return config


class UnusedWeight(Scale):
    def call(self, x):
        # the weights reach the output with a zero gradient: they never train
        return x * self.factor + 0.0 * self.w


CUSTOM = {"Scale": Scale, "WrongShape": WrongShape, "ForgetsConfig": ForgetsConfig,
          "UnusedWeight": UnusedWeight}


def _x():
    return np.random.default_rng(0).standard_normal((3, 4)).astype("float32")


def test_sound_layer_passes():
    x = _x()
    run_layer_test(Scale, {"factor": 2.0}, input_data=x, expected_output=x * 2.0,
                   expected_output_shape=(3, 4), expected_num_trainable_weights=2,
                   expected_num_non_trainable_weights=0, custom_objects=CUSTOM)


def test_wrong_expected_output_fails():
    with pytest.raises(AssertionError, match="expected output"):
        run_layer_test(Scale, {"factor": 2.0}, input_data=_x(), expected_output=_x() * 2.001,
                       custom_objects=CUSTOM)


def test_wrong_output_shape_fails():
    with pytest.raises(AssertionError, match="output shape"):
        run_layer_test(Scale, {}, input_shape=(3, 4), expected_output_shape=(3, 5),
                       custom_objects=CUSTOM)


def test_wrong_compute_output_shape_fails():
    with pytest.raises(AssertionError, match="compute_output_shape"):
        run_layer_test(WrongShape, {}, input_shape=(3, 4), custom_objects=CUSTOM)


def test_weight_counts_fail():
    with pytest.raises(AssertionError, match="trainable weights"):
        run_layer_test(Scale, {}, input_shape=(3, 4), expected_num_trainable_weights=3,
                       custom_objects=CUSTOM)
    with pytest.raises(AssertionError, match="non-trainable"):
        run_layer_test(Scale, {}, input_shape=(3, 4), expected_num_non_trainable_weights=1,
                       custom_objects=CUSTOM)


def test_config_round_trip_fails_when_a_key_is_lost():
    with pytest.raises(AssertionError, match=r"\[config\]"):
        run_layer_test(ForgetsConfig, {"factor": 3.0}, input_shape=(3, 4),
                       custom_objects=CUSTOM)


def test_save_round_trip_fails_when_a_key_is_lost():
    with pytest.raises(AssertionError, match=r"\[save\]"):
        run_layer_test(ForgetsConfig, {"factor": 3.0}, input_shape=(3, 4),
                       run_config_check=False, custom_objects=CUSTOM)


def test_training_fails_when_weights_do_not_train():
    with pytest.raises(AssertionError, match="no trainable weight changed"):
        run_layer_test(UnusedWeight, {"factor": 3.0}, input_shape=(3, 4),
                       custom_objects=CUSTOM)


def test_masking_flag_is_checked():
    with pytest.raises(AssertionError, match="supports_masking"):
        run_layer_test(Scale, {}, input_shape=(3, 4), supports_masking=True,
                       custom_objects=CUSTOM)


def test_non_trainable_change_is_checked():
    with pytest.raises(AssertionError, match="did not change"):
        run_layer_test(keras.layers.BatchNormalization, {"trainable": True},
                       input_shape=(4, 3), expected_non_trainable_change=True,
                       call_kwargs={"training": False}, run_save_check=False,
                       run_config_check=False)
