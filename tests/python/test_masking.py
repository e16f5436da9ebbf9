"""Keras masking: masks carried by tensors (`_keras_mask`), passed to `call(mask=)`,
propagated through models, and applied to pooling, losses and metrics.
Expected values are computed with numpy from the layers' weights."""

import warnings

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers

TOKENS = np.array([[1, 2, 3, 0, 0],
                   [4, 5, 0, 0, 0],
                   [6, 1, 2, 7, 3]])
KEPT = TOKENS != 0


def _masked_mean_embeddings(table, tokens):
    out = np.zeros((tokens.shape[0], table.shape[1]))
    for i, row in enumerate(tokens):
        kept = row[row != 0]
        out[i] = table[kept].mean(axis=0)
    return out


def test_embedding_mask_zero_sets_concrete_and_symbolic_masks():
    emb = layers.Embedding(8, 3, mask_zero=True)
    out = emb(torch.tensor(TOKENS))
    np.testing.assert_array_equal(out._keras_mask.numpy(), KEPT)
    symbolic = emb(keras.Input((5,), dtype="int32"))
    assert symbolic._keras_mask is not None
    assert symbolic._keras_mask.shape == (None, 5)
    assert symbolic._keras_mask.dtype == "bool"
    # Without mask_zero there is no mask.
    plain = layers.Embedding(8, 3)
    assert getattr(plain(torch.tensor(TOKENS)), "_keras_mask", None) is None
    assert plain(keras.Input((5,), dtype="int32"))._keras_mask is None


def test_sequential_average_pooling_ignores_masked_steps():
    model = keras.Sequential([keras.Input((5,), dtype="int32"),
                              layers.Embedding(8, 3, mask_zero=True),
                              layers.Dense(3, activation="relu"),
                              layers.Dropout(0.5),
                              layers.GlobalAveragePooling1D()])
    emb, dense = model.layers[0], model.layers[1]
    table = emb.embeddings.numpy()
    kernel, bias = dense.kernel.numpy(), dense.bias.numpy()
    hidden = np.maximum(table @ kernel + bias, 0.0)   # Dense applied per token
    expected = _masked_mean_embeddings(hidden, TOKENS)
    got = model.predict(TOKENS, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    # The unmasked mean differs (rows 0 and 1 have padding).
    assert not np.allclose(got[:2], hidden[TOKENS[:2]].mean(axis=1))
    # Pooling drops the mask: the model output carries none.
    assert getattr(model(TOKENS), "_keras_mask", None) is None


def test_functional_model_propagates_mask_to_output():
    inp = keras.Input((5,), dtype="int32")
    x = layers.Embedding(8, 4, mask_zero=True)(inp)
    x = layers.LayerNormalization()(x)
    out = layers.Dense(2)(layers.Activation("tanh")(x))
    assert out._keras_mask is not None and out._keras_mask.shape == (None, 5)
    model = keras.Model(inp, out)
    y = model(TOKENS)
    np.testing.assert_array_equal(y._keras_mask.numpy(), KEPT)


def test_merge_layer_combines_masks():
    a = torch.ones(2, 3, 1)
    b = torch.ones(2, 3, 1)
    a._keras_mask = torch.tensor([[True, True, False], [True, False, False]])
    b._keras_mask = torch.tensor([[True, False, False], [True, True, True]])
    out = layers.Add()([a, b])
    np.testing.assert_array_equal(out._keras_mask.numpy(),
                                  [[True, False, False], [True, False, False]])
    # Only one input masked: its mask passes.
    c = torch.ones(2, 3, 1)
    out = layers.Add()([a, c])
    np.testing.assert_array_equal(out._keras_mask.numpy(), a._keras_mask.numpy())


def test_masking_layer_mask_and_output():
    x = np.array([[[1.0, 0.0], [0.0, 0.0], [2.0, 3.0]],
                  [[-1.0, -1.0], [0.0, 5.0], [-1.0, -1.0]]], dtype="float32")
    out = layers.Masking()(x)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True], [True, True, True]])
    np.testing.assert_array_equal(out.numpy(), x)
    masking = layers.Masking(mask_value=-1.0)
    out = masking(x)
    expected_mask = np.any(x != -1.0, axis=-1)
    np.testing.assert_array_equal(out._keras_mask.numpy(), expected_mask)
    np.testing.assert_array_equal(out.numpy(), x * expected_mask[..., None])
    assert masking.get_config()["mask_value"] == -1.0
    assert layers.Masking.from_config(masking.get_config()).mask_value == -1.0
    symbolic = layers.Masking()(keras.Input((3, 2)))
    assert symbolic._keras_mask.shape == (None, 3)


