"""Turns what users pass to fit/evaluate/predict into batches of torch tensors.

In-memory data (numpy, torch, pandas, pyarrow Tables) is converted to torch
once per call (`ArrayDataset`); each epoch then draws batches by index (a
shuffled permutation when asked), so no per-batch conversion happens on the
training path. DataFrame/Table columns become named inputs when `model` has
several named inputs, else one array.

Everything else is read batch by batch (`StreamDataset` subclasses): torch
DataLoaders as-is, torch Datasets of samples batched here, generators and
iterables of (x, y[, sample_weight]), `keras.utils.PyDataset` by index, and
pyarrow datasets (parquet directories) record batch by record batch at
bounded memory, `y`/`sample_weight` naming columns. A restartable source
restarts on every `batches()` call (each epoch, each validation run); a
generator is read on across calls, a batch counting as consumed only once
the next one is asked for (so peeking at the first batch loses nothing).
"""

import collections
import concurrent.futures
import itertools
import math
import types

import numpy as np
import torch

from torkeras import dtypes
from torkeras.trainers import data_checks
from torkeras.trainers.py_dataset_processes import fetch_in_processes
from torkeras.utils import tree


def unpack_x_y_sample_weight(data):
    if isinstance(data, (list, tuple)):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data[0], data[1], data[2]
        raise ValueError("Data should be `(x,)`, `(x, y)` or `(x, y, sample_weight)`; received a "
                         f"tuple of length {len(data)}.")
    return data, None, None


def to_tensor(x, argname="x"):
    """Converts one array-like to a torch tensor (floats become floatx)."""
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        t = x
    elif hasattr(x, "value") and isinstance(getattr(x, "value"), torch.Tensor):
        t = x.value.detach()
    else:
        if _is_pandas(x):
            x = x.to_numpy()
        array = np.asarray(x)
        if array.dtype == object:
            raise ValueError(f"`{argname}` could not be converted to a numeric array (got dtype "
                             f"object from {type(x).__name__}); expected numbers.")
        if array.dtype.kind == "U" or array.dtype.kind == "S":
            raise ValueError(f"`{argname}` holds strings (dtype {array.dtype}); expected numbers. "
                             "Encode them as numbers first.")
        array = np.ascontiguousarray(array)
        if not array.flags.writeable:
            array = array.copy()
        t = torch.from_numpy(array)
    if t.is_floating_point() and t.dtype != dtypes.to_torch(None):
        t = t.to(dtypes.to_torch(None))
    elif t.dtype == torch.bool:
        t = t.to(dtypes.to_torch(None))
    return t


def _is_pandas(x):
    mod = type(x).__module__
    return mod.startswith("pandas")


def _num_rows(struct, argname):
    counts = {tuple(t.shape)[0] if t.dim() > 0 else None for t in tree.flatten(struct)}
    if None in counts:
        raise ValueError(f"`{argname}` must have a leading batch dimension; received a scalar.")
    if len(counts) > 1:
        raise ValueError(f"All arrays in `{argname}` must have the same number of rows; "
                         f"received {sorted(counts)}.")
    return counts.pop()


