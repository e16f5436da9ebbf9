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
    """Binary cross-entropy of every element, without any averaging.

    With probabilities, `output` is clipped to `[epsilon, 1 - epsilon]` and the
    value is `-(target * log(output) + (1 - target) * log(1 - output))`; with
    logits the numerically stable `max(x, 0) - x * target + log1p(exp(-|x|))` is
    used. Targets outside [0, 1] follow the same formula.

    Args:
        target: target values, a float tensor.
        output: predictions (probabilities or logits), same shape as `target`.
        from_logits: whether `output` holds logits.

    Returns:
        A tensor of the shape of `target`.
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
    """Mean squared error per sample.

    `loss = mean(square(y_true - y_pred), axis=-1)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).

    Example:

    >>> import numpy as np
    >>> loss = keras.losses.mean_squared_error(np.array([[0., 1.]]), np.array([[1., 1.]]))
    >>> [round(float(v), 4) for v in loss]
    [0.5]
    """
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean absolute error per sample.

    `loss = mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).

    Example:

    >>> import numpy as np
    >>> loss = keras.losses.mean_absolute_error(np.array([[0., 1.]]), np.array([[1., 3.]]))
    >>> [round(float(v), 4) for v in loss]
    [1.5]
    """
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error per sample.

    `loss = 100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=_eps()))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error per sample.

    `loss = mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)`
    with `eps = keras.config.epsilon()`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    eps = _eps()
    first = torch.log(torch.clamp(y_pred, min=eps) + 1.0)
    second = torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(first - second), dim=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity between labels and predictions.

    Both are L2-normalised along `axis`, then `loss = -sum(y_true * y_pred, axis)`:
    -1 for vectors pointing the same way, 0 for orthogonal ones, 1 for opposite ones.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.
        axis: the axis along which the similarity is computed (default -1).

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = nn_ops.normalize(y_true, axis=axis)
    y_pred = nn_ops.normalize(y_pred, axis=axis)
    return -torch.sum(y_true * y_pred, dim=axis)


def huber(y_true, y_pred, delta=1.0):
    """Huber loss per sample: quadratic for small errors, linear for large ones.

    With `x = y_pred - y_true`, each element is `0.5 * x**2` where `|x| <= delta`
    and `delta * |x| - 0.5 * delta**2` elsewhere; the mean is taken over the last axis.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.
        delta: the error size where the loss turns from quadratic to linear (float).

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    delta = float(delta)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


def log_cosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the prediction error, per sample.

    `loss = mean(log(cosh(y_pred - y_true)), axis=-1)`, computed stably as
    `x + softplus(-2x) - log(2)`; about `x**2 / 2` for small and `|x| - log(2)`
    for large errors.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    x = y_pred - y_true
    log2 = 0.6931471805599453
    return torch.mean(x + torch.nn.functional.softplus(-2.0 * x) - log2, dim=-1)


