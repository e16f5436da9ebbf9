"""`Progbar`: the progress display of `fit`, `evaluate` and `predict`.

Output matches Keras 3:

* verbose=1 redraws one line (at most every `interval` seconds, and always
  on the final update), e.g.
  `\\x1b[1m2/2\\x1b[0m \\x1b[32m━━━━━━━━━━━━━━━━━━━━\\x1b[0m\\x1b[37m\\x1b[0m \\x1b[1m0s\\x1b[0m 2ms/step - loss: 1.2598`
  with an ETA while running and the elapsed time at the end. The time per
  step leaves out the first step once there is more than one.
* verbose=2 prints a single line when finalized:
  `782/782 - 2s - 3ms/step - loss: 0.3483 - val_loss: 0.1972`.

Values are averaged over the steps they were reported for unless their name
is in `stateful_metrics`; a finalizing update replaces them. Numbers print as
`%.4f`, or `%.4e` when small.
"""

import math
import os
import sys
import time

import numpy as np

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
_GREEN = "\x1b[32m"
_GREY = "\x1b[37m"


def _write(text):
    from torkeras.utils.io_utils import print_msg
    print_msg(text, line_break=False)


def _as_number(value):
    if isinstance(value, float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        try:
            return float(np.mean(np.asarray(value, dtype="float64")))
        except (TypeError, ValueError):
            return None


def format_duration_per_unit(seconds, unit_name="step"):
    """` 3ms/step`-style text (leading space included)."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(eta):
    if eta > 3600:
        return "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
    if eta > 60:
        return "%d:%02d" % (eta // 60, eta % 60)
    return "%ds" % eta


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps, or None if unknown.
        width: bar width in characters.
        verbose: 0 (silent), 1 (live bar) or 2 (one line when finalized).
        interval: minimum time between two redraws, in seconds.
        stateful_metrics: names whose values are shown as given instead of
            being averaged over steps.
        unit_name: what a step is called (`"step"`, `"sample"`).
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        from torkeras import config
        # With interactive logging disabled, each update is a line of its own
        # (logged, see utils/io_utils.py), never redrawn in place.
        self._dynamic_display = config.is_interactive_logging_enabled() and (
            (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
            or "ipykernel" in sys.modules
            or "posix" in sys.modules
            or "PYCHARM_HOSTED" in os.environ
        )
        self._seen_so_far = 0
        self._values = {}  # name -> [weighted sum, weight] or a non-numeric value
        self._values_order = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_total_width = 0
        self._line_open = False  # a live line was drawn and not finished

    # -- bookkeeping ------------------------------------------------------
    def _record(self, current, values, finalize):
        if isinstance(values, dict):
            values = values.items()
        for name, value in values or ():
            if name not in self._values:
                self._values_order.append(name)
            number = _as_number(value)
            if number is None:
                self._values[name] = value
            elif finalize or name in self.stateful_metrics:
                self._values[name] = [number, 1]
            else:
                weight = max(current - self._seen_so_far, 1)
                entry = self._values.get(name)
                if isinstance(entry, list):
                    entry[0] += number * weight
                    entry[1] += weight
                else:
                    self._values[name] = [number * weight, weight]
        self._seen_so_far = current

    def _time_per_step(self, current, now):
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step

    def _metrics_text(self, signed_threshold):
        parts = []
        for name in self._values_order:
            entry = self._values[name]
            if not isinstance(entry, list):
                parts.append(f" - {name}: {entry}")
                continue
            avg = entry[0] / max(1, entry[1])
            small = (avg if signed_threshold else abs(avg)) <= 1e-3
            parts.append(f" - {name}: {avg:.4e}" if small else f" - {name}: {avg:.4f}")
        return "".join(parts)

    # -- public -----------------------------------------------------------
    def update(self, current, values=None, finalize=None):
        """Records `values` (`[(name, value), ...]` or a dict) for step
        `current` and redraws if due. `finalize` defaults to
        `current >= target`."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values, finalize)
        now = time.time()
        per_step = self._time_per_step(current, now)

        if self.verbose == 1:
            if not finalize and now - self._last_update < self.interval:
                return
            self._draw_live(current, now, per_step, finalize)
        elif self.verbose == 2:
            if finalize and self.target is not None and self.target > 0:
                digits = int(math.log10(self.target)) + 1
                line = f"{current:>{digits}d}/{self.target} - {now - self._start:.0f}s -"
                line += format_duration_per_unit(per_step, self.unit_name)
                line += self._metrics_text(signed_threshold=True)
                _write(line + "\n")
        self._last_update = now

    def _draw_live(self, current, now, per_step, finalize):
        hidden = 0  # characters of escape sequences, not shown on screen
        if self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            bar = f"{_BOLD}{current:>{digits}d}/{self.target}{_RESET} "
            hidden += 8
            filled = int(self.width * (current / self.target))
            if filled > 0:
                bar += f"{_GREEN}{'━' * filled}{_RESET}"
                hidden += 9
            bar += f"{_GREY}{'━' * (self.width - filled)}{_RESET}"
            hidden += 9
        else:
            bar = "%7d/Unknown" % current

        if self.target is not None and self.target > 0 and not finalize:
            info = f" {_BOLD}{_format_eta(per_step * (self.target - current))}{_RESET}"
        else:
            info = f" {_BOLD}{now - self._start:.0f}s{_RESET}"
        hidden += 8
        info += format_duration_per_unit(per_step, self.unit_name)
        info += self._metrics_text(signed_threshold=False)

        prefix = ("\b" * self._prev_total_width + "\r") if self._dynamic_display else "\n"
        width = len(bar) + len(info) - hidden
        message = prefix + bar + info
        if self._prev_total_width > width:
            message += " " * (self._prev_total_width - width)
        if finalize:
            message += "\n"
        _write(message)
        self._prev_total_width = width
        self._line_open = not finalize

    def end_line(self):
        """Finishes a live line left open (e.g. when the loop stopped on an
        error), so whatever is printed next starts on its own line."""
        if self._line_open:
            _write("\n")
            self._line_open = False

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)
