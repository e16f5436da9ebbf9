"""LeakyReLU: `x if x >= 0 else negative_slope * x` (Keras 3 default slope 0.3)."""

import warnings

import torch.nn.functional as F

from torkeras.layers.layer import Layer


class LeakyReLU(Layer):
    """Leaky rectified linear unit activation.

    `f(x) = x` for `x >= 0` and `negative_slope * x` for `x < 0`.

    Args:
        negative_slope: non-negative float, the slope for negative inputs
            (default 0.3). The deprecated name `alpha` is also accepted.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> keras.layers.LeakyReLU(negative_slope=0.5)(np.array([-2.0, 3.0], "float32")).tolist()
    [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.",
                          stacklevel=2)
        super().__init__(**kwargs)
        if negative_slope is None or isinstance(negative_slope, bool) or \
                not isinstance(negative_slope, (int, float)) or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or a "
                             f"negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope!r}")
        self.negative_slope = float(negative_slope)
        self.supports_masking = True

    def call(self, inputs):
        return F.leaky_relu(inputs, self.negative_slope)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config
