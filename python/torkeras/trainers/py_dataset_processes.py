"""A `PyDataset`'s batches fetched by worker processes (`use_multiprocessing=True`).

`fetch_in_processes` starts a pool of `workers` processes for one pass over
the dataset, keeps up to `max_queue_size` batch requests in flight ahead of
the consumer, and yields the batches in the order asked for. The pool is shut
down when the pass ends, when a batch fails, and when the consumer stops early
(the generator is closed), so no worker outlives its pass.

Workers are forked, not spawned. A forked worker inherits the dataset as it is
in the parent at the start of the pass, so nothing about the dataset needs to
be picklable: classes defined in `__main__`, in a notebook, or by R through
the bridge work, and `on_epoch_end()` -- which runs in the parent, as in Keras
-- is seen by the next pass's fresh workers. Spawning would pickle the dataset
and re-import torch in every worker (seconds per pass). The cost of forking is
that `__getitem__` must not use CUDA in a worker when the parent has already
initialised it (CUDA cannot be used in a forked child).

Only the batches cross the process boundary, pickled through a pipe: torch
tensors are turned into numpy arrays first, so they travel as plain bytes
rather than through torch's shared-memory file descriptors.
"""

import collections
import concurrent.futures
import itertools
import multiprocessing
import signal

import torch

# The dataset this worker process reads, set once when the worker starts.
_dataset = None


def _start_worker(dataset):
    global _dataset
    # Ctrl-C reaches the whole process group; only the parent should react
    # (it shuts the pool down), a worker dying mid-batch would just lose it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's intra-op thread pool does not exist in a forked child and
    # entering it can deadlock; the parallelism here comes from the workers.
    torch.set_num_threads(1)
    _dataset = dataset


def _fetch(index):
    return _to_numpy(_dataset[index])


def _to_numpy(batch):
    if isinstance(batch, torch.Tensor):
        tensor = batch.detach().cpu()
        try:
            return tensor.numpy()
        except TypeError:  # dtypes numpy lacks (bfloat16): sent as a tensor
            return tensor
    if isinstance(batch, (tuple, list)):
        return type(batch)(_to_numpy(part) for part in batch) \
            if type(batch) in (tuple, list) else batch
    if isinstance(batch, dict):
        return {key: _to_numpy(value) for key, value in batch.items()}
    return batch


def _located(error, index):
    """`error` from a worker, re-made with the batch index in its message (same type)."""
    if isinstance(error, concurrent.futures.process.BrokenProcessPool):
        return RuntimeError(f"A PyDataset worker process ended abruptly (killed, or crashed "
                            f"in native code) while batch {index} was being fetched.")
    message = f"{error} (raised by __getitem__({index}) in a PyDataset worker process)"
    try:
        again = type(error)(message)
    except Exception:
        again = None
    if again is not None and str(again) == message:
        return again
    # A type whose constructor does not take one message: keep the original
    # exception and say where it came from in a note.
    if hasattr(error, "add_note"):
        error.add_note(message)
    return error


def fetch_in_processes(dataset, order, workers, max_queue_size):
    """Yields `dataset[i]` for each `i` of the iterator `order`, fetched by `workers` processes."""
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker, initargs=(dataset,))
    try:
        ahead = collections.deque()
        for index in itertools.islice(order, max_queue_size):
            ahead.append((index, pool.submit(_fetch, index)))
        while ahead:
            index, future = ahead.popleft()
            try:
                batch = future.result()
            except Exception as error:
                again = _located(error, index)
                if again is error:
                    raise
                raise again from error
            following = next(order, None)
            if following is not None:
                ahead.append((following, pool.submit(_fetch, following)))
            yield batch
    finally:
        # Requests not started yet are dropped; the ones already handed to a
        # worker finish, then every worker exits and is joined.
        pool.shutdown(wait=True, cancel_futures=True)
