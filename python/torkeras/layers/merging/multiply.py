"""Multiply: elementwise product of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Multiplies a list of inputs elementwise.

    The product: all inputs multiplied together. Inputs of different ranks are aligned on the batch
    axis (size-1 axes are
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
    >>> keras.layers.Multiply()([a, b]).tolist()
    [[3.0, 10.0]]
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


def multiply(inputs, **kwargs):
    """Multiplies a list of inputs elementwise (functional form of the `Multiply` layer).

    `keras.layers.multiply(inputs)` is `keras.layers.Multiply()(inputs)`.

    Args:
        inputs: a list of tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        A tensor, the elementwise product of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.multiply([a, b]).tolist()
    [[3.0, 10.0]]
    """
    return Multiply(**kwargs)(inputs)
