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
