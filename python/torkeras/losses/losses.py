"""Built-in losses: per-sample functions and their `Loss` classes."""

import torch
import torch.nn.functional as F

from torkeras import config
from torkeras.losses.loss import Loss, squeeze_or_expand_to_same_rank
from torkeras.ops import nn as nn_ops
from torkeras.ops.core import _floatx, convert_to_tensor


def _prep(y_true, y_pred):
    """Tensors of y_pred's (float) dtype, ranks aligned as Keras aligns them."""
    if type(y_pred) is not torch.Tensor:
        y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_floatx())
    if type(y_true) is not torch.Tensor:
        y_true = convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.to(y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _eps():
    return config.epsilon()


def elementwise_binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy, by the formula for any target value.

    With probabilities, `output` is clipped to [epsilon, 1 - epsilon] and the
    value is `-(target * log(output) + (1 - target) * log(1 - output))`; with
    logits, the numerically stable `max(x, 0) - x * target + log1p(exp(-|x|))`.
    """
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError("Arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={tuple(target.shape)}, "
                         f"output.shape={tuple(output.shape)}")
    if from_logits:
        # torch's kernel is the stable formula and accepts any target value.
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    # Logs floored at -100 as torch's kernel does (only reachable in float16,
    # where 1 - epsilon rounds to 1).
    log_p = torch.clamp(torch.log(output), min=-100.0)
    log_1mp = torch.clamp(torch.log(1.0 - output), min=-100.0)
    return -(target * log_p + (1.0 - target) * log_1mp)


# -- functions (per-sample values) --------------------------------------------
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=_eps()))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    eps = _eps()
    first = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first - second), dim=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = nn_ops.normalize(y_true, axis=axis)
    y_pred = nn_ops.normalize(y_pred, axis=axis)
    return -torch.sum(y_true * y_pred, dim=axis)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _prep(y_true, y_pred)
    delta = float(delta)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


def log_cosh(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    x = y_pred - y_true
    log2 = 0.6931471805599453
    return torch.mean(x + torch.nn.functional.softplus(-2.0 * x) - log2, dim=-1)


def _hinge_labels(y_true):
    # Labels in {0, 1} become {-1, 1}; labels already in {-1, 1} stay.
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = torch.clamp(y_true, _eps(), 1.0)
    y_pred = torch.clamp(y_pred, _eps(), 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + _eps()), dim=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    # By the formula for any target (also outside [0, 1]), as Keras's
    # TensorFlow and JAX backends compute it.
    return torch.mean(elementwise_binary_crossentropy(y_true, y_pred, from_logits=from_logits),
                      dim=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be an integer; received: {axis!r}")
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        num_classes = y_true.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return nn_ops.categorical_crossentropy._raw(y_true, y_pred, from_logits=from_logits,
                                                axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    if type(y_pred) is not torch.Tensor:
        y_pred = convert_to_tensor(y_pred)
    if type(y_true) is not torch.Tensor:
        y_true = convert_to_tensor(y_true)
    if ignore_class is None:
        return nn_ops.sparse_categorical_crossentropy._raw(y_true, y_pred,
                                                           from_logits=from_logits, axis=axis)
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)
    valid = y_true != ignore_class
    y_true = torch.where(valid, y_true, torch.zeros_like(y_true))
    y_pred = y_pred * valid.unsqueeze(axis).to(y_pred.dtype)
    res = nn_ops.sparse_categorical_crossentropy._raw(y_true, y_pred, from_logits=from_logits,
                                                      axis=axis)
    valid = valid.reshape(res.shape)
    res = torch.where(valid, res, torch.zeros_like(res))
    # Loss.__call__ folds this mask into the weights (mean over valid entries).
    res._keras_mask = valid
    return res


# -- classes ----------------------------------------------------------------
class LossFunctionWrapper(Loss):
    """Turns a per-sample function `fn(y_true, y_pred, **kwargs)` into a Loss."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if type(y_true) is torch.Tensor and type(y_pred) is torch.Tensor:
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config_ = super().get_config()
        config_.update(self._fn_kwargs)
        if type(self) is LossFunctionWrapper:
            from torkeras.losses import serialize
            config_["fn"] = serialize(self.fn)
        return config_

    @classmethod
    def from_config(cls, config_):
        config_ = dict(config_)
        if cls is LossFunctionWrapper and "fn" in config_:
            from torkeras.losses import get
            fn = config_.pop("fn")
            if isinstance(fn, dict) and fn.get("class_name") == "function":
                fn = fn["config"]
            return cls(get(fn), **config_)
        return cls(**config_)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, fn={getattr(self.fn, '__name__', self.fn)}>"


def _simple(class_name, fn, default_name, doc):
    def __init__(self, reduction="sum_over_batch_size", name=default_name, dtype=None):
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, dtype=dtype)

    return type(class_name, (LossFunctionWrapper,), {"__init__": __init__, "__doc__": doc,
                                                     "__module__": __name__})


MeanSquaredError = _simple("MeanSquaredError", mean_squared_error, "mean_squared_error",
                           "mean(square(y_true - y_pred), axis=-1) per sample.")
MeanAbsoluteError = _simple("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                            "mean(abs(y_true - y_pred), axis=-1) per sample.")
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "100 * mean(abs((y_true - y_pred) / y_true)) per sample.")
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "mean(square(log(y_pred + 1) - log(y_true + 1))).")
LogCosh = _simple("LogCosh", log_cosh, "log_cosh", "mean(log(cosh(y_pred - y_true))).")
Hinge = _simple("Hinge", hinge, "hinge", "mean(maximum(1 - y_true * y_pred, 0)).")
SquaredHinge = _simple("SquaredHinge", squared_hinge, "squared_hinge",
                       "mean(square(maximum(1 - y_true * y_pred, 0))).")
CategoricalHinge = _simple("CategoricalHinge", categorical_hinge, "categorical_hinge",
                           "maximum(neg - pos + 1, 0).")
KLDivergence = _simple("KLDivergence", kl_divergence, "kl_divergence",
                       "sum(y_true * log(y_true / y_pred), axis=-1).")
Poisson = _simple("Poisson", poisson, "poisson", "mean(y_pred - y_true * log(y_pred)).")


class CosineSimilarity(LossFunctionWrapper):
    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)


class Huber(LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class BinaryCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    def __init__(self, from_logits=False, ignore_class=None, axis=-1,
                 reduction="sum_over_batch_size", name="sparse_categorical_crossentropy",
                 dtype=None):
        kwargs = {"from_logits": from_logits, "ignore_class": ignore_class}
        if axis != -1:
            kwargs["axis"] = axis
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, **kwargs)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    _cast_y_true = False

    def call(self, y_true, y_pred):
        # Sparse targets keep their rank: no squeeze/expand against y_pred.
        return sparse_categorical_crossentropy(y_true, y_pred, **self._fn_kwargs)


# Short names, as Keras accepts them in `compile()` and `get()`.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy
