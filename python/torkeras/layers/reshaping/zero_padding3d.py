"""ZeroPadding3D: adds zeros around the three spatial axes of a 5D input."""

import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.reshaping.up_sampling1d import check_rank

_ORDINALS = ("1st", "2nd", "3rd")


def _normalize_padding3d(padding):
    if U._as_int(padding) is not None:
        p = U.normalize_tuple(padding, 2, "padding", allow_zero=True)
        return (p, p, p)
    if isinstance(padding, (str, bytes)) or not hasattr(padding, "__len__") or \
            len(padding) != 3:
        raise ValueError("`padding` should be an int, a tuple of 3 ints (symmetric padding of "
                         "dim1, dim2, dim3) or a tuple of 3 tuples of 2 ints ((dim1_before, "
                         "dim1_after), (dim2_before, dim2_after), (dim3_before, dim3_after)). "
                         f"Received: padding={padding!r}")
    return tuple(U.normalize_tuple(entry, 2, f"{ordinal} entry of padding", allow_zero=True)
                 for ordinal, entry in zip(_ORDINALS, padding))


class ZeroPadding3D(Layer):
    """Zero-padding layer for 3D data (spatial or spatio-temporal).

    Args:
        padding: Integer (the same symmetric padding for every spatial axis),
            a tuple of 3 integers (one symmetric padding per axis) or a tuple
            of 3 pairs `((before_dim1, after_dim1), (before_dim2, after_dim2),
            (before_dim3, after_dim3))`.
        data_format: `"channels_last"` (inputs `(batch, dim1, dim2, dim3,
            channels)`) or `"channels_first"` (inputs `(batch, channels, dim1,
            dim2, dim3)`). Defaults to the `image_data_format` setting.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> x = np.zeros((1, 2, 2, 2, 3), "float32")
    >>> tuple(keras.layers.ZeroPadding3D(1)(x).shape)
    (1, 4, 4, 4, 3)
    """

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = U.standardize_data_format(data_format)
        self.padding = _normalize_padding3d(padding)
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = (first, first + 1, first + 2)
        pad = [] if first == 2 else [0, 0]
        for before, after in reversed(self.padding):  # F.pad lists the last axis first
            pad += [before, after]
        self._pad = pad

    def build(self, input_shape):
        check_rank(self, input_shape, 5)
        self.built = True

    def call(self, inputs):
        check_rank(self, inputs.shape, 5)
        return F.pad(inputs, self._pad)

    def compute_output_shape(self, input_shape):
        check_rank(self, input_shape, 5)
        s = list(input_shape)
        for axis, (before, after) in zip(self._axes, self.padding):
            if s[axis] is not None:
                s[axis] += before + after
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
