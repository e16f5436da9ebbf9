"""Intersection-over-Union metrics: IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU.

All accumulate one (num_classes, num_classes) confusion matrix (rows: true
class, columns: predicted class) in the metric dtype, which is "int32" by
default as in Keras (float sample weights are then truncated to integers;
pass `dtype="float32"` for fractional weights). Labels or predictions
outside [0, num_classes), and `ignore_class`, are left out. The result is
computed in float32:

    IoU_c = TP_c / (TP_c + FP_c + FN_c + epsilon)

averaged over the `target_class_ids` whose denominator is non-zero.
"""

import numbers
import warnings

import torch

from torkeras import config
from torkeras.metrics.metric import Metric
from torkeras.ops.core import convert_to_tensor


def _check_int(value, name, minimum=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"Argument `{name}` must be an integer; received {name}={value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"Argument `{name}` must be >= {minimum}; received {name}={value!r}")
    return int(value)


def _to_tensor(x, torch_dtype, device=None):
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype != torch_dtype:
            x = x.to(torch_dtype)
    else:
        x = convert_to_tensor(x, dtype=torch_dtype)
    if device is not None and x.device != device:
        x = x.to(device)
    return x


class _IoUBase(Metric):
    """Accumulates the confusion matrix the IoU metrics share."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        self.num_classes = _check_int(num_classes, "num_classes", minimum=1)
        if ignore_class is not None:
            ignore_class = _check_int(ignore_class, "ignore_class")
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"Argument `axis` must be an integer; received axis={axis!r}")
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(name="total_confusion_matrix",
                                          shape=(self.num_classes, self.num_classes),
                                          initializer="zeros", dtype=self.dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's (weighted) confusion matrix to the total.

        Args:
            y_true: class ids (one-hot/probabilities when `sparse_y_true=False`).
            y_pred: class ids (scores when `sparse_y_pred=False`).
            sample_weight: optional weights, broadcast to the flattened labels.
        """
        dt = self._torch_dtype
        device = self.total_cm.value.device
        if isinstance(y_pred, torch.Tensor) and y_pred.device != device:
            self._to_device(y_pred.device)
            device = y_pred.device
        if not self.sparse_y_true:
            y_true = torch.argmax(_to_tensor(y_true, _float_of(y_true), device), dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(_to_tensor(y_pred, _float_of(y_pred), device), dim=self.axis)
        y_true = _to_tensor(y_true, dt, device).reshape(-1)
        y_pred = _to_tensor(y_pred, dt, device).reshape(-1)
        if sample_weight is None:
            sample_weight = torch.ones((), dtype=dt, device=device)
        else:
            floating = (isinstance(sample_weight, float)
                        or (hasattr(sample_weight, "dtype") and "float" in str(sample_weight.dtype)))
            if floating and not dt.is_floating_point:
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                              "result in an incorrect weight due to type casting. Consider using "
                              "integer weights, or a float `dtype` for the metric.", stacklevel=2)
            sample_weight = _to_tensor(sample_weight, dt, device)
            if sample_weight.dim() > 1:
                sample_weight = sample_weight.reshape(-1)
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        n = self.num_classes
        in_bounds = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            in_bounds = in_bounds & (y_true != self.ignore_class)
        zero = torch.zeros((), dtype=dt, device=device)
        y_true = torch.where(in_bounds, y_true, zero).to(torch.int64)
        y_pred = torch.where(in_bounds, y_pred, zero).to(torch.int64)
        weights = torch.where(in_bounds, sample_weight, zero)
        flat = torch.zeros(n * n, dtype=dt, device=device)
        flat.index_add_(0, y_true * n + y_pred, weights)
        with torch.no_grad():
            self.total_cm.value.add_(flat.reshape(n, n))

    def reset_state(self):
        with torch.no_grad():
            self.total_cm.value.zero_()


def _float_of(x):
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, torch.dtype) and dtype.is_floating_point:
        return dtype
    return torch.float32


