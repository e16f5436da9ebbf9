"""`CallbackList`: dispatches the loop's hooks to a list of callbacks.

Speed contract with the trainer: the batch hooks accept `logs` as a dict or a
zero-argument callable returning one (values may be 0-d tensors). Which
callbacks override which batch hook is worked out once, so a hook nobody
overrides costs one dict lookup. The callable is resolved at most once per
batch, and only when a callback that overrides the hook asks for it: plain
callbacks get the resolved dict of floats, callbacks with
`_accepts_lazy_logs = True` get a callable and resolve it only if they need to.
"""

import warnings

from torkeras.callbacks.callback import Callback
from torkeras.callbacks.history import History
from torkeras.callbacks.progbar_logger import ProgbarLogger
from torkeras.utils import tree

_BATCH_HOOKS = {
    # hook -> its alias in the base class (a callback overriding the alias
    # listens to the hook too)
    "on_train_batch_begin": "on_batch_begin",
    "on_train_batch_end": "on_batch_end",
    "on_test_batch_begin": None,
    "on_test_batch_end": None,
    "on_predict_batch_begin": None,
    "on_predict_batch_end": None,
}


def pythonify_logs(logs):
    """Sorted keys, nested dicts flattened, 0-d values turned into floats
    (as Keras does for batch logs)."""
    result = {}
    for key, value in sorted(logs.items(), key=lambda kv: str(kv[0])):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError, RuntimeError):
            pass
        result[key] = value
    return result


class _LazyLogs:
    """Resolves the trainer's logs once, on first call."""

    __slots__ = ("_source", "_resolved", "_pythonify")

    def __init__(self, source, pythonify=True):
        self._source = source
        self._resolved = None
        self._pythonify = pythonify

    def __call__(self):
        resolved = self._resolved
        if resolved is None:
            source = self._source
            if callable(source):
                source = source()
            source = source or {}
            resolved = self._resolved = pythonify_logs(source) if self._pythonify else source
        return resolved


def _overrides(callback, hook, alias):
    cls = type(callback)
    instance_dict = getattr(callback, "__dict__", {})
    if hook in instance_dict or (alias and alias in instance_dict):
        return True
    if getattr(cls, hook, None) is not getattr(Callback, hook):
        return True
    return bool(alias) and getattr(cls, alias, None) is not getattr(Callback, alias)


class CallbackList(Callback):
    """Container for `Callback` instances; call a hook once for all of them.

    Args:
        callbacks: list of `Callback` instances.
        add_history: add a `History` callback if none is in `callbacks`.
        add_progbar: add a `ProgbarLogger` if none is in `callbacks`.
        model: the model the callbacks observe.
        **params: loop parameters (`verbose`, `epochs`, `steps`) passed to
            each callback's `set_params`.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = tree.flatten(callbacks) if callbacks else []
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"`callbacks` must be a list of keras Callback instances; received an object of "
                    f"type {type(cb).__name__}: {cb!r}")
        self._history = None
        self._progbar = None
        for cb in self.callbacks:
            if isinstance(cb, ProgbarLogger):
                self._progbar = cb
            elif isinstance(cb, History):
                self._history = cb
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self._plans = None
        self.set_model(model)
        self.set_params(params)

    def end_open_progress_line(self):
        """Ends a progress line left open when a loop stops on an exception."""
        if self._progbar is not None:
            self._progbar.end_open_line()

    def append(self, callback):
        self.callbacks.append(callback)
        self._plans = None

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    # -- batch-hook planning --------------------------------------------
    def _build_plans(self):
        plans = {}
        for hook, alias in _BATCH_HOOKS.items():
            plans[hook] = [(cb, bool(getattr(cb, "_accepts_lazy_logs", False)))
                           for cb in self.callbacks if _overrides(cb, hook, alias)]
        self._plans = plans
        return plans

    def _plan(self, hook):
        plans = self._plans
        if plans is None:
            plans = self._build_plans()
        return plans[hook]

    @property
    def needs_train_batch_begin(self):
        return bool(self._plan("on_train_batch_begin"))

    @property
    def needs_train_batch_end(self):
        return bool(self._plan("on_train_batch_end"))

    @property
    def needs_test_batch_begin(self):
        return bool(self._plan("on_test_batch_begin"))

    @property
    def needs_test_batch_end(self):
        return bool(self._plan("on_test_batch_end"))

    @property
    def needs_predict_batch_begin(self):
        return bool(self._plan("on_predict_batch_begin"))

    @property
    def needs_predict_batch_end(self):
        return bool(self._plan("on_predict_batch_end"))

    @property
    def needs_batch_logs(self):
        """True when a callback that resolves logs eagerly listens to a
        batch-end hook (so logs will be synced every batch)."""
        return any(not lazy for hook in ("on_train_batch_end", "on_test_batch_end")
                   for _, lazy in self._plan(hook))

    def _dispatch_batch(self, hook, batch, logs, pythonify=True):
        plan = self._plans[hook] if self._plans is not None else self._plan(hook)
        if not plan:
            return
        lazy_logs = _LazyLogs(logs, pythonify)
        for callback, lazy in plan:
            getattr(callback, hook)(batch, lazy_logs if lazy else lazy_logs())

    def on_batch_begin(self, batch, logs=None):
        self._dispatch_batch("on_train_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._dispatch_batch("on_train_batch_end", batch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._dispatch_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._dispatch_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._dispatch_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._dispatch_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._dispatch_batch("on_predict_batch_begin", batch, logs, pythonify=False)

    def on_predict_batch_end(self, batch, logs=None):
        self._dispatch_batch("on_predict_batch_end", batch, logs, pythonify=False)

    # -- epoch and loop hooks ---------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_epoch_end(epoch, logs)

    def on_train_begin(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_train_begin(logs)

    def on_train_end(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_train_end(logs)

    def _on_train_abort(self):
        # Every callback gets to release what it holds; a failure here is
        # reported as a warning so the exception that stopped fit() is the
        # one the caller sees.
        for callback in self.callbacks:
            try:
                callback._on_train_abort()
            except Exception as error:  # noqa: BLE001 - reported, not hidden
                warnings.warn(f"{type(callback).__name__} could not release its resources "
                              f"after fit() failed: {error!r}", stacklevel=2)

    def on_test_begin(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_test_begin(logs)

    def on_test_end(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_test_end(logs)

    def on_predict_begin(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_predict_begin(logs)

    def on_predict_end(self, logs=None):
        logs = logs or {}
        for callback in self.callbacks:
            callback.on_predict_end(logs)
