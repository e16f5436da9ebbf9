"""Issue 9, compile and the first step (items 3, 4 and parts of 10).

* compile() resolves every loss/metric/optimizer name and checks every
  argument before it changes the model: a rejected call leaves the model
  exactly as it was (or uncompiled), and it trains as an untouched twin does.
* A fit() that fails before its first update (the loss, a metric on the
  first batch's shapes, a layer, a callback, Ctrl-C) leaves the weights --
  BatchNormalization's moving statistics included -- and the optimizer
  (iterations, slots, built or not) as they were before fit.
* Argument errors: fit(x) without y under a compiled loss, predict(None),
  and invalid `units`/`filters`/`input_dim` of the layers.

Messages come from docs/reliability.md (section "compile()").
"""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers
from reliability_table import documented_pattern


def data(n=16, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 3).astype("float32")
    y = rng.randn(n, 2).astype("float32")
    return x, y


def bn_model(*extra_layers):
    """Dense -> BatchNormalization (moving statistics move in every training
    forward pass) -> extra layers, with fixed initial weights."""
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2), layers.BatchNormalization(),
                              *extra_layers])
    rng = np.random.RandomState(1)
    model.set_weights([rng.randn(*w.shape).astype("float32") for w in model.get_weights()])
    return model


def twin(model):
    """A second model with the same layers' weights, untouched by any test."""
    copy = bn_model()
    copy.set_weights(model.get_weights())
    return copy


def good_compile(model):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])


def assert_same_weights(before, model):
    after = model.get_weights()
    assert len(before) == len(after)
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a, b)


def fit_result(model, x, y):
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    return history.history, model.get_weights()


def assert_trains_like(model, reference, x, y):
    hist, weights = fit_result(model, x, y)
    ref_hist, ref_weights = fit_result(reference, x, y)
    assert hist == ref_hist
    for w, r in zip(weights, ref_weights):
        np.testing.assert_array_equal(w, r)


# -- item 4 (and 3): a rejected compile changes nothing --------------------------------------
BAD_COMPILES = [
    (dict(loss="msee"), "9.3-unknown-loss"),
    (dict(loss="mse", metrics=["mae", "acuracy"]), "9.3-unknown-metric"),
    (dict(loss="mse", weighted_metrics=["acuracy"]), "9.3-unknown-metric"),
    (dict(loss="mse", steps_per_execution=0), "9.4-steps-per-execution"),
    (dict(loss="mse", metrics="accuracy"), "9.4-metrics-not-a-list"),
    (dict(optimizer="adamm", loss="mse"), "9.4-unknown-optimizer"),
    (dict(loss="mse", loss_weights="heavy"), "9.4-loss-weights-type"),
    (dict(loss="mse", loss_weights=[float("nan")]), "9.4-loss-weights-not-finite"),
]


@pytest.mark.parametrize("kwargs,case_id", BAD_COMPILES, ids=[c for _, c in BAD_COMPILES])
def test_rejected_compile_leaves_a_compiled_model_as_it_was(kwargs, case_id):
    x, y = data()
    model = bn_model()
    good_compile(model)
    kept = {key: model.__dict__[key] for key in
            ("optimizer", "_compile_loss", "_compile_metrics", "_loss_tracker",
             "_compile_config", "steps_per_execution", "_jit_compile", "_run_eagerly")}
    reference = twin(model)
    good_compile(reference)
    with pytest.raises(ValueError, match=documented_pattern(case_id)):
        model.compile(**kwargs)
    for key, value in kept.items():
        assert model.__dict__[key] is value, key
    assert model.compiled
    assert_trains_like(model, reference, x, y)


@pytest.mark.parametrize("kwargs,case_id", BAD_COMPILES, ids=[c for _, c in BAD_COMPILES])
def test_rejected_compile_leaves_a_new_model_uncompiled(kwargs, case_id):
    x, y = data()
    model = bn_model()
    with pytest.raises(ValueError, match=documented_pattern(case_id)):
        model.compile(**kwargs)
    assert not model.compiled
    assert model.optimizer is None and model._compile_loss is None
    assert model.metrics == []
    with pytest.raises(RuntimeError, match="You must call `compile\\(\\)` before calling "
                                           "`fit\\(\\)`"):
        model.fit(x, y, verbose=0)


