"""Data arriving from R, made ready for the engine.

reticulate turns an R double array into a float64 numpy array in Fortran
(column-major) order. The engine wants floatx, and row batches are cheapest
from C-ordered memory, so floats are converted to floatx and C order in one
copy here. Integer and boolean arrays keep their dtype (labels stay integer).
Arrays that share R's memory are read-only; those are copied, since torch
tensors must be able to own writable memory.

That copy is a transpose (column-major to row-major), which runs at memory
latency rather than bandwidth; for a training set it is a visible part of a
short fit(). Large arrays are therefore copied in blocks of rows, spread over
torch's intra-op thread count (numpy releases the GIL while it copies).
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from torkeras.bridge.interrupts import call_r
from torkeras.utils import tree


def from_r(data, floatx=None):
    """Converts (nested lists/tuples/dicts of) arrays coming from R.

    float arrays of another precision become `floatx` (default: the engine's
    floatx); every array becomes C-contiguous and writable; other objects
    pass through.
    """
    if floatx is None:
        from torkeras import config
        floatx = config.floatx()
    floatx = np.dtype(floatx)
    return tree.map_structure(lambda leaf: _convert_array(leaf, floatx), data)


def _convert_array(data, floatx):
    if not isinstance(data, np.ndarray):
        return data
    if data.dtype.kind == "f" and data.dtype != floatx:
        return c_ordered_copy(data, floatx)
    if not data.flags.writeable or not data.flags.c_contiguous:
        return c_ordered_copy(data, data.dtype)
    return data


# Below this many bytes (source + result) one numpy copy is as fast as any split.
_PARALLEL_BYTES = 4 << 20
# Rows per block: about this many source bytes, so the rows being written stay in
# the core's cache while the columns are read.
_BLOCK_BYTES = 1 << 20


def c_ordered_copy(data, dtype, threads=None):
    """A new writable C-ordered array of `data` as `dtype` (cast as numpy's
    astype does). Large arrays are copied in blocks of rows by `threads`
    threads (default: torch's intra-op thread count)."""
    out = np.empty(data.shape, dtype=dtype)
    if threads is None:
        threads = torch.get_num_threads()
    rows = data.shape[0] if data.ndim else 0
    if threads < 2 or rows < 2 * threads or data.nbytes + out.nbytes < _PARALLEL_BYTES:
        with _quiet_nan_cast():
            np.copyto(out, data, casting="unsafe")
        return out
    row_bytes = max(1, data.nbytes // rows)
    block = max(1, _BLOCK_BYTES // row_bytes)
    # a few tasks per thread, so a thread slowed by other work does not hold up the end
    tasks = min(4 * threads, -(-rows // block))
    cuts = [rows * k // tasks for k in range(tasks + 1)]

    def copy_rows(k):
        with _quiet_nan_cast():  # numpy's error state is per thread
            for start in range(cuts[k], cuts[k + 1], block):
                stop = min(start + block, cuts[k + 1])
                np.copyto(out[start:stop], data[start:stop], casting="unsafe")

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(copy_rows, range(tasks)))
    return out


def _quiet_nan_cast():
    """R's NA is a NaN whose payload sets numpy's "invalid" flag when narrowed to
    float32 (a RuntimeWarning). It stays a NaN, which the engine's data checks
    report with the row it is in, so the warning would only repeat that."""
    return np.errstate(invalid="ignore")


# ---- data frames ------------------------------------------------------------

class DataFrameColumns(dict):
    """The columns of an R data.frame (name -> 1-d array), in column order.

    The model decides what they become (`resolve_frames`): inputs/outputs
    named like columns take those columns; a single input/output that no
    column names takes all columns as one matrix.
    """


def data_frame(names, columns):
    return DataFrameColumns(zip(names, columns))


def resolve_frames(model, data, role="x"):
    """Replaces a DataFrameColumns in `data` (x or y) by what `model` takes:
    a model with several inputs (outputs) gets the columns named after them;
    a model with one gets all columns as one matrix (rows x columns)."""
    if isinstance(data, (list, tuple)) and any(isinstance(d, DataFrameColumns) for d in data):
        return type(data)(resolve_frames(model, d, role) for d in data)
    if not isinstance(data, DataFrameColumns):
        return data
    names = _io_names(model, role)
    if len(names) > 1:
        what = "inputs" if role == "x" else "outputs"
        missing = [n for n in names if n not in data]
        if missing:
            raise ValueError(f"The data frame given as `{role}` has no column for the model's "
                             f"{what} {missing} (its columns: {list(data)}); name the columns "
                             f"after the model's {what}.")
        ranks = _io_ranks(model, role)
        return {n: _column_for(data[n], ranks.get(n)) for n in names}
    return _as_matrix(data, role)


def _io_ranks(model, role):
    tensors = getattr(model, "inputs" if role == "x" else "outputs", None) or []
    names = _io_names(model, role)
    try:
        return {n: len(t.shape) for n, t in zip(names, tensors)}
    except Exception:
        return {}


def _column_for(column, rank):
    """A 1-d column for an input of shape (batch, 1) becomes a (rows, 1) matrix,
    as Keras adjusts a rank one lower than the model's."""
    column = np.asarray(column)
    if rank == 2 and column.ndim == 1:
        return column.reshape(-1, 1)
    return column


def _io_names(model, role):
    attr = "input_names" if role == "x" else "output_names"
    try:
        return list(getattr(model, attr))
    except Exception:  # a subclassed/unbuilt model has no named inputs
        return []


def _as_matrix(columns, role):
    arrays = []
    for name, col in columns.items():
        col = np.asarray(col)
        if col.dtype.kind not in "biuf":
            raise ValueError(f"Column {name!r} of the data frame given as `{role}` is not "
                             f"numeric (dtype {col.dtype}); convert it (e.g. to a factor) first.")
        arrays.append(col.reshape(col.shape[0], -1))
    matrix = np.concatenate(arrays, axis=1)
    if matrix.dtype.kind in "biu" and any(a.dtype.kind == "f" for a in arrays):
        matrix = matrix.astype(np.float64)
    return matrix


# ---- R generator functions ------------------------------------------------------

class RGenerator:
    """An iterator over the batches an R function returns, one per call.

    `fn` (an R function reached through reticulate) returns a list
    `(x, y[, sample_weight])` already converted for Python, or None at the end.
    It is called on the calling (main) thread, in `__next__`. Iterating again
    continues with the same function, as keras3 does with R generators.
    """

    def __init__(self, fn, model=None):
        self.fn = fn
        self.model = model
        self._finished = False
        self._peeked = []

    def __iter__(self):
        self._finished = False
        return self

    def peek(self):
        """The next batch, which `__next__` then returns again (so building a
        model on it does not use up a batch of a one-pass R function)."""
        if not self._peeked:
            self._peeked.append(next(self))
        return self._peeked[0]

    def __next__(self):
        if self._peeked:
            return self._peeked.pop()
        if self._finished:
            raise StopIteration
        batch = call_r(self.fn)
        if batch is None:
            self._finished = True
            raise StopIteration
        if isinstance(batch, (list, tuple)):
            if not 1 <= len(batch) <= 3:
                raise ValueError("An R generator function must return list(x, y) or "
                                 "list(x, y, sample_weight) (or NULL at the end); it returned a "
                                 f"list of length {len(batch)}.")
            batch = list(batch)
            if self.model is not None:
                batch[0] = resolve_frames(self.model, batch[0], "x")
                if len(batch) > 1:
                    batch[1] = resolve_frames(self.model, batch[1], "y")
            return tuple(from_r(batch))
        if isinstance(batch, DataFrameColumns) and self.model is not None:
            return from_r(resolve_frames(self.model, batch, "x"))
        return from_r(batch)


def bind_model(data, model):
    """Lets an RGenerator resolve data frames for `model`; an unbuilt model is
    built on the generator's first batch, which stays the first one trained on."""
    if isinstance(data, RGenerator):
        if data.model is None:
            data.model = model
        if not getattr(model, "built", True):
            try:
                first = data.peek()
            except StopIteration:
                return data
            x = first[0] if isinstance(first, tuple) else first
            model(tree.map_structure(
                lambda a: torch.from_numpy(a) if isinstance(a, np.ndarray) else a, x))
    return data


# ---- datasets -----------------------------------------------------------------------

def tensor_slices(tensors):
    """torkeras.data.Dataset.from_tensor_slices() on data from R (data frames
    stay named columns)."""
    from torkeras.data import Dataset
    tensors = _plain_frames(tensors)
    return Dataset.from_tensor_slices(from_r(tensors))


def _plain_frames(data):
    if isinstance(data, DataFrameColumns):
        return dict(data)
    if isinstance(data, (list, tuple)):
        return [_plain_frames(d) for d in data]
    if isinstance(data, dict):
        return {k: _plain_frames(v) for k, v in data.items()}
    return data


def r_map_function(fn):
    """A Dataset.map() function calling the R function `fn` with numpy
    arrays (which reticulate gives R as arrays); its result, converted back
    by the R side, becomes arrays of the float type (R scalars 0-d)."""
    from torkeras import config

    def to_numpy(value):
        if hasattr(value, "numpy") and hasattr(value, "detach"):
            array = value.detach().cpu().numpy()
            return array.item() if array.ndim == 0 else array  # R gets a scalar
        if isinstance(value, dict):
            return {k: to_numpy(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [to_numpy(v) for v in value]
        return value

    def scalars(value):
        if isinstance(value, bool):
            return np.asarray(value)
        if isinstance(value, float):
            return np.asarray(value, dtype=config.floatx())
        if isinstance(value, int):
            return np.asarray(value, dtype=np.int32)
        return value

    def mapped(*args):
        result = call_r(fn, *[to_numpy(a) for a in args])
        result = _plain_frames(result)
        return tree.map_structure(scalars, from_r(result))

    return mapped
