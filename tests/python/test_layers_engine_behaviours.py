"""Engine behaviours of issue 11 (F): symbolic calls pass masks to `call`,
fit() with only add_loss / activity-regularizer losses, models as layers."""
import numpy as np
import torch

import torkeras as keras
from torkeras import layers, ops

NP = ops.convert_to_numpy


class TemporalSoftmax(layers.Layer):
    """keras3's masking guide layer: a softmax over unmasked time steps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.seen_masks = []

    def call(self, inputs, mask=None):
        self.seen_masks.append(mask)
        assert mask is not None
        m = ops.expand_dims(ops.cast(mask, "float32"), -1)
        e = ops.exp(inputs - ops.max(inputs, axis=1, keepdims=True)) * m
        return e / ops.sum(e, axis=1, keepdims=True)


def test_symbolic_call_passes_mask_after_dense():
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(input_dim=10, output_dim=3, mask_zero=True)(inputs)
    x = layers.Dense(1)(x)
    soft = TemporalSoftmax()
    outputs = soft(x)  # the assert in call() fails without a mask
    assert soft.seen_masks
    assert all(m is not None and m.dtype == torch.bool for m in soft.seen_masks)
    assert outputs._keras_mask is not None
    assert outputs._keras_mask.shape == (None, None)
    model = keras.Model(inputs, outputs)
    tokens = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0]])
    out = NP(model(tokens))[..., 0]
    # Independent reference: Embedding + Dense in NumPy, softmax over the
    # unmasked steps only.
    emb = NP(model.layers[1].embeddings)
    k = NP(model.layers[2].kernel)
    b = NP(model.layers[2].bias)
    logits = (emb[tokens] @ k + b)[..., 0]
    mask = tokens != 0
    e = np.exp(logits - logits.max(axis=1, keepdims=True)) * mask
    np.testing.assert_allclose(out, e / e.sum(axis=1, keepdims=True), rtol=1e-6, atol=1e-7)
    assert np.all(out[~mask] == 0)


def test_symbolic_call_without_mask_gives_none():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, mask=None):
            seen.append(mask)
            return inputs

    inputs = keras.Input(shape=(4, 2))
    Probe()(layers.Dense(2)(inputs))
    assert seen and all(m is None for m in seen)


def test_symbolic_call_explicit_mask_wins():
    seen = []

    class Probe(layers.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            seen.append(None if mask is None else tuple(mask.shape))
            return inputs

    inputs = keras.Input(shape=(None,), dtype="int32")
    explicit = keras.Input(shape=(None,), dtype="bool")
    x = layers.Embedding(10, 2, mask_zero=True)(inputs)
    Probe()(x, mask=explicit)
    assert seen and all(s is not None for s in seen)


def test_symbolic_call_two_inputs_get_named_masks():
    seen = {}

    class Pair(layers.Layer):
        def call(self, a, b, a_mask=None, b_mask=None):
            seen["a"], seen["b"] = a_mask, b_mask
            return a + b

    ia = keras.Input(shape=(None,), dtype="int32")
    ib = keras.Input(shape=(None,), dtype="int32")
    ea = layers.Embedding(10, 2, mask_zero=True)(ia)
    eb = layers.Embedding(10, 2)(ib)
    Pair()(ea, eb)
    assert seen["a"] is not None and seen["b"] is None


class SquareLoss(layers.Layer):
    def call(self, x):
        self.add_loss(ops.mean(ops.square(x)))
        return x


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 3)).astype("float32")


def test_fit_with_add_loss_only_decreases_it():
    keras.utils.set_random_seed(1)
    inputs = keras.Input((3,))
    outputs = SquareLoss()(layers.Dense(2)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    x = _data()
    before = float(np.mean(NP(model(x)) ** 2))
    history = model.fit(x, epochs=3, batch_size=16, verbose=0)
    losses = history.history["loss"]
    np.testing.assert_allclose(losses[0], before, rtol=1e-5)
    assert losses[-1] < losses[0]
    result = model.evaluate(x, verbose=0)
    after = float(np.mean(NP(model(x)) ** 2))
    np.testing.assert_allclose(result, after, rtol=1e-5)


def test_fit_with_activity_regularizer_only():
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((3,)),
                              layers.Dense(2, activity_regularizer=keras.regularizers.L2(0.5))])
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    x = _data()
    out = NP(model(x))
    # Keras: regularizer(outputs) / batch size.
    expected = 0.5 * np.sum(out ** 2) / x.shape[0]
    history = model.fit(x, epochs=2, batch_size=16, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], expected, rtol=1e-5)
    assert history.history["loss"][1] < history.history["loss"][0]


def test_fit_with_add_loss_and_y_still_uses_compiled_loss():
    inputs = keras.Input((3,))
    outputs = SquareLoss()(layers.Dense(1)(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    x = _data()
    y = np.ones((16, 1), "float32")
    pred = NP(model(x))
    expected = np.mean((pred - y) ** 2) + np.mean(pred ** 2)
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), expected, rtol=1e-5)


def test_model_called_as_layer_in_sequential():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(2)])
    outer = keras.Sequential([keras.Input((3,)), layers.Dense(4), inner])
    x = _data()
    expected = NP(inner(outer.layers[0](x)))
    np.testing.assert_allclose(NP(outer(x)), expected, rtol=1e-6)
    assert outer.output_shape == (None, 2)
