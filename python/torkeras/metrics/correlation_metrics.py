"""Correlation metrics (Pearson, concordance) and the R2 score.

`pearson_correlation` and `concordance_correlation` are computed per sample
along `axis` (population statistics, ddof = 0) and averaged over samples by
the metric classes, as in Keras 3. `R2Score` streams sums over the batch
axis and computes the coefficient of determination per output column.
"""

import warnings

import torch

from torkeras import config
from torkeras.losses.loss import squeeze_or_expand_to_same_rank
from torkeras.metrics.iou_metrics import _to_tensor
from torkeras.metrics.metric import Metric
from torkeras.metrics.reduction_metrics import MeanMetricWrapper
from torkeras.ops.core import _floatx, convert_to_tensor


def _pair(y_true, y_pred):
    if not isinstance(y_pred, torch.Tensor):
        y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_floatx())
    if not isinstance(y_true, torch.Tensor):
        y_true = convert_to_tensor(y_true)
    y_true = y_true.to(dtype=y_pred.dtype, device=y_pred.device)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _check_axis(axis):
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise ValueError(f"Argument `axis` must be an integer; received axis={axis!r}")
    return axis


def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient of labels and predictions along an axis.

    Both are centred and divided by their (population) standard deviation along
    `axis`; the result is the mean of their product.

    Args:
        y_true: the labels.
        y_pred: the predictions, same shape.
        axis: the axis the correlation is computed along (default -1).

    Returns:
        A tensor with `axis` reduced.

    Example:
    >>> r = keras.metrics.pearson_correlation(np.array([[1.0, 2.0, 3.0]]),
    ...                                       np.array([[2.0, 4.0, 7.0]]))
    >>> [round(v, 4) for v in r.tolist()]
    [0.9934]
    """
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    y_true_norm = y_true - torch.mean(y_true, dim=axis, keepdim=True)
    y_pred_norm = y_pred - torch.mean(y_pred, dim=axis, keepdim=True)
    y_true_norm = y_true_norm / torch.std(y_true_norm, dim=axis, keepdim=True, correction=0)
    y_pred_norm = y_pred_norm / torch.std(y_pred_norm, dim=axis, keepdim=True, correction=0)
    return torch.mean(y_true_norm * y_pred_norm, dim=axis)


def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient of labels and predictions.

    `2 * cov / (var_true + var_pred + (mean_true - mean_pred)**2 + epsilon)`
    along `axis`, with the covariance term centring `y_true` on the mean of
    `y_pred` (Keras 3's formula).

    Args:
        y_true: the labels.
        y_pred: the predictions, same shape.
        axis: the axis the coefficient is computed along (default -1).

    Returns:
        A tensor with `axis` reduced.

    Example:
    >>> c = keras.metrics.concordance_correlation(np.array([[1.0, 2.0, 3.0]]),
    ...                                           np.array([[1.0, 2.0, 4.0]]))
    >>> [round(v, 4) for v in c.tolist()]
    [0.8571]
    """
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    y_true_mean = torch.mean(y_true, dim=axis, keepdim=True)
    y_pred_mean = torch.mean(y_pred, dim=axis, keepdim=True)
    y_true_var = torch.var(y_true - y_true_mean, dim=axis, keepdim=True, correction=0)
    y_pred_var = torch.var(y_pred - y_pred_mean, dim=axis, keepdim=True, correction=0)
    covar = (y_true - y_pred_mean) * (y_pred - y_pred_mean)
    norm = y_true_var + y_pred_var + torch.square(y_true_mean - y_pred_mean)
    return torch.mean(2 * covar / (norm + config.epsilon()), dim=axis)


