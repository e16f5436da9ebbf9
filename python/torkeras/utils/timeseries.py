"""`keras.utils.timeseries_dataset_from_array`: sliding windows over an array."""

import numpy as np
import torch

from torkeras.data import dataset as _ds


def _int_arg(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)) \
            or int(value) != value:
        expected = "None or an integer" if allow_none else "an integer"
        raise ValueError(f"timeseries_dataset_from_array(): `{name}` must be {expected}; "
                         f"received {value!r}.")
    return int(value)


class _Windows(_ds.Dataset):
    """One element per window start: the window of `data` (and its target)."""

    def __init__(self, data, targets, starts, offsets, start_index):
        self.data = data
        self.targets = targets
        self.starts = starts
        self.offsets = offsets
        self.start_index = start_index

    def cardinality(self):
        return len(self.starts)

    def _elements(self):
        for pos in self.starts.tolist():
            first = self.start_index + pos
            window = self.data.index_select(0, self.offsets + first)
            if self.targets is None:
                yield window
            else:
                yield window, self.targets[first]


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Makes a dataset of sliding windows over a timeseries array.

    Window `i` starts at `start_index + starts[i]`, where `starts` runs from 0
    by `sequence_stride`, and holds `sequence_length` timesteps taken every
    `sampling_rate` steps. Its target is `targets[start_index + starts[i]]`,
    the target of the window's first timestep. Windows must end before
    `end_index`.

    Args:
        data: array-like whose first axis is time.
        targets: array-like of targets, `targets[i]` belonging to the window
            that starts at `data[i]`; None yields the windows alone.
        sequence_length: the number of timesteps in each window.
        sequence_stride: the step between the starts of successive windows.
        sampling_rate: the step between the timesteps inside a window.
        batch_size: the number of windows per batch (the last batch may be
            smaller); None yields single windows.
        shuffle: whether to draw the windows in random order instead of
            chronological order.
        seed: optional integer seed for the shuffling.
        start_index: optional 0-based index of the first timestep used
            (default 0).
        end_index: optional 0-based index (exclusive) after which no
            timestep is used (default: the length of `data`).

    Returns:
        A `torkeras.data.Dataset` yielding `(windows, targets)` batches (or
        `windows` alone), where `windows` has shape
        `(batch, sequence_length) + data.shape[1:]`; pass it to `fit()`.

    Raises:
        ValueError: for indices, strides or lengths out of range.

    Example:
    >>> ds = keras.utils.timeseries_dataset_from_array(
    ...     np.arange(10), np.arange(10) * 10, sequence_length=3, batch_size=2)
    >>> x, y = next(iter(ds))
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [1, 2, 3]], [0, 10])
    """
    data = _ds._as_tensor(data)
    if data.dim() == 0:
        raise ValueError("timeseries_dataset_from_array(): `data` must have a time axis "
                         "(at least 1 dimension); received a scalar.")
    n = int(data.shape[0])
    sequence_length = _int_arg(sequence_length, "sequence_length")
    sequence_stride = _int_arg(sequence_stride, "sequence_stride")
    sampling_rate = _int_arg(sampling_rate, "sampling_rate")
    batch_size = _int_arg(batch_size, "batch_size", allow_none=True)
    start_index = _int_arg(start_index, "start_index", allow_none=True)
    end_index = _int_arg(end_index, "end_index", allow_none=True)
    if sequence_length <= 0:
        raise ValueError("timeseries_dataset_from_array(): `sequence_length` must be higher "
                         f"than 0; received {sequence_length}.")
    if start_index is not None:
        if start_index < 0:
            raise ValueError("timeseries_dataset_from_array(): `start_index` must be 0 or "
                             f"greater; received {start_index}.")
        if start_index >= n:
            raise ValueError("timeseries_dataset_from_array(): `start_index` must be lower "
                             f"than the length of the data ({n}); received {start_index}.")
    if end_index is not None:
        if end_index <= 0:
            raise ValueError("timeseries_dataset_from_array(): `end_index` must be higher "
                             f"than 0; received {end_index}.")
        if start_index is not None and end_index <= start_index:
            raise ValueError("timeseries_dataset_from_array(): `end_index` must be higher "
                             f"than `start_index`; received start_index={start_index}, "
                             f"end_index={end_index}.")
        if end_index >= n:
            raise ValueError("timeseries_dataset_from_array(): `end_index` must be lower "
                             f"than the length of the data ({n}); received {end_index}.")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"timeseries_dataset_from_array(): `{name}` must be higher "
                             f"than 0; received {value}.")
        if value >= n:
            raise ValueError(f"timeseries_dataset_from_array(): `{name}` must be lower than "
                             f"the length of the data ({n}); received {value}.")
    if batch_size is not None and batch_size <= 0:
        raise ValueError("timeseries_dataset_from_array(): `batch_size` must be None or "
                         f"higher than 0; received {batch_size}.")
    start = 0 if start_index is None else start_index
    end = n if end_index is None else end_index
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = _ds._as_tensor(targets)
        if targets.dim() == 0:
            raise ValueError("timeseries_dataset_from_array(): `targets` must be an array "
                             "with one entry per timestep; received a scalar.")
        count = min(count, int(targets.shape[0]))
    starts = np.arange(0, max(count, 0), sequence_stride, dtype="int64")
    if shuffle:
        if seed is None:
            seed = int(np.random.randint(1_000_000))
        np.random.RandomState(seed).shuffle(starts)
    offsets = torch.arange(0, sequence_length * sampling_rate, sampling_rate, dtype=torch.long)
    out = _Windows(data, targets, starts, offsets, start)
    if batch_size is None:
        return out.shuffle(1024, seed=seed) if shuffle else out
    if shuffle:
        out = out.shuffle(batch_size * 8, seed=seed)
    return out.batch(batch_size)
