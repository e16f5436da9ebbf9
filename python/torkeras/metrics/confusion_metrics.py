"""Metrics built on thresholded confusion counts: TruePositives, FalsePositives,
TrueNegatives, FalseNegatives, Precision, Recall, AUC and the "X at Y"
metrics (SensitivityAtSpecificity, SpecificityAtSensitivity,
PrecisionAtRecall, RecallAtPrecision).

A prediction is positive at threshold `t` when `y_pred > t` (strictly), as in
Keras. Counts for all thresholds are updated at once: each prediction is put
in the bucket of the highest threshold it exceeds, bucket weights are summed
with one scatter-add, and a reversed cumulative sum turns bucket totals into
"above threshold i" totals. Nothing in `update_state` reads values back to the
host.
"""

import math

import numpy as np
import torch

from torkeras import config
from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.metric import Metric
from torkeras.ops.core import convert_to_tensor

# The threshold Precision/Recall use with `top_k`: every kept prediction is above it.
NEG_INF = -1e10

TP, FP, TN, FN = "tp", "fp", "tn", "fn"


# -- thresholds ---------------------------------------------------------------
def _as_list(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, np.ndarray):
        return value.reshape(-1).tolist()
    if isinstance(value, torch.Tensor):
        return value.detach().reshape(-1).cpu().tolist()
    return [value]


def _check_thresholds(thresholds, argname="thresholds"):
    bad = [t for t in thresholds
           if t is None or isinstance(t, bool) or not isinstance(t, (int, float))
           or math.isnan(t) or t < 0 or t > 1]
    if bad:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: `{argname}` "
                         f"contains {bad}")


def parse_thresholds(thresholds, default):
    """The user's thresholds as a list of floats (validated), or `[default]`."""
    if thresholds is None:
        return [float(default)]
    values = _as_list(thresholds)
    values = [float(t) if isinstance(t, (np.floating, np.integer)) else t for t in values]
    if not values:
        raise ValueError("`thresholds` must contain at least one value in [0, 1]; "
                         "received an empty list.")
    _check_thresholds(values)
    return [float(t) for t in values]


