"""Overridden train_step / test_step / predict_step inside fit, evaluate and
predict (Keras 3 semantics), the torch-native and tape versions of chapter
7.4.4-7.4.5, and JAX-style `train_step(state, data)` steps on torch."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras.trainers.stateless_step import takes_state


@pytest.fixture(scope="module")
def fashion():
    # Debian's dataset-fashion-mnist (installed by `make test`); 256 rows.
    (x, y), _ = keras.datasets.fashion_mnist.load_data()
    x = x[:256].reshape(256, 784).astype("float32") / 255.0
    return x, y[:256].astype("int64")


def dense_graph(seed=1, hidden=32, dropout=False):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Dense(hidden, activation="relu")(inputs)
    if dropout:
        h = keras.layers.Dropout(0.5)(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    return inputs, outputs


class DefaultLikeModel(keras.Model):
    """Chapter 7.4.5.2: compute_loss + backward + optimizer.apply + a loop
    over self.metrics, which is what the built-in step does."""

    def train_step(self, data):
        inputs, targets = data
        predictions = self(inputs, training=True)
        loss = self.compute_loss(y=targets, y_pred=predictions)
        self.zero_grad()
        loss.backward()
        trainable_weights = self.trainable_weights
        gradients = [v.value.grad for v in trainable_weights]
        with torch.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        logs = {}
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(targets, predictions)
            logs[metric.name] = metric.result()
        return logs


def compile_default(model):
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy()])
    return model


def builtin_and(custom_cls, **graph_kwargs):
    inputs, outputs = dense_graph(**graph_kwargs)
    reference = keras.Model(inputs, outputs)
    inputs, outputs = dense_graph(**graph_kwargs)
    custom = custom_cls(inputs, outputs)
    custom.set_weights(reference.get_weights())
    return compile_default(reference), compile_default(custom)


def assert_same_weights(a, b, atol=0.0):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=atol)


# -- the step as written in the chapter, compared with the built-in fit ---------------------
def test_functional_subclass_keeps_its_train_step_and_matches_builtin_fit(fashion):
    x, y = fashion
    reference, custom = builtin_and(DefaultLikeModel)
    assert type(custom).__name__ == "DefaultLikeModel"
    assert isinstance(custom, keras.Model) and len(custom.layers) == 3
    ref_history = reference.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    history = custom.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    assert_same_weights(reference, custom, atol=1e-6)
    # The step's logs hold a nested dict (compile_metrics); fit flattens it.
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy"]
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)
    assert custom.optimizer.iterations.numpy() == 8


def test_custom_train_step_with_validation_data_callbacks_and_steps_per_execution(fashion):
    x, y = fashion
    reference, custom = builtin_and(DefaultLikeModel)
    reference.compile(optimizer=keras.optimizers.Adam(1e-3), steps_per_execution=2,
                      loss="sparse_categorical_crossentropy",
                      metrics=[keras.metrics.SparseCategoricalAccuracy()])
    custom.compile(optimizer=keras.optimizers.Adam(1e-3), steps_per_execution=2,
                   loss="sparse_categorical_crossentropy",
                   metrics=[keras.metrics.SparseCategoricalAccuracy()])
    seen = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((batch, dict(logs)))

    val = (x[:64], y[:64])
    ref_history = reference.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0,
                                validation_data=val)
    history = custom.fit(x, y, batch_size=32, epochs=1, shuffle=False, verbose=0,
                         validation_data=val, callbacks=[Record()])
    # 8 batches, hooks once per 2 steps; the logs are flat Python floats.
    assert [b for b, _ in seen] == [1, 3, 5, 7]
    assert all(sorted(logs) == ["loss", "sparse_categorical_accuracy"] and
               all(isinstance(v, float) for v in logs.values()) for _, logs in seen)
    assert seen[-1][1]["loss"] == pytest.approx(history.history["loss"][0])
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy", "val_loss",
                                       "val_sparse_categorical_accuracy"]
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)
    # Independent check of the validation loss: numpy cross-entropy of predictions.
    probs = custom.predict(x[:64], verbose=0)
    expected = -np.mean(np.log(np.clip(probs[np.arange(64), y[:64]], 1e-7, 1 - 1e-7)))
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)


def test_subclassed_model_train_step(fashion):
    x, y = fashion

    class TwoLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.out = keras.layers.Dense(10, activation="softmax")

        def call(self, inputs):
            return self.out(self.hidden(inputs))

        train_step = DefaultLikeModel.train_step

    keras.utils.set_random_seed(3)
    model = TwoLayers()
    compile_default(model)
    model(x[:1])
    keras.utils.set_random_seed(3)
    inputs = keras.Input(shape=(784,))
    outputs = keras.layers.Dense(10, activation="softmax")(
        keras.layers.Dense(16, activation="relu")(inputs))
    reference = compile_default(keras.Model(inputs, outputs))
    reference.set_weights(model.get_weights())
    model.fit(x, y, batch_size=128, epochs=2, shuffle=False, verbose=0)
    reference.fit(x, y, batch_size=128, epochs=2, shuffle=False, verbose=0)
    assert_same_weights(reference, model, atol=1e-6)


class WeightedStepModel(keras.Model):
    """A step using sample weights, compute_loss(x, y, y_pred, sample_weight)
    and compute_metrics(), as the built-in step does."""

    def train_step(self, data):
        x, y, sample_weight = data
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        self.metrics[0].update_state(loss)
        self.zero_grad()
        loss.backward()
        with torch.no_grad():
            self.optimizer.apply([v.value.grad for v in self.trainable_weights],
                                 self.trainable_weights)
        return self.compute_metrics(x, y, y_pred, sample_weight)


def test_compute_loss_and_compute_metrics_with_sample_weights(fashion):
    x, y = fashion
    weights = np.linspace(0.5, 2.0, len(x)).astype("float32")
    inputs, outputs = dense_graph()
    reference = keras.Model(inputs, outputs)
    inputs, outputs = dense_graph()
    custom = WeightedStepModel(inputs, outputs)
    custom.set_weights(reference.get_weights())
    for model in (reference, custom):
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss="sparse_categorical_crossentropy",
                      weighted_metrics=["sparse_categorical_accuracy"])
    h_ref = reference.fit(x, y, sample_weight=weights, batch_size=64, epochs=2, shuffle=False,
                          verbose=0)
    h_custom = custom.fit(x, y, sample_weight=weights, batch_size=64, epochs=2, shuffle=False,
                          verbose=0)
    assert_same_weights(reference, custom, atol=1e-6)
    for key in h_ref.history:
        np.testing.assert_allclose(h_custom.history[key], h_ref.history[key], rtol=1e-6)
    # The first epoch's weighted loss, checked by hand on the first batch.
    reference2 = keras.Model(*dense_graph())
    probs = reference2.predict(x[:64], verbose=0)
    per_sample = -np.log(probs[np.arange(64), y[:64]])
    batch_loss = custom.compute_loss(y=torch.as_tensor(y[:64]), y_pred=torch.as_tensor(probs),
                                     sample_weight=torch.as_tensor(weights[:64]))
    assert float(batch_loss) == pytest.approx(np.sum(per_sample * weights[:64]) / 64, rel=1e-5)


# -- chapter 7.4.4.2: a loss tracker and the `metrics` property ---------------------------------
def test_torch_native_step_with_loss_tracker_and_metrics_property(fashion):
    x, y = fashion
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    loss_tracker = keras.metrics.Mean(name="loss")
    batch_losses = []

    class CustomModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            predictions = self(inputs, training=True)
            loss = loss_fn(targets, predictions)
            self.zero_grad()
            loss.backward()
            trainable_weights = self.trainable_weights
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            batch_losses.append(float(loss.detach()))
            loss_tracker.update_state(loss)
            return {"loss": loss_tracker.result()}

        @property
        def metrics(self):
            return [loss_tracker]

    inputs, outputs = dense_graph(dropout=True)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam())  # no loss: the step has its own
    assert model.metrics == [loss_tracker]
    history = model.fit(x, y, batch_size=64, epochs=3, verbose=0)
    # fit resets the property's metrics at each epoch: each epoch reports the
    # mean of its own 4 batch losses.
    expected = [np.mean(batch_losses[i * 4:(i + 1) * 4]) for i in range(3)]
    np.testing.assert_allclose(history.history["loss"], expected, rtol=1e-6)
    assert expected[2] < expected[0]


def test_tape_step_matches_builtin_fit(fashion):
    x, y = fashion

    class TapeModel(keras.Model):
        def train_step(self, data):
            inputs, targets = data
            with keras.GradientTape() as tape:
                predictions = self(inputs, training=True)
                loss = self.compute_loss(y=targets, y_pred=predictions)
            gradients = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply(gradients, self.trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(targets, predictions)
            return self.get_metrics_result()

    reference, custom = builtin_and(TapeModel)
    ref_history = reference.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    history = custom.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    assert_same_weights(reference, custom, atol=1e-6)
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)


# -- test_step / predict_step ------------------------------------------------------------------
class ScoredModel(keras.Model):
    """A test_step reporting the mean absolute error of the probabilities
    against one-hot targets, and a predict_step returning class ids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mae_tracker = keras.metrics.Mean(name="prob_mae")

    @property
    def metrics(self):
        return [self.mae_tracker]

    def test_step(self, data):
        x, y = data
        probs = self(x, training=False)
        one_hot = torch.nn.functional.one_hot(torch.as_tensor(y), 10).to(probs.dtype)
        self.mae_tracker.update_state(torch.abs(probs - one_hot).mean(dim=1))
        return {"prob_mae": self.mae_tracker.result(), "batch_rows": x.shape[0]}

    def predict_step(self, data):
        (x,) = data
        probs = self(x, training=False)
        return {"class": torch.argmax(probs, dim=1), "top": probs.max(dim=1).values}


