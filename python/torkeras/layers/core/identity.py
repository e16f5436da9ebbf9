"""Identity: returns its inputs unchanged (any structure of tensors)."""

from torkeras.layers.layer import Layer


class Identity(Layer):
    """A layer that returns its inputs as they are.

    Useful as a placeholder in a model (for example where a block is optional).
    Masks pass through unchanged.

    Args:
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> keras.layers.Identity()(np.array([1.0, 2.0], "float32")).tolist()
    [1.0, 2.0]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
