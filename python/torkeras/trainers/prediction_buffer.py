"""Where predict() puts the outputs of its batches.

Keras keeps every batch's outputs and concatenates them at the end, so the
predictions exist twice at the peak (the batches, then the result), and the
freed batches are left to the allocator. When the number of rows is known up
front (in-memory data), `PredictionBuffer` allocates each output's array on
the first batch and copies every batch into place as it comes: the
predictions exist once. Streamed data of unknown length, and outputs that
cannot be laid out by row (no batch dimension, a structure or row count that
changes between batches), keep the keep-and-concatenate way.
"""

import numpy as np
import torch

from torkeras.utils import tree


def to_numpy(value):
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def concatenate_outputs(batches):
    """The outputs of several batches joined along the batch axis, as numpy."""
    first = batches[0]
    if isinstance(first, torch.Tensor):
        return torch.cat([b.detach() for b in batches]).cpu().numpy() if len(batches) > 1 \
            else first.detach().cpu().numpy()
    flat = [tree.flatten(b) for b in batches]
    merged = [np.concatenate([to_numpy(f[i]) for f in flat]) for i in range(len(flat[0]))]
    return tree.pack_like(first, merged)


class PredictionBuffer:
    """Collects predict()'s batch outputs; `rows` is how many rows the result
    will have, when known."""

    def __init__(self, rows=None):
        self._rows = rows
        self._structure = None
        self._arrays = None   # one preallocated array per output
        self._filled = 0
        self._batches = []

    @property
    def empty(self):
        return self._arrays is None and not self._batches

    def add(self, outputs):
        if self._rows is not None and self._copy_into_place(outputs):
            return
        self._batches.append(outputs)

    def result(self):
        if self._arrays is not None:
            filled = self._filled
            return tree.pack_like(self._structure, [a[:filled] if filled < len(a) else a
                                                    for a in self._arrays])
        return concatenate_outputs(self._batches)

    def _copy_into_place(self, outputs):
        leaves = tree.flatten(outputs)
        if self._arrays is None:
            self._allocate(outputs, leaves)
        elif not self._fits(outputs, leaves):
            self._give_up_preallocation()
        if self._arrays is None:
            return False
        start, stop = self._filled, self._filled + leaves[0].shape[0]
        for array, leaf in zip(self._arrays, leaves):
            array[start:stop] = to_numpy(leaf)
        self._filled = stop
        return True

    def _allocate(self, outputs, leaves):
        if not _rows_of(leaves):
            self._rows = None
            return
        self._structure = outputs
        self._arrays = [np.empty((self._rows,) + tuple(leaf.shape[1:]), dtype=to_numpy(leaf[:0]).dtype)
                        for leaf in leaves]

    def _fits(self, outputs, leaves):
        rows = _rows_of(leaves)
        return (rows and self._filled + rows <= self._rows and len(leaves) == len(self._arrays)
                and tree.pack_like(outputs, [0] * len(leaves))
                == tree.pack_like(self._structure, [0] * len(leaves))
                and all(tuple(leaf.shape[1:]) == a.shape[1:]
                        for leaf, a in zip(leaves, self._arrays)))

    def _give_up_preallocation(self):
        """Keeps what was copied as one batch; later batches are kept as they come."""
        filled = self._filled
        self._batches = [tree.pack_like(self._structure, [a[:filled] for a in self._arrays])]
        self._arrays = None
        self._rows = None


def _rows_of(leaves):
    """The batch size all `leaves` share, or 0 when they are not row-shaped arrays."""
    if not leaves or not all(isinstance(x, (torch.Tensor, np.ndarray)) and x.ndim >= 1
                             for x in leaves):
        return 0
    rows = {x.shape[0] for x in leaves}
    return rows.pop() if len(rows) == 1 else 0


def rows_to_predict(dataset, steps):
    """How many rows predict() will produce from `dataset` in `steps` batches:
    known for in-memory data (make_dataset's ArrayDataset), else None."""
    rows = getattr(dataset, "num_rows", None)
    batch_size = getattr(dataset, "batch_size", None)
    if rows is None or batch_size is None or steps is None:
        return None
    return min(rows, steps * batch_size)
