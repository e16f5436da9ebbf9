"""Cropping1D: removes entries at the start and end of the steps axis of (batch, steps, features)."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    """Crops time steps from the start and end of a sequence.

    Args:
        cropping: an integer (the same number cropped at both ends) or a pair
            `(start, end)` of integers.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        3-D tensor `(batch, steps, features)`.

    Output shape:
        `(batch, steps - start - end, features)`.

    Example:
    >>> tuple(keras.layers.Cropping1D((1, 2))(np.zeros((2, 6, 3), "float32")).shape)
    (2, 3, 3)
    """

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, **kwargs)