def evenly_distributed(thresholds):
    """True when the thresholds are `i / (n - 1)` for i = 0..n-1 (n >= 3), up to
    epsilon: such thresholds are bucketed arithmetically, as Keras does."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def _check_count(value, argname, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"Argument `{argname}` must be an integer > {minimum - 1}. "
                         f"Received: {argname}={value!r}")
    return int(value)


def _check_unit_interval(value, argname):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) \
            or not 0 <= value <= 1:
        raise ValueError(f"Argument `{argname}` must be in the range [0, 1]. "
                         f"Received: {argname}={value!r}")
    return value


def _check_class_id(class_id):
    if class_id is None:
        return None
    if isinstance(class_id, bool) or not isinstance(class_id, (int, np.integer)) or class_id < 0:
        raise ValueError("Argument `class_id` must be a non-negative integer (a 0-based class "
                         f"index). Received: class_id={class_id!r}")
    return int(class_id)


# -- the update -------------------------------------------------------------
def _tensor(x, dtype, device=None):
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype != dtype:
            x = x.to(dtype)
    else:
        x = convert_to_tensor(x, dtype=dtype)
    if device is not None and x.device != device:
        x = x.to(device)
    return x


def _keep_top_k(y_pred, k):
    """Predictions outside the top `k` of the last axis become NEG_INF (ties go
    to the lower index, as TensorFlow's top_k orders them)."""
    if y_pred.dim() == 0:
        raise ValueError("`top_k` needs predictions with at least one axis.")
    k = min(int(k), y_pred.shape[-1])
    order = torch.sort(y_pred, dim=-1, descending=True, stable=True).indices[..., :k]
    keep = torch.zeros_like(y_pred, dtype=torch.bool).scatter_(-1, order, True)
    return torch.where(keep, y_pred, torch.full_like(y_pred, NEG_INF))


def _bucket_indices(y_pred, thresholds, evenly, with_epsilon):
    """For each prediction, 1 + the index of the highest threshold it exceeds
    (0: none). `thresholds` is a sorted 1-d tensor."""
    n = thresholds.shape[0]
    if evenly:
        # Keras' arithmetic bucketing for evenly spaced thresholds: the
        # predictions are clipped to [0, 1] and bucket i holds (t_i, t_i+1].
        p = torch.clamp(y_pred, 0.0, 1.0)
        index = torch.ceil(p * (n - 1)) - 1
        if with_epsilon:
            # The -epsilon endpoint is below every clipped prediction.
            index = torch.clamp_min(index, 0)
        # A NaN prediction (a diverged model) is above no threshold.
        index = torch.where(torch.isnan(index), torch.full_like(index, -1), index)
        return index.to(torch.int64) + 1
    # Number of thresholds strictly below p; NaN is above none of them.
    p = torch.where(torch.isnan(y_pred), torch.full_like(y_pred, -math.inf), y_pred)
    return torch.bucketize(p, thresholds, right=False)


def _above_threshold_totals(values, buckets, n, multi_label):
    """Sums `values` per bucket, then "exceeds threshold i" totals: shape (n,)
    or, multi-label, (n, num_labels)."""
    if multi_label:
        # (N, L) -> one row of n + 1 buckets per label.
        per_bucket = values.new_zeros((values.shape[1], n + 1))
        per_bucket.scatter_add_(1, buckets.t(), values.t())
        above = torch.flip(torch.cumsum(torch.flip(per_bucket[:, 1:], [1]), 1), [1])
        return above.t()
    per_bucket = values.new_zeros(n + 1)
    per_bucket.scatter_add_(0, buckets, values)
    return torch.flip(torch.cumsum(torch.flip(per_bucket[1:], [0]), 0), [0])


class Thresholds:
    """A metric's thresholds as the update uses them: sorted, with the way back
    to the user's order, whether they are evenly spaced, and a cached tensor."""

    def __init__(self, values, evenly=None):
        self.values = [float(t) for t in values]
        order = sorted(range(len(self.values)), key=lambda i: self.values[i])
        self.sorted = [self.values[i] for i in order]
        self.is_sorted = order == list(range(len(order)))
        self._inverse = [0] * len(order)
        for pos, i in enumerate(order):
            self._inverse[i] = pos
        self.evenly = evenly_distributed(self.values) if evenly is None else evenly
        # Endpoints beyond [0, 1] (AUC's -epsilon, 1 + epsilon) change how the
        # arithmetic bucketing treats predictions of exactly 0.
        self.with_epsilon = self.sorted[0] < 0.0 or self.sorted[-1] > 1.0
        self._cache = {}

    def __len__(self):
        return len(self.values)

    def tensors(self, dtype, device):
        key = (dtype, device)
        if key not in self._cache:
            self._cache[key] = (torch.tensor(self.sorted, dtype=dtype, device=device),
                                None if self.is_sorted else
                                torch.tensor(self._inverse, dtype=torch.int64, device=device))
        return self._cache[key]


def update_confusion_counts(metric, counts, y_true, y_pred, thresholds, top_k=None,
                            class_id=None, sample_weight=None, multi_label=False,
                            label_weights=None):
    """Adds the weighted confusion counts of one batch to the Variables in
    `counts` ({"tp"|"fp"|"tn"|"fn": Variable}) of `metric`, one entry per
    threshold (a `Thresholds`).

    `y_true` is cast to bool (non-zero is positive). `sample_weight` has rank 0,
    or the rank of `y_true`, or one less, and broadcasts to `y_pred`."""
    first = next(iter(counts.values()))
    dtype = first.value.dtype
    y_pred = _tensor(y_pred, dtype)
    device = y_pred.device
    if first.value.device != device:
        metric._to_device(device)
    y_true = _tensor(y_true, dtype, device)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, dtype, device).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if y_true.shape != y_pred.shape:
        try:
            y_true = torch.broadcast_to(y_true, y_pred.shape)
        except RuntimeError:
            raise ValueError("`y_true` and `y_pred` must have the same shape; received "
                             f"y_true.shape={tuple(y_true.shape)} and "
                             f"y_pred.shape={tuple(y_pred.shape)}") from None
    if top_k is not None:
        y_pred = _keep_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() < 2:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             "(num_samples, num_classes), found shape: "
                             f"{tuple(y_pred.shape)}")
        if class_id >= y_pred.shape[-1]:
            raise ValueError(f"`class_id`={class_id} is out of range: predictions have "
                             f"{y_pred.shape[-1]} classes (class ids 0 to "
                             f"{y_pred.shape[-1] - 1}).")
        # Keep the class axis (size 1) so a per-class sample_weight still lines up.
        y_true = y_true[..., class_id:class_id + 1]
        y_pred = y_pred[..., class_id:class_id + 1]

    weights = None
    if sample_weight is not None:
        try:
            weights = torch.broadcast_to(sample_weight, y_pred.shape)
        except RuntimeError:
            raise ValueError("`sample_weight` must broadcast to the predictions' shape "
                             f"{tuple(y_pred.shape)}; received shape "
                             f"{tuple(sample_weight.shape)}") from None
    if label_weights is not None:
        lw = torch.broadcast_to(label_weights.to(device=device, dtype=dtype).unsqueeze(0),
                                y_pred.shape)
        weights = lw if weights is None else weights * lw

    positive = (y_true != 0).to(dtype)
    if not multi_label:
        positive = positive.reshape(-1)
        y_pred = y_pred.reshape(-1)
        if weights is not None:
            weights = weights.reshape(-1)
    true_w = positive if weights is None else positive * weights
    false_w = (1.0 - positive) if weights is None else (1.0 - positive) * weights

    n = len(thresholds)
    sorted_t, inverse = thresholds.tensors(dtype, device)
    buckets = _bucket_indices(y_pred, sorted_t, thresholds.evenly, thresholds.with_epsilon)

    def add(condition, value):
        if inverse is not None:
            value = value[inverse]
        counts[condition].value.add_(value)

    with torch.no_grad():
        if TP in counts or FN in counts:
            tp = _above_threshold_totals(true_w, buckets, n, multi_label)
            if TP in counts:
                add(TP, tp)
            if FN in counts:
                add(FN, (true_w.sum(dim=0) if multi_label else true_w.sum()) - tp)
        if FP in counts or TN in counts:
            fp = _above_threshold_totals(false_w, buckets, n, multi_label)
            if FP in counts:
                add(FP, fp)
            if TN in counts:
                add(TN, (false_w.sum(dim=0) if multi_label else false_w.sum()) - fp)


