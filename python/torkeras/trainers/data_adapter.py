"""Turns what users pass to fit/evaluate/predict into batches of torch tensors.

In-memory arrays are converted to torch once per call; each epoch then draws
batches by index (a shuffled permutation when asked), so no per-batch
numpy-to-torch conversion happens on the training path.
"""

import math

import numpy as np
import torch

from torkeras import dtypes
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
            raise ValueError(f"`{argname}` could not be converted to a numeric array "
                             f"(got dtype object from {type(x).__name__}).")
        if array.dtype.kind == "U" or array.dtype.kind == "S":
            raise ValueError(f"`{argname}` holds strings; fit() needs numeric arrays.")
        t = torch.from_numpy(np.ascontiguousarray(array))
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
                 class_weight=None):
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
    return ArrayDataset(x, y, sw, batch_size=batch_size, shuffle=shuffle)


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


def make_dataset(x, y=None, sample_weight=None, batch_size=None, shuffle=False, class_weight=None):
    """Dispatches on the kind of input; in-memory arrays for now, iterables too."""
    if isinstance(x, ArrayDataset):
        return x
    if _is_iterable_dataset(x):
        if y is not None:
            raise ValueError("When `x` is a dataset, generator or DataLoader, do not pass `y`: "
                             "the data should yield (x, y) tuples.")
        return IterableDataset(x)
    return ArrayDataset(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                        class_weight=class_weight)


def _is_iterable_dataset(x):
    if isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict)) or _is_pandas(x):
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__next__")


class IterableDataset:
    """Batches from a torch DataLoader, a generator or any iterable of tuples."""

    def __init__(self, source):
        self.source = source
        try:
            self.steps = len(source)
        except TypeError:
            self.steps = None

    def batches(self, max_steps=None):
        for i, batch in enumerate(self.source):
            if max_steps is not None and i >= max_steps:
                return
            x, y, sw = unpack_x_y_sample_weight(batch)
            yield (tree.map_structure(to_tensor, x),
                   None if y is None else tree.map_structure(to_tensor, y),
                   None if sw is None else tree.map_structure(to_tensor, sw))

    def __iter__(self):
        return self.batches()
