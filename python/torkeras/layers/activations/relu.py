"""ReLU: `max_value`-capped, `threshold`-shifted rectifier with a leaky slope."""

import torch

from torkeras.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit activation, with optional cap, slope and threshold.

    `f(x) = max_value` for `x >= max_value`, `x` for `threshold < x < max_value`,
    and `negative_slope * (x - threshold)` otherwise. With the defaults this is
    `max(x, 0)`.

    Args:
        max_value: optional non-negative float, the largest output value.
        negative_slope: non-negative float, the slope below the threshold.
        threshold: non-negative float; inputs at or below it are not passed
            through.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> keras.layers.ReLU(max_value=1.0)(np.array([0.0, 0.5, 2.0], "float32")).tolist()
    [0.0, 0.5, 1.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: max_value={max_value!r}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be a negative value. "
                             f"Received: negative_slope={negative_slope!r}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be a negative value. "
                             f"Received: threshold={threshold!r}")
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)
        self.supports_masking = True
        self._plain = self.max_value is None and self.negative_slope == 0 and self.threshold == 0

    def call(self, inputs):
        if self._plain:
            return torch.relu(inputs)
        out = torch.where(inputs > self.threshold, inputs,  # Keras: strictly above
                          self.negative_slope * (inputs - self.threshold))
        if self.max_value is not None:
            out = torch.clamp(out, max=self.max_value)
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config