class PearsonCorrelation(MeanMetricWrapper):
    """The mean over samples of the Pearson correlation of labels and predictions.

    Per sample `keras.metrics.pearson_correlation(y_true, y_pred, axis)`, then
    averaged over all samples seen since the last `reset_state()`.

    Args:
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        axis: the axis the correlation is computed along (default -1).

    Example:
    >>> m = keras.metrics.PearsonCorrelation()
    >>> round(float(m([[1.0, 2.0, 3.0]], [[2.0, 4.0, 6.0]])), 4)
    1.0
    """

    _cast_y_true = False

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        _check_axis(axis)
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class ConcordanceCorrelation(MeanMetricWrapper):
    """The mean over samples of Lin's concordance correlation of labels and predictions.

    Per sample `keras.metrics.concordance_correlation(y_true, y_pred, axis)`,
    then averaged over all samples seen since the last `reset_state()`. Unlike
    the Pearson correlation it also penalises differences of mean and scale.

    Args:
        name: name of the metric instance.
        dtype: dtype of the state and the result.
        axis: the axis the coefficient is computed along (default -1).

    Example:
    >>> m = keras.metrics.ConcordanceCorrelation()
    >>> round(float(m(np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 4.0]]))), 4)
    0.8571
    """

    _cast_y_true = False

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        _check_axis(axis)
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """Coefficient of determination (R2) of regression predictions.

    Coefficient of determination, `1 - SS_res / SS_tot`, per output column,
    optionally adjusted for the number of regressors.

    Args:
        class_aggregation: "uniform_average" (mean of the column scores),
            "variance_weighted_average" (weighted by each column's variance)
            or None (one score per column).
        num_regressors: number of independent regressors of the adjusted R2
            (0: the plain R2 score).
        name: name of the metric.
        dtype: dtype of the state and the result.

    Inputs are 2-D, (batch_size, output_dim).

    Example:
    >>> m = keras.metrics.R2Score()
    >>> round(float(m(np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [2.5], [2.5]]))), 4)
    0.75
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{_AGGREGATIONS}. Received: class_aggregation={class_aggregation!r}")
        if isinstance(num_regressors, bool) or not isinstance(num_regressors, int):
            raise ValueError("Invalid value for argument `num_regressors`. Expected an "
                             f"integer >= 0. Received: num_regressors={num_regressors!r}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        shape = (int(y_pred_shape[-1]),)
        self.squared_sum = self.add_variable(shape, "zeros", name="squared_sum")
        self.sum = self.add_variable(shape, "zeros", name="sum")
        self.total_mse = self.add_variable(shape, "zeros", name="residual")
        self.count = self.add_variable(shape, "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted sums (sample_weight: per row, or per entry)."""
        dt = self._torch_dtype
        y_pred = _to_tensor(y_pred, dt)
        y_true = _to_tensor(y_true, dt, y_pred.device)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.num_samples.value.device != y_pred.device:
            self._to_device(y_pred.device)
        if sample_weight is None:
            sample_weight = torch.ones((), dtype=dt, device=y_pred.device)
        else:
            sample_weight = _to_tensor(sample_weight, dt, y_pred.device)
        if sample_weight.dim() == 1:
            sample_weight = sample_weight.unsqueeze(1)
        sample_weight = torch.broadcast_to(sample_weight, y_true.shape)
        weighted_y_true = y_true * sample_weight
        with torch.no_grad():
            self.sum.value.add_(torch.sum(weighted_y_true, dim=0))
            self.squared_sum.value.add_(torch.sum(y_true * weighted_y_true, dim=0))
            self.total_mse.value.add_(torch.sum((y_true - y_pred) ** 2 * sample_weight, dim=0))
            self.count.value.add_(torch.sum(sample_weight, dim=0))
            self.num_samples.value.add_(y_true.numel())

    def result(self):
        if not self._built:
            raise ValueError("R2Score.result() needs at least one update_state() call: the "
                             "number of outputs is not known yet")
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw_scores = 1 - self.total_mse.value / total
        raw_scores = torch.where(torch.isinf(raw_scores), torch.zeros_like(raw_scores),
                                 raw_scores)
        if self.class_aggregation == "uniform_average":
            score = torch.mean(raw_scores)
        elif self.class_aggregation == "variance_weighted_average":
            score = torch.sum(total * raw_scores) / torch.sum(total)
        else:
            score = raw_scores
        if self.num_regressors != 0:
            num_samples = float(self.num_samples.value)
            if self.num_regressors > num_samples - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif self.num_regressors == num_samples - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to "
                              "standard R2 score.", stacklevel=2)
            else:
                n = self.num_samples.value.to(torch.float32)
                p = float(self.num_regressors)
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
        return score

    def reset_state(self):
        with torch.no_grad():
            for v in self.variables:
                v.value.zero_()

    def get_config(self):
        config_ = super().get_config()
        config_.update({"class_aggregation": self.class_aggregation,
                        "num_regressors": self.num_regressors})
        return config_
