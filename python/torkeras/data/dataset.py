"""A small tf.data-style input pipeline on torch tensors.

`Dataset.from_tensor_slices(struct)` slices a nested structure (tuples,
lists, dicts) of arrays along their first axis; `shuffle`, `batch`, `map`,
`take`, `repeat` and `prefetch` return new datasets. Iterating a dataset yields elements with the same
structure (lists come back as tuples, as tf.data does) holding torch tensors.

Each stage is lazy and restarts on every `iter()`, so a dataset can be passed
to `fit()` and is reset each epoch. While a pipeline only reorders or selects
rows (slices -> shuffle/take -> batch), it runs on row indices and gathers
each batch with one `index_select` per array; a `map` before `batch` makes the
stages after it work element by element.

`len(dataset)` is the number of elements (batches after `batch`), so
`fit()` knows its steps per epoch. `cardinality()` is that number, None when
it is not known, or `INFINITE` after `repeat()` without a count (then `len()`
is an error and `fit()` needs `steps_per_epoch`).
"""

import itertools
import math

import numpy as np
import torch

from torkeras.utils import tree

# cardinality() of a dataset that never ends (repeat() without a count).
INFINITE = math.inf

# prefetch(AUTOTUNE): let the pipeline choose the buffer size (tf.data.AUTOTUNE).
AUTOTUNE = -1


def _as_tensor(value):
    if isinstance(value, torch.Tensor):
        return value
    if hasattr(value, "value") and isinstance(getattr(value, "value"), torch.Tensor):
        return value.value.detach()
    array = np.asarray(value)
    if array.dtype == object or array.dtype.kind in "USO":
        raise ValueError("Dataset elements must be numeric arrays; received dtype "
                         f"{array.dtype} ({type(value).__name__}).")
    if not array.flags.writeable or not array.flags.c_contiguous:
        array = np.array(array, order="C")
    return torch.from_numpy(array)


def _normalize_structure(struct):
    """Lists become tuples (tf.data semantics); leaves become tensors."""
    if isinstance(struct, dict):
        return {k: _normalize_structure(v) for k, v in struct.items()}
    if isinstance(struct, (list, tuple)):
        return tuple(_normalize_structure(v) for v in struct)
    return _as_tensor(struct)


def _map_leaves(fn, struct):
    if isinstance(struct, dict):
        return {k: _map_leaves(fn, v) for k, v in struct.items()}
    if isinstance(struct, tuple):
        return tuple(_map_leaves(fn, v) for v in struct)
    return fn(struct)


def _stack(elements):
    first = elements[0]
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    if isinstance(first, tuple):
        return tuple(_stack([e[i] for e in elements]) for i in range(len(first)))
    return torch.stack(elements)


def _positive_int(value, name, allow_minus_one=False):
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f"`{name}` must be an integer; received: {value!r}")
    value = int(value)
    if allow_minus_one and value == -1:
        return value
    if value < (0 if allow_minus_one else 1):
        raise ValueError(f"`{name}` must be {'>= 0 (or -1)' if allow_minus_one else 'positive'}; "
                         f"received: {value}")
    return value