def test_masking_layer_rejects_non_numeric_mask_value():
    with pytest.raises(ValueError, match="mask_value"):
        layers.Masking(mask_value="zero")


def test_masking_then_average_pooling_in_functional_model():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 4.0]]], dtype="float32")
    inp = keras.Input((3, 2))
    out = layers.GlobalAveragePooling1D()(layers.Masking()(inp))
    model = keras.Model(inp, out)
    np.testing.assert_allclose(model.predict(x, verbose=0), [[2.0, 3.0]])


def test_global_average_pooling_explicit_mask_and_keepdims():
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    mask = np.array([[True, False, True, False], [True, True, True, True]])
    got = layers.GlobalAveragePooling1D(keepdims=True)(torch.tensor(x), mask=torch.tensor(mask))
    weights = mask[..., None].astype("float32")
    expected = (x * weights).sum(axis=1, keepdims=True) / weights.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(got.numpy(), expected)
    # channels_first: steps on axis 2.
    xt = np.transpose(x, (0, 2, 1))
    got = layers.GlobalAveragePooling1D(data_format="channels_first")(
        torch.tensor(xt), mask=torch.tensor(mask))
    np.testing.assert_allclose(got.numpy(), expected[:, 0, :], rtol=1e-6)


def test_global_max_pooling_does_not_support_masking_and_warns():
    # As in Keras 3, GlobalMaxPooling1D ignores masks and says the mask is dropped.
    x = torch.tensor(np.array([[[1.0], [9.0], [2.0]]], dtype="float32"))
    x._keras_mask = torch.tensor([[True, False, True]])
    with pytest.warns(UserWarning, match="does not support masking"):
        out = layers.GlobalMaxPooling1D()(x)
    assert float(out[0, 0]) == 9.0
    assert getattr(out, "_keras_mask", None) is None


def test_unmasked_calls_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = keras.Sequential([keras.Input((4,)), layers.Dense(2), layers.Flatten()])
        model(np.ones((2, 4), dtype="float32"))


def _masked_regression_model():
    inp = keras.Input((5,), dtype="int32")
    out = layers.Dense(1)(layers.Embedding(8, 3, mask_zero=True)(inp))
    return keras.Model(inp, out)


def test_loss_counts_only_unmasked_steps():
    rng = np.random.default_rng(0)
    y = rng.random((3, 5, 1)).astype("float32")
    model = _masked_regression_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    pred = model.predict(TOKENS, verbose=0)[..., 0]
    expected_mse = ((pred - y[..., 0]) ** 2)[KEPT].mean()
    expected_mae = np.abs(pred - y[..., 0])[KEPT].mean()
    loss, mae = model.evaluate(TOKENS, y, verbose=0)
    np.testing.assert_allclose(loss, expected_mse, rtol=1e-5)
    np.testing.assert_allclose(mae, expected_mae, rtol=1e-5)
    # The unmasked values differ, so the mask did the work.
    assert not np.isclose(((pred - y[..., 0]) ** 2).mean(), expected_mse)