class ArrayDataset:
    """In-memory (x, y, sample_weight) tensors served in batches."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None, of=None, check_values=True):
        # `of`: the argument the arrays came in ("validation_data"), for messages;
        # `check_values=False` for parts of arrays that were checked as a whole.
        self.x = tree.map_structure(lambda a: to_tensor(a, "x"), x)
        self.y = tree.map_structure(lambda a: to_tensor(a, "y"), y) if y is not None else None
        self.sample_weight = (tree.map_structure(lambda a: to_tensor(a, "sample_weight"), sample_weight)
                              if sample_weight is not None else None)
        self.num_rows = _num_rows(self.x, "x")
        if self.y is not None:
            ny = _num_rows(self.y, "y")
            if ny != self.num_rows:
                raise ValueError(f"x has {self.num_rows} rows but y has {ny}; they must match "
                                 "(one target per sample).")
        if self.sample_weight is not None:
            ns = _num_rows(self.sample_weight, "sample_weight")
            if ns != self.num_rows:
                raise ValueError(f"sample_weight has {ns} rows but x has {self.num_rows}.")
        if check_values:
            data_checks.check_values(self.x, self.y, self.sample_weight, class_weight,
                                     data_checks.Where(of=of))
        if class_weight is not None:
            self.sample_weight = _class_weight_to_sample_weight(self.y, class_weight,
                                                                self.sample_weight)
        if batch_size is None:
            batch_size = 32
        if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer; received: {batch_size!r}")
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.steps = math.ceil(self.num_rows / self.batch_size) if self.num_rows else 0
        # Simple single tensors take a faster slicing path.
        self._simple = all(isinstance(s, torch.Tensor) or s is None
                           for s in (self.x, self.y, self.sample_weight))

    def __iter__(self):
        return self.batches()

    def batches(self, max_steps=None):
        n, bs = self.num_rows, self.batch_size
        steps = self.steps if max_steps is None else min(self.steps, max_steps)
        if self.shuffle and self.shuffle != "batch":
            order = torch.randperm(n)
        else:
            order = None
        x, y, sw = self.x, self.y, self.sample_weight
        if self._simple:
            for i in range(steps):
                start = i * bs
                if order is None:
                    sl = slice(start, start + bs)
                    yield (x[sl], None if y is None else y[sl], None if sw is None else sw[sl])
                else:
                    idx = order[start:start + bs]
                    yield (x.index_select(0, idx), None if y is None else y.index_select(0, idx),
                           None if sw is None else sw.index_select(0, idx))
            return
        for i in range(steps):
            start = i * bs
            if order is None:
                take = lambda t, s=start: t[s:s + bs]  # noqa: E731
            else:
                idx = order[start:start + bs]
                take = lambda t, idx=idx: t.index_select(0, idx)  # noqa: E731
            yield (tree.map_structure(take, x),
                   None if y is None else tree.map_structure(take, y),
                   None if sw is None else tree.map_structure(take, sw))

    def split(self, validation_split):
        """Keras semantics: the *last* fraction of rows (before shuffling) validates."""
        if not 0.0 < validation_split < 1.0:
            raise ValueError(f"`validation_split` must be in (0, 1); received: {validation_split}")
        split_at = int(self.num_rows * (1.0 - validation_split))
        if split_at == 0 or split_at == self.num_rows:
            raise ValueError(f"validation_split={validation_split} leaves no rows for training or "
                             f"for validation ({self.num_rows} rows in all).")

        def part(struct, sl):
            return None if struct is None else tree.map_structure(lambda t: t[sl], struct)

        train = _from_tensors(part(self.x, slice(0, split_at)), part(self.y, slice(0, split_at)),
                              part(self.sample_weight, slice(0, split_at)), self.batch_size,
                              self.shuffle)
        val = _from_tensors(part(self.x, slice(split_at, None)), part(self.y, slice(split_at, None)),
                            part(self.sample_weight, slice(split_at, None)), self.batch_size, False)
        return train, val


def _from_tensors(x, y, sw, batch_size, shuffle):
    return ArrayDataset(x, y, sw, batch_size=batch_size, shuffle=shuffle, check_values=False)


def _class_weight_to_sample_weight(y, class_weight, sample_weight):
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for models with a single output.")
    if y.dim() > 1 and y.shape[-1] > 1:
        labels = torch.argmax(y, dim=-1)
    else:
        labels = y.reshape(y.shape[0], -1)[:, 0].round().long()
    table = torch.ones(int(max(int(labels.max()) + 1, max(int(k) for k in class_weight) + 1)))
    for k, w in class_weight.items():
        table[int(k)] = float(w)
    weights = table[labels].to(torch.float32)
    if sample_weight is not None:
        weights = weights * sample_weight
    return weights


# -- dispatch -------------------------------------------------------------------------------------
def make_dataset(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None,
                 model=None, of=None):
    """Turns fit/evaluate/predict data into an object with `.batches(max_steps)` and `.steps`.

    `model`, when given, lets table-like data (DataFrames, pyarrow Tables and
    datasets) feed a model with several named inputs column by column. `of`
    names the argument the data came in (e.g. "validation_data") in messages.
    """
    if isinstance(x, (ArrayDataset, StreamDataset)):
        return x
    kind = _source_kind(x)
    if kind is None:
        x = _tabular_to_arrays(x, "x", model)
        y = _tabular_to_arrays(y, "y", None)
        sample_weight = _tabular_to_arrays(sample_weight, "sample_weight", None)
        return ArrayDataset(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                            class_weight=class_weight, of=of)
    if kind == "pyarrow dataset":
        return ArrowStreamDataset(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                                  class_weight=class_weight, model=model)
    for arg, value, what in (("y", y, "the targets"),
                             ("sample_weight", sample_weight, "the sample weights")):
        if value is not None:
            raise ValueError(f"When `x` is a {kind}, `{arg}` should not be passed; {what} "
                             f"must be part of what the {kind} yields: (x, y) or "
                             "(x, y, sample_weight).")
    if kind in ("torch Dataset", "torch IterableDataset"):
        # Datasets of samples: batched here, with batch_size (default 32) and shuffle.
        return TorchMapDataset(x, batch_size=batch_size, shuffle=shuffle,
                               class_weight=class_weight)
    if batch_size is not None:
        raise ValueError(f"`batch_size` must not be specified when `x` is a {kind}: it yields "
                         f"complete batches already (received batch_size={batch_size!r}).")
    if kind == "PyDataset":
        return PyDatasetAdapter(x, shuffle=shuffle, class_weight=class_weight)
    return IterableDataset(x, kind=kind, class_weight=class_weight)


def make_validation_dataset(validation_data, batch_size=None, validation_batch_size=None,
                            model=None):
    """`validation_data` of fit(): a tuple of arrays or a dataset/generator/PyDataset.

    fit()'s `batch_size` carries over to validation arrays only; with a dataset
    it does not apply (`validation_batch_size` given with one is an error).
    """
    if isinstance(validation_data, (list, tuple)):
        if not 2 <= len(validation_data) <= 3:
            raise ValueError("`validation_data` must be (x_val, y_val), (x_val, y_val, "
                             "val_sample_weight) or a dataset; received a tuple of length "
                             f"{len(validation_data)}.")
        vx, vy, vsw = unpack_x_y_sample_weight(validation_data)
    else:
        vx, vy, vsw = validation_data, None, None
    streaming = isinstance(vx, StreamDataset) or (
        _source_kind(vx) not in (None, "torch Dataset", "torch IterableDataset",
                                 "pyarrow dataset"))
    if streaming:
        if validation_batch_size is not None:
            raise ValueError("`validation_batch_size` must not be specified when "
                             "`validation_data` is a dataset, generator or PyDataset: it yields "
                             "complete batches already.")
        bs = None
    else:
        bs = validation_batch_size if validation_batch_size is not None else batch_size
    dataset = make_dataset(vx, vy, vsw, batch_size=bs, shuffle=False, model=model,
                           of="validation_data")
    if isinstance(dataset, StreamDataset):
        # Batch messages name the source as the user passed it.
        dataset.source_name = dataset.source_name.replace("`x`", "`validation_data`")
    return dataset


def _source_kind(x):
    """None for in-memory arrays, else a short name of the kind of streaming source."""
    from torkeras.utils.py_dataset import PyDataset
    if x is None or isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict, str, bytes,
                                   int, float)):
        return None
    if _is_pandas(x) or _is_arrow_table(x) or hasattr(x, "__array__") \
            or isinstance(getattr(x, "value", None), torch.Tensor):
        return None
    if isinstance(x, PyDataset):
        return "PyDataset"
    if _is_arrow_dataset(x):
        return "pyarrow dataset"
    from torch.utils import data as tdata
    if isinstance(x, tdata.DataLoader):
        return "DataLoader"
    if isinstance(x, tdata.IterableDataset):
        return "torch IterableDataset"
    if isinstance(x, tdata.Dataset):
        return "torch Dataset"
    if isinstance(x, types.GeneratorType) or hasattr(x, "__next__"):
        return "generator"
    if hasattr(x, "__iter__"):
        return "iterable"
    return None


def _module_of(x):
    return type(x).__module__ or ""


def _is_arrow_table(x):
    mod = _module_of(x)
    return mod.startswith("pyarrow") and type(x).__name__ in ("Table", "RecordBatch")


def _is_arrow_dataset(x):
    if not _module_of(x).startswith("pyarrow"):
        return False
    import pyarrow.dataset as pads
    return isinstance(x, pads.Dataset)


def _named_inputs(model):
    """[(name, shape)] for a model with several inputs, else None."""
    inputs = getattr(model, "inputs", None) if model is not None else None
    if not inputs or len(inputs) < 2:
        return None
    try:
        names = list(model.input_names)
    except Exception:  # noqa: BLE001 - a model without named inputs takes one array
        return None
    return [(n, tuple(getattr(t, "shape", (None, 1)))) for n, t in zip(names, inputs)]


def _column_to_numpy(col, argname, name, refuse_missing=True):
    """One pandas/pyarrow column as a numpy array (fixed-size lists become 2-D).

    Missing values (NaN, None, pd.NA, nulls) are refused naming the column, as
    the R package refuses NA in a data.frame column. With `refuse_missing`
    False (record batches of a streamed pyarrow dataset), those of numeric,
    boolean and dictionary columns become NaN instead, which the batch's data
    checks then report with the batch they are in.
    """
    if refuse_missing:
        data_checks.check_no_missing(_missing_mask(col), argname, name)
    if _module_of(col).startswith("pyarrow"):
        import pyarrow as pa
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if pa.types.is_fixed_size_list(col.type) or pa.types.is_list(col.type):
            if col.null_count:
                raise ValueError(f"`{argname}` column {name!r} has {col.null_count} missing "
                                 "value(s); fill or drop them first.")
            values = [np.asarray(v, dtype=None) for v in col.to_pylist()]
            try:
                return np.stack(values)
            except ValueError:
                raise ValueError(f"`{argname}` column {name!r} holds lists of different "
                                 "lengths; every row must have the same shape.") from None
        if pa.types.is_dictionary(col.type):
            col = col.indices
        if col.null_count and (pa.types.is_integer(col.type) or pa.types.is_boolean(col.type)):
            col = col.cast(pa.float64())
        arr = col.to_numpy(zero_copy_only=False)
    else:
        if str(col.dtype) == "category":
            return col.cat.codes.to_numpy()
        arr = col.to_numpy()
    if arr.dtype == object or arr.dtype.kind in "USO":
        raise ValueError(f"`{argname}` column {name!r} is not numeric (dtype {arr.dtype}); "
                         "encode it as numbers first.")
    return arr


def _missing_mask(col):
    """A boolean numpy array marking the missing entries of a pandas/pyarrow column
    (None when there are none, found without a pass over pyarrow data)."""
    if _module_of(col).startswith("pyarrow"):
        if not col.null_count:
            return None
        return col.is_null().to_numpy(zero_copy_only=False)
    return col.isna().to_numpy()


def _columns(table):
    """[(name, column)] of a DataFrame or pyarrow Table/RecordBatch."""
    if _is_pandas(table):
        return [(str(c), table[c]) for c in table.columns]
    return [(str(n), table.column(i)) for i, n in enumerate(table.column_names)]


def _table_to_x(columns, argname, named, nrows, refuse_missing=True):
    """Columns → dict of named inputs (when the model has several), else one array."""
    if named is not None:
        by_name = dict(columns)
        missing = [n for n, _ in named if n not in by_name]
        if missing:
            raise ValueError(f"`{argname}` has columns {list(by_name)}, but the model's inputs "
                             f"are named {[n for n, _ in named]}: missing column(s) {missing}. "
                             "Name the columns after the inputs.")
        extra = [c for c in by_name if c not in {n for n, _ in named}]
        if extra:
            raise ValueError(f"`{argname}` column(s) {extra} match no input of the model "
                             f"(inputs: {[n for n, _ in named]}).")
        out = {}
        for name, shape in named:
            arr = _column_to_numpy(by_name[name], argname, name, refuse_missing)
            if arr.ndim == 1 and len(shape) == 2:
                arr = arr.reshape(-1, 1)
            out[name] = arr
        return out
    if not columns:
        raise ValueError(f"`{argname}` has no columns.")
    arrays = [_column_to_numpy(c, argname, n, refuse_missing) for n, c in columns]
    if len(arrays) == 1:
        return arrays[0] if arrays[0].ndim > 1 else arrays[0].reshape(nrows, 1)
    if any(a.ndim > 1 for a in arrays):
        raise ValueError(f"`{argname}` mixes list columns with scalar columns; pass them as "
                         "separate named inputs or as one array.")
    return np.column_stack(arrays)


def _tabular_to_arrays(data, argname, model):
    """pandas / pyarrow containers (possibly nested in lists/dicts) → numpy arrays."""
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        return type(data)(_tabular_to_arrays(d, argname, None) for d in data)
    if isinstance(data, dict):
        return {k: _tabular_to_arrays(v, argname, None) for k, v in data.items()}
    if _is_pandas(data):
        if type(data).__name__ == "Series":
            return _column_to_numpy(data, argname, data.name)
        if type(data).__name__ == "DataFrame":
            return _table_to_x(_columns(data), argname, _named_inputs(model), len(data))
        return data
    if _is_arrow_table(data):
        return _table_to_x(_columns(data), argname, _named_inputs(model), data.num_rows)
    if _module_of(data).startswith("pyarrow") and hasattr(data, "to_numpy"):
        return _column_to_numpy(data, argname, getattr(data, "_name", None) or argname)
    return data


# -- streaming sources ----------------------------------------------------------------------------
def standardize_batch(batch, source, index):
    """One batch as yielded by a source → (x, y, sample_weight) of torch tensors."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple):
        if not 1 <= len(batch) <= 3:
            raise ValueError(f"Batch {index} from {source} is a tuple of length {len(batch)}; "
                             "batches must be (x,), (x, y) or (x, y, sample_weight).")
        x, y, sw = (tuple(batch) + (None, None))[:3]
    elif isinstance(batch, (dict, np.ndarray, torch.Tensor)) or _is_pandas(batch) \
            or _is_arrow_table(batch):
        x, y, sw = batch, None, None
    else:
        raise ValueError(f"Batch {index} from {source} is a {type(batch).__name__}; batches "
                         "must be (x,), (x, y) or (x, y, sample_weight) tuples of arrays or "
                         "tensors.")
    if x is None:
        raise ValueError(f"Batch {index} from {source} has no inputs (x is None).")
    try:
        x = tree.map_structure(lambda a: to_tensor(a, "x"), _tabular_to_arrays(x, "x", None))
        y = None if y is None else tree.map_structure(lambda a: to_tensor(a, "y"),
                                                      _tabular_to_arrays(y, "y", None))
        sw = None if sw is None else tree.map_structure(
            lambda a: to_tensor(a, "sample_weight"), _tabular_to_arrays(sw, "sample_weight", None))
    except (ValueError, TypeError) as e:
        raise ValueError(f"Batch {index} from {source} could not be converted to tensors: "
                         f"{e}") from None
    n = _num_rows(x, f"x (batch {index} from {source})")
    for name, part in (("y", y), ("sample_weight", sw)):
        if part is not None:
            m = _num_rows(part, f"{name} (batch {index} from {source})")
            if m != n:
                raise ValueError(f"Batch {index} from {source}: x has {n} rows but {name} has "
                                 f"{m}; they must match.")
    return x, y, sw


