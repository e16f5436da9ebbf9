"""Focal and generalized cross-entropy losses (Keras 3 formulas).

Each function returns per-sample values; the `Loss` classes wrap them with
Keras's reduction and weighting rules. Targets outside [0, 1] are computed by
the cross-entropy formula (as Keras's TensorFlow and JAX backends do) rather
than refused.
"""

import numbers

import torch
import torch.nn.functional as F

from torkeras import config
from torkeras.losses.loss import Loss
from torkeras.losses.losses import LossFunctionWrapper, elementwise_binary_crossentropy
from torkeras.ops.core import _floatx, convert_to_tensor


def _check_number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"Argument `{name}` must be a number; received {name}={value!r} "
                         f"of type {type(value).__name__}")
    return value


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis!r} "
                         f"of type {type(axis)}")
    return axis


def _pred_and_true(y_true, y_pred):
    """y_pred as a float tensor and y_true cast to its dtype (no rank changes:
    the Loss classes align ranks before calling the function, as in Keras)."""
    if not isinstance(y_pred, torch.Tensor):
        y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_floatx())
    if not isinstance(y_true, torch.Tensor):
        y_true = convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.to(y_pred.dtype)
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    return y_true, y_pred


# -- functions -------------------------------------------------------------
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary focal cross-entropy (Lin et al., 2018) per sample.

    The binary cross-entropy of each element is multiplied by the focal factor
    `(1 - p_t) ** gamma`, where `p_t = y_true * p + (1 - y_true) * (1 - p)`; with
    `apply_class_balancing`, class 1 is further weighted by `alpha` and class 0
    by `1 - alpha`. The result is averaged over `axis`.

    Args:
        y_true: binary labels (0 or 1).
        y_pred: predicted probabilities (or logits), same shape as `y_true`.
        apply_class_balancing: whether to weight the classes by `alpha` / `1 - alpha`.
        alpha: the class-1 weight used with `apply_class_balancing`.
        gamma: focusing parameter; 0 gives the binary cross-entropy.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets move towards 0.5.
        axis: the axis averaged over (default -1).

    Returns:
        A tensor of per-sample values.
    """
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    bce = elementwise_binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return torch.mean(focal_bce, dim=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical focal cross-entropy per sample.

    `loss = sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)` with `p` the
    predictions renormalised along `axis` (or `softmax(y_pred)` for logits) and
    clipped to `[epsilon, 1 - epsilon]`.

    Args:
        y_true: one-hot labels, shape `(batch, ..., num_classes)`.
        y_pred: predicted probabilities (or logits), same shape as `y_true`.
        alpha: weighting factor (a scalar).
        gamma: focusing parameter; 0 gives `alpha` times the categorical cross-entropy.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: the class axis (default -1).

    Returns:
        A tensor of per-sample values.
    """
    _check_axis(axis)
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    if label_smoothing:
        num_classes = y_true.shape[-1]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    cce = -y_true * torch.log(output)
    weighting = torch.pow(1.0 - output, gamma) * alpha
    return torch.sum(weighting * cce, dim=axis)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy (Zhang & Sabuncu, 2018) per sample.

    `loss = (1 - p ** q) / q` with `p` the predicted probability of the true
    class; `q` in (0, 1) interpolates between cross-entropy (q -> 0) and mean
    absolute error (q = 1), which makes it robust to noisy labels.

    Args:
        y_true: integer class ids, shape `(batch,)`.
        y_pred: class probabilities, shape `(batch, num_classes)`.
        q: float in (0, 1).

    Returns:
        A tensor of per-sample values.
    """
    if not isinstance(y_pred, torch.Tensor):
        y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_floatx())
    if not isinstance(y_true, torch.Tensor):
        y_true = convert_to_tensor(y_true)
    num_classes = y_pred.shape[-1]
    labels = y_true.to(torch.int64).to(y_pred.device)
    # Out-of-range labels give an all-zero row, as a one-hot encoding does.
    valid = (labels >= 0) & (labels < num_classes)
    one_hot = F.one_hot(torch.where(valid, labels, torch.zeros_like(labels)), num_classes)
    one_hot = one_hot * valid.unsqueeze(-1)
    p = torch.sum(y_pred * one_hot.to(y_pred.dtype), dim=-1)
    return (1 - torch.pow(p, q)) / q


# -- classes ---------------------------------------------------------------
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross-entropy between labels and predictions.

    Args:
        apply_class_balancing: weight class 1 by `alpha` and class 0 by `1 - alpha`.
        alpha: the class-1 weight used when `apply_class_balancing` is true.
        gamma: focusing parameter; `gamma = 0` gives binary cross-entropy.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + 0.5 * s`.
        axis: the axis the values are averaged over.
        reduction: "sum_over_batch_size" (default), "sum", "mean",
            "mean_with_sample_weight", "none" or None.
        name: name of the loss.
        dtype: dtype of the computation (default: `keras.config.floatx()`).

    Example:
    >>> loss = keras.losses.BinaryFocalCrossentropy()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.2678
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        _check_number(alpha, "alpha")
        _check_number(gamma, "gamma")
        _check_number(label_smoothing, "label_smoothing")
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                        "axis": self.axis, "apply_class_balancing": self.apply_class_balancing,
                        "alpha": self.alpha, "gamma": self.gamma})
        return config_


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical focal cross-entropy between one-hot labels and predictions.

    Args:
        alpha: weighting factor of the loss (a scalar).
        gamma: focusing parameter; `gamma = 0` gives `alpha` times the
            categorical cross-entropy.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; targets become `y * (1 - s) + s / num_classes`.
        axis: the class axis.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.CategoricalFocalCrossentropy()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.0412
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        _check_number(alpha, "alpha")
        _check_number(gamma, "gamma")
        _check_number(label_smoothing, "label_smoothing")
        _check_axis(axis)
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"from_logits": self.from_logits, "label_smoothing": self.label_smoothing,
                        "axis": self.axis, "alpha": self.alpha, "gamma": self.gamma})
        return config_


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy for integer labels, robust to noisy labels.

    Args:
        q: in (0, 1); close to 0 behaves like cross-entropy, 1 like MAE.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        _check_number(q, "q")
        if not 0 < q < 1:
            raise ValueError(f"Argument `q` must be in the interval (0, 1); received q={q!r}")
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name,
                         dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"q": self.q})
        return config_
