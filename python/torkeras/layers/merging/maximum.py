"""Maximum: elementwise maximum of a list of inputs."""

import torch

from torkeras.layers.merging.base_merge import Merge


class Maximum(Merge):
    """Elementwise maximum of a list of inputs.

    The maximum: the largest input at every position. Inputs of different ranks are aligned on the
    batch axis (size-1 axes are
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
    >>> keras.layers.Maximum()([a, b]).tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


def maximum(inputs, **kwargs):
    """Elementwise maximum of a list of inputs (functional form of the `Maximum` layer).

    `keras.layers.maximum(inputs)` is `keras.layers.Maximum()(inputs)`.

    Args:
        inputs: a list of tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        A tensor, the elementwise maximum of the inputs.

    Example:
    >>> a = np.array([[1.0, 2.0]], "float32")
    >>> b = np.array([[3.0, 5.0]], "float32")
    >>> keras.layers.maximum([a, b]).tolist()
    [[3.0, 5.0]]
    """
    return Maximum(**kwargs)(inputs)