def _div_no_nan(a, b):
    return torch.where(b == 0, torch.zeros_like(a), a / b)


# -- counts -----------------------------------------------------------------
class _ConfusionMatrixConditionCount(Metric):
    """One confusion-matrix count per threshold, in a variable `accumulator`."""

    _condition = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, default=0.5)
        self._thresholds = Thresholds(self.thresholds)
        self._thresholds_distributed_evenly = self._thresholds.evenly
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(self, {self._condition: self.accumulator}, y_true, y_pred,
                                self._thresholds, sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.value
        return value[0].clone() if len(self.thresholds) == 1 else value.clone()

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positives predicted positive.

    At each threshold `t`, an element counts when `y_true` is 1 (true) and `y_pred > t`; with
    `sample_weight`
    it counts its weight. The count accumulates over batches until
    `reset_state()`.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.TruePositives()
    >>> float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0]))
    2.0
    """

    _condition = TP


class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negatives predicted positive.

    At each threshold `t`, an element counts when `y_true` is 0 (false) and `y_pred > t`; with
    `sample_weight`
    it counts its weight. The count accumulates over batches until
    `reset_state()`.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.FalsePositives()
    >>> float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0]))
    1.0
    """

    _condition = FP


class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of negatives predicted negative.

    At each threshold `t`, an element counts when `y_true` is 0 (false) and `y_pred <= t`; with
    `sample_weight`
    it counts its weight. The count accumulates over batches until
    `reset_state()`.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.TrueNegatives()
    >>> float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0]))
    0.0
    """

    _condition = TN


class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of positives predicted negative.

    At each threshold `t`, an element counts when `y_true` is 1 (true) and `y_pred <= t`; with
    `sample_weight`
    it counts its weight. The count accumulates over batches until
    `reset_state()`.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.FalseNegatives()
    >>> float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0]))
    1.0
    """

    _condition = FN