class StreamDataset:
    """Base of the sources read batch by batch (not held in memory as a whole).

    `batches(max_steps)` starts a fresh pass over a restartable source on every
    call (so each epoch, and each validation run, sees the data from the
    start). A one-shot source (a generator) cannot restart: it is consumed
    continuously across calls, and a batch only counts as consumed when the
    caller asks for the next one -- so peeking at the first batch (to build
    the model) does not lose it.
    """

    restartable = True
    source_name = "the dataset"
    # data_checks.ModelChecks, once fit/evaluate/predict has attached them.
    model_checks = None

    def __init__(self, steps=None, class_weight=None):
        self.steps = steps
        self.class_weight = class_weight
        self._iterator = None
        self._pending = collections.deque()
        self._index = 0

    def _raw_batches(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _standardize(self, raw, index):
        x, y, sw = standardize_batch(raw, self.source_name, index)
        x = data_checks.check_batch(self, x, y, sw, index)
        if self.class_weight is not None:
            if y is None:
                raise ValueError("`class_weight` needs targets, but the batches from "
                                 f"{self.source_name} have no y.")
            sw = _class_weight_to_sample_weight(y, self.class_weight, sw)
        return x, y, sw

    def _on_pass_end(self):
        pass

    def _close_iterator(self):
        """Ends the current pass now (e.g. stopping a PyDataset's worker processes)."""
        iterator, self._iterator = self._iterator, None
        self._pending.clear()
        if hasattr(iterator, "close"):
            iterator.close()

    def close(self):
        """Releases what the current pass holds; called when fit/evaluate/predict end.

        A one-shot source (the user's generator) is left open: it is read on
        by the next call.
        """
        if self.restartable:
            self._close_iterator()

    def batches(self, max_steps=None):
        if self.restartable:
            self._close_iterator()
            self._iterator = iter(self._raw_batches())
            self._index = 0
        elif self._iterator is None:
            self._iterator = iter(self._raw_batches())
        this_pass = self._iterator
        try:
            produced = 0
            while max_steps is None or produced < max_steps:
                if self._pending:
                    raw = self._pending[0]
                else:
                    try:
                        raw = next(self._iterator)
                    except StopIteration:
                        self._on_pass_end()
                        return
                    self._pending.append(raw)
                batch = self._standardize(raw, self._index)
                yield batch
                # The caller asked for another batch: this one is consumed.
                self._pending.popleft()
                self._index += 1
                produced += 1
            self._on_pass_end()
        finally:
            # A restartable source starts over on the next call anyway: end
            # this pass as soon as the caller stops (done, early stop, error).
            # (Unless a newer call has started a pass of its own meanwhile.)
            if self.restartable and self._iterator is this_pass:
                self._close_iterator()

    def __iter__(self):
        return self.batches()


class IterableDataset(StreamDataset):
    """A torch DataLoader (used as-is), a generator, or any iterable of batches."""

    def __init__(self, source, kind="iterable", class_weight=None):
        if kind == "iterable" and not hasattr(source, "__iter__"):
            raise ValueError(f"`x` of type {type(source).__name__} is not iterable.")
        try:
            steps = len(source)
        except TypeError:
            steps = None
        super().__init__(steps=steps, class_weight=class_weight)
        # A torkeras.data.Dataset repeated without a count never ends: the
        # loops need to be told how many steps make an epoch.
        cardinality = getattr(source, "cardinality", None)
        self.infinite = callable(cardinality) and cardinality() == math.inf
        self.source = source
        self.kind = kind
        self.source_name = f"the {kind} `x`"
        # A generator (or any iterator) is its own iterator: it cannot restart.
        self.restartable = not (isinstance(source, types.GeneratorType)
                                or hasattr(source, "__next__"))

    def _raw_batches(self):
        return iter(self.source)


class TorchMapDataset(StreamDataset):
    """A map-style (or iterable) torch Dataset of samples, batched here with a DataLoader."""

    def __init__(self, dataset, batch_size=None, shuffle=False, class_weight=None):
        from torch.utils import data as tdata
        if batch_size is None:
            batch_size = 32
        if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer; received: {batch_size!r}")
        iterable = isinstance(dataset, tdata.IterableDataset)
        self.loader = tdata.DataLoader(dataset, batch_size=int(batch_size),
                                       shuffle=bool(shuffle) and not iterable)
        try:
            steps = len(self.loader)
        except TypeError:
            steps = None
        super().__init__(steps=steps, class_weight=class_weight)
        self.source_name = f"the torch {'IterableDataset' if iterable else 'Dataset'} `x`"

    def _raw_batches(self):
        return iter(self.loader)


class PyDatasetAdapter(StreamDataset):
    """Reads a `keras.utils.PyDataset` by index; `shuffle=True` shuffles the batch order."""

    source_name = "the PyDataset `x`"

    def __init__(self, dataset, shuffle=False, class_weight=None):
        if not hasattr(type(dataset), "__getitem__"):
            raise ValueError("A PyDataset must implement __getitem__(index).")
        n = dataset.num_batches
        if n is not None and (isinstance(n, bool) or int(n) != n or n < 0):
            raise ValueError("The PyDataset's __len__/num_batches must be a non-negative integer "
                             f"or None; received: {n!r}")
        super().__init__(steps=None if n is None else int(n), class_weight=class_weight)
        self.dataset = dataset
        self.shuffle = bool(shuffle)
        self._pass_started = False
        # An endless PyDataset (num_batches None) is read on across epochs, as a
        # generator is, rather than restarting at index 0 every epoch.
        self.restartable = n is not None

    def _order(self):
        if self.steps is None:
            return itertools.count()
        if self.shuffle:
            return iter(torch.randperm(self.steps).tolist())
        return iter(range(self.steps))

    def _raw_batches(self):
        self._pass_started = True
        self.dataset.on_epoch_begin()
        order = self._order()
        workers = max(1, int(getattr(self.dataset, "workers", 1) or 1))
        queue_size = max(1, int(getattr(self.dataset, "max_queue_size", 10) or 10))
        if getattr(self.dataset, "use_multiprocessing", False):
            # As Keras: use_multiprocessing means worker processes, even just one.
            yield from fetch_in_processes(self.dataset, order, workers, queue_size)
            return
        if workers == 1:
            for i in order:
                yield self.dataset[i]
            return
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        try:
            ahead = collections.deque()
            for i in itertools.islice(order, queue_size):
                ahead.append(pool.submit(self.dataset.__getitem__, i))
            while ahead:
                batch = ahead.popleft().result()
                nxt = next(order, None)
                if nxt is not None:
                    ahead.append(pool.submit(self.dataset.__getitem__, nxt))
                yield batch
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _on_pass_end(self):
        if self._pass_started:
            self._pass_started = False
            self.dataset.on_epoch_end()

    def close(self):
        # The pass generator is ours (never the user's), so it can always be
        # closed, also for an endless PyDataset: that stops its workers.
        self._close_iterator()


class ArrowStreamDataset(StreamDataset):
    """A pyarrow dataset (e.g. a directory of parquet files), read record batch by record batch.

    `y` and `sample_weight` name columns of the dataset (a name or a list of
    names); every other column is an input. At most one record batch plus
    fewer than `batch_size` leftover rows are held at a time.
    """

    source_name = "the pyarrow dataset `x`"

    def __init__(self, dataset, y=None, sample_weight=None, batch_size=None, shuffle=False,
                 class_weight=None, model=None, read_batch_rows=None):
        if batch_size is None:
            batch_size = 32
        if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer; received: {batch_size!r}")
        names = list(dataset.schema.names)
        self.y_columns = self._column_arg(y, "y", names)
        self.sw_columns = self._column_arg(sample_weight, "sample_weight", names)
        if self.sw_columns is not None and len(self.sw_columns) != 1:
            raise ValueError("`sample_weight` must name one column of the pyarrow dataset; "
                             f"received {self.sw_columns}.")
        used = set(self.y_columns or []) | set(self.sw_columns or [])
        self.x_columns = [n for n in names if n not in used]
        if not self.x_columns:
            raise ValueError("The pyarrow dataset `x` has no input columns left once `y` and "
                             "`sample_weight` columns are taken out.")
        self.batch_size = int(batch_size)
        self.read_batch_rows = int(read_batch_rows or max(self.batch_size, 1024))
        self.shuffle = bool(shuffle)
        self.dataset = dataset
        self.named = _named_inputs(model)
        self.num_rows = dataset.count_rows()
        self.peak_rows_held = 0
        super().__init__(steps=math.ceil(self.num_rows / self.batch_size),
                         class_weight=class_weight)

    @staticmethod
    def _column_arg(value, argname, names):
        if value is None:
            return None
        cols = [value] if isinstance(value, str) else value
        if not isinstance(cols, (list, tuple)) or not all(isinstance(c, str) for c in cols):
            raise ValueError(f"When `x` is a pyarrow dataset, `{argname}` must name column(s) of "
                             f"it (a string or a list of strings); received "
                             f"{type(value).__name__}.")
        missing = [c for c in cols if c not in names]
        if missing:
            raise ValueError(f"`{argname}` names column(s) {missing} that the pyarrow dataset "
                             f"does not have (columns: {names}).")
        return list(cols)

    def _record_batches(self):
        import pyarrow.dataset as pads
        columns = self.x_columns + (self.y_columns or []) + (self.sw_columns or [])
        # Single-threaded scanning: with threads, Arrow's scanner decodes ahead of a
        # slow consumer (the training loop) until the whole dataset sits in memory.
        options = dict(columns=columns, batch_size=self.read_batch_rows, batch_readahead=0,
                       fragment_readahead=0, use_threads=False)
        if isinstance(getattr(self.dataset, "format", None), pads.ParquetFileFormat):
            # Pre-buffering reads whole row groups of every column ahead; off, the
            # reader holds little more than the record batch being decoded.
            options["fragment_scan_options"] = pads.ParquetFragmentScanOptions(pre_buffer=False)
        if not self.shuffle:
            yield from (rb for rb in self.dataset.to_batches(**options) if rb.num_rows)
            return
        # Bounded-memory shuffle: fragments (files) in random order, rows shuffled
        # within each record batch.
        fragments = list(self.dataset.get_fragments())
        for i in torch.randperm(len(fragments)).tolist():
            scanner = pads.Scanner.from_fragment(fragments[i], schema=self.dataset.schema,
                                                 **options)
            for rb in scanner.to_batches():
                if rb.num_rows:
                    yield rb.take(torch.randperm(rb.num_rows).numpy())

    def _raw_batches(self):
        import pyarrow as pa
        leftover = None
        bs = self.batch_size
        for rb in self._record_batches():
            if leftover is not None:
                rb = pa.Table.from_batches([leftover, rb]).combine_chunks().to_batches()[0]
            self.peak_rows_held = max(self.peak_rows_held, rb.num_rows)
            start = 0
            while rb.num_rows - start >= bs:
                yield self._to_batch(rb.slice(start, bs))
                start += bs
            leftover = rb.slice(start) if start < rb.num_rows else None
        if leftover is not None and leftover.num_rows:
            yield self._to_batch(leftover)

    def _to_batch(self, rb):
        cols = dict(zip(rb.schema.names, rb.columns))
        # Missing values become NaN here; the batch's checks report them.
        x = _table_to_x([(n, cols[n]) for n in self.x_columns], "x", self.named, rb.num_rows,
                        refuse_missing=False)
        y = sw = None
        if self.y_columns is not None:
            ys = [_column_to_numpy(cols[n], "y", n, refuse_missing=False) for n in self.y_columns]
            y = ys[0] if len(ys) == 1 else np.column_stack(ys)
        if self.sw_columns is not None:
            sw = _column_to_numpy(cols[self.sw_columns[0]], "sample_weight", self.sw_columns[0],
                                  refuse_missing=False)
        return x, y, sw
