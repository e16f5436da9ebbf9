"""UnitNormalization: scales every input to unit L2 norm along `axis`."""

import torch

from torkeras.layers.layer import Layer


class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm along an axis.

    `output = x * min(1 / sqrt(sum(x**2, axis)), 1e12)`, so an all-zero slice
    stays zero. The layer has no weights.

    Args:
        axis: the axis or list of axes along which the norm is computed
            (default -1).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> keras.layers.UnitNormalization()(np.array([[3.0, 4.0]], "float32")).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(_is_int(a) for a in axis):
            self.axis = [int(a) for a in axis]
        elif _is_int(axis):
            self.axis = int(axis)
        else:
            raise TypeError("Invalid value for `axis` argument: expected an int or a list/tuple "
                            f"of ints. Received: axis={axis!r}")
        self.supports_masking = True
        self.built = True

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.is_floating_point() else inputs.float()
        dims = self.axis if isinstance(self.axis, int) else tuple(self.axis)
        inv = torch.rsqrt(torch.sum(x * x, dim=dims, keepdim=True))
        # The 1e12 bound in the inputs' dtype, as Keras (inf in float16).
        limit = torch.tensor(1e12, dtype=torch.float32).to(x.dtype)
        return x * torch.minimum(inv, limit.to(x.device))

    def compute_output_shape(self, input_shape):
        rank = len(input_shape)
        for a in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -rank <= a < rank:
                raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                                 f"{tuple(input_shape)}.")
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _is_int(a):
    return (isinstance(a, int) and not isinstance(a, bool)) or (
        isinstance(a, float) and a.is_integer())