# -- precision and recall ---------------------------------------------------------
class _PrecisionRecall(Metric):
    """Shared by Precision and Recall: true positives plus one other count."""

    _other = None  # (condition, variable name)

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        # Larger is better (EarlyStopping / ModelCheckpoint mode "auto").
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = None if top_k is None else _check_count(top_k, "top_k", 1)
        self.class_id = _check_class_id(class_id)
        # With top_k alone, every kept prediction counts as predicted positive.
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = parse_thresholds(thresholds, default=default)
        self._thresholds = Thresholds(self.thresholds)
        self._thresholds_distributed_evenly = self._thresholds.evenly
        self.true_positives = self.add_variable(shape=(len(self.thresholds),),
                                                initializer="zeros", name="true_positives")
        condition, var_name = self._other
        setattr(self, var_name, self.add_variable(shape=(len(self.thresholds),),
                                                  initializer="zeros", name=var_name))
        self._counts = {TP: self.true_positives, condition: getattr(self, var_name)}

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(self, self._counts, y_true, y_pred, self._thresholds,
                                top_k=self.top_k, class_id=self.class_id,
                                sample_weight=sample_weight)

    def result(self):
        tp = self.true_positives.value
        other = getattr(self, self._other[1]).value
        value = _div_no_nan(tp, tp + other)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecall):
    """Precision: the fraction of predicted positives that are positive.

    `true_positives / (true_positives + false_positives)` over all batches since
    `reset_state()` (0 when nothing was predicted positive), one value per
    threshold.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        top_k: optional integer; only the `top_k` largest predictions of each
            sample (last axis) can count as positive.
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.Precision()
    >>> round(float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0])), 4)
    0.6667
    """

    _other = (FP, "false_positives")


class Recall(_PrecisionRecall):
    """Recall: the fraction of positives that are predicted positive.

    `true_positives / (true_positives + false_negatives)` over all batches since
    `reset_state()` (0 when there are no positives), one value per threshold.

    Args:
        thresholds: a float or list of floats in [0, 1]; a prediction is
            positive at threshold `t` when `y_pred > t`. With several thresholds
            the result has one value per threshold. Default 0.5.
        top_k: optional integer; only the `top_k` largest predictions of each
            sample (last axis) can count as positive.
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.Recall()
    >>> round(float(m([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0])), 4)
    0.6667
    """

    _other = (FN, "false_negatives")


