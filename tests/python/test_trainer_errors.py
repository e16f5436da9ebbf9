"""An exception in the middle of fit/evaluate/predict leaves the model usable.

Each test makes one part of the loop fail (a callback, the loss, a layer, a
constraint applied by the optimizer), then checks the state the failure could
have left behind and that the next fit/evaluate/predict gives the numbers a
plain numpy computation gives.
"""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers
from torkeras.layers import layer as layer_module


class Boom(Exception):
    pass


def linear_data(n=12, d=3, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, d).astype("float32")
    y = rng.randn(n, 1).astype("float32")
    return x, y


def linear_model(d=3, lr=0.1, **dense_kwargs):
    model = keras.Sequential([keras.Input(shape=(d,)), layers.Dense(1, **dense_kwargs)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse",
                  metrics=["mean_absolute_error"])
    return model


def weights_of(model):
    dense = model.layers[-1]
    return dense.kernel.numpy().copy(), dense.bias.numpy().copy()


def check_one_full_batch_step(model, x, y, lr=0.1):
    """One fit step on the whole data: the reported loss/metric are those of
    the weights before the step and the new weights are one SGD step away."""
    w, b = weights_of(model)
    err = x @ w + b - y
    expected_loss = float(np.mean(err ** 2))
    expected_mae = float(np.mean(np.abs(err)))
    history = model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected_loss, rel=1e-5)
    assert history.history["mean_absolute_error"][0] == pytest.approx(expected_mae, rel=1e-5)
    w2, b2 = weights_of(model)
    np.testing.assert_allclose(w2, w - lr * 2 * x.T @ err / len(x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b2, b - lr * 2 * err.mean(0), rtol=1e-5, atol=1e-6)


def check_evaluate_predict(model, x, y):
    w, b = weights_of(model)
    pred = x @ w + b
    np.testing.assert_allclose(model.predict(x, verbose=0), pred, rtol=1e-5, atol=1e-6)
    result = model.evaluate(x, y, batch_size=5, verbose=0, return_dict=True)
    assert result["loss"] == pytest.approx(float(np.mean((pred - y) ** 2)), rel=1e-5)
    assert result["mean_absolute_error"] == pytest.approx(float(np.mean(np.abs(pred - y))),
                                                          rel=1e-5)


class FailAtBatch(keras.callbacks.Callback):
    def __init__(self, batch, stop_first=False):
        super().__init__()
        self.batch = batch
        self.stop_first = stop_first

    def on_train_batch_end(self, batch, logs=None):
        if batch == self.batch:
            if self.stop_first:
                self.model.stop_training = True
            raise Boom(f"callback failed at batch {batch}")


def test_callback_error_mid_epoch_leaves_model_usable():
    x, y = linear_data()
    model = linear_model()
    with pytest.raises(Boom, match="batch 2"):
        model.fit(x, y, batch_size=2, epochs=3, verbose=0, callbacks=[FailAtBatch(2)])
    assert model.optimizer.iterations.numpy() == 3  # three batches ran, each counted once
    assert not model.training  # back in eval mode, as after a normal fit
    assert layer_module._context.depth == 0
    assert layer_module._context.training is None
    assert torch.is_grad_enabled()
    check_evaluate_predict(model, x, y)
    check_one_full_batch_step(model, x, y)
    # a later fit runs all its epochs
    history = model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    assert history.epoch == [0, 1]


def test_stop_training_set_before_an_error_does_not_stop_the_next_fit():
    x, y = linear_data()
    model = linear_model()
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=4, epochs=2, verbose=0,
                  callbacks=[FailAtBatch(1, stop_first=True)])
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0)
    assert history.epoch == [0, 1, 2]
    assert model.stop_training is False


