"""Automatic object names (`dense`, `dense_1`, ...) and the name-scope stack
that gives variables their paths (`sequential/dense/kernel`)."""

import collections
import re
import threading

_uids = collections.defaultdict(int)
_state = threading.local()


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def get_uid(prefix):
    """Counts how many times `prefix` was asked for: 1, 2, 3, ..."""
    _uids[prefix] += 1
    return _uids[prefix]


def auto_name(prefix):
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ... as Keras does."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def reset_uids():
    _uids.clear()


def _stack():
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    return stack


class name_scope:
    """Context manager pushing `name` on the path used for new variables."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        _stack().append(self.name)
        return self

    def __exit__(self, *exc):
        _stack().pop()


def current_path():
    return "/".join(_stack())


class _NoScope:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def scope_unless_current(name):
    """A name scope for `name`, unless `name` is already the innermost scope
    (a layer building itself inside its own call)."""
    stack = _stack()
    if stack and stack[-1] == name:
        return _NoScope()
    return name_scope(name)