def test_overridden_test_step_and_predict_step(fashion):
    x, y = fashion
    inputs, outputs = dense_graph()
    model = ScoredModel(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    probs = keras.Model(inputs, outputs).predict(x, verbose=0)  # the same graph, default steps
    one_hot = np.eye(10)[y]
    expected = np.abs(probs - one_hot).mean()
    logs = model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True)
    assert logs["prob_mae"] == pytest.approx(expected, rel=1e-5)
    assert logs["batch_rows"] == 6.0  # the last batch: 256 = 5 * 50 + 6
    # Not a dict: the metrics' names first, then the other keys sorted.
    assert model.evaluate(x, y, batch_size=50, verbose=0) == [logs["prob_mae"], 6.0]
    # evaluate resets the property's metrics first: a second run gives the same.
    assert model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True) == logs
    out = model.predict(x, batch_size=100, verbose=0)
    np.testing.assert_array_equal(out["class"], probs.argmax(axis=1))
    np.testing.assert_allclose(out["top"], probs.max(axis=1), rtol=1e-6)
    assert model.test_on_batch(x[:10], y[:10], return_dict=True)["batch_rows"] == 10.0
    np.testing.assert_array_equal(model.predict_on_batch(x[:5])["class"], probs[:5].argmax(axis=1))
    # fit validates through the overridden test_step.
    history = model.fit(x, y, batch_size=64, epochs=1, verbose=0, validation_data=(x, y),
                        callbacks=[])
    assert "val_prob_mae" in history.history and "val_batch_rows" in history.history