def _hinge_labels(y_true):
    # Labels in {0, 1} become {-1, 1}; labels already in {-1, 1} stay.
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """Hinge loss per sample.

    `loss = mean(maximum(1 - y_true * y_pred, 0), axis=-1)`. Labels should be -1
    or 1; labels that are all 0 or 1 are converted to -1 / 1 first.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    """Squared hinge loss per sample.

    `loss = mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`. Labels that
    are all 0 or 1 are converted to -1 / 1 first.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss per sample (one-hot labels).

    `pos = sum(y_true * y_pred, axis=-1)`, `neg = max((1 - y_true) * y_pred, axis=-1)`
    and `loss = maximum(neg - pos + 1, 0)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence per sample.

    Both inputs are clipped to `[epsilon, 1]`, then
    `loss = sum(y_true * log(y_true / y_pred), axis=-1)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    y_true = torch.clamp(y_true, _eps(), 1.0)
    y_pred = torch.clamp(y_pred, _eps(), 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    """Poisson loss per sample.

    `loss = mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).
    """
    y_true, y_pred = _prep(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + _eps()), dim=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy per sample.

    Elementwise `-(y * log(p) + (1 - y) * log(1 - p))` (predictions clipped to
    `[epsilon, 1 - epsilon]`, or the stable logits formula), averaged over `axis`.

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis averaged over (default -1).

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).

    Example:

    >>> import numpy as np
    >>> loss = keras.losses.binary_crossentropy(np.array([[1., 0.]]), np.array([[0.5, 0.5]]))
    >>> [round(float(v), 4) for v in loss]
    [0.6931]
    """
    y_true, y_pred = _prep(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    # By the formula for any target (also outside [0, 1]), as Keras's
    # TensorFlow and JAX backends compute it.
    return torch.mean(elementwise_binary_crossentropy(y_true, y_pred, from_logits=from_logits),
                      dim=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy per sample (one-hot labels).

    `loss = -sum(y_true * log(p), axis)` where `p` is `y_pred` renormalised to sum
    to 1 along `axis` and clipped to `[epsilon, 1 - epsilon]` (or `softmax(y_pred)`
    with `from_logits=True`).

    Args:
        y_true: ground-truth values, shape `(batch, ..., d)`.
        y_pred: predicted values, same shape as `y_true`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: the class axis (default -1).

    Returns:
        A tensor of per-sample values, shape `(batch, ...)` (the last axis
        reduced).

    Example:

    >>> import numpy as np
    >>> loss = keras.losses.categorical_crossentropy(np.array([[0., 1.]]),
    ...                                              np.array([[0.2, 0.8]]))
    >>> [round(float(v), 4) for v in loss]
    [0.2231]
    """
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
    """Cross-entropy per sample for integer class labels.

    Equal to the categorical cross-entropy of the one-hot encoded labels:
    `loss = -log(p[label])` with `p` the (renormalised, clipped) predictions or
    `softmax(y_pred)` for logits.

    Args:
        y_true: integer class ids, shape `(batch, ...)` (or with a trailing axis of 1).
        y_pred: class probabilities or logits, shape `(batch, ..., num_classes)`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: optional class id whose entries get a loss of 0 and are
            excluded from the mean (e.g. a padding label).
        axis: the class axis of `y_pred` (default -1).

    Returns:
        A tensor of per-sample values, shape of `y_true` without the class axis.

    Example:
    >>> import numpy as np
    >>> loss = keras.losses.sparse_categorical_crossentropy(np.array([1]),
    ...                                                     np.array([[0.2, 0.8]]))
    >>> [round(float(v), 4) for v in loss]
    [0.2231]
    """
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
    """A `Loss` computed by a per-sample function `fn(y_true, y_pred, **kwargs)`.

    The function's values are weighted and reduced by the `Loss` rules.
    `compile(loss="mse")` and other function names produce this wrapper.

    Args:
        fn: a callable `fn(y_true, y_pred, **kwargs)` returning per-sample values.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).
        **kwargs: keyword arguments passed to `fn` on every call (saved in the config).
    """

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
                           """Mean of the squared differences between labels and predictions.

    Per sample `mean(square(y_true - y_pred), axis=-1)`, then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> mse = keras.losses.MeanSquaredError()
    >>> round(float(mse(np.array([[0., 1.], [0., 0.]]), np.array([[1., 1.], [1., 0.]]))), 4)
    0.5
""")
MeanAbsoluteError = _simple("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                            """Mean of the absolute differences between labels and predictions.

    Per sample `mean(abs(y_true - y_pred), axis=-1)`, then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> mae = keras.losses.MeanAbsoluteError()
    >>> round(float(mae(np.array([[0., 1.], [0., 0.]]), np.array([[1., 1.], [1., 0.]]))), 4)
    0.5
""")
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", """Mean absolute percentage error between labels and predictions.

    Per sample `100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`,
    then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.MeanAbsolutePercentageError()
    >>> round(float(loss([[1.0, 2.0]], [[1.5, 1.5]])), 4)
    37.5
""")
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", """Mean squared logarithmic error between labels and predictions.

    Per sample `mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)` (both
    clipped below at epsilon first), then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.MeanSquaredLogarithmicError()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.1706
""")
LogCosh = _simple("LogCosh", log_cosh, "log_cosh", """Logarithm of the hyperbolic cosine of the prediction error.

    Per sample `mean(log(cosh(y_pred - y_true)), axis=-1)`: about `x**2 / 2` for
    small errors and `|x| - log(2)` for large ones, then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.LogCosh()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.1471
""")
Hinge = _simple("Hinge", hinge, "hinge", """Hinge loss between labels (-1 or 1) and predictions.

    Per sample `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; labels that are
    all 0 or 1 are converted to -1 / 1 first.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.Hinge()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.3
""")
SquaredHinge = _simple("SquaredHinge", squared_hinge, "squared_hinge",
                       """Squared hinge loss between labels (-1 or 1) and predictions.

    Per sample `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; labels
    that are all 0 or 1 are converted to -1 / 1 first.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.SquaredHinge()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.86
""")
CategoricalHinge = _simple("CategoricalHinge", categorical_hinge, "categorical_hinge",
                           """Categorical hinge loss between one-hot labels and predictions.

    Per sample `maximum(neg - pos + 1, 0)` with `pos = sum(y_true * y_pred)` and
    `neg = max((1 - y_true) * y_pred)` over the last axis.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.CategoricalHinge()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    1.4
""")
KLDivergence = _simple("KLDivergence", kl_divergence, "kl_divergence",
                       """Kullback-Leibler divergence between label and prediction distributions.

    Per sample `sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to
    `[epsilon, 1]`, then reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.KLDivergence()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.4581
""")
Poisson = _simple("Poisson", poisson, "poisson", """Poisson loss between counts and predicted rates.

    Per sample `mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`, then
    reduced over the batch.

    Args:
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.Poisson()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.7291
""")


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions.

    Per sample `-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`, so
    minimising it makes the vectors point the same way; values lie in [-1, 1].

    Args:
        axis: the axis along which the similarity is computed (default -1).
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> loss = keras.losses.CosineSimilarity()
    >>> round(float(loss([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    -0.2774
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)


class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear for large ones.

    With `x = y_pred - y_true`, each element is `0.5 * x**2` where `|x| <= delta`
    and `delta * |x| - 0.5 * delta**2` elsewhere; per sample the mean over the
    last axis, then reduced over the batch.

    Args:
        delta: the error size where the loss turns from quadratic to linear.
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> loss = keras.losses.Huber(delta=1.0)
    >>> round(float(loss(np.array([[0.0, 0.0]]), np.array([[0.5, 3.0]]))), 4)
    1.3125
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy between true labels (0 or 1) and predictions.

    Elementwise `-(y * log(p) + (1 - y) * log(1 - p))` with `p` clipped to
    `[epsilon, 1 - epsilon]` (or the stable formula on logits), averaged over
    `axis` per sample, then reduced over the batch.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + 0.5 * label_smoothing`.
        axis: the axis averaged over (default -1).
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> bce = keras.losses.BinaryCrossentropy()
    >>> round(float(bce(np.array([[1.0], [0.0]]), np.array([[0.9], [0.2]]))), 4)
    0.1643
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical cross-entropy between one-hot labels and predictions.

    Per sample `-sum(y_true * log(p), axis)` with `p` the predictions renormalised
    along `axis` and clipped to `[epsilon, 1 - epsilon]` (or `softmax(y_pred)`
    with `from_logits=True`); then reduced over the batch. Use
    `SparseCategoricalCrossentropy` for integer labels.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: the class axis (default -1).
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> cce = keras.losses.CategoricalCrossentropy()
    >>> round(float(cce(np.array([[0., 1.], [1., 0.]]), np.array([[0.2, 0.8], [0.5, 0.5]]))), 4)
    0.4581
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer class labels and predicted class scores.

    The categorical cross-entropy of the one-hot encoded labels: per sample
    `-log(p[label])`, then reduced over the batch. `y_true` has shape
    `(batch, ...)` (or a trailing axis of size 1), `y_pred`
    `(batch, ..., num_classes)`.

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: optional class id to ignore (its entries count 0 and are
            excluded from the mean), e.g. a padding label.
        axis: the class axis of `y_pred` (default -1).
        reduction: how the per-sample values are reduced: "sum_over_batch_size"
            (default: the weighted sum divided by the number of values), "sum",
            "mean", "mean_with_sample_weight" (divides by the sum of the sample
            weights), "none" or None (no reduction).
        name: name of the loss instance.
        dtype: dtype of the loss computation; None uses
            `keras.config.floatx()` ("float32" by default).

    Example:
    >>> import numpy as np
    >>> scce = keras.losses.SparseCategoricalCrossentropy()
    >>> round(float(scce(np.array([1, 0]), np.array([[0.2, 0.8], [0.5, 0.5]]))), 4)
    0.4581
    """

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
