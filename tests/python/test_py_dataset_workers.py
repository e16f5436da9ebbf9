"""PyDataset with `use_multiprocessing=True`: batches fetched by forked worker processes."""

import multiprocessing
import os

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers
from torkeras.trainers import data_adapter

N, D, BS = 40, 3, 8
STEPS = N // BS


def arrays(seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(N, D).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5], dtype="float32")).reshape(-1, 1) + 0.25
    return x, y.astype("float32")


class Rows(keras.utils.PyDataset):
    """Batch i is rows [i*BS, (i+1)*BS) plus `shift`; `on_epoch_end` adds 1 to `shift`."""

    def __init__(self, x, y, log_dir=None, fail_at=None, error=ValueError, as_tensors=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.log_dir, self.fail_at, self.error = log_dir, fail_at, error
        self.as_tensors = as_tensors
        self.shift = 0.0
        self.epoch_end_pids = []

    def __len__(self):
        return STEPS

    def __getitem__(self, i):
        if self.log_dir is not None:
            # Who fetched what: one empty file per call, named index-pid.
            open(os.path.join(self.log_dir, f"{i}-{os.getpid()}"), "w").close()
        if i == self.fail_at:
            if self.error == "exit":
                os._exit(3)
            raise self.error(f"cannot read batch {i}")
        x = self.x[i * BS:(i + 1) * BS] + self.shift
        y = self.y[i * BS:(i + 1) * BS]
        if self.as_tensors:
            return {"features": torch.from_numpy(x)}, torch.from_numpy(y)
        return x, y

    def on_epoch_end(self):
        self.epoch_end_pids.append(os.getpid())
        self.shift += 1.0


def processes(x, y, **kwargs):
    return Rows(x, y, workers=2, use_multiprocessing=True, max_queue_size=3, **kwargs)


def children():
    return {p.pid for p in multiprocessing.active_children()}


def model():
    m = keras.Sequential([keras.Input(shape=(D,)),
                          layers.Dense(4, activation="tanh", kernel_initializer="ones"),
                          layers.Dense(1, kernel_initializer="ones")])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"])
    return m


@pytest.fixture
def no_new_children():
    before = children()
    yield
    assert children() <= before


def test_batches_equal_the_single_process_ones_in_order_and_come_from_worker_pids(
        tmp_path, no_new_children):
    x, y = arrays()
    got = list(data_adapter.make_dataset(processes(x, y, log_dir=str(tmp_path))).batches())
    assert len(got) == STEPS
    for i, (bx, by, bsw) in enumerate(got):
        assert bsw is None
        np.testing.assert_array_equal(bx.numpy(), x[i * BS:(i + 1) * BS])
        np.testing.assert_array_equal(by.numpy(), y[i * BS:(i + 1) * BS])
    calls = [name.split("-") for name in os.listdir(tmp_path)]
    assert sorted(int(i) for i, _ in calls) == list(range(STEPS))
    pids = {int(pid) for _, pid in calls}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2
    # The pool is gone once the pass is over.
    assert not pids & children()


def test_torch_tensor_and_dict_batches_cross_as_the_same_values(no_new_children):
    x, y = arrays()
    single = list(data_adapter.make_dataset(Rows(x, y, as_tensors=True)).batches())
    multi = list(data_adapter.make_dataset(processes(x, y, as_tensors=True)).batches())
    assert len(multi) == STEPS
    for (sx, sy, _), (mx, my, _) in zip(single, multi):
        assert torch.equal(sx["features"], mx["features"])
        assert torch.equal(sy, my)
        assert mx["features"].dtype == torch.float32


def test_shuffled_order_is_the_single_process_order(no_new_children):
    x, y = arrays()
    torch.manual_seed(3)
    single = [b[0] for b in data_adapter.make_dataset(Rows(x, y), shuffle=True).batches()]
    torch.manual_seed(3)
    multi = [b[0] for b in data_adapter.make_dataset(processes(x, y), shuffle=True).batches()]
    torch.manual_seed(3)
    order = torch.randperm(STEPS).tolist()
    assert order != list(range(STEPS))
    for i, a, b in zip(order, single, multi):
        np.testing.assert_array_equal(b.numpy(), x[i * BS:(i + 1) * BS])
        assert torch.equal(a, b)


def test_on_epoch_end_runs_in_the_parent_and_the_next_pass_sees_its_changes(no_new_children):
    x, y = arrays()
    ds = processes(x, y)
    adapter = data_adapter.make_dataset(ds)
    first = [b[0].numpy() for b in adapter.batches()]
    second = [b[0].numpy() for b in adapter.batches()]
    assert ds.epoch_end_pids == [os.getpid(), os.getpid()]
    assert ds.shift == 2.0
    np.testing.assert_array_equal(np.concatenate(first), x)
    np.testing.assert_array_equal(np.concatenate(second), x + 1.0)


def test_fit_with_processes_trains_exactly_like_one_worker(no_new_children):
    x, y = arrays()
    xv, yv = arrays(seed=1)
    results = []
    for make in (lambda a, b: Rows(a, b), processes):
        m = model()
        h = m.fit(make(x, y), epochs=3, shuffle=False, verbose=0,
                  validation_data=make(xv, yv))
        results.append(([w.numpy() for w in m.weights], h.history,
                        m.evaluate(make(x, y), verbose=0, return_dict=True),
                        m.predict(make(x, y), verbose=0)))
    (w1, h1, e1, p1), (w2, h2, e2, p2) = results
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)
    assert h1 == h2
    assert e1 == e2
    np.testing.assert_array_equal(p1, p2)
    # on_epoch_end shifted the inputs between epochs in both runs alike: the
    # workers of each epoch see the parent's dataset as it is then.
    assert h1["loss"][0] != h1["loss"][1]


