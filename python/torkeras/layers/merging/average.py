"""Average: elementwise mean of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of inputs elementwise.

    The mean: the sum of the inputs divided by their number. Inputs of different ranks are aligned
    on the batch axis (size-1 axes are
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
    >>> keras.layers.Average()([a, b]).tolist()
    [[2.0, 3.5]]
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


def average(inputs, **kwargs):
    """Averages a list of inputs elementwise (functional form of the `Average` layer).

    `keras.layers.average(inputs)` is `keras.layers.Average()(inputs)`.

    Args:
        inputs: a list of tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        A tensor, the elementwise mean of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.average([a, b]).tolist()
    [[2.0, 3.5]]
    """
    return Average(**kwargs)(inputs)
