"""BaseCropping: removes `(before, after)` entries along each spatial axis.

`cropping` is an int (the same on both sides of every axis), `rank` ints (one
symmetric value per axis) or `rank` pairs. Cropping is a slice of the input (a
view, no copy).
"""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


def normalize_cropping(cropping, rank):
    """`cropping` as `rank` (before, after) pairs of non-negative ints."""
    if rank == 1:
        return (U.normalize_tuple(cropping, 2, "cropping", allow_zero=True),)
    if isinstance(cropping, (list, tuple)) and len(cropping) == rank and \
            all(isinstance(c, (list, tuple)) for c in cropping):
        return tuple(U.normalize_tuple(c, 2, "cropping", allow_zero=True) for c in cropping)
    try:
        sizes = U.normalize_tuple(cropping, rank, "cropping", allow_zero=True)
    except ValueError:
        raise ValueError(f"`cropping` should be an int, a tuple of {rank} ints or a tuple of "
                         f"{rank} tuples of 2 ints. Received: cropping={cropping!r}") from None
    return tuple((c, c) for c in sizes)


class BaseCropping(Layer):
    rank = None

    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.cropping = normalize_cropping(cropping, rank)
        self.data_format = U.standardize_data_format(data_format)
        first = 1 if rank == 1 or self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))

    def _check_shape(self, shape):
        cls = type(self).__name__
        if len(shape) != self.rank + 2:
            raise ValueError(f"{cls} {self.name!r} expects inputs of rank {self.rank + 2}, "
                             f"received input shape {tuple(shape)}")
        for axis, (before, after) in zip(self._axes, self.cropping):
            length = shape[axis]
            if length is not None and before + after >= length:
                raise ValueError(f"{cls}: `cropping` {self.cropping} must leave at least one "
                                 f"element along each cropped axis; axis {axis} of input shape "
                                 f"{tuple(shape)} has {length}")

    def build(self, input_shape):
        self._check_shape(tuple(input_shape))
        self.built = True

    def call(self, inputs):
        self._check_shape(tuple(inputs.shape))
        index = [slice(None)] * inputs.dim()
        for axis, (before, after) in zip(self._axes, self.cropping):
            index[axis] = slice(before, inputs.shape[axis] - after)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        self._check_shape(shape)
        for axis, (before, after) in zip(self._axes, self.cropping):
            if shape[axis] is not None:
                shape[axis] -= before + after
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config["cropping"] = self.cropping[0] if self.rank == 1 else self.cropping
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
