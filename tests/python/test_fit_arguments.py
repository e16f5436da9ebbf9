"""Every fit / evaluate / predict / compile argument, with numbers checked
against numpy (Keras 3 semantics: see shared/research/keras3-python.md §4)."""


import numpy as np
import pytest

import torkeras as keras
from torkeras import layers


def data(n=40, d=4, classes=3, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n, d).astype("float32"), rng.randint(0, classes, size=n)


def linear_softmax(d=4, classes=3, seed=1):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(d,))
    outputs = layers.Dense(classes, activation="softmax")(inputs)
    return keras.Model(inputs, outputs)


def frozen(model, **kw):
    """Compiled with a zero learning rate, so the loss of a fit equals evaluate()."""
    model.compile(optimizer=keras.optimizers.SGD(0.0), **kw)
    return model


def np_sparse_cce(p, y):
    return -np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1.0))


class Counter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(("epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch_end", epoch, sorted(logs)))

    def on_train_batch_begin(self, batch, logs=None):
        self.events.append(("batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch_end", batch))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_batch_end", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.events.append(("predict_batch_end", batch))

    def count(self, kind):
        return sum(1 for e in self.events if e[0] == kind)


# -- sample_weight / class_weight / weighted_metrics --------------------------------

def test_sample_weight_loss_is_weighted_sum_over_batch_size():
    x, y = data()
    sw = np.linspace(0.0, 2.0, len(y)).astype("float32")
    model = frozen(linear_softmax(), loss="sparse_categorical_crossentropy")
    p = model.predict(x, verbose=0)
    per = np_sparse_cce(p, y)
    # one batch: sum(w * l) / batch size (not / sum of weights)
    loss = model.evaluate(x, y, sample_weight=sw, batch_size=len(y), verbose=0)
    assert loss == pytest.approx(np.sum(sw * per) / len(y), rel=1e-5)
    # several batches: the epoch loss is the per-sample average of batch losses
    loss8 = model.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    batch_losses = [np.sum(sw[i:i + 8] * per[i:i + 8]) / 8 for i in range(0, 40, 8)]
    assert loss8 == pytest.approx(np.mean(batch_losses), rel=1e-5)
    hist = model.fit(x, y, sample_weight=sw, batch_size=8, shuffle=False, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(np.mean(batch_losses), rel=1e-5)


def test_class_weight_equals_sample_weight_on_those_rows():
    x, y = data(n=60, classes=6)
    y[:10] = 5
    cw = {5: 2.0}
    sw = np.where(y == 5, 2.0, 1.0).astype("float32")
    results = []
    for kwargs in ({"class_weight": cw}, {"sample_weight": sw}):
        model = linear_softmax(classes=6)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
        hist = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0, **kwargs)
        results.append((hist.history["loss"], [w.numpy() for w in model.weights]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    # with zero learning rate the loss is numpy's weighted loss
    model = frozen(linear_softmax(classes=6), loss="sparse_categorical_crossentropy")
    per = np_sparse_cce(model.predict(x, verbose=0), y)
    hist = model.fit(x, y, class_weight=cw, batch_size=60, shuffle=False, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(np.sum(sw * per) / 60, rel=1e-5)


def test_class_weight_one_hot_targets_and_generator_batches():
    x, y = data(n=32)
    onehot = np.eye(3, dtype="float32")[y]
    sw = np.where(y == 1, 3.0, 1.0).astype("float32")
    model = frozen(linear_softmax(), loss="categorical_crossentropy")
    ref = model.evaluate(x, onehot, sample_weight=sw, batch_size=32, verbose=0)
    hist = model.fit(x, onehot, class_weight={1: 3.0}, batch_size=32, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(ref, rel=1e-5)

    def gen():
        for i in range(0, 32, 8):
            yield x[i:i + 8], y[i:i + 8]

    model2 = frozen(linear_softmax(), loss="sparse_categorical_crossentropy")
    ref2 = model2.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    hist = model2.fit(gen(), class_weight={1: 3.0}, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(ref2, rel=1e-5)


def test_class_weight_and_sample_weight_together_is_an_error():
    x, y = data()
    model = frozen(linear_softmax(), loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="class_weight.*sample_weight"):
        model.fit(x, y, class_weight={0: 1.0}, sample_weight=np.ones(len(y)), verbose=0)


def test_sample_weight_as_third_element_of_generator_batches():
    x, y = data(n=32)
    sw = np.linspace(0.5, 1.5, 32).astype("float32")
    model = frozen(linear_softmax(), loss="sparse_categorical_crossentropy")
    ref = model.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)

    def gen():
        for i in range(0, 32, 8):
            yield x[i:i + 8], y[i:i + 8], sw[i:i + 8]

    assert model.fit(gen(), verbose=0).history["loss"][0] == pytest.approx(ref, rel=1e-5)
    assert model.evaluate(gen(), verbose=0) == pytest.approx(ref, rel=1e-5)


def test_weighted_metrics_get_sample_weights_plain_metrics_do_not():
    x, y = data(n=40)
    sw = np.where(np.arange(40) < 20, 1.0, 0.0).astype("float32")
    model = frozen(linear_softmax(), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"], weighted_metrics=["accuracy"])
    p = model.predict(x, verbose=0)
    correct = (np.argmax(p, -1) == y).astype("float64")
    logs = model.evaluate(x, y, sample_weight=sw, batch_size=40, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "accuracy", "weighted_accuracy"}
    assert logs["accuracy"] == pytest.approx(correct.mean())
    assert logs["weighted_accuracy"] == pytest.approx(correct[:20].mean())


# -- multi-input / multi-output ---------------------------------------------------------

def two_by_two(seed=2):
    keras.utils.set_random_seed(seed)
    a = keras.Input(shape=(3,), name="num")
    b = keras.Input(shape=(2,), name="cat")
    h = layers.Concatenate()([a, b])
    priority = layers.Dense(1, name="priority")(h)
    department = layers.Dense(4, activation="softmax", name="department")(h)
    return keras.Model([a, b], [priority, department])


def two_by_two_data(n=24, seed=0):
    rng = np.random.RandomState(seed)
    xa = rng.randn(n, 3).astype("float32")
    xb = rng.randn(n, 2).astype("float32")
    yp = rng.randn(n, 1).astype("float32")
    yd = rng.randint(0, 4, n)
    return xa, xb, yp, yd


def test_multi_io_list_and_dict_forms_give_the_same_numbers():
    xa, xb, yp, yd = two_by_two_data()
    model = frozen(two_by_two(), loss=["mse", "sparse_categorical_crossentropy"],
                   loss_weights=[2.0, 0.5], metrics=[["mae"], ["accuracy"]])
    pp, pd = model.predict([xa, xb], verbose=0)
    mse = np.mean((pp - yp) ** 2)
    cce = np.mean(np_sparse_cce(pd, yd))
    pos = model.evaluate([xa, xb], [yp, yd], batch_size=24, verbose=0, return_dict=True)
    named = model.evaluate({"num": xa, "cat": xb}, {"priority": yp, "department": yd},
                           batch_size=24, verbose=0, return_dict=True)
    assert pos["loss"] == pytest.approx(2.0 * mse + 0.5 * cce, rel=1e-5)
    # Keras 3 logs each output's (unweighted) loss as <output name>_loss
    assert pos["priority_loss"] == pytest.approx(mse, rel=1e-5)
    assert pos["department_loss"] == pytest.approx(cce, rel=1e-5)
    assert pos["priority_mae"] == pytest.approx(np.mean(np.abs(pp - yp)), rel=1e-5)
    assert pos["department_accuracy"] == pytest.approx(np.mean(np.argmax(pd, -1) == yd))
    assert set(pos) == {"loss", "priority_loss", "department_loss", "priority_mae",
                        "department_accuracy"}
    for k in pos:
        assert named[k] == pytest.approx(pos[k], rel=1e-6)
    hist = model.fit({"num": xa, "cat": xb}, {"priority": yp, "department": yd},
                     batch_size=24, verbose=0)
    assert hist.history["priority_loss"][0] == pytest.approx(mse, rel=1e-5)


def test_losses_and_metrics_as_dicts_with_loss_weights_dict():
    xa, xb, yp, yd = two_by_two_data()
    model = frozen(two_by_two(),
                   loss={"priority": "mse", "department": "sparse_categorical_crossentropy"},
                   loss_weights={"priority": 3.0, "department": 1.0},
                   metrics={"department": ["accuracy"]})
    pp, pd = model.predict([xa, xb], verbose=0)
    logs = model.evaluate([xa, xb], [yp, yd], batch_size=24, verbose=0, return_dict=True)
    mse, cce = np.mean((pp - yp) ** 2), np.mean(np_sparse_cce(pd, yd))
    assert logs["loss"] == pytest.approx(3.0 * mse + cce, rel=1e-5)
    assert set(logs) == {"loss", "priority_loss", "department_loss", "department_accuracy"}


def test_a_single_loss_applies_to_every_output():
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, [layers.Dense(2, name="u")(inputs), layers.Dense(2, name="v")(inputs)])
    frozen(model, loss="mse")
    rng = np.random.RandomState(0)
    x, yu, yv = (rng.randn(10, k).astype("float32") for k in (3, 2, 2))
    pu, pv = model.predict(x, verbose=0)
    logs = model.evaluate(x, [yu, yv], batch_size=10, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np.mean((pu - yu) ** 2) + np.mean((pv - yv) ** 2), rel=1e-5)
    assert logs["u_loss"] == pytest.approx(np.mean((pu - yu) ** 2), rel=1e-5)


@pytest.mark.parametrize("form", ["positional", "named"])
def test_none_loss_for_an_output(form):
    xa, xb, yp, yd = two_by_two_data()
    loss = [None, "sparse_categorical_crossentropy"] if form == "positional" else \
        {"department": "sparse_categorical_crossentropy"}
    model = frozen(two_by_two(), loss=loss)
    _, pd = model.predict([xa, xb], verbose=0)
    cce = np.mean(np_sparse_cce(pd, yd))
    # targets for every output, or only for the outputs with a loss (1:1)
    for y in ([yp, yd], [yd], {"department": yd}):
        logs = model.evaluate([xa, xb], y, batch_size=24, verbose=0, return_dict=True)
        assert logs == pytest.approx({"loss": cce}, rel=1e-5)
    hist = model.fit([xa, xb], [yd], batch_size=24, verbose=0)
    assert hist.history["loss"][0] == pytest.approx(cce, rel=1e-5)
    # priority never trains: its kernel gets no gradient
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss)
    before = model.get_layer("priority").kernel.numpy().copy()
    model.fit([xa, xb], [yd], batch_size=8, verbose=0)
    np.testing.assert_array_equal(model.get_layer("priority").kernel.numpy(), before)


def test_per_output_sample_weights():
    xa, xb, yp, yd = two_by_two_data()
    sw = np.linspace(0.0, 1.0, 24).astype("float32")
    model = frozen(two_by_two(), loss=["mse", "sparse_categorical_crossentropy"])
    pp, pd = model.predict([xa, xb], verbose=0)
    se = np.mean((pp - yp) ** 2, axis=-1)
    ce = np_sparse_cce(pd, yd)
    # one array: every output
    loss = model.evaluate([xa, xb], [yp, yd], sample_weight=sw, batch_size=24, verbose=0)[0]
    assert loss == pytest.approx(np.sum(sw * se) / 24 + np.sum(sw * ce) / 24, rel=1e-5)
    # one array per output
    loss = model.evaluate([xa, xb], [yp, yd], sample_weight=[sw, np.ones(24, "float32")],
                          batch_size=24, verbose=0)[0]
    assert loss == pytest.approx(np.sum(sw * se) / 24 + np.mean(ce), rel=1e-5)


# -- steps, validation, epochs -----------------------------------------------------------

def test_steps_per_epoch_runs_exactly_n_steps_and_continues_across_epochs():
    x, y = data(n=80)
    seen = []

    class Rows(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            seen.append(batch)

    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    # 10 batches of 8; 5 steps per epoch: epoch 1 takes batches 0-4, epoch 2 batches 5-9
    c = Counter()
    model.fit(x, y, batch_size=8, steps_per_epoch=5, epochs=2, verbose=0, callbacks=[c, Rows()])
    assert c.count("batch_begin") == 10 and seen == [0, 1, 2, 3, 4] * 2

    # a generator continues where the previous epoch stopped
    drawn = []

    def gen():
        for i in range(10):
            drawn.append(i)
            yield x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]

    c = Counter()
    model.fit(gen(), steps_per_epoch=5, epochs=2, verbose=0, callbacks=[c])
    assert c.count("batch_begin") == 10 and drawn == list(range(10))


def test_steps_per_epoch_when_data_runs_out_ends_the_epoch_and_restarts():
    x, y = data(n=80)
    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    c = Counter()
    # 10 batches, 4 per epoch: 4, 4, then 2 (out of data, warning), then a new pass: 4
    with pytest.warns(UserWarning, match="ran out of data"):
        model.fit(x, y, batch_size=8, steps_per_epoch=4, epochs=4, verbose=0, callbacks=[c])
    per_epoch = []
    for e in c.events:
        if e[0] == "epoch_begin":
            per_epoch.append(0)
        elif e[0] == "batch_begin":
            per_epoch[-1] += 1
    assert per_epoch == [4, 4, 2, 4]


def test_steps_per_epoch_without_batch_size_splits_arrays_into_that_many_batches():
    x, y = data(n=40)
    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    c = Counter()
    model.fit(x, y, steps_per_epoch=4, epochs=2, verbose=0, callbacks=[c])
    assert c.count("batch_begin") == 8


def test_validation_freq_int_and_list_and_validation_steps():
    x, y = data(n=40)
    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    hist = model.fit(x, y, validation_data=(x[:16], y[:16]), validation_freq=2, epochs=4,
                     batch_size=8, verbose=0)
    assert hist.history["val_loss"] and len(hist.history["val_loss"]) == 2
    c = Counter()
    model.fit(x, y, validation_data=(x, y), validation_freq=2, epochs=4, verbose=0, callbacks=[c])
    val_epochs = [e[1] for e in c.events if e[0] == "epoch_end" and "val_loss" in e[2]]
    assert val_epochs == [1, 3]  # 0-based: epochs 2 and 4
    c = Counter()
    model.fit(x, y, validation_data=(x, y), validation_freq=[1, 3], epochs=4, verbose=0,
              callbacks=[c])
    assert [e[1] for e in c.events if e[0] == "epoch_end" and "val_loss" in e[2]] == [0, 2]
    # validation_steps=2 with validation_batch_size=5 evaluates rows 0-9 only
    frozen(model, loss="sparse_categorical_crossentropy")
    ref = model.evaluate(x[:10], y[:10], batch_size=10, verbose=0)
    c = Counter()
    hist = model.fit(x, y, validation_data=(x, y), validation_steps=2, validation_batch_size=5,
                     verbose=0, callbacks=[c])
    assert hist.history["val_loss"][0] == pytest.approx(ref, rel=1e-5)
    assert c.count("test_batch_end") == 2


def test_initial_epoch_resumes_epoch_numbering():
    x, y = data()
    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    c = Counter()
    hist = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0, callbacks=[c])
    assert hist.epoch == [3, 4]
    assert [e[1] for e in c.events if e[0] == "epoch_begin"] == [3, 4]
    assert model.fit(x, y, epochs=2, initial_epoch=2, verbose=0).epoch == []


def test_epochs_and_shuffle_modes():
    x, y = data(n=32)
    order = []

    class Spy(layers.Layer):
        def call(self, inputs):
            order.append(inputs[:, 0].detach().numpy().copy())
            return inputs

    for shuffle, expect_same in ((False, True), ("batch", True), (True, False)):
        keras.utils.set_random_seed(0)
        inputs = keras.Input(shape=(4,))
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(Spy()(inputs)))
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        order.clear()
        hist = model.fit(x, y, batch_size=8, epochs=3, shuffle=shuffle, verbose=0)
        assert hist.epoch == [0, 1, 2]
        rows = np.concatenate(order[-12:])
        # every row once per epoch, whatever the order
        for e in range(3):
            np.testing.assert_array_equal(np.sort(rows[e * 32:(e + 1) * 32]), np.sort(x[:, 0]))
        # batches hold the same rows as unshuffled batches unless shuffle=True
        batch_sets = [set(np.round(b, 6)) for b in order[-12:]]
        plain = [set(np.round(x[i:i + 8, 0], 6)) for i in range(0, 32, 8)] * 3
        assert (batch_sets == plain) == expect_same


# -- compile() arguments --------------------------------------------------------------------

def test_steps_per_execution_calls_batch_hooks_once_per_n_steps():
    x, y = data(n=80)
    model = linear_softmax()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", steps_per_execution=4)
    c = Counter()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, callbacks=[c])  # 10 batches
    assert c.count("batch_begin") == 3 and c.count("batch_end") == 3
    assert [e[1] for e in c.events if e[0] == "batch_begin"] == [0, 4, 8]
    assert [e[1] for e in c.events if e[0] == "batch_end"] == [3, 7, 9]
    c = Counter()
    model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[c])
    assert c.count("test_batch_end") == 3
    c = Counter()
    assert model.predict(x, batch_size=8, verbose=0, callbacks=[c]).shape == (80, 3)
    assert c.count("predict_batch_end") == 3
    # the same training as steps_per_execution=1
    weights = []
    for spe in (1, 4):
        model = linear_softmax()
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                      steps_per_execution=spe)
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        weights.append(model.weights[0].numpy())
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-6)


