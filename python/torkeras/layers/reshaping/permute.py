"""Permute: reorders the non-batch axes; `dims` is 1-based, as in Keras."""

from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.layer import Layer


class Permute(Layer):
    """Permutes the non-batch axes of the input.

    Args:
        dims: tuple of integers, a permutation of `1, ..., rank - 1` (1-based:
            axis 1 is the first axis after the batch axis); `dims=(2, 1)`
            swaps the first two non-batch axes.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        `(batch, d1, ..., dn)`.

    Output shape:
        `(batch, ...)` with the non-batch sizes permuted by `dims`.

    Example:
    >>> tuple(keras.layers.Permute((2, 1))(np.zeros((2, 3, 4), "float32")).shape)
    (2, 4, 3)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(int(d) for d in dims)
        except (TypeError, ValueError):
            raise ValueError(f"Permute: `dims` must be a tuple of integers; received: dims={dims!r}") from None
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of "
                             f"indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")
        self.dims = dims
        self._perm = (0,) + dims

    def call(self, inputs):
        return inputs.permute(self._perm)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return tuple(input_shape[i] for i in self._perm)

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
