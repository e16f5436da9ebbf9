"""Ctrl-C inside R code that Python calls (callbacks, class methods, losses,
generators, map functions).

An interrupt must leave that R code as a Python `KeyboardInterrupt`, so the
engine code in between (fit's loop and its `finally` blocks) unwinds, and the
verb the user called gets the interrupt back as an R interrupt (reticulate
turns a `KeyboardInterrupt` ending a call from R into one). reticulate 1.28
does this only for an interrupt that arrives while R runs its own code; an R
interrupt condition coming out of a nested verb (an R callback calling
`predict()`) crosses Python as `RuntimeError("Unknown exception occurred")`,
which the user's `tryCatch(interrupt = )` never sees.

So the R side catches the interrupt in every R function it hands to Python
(`.trap_interrupt()` in R/errors.R) and returns `R_INTERRUPTED` instead;
`call_r` raises `KeyboardInterrupt` when it gets it.
"""


class _RInterrupted:
    """What an R function returns to Python when it was interrupted."""

    def __repr__(self):
        return "R_INTERRUPTED"


R_INTERRUPTED = _RInterrupted()


def call_r(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` for an R function `fn`, raising KeyboardInterrupt
    when the R code was interrupted."""
    value = fn(*args, **kwargs)
    if value is R_INTERRUPTED:
        raise KeyboardInterrupt
    return value
