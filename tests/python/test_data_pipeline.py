"""torkeras.data.Dataset: slicing, buffered shuffle, batch, map, take, len,
and fit/evaluate/predict on datasets giving the numbers of the arrays."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras.data import Dataset


def rows(n=10, width=3):
    x = np.arange(n * width, dtype="float32").reshape(n, width)
    y = np.arange(n, dtype="int64")
    return x, y


def test_from_tensor_slices_keeps_structure_lists_become_tuples():
    x, y = rows()
    ds = Dataset.from_tensor_slices({"a": x, "b": [y, y * 2]})
    assert len(ds) == 10
    elements = list(ds)
    assert len(elements) == 10
    e = elements[3]
    assert set(e) == {"a", "b"} and isinstance(e["b"], tuple)
    assert torch.equal(e["a"], torch.tensor(x[3]))
    assert int(e["b"][0]) == 3 and int(e["b"][1]) == 6
    assert e["b"][0].dim() == 0


def test_from_tensor_slices_errors():
    x, y = rows()
    with pytest.raises(ValueError, match="same first dimension"):
        Dataset.from_tensor_slices((x, y[:5]))
    with pytest.raises(ValueError, match="scalar"):
        Dataset.from_tensor_slices(np.float32(3))
    with pytest.raises(ValueError, match="numeric"):
        Dataset.from_tensor_slices(np.array(["a", "b"]))


def test_batch_sizes_cardinality_and_drop_remainder():
    x, y = rows(10)
    ds = Dataset.from_tensor_slices((x, y)).batch(4)
    assert len(ds) == 3
    shapes = [tuple(bx.shape) for bx, _ in ds]
    assert shapes == [(4, 3), (4, 3), (2, 3)]
    dropped = Dataset.from_tensor_slices((x, y)).batch(4, drop_remainder=True)
    assert len(dropped) == 2 and len(list(dropped)) == 2
    # in order, the rows are the array's rows
    bx, by = next(iter(ds))
    assert torch.equal(bx, torch.tensor(x[:4])) and by.tolist() == [0, 1, 2, 3]


def test_shuffle_is_a_permutation_reshuffled_each_pass_and_seeded():
    x, y = rows(200)
    ds = Dataset.from_tensor_slices((x, y)).shuffle(50, seed=3).batch(32)
    first = torch.cat([by for _, by in ds]).tolist()
    second = torch.cat([by for _, by in ds]).tolist()
    assert sorted(first) == list(range(200)) and sorted(second) == list(range(200))
    assert first != list(range(200)) and first != second
    # rows stay together with their labels
    for bx, by in ds:
        assert torch.equal(bx[:, 0], (by * 3).float())
    again = Dataset.from_tensor_slices((x, y)).shuffle(50, seed=3).batch(32)
    assert torch.cat([by for _, by in again]).tolist() == first
    fixed = Dataset.from_tensor_slices(y).shuffle(50, seed=3, reshuffle_each_iteration=False)
    assert [int(v) for v in fixed] == [int(v) for v in fixed]


def test_shuffle_buffer_bounds_how_far_elements_move():
    # tf.data semantics: with a buffer of k, element i cannot come out before
    # position i - k + 1 (it enters the buffer only after i - k + 1 outputs)
    y = np.arange(1000)
    out = [int(v) for v in Dataset.from_tensor_slices(y).shuffle(10, seed=0)]
    assert sorted(out) == list(range(1000))
    assert all(pos >= value - 9 for pos, value in enumerate(out))
    # buffer of 1: no shuffling at all
    assert [int(v) for v in Dataset.from_tensor_slices(y).shuffle(1)] == list(range(1000))


def test_take_and_map():
    x, y = rows(10)
    ds = Dataset.from_tensor_slices((x, y)).take(3)
    assert len(ds) == 3 and [int(b) for _, b in ds] == [0, 1, 2]
    assert len(Dataset.from_tensor_slices(y).take(-1)) == 10
    assert len(Dataset.from_tensor_slices(y).take(50)) == 10
    mapped = Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a * 2, b + 1)).batch(4)
    assert len(mapped) == 3
    bx, by = next(iter(mapped))
    assert torch.equal(bx, torch.tensor(x[:4] * 2)) and by.tolist() == [1, 2, 3, 4]
    # map after batch sees batches; a dict element is one argument
    d = Dataset.from_tensor_slices({"a": x}).batch(5).map(lambda e: e["a"].sum(dim=1))
    assert [tuple(t.shape) for t in d] == [(5,), (5,)]
    # map before shuffle works element by element
    s = Dataset.from_tensor_slices(y).map(lambda v: v * 10).shuffle(4, seed=1).batch(5)
    assert sorted(torch.cat(list(s)).tolist()) == list(range(0, 100, 10))
    nump = list(Dataset.from_tensor_slices(y).batch(4).as_numpy_iterator())
    assert isinstance(nump[0], np.ndarray) and nump[2].tolist() == [8, 9]


def test_argument_errors():
    ds = Dataset.from_tensor_slices(np.arange(4))
    with pytest.raises(ValueError, match="batch_size"):
        ds.batch(0)
    with pytest.raises(ValueError, match="buffer_size"):
        ds.shuffle(1.5)
    with pytest.raises(TypeError, match="callable"):
        ds.map(3)


def _model():
    inputs = keras.Input(shape=(3,))
    outputs = keras.layers.Dense(2, activation="softmax",
                                 kernel_initializer=keras.initializers.Constant(0.1))(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_fit_evaluate_predict_on_a_dataset_equal_the_arrays():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    ds = Dataset.from_tensor_slices((x, y)).batch(8)
    m1, m2 = _model(), _model()
    h1 = m1.fit(ds, epochs=2, verbose=0)
    h2 = m2.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert h1.params["steps"] == 5
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-6)
    e1 = m1.evaluate(ds, verbose=0, return_dict=True)
    e2 = m2.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    assert e1 == pytest.approx(e2)
    np.testing.assert_allclose(m1.predict(ds, verbose=0), m2.predict(x, verbose=0), rtol=1e-6)
    # a validation dataset is reset each use
    h3 = _model().fit(ds.shuffle(40, seed=0), epochs=2, validation_data=ds, verbose=0)
    assert len(h3.history["val_loss"]) == 2


def test_progress_shows_the_number_of_batches(capsys):
    x, y = rows(20)
    ds = Dataset.from_tensor_slices((x, y % 2)).shuffle(8).batch(4)
    _model().fit(ds, epochs=1, verbose=2)
    assert "5/5" in capsys.readouterr().out


# ---- repeat / prefetch -------------------------------------------------------------

def test_repeat_count_and_forever():
    y = np.arange(5)
    twice = Dataset.from_tensor_slices(y).repeat(2)
    assert len(twice) == 10 and [int(v) for v in twice] == [0, 1, 2, 3, 4] * 2
    # batches run across the end of a pass, as tf.data's repeat().batch()
    assert [b.tolist() for b in twice.batch(3)] == [[0, 1, 2], [3, 4, 0], [1, 2, 3], [4]]
    # batch().repeat() repeats whole batches, the short last one included
    batches = Dataset.from_tensor_slices(y).batch(3).repeat(2)
    assert len(batches) == 4 and [b.tolist() for b in batches] == [[0, 1, 2], [3, 4]] * 2
    forever = Dataset.from_tensor_slices(y).repeat()
    assert forever.cardinality() == keras.data.INFINITE
    assert Dataset.from_tensor_slices(y).repeat(-1).cardinality() == keras.data.INFINITE
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    assert "infinitely many" in repr(forever)
    assert [int(v) for v in forever.take(13)] == [0, 1, 2, 3, 4] * 2 + [0, 1, 2]
    assert len(forever.take(13)) == 13 and len(forever.batch(4).take(2)) == 2
    assert forever.batch(4).cardinality() == keras.data.INFINITE
    # no passes, or an empty pass, end the dataset (no endless loop)
    assert len(Dataset.from_tensor_slices(y).repeat(0)) == 0
    assert list(Dataset.from_tensor_slices(y).repeat(0)) == []
    assert list(Dataset.from_tensor_slices(y).take(0).repeat()) == []
    assert Dataset.from_tensor_slices(y).take(0).repeat().cardinality() == 0


def test_repeat_of_a_shuffle_reshuffles_each_pass_and_a_map_runs_per_pass():
    y = np.arange(30)
    ds = Dataset.from_tensor_slices(y).shuffle(30, seed=4).repeat(3)
    out = [int(v) for v in ds]
    passes = [out[0:30], out[30:60], out[60:90]]
    assert all(sorted(p) == list(range(30)) for p in passes)
    assert passes[0] != passes[1] and passes[1] != passes[2]
    # the passes are the orders the seeded shuffle gives on its 1st, 2nd, 3rd iteration
    alone = Dataset.from_tensor_slices(y).shuffle(30, seed=4)
    assert [[int(v) for v in alone] for _ in range(3)] == passes
    calls = []
    mapped = Dataset.from_tensor_slices(y[:4]).map(lambda v: (calls.append(int(v)), v * 2)[1])
    assert [int(v) for v in mapped.repeat(2)] == [0, 2, 4, 6] * 2
    assert calls == [0, 1, 2, 3] * 2
    # take() on an endless pipeline stops without computing one element too many
    calls.clear()
    assert [int(v) for v in mapped.repeat().take(6)] == [0, 2, 4, 6, 0, 2]
    assert calls == [0, 1, 2, 3, 0, 1]


def test_prefetch_passes_the_elements_through():
    x, y = rows(10)
    base = Dataset.from_tensor_slices((x, y)).shuffle(10, seed=2).batch(4)
    fetched = Dataset.from_tensor_slices((x, y)).shuffle(10, seed=2).batch(4).prefetch(2)
    assert len(fetched) == 3 and fetched.buffer_size == 2
    for (ax, ay), (bx, by) in zip(base, fetched):
        assert torch.equal(ax, bx) and torch.equal(ay, by)
    auto = Dataset.from_tensor_slices(y).prefetch(keras.data.AUTOTUNE)
    assert [int(v) for v in auto] == list(range(10))
    assert Dataset.from_tensor_slices(y).repeat().prefetch(1).cardinality() == keras.data.INFINITE


def test_repeat_and_prefetch_argument_errors():
    ds = Dataset.from_tensor_slices(np.arange(4))
    with pytest.raises(ValueError, match="count"):
        ds.repeat(1.5)
    with pytest.raises(ValueError, match="count"):
        ds.repeat(-2)
    for bad in (0, -3, 2.5, None):
        with pytest.raises(ValueError, match="buffer_size"):
            ds.prefetch(bad)


def _plain_torch_losses(x, y, batches, steps_per_epoch):
    """Per-epoch mean losses of _model() trained with SGD(0.1) on the batches
    given as row slices, computed with plain torch."""
    w = torch.full((3, 2), 0.1, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    losses = []
    for sl in batches:
        p = torch.softmax(xt[sl] @ w + b, dim=-1)
        loss = torch.nn.functional.nll_loss(torch.log(p), yt[sl])
        w.grad = b.grad = None
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
        losses.append(loss.item())
    return [float(np.mean(losses[i:i + steps_per_epoch]))
            for i in range(0, len(losses), steps_per_epoch)]


def test_an_endless_dataset_without_a_step_count_is_refused():
    x = np.zeros((16, 3), "float32")
    y = np.zeros((16,), "int64")
    endless = Dataset.from_tensor_slices((x, y)).batch(8).repeat()
    finite = Dataset.from_tensor_slices((x, y)).batch(8)
    model = _model()
    before = [w.numpy() for w in model.weights]
    assert before
    with pytest.raises(ValueError, match="repeats forever.*`steps_per_epoch`"):
        model.fit(endless, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="repeats forever.*`validation_steps`"):
        model.fit(finite, validation_data=endless, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="repeats forever.*`steps`"):
        model.evaluate(endless, verbose=0)
    with pytest.raises(ValueError, match="repeats forever.*`steps`"):
        model.predict(Dataset.from_tensor_slices(x).batch(8).repeat(), verbose=0)
    # Nothing was trained before the refusal.
    for b, w in zip(before, model.weights):
        np.testing.assert_array_equal(b, w.numpy())
    # With the counts it runs.
    model.fit(finite, validation_data=endless, validation_steps=1, epochs=1, verbose=0)
    assert model.predict(Dataset.from_tensor_slices(x).batch(8).repeat(), steps=3,
                         verbose=0).shape == (24, 2)


def test_fit_on_a_repeated_dataset_with_steps_per_epoch():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 3)).astype("float32")
    y = (x[:, 1] > 0).astype("int64")
    ds = Dataset.from_tensor_slices((x, y)).batch(8).repeat()

    class Count(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches = []

        def on_train_batch_end(self, batch, logs=None):
            self.batches.append(batch)

    count = Count()
    history = _model().fit(ds, epochs=4, steps_per_epoch=3, callbacks=[count], verbose=0)
    assert history.params["steps"] == 3
    assert count.batches == [0, 1, 2] * 4
    # 12 steps continue through the endless data: batches 0-4, 0-4, 0-1 of the 5
    order = [slice(8 * (k % 5), 8 * (k % 5) + 8) for k in range(12)]
    np.testing.assert_allclose(history.history["loss"], _plain_torch_losses(x, y, order, 3),
                               rtol=1e-5)
    # evaluate() with steps takes that many batches of the endless data
    m = _model()
    got = m.evaluate(ds, steps=7, verbose=0, return_dict=True)
    p = torch.softmax(torch.from_numpy(np.concatenate([x, x[:16]])) @ torch.full((3, 2), 0.1), -1)
    labels = torch.from_numpy(np.concatenate([y, y[:16]]))
    expected = torch.nn.functional.nll_loss(torch.log(p), labels).item()
    assert got["loss"] == pytest.approx(expected, rel=1e-5)
