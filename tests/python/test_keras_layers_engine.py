"""torkeras against Keras 3.15 (tests/keras_reference/layers_engine.py): the
masking guide's model and add_loss / activity-regularizer-only training."""
import keras_reference
import numpy as np
import pytest

import torkeras as keras
from torkeras import layers, ops

ref = keras_reference.load("layers_engine")


class MaskedSoftmax(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        m = ops.expand_dims(ops.cast(mask, "float32"), -1)
        e = ops.exp(inputs - ops.max(inputs, axis=1, keepdims=True)) * m
        return e / ops.sum(e, axis=1, keepdims=True)


class SquarePenalty(layers.Layer):
    def call(self, x):
        self.add_loss(ops.mean(ops.square(x)))
        return x


def test_masking_guide_model_matches_keras():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    model = keras.Model(inputs, MaskedSoftmax()(x))
    model.set_weights([ref[f"mask/w{i}"] for i in range(3)])
    keras_reference.assert_matches(model(ref["mask/tokens"]), ref["mask/out"],
                                   rtol=1e-6, atol=1e-7)


def _add_loss_model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, SquarePenalty()(layers.Dense(2)(inputs)))


def _activity_model():
    return keras.Sequential([keras.Input((3,)),
                             layers.Dense(2, activity_regularizer=keras.regularizers.L2(0.5))])


@pytest.mark.parametrize("case,build", [("add_loss", _add_loss_model),
                                        ("activity", _activity_model)])
def test_fit_without_compiled_loss_matches_keras(case, build):
    model = build()
    model.set_weights([ref[f"fit/{case}/w{i}"] for i in range(2)])
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    history = model.fit(ref["fit/x"], epochs=2, batch_size=16, shuffle=False, verbose=0)
    # Epoch 2's loss follows one SGD step: float32 gradient sums in another order.
    keras_reference.assert_matches(np.array(history.history["loss"], "float32"),
                                   ref[f"fit/{case}/loss"], rtol=1e-5, atol=1e-7)