def test_batches_reach_the_step_packed_as_in_keras(fashion):
    x, y = fashion
    received = []

    class Probe(keras.Model):
        def train_step(self, data):
            received.append((type(data).__name__, len(data)))
            return {}

    inputs, outputs = dense_graph()
    model = Probe(inputs, outputs)
    model.compile(optimizer="sgd")
    model.fit(x[:8], batch_size=8, verbose=0)
    model.fit(x[:8], y[:8], batch_size=8, verbose=0)
    model.fit(x[:8], y[:8], sample_weight=np.ones(8), batch_size=8, verbose=0)
    assert received == [("tuple", 1), ("tuple", 2), ("tuple", 3)]


# -- JAX-style steps: train_step(state, data) ------------------------------------------------
class StatelessModel(keras.Model):
    """Chapter 7.4.5.3 on torch: value_and_grad, stateless_call,
    stateless_apply and the metrics' stateless methods."""

    def compute_loss_and_updates(self, trainable_variables, non_trainable_variables, inputs,
                                 targets, training=False):
        predictions, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, inputs, training=training)
        loss = self.compute_loss(y=targets, y_pred=predictions)
        return loss, (predictions, non_trainable_variables)

    def train_step(self, state, data):
        trainable_variables, non_trainable_variables, optimizer_variables, metrics_variables = state
        inputs, targets = data
        grad_fn = keras.value_and_grad(self.compute_loss_and_updates, has_aux=True)
        (loss, (predictions, non_trainable_variables)), grads = grad_fn(
            trainable_variables, non_trainable_variables, inputs, targets, training=True)
        trainable_variables, optimizer_variables = self.optimizer.stateless_apply(
            optimizer_variables, grads, trainable_variables)
        logs, new_metrics_vars = {}, []
        for metric in self.metrics:
            start = len(new_metrics_vars)
            this_metric_vars = metrics_variables[start:start + len(metric.variables)]
            if metric.name == "loss":
                this_metric_vars = metric.stateless_update_state(this_metric_vars, loss)
            else:
                this_metric_vars = metric.stateless_update_state(this_metric_vars, targets,
                                                                 predictions)
            logs[metric.name] = metric.stateless_result(this_metric_vars)
            new_metrics_vars += this_metric_vars
        state = (trainable_variables, non_trainable_variables, optimizer_variables,
                 new_metrics_vars)
        return logs, state

    def test_step(self, state, data):
        trainable_variables, non_trainable_variables, metrics_variables = state
        inputs, targets = data
        loss, (predictions, non_trainable_variables) = self.compute_loss_and_updates(
            trainable_variables, non_trainable_variables, inputs, targets)
        tracker = self.metrics[0]
        metrics_variables = list(metrics_variables)
        metrics_variables[:2] = tracker.stateless_update_state(metrics_variables[:2], loss)
        logs = {"loss": tracker.stateless_result(metrics_variables[:2])}
        return logs, (trainable_variables, non_trainable_variables, metrics_variables)

    def predict_step(self, state, data):
        trainable_variables, non_trainable_variables = state
        (inputs,) = data
        probs, non_trainable_variables = self.stateless_call(
            trainable_variables, non_trainable_variables, inputs)
        return 2 * probs, non_trainable_variables


