"""Accuracy metrics: per-sample match functions and their Mean wrappers."""

import torch

from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.reduction_metrics import MeanMetricWrapper
from torkeras.ops.core import _floatx, convert_to_tensor


def _tensor(x):
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def accuracy(y_true, y_pred):
    """Elementwise exact match of labels and predictions.

    Args:
        y_true: the labels.
        y_pred: the predictions, same shape as `y_true` (a trailing axis of 1 may
            differ).

    Returns:
        A float tensor, 1.0 where `y_true == y_pred` and 0.0 elsewhere.

    Example:
    >>> keras.metrics.accuracy([[1], [2]], [[1], [3]]).tolist()
    [[1.0], [0.0]]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == y_pred).to(_floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Elementwise match of binary labels with thresholded predictions.

    Args:
        y_true: binary labels (0/1 or booleans).
        y_pred: predicted probabilities, same shape as `y_true`.
        threshold: predictions above it count as 1.

    Returns:
        A float tensor, 1.0 where `y_true == (y_pred > threshold)`.

    Example:
    >>> keras.metrics.binary_accuracy([[1], [0]], [[0.7], [0.6]]).tolist()
    [[1.0], [0.0]]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = y_pred > threshold
    if y_true.dtype != torch.bool:
        predicted = predicted.to(y_true.dtype)
    return (y_true == predicted).to(_floatx())


def _matches(y_true, predicted_class):
    # (batch, ..., 1) labels compare as (batch, ...).
    if y_true.dim() == predicted_class.dim() + 1 and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    matches = (y_true == predicted_class).to(_floatx())
    if matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """Whether the integer label is the predicted class, per sample.

    Args:
        y_true: integer class ids, shape `(batch, ...)` or `(batch, ..., 1)`.
        y_pred: class scores, shape `(batch, ..., num_classes)`.

    Returns:
        A float tensor, 1.0 where `y_true == argmax(y_pred, axis=-1)`.

    Example:
    >>> scores = [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    >>> keras.metrics.sparse_categorical_accuracy([2, 1], scores).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return _matches(y_true, torch.argmax(y_pred, dim=-1))


def categorical_accuracy(y_true, y_pred):
    """Whether the one-hot label's class is the predicted class, per sample.

    Args:
        y_true: one-hot labels, shape `(batch, ..., num_classes)`.
        y_pred: class scores, same shape.

    Returns:
        A float tensor, 1.0 where `argmax(y_true) == argmax(y_pred)` on the last axis.

    Example:
    >>> scores = [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    >>> keras.metrics.categorical_accuracy([[0, 0, 1], [0, 1, 0]], scores).tolist()
    [1.0, 0.0]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return _matches(torch.argmax(y_true, dim=-1), torch.argmax(y_pred, dim=-1))


def _in_top_k(labels, y_pred, k):
    # A label is in the top k when fewer than k scores are strictly larger
    # (ties with the k-th score count as in, as Keras's in_top_k).
    target = torch.gather(y_pred, 1, labels.long().unsqueeze(1))
    return torch.sum(y_pred > target, dim=1) < k


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """Whether the integer label is among the `k` highest-scored classes, per sample.

    A label whose score ties with the k-th highest counts as in the top k. With
    `from_sorted_ids=True`, `y_pred` holds class ids sorted by decreasing score
    (e.g. the indices of `ops.top_k`) and the label is looked up in its first
    `k` columns.

    Args:
        y_true: integer class ids, shape `(batch,)` (or `(batch, 1)`).
        y_pred: class scores `(batch, num_classes)`, or sorted class ids.
        k: how many top classes count.
        from_sorted_ids: whether `y_pred` holds sorted class ids.

    Returns:
        A float tensor of `y_true`'s shape.

    Example:
    >>> scores = [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    >>> keras.metrics.sparse_top_k_categorical_accuracy([2, 1], scores, k=2).tolist()
    [1.0, 1.0]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    if y_pred.dim() > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    original_shape = y_true.shape
    labels = y_true.reshape(-1) if y_true.dim() > 1 else y_true
    if from_sorted_ids:
        matches = torch.any(labels.to(y_pred.dtype).unsqueeze(1) == y_pred[:, :k], dim=1)
    else:
        matches = _in_top_k(labels.to(torch.int32), y_pred, k)
    matches = matches.to(_floatx())
    if y_true.dim() > 1:
        matches = matches.reshape(original_shape)
    return matches


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Whether the one-hot label's class is among the `k` highest scores, per sample.

    Args:
        y_true: one-hot labels, shape `(batch, num_classes)`.
        y_pred: class scores, same shape.
        k: how many top classes count.

    Returns:
        A float tensor of shape `(batch,)`.

    Example:
    >>> scores = [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]
    >>> keras.metrics.top_k_categorical_accuracy([[0, 0, 1], [0, 1, 0]], scores, k=2).tolist()
    [1.0, 1.0]
    """
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return sparse_top_k_categorical_accuracy(torch.argmax(y_true, dim=-1), y_pred, k=k)


class _Builtin(MeanMetricWrapper):
    _cast_y_true = False

    def get_config(self):
        config_ = {"name": self.name, "dtype": self.dtype}
        config_.update(self._fn_kwargs)
        return config_


class Accuracy(_Builtin):
    """How often predictions equal labels exactly.

    Per sample the fraction of elements with `y_pred == y_true`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.Accuracy()
    >>> float(m([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(_Builtin):
    """How often binary predictions match the labels.

    Per sample the fraction of elements where `y_true == (y_pred > threshold)`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        threshold: predictions above it count as 1 (default 0.5).

    Example:
    >>> m = keras.metrics.BinaryAccuracy()
    >>> float(m([[1], [1], [0], [0]], [[0.98], [0.4], [0.1], [0.6]]))
    0.5
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class SparseCategoricalAccuracy(_Builtin):
    """How often the predicted class equals the integer label.

    A sample counts 1 when `argmax(y_pred, axis=-1) == y_true`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.SparseCategoricalAccuracy()
    >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0.0]]))
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class CategoricalAccuracy(_Builtin):
    """How often the predicted class equals the one-hot label's class.

    A sample counts 1 when `argmax(y_pred, axis=-1) == argmax(y_true, axis=-1)`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.CategoricalAccuracy()
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseTopKCategoricalAccuracy(_Builtin):
    """How often the integer label is among the `k` highest-scored classes.

    A sample counts 1 when its label's score is among the `k` largest (ties with
    the k-th score count). With `from_sorted_ids=True`, `y_pred` holds class ids
    sorted by decreasing score and the label is looked up in its first `k`
    columns. The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        k: how many top classes count (default 5).
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        from_sorted_ids: whether `y_pred` holds class ids sorted by score.

    Example:
    >>> m = keras.metrics.SparseTopKCategoricalAccuracy(k=1)
    >>> float(m([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config_ = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config_["from_sorted_ids"] = True
        return config_


class TopKCategoricalAccuracy(_Builtin):
    """How often the one-hot label's class is among the `k` highest scores.

    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        k: how many top classes count (default 5).
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.TopKCategoricalAccuracy(k=1)
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