def test_loss_object_reads_prediction_mask_with_sample_weight():
    # Per-step losses of shape (2, 3): the (2, 3) mask of y_pred zeroes the
    # masked steps and the mean is taken over the unmasked ones.
    y_true = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 4.0]], dtype="float32")
    y_pred = np.array([[1.5, 2.0, 0.0], [1.0, 1.0, 2.0]], dtype="float32")
    mask = np.array([[True, True, False], [True, False, True]])
    sw = np.array([[1.0, 2.0, 1.0], [3.0, 1.0, 1.0]], dtype="float32")
    yp = torch.tensor(y_pred[..., None])
    yp._keras_mask = torch.tensor(mask)
    loss = keras.losses.MeanAbsoluteError()
    values = np.abs(y_true - y_pred)
    got = float(loss(torch.tensor(y_true[..., None]), yp, sample_weight=torch.tensor(sw)))
    np.testing.assert_allclose(got, (values * sw * mask).sum() / mask.sum(), rtol=1e-6)
    got = float(loss(torch.tensor(y_true[..., None]), yp))
    np.testing.assert_allclose(got, values[mask].mean(), rtol=1e-6)
    metric = keras.metrics.MeanAbsoluteError()
    metric.update_state(torch.tensor(y_true[..., None]), yp)
    np.testing.assert_allclose(float(metric.result()), values[mask].mean(), rtol=1e-6)


def test_fit_applies_mask_to_loss_and_metrics():
    rng = np.random.default_rng(1)
    y = rng.random((3, 5, 1)).astype("float32")
    model = _masked_regression_model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    pred = model.predict(TOKENS, verbose=0)[..., 0]
    history = model.fit(TOKENS, y, batch_size=3, epochs=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"][0],
                               ((pred - y[..., 0]) ** 2)[KEPT].mean(), rtol=1e-5)
    np.testing.assert_allclose(history.history["mae"][0],
                               np.abs(pred - y[..., 0])[KEPT].mean(), rtol=1e-5)


def test_fit_gradient_ignores_masked_targets():
    # Targets at masked steps must not move the weights: changing them gives
    # the same trained weights.
    rng = np.random.default_rng(2)
    y = rng.random((3, 5, 1)).astype("float32")
    y_other = y.copy()
    y_other[~KEPT] = 100.0
    results = []
    for targets in (y, y_other):
        keras.utils.set_random_seed(3)
        model = _masked_regression_model()
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        model.fit(TOKENS, targets, batch_size=3, epochs=2, verbose=0, shuffle=False)
        results.append([w.copy() for w in model.get_weights()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_mask_is_passed_to_call_that_accepts_it():
    seen = {}

    class Probe(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    x = torch.ones(2, 3, 1)
    x._keras_mask = torch.tensor([[True, False, True], [False, False, True]])
    Probe()(x)
    assert seen["mask"] is x._keras_mask
    explicit = torch.tensor([[True, True, True], [True, True, True]])
    Probe()(x, mask=explicit)
    assert seen["mask"] is explicit
    Probe()(torch.ones(2, 3, 1))
    assert seen["mask"] is None


def test_custom_compute_mask_and_default_supports_masking():
    class Shift(layers.Layer):
        def call(self, inputs):
            return inputs + 1.0

        def compute_mask(self, inputs, previous_mask):
            return inputs[..., 0] > 1.0

    layer = Shift()
    assert layer.supports_masking       # defining compute_mask means it supports masking
    assert not layers.Flatten().supports_masking
    out = layer(torch.tensor([[[0.5], [2.0]]]))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[False, True]])
    sym = layer(keras.Input((2, 1)))
    assert sym._keras_mask.shape == (None, 2)


def test_embedding_lstm_mask_equals_unpadded_sequence():
    keras.utils.set_random_seed(4)
    tokens = np.array([[3, 1, 4, 0, 0]])
    emb = layers.Embedding(6, 3, mask_zero=True)
    lstm = layers.LSTM(2)
    inp = keras.Input((5,), dtype="int32")
    model = keras.Model(inp, lstm(emb(inp)))
    padded = model.predict(tokens, verbose=0)
    unpadded = lstm(emb(torch.tensor(tokens[:, :3]))).detach().numpy()
    np.testing.assert_allclose(padded, unpadded, rtol=1e-5, atol=1e-6)
    # Without the mask the padding steps change the result.
    no_mask = lstm(torch.tensor(emb.embeddings.numpy()[tokens])).detach().numpy()
    assert not np.allclose(no_mask, unpadded)
