"""Concatenate: joins a list of tensors along `axis` (default -1)."""

import torch

from torkeras.layers.merging.base_merge import Merge


class Concatenate(Merge):
    """Concatenates a list of inputs along an axis.

    All inputs must have the same shape except along `axis`.

    Args:
        axis: the concatenation axis (default -1, the last axis).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a list of tensors.

    Output shape:
        The common shape, with the sizes along `axis` summed.

    Example:
    >>> a, b = np.zeros((2, 3), "float32"), np.ones((2, 4), "float32")
    >>> tuple(keras.layers.Concatenate()([a, b]).shape)
    (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"Concatenate: `axis` must be an integer; received: axis={axis!r}")
        self.axis = axis

    def build(self, input_shape):
        self._check_input_list(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A Concatenate layer should be called on a list of inputs. "
                             f"Received: inputs={inputs!r}")
        return torch.cat(list(inputs), dim=self.axis)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        error = ("A `Concatenate` layer requires inputs with matching shapes except for the "
                 f"concatenation axis (axis={self.axis}). Received: input_shape={shapes}")
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ValueError(error)
        axis = self.axis % rank
        out = list(shapes[0])
        for shape in shapes[1:]:
            for i, d in enumerate(shape):
                if i == axis:
                    out[i] = None if out[i] is None or d is None else out[i] + d
                elif out[i] is None:
                    out[i] = d
                elif d is not None and d != out[i]:
                    raise ValueError(error)
        return tuple(out)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Concatenates a list of inputs along an axis (functional form of `Concatenate`).

    Args:
        inputs: a list of tensors with the same shape except along `axis`.
        axis: the concatenation axis (default -1).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The concatenated tensor.

    Example:
    >>> a, b = np.zeros((2, 3), "float32"), np.ones((2, 4), "float32")
    >>> tuple(keras.layers.concatenate([a, b], axis=1).shape)
    (2, 7)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