def two_output_model():
    inputs = keras.Input(shape=(3,))
    a = layers.Dense(1, name="a")(inputs)
    b = layers.Dense(1, name="b")(inputs)
    return keras.Model(inputs, [a, b])


@pytest.mark.parametrize("kwargs,case_id", [
    (dict(loss={"a": "mse", "b": "msee"}), "9.3-unknown-loss"),
    (dict(loss=["mse", "msee"]), "9.3-unknown-loss"),
    (dict(loss="mse", metrics={"b": ["mae", "acuracy"]}), "9.3-unknown-metric"),
    (dict(loss="mse", metrics=[["mae"], ["mse", "acuracy"]]), "9.3-unknown-metric"),
    (dict(loss={"a": "mse", "c": "mae"}), "9.3-loss-unknown-output"),
    (dict(loss="mse", metrics=["mae", "mse", "mape"]), "9.3-metrics-list-length"),
])
def test_per_output_entries_are_checked_in_compile(kwargs, case_id):
    # No data has been seen: the names and the outputs are matched by compile().
    model = two_output_model()
    with pytest.raises(ValueError, match=documented_pattern(case_id)):
        model.compile(optimizer="sgd", **kwargs)
    assert not model.compiled


def test_names_resolved_in_compile_report_as_before():
    x, y = data()
    model = two_output_model()
    model.compile(optimizer="sgd", loss={"a": "mse", "b": "mae"},
                  metrics={"a": ["mae"], "b": [None, "mse"]}, loss_weights={"a": 2.0})
    history = model.fit(x, [y[:, :1], y[:, 1:]], batch_size=16, verbose=0, shuffle=False)
    assert sorted(history.history) == ["a_loss", "a_mae", "b_loss", "b_mse", "loss"]
    logs = {k: v[0] for k, v in history.history.items()}
    assert logs["loss"] == pytest.approx(2.0 * logs["a_loss"] + logs["b_loss"], rel=1e-6)


# -- item 3: a failed first step changes nothing --------------------------------------------------
class Boom(Exception):
    pass


def mismatched_metric(y_true, y_pred):
    # (4, 2) @ (4, 2): fails on the first batch's shapes, after the loss.
    return torch.matmul(y_true, y_pred)


def mismatched_loss(y_true, y_pred):
    return torch.matmul(y_true, y_pred).mean()


class RaisesWhenTraining(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.armed = True

    def call(self, inputs, training=None):
        if training and self.armed:
            raise Boom("layer failed")
        return inputs


class RaiseIn(keras.callbacks.Callback):
    def __init__(self, hook, error=Boom):
        super().__init__()
        self.error = error
        setattr(self, hook, self._raise)

    def _raise(self, *args, **kwargs):
        raise self.error("callback failed")


FIRST_STEP_FAILURES = {
    "metric-on-first-batch-shapes": dict(metrics=[mismatched_metric]),
    "loss": dict(loss=mismatched_loss),
    "layer": dict(extra=RaisesWhenTraining()),
    "on_train_batch_begin": dict(callback=RaiseIn("on_train_batch_begin")),
    "on_train_begin": dict(callback=RaiseIn("on_train_begin")),
    "on_epoch_begin": dict(callback=RaiseIn("on_epoch_begin")),
    "ctrl-c-in-on_train_batch_begin": dict(callback=RaiseIn("on_train_batch_begin",
                                                            KeyboardInterrupt)),
}


def failing_setup(kind):
    spec = FIRST_STEP_FAILURES[kind]
    model = bn_model(*([spec["extra"]] if "extra" in spec else []))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss=spec.get("loss", "mse"), metrics=spec.get("metrics", ["mae"]))
    callbacks = [spec["callback"]] if "callback" in spec else []
    return model, callbacks


