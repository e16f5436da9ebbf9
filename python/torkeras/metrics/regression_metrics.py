"""Regression and probabilistic metrics (Mean wrappers around the loss functions)."""

import torch

from torkeras import losses
from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.accuracy_metrics import _Builtin
from torkeras.metrics.reduction_metrics import Mean, _div_no_nan
from torkeras.ops.core import convert_to_tensor


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine of the angle between `y_true` and `y_pred` (positive, unlike the loss)."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


def _wrapper(class_name, fn, default_name):
    def __init__(self, name=default_name, dtype=None):
        _Builtin.__init__(self, fn, name=name, dtype=dtype)

    return type(class_name, (_Builtin,), {"__init__": __init__, "__module__": __name__})


MeanSquaredError = _wrapper("MeanSquaredError", losses.mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", losses.mean_absolute_error,
                             "mean_absolute_error")
MeanAbsolutePercentageError = _wrapper("MeanAbsolutePercentageError",
                                       losses.mean_absolute_percentage_error,
                                       "mean_absolute_percentage_error")
MeanSquaredLogarithmicError = _wrapper("MeanSquaredLogarithmicError",
                                       losses.mean_squared_logarithmic_error,
                                       "mean_squared_logarithmic_error")
LogCoshError = _wrapper("LogCoshError", losses.log_cosh, "logcosh")
Hinge = _wrapper("Hinge", losses.hinge, "hinge")
SquaredHinge = _wrapper("SquaredHinge", losses.squared_hinge, "squared_hinge")
CategoricalHinge = _wrapper("CategoricalHinge", losses.categorical_hinge, "categorical_hinge")
KLDivergence = _wrapper("KLDivergence", losses.kl_divergence, "kl_divergence")
Poisson = _wrapper("Poisson", losses.poisson, "poisson")


class CosineSimilarity(_Builtin):
    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """sqrt of the (weighted) mean of squared errors."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = self._torch_dtype
        y_pred = y_pred.detach() if isinstance(y_pred, torch.Tensor) else convert_to_tensor(y_pred)
        y_true = y_true.detach() if isinstance(y_true, torch.Tensor) else convert_to_tensor(y_true)
        if y_pred.dtype != dt:
            y_pred = y_pred.to(dt)
        if y_true.dtype != dt:
            y_true = y_true.to(dt)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return torch.sqrt(_div_no_nan(self.total.value, self.count.value))


class BinaryCrossentropy(_Builtin):
    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(_Builtin):
    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_Builtin):
    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
