"""Overlap (Dice, Tversky), metric-learning (Circle) and sequence (CTC) losses,
with Keras 3's formulas and defaults."""

import torch
import torch.nn.functional as F

from torkeras import config
from torkeras.losses.classification_losses import _check_number, _pred_and_true
from torkeras.losses.loss import Loss
from torkeras.losses.losses import LossFunctionWrapper
from torkeras.ops import nn as nn_ops
from torkeras.ops.core import _floatx, convert_to_tensor


def _check_sum_axis(axis):
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        if not axis or not all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            raise ValueError(f"Argument `axis` must be None, an integer or a tuple of integers; "
                             f"received axis={axis!r}")
        return tuple(axis)
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"Argument `axis` must be None, an integer or a tuple of integers; "
                         f"received axis={axis!r}")
    return axis


def _sum(x, axis):
    return torch.sum(x) if axis is None else torch.sum(x, dim=axis)


# -- functions -------------------------------------------------------------
def dice(y_true, y_pred, axis=None):
    """Dice loss: one minus the soft Dice overlap of labels and predictions.

    `loss = 1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + epsilon)`,
    the sums taken over `axis`.

    Args:
        y_true: labels in [0, 1] (e.g. segmentation masks).
        y_pred: predicted probabilities, same shape as `y_true`.
        axis: axis or tuple of axes summed over; None sums over all axes (one
            value for the whole batch).

    Returns:
        A tensor of per-sample values.
    """
    axis = _check_sum_axis(axis)
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    score = 2.0 * intersection / (_sum(y_true, axis) + _sum(y_pred, axis) + config.epsilon())
    return 1 - score


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss: Dice with separate weights for false positives and false negatives.

    With soft counts `TP = sum(y_true * y_pred)`, `FP = sum((1 - y_pred) * y_true)`
    and `FN = sum(y_pred * (1 - y_true))` over `axis`,
    `loss = 1 - TP / (TP + alpha * FP + beta * FN + epsilon)`;
    `alpha = beta = 0.5` gives the Dice loss.

    Args:
        y_true: labels in [0, 1].
        y_pred: predicted probabilities, same shape as `y_true`.
        alpha: weight of the `FP` term.
        beta: weight of the `FN` term.
        axis: axis or tuple of axes summed over; None sums over all axes.

    Returns:
        A tensor of per-sample values.
    """
    axis = _check_sum_axis(axis)
    y_true, y_pred = _pred_and_true(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    score = intersection / (intersection + fp * alpha + fn * beta + config.epsilon())
    return 1 - score


def _pos_neg_masks(query_labels, key_labels, remove_diagonal=True):
    if query_labels.dim() == 1:
        query_labels = query_labels.reshape(-1, 1)
    if key_labels.dim() == 1:
        key_labels = key_labels.reshape(-1, 1)
    positive = query_labels == key_labels.T
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(query_labels.numel(), key_labels.numel(), dtype=torch.bool,
                        device=positive.device)
        positive = positive & ~eye
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss (Sun et al., 2020) per sample, on L2-normalised embeddings.

    Pairs with equal labels are positives, the others negatives; the reference
    set is the batch itself unless `ref_labels`/`ref_embeddings` are given. With
    cosine distances `d`, positives contribute `-gamma * max(margin + d, 0) * (margin - d)`
    and negatives `gamma * max(1 + margin - d, 0) * (1 - margin - d)`; per sample
    `softplus(logsumexp(positive terms) + logsumexp(negative terms))`. Samples
    whose loss is 0 are masked out of the mean.

    Args:
        y_true: integer labels, shape `(batch,)`.
        y_pred: L2-normalised embeddings, shape `(batch, dim)`.
        ref_labels: optional labels of a reference set (default: `y_true`).
        ref_embeddings: optional embeddings of a reference set (default: `y_pred`).
        remove_diagonal: exclude each sample's pair with itself from the
            positives (use False with a separate reference set).
        gamma: scaling factor of the similarity terms.
        margin: relaxation margin.

    Returns:
        A tensor of per-sample values.
    """
    if not isinstance(y_pred, torch.Tensor):
        y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_floatx())
    if not isinstance(y_true, torch.Tensor):
        y_true = convert_to_tensor(y_true)
    y_true = y_true.to(torch.int32).to(y_pred.device)
    if ref_embeddings is None:
        ref_embeddings = y_pred
    elif not isinstance(ref_embeddings, torch.Tensor):
        ref_embeddings = convert_to_tensor(ref_embeddings, dtype=y_pred.dtype)
    if ref_labels is None:
        ref_labels = y_true
    else:
        if not isinstance(ref_labels, torch.Tensor):
            ref_labels = convert_to_tensor(ref_labels)
        ref_labels = ref_labels.to(torch.int32).to(y_pred.device)
    optim_pos, optim_neg = margin, 1 + margin
    delta_pos, delta_neg = margin, 1 - margin
    distances = torch.clamp(1 - torch.matmul(y_pred, ref_embeddings.T), min=0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal=remove_diagonal)
    pos_f, neg_f = positive.to(distances.dtype), negative.to(distances.dtype)
    pos_weights = torch.clamp((optim_pos + distances) * pos_f, min=0.0)
    neg_weights = torch.clamp((optim_neg - distances) * neg_f, min=0.0)
    pos_terms = -1 * gamma * pos_weights * (delta_pos - distances)
    neg_terms = gamma * neg_weights * (delta_neg - distances)
    minus_inf = torch.tensor(float("-inf"), dtype=distances.dtype, device=distances.device)
    p_loss = torch.logsumexp(torch.where(positive, pos_terms, minus_inf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_terms, minus_inf), dim=1)
    loss = F.softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0
    return loss


