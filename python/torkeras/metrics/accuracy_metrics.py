"""Accuracy metrics: per-sample match functions and their Mean wrappers."""

import torch

from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.reduction_metrics import MeanMetricWrapper
from torkeras.ops.core import _floatx, convert_to_tensor


def _tensor(x):
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred`, else 0.0 (elementwise)."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return (y_true == y_pred).to(_floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Elementwise match of `y_true` with `y_pred > threshold`."""
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
    """1.0 where the integer label equals `argmax(y_pred, axis=-1)`."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return _matches(y_true, torch.argmax(y_pred, dim=-1))


def categorical_accuracy(y_true, y_pred):
    """1.0 where `argmax(y_true)` equals `argmax(y_pred)` (last axis)."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return _matches(torch.argmax(y_true, dim=-1), torch.argmax(y_pred, dim=-1))


def _in_top_k(labels, y_pred, k):
    # A label is in the top k when fewer than k scores are strictly larger
    # (ties with the k-th score count as in, as Keras's in_top_k).
    target = torch.gather(y_pred, 1, labels.long().unsqueeze(1))
    return torch.sum(y_pred > target, dim=1) < k


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest scores of `y_pred`.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by decreasing
    score (e.g. from `ops.top_k`) and the label is looked up in its first `k`
    columns. The result has `y_true`'s shape.
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
    """1.0 where `argmax(y_true)` is among the `k` highest scores of `y_pred`."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    return sparse_top_k_categorical_accuracy(torch.argmax(y_true, dim=-1), y_pred, k=k)


class _Builtin(MeanMetricWrapper):
    _cast_y_true = False

    def get_config(self):
        config_ = {"name": self.name, "dtype": self.dtype}
        config_.update(self._fn_kwargs)
        return config_


class Accuracy(_Builtin):
    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(_Builtin):
    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class SparseCategoricalAccuracy(_Builtin):
    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class CategoricalAccuracy(_Builtin):
    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseTopKCategoricalAccuracy(_Builtin):
    """How often integer labels are among the `k` highest predictions
    (`from_sorted_ids=True`: `y_pred` holds class ids sorted by score)."""

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
    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
