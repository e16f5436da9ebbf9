"""The stateless API (Layer.stateless_call, Optimizer.stateless_apply,
Metric.stateless_*): results equal the stateful methods, state untouched."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers, metrics, optimizers

RNG = np.random.default_rng(7)
X = RNG.normal(size=(6, 4)).astype("float32")
Y = RNG.normal(size=(6, 3)).astype("float32")


def dense_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(5, activation="relu"), layers.Dense(3)])
    return model


def snapshot(variables):
    return [v.numpy() for v in variables]


def assert_same(a, b, **tol):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), **tol)


def numpy_forward(weights, x):
    w1, b1, w2, b2 = [np.asarray(w, dtype="float64") for w in weights]
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


# -- Layer.stateless_call ------------------------------------------------------

def test_stateless_call_uses_given_values_and_leaves_model_untouched():
    model = dense_model()
    before = snapshot(model.weights)
    new = [RNG.normal(size=v.shape).astype("float32") for v in model.trainable_variables]
    outputs, non_trainable = model.stateless_call([torch.tensor(w) for w in new], [], torch.tensor(X))
    np.testing.assert_allclose(outputs.detach().numpy(), numpy_forward(new, X), rtol=1e-5, atol=1e-5)
    assert non_trainable == []
    assert_same(snapshot(model.weights), before)
    # The same values set statefully give the same outputs.
    model.set_weights(new)
    np.testing.assert_allclose(model(X).detach().numpy(), outputs.detach().numpy(), rtol=1e-6)


def test_stateless_call_gradients_reach_the_given_tensors():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])
    w = torch.tensor(RNG.normal(size=(4, 3)).astype("float32"), requires_grad=True)
    b = torch.tensor(RNG.normal(size=(3,)).astype("float32"), requires_grad=True)
    outputs, _ = model.stateless_call([w, b], [], torch.tensor(X))
    loss = ((outputs - torch.tensor(Y)) ** 2).mean()
    loss.backward()
    # d mean((xW + b - y)^2) / dW = 2/n x^T (xW + b - y)
    resid = X.astype("float64") @ w.detach().numpy() + b.detach().numpy() - Y
    n = resid.size
    np.testing.assert_allclose(w.grad.numpy(), 2 / n * X.T @ resid, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), 2 / n * resid.sum(0), rtol=1e-4, atol=1e-6)
    # The model's own parameters got no gradient.
    assert all(v.value.grad is None for v in model.trainable_variables)


def test_stateless_call_accepts_variables():
    model = dense_model()
    outputs, _ = model.stateless_call(model.trainable_variables, model.non_trainable_variables, X)
    np.testing.assert_allclose(outputs.detach().numpy(), model(X).detach().numpy(), rtol=1e-6)


def test_stateless_call_batch_normalization_training():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(4), layers.BatchNormalization(momentum=0.8)])
    model(X)
    before = snapshot(model.weights)
    trainable = [v.value.detach().clone() for v in model.trainable_variables]
    non_trainable = [v.value.detach().clone() for v in model.non_trainable_variables]
    non_trainable_copy = [t.clone() for t in non_trainable]
    outputs, new_nt = model.stateless_call(trainable, non_trainable, torch.tensor(X), training=True)
    assert_same(snapshot(model.weights), before)
    # The caller's tensors were not updated in place either.
    assert_same([t.numpy() for t in non_trainable], [t.numpy() for t in non_trainable_copy])
    # Independent reference: Keras' moving-statistics rule in numpy.
    kernel, bias = [t.numpy().astype("float64") for t in trainable[:2]]
    h = X @ kernel + bias
    mean, var = h.mean(0), h.var(0)
    mm0, mv0 = [t.numpy() for t in non_trainable]
    np.testing.assert_allclose(new_nt[0].numpy(), 0.8 * mm0 + 0.2 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_nt[1].numpy(), 0.8 * mv0 + 0.2 * var, rtol=1e-5, atol=1e-6)
    gamma, beta = [t.numpy() for t in trainable[2:]]
    expected = (h - mean) / np.sqrt(var + 1e-3) * gamma + beta
    np.testing.assert_allclose(outputs.detach().numpy(), expected, rtol=1e-4, atol=1e-5)
    # A stateful call does the same thing to the model's variables.
    stateful = model(torch.tensor(X), training=True)
    np.testing.assert_allclose(stateful.detach().numpy(), outputs.detach().numpy(), rtol=1e-6)
    assert_same(snapshot(model.non_trainable_variables), [t.numpy() for t in new_nt], rtol=1e-6)


class _PenalizedDense(layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], 2), initializer="ones", name="kernel")

    def call(self, x):
        self.add_loss(0.5 * torch.sum(self.kernel.value ** 2))
        return x @ self.kernel.value


def test_stateless_call_return_losses():
    layer = _PenalizedDense()
    layer(X)
    assert len(layer.losses) == 1
    live_loss = float(layer.losses[0].detach())
    kernel = torch.full((4, 2), 3.0, requires_grad=True)
    outputs, nt, losses = layer.stateless_call([kernel], [], X, return_losses=True)
    assert nt == []
    assert len(losses) == 1
    np.testing.assert_allclose(float(losses[0].detach()), 0.5 * 9 * 8)
    np.testing.assert_allclose(outputs.detach().numpy(), X @ np.full((4, 2), 3.0), rtol=1e-5)
    losses[0].backward()
    np.testing.assert_allclose(kernel.grad.numpy(), np.full((4, 2), 3.0))
    # The layer's own losses (from the earlier stateful call) are unchanged.
    assert len(layer.losses) == 1 and float(layer.losses[0].detach()) == live_loss


def test_stateless_call_with_regularizer_losses():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1))])
    kernel = RNG.normal(size=(4, 2)).astype("float32")
    _, _, losses = model.stateless_call([torch.tensor(kernel), torch.zeros(2)], [], X, return_losses=True)
    np.testing.assert_allclose(float(sum(losses).detach()), 0.1 * np.sum(kernel.astype("float64") ** 2), rtol=1e-5)


def test_stateless_call_errors():
    model = dense_model()
    with pytest.raises(ValueError, match="trainable_variables.*expected 4, received 3"):
        model.stateless_call(model.trainable_variables[:3], [], X)
    bad = [torch.zeros(2, 2)] + [v.value for v in model.trainable_variables[1:]]
    with pytest.raises(ValueError, match=r"trainable_variables.*shape \(4, 5\)"):
        model.stateless_call(bad, [], X)
    with pytest.raises(TypeError, match="non_trainable_variables.*list"):
        model.stateless_call(model.trainable_variables, torch.zeros(3), X)
    with pytest.raises(ValueError, match="not built"):
        layers.Dense(3).stateless_call([], [], X)


# -- Optimizer.stateless_apply -----------------------------------------------------

@pytest.mark.parametrize("make_opt", [
    lambda: optimizers.SGD(learning_rate=0.1, momentum=0.9),
    lambda: optimizers.Adam(learning_rate=0.01),
    lambda: optimizers.Adam(learning_rate=0.01, global_clipnorm=0.5, weight_decay=0.01),
    lambda: optimizers.SGD(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)),
    lambda: optimizers.Adam(learning_rate=0.01, use_ema=True, ema_momentum=0.5),
    lambda: optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=2),
], ids=["sgd_momentum", "adam", "adam_clip_decay", "sgd_schedule", "adam_ema", "sgd_accumulation"])
def test_stateless_apply_matches_apply(make_opt):
    model = dense_model()
    weights0 = snapshot(model.weights)
    grads = [[torch.tensor(RNG.normal(size=v.shape).astype("float32")) for v in model.trainable_variables]
             for _ in range(3)]
    opt = make_opt()
    opt.build(model.trainable_variables)
    opt_before = snapshot(opt.variables)
    trainable = [v.value.detach().clone() for v in model.trainable_variables]
    opt_values = [v.value.detach().clone() for v in opt.variables]
    for g in grads:
        trainable, opt_values = opt.stateless_apply(opt_values, g, trainable)
    # Nothing changed in place.
    assert_same(snapshot(model.weights), weights0)
    assert_same(snapshot(opt.variables), opt_before)
    assert int(opt.iterations.numpy()) == 0
    # The stateful updates land exactly on the same values.
    for g in grads:
        opt.apply(g, model.trainable_variables)
    assert_same(snapshot(model.trainable_variables), [t.numpy() for t in trainable], rtol=0, atol=0)
    assert_same(snapshot(opt.variables), [t.numpy() for t in opt_values], rtol=0, atol=0)
    assert int(opt_values[0]) == 3
    assert not np.allclose(snapshot(model.trainable_variables)[0], weights0[0])


def test_stateless_apply_leaves_the_fast_path_working():
    model = dense_model()
    opt = optimizers.Adam(learning_rate=0.01)
    opt.build(model.trainable_variables)
    g = [torch.ones(v.shape) for v in model.trainable_variables]
    opt.apply(g, model.trainable_variables)
    after_one = snapshot(model.trainable_variables)
    opt.stateless_apply(opt.variables, g, model.trainable_variables)
    assert_same(snapshot(model.trainable_variables), after_one, rtol=0, atol=0)
    assert opt.learning_rate == 0.01
    opt.apply(g, model.trainable_variables)  # must update the live variables again
    assert int(opt.iterations.numpy()) == 2
    assert not np.allclose(snapshot(model.trainable_variables)[0], after_one[0])


def test_stateless_apply_errors():
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="not built"):
        opt.stateless_apply([], [], [])
    model = dense_model()
    opt.build(model.trainable_variables)
    g = [torch.ones(v.shape) for v in model.trainable_variables]
    with pytest.raises(ValueError, match="optimizer_variables.*expected 2, received 1"):
        opt.stateless_apply(opt.variables[:1], g, model.trainable_variables)
    with pytest.raises(ValueError, match="grads.*expected 4, received 2"):
        opt.stateless_apply(opt.variables, g[:2], model.trainable_variables)


# -- Metric stateless methods ----------------------------------------------------------

@pytest.mark.parametrize("make_metric", [
    lambda: metrics.Mean(),
    lambda: metrics.MeanSquaredError(),
    lambda: metrics.CategoricalAccuracy(),
], ids=["mean", "mse", "categorical_accuracy"])
def test_metric_stateless_methods_match_stateful(make_metric):
    metric = make_metric()
    batches = [(Y[:3], X[:3, :3]), (Y[3:], X[3:, :3])]
    def call(m, method, values, y, p):
        if type(m) is metrics.Mean:
            return getattr(m, method)(values, torch.tensor(p)) if values is not None \
                else getattr(m, method)(torch.tensor(p))
        return getattr(m, method)(values, torch.tensor(y), torch.tensor(p)) if values is not None \
            else getattr(m, method)(torch.tensor(y), torch.tensor(p))
    # Stateless, starting from the metric's own Variables (R passes them so).
    values = metric.variables
    for y, p in batches:
        values = call(metric, "stateless_update_state", values, y, p)
    stateless = float(metric.stateless_result(values))
    assert all(float(v.numpy().sum()) == 0 for v in metric.variables)
    for y, p in batches:
        call(metric, "update_state", None, y, p)
    assert stateless == pytest.approx(float(metric.result()), rel=1e-6)
    assert_same(snapshot(metric.variables), [t.numpy() for t in values])
    # stateless_reset_state gives the reset values and leaves the state.
    reset = metric.stateless_reset_state()
    assert_same([t.numpy() for t in reset], [np.zeros(v.shape) for v in metric.variables])
    assert float(metric.result()) == pytest.approx(stateless, rel=1e-6)


def test_metric_stateless_values_are_checked_and_independent():
    metric = metrics.Mean()
    values = [torch.tensor(6.0), torch.tensor(2.0)]
    new = metric.stateless_update_state(values, torch.tensor([4.0]))
    assert [float(t) for t in new] == [10.0, 3.0]
    assert [float(t) for t in values] == [6.0, 2.0]
    assert float(metric.stateless_result(new)) == pytest.approx(10 / 3)
    with pytest.raises(ValueError, match="metric_variables.*expected 2, received 1"):
        metric.stateless_result(values[:1])
