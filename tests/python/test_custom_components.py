"""The class-based examples of the guides, written by subclassing in Python,
with their numbers checked against independent numpy computations."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers, ops


def rng(seed=0):
    return np.random.RandomState(seed)


def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def mnist_like(n=256, seed=0):
    r = rng(seed)
    return r.rand(n, 784).astype("float32"), r.randint(0, 10, n)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


def test_custom_mse_loss_class_matches_numpy():
    x, y = mnist_like()
    y_one_hot = np.eye(10, dtype="float32")[y]
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=CustomMSE())
    loss = model.evaluate(x, y_one_hot, batch_size=256, verbose=0)
    p = model.predict(x, verbose=0)
    expected = np.mean(((y_one_hot - p) ** 2).mean(-1) + 0.1 * ((0.5 - p) ** 2).mean(-1))
    assert loss == pytest.approx(expected, rel=1e-5)


def test_custom_loss_function():
    def custom_mean_squared_error(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    x, y = mnist_like()
    y_one_hot = ops.one_hot(y, num_classes=10)
    model = get_uncompiled_model()
    model.compile(optimizer="adam", loss=custom_mean_squared_error)
    history = model.fit(x, y_one_hot, batch_size=64, epochs=2, verbose=0)
    assert history.history["loss"][1] < history.history["loss"][0]


class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(sample_weight, "float32"))
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives.value

    def reset_state(self):
        self.true_positives.assign(0.0)


def test_categorical_true_positives_counts_like_numpy():
    x, y = mnist_like()
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[CategoricalTruePositives()])
    y_col = y.reshape(-1, 1)
    history = model.fit(x, y_col, batch_size=64, epochs=1, verbose=0)
    p = model.predict(x, verbose=0)
    # the guide's metric compares (n, 1) labels with (n, 1) argmaxes
    expected = float(np.sum(p.argmax(1) == y))
    assert history.history["categorical_true_positives"][0] == expected
    metric = CategoricalTruePositives()
    metric.update_state(y_col, p)
    assert float(metric.result()) == expected
    metric.reset_state()
    assert float(metric.result()) == 0.0


class SparseRootMeanSquaredError(keras.metrics.Metric):
    def __init__(self, name="rmse", **kwargs):
        super().__init__(name=name, **kwargs)
        self.sum_sq_error = self.add_weight(name="sum_sq_error", initializer="zeros")
        self.total_samples = self.add_weight(name="total_samples", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        num_samples, num_classes = ops.shape(y_pred)
        y_true = ops.one_hot(y_true, num_classes=num_classes)
        self.sum_sq_error.assign_add(ops.sum(ops.square(y_true - y_pred)))
        self.total_samples.assign_add(num_samples)

    def result(self):
        return ops.sqrt(ops.divide_no_nan(self.sum_sq_error, self.total_samples))

    def reset_state(self):
        self.sum_sq_error.assign(0)
        self.total_samples.assign(0)


def test_sparse_rmse_metric_next_to_accuracy():
    x, y = mnist_like()
    model = get_uncompiled_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", SparseRootMeanSquaredError()])
    logs = model.evaluate(x, y, batch_size=100, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    expected = np.sqrt(np.sum((np.eye(10)[y] - p) ** 2) / len(y))
    assert set(logs) == {"loss", "accuracy", "rmse"}
    assert logs["rmse"] == pytest.approx(expected, rel=1e-5)
    assert logs["accuracy"] == pytest.approx(np.mean(p.argmax(1) == y))


class ActivityRegularization(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs) * 0.1)
        return inputs


def test_add_loss_activity_regularization_adds_to_loss():
    x, y = mnist_like(64)
    inputs = keras.Input(shape=(784,), name="digits")
    h = layers.Dense(32, activation="relu", name="dense_1")(inputs)
    h = ActivityRegularization()(h)
    h = layers.Dense(64, activation="relu", name="dense_2")(h)
    outputs = layers.Dense(10, name="predictions")(h)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=0.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    loss = model.evaluate(x, y, batch_size=64, verbose=0)
    # independent: crossentropy of the logits + 0.1 * sum of the dense_1 activations
    hidden = keras.Model(inputs, model.get_layer("dense_1").output)
    act = hidden.predict(x, verbose=0)
    logits = model.predict(x, verbose=0)
    log_probs = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \
        - logits.max(1, keepdims=True)
    cce = -np.mean(log_probs[np.arange(64), y])
    assert loss == pytest.approx(cce + 0.1 * act.sum(), rel=1e-4)


class LogisticEndpoint(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        self.add_loss(self.loss_fn(targets, logits, sample_weights))
        return ops.softmax(logits)


def test_logistic_endpoint_model_trains_without_compiled_loss():
    inputs = keras.Input(shape=(3,), name="inputs")
    targets = keras.Input(shape=(10,), name="targets")
    logits = layers.Dense(10)(inputs)
    predictions = LogisticEndpoint(name="predictions")(targets, logits)
    model = keras.Model(inputs=[inputs, targets], outputs=predictions)
    model.compile(optimizer="adam")
    data = {"inputs": keras.random.normal((3, 3)), "targets": keras.random.normal((3, 10))}
    history = model.fit(data, epochs=1, verbose=0)
    # independent check of the reported loss: BCE-with-logits at the weights before the step
    assert np.isfinite(history.history["loss"][0])
    model.compile(optimizer=keras.optimizers.SGD(0.0))
    loss = model.evaluate(data, verbose=0)
    z = model.get_layer(index=2)(torch.as_tensor(data["inputs"])).detach().numpy()
    t = np.asarray(data["targets"])
    bce = np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))
    assert loss == pytest.approx(bce, rel=1e-5)


class CustomerTicketModel(keras.Model):
    def __init__(self, num_departments):
        super().__init__()
        self.concat_layer = layers.Concatenate()
        self.mixing_layer = layers.Dense(64, activation="relu")
        self.priority_scorer = layers.Dense(1, activation="sigmoid")
        self.department_classifier = layers.Dense(num_departments, activation="softmax")

    def call(self, inputs):
        features = self.concat_layer([inputs["title"], inputs["text_body"], inputs["tags"]])
        features = self.mixing_layer(features)
        return [self.priority_scorer(features), self.department_classifier(features)]


def test_customer_ticket_subclassed_model_fits_with_per_output_losses_and_metrics():
    r = rng(1)
    n, vocab, tags = 64, 50, 10
    x = {"title": r.randint(0, 2, (n, vocab)).astype("float32"),
         "text_body": r.randint(0, 2, (n, vocab)).astype("float32"),
         "tags": r.randint(0, 2, (n, tags)).astype("float32")}
    priority = r.rand(n, 1).astype("float32")
    department = r.randint(0, 4, (n, 1))
    model = CustomerTicketModel(num_departments=4)
    p, d = model(x)
    assert tuple(p.shape) == (n, 1) and tuple(d.shape) == (n, 4)
    model.compile(optimizer="adam", loss=["mean_squared_error", "sparse_categorical_crossentropy"],
                  metrics=["mean_absolute_error", "accuracy"])
    model.fit(x, [priority, department], epochs=1, verbose=0)
    logs = model.evaluate(x, [priority, department], verbose=0, return_dict=True)
    pp, dp = model.predict(x, verbose=0)
    mse = np.mean((pp - priority) ** 2)
    cce = -np.mean(np.log(np.clip(dp[np.arange(n), department[:, 0]], 1e-7, 1)))
    assert logs["loss"] == pytest.approx(mse + cce, rel=1e-5)
    mae_key = [k for k in logs if k.endswith("mean_absolute_error")][0]
    acc_key = [k for k in logs if k.endswith("accuracy")][0]
    assert logs[mae_key] == pytest.approx(np.mean(np.abs(pp - priority)), rel=1e-5)
    assert logs[acc_key] == pytest.approx(np.mean(dp.argmax(1) == department[:, 0]))


def test_metrics_list_must_match_outputs():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, [layers.Dense(1)(inputs), layers.Dense(2)(inputs)])
    # Checked when compile() resolves the metrics, before anything is assigned.
    with pytest.raises(ValueError, match="2 outputs"):
        model.compile(loss="mse", metrics=["mae", "mse", "acc"])
    assert not model.compiled


class Classifier(keras.Model):
    def __init__(self, num_classes=2):
        super().__init__()
        units, activation = (1, "sigmoid") if num_classes == 2 else (num_classes, "softmax")
        self.dense = layers.Dense(units, activation=activation)

    def call(self, inputs):
        return self.dense(inputs)


def test_subclassed_model_inside_functional_model():
    inputs = keras.Input(shape=(3,))
    features = layers.Dense(64, activation="relu")(inputs)
    outputs = Classifier(num_classes=10)(features)
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert outputs.shape == (None, 10)
    assert model.count_params() == (3 * 64 + 64) + (64 * 10 + 10)
    out = model(np.ones((2, 3), dtype="float32"))
    np.testing.assert_allclose(out.sum(1).detach().numpy(), [1.0, 1.0], rtol=1e-6)


def test_functional_model_inside_subclassed_model():
    inputs = keras.Input(shape=(64,))
    binary_classifier = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(inputs))

    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(64, activation="relu")
            self.classifier = binary_classifier

        def call(self, inputs):
            return self.classifier(self.dense(inputs))

    model = MyModel()
    x = rng(2).rand(32, 5).astype("float32")
    y = rng(3).randint(0, 2, (32, 1)).astype("float32")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert len(history.history["accuracy"]) == 2
    assert model.count_params() == (5 * 64 + 64) + 65
    assert any(w is binary_classifier.weights[0] for w in model.trainable_weights)


def test_loss_history_callback_records_every_batch():
    class LossHistory(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.per_batch_losses = []

        def on_batch_end(self, batch, logs=None):
            self.per_batch_losses.append(logs.get("loss"))

    x, y = mnist_like(100)
    model = get_uncompiled_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    history_cb = LossHistory()
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=[history_cb])
    assert len(history_cb.per_batch_losses) == 8
    # the epoch loss is the running mean that the last batch of the epoch reports
    assert history_cb.per_batch_losses[3] == pytest.approx(history.history["loss"][0])
