"""The `Loss` base class and Keras' weighting/reduction rules."""

import torch

from torkeras import config, dtypes, naming
from torkeras.ops.core import convert_to_tensor

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction):
    """Checks a loss reduction name.

    Args:
        reduction: one of "sum_over_batch_size", "sum", "mean",
            "mean_with_sample_weight", "none" or None.

    Returns:
        `reduction` unchanged.

    Raises:
        ValueError: for any other value.
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`: {reduction!r}. "
                         f"Expected one of {_REDUCTIONS}")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes the ranks of two tensors agree when they differ by a trailing axis of size 1.

    The tensor with the extra size-1 axis is squeezed, except when the other one
    has rank 1 and `expand_rank_1` is true: then the rank-1 tensor gets a
    trailing axis instead. Tensors whose ranks are equal or differ otherwise are
    returned unchanged.

    Args:
        x1: a tensor.
        x2: a tensor.
        expand_rank_1: expand a rank-1 tensor rather than squeeze the other one.

    Returns:
        The pair `(x1, x2)`, possibly reshaped.
    """
    r1, r2 = x1.dim(), x2.dim()
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def _as_tensor(x, torch_dtype):
    if type(x) is torch.Tensor or isinstance(x, torch.Tensor):
        return x if x.dtype == torch_dtype else x.to(torch_dtype)
    return convert_to_tensor(x, dtype=torch_dtype)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the weights; for the averaging reductions the
    mask is rescaled so that the result is the mean over valid entries."""
    if mask is None:
        return sample_weight
    mask = mask.to(dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        # Valid entries weigh total / valid (0 when nothing is valid), so the
        # mean runs over the valid entries only.
        total = mask.numel()
        valid = torch.sum(mask)
        weight = torch.where(valid == 0, torch.zeros_like(valid),
                             total / torch.where(valid == 0, torch.ones_like(valid), valid))
        mask = mask * weight
    if sample_weight is None:
        return mask
    sample_weight = sample_weight.to(dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def _broadcastable(a, b):
    for da, db in zip(reversed(tuple(a)), reversed(tuple(b))):
        if da != db and da != 1 and db != 1:
            return False
    return True


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces (already weighted) loss values.

    "sum" sums; "sum_over_batch_size" and "mean" divide the sum by the number of
    values; "mean_with_sample_weight" divides it by the sum of `sample_weight`
    (0 when that sum is 0); "none"/None, scalars and empty values are returned
    as they are.

    Args:
        values: the loss values, a tensor.
        sample_weight: the weights already applied to `values` (only read by
            "mean_with_sample_weight").
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).

    Returns:
        A scalar tensor, or `values` for no reduction.
    """
    if reduction is None or reduction == "none" or values.dim() == 0 \
            or tuple(values.shape) == (0,):
        return values
    loss = torch.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = torch.sum(sample_weight).to(loss.dtype)
            loss = torch.where(divisor == 0, torch.zeros_like(loss),
                               loss / torch.where(divisor == 0, torch.ones_like(divisor),
                                                  divisor))
        else:
            n = values.numel()
            loss = loss / n if n else torch.zeros_like(loss)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weights per-sample loss values and reduces them as Keras losses do.

    The mask (if any) is folded into the weights, rescaled for the averaging
    reductions so that the mean runs over the valid entries only; the weights
    multiply the values (ranks aligned first) and `reduce_values()` reduces.

    Args:
        values: per-sample loss values.
        sample_weight: optional weights, broadcastable to `values`.
        mask: optional boolean mask of the valid entries.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Returns:
        A scalar tensor, or the weighted values for no reduction.
    """
    reduction = standardize_reduction(reduction)
    torch_dtype = dtypes.to_torch(dtype)
    values = _as_tensor(values, torch_dtype)
    if sample_weight is not None:
        sample_weight = _as_tensor(sample_weight, torch_dtype)
    sample_weight = apply_mask(sample_weight, mask, torch_dtype, reduction)
    if sample_weight is not None:
        if sample_weight.dtype != values.dtype:
            sample_weight = sample_weight.to(values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        # Where plain broadcasting fails (Keras would raise), per-sample
        # weights of a (batch, ...) loss apply across the trailing axes.
        if not _broadcastable(values.shape, sample_weight.shape):
            while sample_weight.dim() < values.dim() and sample_weight.dim() >= 1 \
                    and sample_weight.shape[0] == values.shape[0]:
                sample_weight = sample_weight.unsqueeze(-1)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


class Loss:
    """Base class of losses.

    A subclass implements `call(y_true, y_pred)`, returning per-sample values;
    calling the loss object `loss(y_true, y_pred, sample_weight=None)` converts
    the inputs to the loss dtype, applies `sample_weight` and the mask of
    `y_pred` (if any) and reduces by `reduction`. Override `get_config()` when
    `__init__` takes extra arguments.

    Args:
        name: name of the loss instance (default: the snake-case class name).
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> class MyMSE(keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return keras.ops.mean((y_true - y_pred) ** 2, axis=-1)
    >>> round(float(MyMSE()([[0.0, 1.0]], [[1.0, 1.0]])), 4)
    0.5
    """

    # Keras converts y_true to the loss dtype; losses that only use integer
    # labels (sparse crossentropy) skip that round trip for tensors.
    _cast_y_true = True

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.auto_name(naming.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        if isinstance(dtype, dict):
            dtype = dtype.get("config", {}).get("name")
        self._dtype = dtypes.name_of(dtype) if dtype is not None else config.floatx()
        self._torch_dtype = dtypes.to_torch(self._dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        torch_dtype = self._torch_dtype
        # As in Keras, the mask of the predictions (e.g. from Embedding(mask_zero=True))
        # excludes masked entries; it is read before a dtype conversion drops it.
        in_mask = getattr(y_pred, "_keras_mask", None)
        y_pred = _convert_structure(y_pred, torch_dtype)
        if self._cast_y_true or not isinstance(y_true, torch.Tensor):
            y_true = _convert_structure(y_true, torch_dtype)
        values = self.call(y_true, y_pred)
        mask = getattr(values, "_keras_mask", None)
        if in_mask is not None:
            mask = in_mask if mask is None else (in_mask & mask)
        if type(values) is not torch.Tensor:
            values = _as_tensor(values, torch_dtype)
        elif values.dtype != torch_dtype:
            values = values.to(torch_dtype)
        if sample_weight is None and mask is None:
            # Fast path: the default reduction without weights.
            reduction = self.reduction
            if reduction is None or reduction == "none" or values.dim() == 0:
                return values
            loss = torch.sum(values)
            if reduction == "sum":
                return loss
            n = values.numel()
            return loss / n if n else torch.zeros_like(loss)
        return reduce_weighted_values(values, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=torch_dtype)

    def call(self, y_true, y_pred):
        """The per-sample loss values for a batch (implemented by subclasses).

        Args:
            y_true: the targets.
            y_pred: the predictions.

        Returns:
            A tensor of per-sample (or per-element) values, weighted and reduced
            by `__call__`.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def get_config(self):
        """The loss's configuration: a JSON-compatible dict of its constructor arguments."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config_):
        """Builds a loss from the dict `get_config()` returned.

        Args:
            config_: the configuration dict.
        """
        return cls(**config_)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, reduction={self.reduction}>"


def _convert_structure(x, torch_dtype):
    if isinstance(x, torch.Tensor):
        # Integer targets stay integers here only when already tensors of the
        # loss dtype family; Keras converts everything to the loss dtype.
        return x if x.dtype == torch_dtype else x.to(torch_dtype)
    if isinstance(x, dict):
        return {k: _convert_structure(v, torch_dtype) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and x and isinstance(x[0], (torch.Tensor, dict)):
        return type(x)(_convert_structure(v, torch_dtype) for v in x)
    return convert_to_tensor(x, dtype=torch_dtype)