def test_signature_detection():
    assert takes_state(StatelessModel.train_step.__get__(object()))
    assert not takes_state(DefaultLikeModel.train_step.__get__(object()))
    assert not takes_state(keras.Model.train_step.__get__(object()))


def test_jax_style_train_step_matches_builtin_fit_and_writes_the_state_back(fashion):
    x, y = fashion
    reference, custom = builtin_and(StatelessModel)
    ref_history = reference.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    history = custom.fit(x, y, batch_size=64, epochs=2, shuffle=False, verbose=0)
    assert_same_weights(reference, custom, atol=1e-6)
    assert sorted(history.history) == ["loss", "sparse_categorical_accuracy"]
    for key in ref_history.history:
        np.testing.assert_allclose(history.history[key], ref_history.history[key], rtol=1e-6)
    # The optimizer's and the metrics' variables were written back too.
    for a, b in zip(reference.optimizer.variables, custom.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=0, atol=1e-6)
    assert custom.optimizer.iterations.numpy() == 8
    assert float(custom.metrics[0].result()) == pytest.approx(history.history["loss"][-1])
    # Training continues from the written-back state like the built-in fit.
    reference.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
    custom.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
    assert_same_weights(reference, custom, atol=1e-5)
    # train_on_batch runs the same state-passing step.
    ref_logs = reference.train_on_batch(x[:64], y[:64], return_dict=True)
    logs = custom.train_on_batch(x[:64], y[:64], return_dict=True)
    assert logs == pytest.approx(ref_logs, rel=1e-5)
    assert custom.optimizer.iterations.numpy() == 13
    assert_same_weights(reference, custom, atol=1e-5)


def test_jax_style_test_step_and_predict_step(fashion):
    x, y = fashion
    reference, custom = builtin_and(StatelessModel)
    expected = reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)["loss"]
    assert custom.evaluate(x, y, batch_size=64, verbose=0) == pytest.approx(expected, rel=1e-6)
    # The metric state was written back after every step.
    assert float(custom.metrics[0].result()) == pytest.approx(expected, rel=1e-6)
    probs = reference.predict(x, verbose=0)
    np.testing.assert_allclose(custom.predict(x, batch_size=100, verbose=0), 2 * probs, rtol=1e-6)
    np.testing.assert_allclose(custom.predict_on_batch(x[:3]), 2 * probs[:3], rtol=1e-6)


def test_jax_style_step_returning_a_bad_state_is_a_clear_error(fashion):
    x, y = fashion

    class Broken(keras.Model):
        def train_step(self, state, data):
            return {"loss": 0.0}, state[:2]

    class NoPair(keras.Model):
        def train_step(self, state, data):
            return {"loss": 0.0}

    for cls, message in ((Broken, "must return the new state as 4 lists"),
                         (NoPair, "must return two values")):
        inputs, outputs = dense_graph()
        model = cls(inputs, outputs)
        model.compile(optimizer="adam")
        with pytest.raises(ValueError, match=message):
            model.fit(x[:8], y[:8], verbose=0)