class Dataset:
    """Base class: subclasses implement `_elements()` and `cardinality()`.

    `_indices()` returns an iterator of row indices into `_source()` when the
    pipeline up to here only reorders/selects rows, else None.
    """

    # -- construction ------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors):
        """A dataset whose elements are the rows of `tensors` (nested arrays)."""
        return _TensorSlices(tensors)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True):
        """Buffered shuffle as tf.data: draws at random from a buffer of
        `buffer_size` elements, refilling it from the input."""
        return _Shuffle(self, _positive_int(buffer_size, "buffer_size"), seed,
                        reshuffle_each_iteration)

    def batch(self, batch_size, drop_remainder=False):
        """Stacks consecutive elements into batches of `batch_size`."""
        return _Batch(self, _positive_int(batch_size, "batch_size"), bool(drop_remainder))

    def map(self, map_func):
        """Applies `map_func` to each element (a tuple element is passed as
        separate arguments, as tf.data does)."""
        if not callable(map_func):
            raise TypeError(f"`map_func` must be callable; received {type(map_func).__name__}.")
        return _Map(self, map_func)

    def take(self, count):
        """The first `count` elements (-1: all of them)."""
        return _Take(self, _positive_int(count, "count", allow_minus_one=True))

    def repeat(self, count=None):
        """The elements, `count` times over (None or -1: forever); each pass
        restarts the pipeline, so an earlier shuffle draws a new order."""
        if count is not None:
            count = _positive_int(count, "count", allow_minus_one=True)
        return _Repeat(self, None if count == -1 else count)

    def prefetch(self, buffer_size):
        """The same elements, in the same order (see `_Prefetch` for why no
        background thread); `buffer_size` is a positive number or AUTOTUNE."""
        if buffer_size is None:
            raise ValueError("`buffer_size` must be a positive integer or AUTOTUNE (-1); "
                             "received None.")
        buffer_size = _positive_int(buffer_size, "buffer_size", allow_minus_one=True)
        if buffer_size == 0:
            raise ValueError("`buffer_size` must be a positive integer or AUTOTUNE (-1); "
                             "received 0.")
        return _Prefetch(self, buffer_size)

    # -- iteration -----------------------------------------------------------
    def __iter__(self):
        return self._elements()

    def as_numpy_iterator(self):
        for element in self:
            yield _map_leaves(lambda t: t.numpy(), element)

    def cardinality(self):
        raise NotImplementedError

    def __len__(self):
        n = self.cardinality()
        if n is None:
            raise TypeError("the number of elements of this dataset is not known")
        if n == INFINITE:
            raise TypeError("this dataset is infinite (repeat() without a count); pass "
                            "`steps_per_epoch` (or `steps`) to say how many batches to use")
        return n

    def _indices(self):
        return None

    def _source(self):
        return None

    def _elements(self):
        raise NotImplementedError

    def __repr__(self):
        n = self.cardinality()
        count = "unknown" if n is None else "infinitely many" if n == INFINITE else n
        return f"<{type(self).__name__.lstrip('_')} dataset: {count} elements>"


class _TensorSlices(Dataset):
    def __init__(self, tensors):
        self.tensors = _normalize_structure(tensors)
        leaves = tree.flatten(self.tensors)
        if not leaves:
            raise ValueError("from_tensor_slices() needs at least one array.")
        sizes = set()
        for t in leaves:
            if t.dim() == 0:
                raise ValueError("from_tensor_slices() slices along the first axis; received a "
                                 "scalar (an array without dimensions).")
            sizes.add(int(t.shape[0]))
        if len(sizes) > 1:
            raise ValueError("All arrays given to from_tensor_slices() must have the same first "
                             f"dimension (number of rows); received {sorted(sizes)}.")
        self.num_rows = sizes.pop()

    def cardinality(self):
        return self.num_rows

    def _source(self):
        return self.tensors

    def _indices(self):
        return iter(range(self.num_rows))

    def _elements(self):
        tensors = self.tensors
        for i in range(self.num_rows):
            yield _map_leaves(lambda t, i=i: t[i], tensors)


class _Stage(Dataset):
    def __init__(self, parent):
        self.parent = parent

    def _source(self):
        return self.parent._source()


def _gather(source, indices):
    """Elements of `source` at `indices`, one at a time."""
    for i in indices:
        yield _map_leaves(lambda t, i=i: t[i], source)