# -- one rate at a constraint on another -----------------------------------------
class SensitivitySpecificityBase(Metric):
    """Four counts over `num_thresholds` evenly spaced thresholds in [0, 1]; a
    subclass's `result()` picks the best value of one rate among the thresholds
    where another rate reaches `value`."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        num_thresholds = _check_count(num_thresholds, "num_thresholds", 1)
        self.value = value
        self.class_id = _check_class_id(class_id)
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds = Thresholds(self.thresholds, evenly=False)
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds = Thresholds(self.thresholds, evenly=True)
        self._thresholds_distributed_evenly = self._thresholds.evenly
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self._counts = {TP: self.true_positives, FP: self.false_positives,
                        TN: self.true_negatives, FN: self.false_negatives}

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(self, self._counts, y_true, y_pred, self._thresholds,
                                class_id=self.class_id, sample_weight=sample_weight)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"recall": _div_no_nan(tp, tp + fn), "specificity": _div_no_nan(tn, tn + fp),
                "precision": _div_no_nan(tp, tp + fp)}

    def _max_where_at_least(self, constrained, dependent):
        """The largest `dependent` value among thresholds where `constrained >=
        value`; 0 when there is none."""
        feasible = constrained >= self.value
        return torch.max(torch.where(feasible, dependent, torch.zeros_like(dependent)))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """The best sensitivity (recall) at a given minimum specificity.

    Confusion counts are accumulated at `num_thresholds` thresholds evenly
    spaced in [0, 1]; `result()` is the largest `TP / (TP + FN)` among the thresholds where
    `TN / (TN + FP) >= specificity`.

    Args:
        specificity: the minimum specificity, in [0, 1].
        num_thresholds: number of thresholds (default 200).
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.SensitivityAtSpecificity(0.5, num_thresholds=11)
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])), 4)
    1.0
    """

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.specificity = _check_unit_interval(specificity, "specificity")
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_where_at_least(r["specificity"], r["recall"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """The best specificity at a given minimum sensitivity (recall).

    Confusion counts are accumulated at `num_thresholds` thresholds evenly
    spaced in [0, 1]; `result()` is the largest `TN / (TN + FP)` among the thresholds where
    `TP / (TP + FN) >= sensitivity`.

    Args:
        sensitivity: the minimum sensitivity, in [0, 1].
        num_thresholds: number of thresholds (default 200).
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.SpecificityAtSensitivity(0.5, num_thresholds=11)
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])), 4)
    1.0
    """

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.sensitivity = _check_unit_interval(sensitivity, "sensitivity")
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_where_at_least(r["recall"], r["specificity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """The best precision at a given minimum recall.

    Confusion counts are accumulated at `num_thresholds` thresholds evenly
    spaced in [0, 1]; `result()` is the largest `TP / (TP + FP)` among the thresholds where
    `TP / (TP + FN) >= recall`.

    Args:
        recall: the minimum recall, in [0, 1].
        num_thresholds: number of thresholds (default 200).
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.PrecisionAtRecall(0.5, num_thresholds=11)
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])), 4)
    1.0
    """

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.recall = _check_unit_interval(recall, "recall")
        self.num_thresholds = num_thresholds
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_where_at_least(r["recall"], r["precision"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """The best recall at a given minimum precision.

    Confusion counts are accumulated at `num_thresholds` thresholds evenly
    spaced in [0, 1]; `result()` is the largest `TP / (TP + FN)` among the thresholds where
    `TP / (TP + FP) >= precision` (0 when no threshold reaches it).

    Args:
        precision: the minimum precision, in [0, 1].
        num_thresholds: number of thresholds (default 200).
        class_id: optional 0-based class index (last axis); the metric is then
            the binary metric of that class only.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.RecallAtPrecision(0.8, num_thresholds=11)
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])), 4)
    0.5
    """

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        self.precision = _check_unit_interval(precision, "precision")
        self.num_thresholds = num_thresholds
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_where_at_least(r["precision"], r["recall"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "precision": self.precision}


# -- AUC --------------------------------------------------------------------------
_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _curve_name(curve):
    key = getattr(curve, "value", curve)
    if isinstance(key, str) and key in ("ROC", "roc", "PR", "pr", "PRGAIN", "prgain"):
        return _CURVES[key.lower()]
    raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                     '["PR", "ROC", "PRGAIN"]')


def _summation_name(method):
    key = getattr(method, "value", method)
    if isinstance(key, str) and key.lower() in _SUMMATIONS and key in (key.lower(),
                                                                      key.capitalize()):
        return key.lower()
    raise ValueError(f'Invalid AUC summation method value: "{method}". Expected values are '
                     '["interpolation", "majoring", "minoring"]')


class AUC(Metric):
    """Area under the ROC curve (default) or the precision-recall curve.

    Confusion counts are accumulated at `num_thresholds` thresholds: just below
    0, `num_thresholds - 2` evenly spaced values in (0, 1), and just above 1 (or
    the given `thresholds` between those two endpoints); the area is computed
    from them in `result()`. Labels are 0/1, predictions probabilities (or
    logits with `from_logits=True`).

    Args:
        num_thresholds: number of thresholds (default 200, at least 2).
        curve: "ROC" (true positive rate against false positive rate), "PR"
            (precision against recall) or "PRGAIN".
        summation_method: "interpolation" (trapezoids for ROC; for PR the
            interpolation of Davis & Goadrich, 2006), "minoring" (lower Riemann
            sum) or "majoring" (upper Riemann sum).
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        thresholds: optional list of thresholds in [0, 1] used instead of the
            evenly spaced ones (`num_thresholds` is then ignored).
        multi_label: whether the last axis holds independent labels: one AUC per
            label, averaged (weighted by `label_weights`); otherwise all entries
            are pooled into one curve.
        num_labels: number of labels with `multi_label=True` (else taken from
            the first batch).
        label_weights: optional non-negative weights, one per label.
        from_logits: whether `y_pred` holds logits (a sigmoid is applied first).

    Example:
    >>> m = keras.metrics.AUC(num_thresholds=3)
    >>> round(float(m([0, 0, 1, 1], [0.0, 0.5, 0.3, 0.9])), 4)
    0.75
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        curve_name = _curve_name(curve)
        summation = _summation_name(summation_method)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(parse_thresholds(thresholds, default=0.5))
            self.num_thresholds = len(inner) + 2
            evenly = evenly_distributed([0.0] + inner + [1.0])
        else:
            num_thresholds = _check_count(num_thresholds, "num_thresholds", 2)
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        eps = config.epsilon()
        # Endpoints just outside [0, 1]: predictions of exactly 0 or 1 fall
        # inside the curve's range despite float rounding.
        self._thresholds = np.array([0.0 - eps] + inner + [1.0 + eps])
        self._threshold_set = Thresholds(self._thresholds.tolist(), evenly=evenly)
        self._thresholds_distributed_evenly = evenly
        self.curve = curve_name
        self.summation_method = summation
        super().__init__(name=name, dtype=dtype)

        self.multi_label = bool(multi_label)
        if num_labels is not None:
            num_labels = _check_count(num_labels, "num_labels", 1)
        self.num_labels = num_labels
        if label_weights is not None:
            values = _as_list(label_weights)
            if any(isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or v < 0
                   for v in values):
                raise ValueError("`label_weights` must be non-negative numbers; received "
                                 f"{label_weights!r}")
            self.label_weights = torch.tensor([float(v) for v in values],
                                              dtype=self._torch_dtype)
        else:
            self.label_weights = None
        self._from_logits = bool(from_logits)
        self._built = False
        if self.multi_label:
            if num_labels:
                self._build((None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds, endpoints included."""
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. "
                                 f"Found rank {len(shape)}. Full shape received for "
                                 f"`y_pred`: {tuple(shape)}")
            self._num_labels = shape[1]
            variable_shape = (self.num_thresholds, self._num_labels)
        else:
            variable_shape = (self.num_thresholds,)
        self._build_input_shape = shape
        self.true_positives = self.add_variable(variable_shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(variable_shape, "zeros",
                                                 name="false_positives")
        self.true_negatives = self.add_variable(variable_shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(variable_shape, "zeros",
                                                 name="false_negatives")
        self._counts = {TP: self.true_positives, FP: self.false_positives,
                        TN: self.true_negatives, FN: self.false_negatives}
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred, self._torch_dtype)
        if not self._built:
            self._build(tuple(y_pred.shape))
        elif self.multi_label and (y_pred.dim() != 2 or y_pred.shape[1] != self._num_labels):
            raise ValueError(f"AUC with multi_label=True was built for {self._num_labels} "
                             "labels: `y_pred` must have shape (batch, "
                             f"{self._num_labels}); received {tuple(y_pred.shape)}")
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred)
        # With multi_label, label_weights weight the per-label AUCs in result().
        label_weights = None if self.multi_label else self.label_weights
        update_confusion_counts(self, self._counts, y_true, y_pred, self._threshold_set,
                                sample_weight=sample_weight, multi_label=self.multi_label,
                                label_weights=label_weights)

    def _average_labels(self, per_threshold_terms):
        if not self.multi_label:
            return torch.sum(per_threshold_terms)
        by_label = torch.sum(per_threshold_terms, dim=0)
        if self.label_weights is None:
            return torch.mean(by_label)
        weights = self.label_weights.to(by_label.device)
        return _div_no_nan(torch.sum(by_label * weights), torch.sum(weights))

    def interpolate_pr_auc(self):
        """PR-AUC by Davis & Goadrich's interpolation: between two thresholds,
        TP and P = TP + FP vary linearly, so precision = TP / P integrates in
        closed form over recall:
        slope * (dTP + intercept * log(P_A / P_B)) / (TP + FN),
        slope = dTP / dP and intercept = TP_B - slope * P_B."""
        tp, fp, fn = (self.true_positives.value, self.false_positives.value,
                      self.false_negatives.value)
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _div_no_nan(dtp, torch.clamp_min(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(both_positive, _div_no_nan(p[:-1], torch.clamp_min(p[1:], 0)),
                            torch.ones_like(p[1:]))
        increments = _div_no_nan(slope * (dtp + intercept * torch.log(ratio)),
                                 torch.clamp_min(tp[1:] + fn[1:], 0))
        return self._average_labels(increments)

    def result(self):
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        recall = _div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _div_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _div_no_nan(tp, tp + fp)
        else:
            # Precision-recall gain (Flach & Kull 2015), with P/N as the scale.
            # Without true positives the gains are undefined: recall gain 0,
            # precision gain 1; a negative recall gain is clipped to 0.
            scale = _div_no_nan(tp + fn, tn + fp)
            no_tp = tp == 0
            recall_gain = torch.where(no_tp, torch.zeros_like(tp),
                                      1.0 - scale * _div_no_nan(fn, tp))
            precision_gain = torch.where(no_tp, torch.ones_like(tp),
                                         1.0 - scale * _div_no_nan(fp, tp))
            x, y = torch.clamp_min(recall_gain, 0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average_labels((x[:-1] - x[1:]) * heights)

    def reset_state(self):
        if self._built:
            super().reset_state()

    def get_config(self):
        label_weights = None if self.label_weights is None else \
            [float(v) for v in self.label_weights.tolist()]
        config_ = {**super().get_config(), "num_thresholds": self.num_thresholds,
                   "curve": self.curve, "summation_method": self.summation_method,
                   "multi_label": self.multi_label, "num_labels": self.num_labels,
                   "label_weights": label_weights, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            # Without the endpoints, so that from_config rebuilds the same list.
            config_["thresholds"] = [float(t) for t in self._thresholds[1:-1]]
        return config_