@pytest.mark.parametrize("kind", list(FIRST_STEP_FAILURES))
def test_failed_first_step_leaves_weights_and_an_unbuilt_optimizer(kind):
    x, y = data()
    model, callbacks = failing_setup(kind)
    before = model.get_weights()
    optimizer_variables = model.optimizer.variables
    with pytest.raises((Boom, RuntimeError, KeyboardInterrupt)):
        model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=callbacks)
    assert_same_weights(before, model)  # the BatchNormalization statistics included
    assert not model.optimizer.built
    assert int(model.optimizer.iterations.numpy()) == 0
    assert [v.path for v in model.optimizer.variables] == [v.path for v in optimizer_variables]


@pytest.mark.parametrize("kind", list(FIRST_STEP_FAILURES))
def test_failed_first_step_of_a_later_fit_leaves_the_optimizer_state(kind):
    x, y = data()
    model, callbacks = failing_setup(kind)
    spec = FIRST_STEP_FAILURES[kind]
    optimizer = model.optimizer
    # A first fit without the failing part builds the optimizer and moves it.
    failing_layers = [layer for layer in model.layers if isinstance(layer, RaisesWhenTraining)]
    for layer in failing_layers:
        layer.armed = False
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    for layer in failing_layers:
        layer.armed = True
    model.compile(optimizer=optimizer, loss=spec.get("loss", "mse"),
                  metrics=spec.get("metrics", ["mae"]))
    before = model.get_weights()
    slots = [v.numpy().copy() for v in optimizer.variables]
    with pytest.raises((Boom, RuntimeError, KeyboardInterrupt)):
        model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0, callbacks=callbacks)
    assert_same_weights(before, model)
    assert int(optimizer.iterations.numpy()) == 4
    after = [v.numpy() for v in optimizer.variables]
    assert len(after) == len(slots) > 2
    for s, a in zip(slots, after):
        np.testing.assert_array_equal(a, s)


def test_model_trains_normally_after_a_failed_first_step():
    x, y = data()
    model, callbacks = failing_setup("metric-on-first-batch-shapes")
    reference = twin(model)
    with pytest.raises(RuntimeError):
        model.fit(x, y, batch_size=4, verbose=0)
    model.compile(optimizer=model.optimizer, loss="mse", metrics=["mae"])
    reference.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                      metrics=["mae"])
    assert_trains_like(model, reference, x, y)


def test_a_failure_after_the_first_update_is_not_undone():
    x, y = data()
    model = bn_model()
    good_compile(model)
    before = model.get_weights()
    fail_at_second = RaiseIn("on_train_batch_begin")
    fail_at_second.on_train_batch_begin = lambda batch, logs=None: (
        fail_at_second._raise() if batch == 1 else None)
    with pytest.raises(Boom):
        model.fit(x, y, batch_size=4, shuffle=False, verbose=0, callbacks=[fail_at_second])
    assert int(model.optimizer.iterations.numpy()) == 1
    assert model.optimizer.built
    assert not np.array_equal(model.get_weights()[0], before[0])


def test_train_on_batch_with_a_failing_metric_changes_no_weight():
    x, y = data()
    model = bn_model()
    model.compile(optimizer="adam", loss="mse", metrics=[mismatched_metric])
    kernel = model.layers[0].kernel.numpy().copy()
    with pytest.raises(RuntimeError):
        model.train_on_batch(x[:4], y[:4])
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), kernel)
    assert not model.optimizer.built


class SlotsRunOut(keras.optimizers.Adam):
    """Fails half-way through creating its slots (as running out of memory would)."""

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.add_optimizer_variables(var_list[:1], "extra")
        raise MemoryError("out of memory creating the slots")