class _Shuffle(_Stage):
    def __init__(self, parent, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(parent)
        self.buffer_size = buffer_size
        self.seed = seed
        self.reshuffle = reshuffle_each_iteration
        self._epoch = 0

    def cardinality(self):
        return self.parent.cardinality()

    def _rng(self):
        epoch = self._epoch
        self._epoch += 1
        if self.seed is None:
            return np.random.default_rng(int(torch.randint(0, 2**62, ()).item()))
        return np.random.default_rng([int(self.seed), epoch if self.reshuffle else 0])

    def _shuffled(self, items):
        rng = self._rng()
        size = self.buffer_size
        buffer = []
        draws = iter(())
        for item in items:
            if len(buffer) < size:
                buffer.append(item)
                continue
            try:
                j = next(draws)
            except StopIteration:
                draws = iter(rng.integers(0, size, 4096).tolist())
                j = next(draws)
            out = buffer[j]
            buffer[j] = item
            yield out
        for j in rng.permutation(len(buffer)).tolist():
            yield buffer[j]

    def _indices(self):
        parent = self.parent._indices()
        return None if parent is None else self._shuffled(parent)

    def _elements(self):
        indices = self._indices()
        if indices is not None:
            return _gather(self._source(), indices)
        return self._shuffled(self.parent._elements())


class _Take(_Stage):
    def __init__(self, parent, count):
        super().__init__(parent)
        self.count = count

    def cardinality(self):
        n = self.parent.cardinality()
        if self.count == -1:
            return n
        return self.count if n is None else min(n, self.count)

    def _limit(self, items):
        if self.count == -1:
            yield from items
            return
        # islice stops before pulling element count + 1 (which could run an R map function)
        yield from itertools.islice(items, self.count)

    def _indices(self):
        parent = self.parent._indices()
        return None if parent is None else self._limit(parent)

    def _elements(self):
        indices = self._indices()
        if indices is not None:
            return _gather(self._source(), indices)
        return self._limit(self.parent._elements())


class _Batch(_Stage):
    def __init__(self, parent, batch_size, drop_remainder):
        super().__init__(parent)
        self.batch_size = batch_size
        self.drop_remainder = drop_remainder

    def cardinality(self):
        n = self.parent.cardinality()
        if n is None or n == INFINITE:
            return n
        return n // self.batch_size if self.drop_remainder else math.ceil(n / self.batch_size)

    def _source(self):  # stages after a batch see batches, not source rows
        return None

    def _chunks(self, items):
        chunk = []
        for item in items:
            chunk.append(item)
            if len(chunk) == self.batch_size:
                yield chunk
                chunk = []
        if chunk and not self.drop_remainder:
            yield chunk

    def _elements(self):
        indices = self.parent._indices()
        if indices is not None:
            source = self.parent._source()
            for chunk in self._chunks(indices):
                if chunk == list(range(chunk[0], chunk[0] + len(chunk))):
                    sl = slice(chunk[0], chunk[-1] + 1)  # consecutive rows: a view
                    yield _map_leaves(lambda t: t[sl], source)
                else:
                    idx = torch.tensor(chunk, dtype=torch.long)
                    yield _map_leaves(lambda t: t.index_select(0, idx), source)
            return
        for chunk in self._chunks(self.parent._elements()):
            yield _stack(chunk)


class _Map(_Stage):
    def __init__(self, parent, map_func):
        super().__init__(parent)
        self.map_func = map_func

    def cardinality(self):
        return self.parent.cardinality()

    def _source(self):
        return None

    def _elements(self):
        fn = self.map_func
        for element in self.parent._elements():
            out = fn(*element) if isinstance(element, tuple) else fn(element)
            yield _normalize_structure(out)


class _Repeat(_Stage):
    """`count` passes over the parent (None: endless). A pass that yields
    nothing ends the repetition, as in tf.data, so repeating an empty dataset
    forever does not hang."""

    def __init__(self, parent, count):
        super().__init__(parent)
        self.count = count

    def cardinality(self):
        n = self.parent.cardinality()
        if self.count == 0 or n == 0:
            return 0
        if n is None or n == INFINITE:
            return n
        return INFINITE if self.count is None else n * self.count

    def _passes(self, start_pass, first=None):
        """Items of successive passes; `first` is the first pass's iterator
        when the caller already started it."""
        done = 0
        while self.count is None or done < self.count:
            items = first if first is not None else start_pass()
            first = None
            empty = True
            for item in items:
                empty = False
                yield item
            done += 1
            if empty:
                return

    def _indices(self):
        first = self.parent._indices()
        return None if first is None else self._passes(self.parent._indices, first)

    def _elements(self):
        indices = self._indices()
        if indices is not None:
            return _gather(self._source(), indices)
        return self._passes(self.parent._elements)


class _Prefetch(_Stage):
    """prefetch(): the parent's elements, unchanged and in order.

    No background thread: the stages run in the training thread, and up to a
    batch they only gather rows of tensors already in memory (one index_select
    per array), which costs far less than a training step. A producer thread
    would compete with torch's intra-op threads for the same cores, and
    could not run the R functions of an R dataset_map() (R is single-
    threaded). So `buffer_size` is checked and kept, and the elements pass
    through, which keeps the row fast path of the stages before it.
    """

    def __init__(self, parent, buffer_size):
        super().__init__(parent)
        self.buffer_size = buffer_size

    def cardinality(self):
        return self.parent.cardinality()

    def _indices(self):
        return self.parent._indices()

    def _elements(self):
        return self.parent._elements()
