"""UpSampling1D: repeats every step of (batch, steps, features) `size` times."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


def check_rank(layer, shape, rank):
    """A clear error when `layer` is given inputs whose rank is not `rank`."""
    if len(shape) != rank:
        raise ValueError(f"{type(layer).__name__} {layer.name!r} expects inputs of rank {rank}, "
                         f"received input shape {tuple(shape)}")


class UpSampling1D(Layer):
    """Upsampling layer for 1D inputs.

    Each time step of a `(batch, steps, features)` input is repeated `size`
    times along the steps axis, giving `(batch, steps * size, features)`.

    Args:
        size: Positive integer, the upsampling factor.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> x = np.array([[[1.0], [2.0]]], "float32")
    >>> keras.layers.UpSampling1D(2)(x)[0, :, 0].tolist()
    [1.0, 1.0, 2.0, 2.0]
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = U.positive_int(size, "size")

    def build(self, input_shape):
        check_rank(self, input_shape, 3)
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, 3)
        return inputs.repeat_interleave(self.size, dim=1)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, 3)
        steps = input_shape[1]
        return (input_shape[0], None if steps is None else steps * self.size, input_shape[2])

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size})
        return config