def test_loss_error_then_working_loss():
    x, y = linear_data()
    state = {"fail": True}

    def flaky_mse(y_true, y_pred):
        if state["fail"]:
            raise ValueError("bad loss")
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=flaky_mse,
                  metrics=["mean_absolute_error"])
    before = weights_of(model)
    with pytest.raises(ValueError, match="bad loss"):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    after = weights_of(model)
    np.testing.assert_array_equal(before[0], after[0])  # no update was applied
    assert model.optimizer.iterations.numpy() == 0
    assert not model.training
    state["fail"] = False
    check_one_full_batch_step(model, x, y)
    check_evaluate_predict(model, x, y)


class FailingLayer(layers.Layer):
    """Fails in call() while `fail` is set, after its inner layer ran."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = layers.Dropout(0.5)
        self.fail = False

    def call(self, inputs, training=None):
        out = self.inner(inputs, training=training)
        if self.fail:
            raise Boom("layer failed")
        return out


def test_layer_error_inside_nested_call_resets_the_call_context():
    x, y = linear_data()
    failing = FailingLayer()
    model = keras.Sequential([keras.Input(shape=(3,)), failing, layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse",
                  metrics=["mean_absolute_error"])
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    failing.fail = True
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert layer_module._context.depth == 0
    assert layer_module._context.training is None
    assert not model.training
    with pytest.raises(Boom):
        model.predict(x, verbose=0)
    failing.fail = False
    # Dropout must be inactive at inference: a training flag left behind would
    # make predictions random.
    p1 = model.predict(x, verbose=0)
    p2 = model.predict(x, verbose=0)
    np.testing.assert_array_equal(p1, p2)
    np.testing.assert_allclose(model(x).detach().numpy(), p1, rtol=1e-6)


def test_constraint_error_after_the_update_counts_the_step():
    x, y = linear_data()
    state = {"fail": False}

    def clip(w):
        if state["fail"]:
            raise Boom("constraint failed")
        return keras.ops.clip(w, -10.0, 10.0)

    model = linear_model(kernel_constraint=clip)
    model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    assert model.optimizer.iterations.numpy() == 1
    state["fail"] = True
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    # the update ran before the constraint failed, so it is counted
    assert model.optimizer.iterations.numpy() == 2
    state["fail"] = False
    check_one_full_batch_step(model, x, y)
    assert model.optimizer.iterations.numpy() == 3


def test_adam_after_a_failed_step_matches_an_uninterrupted_run():
    """A loss error before the update changes nothing: Adam's moments and step
    count continue as if the failed call never happened."""
    x, y = linear_data()
    state = {"fail": False}

    def flaky(y_true, y_pred):
        if state["fail"]:
            raise Boom("bad loss")
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    def make():
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])
        model.compile(optimizer="adam", loss=flaky)
        return model

    reference = make()
    reference.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    model = make()
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    state["fail"] = True
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    state["fail"] = False
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(weights_of(model), weights_of(reference)):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert model.optimizer.iterations.numpy() == reference.optimizer.iterations.numpy()


def test_errors_in_evaluate_and_predict_callbacks():
    x, y = linear_data()
    model = linear_model()

    class FailTest(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            raise Boom("test hook")

        def on_predict_batch_end(self, batch, logs=None):
            raise Boom("predict hook")

    with pytest.raises(Boom, match="test hook"):
        model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[FailTest()])
    assert torch.is_grad_enabled()
    with pytest.raises(Boom, match="predict hook"):
        model.predict(x, batch_size=4, verbose=0, callbacks=[FailTest()])
    assert torch.is_grad_enabled()
    # validation inside fit fails the same way and fit recovers
    with pytest.raises(Boom, match="test hook"):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0, validation_data=(x, y),
                  callbacks=[FailTest()])
    assert not model.training
    check_evaluate_predict(model, x, y)
    check_one_full_batch_step(model, x, y)


def test_progress_line_is_ended_when_fit_fails(capsys):
    x, y = linear_data()
    model = linear_model()
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=2, epochs=1, verbose=1, callbacks=[FailAtBatch(2)])
    out = capsys.readouterr().out
    assert out.endswith("\n")  # the error message does not land on the bar's line
    model.fit(x, y, batch_size=2, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert out.endswith("\n")
