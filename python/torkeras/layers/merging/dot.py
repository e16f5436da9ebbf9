"""Dot: per-sample dot product of two tensors along `axes`.

For inputs x (batch, *a) and y (batch, *b) contracted over x's axis i and y's
axis j, the result is (batch, *a without i, *b without j); when both inputs are
rank 2 the result is (batch, 1). With `normalize=True` both inputs are first
L2-normalized along the contracted axis (Keras: x * min(rsqrt(sum(x^2)), 1 / epsilon)),
so the result is the cosine similarity.
"""

import torch

from torkeras import config
from torkeras.layers.core.arg_utils import _as_int
from torkeras.layers.merging.base_merge import Merge


def _check_axes(axes):
    single = _as_int(axes)
    if single is not None:
        return single
    if not isinstance(axes, (list, tuple)):
        raise TypeError("Invalid type for argument `axes`: it should be a list or an int. "
                        f"Received: axes={axes!r}")
    if len(axes) != 2:
        raise ValueError("Invalid format for argument `axes`: it should contain two elements. "
                         f"Received: axes={axes!r}")
    pair = tuple(_as_int(a) for a in axes)
    if None in pair:
        raise ValueError("Invalid format for argument `axes`: list elements should be "
                         f"integers. Received: axes={axes!r}")
    return pair


def _l2_normalize(x, axis):
    square_sum = torch.sum(x * x, dim=axis, keepdim=True)
    inv_norm = torch.clamp(torch.rsqrt(square_sum), max=1.0 / config.epsilon())
    return x * inv_norm


class Dot(Merge):
    """Dot product of two tensors, sample by sample, along given axes.

    For inputs `x` of shape `(batch, *a)` and `y` of shape `(batch, *b)`
    contracted over `x`'s axis `i` and `y`'s axis `j` (equal sizes), the
    output has shape `(batch, *a without i, *b without j)`; two rank-2 inputs
    give `(batch, 1)`.

    Args:
        axes: an integer or a pair of integers, the axis of each input
            along which the dot product is taken (the batch axis 0 cannot be
            used).
        normalize: whether to L2-normalise both inputs along the contracted
            axis first, so that the result is the cosine similarity.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a list of exactly two tensors.

    Example:
    >>> x = np.array([[1.0, 2.0]], "float32")
    >>> y = np.array([[3.0, 4.0]], "float32")
    >>> keras.layers.Dot(axes=1)([x, y]).tolist()
    [[11.0]]
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes = _check_axes(axes)
        self.normalize = bool(normalize)

    def _resolved_axes(self, rank1, rank2):
        """The two contracted axes as non-negative ints, checked against the ranks."""
        pair = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        out = []
        for axis, rank in zip(pair, (rank1, rank2)):
            if not -rank <= axis < rank:
                raise ValueError(f"Dot: `axes`={self.axes} is out of range for inputs of ranks "
                                 f"{rank1} and {rank2}")
            out.append(axis % rank)
        if 0 in out:
            raise ValueError("Dot: cannot take the dot product over the batch axis (axis 0). "
                             f"Received: axes={self.axes}")
        return out

    def _check_pair(self, shapes, what):
        if not isinstance(shapes, (list, tuple)) or len(shapes) != 2:
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. "
                             f"Received: {what}={shapes!r}")

    def build(self, input_shape):
        self._check_pair(input_shape, "input_shape")
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_pair(inputs, "inputs")
        x, y = inputs
        a, b = self._resolved_axes(x.dim(), y.dim())
        if x.shape[a] != y.shape[b]:
            raise ValueError(f"Dot: incompatible input shapes: axis values {x.shape[a]} (at axis "
                             f"{a}) != {y.shape[b]} (at axis {b}). Full input shapes: "
                             f"{tuple(x.shape)}, {tuple(y.shape)}")
        if self.normalize:
            x = _l2_normalize(x, a)
            y = _l2_normalize(y, b)
        x = torch.movedim(x, a, -1)  # (batch, *x_rest, k)
        y = torch.movedim(y, b, 1)   # (batch, k, *y_rest)
        x_rest, y_rest = x.shape[1:-1], y.shape[2:]
        batch, k = x.shape[0], x.shape[-1]
        out = torch.bmm(x.reshape(batch, -1, k), y.reshape(batch, k, -1))
        out = out.reshape((batch,) + tuple(x_rest) + tuple(y_rest))
        if out.dim() == 1:
            out = out.unsqueeze(1)
        return out

    def compute_output_shape(self, input_shape):
        self._check_pair(input_shape, "input_shape")
        shape1, shape2 = (list(s) for s in input_shape)
        a, b = self._resolved_axes(len(shape1), len(shape2))
        d1, d2 = shape1[a], shape2[b]
        if d1 is not None and d2 is not None and d1 != d2:
            raise ValueError(f"Dot: incompatible input shapes: axis values {d1} (at axis {a}) "
                             f"!= {d2} (at axis {b}). Full input shapes: {tuple(shape1)}, "
                             f"{tuple(shape2)}")
        shape1.pop(a)
        shape2.pop(b)
        out = shape1 + shape2[1:]
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config_ = super().get_config()
        config_.update({"axes": self.axes, "normalize": self.normalize})
        return config_


def dot(inputs, axes=-1, **kwargs):
    """Dot product of two tensors along given axes (functional form of `Dot`).

    Args:
        inputs: a list of exactly two tensors.
        axes: an integer or a pair of integers, the axis of each input
            along which the dot product is taken (the batch axis 0 cannot be
            used).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The per-sample dot products (see `Dot` for the shape).

    Example:
    >>> x = np.array([[1.0, 2.0]], "float32")
    >>> y = np.array([[3.0, 4.0]], "float32")
    >>> keras.layers.dot([x, y], axes=1).tolist()
    [[11.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