def ctc(y_true, y_pred):
    """Connectionist Temporal Classification loss per sample.

    The negative log-likelihood of the label sequence under all alignments of
    the predicted frames; every sequence uses all `time` steps and class 0 is
    the blank and padding index.

    Args:
        y_true: integer labels, shape `(batch, max_label_length)`, padded with 0.
        y_pred: logits (not softmax-normalised), shape `(batch, time, num_classes)`.

    Returns:
        A tensor of per-sample values.
    """
    if not isinstance(y_pred, torch.Tensor):
        y_pred = convert_to_tensor(y_pred)
    if not isinstance(y_true, torch.Tensor):
        y_true = convert_to_tensor(y_true)
    if y_true.dim() != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape "
                         "`(batch_size, max_length)` in integer format. "
                         f"Received: y_true.shape={tuple(y_true.shape)}")
    if y_pred.dim() != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape "
                         "`(batch_size, max_length, num_classes)`. "
                         f"Received: y_pred.shape={tuple(y_pred.shape)}")
    mask_index = 0
    batch, time = y_pred.shape[0], y_pred.shape[1]
    input_length = torch.full((batch,), time, dtype=torch.int32, device=y_pred.device)
    label_length = torch.sum(y_true != mask_index, dim=-1).to(torch.int32)
    return nn_ops.ctc_loss._raw(y_true, y_pred, label_length, input_length,
                                mask_index=mask_index)


# -- classes ---------------------------------------------------------------
class Dice(LossFunctionWrapper):
    """Dice loss between labels and predictions (segmentation overlap).

    Args:
        reduction: "sum_over_batch_size" (default), "sum", "mean",
            "mean_with_sample_weight", "none" or None.
        name: name of the loss.
        axis: axis or axes the overlap is summed over; None sums over all
            axes and gives one value for the batch.
        dtype: dtype of the computation.

    Example:
    >>> loss = keras.losses.Dice()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.7333
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        axis = _check_sum_axis(axis)
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"axis": self.axis})
        return config_


class Tversky(LossFunctionWrapper):
    """Tversky loss: a Dice loss weighting false positives and false negatives separately.

    Tversky loss: Dice with separate weights for false positives (`alpha`)
    and false negatives (`beta`).

    Args:
        alpha: weight of false positives.
        beta: weight of false negatives.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).
        axis: axis or axes the counts are summed over (None: all).

    Example:
    >>> loss = keras.losses.Tversky()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.7333
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        _check_number(alpha, "alpha")
        _check_number(beta, "beta")
        axis = _check_sum_axis(axis)
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"alpha": self.alpha, "beta": self.beta, "axis": self.axis})
        return config_


class Circle(LossFunctionWrapper):
    """Circle loss for metric learning on L2-normalised embeddings.

    Args:
        gamma: scaling factor of the similarity terms.
        margin: relaxation margin (optima at `1 + margin` / `-margin`).
        remove_diagonal: exclude each sample's pair with itself from the positives.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        _check_number(gamma, "gamma")
        _check_number(margin, "margin")
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        config_ = Loss.get_config(self)
        config_.update({"gamma": self.gamma, "margin": self.margin,
                        "remove_diagonal": self.remove_diagonal})
        return config_


class CTC(LossFunctionWrapper):
    """Connectionist Temporal Classification loss.

    Per sample the CTC negative log-likelihood of the label sequence (see
    `keras.losses.ctc`): `y_true` holds integer labels `(batch, max_label_length)`
    padded with 0 (the blank index), `y_pred` logits `(batch, time, num_classes)`.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)