@pytest.mark.parametrize("how", ["fit", "apply"])
def test_optimizer_build_is_all_or_nothing(how):
    x, y = data()
    model = bn_model()
    optimizer = SlotsRunOut()
    model.compile(optimizer=optimizer, loss="mse")
    before = [v.path for v in optimizer.variables]
    with pytest.raises(MemoryError):
        if how == "fit":
            model.fit(x, y, verbose=0)
        else:
            optimizer.apply([torch.zeros_like(v.value) for v in model.trainable_weights],
                            model.trainable_weights)
    assert not optimizer.built
    assert [v.path for v in optimizer.variables] == before
    assert not hasattr(optimizer, "_momentums")


# -- item 10: argument errors --------------------------------------------------------------------
def test_fit_without_y_under_a_compiled_loss_names_y():
    x, _ = data()
    model = bn_model()
    good_compile(model)
    before = model.get_weights()
    with pytest.raises(ValueError, match=documented_pattern("9.10-fit-without-y")):
        model.fit(x, batch_size=4, verbose=0)
    assert_same_weights(before, model)
    assert not model.optimizer.built
    with pytest.raises(ValueError, match=documented_pattern("9.10-fit-without-y")):
        model.evaluate(x, verbose=0)


class ActivityPenalty(layers.Layer):
    def call(self, inputs):
        self.add_loss(torch.mean(inputs ** 2))
        return inputs


@pytest.mark.parametrize("loss", [None, "mse"])
def test_models_with_add_loss_still_train_without_y(loss):
    x, _ = data()
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2), ActivityPenalty()])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=loss)
    kernel, bias = (w.copy() for w in model.get_weights())
    history = model.fit(x, batch_size=16, epochs=1, shuffle=False, verbose=0)
    # One full-batch step on mean((x @ w + b)^2): the loss reported is that of
    # the weights before the step.
    out = x @ kernel + bias
    assert history.history["loss"][0] == pytest.approx(float(np.mean(out ** 2)), rel=1e-5)
    grad_w = 2 * x.T @ out / out.size
    np.testing.assert_allclose(model.get_weights()[0], kernel - 0.1 * grad_w, rtol=1e-5,
                               atol=1e-6)


def test_predict_none_names_x():
    model = bn_model()
    with pytest.raises(ValueError, match=documented_pattern("9.10-predict-null")):
        model.predict(None)


@pytest.mark.parametrize("make,case_id", [
    (lambda: layers.Dense(None), "9.10-units-null"),
    (lambda: layers.Dense(units=2.5), "9.10-units-fraction"),
    (lambda: layers.LSTM(0), "9.10-recurrent-units-zero"),
    (lambda: layers.GRU(0), "9.10-recurrent-units-zero"),
    (lambda: layers.SimpleRNN(0), "9.10-recurrent-units-zero"),
    (lambda: layers.LSTMCell(0), "9.10-recurrent-units-zero"),
    (lambda: layers.GRUCell(0), "9.10-recurrent-units-zero"),
    (lambda: layers.SimpleRNNCell(0), "9.10-recurrent-units-zero"),
    (lambda: layers.Conv1D(-1, 3), "9.10-filters-negative"),
    (lambda: layers.Conv2D(-1, 3), "9.10-filters-negative"),
    (lambda: layers.Conv3D(-1, 3), "9.10-filters-negative"),
    (lambda: layers.Conv2DTranspose(-1, 3), "9.10-filters-negative"),
    (lambda: layers.SeparableConv2D(-1, 3), "9.10-filters-negative"),
    (lambda: layers.Embedding(None, 4), "9.10-embedding-input-dim"),
])
def test_invalid_sizes_of_layers_name_the_argument(make, case_id):
    with pytest.raises(ValueError, match=documented_pattern(case_id)):
        make()


@pytest.mark.parametrize("units", [0, -3, "64", True, float("inf"), float("nan")])
def test_dense_refuses_every_non_positive_integer(units):
    with pytest.raises(ValueError, match=r"Received an invalid value for `units`, expected a "
                                         r"positive integer\. Received: units="):
        layers.Dense(units)


def test_whole_doubles_are_accepted_as_sizes():
    # R passes 32 as 32.0.
    assert layers.Dense(32.0).units == 32
    assert layers.Embedding(10.0, 4.0).output_dim == 4