class IoU(_IoUBase):
    """Intersection-over-Union averaged over the classes in `target_class_ids`.

    Args:
        num_classes: number of classes (the confusion matrix is num_classes^2).
        target_class_ids: class ids whose IoU is averaged (0-based; a list,
            or a single id).
        name: name of the metric.
        dtype: dtype of the accumulated confusion matrix (default "int32").
        ignore_class: a class id left out of the matrix (e.g. a void class).
        sparse_y_true: whether `y_true` holds class ids (else one-hot/scores,
            reduced by argmax over `axis`).
        sparse_y_pred: whether `y_pred` holds class ids (else scores).
        axis: the class axis of non-sparse inputs.

    Example:
    >>> m = keras.metrics.IoU(num_classes=2, target_class_ids=[1])
    >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
                         dtype=dtype)
        if isinstance(target_class_ids, numbers.Integral) and not isinstance(target_class_ids,
                                                                             bool):
            # One id given alone (R passes a length-1 vector as a scalar).
            target_class_ids = [target_class_ids]
        try:
            ids = [int(i) if isinstance(i, numbers.Integral) and not isinstance(i, bool) else i
                   for i in target_class_ids]
        except TypeError:
            raise ValueError("Argument `target_class_ids` must be a list or tuple of class ids; "
                             f"received target_class_ids={target_class_ids!r}") from None
        if not ids:
            raise ValueError("Argument `target_class_ids` must contain at least one class id")
        for i in ids:
            _check_int(i, "target_class_ids")
        if max(ids) >= self.num_classes:
            raise ValueError(f"Target class id {max(ids)} is out of range, which is "
                             f"[0, {self.num_classes}).")
        if min(ids) < 0:
            raise ValueError(f"Target class id {min(ids)} is out of range, which is "
                             f"[0, {self.num_classes}).")
        self.target_class_ids = ids

    def result(self):
        cm = self.total_cm.value
        dt = self._torch_dtype
        col_sums = torch.sum(cm, dim=0).to(dt)
        row_sums = torch.sum(cm, dim=1).to(dt)
        true_positives = torch.diagonal(cm).to(dt)
        denominator = col_sums + row_sums - true_positives
        ids = torch.tensor(self.target_class_ids, dtype=torch.int64, device=cm.device)
        true_positives = true_positives[ids].to(torch.float32)
        denominator = denominator[ids].to(torch.float32)
        valid = denominator > 1e-9
        num_valid = torch.sum(valid.to(torch.float32))
        iou = true_positives / (denominator + config.epsilon())
        iou = torch.where(valid, iou, torch.zeros_like(iou))
        return torch.sum(iou, dim=self.axis) / (num_valid + config.epsilon())

    def get_config(self):
        config_ = super().get_config()
        config_.update({"num_classes": self.num_classes,
                        "target_class_ids": self.target_class_ids,
                        "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                        "sparse_y_pred": self.sparse_y_pred, "axis": self.axis})
        return config_


class BinaryIoU(IoU):
    """IoU for binary labels: predictions `>= threshold` count as class 1.

    Args:
        target_class_ids: which of the classes 0 and 1 are averaged.
        threshold: decision threshold applied to `y_pred`.
        name: name of the metric.
        dtype: dtype of the confusion matrix (default "int32"; `y_true` is
            converted to it, so use 0/1 labels).

    Example:
    >>> m = keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.5)
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
            raise ValueError(f"Argument `threshold` must be a number; received "
                             f"threshold={threshold!r}")
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Thresholds `y_pred` (float32) and adds the batch's confusion matrix."""
        y_true = _to_tensor(y_true, self._torch_dtype)
        y_pred = _to_tensor(y_pred, torch.float32)
        y_pred = (y_pred >= self.threshold).to(self._torch_dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """Mean Intersection-over-Union over all classes.

    For each class `IoU = TP / (TP + FP + FN)` from a `(num_classes, num_classes)`
    confusion matrix accumulated over batches; the result is the mean over the
    classes that occur (in labels or predictions). Labels and predictions are
    class ids by default.

    Args:
        num_classes: number of classes.
        name: name of the metric instance.
        dtype: dtype of the accumulated confusion matrix (default "int32").
        ignore_class: optional class id left out of the confusion matrix (e.g.
            a void or padding class).
        sparse_y_true: whether `y_true` holds class ids (else one-hot/scores,
            reduced by argmax over `axis`).
        sparse_y_pred: whether `y_pred` holds class ids (else scores, reduced by
            argmax over `axis`).
        axis: the class axis of non-sparse inputs.

    Example:
    >>> m = keras.metrics.MeanIoU(num_classes=2)
    >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        num_classes = _check_int(num_classes, "num_classes", minimum=1)
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """Intersection-over-Union for one-hot labels, averaged over chosen classes.

    `y_true` (one-hot) and, unless `sparse_y_pred`, `y_pred` (scores) are reduced
    to class ids by argmax over `axis`; then as `IoU`.

    Args:
        num_classes: number of classes.
        target_class_ids: 0-based class ids whose IoU is averaged.
        name: name of the metric instance.
        dtype: dtype of the accumulated confusion matrix (default "int32").
        ignore_class: optional class id left out of the confusion matrix (e.g.
            a void or padding class).
        sparse_y_pred: whether `y_pred` already holds class ids.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.OneHotIoU(num_classes=2, target_class_ids=[0])
    >>> round(float(m(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.9, 0.1], [0.6, 0.4]]))), 4)
    0.5
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """Mean Intersection-over-Union over all classes, for one-hot labels.

    `y_true` (one-hot) and, unless `sparse_y_pred`, `y_pred` (scores) are reduced
    to class ids by argmax over `axis`; then as `MeanIoU`.

    Args:
        num_classes: number of classes.
        name: name of the metric instance.
        dtype: dtype of the accumulated confusion matrix (default "int32").
        ignore_class: optional class id left out of the confusion matrix (e.g.
            a void or padding class).
        sparse_y_pred: whether `y_pred` already holds class ids.
        axis: the class axis.

    Example:
    >>> m = keras.metrics.OneHotMeanIoU(num_classes=2)
    >>> round(float(m(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.9, 0.1], [0.6, 0.4]]))), 4)
    0.25
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