def test_run_eagerly_and_auto_scale_loss_are_accepted():
    x, y = data()
    model = linear_softmax()
    with pytest.warns(UserWarning, match="run_eagerly"):
        model.compile(loss="sparse_categorical_crossentropy", run_eagerly=True, jit_compile=True)
    assert model.run_eagerly and not model.jit_compile
    model.fit(x, y, verbose=0)
    model.compile(loss="sparse_categorical_crossentropy", auto_scale_loss=False)
    assert not model.run_eagerly
    model.fit(x, y, verbose=0)


def test_jit_compile_multi_output_matches_eager():
    xa, xb, yp, yd = two_by_two_data(n=32)
    results = []
    for jit in (False, True):
        model = two_by_two(seed=5)
        model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"],
                      loss_weights=[1.0, 0.5], metrics=[[], ["accuracy"]], jit_compile=jit)
        hist = model.fit([xa, xb], [yp, yd], batch_size=8, epochs=2, shuffle=False, verbose=0)
        results.append((hist.history, [w.numpy() for w in model.weights]))
    for key in results[0][0]:
        np.testing.assert_allclose(results[0][0][key], results[1][0][key], rtol=1e-4)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


# -- single batches ------------------------------------------------------------------------------

def test_train_on_batch_sample_and_class_weight_and_accumulation():
    x, y = data(n=16)
    sw = np.where(y == 2, 2.0, 1.0).astype("float32")
    model = frozen(linear_softmax(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    per = np_sparse_cce(model.predict(x, verbose=0), y)
    logs = model.train_on_batch(x, y, sample_weight=sw, return_dict=True)
    assert logs["loss"] == pytest.approx(np.sum(sw * per) / 16, rel=1e-5)
    model.reset_metrics()
    logs = model.train_on_batch(x, y, class_weight={2: 2.0}, return_dict=True)
    assert logs["loss"] == pytest.approx(np.sum(sw * per) / 16, rel=1e-5)
    # Keras 3.15 resets the metrics at each call: each loss is its batch's alone
    a = model.train_on_batch(x[:8], y[:8])[0]
    b = model.train_on_batch(x[8:], y[8:])[0]
    assert a == pytest.approx(np.mean(per[:8]), rel=1e-5)
    assert b == pytest.approx(np.mean(per[8:]), rel=1e-5)
    model.test_on_batch(x[:8], y[:8])
    loss, acc = model.test_on_batch(x, y, sample_weight=sw)
    assert loss == pytest.approx(np.sum(sw * per) / 16, rel=1e-5)
    assert model.test_on_batch(x, y, return_dict=True).keys() == {"loss", "accuracy"}
    np.testing.assert_allclose(model.predict_on_batch(x), model.predict(x, verbose=0), rtol=1e-6)


def test_single_batch_verbs_multi_io():
    xa, xb, yp, yd = two_by_two_data()
    model = frozen(two_by_two(), loss=["mse", "sparse_categorical_crossentropy"])
    pp, pd = model.predict_on_batch({"num": xa, "cat": xb})
    logs = model.test_on_batch([xa, xb], {"priority": yp, "department": yd}, return_dict=True)
    assert logs["priority_loss"] == pytest.approx(np.mean((pp - yp) ** 2), rel=1e-5)
    assert logs["loss"] == pytest.approx(np.mean((pp - yp) ** 2) + np.mean(np_sparse_cce(pd, yd)),
                                         rel=1e-5)
    assert model.train_on_batch([xa, xb], [yp, yd], return_dict=True)["loss"] == \
        pytest.approx(logs["loss"], rel=1e-5)