def test_worker_error_is_reraised_with_its_type_message_and_batch_index(no_new_children):
    x, y = arrays()
    with pytest.raises(ValueError, match=r"cannot read batch 3 \(raised by __getitem__\(3\) in a "
                                         r"PyDataset worker process\)") as info:
        model().fit(processes(x, y, fail_at=3), epochs=1, verbose=0)
    # The worker's own traceback is kept as the cause.
    assert "cannot read batch 3" in str(info.value.__cause__)

    # KeyError cannot be re-made with a longer message (its str() adds
    # quotes): the original exception is raised, with the index in a note.
    with pytest.raises(KeyError) as info:
        list(data_adapter.make_dataset(processes(x, y, fail_at=2, error=KeyError)).batches())
    assert info.value.args == ("cannot read batch 2",)
    assert any("__getitem__(2)" in note for note in info.value.__notes__)


def test_a_worker_that_dies_is_reported_with_the_batch_index(no_new_children):
    x, y = arrays()
    with pytest.raises(RuntimeError, match="worker process ended abruptly .* batch 1 "):
        list(data_adapter.make_dataset(processes(x, y, fail_at=1, error="exit")).batches())


def test_no_worker_outlives_an_interrupted_or_partial_fit(no_new_children):
    x, y = arrays()
    before = children()

    class Boom(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                raise KeyboardInterrupt

    for steps_per_epoch in (None, 3):
        with pytest.raises(KeyboardInterrupt) as info:
            model().fit(processes(x, y), epochs=2, steps_per_epoch=steps_per_epoch, verbose=0,
                        callbacks=[Boom()])
        # While the traceback (holding fit's frame) is alive.
        assert info.tb is not None and children() <= before

    class Stop(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = True

    model().fit(processes(x, y), epochs=3, verbose=0, callbacks=[Stop()])
    assert children() <= before
    # steps_per_epoch shorter than the dataset: one pass spans two epochs.
    model().fit(processes(x, y), epochs=2, steps_per_epoch=2, verbose=0)
    assert children() <= before
    m = model()
    m.evaluate(processes(x, y), steps=2, verbose=0)
    m.predict(processes(x, y), steps=1, verbose=0)
    assert children() <= before


def test_endless_pydataset_with_processes(no_new_children):
    x, y = arrays()

    class Endless(keras.utils.PyDataset):
        num_batches = None

        def __getitem__(self, i):
            i = i % STEPS
            return x[i * BS:(i + 1) * BS], y[i * BS:(i + 1) * BS]

    ref = model()
    ref.fit(Endless(), epochs=2, steps_per_epoch=STEPS, verbose=0)
    m = model()
    m.fit(Endless(workers=2, use_multiprocessing=True), epochs=2, steps_per_epoch=STEPS,
          verbose=0)
    for a, b in zip(ref.weights, m.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
