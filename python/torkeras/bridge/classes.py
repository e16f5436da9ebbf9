"""Python side of the R class factories (`Layer()`, `Loss()`, `Metric()`, ...).

R defines a class as a name, a base class and a set of R functions. This
module turns that into a real Python subclass whose methods call the R
functions, so that the engine (and Python users) cannot tell it from a class
written in Python:

* every method has an explicit `__signature__` built from the R formals, so
  the engine's `inspect`-based checks see the R argument names and defaults
  (`call(inputs, training=None, mask=None)`, `build(input_shape)`);
* `initialize` (R) is `__init__` and returns None whatever the R body returns;
* callback hooks receive 1-based epoch/batch numbers, and a named list
  returned by the R hook updates the `logs` dict the other callbacks see.

The R functions given here are already wrapped on the R side (they receive
`self` first and set up `self`, `super` and `private` for the user's body).
This module knows nothing of R beyond that calling convention: any Python
callable taking `(self, *args, **kwargs)` works in its place, which is how the
Python tests exercise it.

Per-instance R state (`private`) lives in R, keyed by the object's id; the
entry must go when the object dies. `track_private(obj, release)` arranges
that with `weakref.finalize`.
"""

import inspect
import threading
import types
import weakref

from torkeras.bridge.interrupts import call_r

__all__ = [
    "RDefault", "signature_from_spec", "r_function", "r_method", "make_class",
    "track_private", "pending_releases", "INDEX_HOOKS", "LOGS_HOOKS",
]

# Callback hooks that take an epoch/batch index first (1-based in R).
INDEX_HOOKS = frozenset({
    "on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
    "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
})
# Callback hooks that only take logs.
LOGS_HOOKS = frozenset({
    "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
    "on_predict_begin", "on_predict_end",
})


