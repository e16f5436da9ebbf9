"""RepeatVector: `(batch, features)` -> `(batch, n, features)`."""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class RepeatVector(Layer):
    """Repeats a vector `n` times: `(batch, features)` becomes `(batch, n, features)`.

    Args:
        n: positive integer, the number of repetitions.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        2-D tensor `(batch, features)`.

    Output shape:
        3-D tensor `(batch, n, features)`.

    Example:
    >>> tuple(keras.layers.RepeatVector(3)(np.zeros((2, 5), "float32")).shape)
    (2, 3, 5)
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = U.positive_int(n, "n")

    def call(self, inputs):
        if inputs.dim() != 2:
            raise ValueError(f"RepeatVector expects inputs of rank 2; received shape "
                             f"{tuple(inputs.shape)}")
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
