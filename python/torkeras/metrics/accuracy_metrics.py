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


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the label's score is among the `k` largest (ties count as in)."""
    y_true, y_pred = _tensor(y_true), _tensor(y_pred)
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    flat_pred = y_pred.reshape(-1, y_pred.shape[-1])
    labels = y_true.reshape(-1).long()
    target = torch.gather(flat_pred, 1, labels.unsqueeze(1))
    rank = torch.sum(flat_pred > target, dim=1)
    return (rank < k).to(_floatx()).reshape(y_true.shape)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
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
    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class TopKCategoricalAccuracy(_Builtin):
    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
