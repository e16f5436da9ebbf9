"""CallbackList dispatch, lazy logs and History."""

import pytest
import torch

from torkeras import callbacks


class Recorder(callbacks.Callback):
    def __init__(self, events):
        super().__init__()
        self.events = events

    def _log(self, name, *args):
        self.events.append((name,) + args)


HOOKS_WITH_BATCH = ["on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                    "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
                    "on_epoch_begin", "on_epoch_end"]
HOOKS_PLAIN = ["on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
               "on_predict_begin", "on_predict_end"]


def _make_hook(name, with_index):
    if with_index:
        def hook(self, i, logs=None):
            self._log(name, i, dict(logs) if isinstance(logs, dict) else logs)
    else:
        def hook(self, logs=None):
            self._log(name, dict(logs) if isinstance(logs, dict) else logs)
    return hook


for _name in HOOKS_WITH_BATCH:
    setattr(Recorder, _name, _make_hook(_name, True))
for _name in HOOKS_PLAIN:
    setattr(Recorder, _name, _make_hook(_name, False))


class FakeModel:
    pass


def test_dispatch_order_and_params():
    events = []
    model = FakeModel()
    rec = Recorder(events)
    cbl = callbacks.CallbackList([rec], add_history=True, model=model, verbose=0, epochs=1, steps=2)
    assert rec.model is model and rec.params == {"verbose": 0, "epochs": 1, "steps": 2}
    assert isinstance(model.history, callbacks.History)
    cbl.on_train_begin()
    cbl.on_epoch_begin(0)
    for step in range(2):
        cbl.on_train_batch_begin(step)
        cbl.on_train_batch_end(step, {"loss": torch.tensor(float(step))})
    cbl.on_epoch_end(0, {"loss": 0.5})
    cbl.on_train_end({"loss": 0.5})
    assert [e[0] for e in events] == ["on_train_begin", "on_epoch_begin",
                                      "on_train_batch_begin", "on_train_batch_end",
                                      "on_train_batch_begin", "on_train_batch_end",
                                      "on_epoch_end", "on_train_end"]
    assert events[3] == ("on_train_batch_end", 0, {"loss": 0.0})
    assert type(events[5][2]["loss"]) is float
    cbl.on_test_begin()
    cbl.on_test_batch_begin(0)
    cbl.on_test_batch_end(0, lambda: {"b": torch.tensor(2.0), "a": 1})
    cbl.on_test_end({"a": 1.0})
    assert events[-2] == ("on_test_batch_end", 0, {"a": 1.0, "b": 2.0})
    assert list(events[-2][2]) == ["a", "b"]  # sorted, as Keras does
    cbl.on_predict_begin()
    out = torch.ones(2)
    cbl.on_predict_batch_end(0, {"outputs": out})
    cbl.on_predict_end()
    assert events[-2][2]["outputs"] is out  # predict logs are not converted


def test_batch_aliases_are_dispatched():
    seen = []

    class OldStyle(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cbl = callbacks.CallbackList([OldStyle()])
    assert cbl.needs_train_batch_end and cbl.needs_train_batch_begin
    assert not cbl.needs_test_batch_end
    cbl.on_train_batch_begin(3)
    cbl.on_train_batch_end(3, lambda: {"loss": torch.tensor(1.5)})
    assert seen == [("begin", 3), ("end", 3, {"loss": 1.5})]


def test_lazy_logs_resolved_once_and_only_when_needed():
    calls = []

    def logs():
        calls.append(1)
        return {"loss": torch.tensor(0.25), "acc": torch.tensor(0.5)}

    # History and a default callback do not look at batch logs: never resolved.
    cbl = callbacks.CallbackList([callbacks.Callback()], add_history=True, verbose=0, epochs=1, steps=1)
    assert not cbl.needs_train_batch_end and not cbl.needs_batch_logs
    cbl.on_train_batch_end(0, logs)
    assert calls == []

    # Two eager callbacks share one resolution.
    got = []

    class Eager(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            got.append(logs)

    cbl = callbacks.CallbackList([Eager(), Eager()])
    assert cbl.needs_batch_logs
    cbl.on_train_batch_end(0, logs)
    assert len(calls) == 1
    assert got[0] is got[1] and got[0] == {"acc": 0.5, "loss": 0.25}

    # A lazy callback receives the callable; calling it twice resolves once.
    received = []

    class Lazy(callbacks.Callback):
        _accepts_lazy_logs = True

        def on_train_batch_end(self, batch, logs=None):
            received.append(logs)

    calls.clear()
    cbl = callbacks.CallbackList([Lazy()])
    assert not cbl.needs_batch_logs
    cbl.on_train_batch_end(0, logs)
    assert calls == [] and callable(received[0])
    assert received[0]() == {"acc": 0.5, "loss": 0.25}
    received[0]()
    assert calls == [1]


def test_instance_level_hook_override_and_append():
    cbl = callbacks.CallbackList([])
    assert not cbl.needs_train_batch_end
    cb = callbacks.Callback()
    hits = []
    cb.on_train_batch_end = lambda batch, logs=None: hits.append(logs)
    cbl.append(cb)
    assert cbl.needs_train_batch_end
    cbl.on_train_batch_end(0, {"loss": torch.tensor(1.0)})
    assert hits == [{"loss": 1.0}]


def test_rejects_non_callbacks():
    with pytest.raises(TypeError, match="Callback instances"):
        callbacks.CallbackList([object()])


def test_history_contents():
    model = FakeModel()
    cbl = callbacks.CallbackList(None, add_history=True, model=model, verbose=0, epochs=3, steps=1)
    history = model.history
    cbl.on_train_begin()
    for epoch in range(3):
        cbl.on_epoch_begin(epoch)
        cbl.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1), "val_loss": torch.tensor(2.0)})
    cbl.on_train_end()
    assert history.epoch == [0, 1, 2]
    assert history.history["loss"] == pytest.approx([1.0, 0.5, 1 / 3])
    assert history.history["val_loss"] == [2.0, 2.0, 2.0]
    assert type(history.history["val_loss"][0]) is float
    assert model.history is history
    # a new fit resets the epoch list
    cbl.on_train_begin()
    assert history.epoch == []


def test_existing_history_and_progbar_are_reused():
    history = callbacks.History()
    progbar = callbacks.ProgbarLogger()
    cbl = callbacks.CallbackList([history, progbar], add_history=True, add_progbar=True,
                                 verbose=2, epochs=1, steps=1)
    assert cbl.callbacks == [history, progbar]
    assert progbar.verbose == 2 and progbar.target == 1
    cbl = callbacks.CallbackList([], add_history=True, add_progbar=True, verbose=1, epochs=1, steps=1)
    assert [type(c).__name__ for c in cbl.callbacks] == ["History", "ProgbarLogger"]
