"""BaseAdaptivePooling: pools the spatial axes to a fixed `output_size`.

The window boundaries are torch's adaptive pooling ones (window i of an axis
of length n pooled to m covers [floor(i*n/m), ceil((i+1)*n/m))), which is what
Keras 3 computes on its torch backend.
"""

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.ops import nn as nn_ops

_AXIS_NAMES = {1: "an integer or tuple of 1 integer",
               2: "an integer or (height, width) tuple",
               3: "an integer or (depth, height, width) tuple"}


def normalize_output_size(output_size, rank):
    """`output_size` as a tuple of `rank` positive ints."""
    single = U._as_int(output_size)
    if single is not None:
        values = (single,) * rank
    elif isinstance(output_size, (list, tuple)) and len(output_size) == rank:
        values = tuple(U._as_int(v) for v in output_size)
        if None in values:
            raise TypeError(f"`output_size` must be {_AXIS_NAMES[rank]} of integers. "
                            f"Received: output_size={output_size!r}")
    else:
        raise TypeError(f"`output_size` must be {_AXIS_NAMES[rank]}. "
                        f"Received: output_size={output_size!r}")
    if any(v < 1 for v in values):
        raise ValueError("`output_size` must contain only positive integers. "
                         f"Received: output_size={output_size!r}")
    return values


class BaseAdaptivePooling(Layer):
    rank = None
    _pool = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.output_size = normalize_output_size(output_size, self.rank)
        self.data_format = U.standardize_data_format(data_format)

    def _check_rank(self, shape):
        if len(shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} {self.name!r} expects inputs of rank "
                             f"{self.rank + 2}, received input shape {tuple(shape)}")

    def build(self, input_shape):
        self._check_rank(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return type(self)._pool(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config


class BaseAdaptiveAveragePooling(BaseAdaptivePooling):
    _pool = nn_ops.adaptive_average_pool


class BaseAdaptiveMaxPooling(BaseAdaptivePooling):
    _pool = nn_ops.adaptive_max_pool
