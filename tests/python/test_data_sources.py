"""Every Python data source fit/evaluate/predict accept gives the numpy results."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
import torch

import torkeras as keras
from torkeras import layers
from torkeras.trainers import data_adapter

N, D, BS = 40, 4, 8


def data(n=N, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, D).astype("float32")
    y = (x @ np.arange(1, D + 1, dtype="float32") + 0.5).reshape(-1, 1).astype("float32")
    sw = rng.uniform(0.5, 2.0, size=n).astype("float32")
    return x, y, sw


def model():
    m = keras.Sequential([keras.Input(shape=(D,)), layers.Dense(3, activation="tanh",
                                                                 kernel_initializer="ones"),
                          layers.Dense(1, kernel_initializer="ones")])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse", metrics=["mae"])
    return m


def weights(m):
    return [w.numpy().copy() for w in m.weights]


def numpy_reference(epochs=2, with_sw=False):
    x, y, sw = data()
    m = model()
    m.fit(x, y, sample_weight=sw if with_sw else None, batch_size=BS, epochs=epochs,
          shuffle=False, verbose=0)
    ev = m.evaluate(x, y, sample_weight=sw if with_sw else None, batch_size=BS, verbose=0,
                    return_dict=True)
    return weights(m), ev, m.predict(x, batch_size=BS, verbose=0)


def batched(x, y, sw=None):
    for i in range(0, len(x), BS):
        if sw is None:
            yield x[i:i + BS], y[i:i + BS]
        else:
            yield x[i:i + BS], y[i:i + BS], sw[i:i + BS]


def assert_same(m, ref_weights):
    for a, b in zip(weights(m), ref_weights):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def check_source(make, epochs=2, with_sw=False, **fit_kwargs):
    """`make()` returns (x, y_or_None, kwargs) for fit; evaluate uses a fresh one."""
    ref_w, ref_ev, ref_pred = numpy_reference(epochs, with_sw)
    m = model()
    x, y, kw = make()
    m.fit(x, y, epochs=epochs, verbose=0, shuffle=False, **kw, **fit_kwargs)
    assert_same(m, ref_w)
    x, y, kw = make()
    ev = m.evaluate(x, y, verbose=0, return_dict=True, **kw)
    assert ev == pytest.approx(ref_ev, rel=1e-5)
    return m, ref_pred


# -- in-memory sources --------------------------------------------------------------------------
def test_torch_tensors():
    x, y, sw = data()
    check_source(lambda: (torch.from_numpy(x), torch.from_numpy(y),
                          {"batch_size": BS, "sample_weight": torch.from_numpy(sw)}),
                 with_sw=True)


def test_pandas_dataframe_and_series():
    x, y, _ = data()
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(D)])
    m, ref_pred = check_source(lambda: (df, pd.Series(y[:, 0]).to_frame(), {"batch_size": BS}))
    np.testing.assert_allclose(m.predict(df, batch_size=BS, verbose=0), ref_pred, rtol=1e-5)
    ds = data_adapter.make_dataset(df, pd.Series(y[:, 0], name="target"), batch_size=BS)
    assert ds.steps == N // BS
    assert tuple(next(iter(ds.batches()))[1].shape) == (BS,)


def test_dataframe_columns_feed_named_inputs():
    x, y, _ = data()
    a = keras.Input(shape=(1,), name="a")
    b = keras.Input(shape=(1,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    m = keras.Model([a, b], out)
    m.compile(optimizer="sgd", loss="mse")
    df = pd.DataFrame({"b": x[:, 1], "a": x[:, 0]})
    ds = data_adapter.make_dataset(df, y, batch_size=BS, model=m)
    bx = next(iter(ds.batches()))[0]
    assert set(bx) == {"a", "b"} and tuple(bx["a"].shape) == (BS, 1)
    np.testing.assert_allclose(bx["a"].numpy()[:, 0], x[:BS, 0])
    # Without a model the frame is one array.
    one = data_adapter.make_dataset(df, y, batch_size=BS)
    assert tuple(next(iter(one.batches()))[0].shape) == (BS, 2)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['b'\]"):
        data_adapter.make_dataset(df.rename(columns={"b": "c"}), y, model=m)


def test_pandas_errors():
    x, y, _ = data()
    df = pd.DataFrame(x)
    df["name"] = "text"
    with pytest.raises(ValueError, match="`x` column 'name' is not numeric"):
        model().fit(df, y, verbose=0)
    df = pd.DataFrame(x)
    df.iloc[3, 1] = np.nan
    # As the R package words NA in a data.frame column.
    with pytest.raises(ValueError, match="`x` has 1 NA value\\(s\\) in column '1', the first in row 3"):
        model().fit(df, y, verbose=0)


def test_pyarrow_table():
    x, y, _ = data()
    table = pa.table({f"f{i}": x[:, i] for i in range(D)})
    m, ref_pred = check_source(lambda: (table, pa.table({"y": y[:, 0]}), {"batch_size": BS}))
    np.testing.assert_allclose(m.predict(table, batch_size=BS, verbose=0), ref_pred, rtol=1e-5)


# -- parquet streamed -----------------------------------------------------------------------------
def write_parquet_dir(path, x, y, sw, files=5):
    path.mkdir()
    per = len(x) // files
    for k in range(files):
        sl = slice(k * per, (k + 1) * per if k < files - 1 else len(x))
        cols = {f"f{i}": x[sl, i] for i in range(D)}
        cols.update(target=y[sl, 0], weight=sw[sl])
        pq.write_table(pa.table(cols), path / f"part-{k:02d}.parquet", row_group_size=3)
    return pads.dataset(str(path), format="parquet")


def test_pyarrow_dataset_streams_and_matches_numpy(tmp_path):
    x, y, sw = data()
    ds = write_parquet_dir(tmp_path / "pq", x, y, sw)
    check_source(lambda: (ds, "target", {"batch_size": BS, "sample_weight": "weight"}),
                 with_sw=True)
    m = model()
    m.fit(x, y, batch_size=BS, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(m.evaluate(ds, "target", sample_weight="weight", batch_size=5, verbose=0),
                               m.evaluate(x, y, sample_weight=sw, batch_size=5, verbose=0), rtol=1e-5)
    # predict: a dataset whose schema keeps only the input columns.
    inputs_only = ds.replace_schema(pa.schema([ds.schema.field(f"f{i}") for i in range(D)]))
    np.testing.assert_allclose(m.predict(inputs_only, batch_size=BS, verbose=0),
                               m.predict(x, batch_size=BS, verbose=0), rtol=1e-5)


def test_pyarrow_dataset_bounded_memory(tmp_path):
    n = 5000
    x, y, sw = data(n)
    ds = write_parquet_dir(tmp_path / "big", x, y, sw, files=6)
    adapter = data_adapter.make_dataset(ds, "target", "weight", batch_size=50)
    adapter.read_batch_rows = 200
    assert adapter.steps == n // 50
    seen = 0
    got_x = []
    for bx, by, bsw in adapter.batches():
        assert bx.shape[0] <= 50
        seen += bx.shape[0]
        got_x.append(bx.numpy())
    assert seen == n
    np.testing.assert_allclose(np.concatenate(got_x), x)
    # One record batch plus fewer than batch_size leftover rows, never the whole data.
    assert adapter.peak_rows_held < 200 + 50
    assert adapter.peak_rows_held < n / 10


def test_pyarrow_dataset_errors(tmp_path):
    x, y, sw = data()
    ds = write_parquet_dir(tmp_path / "pq", x, y, sw)
    with pytest.raises(ValueError, match=r"`y` names column\(s\) \['label'\]"):
        model().fit(ds, "label", verbose=0)
    with pytest.raises(ValueError, match="`y` must name column"):
        model().fit(ds, y, verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported"):
        model().fit(ds, "target", validation_split=0.2, verbose=0)


# -- torch ------------------------------------------------------------------------------------------
class Samples(torch.utils.data.Dataset):
    def __init__(self, x, y, sw=None):
        self.x, self.y, self.sw = x, y, sw

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        if self.sw is None:
            return self.x[i], self.y[i]
        return self.x[i], self.y[i], self.sw[i]


def test_torch_map_dataset_batched_by_adapter():
    x, y, sw = data()
    check_source(lambda: (Samples(x, y, sw), None, {"batch_size": BS}), with_sw=True)
    ds = data_adapter.make_dataset(Samples(x, y), batch_size=BS)
    assert ds.steps == N // BS
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model().fit(Samples(x, y), y, verbose=0)


def test_torch_dataloader_used_as_is():
    x, y, sw = data()
    loader = lambda: torch.utils.data.DataLoader(  # noqa: E731
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y),
                                       torch.from_numpy(sw)), batch_size=BS)
    m, ref_pred = check_source(lambda: (loader(), None, {}), with_sw=True)
    assert data_adapter.make_dataset(loader()).steps == N // BS
    with pytest.raises(ValueError, match="`batch_size` must not be specified"):
        model().fit(loader(), batch_size=BS, verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported"):
        model().fit(loader(), validation_split=0.2, verbose=0)


# -- generators and iterables ------------------------------------------------------------------------
def test_endless_generator_with_steps_per_epoch():
    x, y, _ = data()

    def forever():
        while True:
            yield from batched(x, y)

    ref_w, ref_ev, _ = numpy_reference(epochs=2)
    m = model()
    m.fit(forever(), epochs=2, steps_per_epoch=N // BS, verbose=0)
    assert_same(m, ref_w)
    ev = m.evaluate(forever(), steps=N // BS, verbose=0, return_dict=True)
    assert ev == pytest.approx(ref_ev, rel=1e-5)


def test_generator_consumed_continuously_across_epochs():
    x, y, _ = data(n=48)
    seen = []

    def gen():
        for i, b in enumerate(batched(x, y)):
            seen.append(i)
            yield b

    m = model()
    h = m.fit(gen(), epochs=3, steps_per_epoch=2, verbose=0)
    assert seen == [0, 1, 2, 3, 4, 5]  # the first batch, peeked to build, was not lost
    assert len(h.history["loss"]) == 3


def test_exhausted_generator_ends_the_epoch():
    x, y, sw = data()
    check_source(lambda: (batched(x, y, sw), None, {}), epochs=1, with_sw=True)
    m = model()
    m.fit(batched(x, y), epochs=1, verbose=0)
    ds = data_adapter.make_dataset(batched(x, y))
    assert ds.steps is None
    assert len(list(ds.batches())) == N // BS
    assert list(ds.batches()) == []


def test_reiterable_is_restarted_each_epoch():
    x, y, _ = data()

    class Reiterable:
        def __iter__(self):
            return batched(x, y)

    check_source(lambda: (Reiterable(), None, {}), epochs=2)


def test_generator_errors():
    x, y, _ = data()
    with pytest.raises(ValueError, match="`batch_size` must not be specified when `x` is a "
                                         "generator"):
        model().fit(batched(x, y), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model().fit(batched(x, y), y, verbose=0)
    with pytest.raises(ValueError, match="`validation_split` is only supported"):
        model().fit(batched(x, y), validation_split=0.5, verbose=0)

    def bad_len():
        yield x[:4], y[:4], y[:4], y[:4]

    with pytest.raises(ValueError, match="tuple of length 4"):
        model().fit(bad_len(), verbose=0)

    def bad_type():
        yield "abc"

    with pytest.raises(ValueError, match="Batch 0 from the generator `x` is a str"):
        model().fit(bad_type(), verbose=0)

    def bad_rows():
        yield x[:4], y[:3]

    with pytest.raises(ValueError, match="x has 4 rows but y has 3"):
        model().fit(bad_rows(), verbose=0)


def test_generator_as_validation_data():
    x, y, _ = data()
    m = model()
    h = m.fit(x, y, epochs=2, verbose=0, shuffle=False, validation_data=torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=BS))
    ref = model()
    h2 = ref.fit(x, y, epochs=2, verbose=0, validation_data=(x, y), shuffle=False)
    np.testing.assert_allclose(h.history["val_loss"], h2.history["val_loss"], rtol=1e-5)


# -- PyDataset ----------------------------------------------------------------------------------------
class Batches(keras.utils.PyDataset):
    def __init__(self, x, y, sw=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.sw = x, y, sw
        self.epoch_ends = 0
        self.calls = []

    def __len__(self):
        return int(np.ceil(len(self.x) / BS))

    def __getitem__(self, i):
        self.calls.append(i)
        sl = slice(i * BS, (i + 1) * BS)
        if self.sw is None:
            return self.x[sl], self.y[sl]
        return self.x[sl], self.y[sl], self.sw[sl]

    def on_epoch_end(self):
        self.epoch_ends += 1


def test_pydataset_matches_numpy_and_on_epoch_end():
    x, y, sw = data()
    made = []

    def make():
        made.append(Batches(x, y, sw))
        return made[-1], None, {}

    check_source(make, epochs=3, with_sw=True)
    assert made[0].epoch_ends == 3
    assert data_adapter.make_dataset(made[0]).steps == N // BS
    assert keras.utils.Sequence is keras.utils.PyDataset


def test_pydataset_with_workers_and_shuffle():
    x, y, _ = data()
    check_source(lambda: (Batches(x, y, workers=3, use_multiprocessing=True, max_queue_size=2),
                          None, {}))
    ds = Batches(x, y)
    model().fit(ds, epochs=2, shuffle=True, verbose=0)
    assert sorted(ds.calls[-N // BS:]) == list(range(N // BS))
    with pytest.raises(ValueError, match="`workers` must be a positive integer"):
        Batches(x, y, workers=0)


def test_pydataset_without_super_init_and_errors():
    x, y, _ = data()

    class NoInit(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[i * BS:(i + 1) * BS], y[i * BS:(i + 1) * BS]

    m = model()
    m.fit(NoInit(), verbose=0)
    with pytest.raises(ValueError, match="`batch_size` must not be specified when `x` is a "
                                         "PyDataset"):
        m.fit(NoInit(), batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` should not be passed"):
        m.fit(NoInit(), sample_weight=np.ones(N), verbose=0)


# -- more: shuffle, partitions, memory, class_weight, validation helper --------------------------
def test_pyarrow_dataset_shuffle_and_partitions(tmp_path):
    x, y, sw = data()
    ds = write_parquet_dir(tmp_path / "pq", x, y, sw)
    adapter = data_adapter.make_dataset(ds, "target", "weight", batch_size=7, shuffle=True)
    rows = np.concatenate([bx.numpy() for bx, _, _ in adapter.batches()])
    assert rows.shape == x.shape
    assert not np.allclose(rows, x)  # reordered ...
    np.testing.assert_allclose(np.sort(rows, axis=0), np.sort(x, axis=0))  # ... same rows
    # A hive-partitioned directory: the partition key is a column like any other.
    table = pa.table({"f0": x[:, 0], "f1": x[:, 1], "target": y[:, 0],
                      "part": np.arange(N) % 3})
    pads.write_dataset(table, str(tmp_path / "hive"), format="parquet",
                       partitioning=pads.partitioning(pa.schema([("part", pa.int64())]),
                                                      flavor="hive"))
    hive = pads.dataset(str(tmp_path / "hive"), format="parquet", partitioning="hive")
    for shuffle in (False, True):
        adapter = data_adapter.make_dataset(hive, "target", batch_size=8, shuffle=shuffle)
        got = np.concatenate([bx.numpy() for bx, _, _ in adapter.batches()])
        assert got.shape == (N, 3)
        np.testing.assert_allclose(np.sort(got[:, 2]), np.sort(np.arange(N) % 3))


MEMORY_SCRIPT = r"""
import sys
import pyarrow as pa, pyarrow.dataset as pads
from torkeras.trainers import data_adapter
ds = pads.dataset(sys.argv[1], format="parquet")
adapter = data_adapter.make_dataset(ds, "target", batch_size=1024)
rows = 0
for bx, by, _ in adapter.batches():
    rows += bx.shape[0]
