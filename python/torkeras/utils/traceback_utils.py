"""Traceback filtering (`keras.config.enable_traceback_filtering()`).

`filter_traceback(fn)` wraps a public entry point (fit, evaluate, predict, a
layer call): when filtering is enabled, an exception escaping it has the
frames of torkeras's own modules removed from its traceback, so what remains
is the caller's code (and the user's layers, losses, callbacks...). The
exception itself, its message and its chained causes are unchanged.
"""

import functools
import os
import types

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _internal(frame):
    return os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR + os.sep)


def filtered(tb):
    """`tb` without the frames of torkeras's modules (all of them kept when
    nothing else would remain)."""
    frames = []
    entry = tb
    while entry is not None:
        if not _internal(entry.tb_frame):
            frames.append(entry)
        entry = entry.tb_next
    if not frames:
        return tb
    out = None
    for entry in reversed(frames):
        out = types.TracebackType(out, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return out


def filter_traceback(fn):
    """Decorator: exceptions leaving `fn` carry a filtered traceback when
    `keras.config.is_traceback_filtering_enabled()`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as error:
            from torkeras import config
            if not config.is_traceback_filtering_enabled():
                raise
            tb = filtered(error.__traceback__)
            try:
                raise error.with_traceback(tb)
            finally:
                del tb

    return wrapper


def user_stacklevel():
    """The `stacklevel` for `warnings.warn`, called from torkeras code, that
    points the warning at the first caller outside torkeras."""
    import sys
    frame = sys._getframe(1)  # the function calling warnings.warn
    level = 1
    while frame is not None and _internal(frame):
        frame = frame.f_back
        level += 1
    return level
