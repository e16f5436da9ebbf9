"""`MonitorCallback`: the shared "is this value better?" logic of the callbacks
that watch one log entry (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)."""

import math
import warnings

from torkeras.callbacks.callback import Callback

# Metric names whose larger values are better, as Keras marks them with
# `_direction = "up"`. Any other metric (and any loss) is minimized.
_MAXIMIZED = ("accuracy", "acc", "auc", "precision", "recall", "iou", "f1_score",
              "fbeta_score", "r2_score", "true_positives", "true_negatives",
              "sensitivity_at_specificity", "specificity_at_sensitivity",
              "precision_at_recall", "recall_at_precision", "cosine_similarity")


def _direction_of(name):
    name = name.lower()
    if name == "loss" or name.endswith("_loss"):
        return "down"
    if any(name == m or name.endswith("_" + m) or name.endswith(m) for m in _MAXIMIZED):
        return "up"
    return None


class MonitorCallback(Callback):
    """Base of the callbacks that compare a monitored value with the best so
    far. `mode` is "min", "max" or "auto" ("auto": losses are minimized, a
    compiled metric follows its `_direction` when it has one, else the Keras
    direction of its kind; an unknown name is an error at the first epoch end).
    `baseline` (if given) is the initial best value."""

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, name="callback"):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{name} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.baseline = baseline
        self._callback_name = name
        self.monitor_op = None
        self.min_delta = 0
        self.best = None

    def _find_direction(self):
        metric_name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        if metric_name == "loss":
            return "down"
        for container in getattr(self.model, "metrics", None) or []:
            inner = getattr(container, "metrics", None)
            members = inner if isinstance(inner, list) else [container]
            for metric in members:
                if getattr(metric, "name", None) == metric_name:
                    direction = getattr(metric, "_direction", None)
                    if direction in ("up", "down"):
                        return direction
                    # Keras marks every built-in metric "down" except the
                    # accuracy-like ones.
                    return (_direction_of(metric_name)
                            or _direction_of(_snake(type(metric).__name__)) or "down")
        return _direction_of(metric_name)

    def _set_monitor_op(self):
        if self.mode == "min":
            direction = "down"
        elif self.mode == "max":
            direction = "up"
        else:
            direction = self._find_direction()
            if direction is None:
                raise ValueError(
                    f"{self._callback_name} callback received monitor={self.monitor} but Keras "
                    "isn't able to automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to monitor based on "
                    "the highest metric value, or pass `mode='min'` in order to use the "
                    "lowest value.")
        if direction == "up":
            self.monitor_op = _greater
            self.min_delta = abs(self.min_delta)
        else:
            self.monitor_op = _less
            self.min_delta = -abs(self.min_delta)

    def _reset_best(self):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.baseline is not None:
            self.best = float(self.baseline)
        else:
            self.best = -math.inf if self.monitor_op is _greater else math.inf

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return self.monitor_op(value - self.min_delta, reference)


def _less(a, b):
    return a < b


def _greater(a, b):
    return a > b


def _snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