print(rows, pa.default_memory_pool().max_memory(), adapter.peak_rows_held)
"""


def _stream_in_subprocess(path):
    import os
    import subprocess
    import sys
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(os.getcwd(), "python"),
                                         env.get("PYTHONPATH", "")])
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(path)], capture_output=True,
                         text=True, env=env, check=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def test_pyarrow_dataset_peak_memory_is_bounded(tmp_path):
    import shutil
    n, files = 320_000, 4
    rng = np.random.RandomState(0)
    per = n // files
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    for k in range(files):
        cols = {f"f{i}": rng.randn(per).astype("float32") for i in range(D)}
        cols["target"] = rng.randn(per).astype("float32")
        pq.write_table(pa.table(cols), small / f"{k}.parquet", row_group_size=8192)
        for copy in range(6):
            shutil.copy(small / f"{k}.parquet", large / f"{k}-{copy}.parquet")
    total_bytes = n * (D + 1) * 4
    rows, peak_small, peak_rows = _stream_in_subprocess(small)
    assert rows == n and peak_rows < 2 * 1024
    rows, peak_large, peak_rows = _stream_in_subprocess(large)
    assert rows == 6 * n and peak_rows < 2 * 1024
    # Arrow's peak allocation stays a few MB, whatever the size of the data: a
    # few decoded row groups (it creeps up slowly with the number of batches read,
    # as the maximum of a fluctuating amount does; measured 2-3 MB for 6.4 MB of
    # data, 4-5 MB for 6 and 12 times as much). Materializing would need 38 MB.
    assert peak_small < total_bytes / 2, (peak_small, total_bytes)
    assert peak_large < total_bytes, (peak_large, 6 * total_bytes)


def test_class_weight_with_generator_matches_arrays():
    rng = np.random.RandomState(1)
    x = rng.randn(N, D).astype("float32")
    y = rng.randint(0, 3, size=N)
    cw = {0: 1.0, 1: 3.0, 2: 0.5}

    def clf():
        m = keras.Sequential([keras.Input(shape=(D,)),
                              layers.Dense(3, activation="softmax", kernel_initializer="ones")])
        m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss="sparse_categorical_crossentropy")
        return m

    ref = clf()
    ref.fit(x, y, batch_size=BS, class_weight=cw, shuffle=False, verbose=0)
    m = clf()
    m.fit(batched(x, y), class_weight=cw, verbose=0)
    assert_same(m, weights(ref))


def test_make_validation_dataset():
    x, y, _ = data()
    arrays = data_adapter.make_validation_dataset((x, y), batch_size=5)
    assert arrays.steps == N // 5
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=BS)
    # fit()'s batch_size does not apply to a validation dataset.
    assert data_adapter.make_validation_dataset(loader, batch_size=5).steps == N // BS
    assert data_adapter.make_validation_dataset(batched(x, y), batch_size=5).steps is None
    with pytest.raises(ValueError, match="`validation_batch_size` must not be specified"):
        data_adapter.make_validation_dataset(loader, validation_batch_size=5)
    with pytest.raises(ValueError, match="`validation_data` must be"):
        data_adapter.make_validation_dataset((x,))


def test_dataframe_named_inputs_fit_like_lists():
    x, y, _ = data()

    def two_inputs():
        a = keras.Input(shape=(1,), name="a")
        b = keras.Input(shape=(1,), name="b")
        out = layers.Dense(1, kernel_initializer="ones")(layers.Concatenate()([a, b]))
        m = keras.Model([a, b], out)
        m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse")
        return m

    ref = two_inputs()
    ref.fit([x[:, :1], x[:, 1:2]], y, batch_size=BS, shuffle=False, epochs=2, verbose=0)
    m = two_inputs()
    df = pd.DataFrame({"b": x[:, 1], "a": x[:, 0]})
    m.fit(data_adapter.make_dataset(df, y, batch_size=BS, model=m), epochs=2, verbose=0)
    assert_same(m, weights(ref))


def test_torch_iterable_dataset_batched_by_adapter():
    x, y, _ = data()

    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            return iter(zip(torch.from_numpy(x), torch.from_numpy(y)))

    check_source(lambda: (Stream(), None, {"batch_size": BS}))
    assert data_adapter.make_dataset(Stream(), batch_size=BS).steps is None


def test_endless_pydataset_with_steps_per_epoch():
    x, y, _ = data()

    class Endless(keras.utils.PyDataset):
        num_batches = None

        def __getitem__(self, i):
            i = i % (N // BS)
            return x[i * BS:(i + 1) * BS], y[i * BS:(i + 1) * BS]

    ref_w, _, _ = numpy_reference(epochs=2)
    m = model()
    m.fit(Endless(), epochs=2, steps_per_epoch=N // BS, verbose=0)
    assert_same(m, ref_w)
    with pytest.raises(ValueError, match="`validation_split` is only supported"):
        m.fit(Endless(), steps_per_epoch=2, validation_split=0.5, verbose=0)


def test_fit_with_batch_size_and_a_generator_as_validation_data():
    import torkeras as keras
    rng = np.random.RandomState(0)
    x = rng.rand(32, 3).astype("float32")
    y = rng.rand(32, 1).astype("float32")
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")

    def batches():
        for i in range(0, 32, 8):
            yield x[i:i + 8], y[i:i + 8]

    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0, validation_data=batches())
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)


def test_dataframe_columns_feed_named_inputs_in_fit():
    import pandas as pd
    import torkeras as keras
    a = keras.Input(shape=(1,), name="a")
    b = keras.Input(shape=(1,), name="b")
    out = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(
        keras.layers.Concatenate()([a, b]))
    model = keras.Model({"a": a, "b": b}, out)
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    np.testing.assert_allclose(model.predict(df, verbose=0)[:, 0], [4.0, 6.0])
