"""`keras.utils.PyDataset` (alias `Sequence`): batches produced by Python code.

A subclass implements `__getitem__(index)` returning one complete batch --
`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` -- and `__len__()` giving the
number of batches (or overrides `num_batches`, which may be None for an
endless dataset). `on_epoch_end()` runs after every complete pass, so a
dataset can reshuffle or regenerate itself between epochs.

`workers` > 1 fetches batches ahead with a pool of threads, keeping at most
`max_queue_size` batches requested ahead. With `use_multiprocessing=True`
(and any `workers`, as in Keras) they are fetched by `workers` forked worker
processes instead, a fresh pool for every epoch, so that work in
`__getitem__` runs in parallel with training on other cores
(torkeras/trainers/py_dataset_processes.py). `on_epoch_end()` always runs in
the parent process. The batches still arrive in order.
"""


class PyDataset:
    """Base class of datasets whose batches are produced by Python code.

    A subclass implements `__getitem__(index)`, returning one complete batch
    (`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`), and `__len__()`, the number
    of batches per epoch (or overrides `num_batches`; None means endless, then
    pass `steps_per_epoch` to `fit()`). `on_epoch_end()` runs after every
    complete pass, e.g. to reshuffle. Pass an instance as `x` to `fit()`,
    `evaluate()` or `predict()`. `keras.utils.Sequence` is the same class.

    Args:
        workers: number of threads (or, with `use_multiprocessing`, processes)
            fetching batches ahead of training. Defaults to 1 (no prefetching).
        use_multiprocessing: fetch batches in forked worker processes instead
            of threads.
        max_queue_size: maximum number of batches requested ahead.

    Example:
    >>> class Squares(keras.utils.PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, i):
    ...         x = np.full((2, 1), float(i), "float32")
    ...         return x, x ** 2
    >>> len(Squares()), Squares()[2][1].tolist()
    (3, [[4.0], [4.0]])
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        if isinstance(workers, bool) or int(workers) != workers or workers < 1:
            raise ValueError(f"`workers` must be a positive integer; received: {workers!r}")
        if isinstance(max_queue_size, bool) or int(max_queue_size) != max_queue_size \
                or max_queue_size < 1:
            raise ValueError("`max_queue_size` must be a positive integer; received: "
                             f"{max_queue_size!r}")
        self._workers = int(workers)
        self._use_multiprocessing = bool(use_multiprocessing)
        self._max_queue_size = int(max_queue_size)

    # Subclasses that forget to call super().__init__() still work: the
    # settings fall back to their defaults.
    @property
    def workers(self):
        return self.__dict__.get("_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = int(value)

    @property
    def use_multiprocessing(self):
        return self.__dict__.get("_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = bool(value)

    @property
    def max_queue_size(self):
        return self.__dict__.get("_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = int(value)

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(index), "
                                  "returning one batch.")

    @property
    def num_batches(self):
        """Number of batches per epoch; None means endless (then pass `steps_per_epoch`)."""
        if hasattr(type(self), "__len__"):
            return len(self)
        return None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass


Sequence = PyDataset