class RDefault:
    """The default of an R argument that has no Python value (an R expression
    such as `c(1, 2)` or `list()`): R evaluates it when the argument is left
    out. It only appears in signatures; calls never pass it to R."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = str(text)

    def __repr__(self):
        return self.text


_KINDS = {
    "positional": inspect.Parameter.POSITIONAL_OR_KEYWORD,
    "keyword": inspect.Parameter.KEYWORD_ONLY,
    "var_positional": inspect.Parameter.VAR_POSITIONAL,
    "var_keyword": inspect.Parameter.VAR_KEYWORD,
}


def signature_from_spec(spec, with_self=False):
    """An `inspect.Signature` from a list of parameter specs.

    Each spec is a dict with `name`, `kind` (one of "positional", "keyword",
    "var_positional", "var_keyword") and, when the argument has a default,
    `default` (its value) or `r_default` (the text of an R expression that
    only R can evaluate). R formals translate as: arguments before `...` ->
    positional-or-keyword, arguments after `...` -> keyword-only, `...` ->
    `*args, **kwargs`.
    """
    params = []
    if with_self:
        params.append(inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    seen_default = False
    for item in spec:
        kind = _KINDS[item["kind"]]
        name = str(item["name"])
        if with_self and name == "self":
            continue
        if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            params.append(inspect.Parameter(name, kind))
            continue
        if "default" in item or "r_default" in item:
            default = RDefault(item["r_default"]) if "r_default" in item else item["default"]
            if kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
                seen_default = True
            params.append(inspect.Parameter(name, kind, default=default))
        elif kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and seen_default:
            # R allows `function(a = 1, b)`; Python does not. `b` keeps its
            # name but is marked as defaulting to an (R-evaluated) missing value.
            params.append(inspect.Parameter(name, kind, default=RDefault("<missing>")))
        else:
            params.append(inspect.Parameter(name, kind))
    return inspect.Signature(_ordered(params))


def _ordered(params):
    """Parameters in the order Python requires (R allows `...` anywhere)."""
    order = [inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.VAR_POSITIONAL,
             inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD]
    return sorted(params, key=lambda p: order.index(p.kind))


def _drop_r_defaults(kwargs):
    if kwargs and any(isinstance(v, RDefault) for v in kwargs.values()):
        return {k: v for k, v in kwargs.items() if not isinstance(v, RDefault)}
    return kwargs


def r_function(fn, name, spec=None):
    """A plain Python function calling `fn` (an R function as a Python
    callable), named `name`, with the signature described by `spec`.

    Used for R functions given as losses, metrics, activations, schedules or
    constraints: the engine logs metrics under `__name__`."""
    def function(*args, **kwargs):
        return call_r(fn, *args, **_drop_r_defaults(kwargs))

    function.__name__ = function.__qualname__ = str(name)
    if spec is not None:
        function.__signature__ = signature_from_spec(spec)
    function._r_function = fn
    # Read by Lambda.get_config(): the code lives in R, not in the file.
    function._keras_unserializable = ("it is an R function, which a .keras file cannot "
                                      "store; rebuild the layer in R after loading")
    return function


def r_method(name, fn, spec, kind="method"):
    """A method for a class made by `make_class`, calling `fn(self, ...)`.

    kind:
      "method"   returns what `fn` returns;
      "init"     (for `__init__`) returns None;
      "index_hook" callback hooks `(epoch_or_batch, logs)`: the index is made
                 1-based; a dict returned by `fn` updates `logs` in place;
      "logs_hook"  callback hooks `(logs)`: likewise for the returned dict.
    """
    if kind == "init":
        def method(self, *args, **kwargs):
            call_r(fn, self, *args, **_drop_r_defaults(kwargs))
    elif kind == "index_hook":
        def method(self, index, logs=None):
            _update_logs(logs, call_r(fn, self, int(index) + 1, logs))
    elif kind == "logs_hook":
        def method(self, logs=None):
            _update_logs(logs, call_r(fn, self, logs))
    elif kind == "method":
        def method(self, *args, **kwargs):
            return call_r(fn, self, *args, **_drop_r_defaults(kwargs))
    else:
        raise ValueError(f"unknown method kind: {kind!r}")
    method.__name__ = method.__qualname__ = str(name)
    if kind in ("index_hook", "logs_hook"):
        first = ["index"] if kind == "index_hook" else []
        spec = [{"name": n, "kind": "positional"} for n in first] + \
               [{"name": "logs", "kind": "positional", "default": None}]
    method.__signature__ = signature_from_spec(spec, with_self=True)
    method._r_function = fn
    return method


def _update_logs(logs, result):
    if isinstance(result, dict) and isinstance(logs, dict):
        logs.update(result)


def _default_repr(self):
    name = getattr(self, "name", None)
    if isinstance(name, str):
        return f"<{type(self).__name__} name={name}>"
    return f"<{type(self).__name__}>"


def make_class(name, bases, members, module="<r-globalenv>", classmethods=(),
               staticmethods=(), properties=()):
    """A new class `name` derived from `bases` with `members` (a dict of
    methods from `r_method` and plain class attributes).

    `classmethods` / `staticmethods` / `properties` name members to wrap
    with the corresponding decorator. Classes whose bases only have
    `object.__repr__` get a readable `<Name name=...>` repr."""
    if not isinstance(bases, (list, tuple)):
        bases = [bases]
    bases = tuple(bases)
    name = str(name)
    members = dict(members)
    for key in classmethods:
        members[key] = classmethod(members[key])
    for key in staticmethods:
        members[key] = staticmethod(members[key])
    for key in properties:
        members[key] = property(members[key])
    if "__repr__" not in members and all(
            getattr(b, "__repr__", object.__repr__) is object.__repr__ for b in bases):
        members["__repr__"] = _default_repr

    def body(namespace):
        namespace.update(members)
        namespace["__module__"] = module
        namespace["__qualname__"] = name

    cls = types.new_class(name, bases, exec_body=body)
    for key, value in members.items():
        target = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
        if isinstance(target, property):
            target = target.fget
        if isinstance(target, types.FunctionType) and hasattr(target, "_r_function"):
            target.__qualname__ = f"{name}.{key}"
    return cls


# -- per-instance private state ----------------------------------------------

_pending = []
_pending_lock = threading.Lock()


def _release(key, release):
    # An object may die on another thread; R can only be called from the
    # main thread, so such releases wait for `pending_releases()`.
    if threading.current_thread() is threading.main_thread():
        try:
            release(key)
        except Exception:  # never raise from a finalizer
            pass
    else:
        with _pending_lock:
            _pending.append(key)


def track_private(obj, release):
    """Calls `release(key)` when `obj` is garbage collected, where `key` is
    `str(id(obj))` (what reticulate's `py_id()` returns). Returns the key."""
    key = str(id(obj))
    finalizer = weakref.finalize(obj, _release, key, release)
    finalizer.atexit = False  # R may be gone by then
    return key


def pending_releases():
    """Keys of objects that died on other threads since the last call."""
    with _pending_lock:
        keys = list(_pending)
        _pending.clear()
    return keys
