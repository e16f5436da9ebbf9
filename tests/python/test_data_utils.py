"""keras.utils data utilities: pad_sequences (values checked against Keras 3.15)."""
import numpy as np
import torch
import pytest

import torkeras as keras

pad = keras.utils.pad_sequences


def test_pad_sequences_pre_default_truncates_start_and_pads_front():
    # Keras 3.15 gives [[2, 3], [0, 4], [0, 0]]
    out = pad([[1, 2, 3], [4], []], maxlen=2)
    assert out.dtype == np.int32
    assert out.tolist() == [[2, 3], [0, 4], [0, 0]]


def test_pad_sequences_post_and_value_and_default_maxlen():
    out = pad([[1, 2, 3], [4]], padding="post", truncating="post", value=9)
    assert out.tolist() == [[1, 2, 3], [4, 9, 9]]


def test_pad_sequences_float_dtype_keeps_fractions():
    out = pad([[1, 2, 3, 4], [5, 6]], maxlen=3, truncating="post", padding="post",
              dtype="float32", value=-1.5)
    assert out.dtype == np.float32
    assert out.tolist() == [[1, 2, 3], [5, 6, -1.5]]


def test_pad_sequences_sample_shape_and_strings():
    out = pad([np.ones((3, 2)), np.zeros((1, 2))], maxlen=2)
    assert out.shape == (2, 2, 2)
    assert out.tolist() == [[[1, 1], [1, 1]], [[0, 0], [0, 0]]]
    text = pad([["a", "b"], ["c"]], dtype=object, value="<pad>")
    assert text.tolist() == [["a", "b"], ["<pad>", "c"]]


def test_pad_sequences_random_against_independent_loop():
    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(1, 50, size=n)) for n in rng.integers(0, 9, size=20)]
    for padding in ("pre", "post"):
        for truncating in ("pre", "post"):
            out = pad(seqs, maxlen=5, padding=padding, truncating=truncating, value=-7)
            for row, s in zip(out, seqs):
                kept = s[-5:] if truncating == "pre" else s[:5]
                fill = [-7] * (5 - len(kept))
                expected = fill + kept if padding == "pre" else kept + fill
                assert row.tolist() == expected


@pytest.mark.parametrize("kwargs, message", [
    (dict(padding="middle"), "`padding` must be 'pre' or 'post'"),
    (dict(truncating="x"), "`truncating` must be 'pre' or 'post'"),
    (dict(maxlen=-1), "`maxlen` must be None or a non-negative integer"),
    (dict(value="pad"), "cannot hold the string `value`"),
])
def test_pad_sequences_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pad([[1, 2], [3]], **kwargs)


def test_pad_sequences_rejects_non_sequences_and_mixed_sample_shapes():
    with pytest.raises(ValueError, match="element 1 is int"):
        pad([[1, 2], 3])
    with pytest.raises(ValueError, match="samples of shape"):
        pad([np.ones((2, 2)), np.ones((2, 3))])


# -- timeseries_dataset_from_array ---------------------------------------------
# Keras 3.15 needs TensorFlow (or grain) for this function, neither of which is
# installed, so the expected windows come from a plain loop over the
# documented definition: window i starts at start + i * stride and takes
# sequence_length steps every sampling_rate; its target is targets[its start].

ts = keras.utils.timeseries_dataset_from_array
TS_DATA = np.arange(40, dtype="float32").reshape(20, 2)
TS_TARGETS = np.arange(20) * 10


def _expected_windows(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                      start_index=None, end_index=None):
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    xs, ys = [], []
    first = start
    while first + (sequence_length - 1) * sampling_rate < end:
        if targets is not None and first - start >= len(targets):
            break
        xs.append(data[[first + k * sampling_rate for k in range(sequence_length)]])
        if targets is not None:
            ys.append(targets[first])
        first += sequence_stride
    return np.array(xs), np.array(ys)


def _collect(ds, with_targets=True):
    xs, ys, sizes = [], [], []
    for element in ds:
        x, y = element if with_targets else (element, None)
        xs.append(x.numpy())
        sizes.append(x.shape[0])
        if with_targets:
            ys.append(y.numpy())
    return np.concatenate(xs), (np.concatenate(ys) if ys else None), sizes


