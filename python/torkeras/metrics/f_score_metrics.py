"""F-beta and F1 scores (Keras 3 semantics).

State: per-class (or, with average="micro", global) weighted counts of true
positives, false positives, false negatives and true labels, created on the
first `update_state` from the number of classes. Without `threshold`, the
highest score of each row is the predicted class (ties all count; scores at 0
never do); with `threshold`, every score above it is a positive.
"""

import torch

from torkeras import config
from torkeras.metrics.metric import Metric
from torkeras.metrics.iou_metrics import _to_tensor

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """F-beta score: `(1 + beta^2) * P * R / (beta^2 * P + R)`.

    Args:
        average: None (one score per class), "micro" (global counts),
            "macro" (unweighted mean of class scores) or "weighted" (mean
            weighted by the number of true labels per class).
        beta: weight of recall against precision; a float > 0.
        threshold: a float in (0, 1]; scores above it are positives. None:
            the row's highest score is the positive.
        name: name of the metric.
        dtype: dtype of the state and the result.

    Inputs are 2-D, (batch_size, num_classes).

    Example:
    >>> m = keras.metrics.FBetaScore(beta=2.0, average="micro")
    >>> round(float(m(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.9, 0.1], [0.6, 0.4]]))), 4)
    0.5
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in _AVERAGES:
            raise ValueError("Invalid `average` argument value. Expected one of: "
                             f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average!r}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta!r} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: "
                             f"beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold!r} of type "
                                 f"'{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape "
                             "(batch_size, output_dim). Received input shapes: "
                             f"y_pred.shape={tuple(y_pred_shape)} and "
                             f"y_true.shape={tuple(y_true_shape)}.")
        shape = () if self.average == "micro" else (int(y_pred_shape[-1]),)
        self.true_positives = self.add_variable(shape, "zeros", dtype=self.dtype,
                                                name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", dtype=self.dtype,
                                                 name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", dtype=self.dtype,
                                                 name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros", dtype=self.dtype,
                                                      name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Adds the batch's weighted counts (sample_weight: one weight per row)."""
        dt = self._torch_dtype
        y_pred = _to_tensor(y_pred, dt)
        y_true = _to_tensor(y_true, dt, y_pred.device)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.true_positives.value.device != y_pred.device:
            self._to_device(y_pred.device)
        if self.threshold is None:
            row_max = torch.amax(y_pred, dim=-1, keepdim=True)
            predicted = (y_pred >= row_max) & (torch.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.to(dt)
        if sample_weight is not None:
            sample_weight = _to_tensor(sample_weight, dt, y_pred.device)

        def weighted_sum(values):
            if sample_weight is not None:
                values = values * sample_weight.unsqueeze(1)
            return torch.sum(values) if self.axis is None else torch.sum(values, dim=self.axis)

        with torch.no_grad():
            self.true_positives.value.add_(weighted_sum(predicted * y_true))
            self.false_positives.value.add_(weighted_sum(predicted * (1 - y_true)))
            self.false_negatives.value.add_(weighted_sum((1 - predicted) * y_true))
            self.intermediate_weights.value.add_(weighted_sum(y_true))

    def result(self):
        if not self._built:
            raise ValueError(f"{type(self).__name__}.result() needs at least one "
                             "update_state() call: the number of classes is not known yet")
        eps = config.epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + eps)
        recall = tp / (tp + self.false_negatives.value + eps)
        beta2 = self.beta ** 2
        score = precision * recall / (beta2 * precision + recall + eps) * (1 + beta2)
        if self.average == "weighted":
            weights = self.intermediate_weights.value
            weights = weights / (torch.sum(weights) + eps)
            score = torch.sum(score * weights)
        elif self.average is not None:
            score = torch.mean(score)
        return score

    def reset_state(self):
        with torch.no_grad():
            for v in self.variables:
                v.value.zero_()

    def get_config(self):
        config_ = super().get_config()
        config_.update({"average": self.average, "beta": self.beta,
                        "threshold": self.threshold})
        return config_


class F1Score(FBetaScore):
    """F1 score: the harmonic mean of precision and recall.

    `2 * precision * recall / (precision + recall)` from true/false positive and
    false negative counts accumulated over batches (`FBetaScore` with `beta = 1`).
    Inputs are 2-D, `(batch_size, num_classes)`: one-hot (or multi-hot) labels and
    scores.

    Args:
        average: None (one score per class), "micro" (from the counts summed over
            the classes), "macro" (unweighted mean of the class scores) or
            "weighted" (mean weighted by the number of true labels per class).
        threshold: a float in (0, 1]; scores above it are positives. None: the
            highest score of each row is the positive.
        name: name of the metric instance.
        dtype: dtype of the state and the result.

    Example:
    >>> import numpy as np
    >>> m = keras.metrics.F1Score(average="micro")
    >>> round(float(m(np.array([[1., 0.], [0., 1.]]), np.array([[0.9, 0.1], [0.6, 0.4]]))), 4)
    0.5
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config_ = super().get_config()
        del config_["beta"]
        return config_
