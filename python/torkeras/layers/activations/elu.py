"""ELU: `x if x > 0 else alpha * (exp(x) - 1)`."""

import torch.nn.functional as F

from torkeras.layers.layer import Layer


class ELU(Layer):
    """Exponential linear unit activation.

    `f(x) = x` for `x > 0` and `alpha * (exp(x) - 1)` for `x <= 0`.

    Args:
        alpha: scale of the negative part (default 1.0).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> y = keras.layers.ELU()(np.array([-1.0, 2.0], "float32"))
    >>> [round(v, 4) for v in y.tolist()]
    [-0.6321, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)
        self.supports_masking = True

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = self.alpha
        return config
