"""`Mean`, `Sum` and `MeanMetricWrapper`, with Keras' weighting rules.

Hot path (a torch tensor, no sample weights): detach, at most one cast, one
or two reductions and two in-place adds; nothing leaves the device.
"""

import torch

from torkeras.losses.loss import apply_mask, squeeze_or_expand_to_same_rank
from torkeras.metrics.metric import Metric
from torkeras.ops.core import convert_to_tensor


def _as_values(values, torch_dtype):
    if isinstance(values, torch.Tensor):
        values = values.detach()
    else:
        values = convert_to_tensor(values)
    return values if values.dtype == torch_dtype else values.to(torch_dtype)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, torch_dtype):
    """Per-sample values and weights as `Mean` and `Sum` accumulate them.

    The values are reduced (with `reduce_fn`) to the rank of the weights,
    multiplied by the broadcast weights, then reduced to one value per sample;
    the weights are reduced to one per sample too.

    Args:
        values: a tensor of values, shape `(batch, ...)`.
        sample_weight: optional weights broadcastable to `values`, or None.
        reduce_fn: the reduction, `torch.mean` or `torch.sum`.
        torch_dtype: the torch dtype the weights are converted to.

    Returns:
        The pair `(values, sample_weight)`.
    """
    if sample_weight is not None:
        sample_weight = _as_values(sample_weight, torch_dtype)
        if sample_weight.device != values.device:
            sample_weight = sample_weight.to(values.device)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        w_ndim, v_ndim = sample_weight.dim(), values.dim()
        if v_ndim > w_ndim:
            values = reduce_fn(values, dim=tuple(range(w_ndim, v_ndim)))
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if w_ndim > 1:
            sample_weight = reduce_fn(sample_weight, dim=tuple(range(1, w_ndim)))
    if values.dim() > 1:
        values = reduce_fn(values, dim=tuple(range(1, values.dim())))
    return values, sample_weight


def _div_no_nan(a, b):
    return torch.where(b == 0, torch.zeros_like(a), a / b)


class Mean(Metric):
    """The (weighted) mean of the values seen: `total / count`.

    `update_state(values, sample_weight=None)` adds the values to `total` (values
    of rank > 1 are first averaged to one per sample) and the number of samples
    (or the sum of the weights) to `count`; `result()` is `total / count` (0 when
    nothing was counted).

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.Mean()
    >>> m.update_state([1.0, 3.0, 5.0])
    >>> float(m.result())
    3.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        values = _as_values(values, self._torch_dtype)
        total = self.total.value
        if total.device != values.device:
            self._to_device(values.device)
            total = self.total.value
        count = self.count.value
        if sample_weight is None:
            ndim = values.dim()
            if ndim == 0:
                total.add_(values)
                count.add_(1)
                return
            if ndim > 1:
                values = torch.mean(values, dim=tuple(range(1, ndim)))
            total.add_(torch.sum(values))
            count.add_(values.shape[0])
            return
        if type(sample_weight) in (int, float):
            # A scalar weight weights the mean of the whole batch (Keras rule).
            total.add_((torch.mean(values) if values.dim() else values) * sample_weight)
            count.add_(sample_weight)
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, torch.mean,
                                                            self._torch_dtype)
        total.add_(torch.sum(values))
        if sample_weight is not None:
            count.add_(torch.sum(sample_weight))
        elif values.dim() >= 1:
            count.add_(values.shape[0])
        else:
            count.add_(1)

    def result(self):
        return _div_no_nan(self.total.value, self.count.value)


class Sum(Metric):
    """The (weighted) sum of the values seen.

    `update_state(values, sample_weight=None)` adds `sum(values * sample_weight)`
    to a single `total` variable; `result()` returns it.

    Args:
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.

    Example:
    >>> m = keras.metrics.Sum()
    >>> m.update_state([1.0, 3.0, 5.0])
    >>> float(m.result())
    9.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values = _as_values(values, self._torch_dtype)
        total = self.total.value
        if total.device != values.device:
            self._to_device(values.device)
            total = self.total.value
        if sample_weight is not None:
            values, _ = reduce_to_samplewise_values(values, sample_weight, torch.sum,
                                                    self._torch_dtype)
        total.add_(torch.sum(values))

    def result(self):
        return self.total.value.clone()


class MeanMetricWrapper(Mean):
    """A metric that averages a per-sample function `fn(y_true, y_pred, **kwargs)`.

    Each `update_state(y_true, y_pred, sample_weight=None)` evaluates `fn`; the
    values are averaged over the samples as `Mean` does. Entries masked in
    `y_pred` (its `_keras_mask`) count with weight 0. `compile(metrics=["mae"])`
    and other function names produce this wrapper.

    Args:
        fn: a callable `fn(y_true, y_pred, **kwargs)` returning per-sample values.
        name: name of the metric instance.
        dtype: dtype of the metric's state and result; None uses
            `keras.config.floatx()`.
        **kwargs: keyword arguments passed to `fn` on every call.

    Example:
    >>> m = keras.metrics.MeanMetricWrapper(keras.losses.mean_absolute_error)
    >>> float(m([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    # Built-in functions accept integer labels as they come; a user function
    # gets both inputs cast to the metric dtype, as in Keras.
    _cast_y_true = True

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = self._torch_dtype
        # Masked predictions count with weight 0 (Keras); read before detach().
        mask = getattr(y_pred, "_keras_mask", None)
        if isinstance(y_pred, torch.Tensor):
            y_pred = y_pred.detach()
            if y_pred.dtype != dt:
                y_pred = y_pred.to(dt)
        else:
            y_pred = convert_to_tensor(y_pred, dtype=dt)
        if isinstance(y_true, torch.Tensor):
            y_true = y_true.detach()
            if self._cast_y_true and y_true.dtype != dt:
                y_true = y_true.to(dt)
        else:
            y_true = convert_to_tensor(y_true, dtype=dt)
        if y_true.device != y_pred.device:
            y_true = y_true.to(y_pred.device)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            if sample_weight is not None:
                sample_weight = _as_values(sample_weight, dt)
            sample_weight = apply_mask(sample_weight, mask, dt, reduction="sum")
        Mean.update_state(self, values, sample_weight=sample_weight)

    def get_config(self):
        config_ = {"name": self.name, "dtype": self.dtype}
        config_.update(self._fn_kwargs)
        if type(self) is MeanMetricWrapper:
            config_["fn"] = getattr(self._fn, "__name__", None)
        return config_

    @classmethod
    def from_config(cls, config_):
        config_ = dict(config_)
        if cls is MeanMetricWrapper and "fn" in config_:
            fn = config_.pop("fn")
            if isinstance(fn, str):
                from torkeras.metrics import _function_by_name
                fn = _function_by_name(fn)
            return cls(fn, **config_)
        return cls(**config_)
