"""Regression and probabilistic metrics (Mean wrappers around the loss functions)."""

import torch

from torkeras import losses
from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.accuracy_metrics import _Builtin
from torkeras.metrics.reduction_metrics import Mean, _div_no_nan
from torkeras.ops.core import convert_to_tensor


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine of the angle between labels and predictions, per sample.

    `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`: 1 for vectors
    pointing the same way (the negative of the cosine similarity loss).

    Args:
        y_true: the labels.
        y_pred: the predictions, same shape.
        axis: the axis along which the similarity is computed.

    Returns:
        A tensor of per-sample values.

    Example:
    >>> c = keras.metrics.cosine_similarity(np.array([[1.0, 0.0]]),
    ...                                     np.array([[1.0, 1.0]]))
    >>> [round(v, 4) for v in c.tolist()]
    [0.7071]
    """
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


def _wrapper(class_name, fn, default_name, summary, formula, example_value=None):
    def __init__(self, name=default_name, dtype=None):
        _Builtin.__init__(self, fn, name=name, dtype=dtype)

    doc = _WRAPPER_DOC.format(summary=summary, formula=formula, default_name=default_name)
    if example_value is not None:
        doc += _WRAPPER_EXAMPLE.format(class_name=class_name, value=example_value)
    return type(class_name, (_Builtin,), {"__init__": __init__, "__module__": __name__,
                                          "__doc__": doc})


_WRAPPER_DOC = """{summary}

Per sample `{formula}`; the values are averaged over all samples seen since
the last `reset_state()` (weighted by `sample_weight` when given).

Args:
    name: name of the metric instance (default "{default_name}").
    dtype: dtype of the metric's state and result; None uses
        `keras.config.floatx()`.
"""

# Two samples of two values each, the same for every wrapper's example.
_WRAPPER_EXAMPLE = """
Example:
>>> m = keras.metrics.{class_name}()
>>> round(float(m([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
{value}
"""


MeanSquaredError = _wrapper("MeanSquaredError", losses.mean_squared_error, "mean_squared_error",
                            'The mean squared error between labels and predictions.',
                            'mean(square(y_true - y_pred), axis=-1)',
                            '0.31')
MeanAbsoluteError = _wrapper("MeanAbsoluteError", losses.mean_absolute_error,
                             "mean_absolute_error",
                             'The mean absolute error between labels and predictions.',
                             'mean(abs(y_true - y_pred), axis=-1)',
                             '0.55')
MeanAbsolutePercentageError = _wrapper("MeanAbsolutePercentageError",
                                       losses.mean_absolute_percentage_error,
                                       "mean_absolute_percentage_error",
                                       'The mean absolute percentage error between labels and '
                                       'predictions.',
                                       '100 * mean(abs((y_true - y_pred) / y_true), axis=-1)')
MeanSquaredLogarithmicError = _wrapper("MeanSquaredLogarithmicError",
                                       losses.mean_squared_logarithmic_error,
                                       "mean_squared_logarithmic_error",
                                       'The mean squared logarithmic error between labels and '
                                       'predictions.',
                                       'mean(square(log(y_pred + 1) - log(y_true + 1)), axis=-1)',
                                       '0.1706')
LogCoshError = _wrapper("LogCoshError", losses.log_cosh, "logcosh",
                        'The mean logarithm of the hyperbolic cosine of the prediction error.',
                        'mean(log(cosh(y_pred - y_true)), axis=-1)',
                        '0.1471')
Hinge = _wrapper("Hinge", losses.hinge, "hinge",
                 'The mean hinge loss between labels (-1 or 1) and predictions.',
                 'mean(maximum(1 - y_true * y_pred, 0), axis=-1)',
                 '1.3')
SquaredHinge = _wrapper("SquaredHinge", losses.squared_hinge, "squared_hinge",
                        'The mean squared hinge loss between labels (-1 or 1) and predictions.',
                        'mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)',
                        '1.86')
CategoricalHinge = _wrapper("CategoricalHinge", losses.categorical_hinge, "categorical_hinge",
                            'The mean categorical hinge loss between one-hot labels and predictions.',
                            'maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)',
                            '1.4')
KLDivergence = _wrapper("KLDivergence", losses.kl_divergence, "kl_divergence",
                        'The mean Kullback-Leibler divergence between labels and predictions.',
                        'sum(y_true * log(y_true / y_pred), axis=-1)',
                        '0.4581')
Poisson = _wrapper("Poisson", losses.poisson, "poisson",
                   'The mean Poisson loss between counts and predicted rates.',
                   'mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)',
                   '0.7291')


class CosineSimilarity(_Builtin):
    """The cosine similarity between labels and predictions.

    Per sample `sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)`, in [-1, 1].
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        axis: the axis along which the similarity is computed (default -1).

    Example:
    >>> m = keras.metrics.CosineSimilarity()
    >>> round(float(m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 4)
    0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean squared error.

    `sqrt(sum(w * (y_pred - y_true)**2) / sum(w))` over all elements and samples
    seen since the last `reset_state()`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.RootMeanSquaredError()
    >>> float(m([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]))
    0.5
    """

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
    """The mean binary cross-entropy between labels and predictions.

    Per sample `keras.losses.binary_crossentropy(y_true, y_pred)`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets move towards 0.5.

    Example:
    >>> m = keras.metrics.BinaryCrossentropy()
    >>> round(float(m([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.8149
    """

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(_Builtin):
    """The mean categorical cross-entropy between one-hot labels and predictions.

    Per sample `keras.losses.categorical_crossentropy(y_true, y_pred)`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: float in [0, 1]; targets become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: the class axis (default -1).

    Example:
    >>> m = keras.metrics.CategoricalCrossentropy()
    >>> round(float(m([[0.0, 1.0], [1.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.9163
    """

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_Builtin):
    """The mean cross-entropy between integer labels and predictions.

    Per sample `keras.losses.sparse_categorical_crossentropy(y_true, y_pred)`.
    The per-sample values are averaged over all samples seen since the last
    `reset_state()` (weighted by `sample_weight` when given).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: optional class id whose entries are not counted.
        axis: the class axis of `y_pred` (default -1).

    Example:
    >>> m = keras.metrics.SparseCategoricalCrossentropy()
    >>> round(float(m([1, 0], [[0.6, 0.4], [0.4, 0.6]])), 4)
    0.9163
    """

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
