"""Subtract: elementwise difference of exactly two inputs."""

from torkeras.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Subtracts two inputs elementwise.

    The difference: `inputs[0] - inputs[1]`. Inputs of different ranks are aligned on the batch
    axis (size-1 axes are
    inserted after it in the lower-rank ones), then broadcast.

    Args:
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a list of exactly two tensors.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.Subtract()([a, b]).tolist()
    [[-2.0, -3.0]]
    """

    def build(self, input_shape):
        self._check_input_list(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A Subtract layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={input_shape!r}")
        super().build(input_shape)

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A Subtract layer should be called on exactly 2 inputs. "
                             f"Received: {len(inputs)} inputs")
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Subtracts two inputs elementwise (functional form of the `Subtract` layer).

    `keras.layers.subtract(inputs)` is `keras.layers.Subtract()(inputs)`.

    Args:
        inputs: a list of exactly two tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        A tensor, the elementwise difference of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.subtract([a, b]).tolist()
    [[-2.0, -3.0]]
    """
    return Subtract(**kwargs)(inputs)
