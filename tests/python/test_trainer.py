import re

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers


def small_data(n=64, d=5, classes=3, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, d).astype("float32")
    y = rng.randint(0, classes, size=n)
    return x, y


def mlp(d=5, classes=3):
    inputs = keras.Input(shape=(d,))
    h = layers.Dense(8, activation="relu")(inputs)
    outputs = layers.Dense(classes, activation="softmax")(h)
    return keras.Model(inputs, outputs)


def test_one_sgd_step_matches_numpy():
    model = keras.Sequential([layers.Dense(1, input_shape=(2,), kernel_initializer="ones")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    y = np.array([[1.0], [2.0]], dtype="float32")
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # numpy: pred = x @ 1 + 0 ; loss = mean((pred - y)^2) ; grads
    w = np.ones((2, 1))
    b = np.zeros(1)
    err = x @ w + b - y
    gw = 2 * x.T @ err / 2
    gb = 2 * err.sum(0) / 2
    np.testing.assert_allclose(model.layers[0].kernel.numpy(), w - 0.1 * gw, rtol=1e-6)
    np.testing.assert_allclose(model.layers[0].bias.numpy(), b - 0.1 * gb, rtol=1e-6)


def test_fit_history_evaluate_predict():
    keras.utils.set_random_seed(0)
    x, y = small_data()
    model = mlp()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    history = model.fit(x, y, batch_size=16, epochs=3, verbose=0, validation_data=(x[:16], y[:16]))
    assert history.epoch == [0, 1, 2]
    assert set(history.history) == {"loss", "sparse_categorical_accuracy", "val_loss",
                                    "val_sparse_categorical_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    result = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    probs = model.predict(x, batch_size=10, verbose=0)
    assert probs.shape == (64, 3)
    clipped = np.clip(probs / probs.sum(1, keepdims=True), 1e-7, 1 - 1e-7)
    expected_loss = -np.mean(np.log(clipped[np.arange(64), y]))
    expected_acc = np.mean(probs.argmax(1) == y)
    assert result["loss"] == pytest.approx(expected_loss, rel=1e-5)
    assert result["sparse_categorical_accuracy"] == pytest.approx(expected_acc)
    # validation of the last epoch equals evaluate on the same rows
    val = model.evaluate(x[:16], y[:16], verbose=0, return_dict=True)
    assert history.history["val_loss"][-1] == pytest.approx(val["loss"], rel=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx([result["loss"],
                                                             result["sparse_categorical_accuracy"]])


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses():
    x, y = small_data(n=40)
    model = mlp()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)
    # with lr 0 the weights never change: the epoch loss is the mean over all rows
    probs = model.predict(x, verbose=0)
    per_row = -np.log(np.clip(probs[np.arange(40), y], 1e-7, 1))
    assert history.history["loss"][0] == pytest.approx(per_row.mean(), rel=1e-5)


def test_accuracy_string_resolves_by_loss_and_shapes():
    x, y = small_data()
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    assert type(model._compile_metrics.metrics[0]).__name__ == "SparseCategoricalAccuracy"
    model2 = mlp()
    model2.compile(loss="categorical_crossentropy", metrics=["acc"])
    model2.fit(x, np.eye(3)[y], epochs=1, verbose=0)
    assert type(model2._compile_metrics.metrics[0]).__name__ == "CategoricalAccuracy"
    assert "acc" in model2.history.history
    binary = keras.Sequential([layers.Dense(1, activation="sigmoid", input_shape=(5,))])
    binary.compile(loss="binary_crossentropy", metrics=["accuracy"])
    binary.fit(x, (y > 0).astype("float32"), epochs=1, verbose=0)
    assert type(binary._compile_metrics.metrics[0]).__name__ == "BinaryAccuracy"


def test_verbose_2_prints_keras_epoch_lines(capsys):
    x, y = small_data(n=100)
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
    model.fit(x, y, batch_size=32, epochs=2, verbose=2, validation_data=(x, y))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2"
    pattern = (r"^4/4 - \d+s - \d+(ms|us|s)/step - loss: \d+\.\d{4} - "
               r"sparse_categorical_accuracy: \d\.\d{4} - val_loss: \d+\.\d{4} - "
               r"val_sparse_categorical_accuracy: \d\.\d{4}$")
    assert re.match(pattern, out[1]), out[1]
    assert out[2] == "Epoch 2/2"
    model.evaluate(x, y, batch_size=128, verbose=2)
    line = capsys.readouterr().out.strip()
    assert re.match(r"^1/1 - \d+s - \d+(ms|us|s)/step - loss: \d+\.\d{4} - "
                    r"sparse_categorical_accuracy: \d\.\d{4}$", line), line


def test_single_epoch_prints_no_epoch_header(capsys):
    x, y = small_data()
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch" not in out and out.startswith("2/2 - ")


def test_validation_split_uses_last_rows():
    x, y = small_data(n=50)
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.SGD(0.0))
    history = model.fit(x, y, epochs=1, validation_split=0.2, verbose=0)
    expected = model.evaluate(x[40:], y[40:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)


def test_errors_are_clear():
    x, y = small_data(n=100)
    model = mlp()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(x, y)
    model.compile(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="x has 100 rows but y has 90"):
        model.fit(x, y[:90], verbose=0)
    with pytest.raises(ValueError, match="epochs"):
        model.fit(x, y, epochs=1.5, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(x, y, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="metrics"):
        model.compile(loss="mse", metrics="accuracy")


def test_multi_output_losses_and_weights():
    inputs = keras.Input(shape=(4,))
    a = layers.Dense(1, name="a")(inputs)
    b = layers.Dense(2, activation="softmax", name="b")(inputs)
    model = keras.Model(inputs, [a, b])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss=["mse", "sparse_categorical_crossentropy"],
                  loss_weights=[2.0, 0.5])
    rng = np.random.RandomState(0)
    x = rng.randn(8, 4).astype("float32")
    ya = rng.randn(8, 1).astype("float32")
    yb = rng.randint(0, 2, 8)
    result = model.evaluate(x, [ya, yb], verbose=0, return_dict=True)
    pa, pb = model.predict(x, verbose=0)
    mse = np.mean((pa - ya) ** 2)
    cce = -np.mean(np.log(np.clip(pb[np.arange(8), yb], 1e-7, 1)))
    assert result["loss"] == pytest.approx(2.0 * mse + 0.5 * cce, rel=1e-5)


def test_add_loss_is_included_in_training_loss():
    class Penalty(keras.Layer):
        def call(self, x):
            self.add_loss(torch.sum(x) * 0 + 1.5)
            return x

    inputs = keras.Input(shape=(3,))
    outputs = layers.Dense(1, kernel_initializer="zeros")(Penalty()(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    x = np.ones((4, 3), dtype="float32")
    y = np.zeros((4, 1), dtype="float32")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.5)


def test_train_test_predict_on_batch():
    x, y = small_data(n=10)
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    loss = model.test_on_batch(x, y)
    assert len(loss) == 2
    assert model.predict_on_batch(x).shape == (10, 3)


def test_custom_callback_sees_logs_and_can_stop():
    seen = []

    class Stopper(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append((batch, sorted(logs)))

        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    x, y = small_data()
    model = mlp()
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=10, verbose=0, callbacks=[Stopper()])
    assert history.epoch == [0, 1]
    assert seen[0] == (0, ["accuracy", "loss"]) and len(seen) == 4


def test_jit_compile_gives_same_results_as_eager():
    x, y = small_data()
    results = []
    for jit in (False, True):
        keras.utils.set_random_seed(3)
        model = mlp()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=jit)
        model.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)
        results.append([w.numpy() for w in model.weights])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