@pytest.mark.parametrize("kwargs", [
    dict(sequence_length=3),
    dict(sequence_length=4, sequence_stride=3, sampling_rate=2),
    dict(sequence_length=2, start_index=3, end_index=15),
    dict(sequence_length=5, sampling_rate=3, sequence_stride=2, start_index=1),
])
def test_timeseries_windows_match_definition(kwargs):
    ds = ts(TS_DATA, TS_TARGETS, batch_size=4, **kwargs)
    x, y, sizes = _collect(ds)
    ex, ey = _expected_windows(TS_DATA, TS_TARGETS, **kwargs)
    np.testing.assert_array_equal(x, ex)
    np.testing.assert_array_equal(y, ey)
    assert len(ds) == len(sizes) == -(-len(ex) // 4)
    assert all(s == 4 for s in sizes[:-1])


def test_timeseries_docstring_example_and_no_targets_and_unbatched():
    ds = ts(np.arange(10), np.arange(10) * 10, sequence_length=3, batch_size=2)
    x, y = next(iter(ds))
    assert x.tolist() == [[0, 1, 2], [1, 2, 3]] and y.tolist() == [0, 10]
    windows = list(ts(np.arange(6), None, sequence_length=4, batch_size=None))
    assert [w.tolist() for w in windows] == [[0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5]]
    # fewer targets than windows: stops at the last target
    x, y, _ = _collect(ts(np.arange(10), np.arange(3), sequence_length=2, batch_size=8))
    assert y.tolist() == [0, 1, 2] and x[:, 0].tolist() == [0, 1, 2]


def test_timeseries_shuffle_is_a_seeded_permutation():
    a = _collect(ts(TS_DATA, TS_TARGETS, sequence_length=3, batch_size=4, shuffle=True,
                    seed=5))
    b = _collect(ts(TS_DATA, TS_TARGETS, sequence_length=3, batch_size=4, shuffle=True,
                    seed=5))
    ex, ey = _expected_windows(TS_DATA, TS_TARGETS, sequence_length=3)
    np.testing.assert_array_equal(a[0], b[0])
    assert sorted(a[1].tolist()) == ey.tolist() and a[1].tolist() != ey.tolist()
    # each window still goes with its own target
    order = [ey.tolist().index(t) for t in a[1].tolist()]
    np.testing.assert_array_equal(a[0], ex[order])


def test_timeseries_dataset_trains_with_fit():
    rng = np.random.default_rng(1)
    series = rng.normal(size=(60, 3)).astype("float32")
    target = series[:, :1].copy()
    ds = ts(series, target, sequence_length=5, batch_size=16)
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(ds, verbose=0).shape == (56, 1)


@pytest.mark.parametrize("kwargs, message", [
    (dict(sequence_length=0), "`sequence_length` must be higher than 0"),
    (dict(start_index=-1), "`start_index` must be 0 or greater"),
    (dict(start_index=20), "`start_index` must be lower than the length"),
    (dict(end_index=20), "`end_index` must be lower than the length"),
    (dict(start_index=5, end_index=5), "`end_index` must be higher than `start_index`"),
    (dict(sampling_rate=0), "`sampling_rate` must be higher than 0"),
    (dict(sequence_stride=25), "`sequence_stride` must be lower than the length"),
    (dict(batch_size=0), "`batch_size` must be None or higher than 0"),
    (dict(sequence_length=2.5), "`sequence_length` must be an integer"),
])
def test_timeseries_bad_arguments(kwargs, message):
    kwargs = {"sequence_length": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        ts(TS_DATA, TS_TARGETS, **kwargs)


# -- split_dataset --------------------------------------------------------------

split = keras.utils.split_dataset


def _values(ds):
    return [e.tolist() if not isinstance(e, tuple) else tuple(v.tolist() for v in e)
            for e in ds]


def test_split_dataset_fractions_and_counts_keep_order():
    left, right = split(np.arange(10), left_size=0.8)
    assert _values(left) == list(range(8)) and _values(right) == [8, 9]
    left, right = split(np.arange(10), right_size=3)
    assert _values(left) == list(range(7)) and _values(right) == [7, 8, 9]
    # both given and not covering everything: first left_size, last right_size
    left, right = split(np.arange(10), left_size=2, right_size=0.3)
    assert _values(left) == [0, 1] and _values(right) == [7, 8, 9]
    # 0.25 * 10 = 2.5 rounds to 2 (Python's round, as Keras)
    assert len(split(np.arange(10), left_size=0.25)[0]) == 2


def test_split_dataset_shuffle_uses_seeded_randperm_and_keeps_pairs():
    x = np.arange(10)
    left, right = split((x, x * 2), left_size=3, right_size=4, shuffle=True, seed=3)
    perm = torch.randperm(10, generator=torch.Generator().manual_seed(3)).tolist()
    assert _values(left) == [(i, 2 * i) for i in perm[:3]]
    assert _values(right) == [(i, 2 * i) for i in perm[-4:]]
    again = split((x, x * 2), left_size=3, right_size=4, shuffle=True, seed=3)[0]
    assert _values(again) == _values(left)


def test_split_dataset_dict_and_batched_dataset():
    left, right = split({"a": np.arange(6), "b": np.ones((6, 2))}, left_size=4)
    first = next(iter(left))
    assert set(first) == {"a", "b"} and first["b"].shape == (2,)
    assert len(left) == 4 and len(right) == 2
    ds = keras.data.Dataset.from_tensor_slices(np.arange(10)).batch(4)
    left, right = split(ds, right_size=0.3)
    assert _values(left) == [[0, 1, 2, 3], [4, 5, 6]]
    assert _values(right) == [[7, 8, 9]]


def test_split_dataset_result_trains_with_fit():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    train, val = split((x, y), left_size=0.75, shuffle=True, seed=1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(train.batch(5), validation_data=val.batch(5), epochs=2, verbose=0)
    assert len(history.history["val_loss"]) == 2


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(), ValueError, "give `left_size`, `right_size` or both"),
    (dict(left_size=1.5), ValueError, "`left_size` as a fraction must be in"),
    (dict(right_size=10), ValueError, "`right_size` as a count must be a positive integer"),
    (dict(left_size=0.6, right_size=0.5), ValueError, "must be at most 1"),
    (dict(left_size=6, right_size=5), ValueError, "is more than the number of elements"),
    (dict(left_size=0.01), ValueError, "the left split would be empty"),
    (dict(left_size="half"), TypeError, "`left_size` must be an integer, a float or None"),
])
def test_split_dataset_bad_sizes(kwargs, error, message):
    with pytest.raises(error, match=message):
        split(np.arange(10), **kwargs)


def test_split_dataset_bad_dataset():
    with pytest.raises(TypeError, match="`dataset` must be a numeric array"):
        split("abc", left_size=1)
    with pytest.raises(ValueError, match="same first dimension"):
        split((np.arange(3), np.arange(4)), left_size=1)
    with pytest.raises(ValueError, match="infinite"):
        split(keras.data.Dataset.from_tensor_slices(np.arange(3)).repeat(), left_size=1)
