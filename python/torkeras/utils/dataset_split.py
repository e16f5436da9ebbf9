"""`keras.utils.split_dataset`: splits arrays or a dataset into two datasets."""

import numpy as np
import torch

from torkeras.data import dataset as _ds


def _split_sizes(left_size, right_size, total):
    """The two split sizes as element counts (see `split_dataset`)."""
    counts = []
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is None:
            counts.append(None)
            continue
        if isinstance(size, bool) or not isinstance(size, (int, float, np.integer,
                                                           np.floating)):
            raise TypeError(f"split_dataset(): `{name}` must be an integer, a float or "
                            f"None; received {type(size).__name__} {size!r}.")
        if isinstance(size, (float, np.floating)):
            if not 0 < size < 1:
                raise ValueError(f"split_dataset(): `{name}` as a fraction must be in "
                                 f"(0, 1); received {size}.")
            counts.append(int(round(size * total)))
        else:
            if not 0 < size < total:
                raise ValueError(f"split_dataset(): `{name}` as a count must be a positive "
                                 f"integer smaller than the number of elements ({total}); "
                                 f"received {size}.")
            counts.append(int(size))
    if counts[0] is None and counts[1] is None:
        raise ValueError("split_dataset(): give `left_size`, `right_size` or both; "
                         "received None for both.")
    if isinstance(left_size, float) and isinstance(right_size, float) \
            and left_size + right_size > 1:
        raise ValueError("split_dataset(): `left_size` + `right_size` must be at most 1; "
                         f"received {left_size} + {right_size}.")
    left, right = counts
    if left is None:
        left = total - right
    if right is None:
        right = total - left
    if left + right > total:
        raise ValueError(f"split_dataset(): `left_size` + `right_size` ({left} + {right}) "
                         f"is more than the number of elements ({total}).")
    for side, n in (("left", left), ("right", right)):
        if n == 0:
            raise ValueError(f"split_dataset(): with {total} elements the {side} split "
                             f"would be empty (left_size={left}, right_size={right}).")
    return left, right


def _dataset_rows(dataset):
    """(structure of stacked rows, batch size or None) of a finite Dataset."""
    n = dataset.cardinality()
    if n == _ds.INFINITE:
        raise ValueError("split_dataset(): `dataset` is infinite (repeat() without a "
                         "count); it cannot be split.")
    stage, batch_size = dataset, None
    while isinstance(stage, _ds._Prefetch):
        stage = stage.parent
    if isinstance(stage, _ds._Batch):
        batch_size = stage.batch_size
    elements = list(dataset)
    if not elements:
        raise ValueError("split_dataset(): `dataset` has no elements.")
    if batch_size is not None:
        singles = []
        for batch in elements:
            count = int(_ds.tree.flatten(batch)[0].shape[0])
            singles.extend(_ds._map_leaves(lambda t, i=i: t[i], batch) for i in range(count))
        elements = singles
    rows = _ds._stack(elements)
    return rows, batch_size


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset or arrays into a left and a right dataset.

    Without shuffling, the left dataset holds the first `left_size` elements
    and the right dataset the last `right_size` elements, in order. With
    `shuffle=True` the elements are first put in the order of
    `torch.randperm(n)` drawn from a generator seeded with `seed` (the order
    Keras' torch backend uses).

    Args:
        dataset: a NumPy array, a list or tuple of arrays with the same first
            dimension (each element is then a tuple), a dict of such arrays,
            or a finite `torkeras.data.Dataset` (a batched one is split by
            element and each split is batched again with the same size).
        left_size: a float in (0, 1), the fraction of elements in the left
            split (rounded), or an integer count; None takes the elements
            not in the right split.
        right_size: the same for the right split; None takes the elements
            not in the left split.
        shuffle: whether to shuffle the elements before splitting.
        seed: optional integer seed for the shuffle.

    Returns:
        A tuple `(left, right)` of `torkeras.data.Dataset`s.

    Raises:
        TypeError: for a `dataset`, `left_size` or `right_size` of the wrong
            type.
        ValueError: for sizes out of range, both None, summing to more than
            the data, or leaving a split empty.

    Example:
    >>> left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    """
    batch_size = None
    if isinstance(dataset, _ds.Dataset):
        rows, batch_size = _dataset_rows(dataset)
    elif isinstance(dataset, (np.ndarray, torch.Tensor, list, tuple, dict)):
        try:
            rows = _ds._normalize_structure(dataset)
        except (ValueError, TypeError) as error:
            raise TypeError("split_dataset(): `dataset` must be a numeric array, a list, "
                            f"tuple or dict of arrays, or a Dataset ({error})") from None
    else:
        raise TypeError("split_dataset(): `dataset` must be a numeric array, a list, tuple "
                        "or dict of arrays, or a Dataset; received "
                        f"{type(dataset).__name__}.")
    leaves = _ds.tree.flatten(rows)
    sizes = {int(t.shape[0]) if t.dim() else None for t in leaves}
    if None in sizes or len(sizes) != 1:
        raise ValueError("split_dataset(): the arrays in `dataset` must all have the same "
                         f"first dimension; received first dimensions {sorted(map(str, sizes))}.")
    total = sizes.pop()
    left, right = _split_sizes(left_size, right_size, total)
    if shuffle:
        generator = torch.Generator()
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(int(seed))
        order = torch.randperm(total, generator=generator)
    else:
        order = torch.arange(total)
    halves = []
    for idx in (order[:left], order[total - right:]):
        part = _ds.Dataset.from_tensor_slices(
            _ds._map_leaves(lambda t, idx=idx: t.index_select(0, idx), rows))
        halves.append(part.batch(batch_size) if batch_size else part)
    return tuple(halves)
