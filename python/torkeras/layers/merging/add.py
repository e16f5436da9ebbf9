"""Add: elementwise sum of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Add(Merge):
    """Adds a list of inputs elementwise.

    The sum: all inputs added together. Inputs of different ranks are aligned on the batch axis
    (size-1 axes are
    inserted after it in the lower-rank ones), then broadcast.

    Args:
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a list of tensors.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.Add()([a, b]).tolist()
    [[4.0, 7.0]]
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


def add(inputs, **kwargs):
    """Adds a list of inputs elementwise (functional form of the `Add` layer).

    `keras.layers.add(inputs)` is `keras.layers.Add()(inputs)`.

    Args:
        inputs: a list of tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        A tensor, the elementwise sum of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.add([a, b]).tolist()
    [[4.0, 7.0]]
    """
    return Add(**kwargs)(inputs)
