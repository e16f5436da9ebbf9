"""BasePooling: shared N-D max/average pooling over channels_last inputs.

'same' padding follows Keras/TensorFlow: the window is centred with the odd
padded element at the end, max pooling ignores the padding and average
pooling divides by the number of real (unpadded) elements in each window.
"""

import torch
import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


class BasePooling(Layer):
    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rank = pool_dimensions
        self.pool_mode = pool_mode
        self.pool_size = U.normalize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = self.pool_size if strides is None else strides
        self.strides = U.normalize_tuple(strides, pool_dimensions, "strides")
        self.padding = U.standardize_padding(padding)
        self.data_format = U.standardize_data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        self._plan_cache = {}
        n = pool_dimensions
        self._to_first = (0, n + 1) + tuple(range(1, n + 1))
        self._to_last = (0,) + tuple(range(2, n + 2)) + (1,)

    def _plan(self, spatial):
        plan = self._plan_cache.get(spatial)
        if plan is not None:
            return plan
        if self.padding == "valid":
            plan = (0, None)
        else:
            pairs = [U.same_padding(n, k, s) for n, k, s in
                     zip(spatial, self.pool_size, self.strides)]
            if all(a == 0 and b == 0 for a, b in pairs):
                plan = (0, None)
            elif self.pool_mode == "max" and all(
                    a == b and 2 * a <= k for (a, b), k in zip(pairs, self.pool_size)):
                plan = (tuple(a for a, _ in pairs), None)
            else:
                flat = []
                for a, b in reversed(pairs):
                    flat += [a, b]
                plan = (0, flat)
        if len(self._plan_cache) < 64:
            self._plan_cache[spatial] = plan
        return plan

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding, explicit = self._plan(tuple(x.shape[2:]))
        if self.pool_mode == "max":
            if explicit is not None:
                x = F.pad(x, explicit, value=float("-inf"))
            out = _MAX[self.rank](x, self.pool_size, self.strides, padding)
        elif explicit is None:
            out = _AVG[self.rank](x, self.pool_size, self.strides, 0)
        else:
            # Sum over real elements / count of real elements in each window.
            summed = _AVG[self.rank](F.pad(x, explicit), self.pool_size, self.strides, 0)
            ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
            counts = _AVG[self.rank](F.pad(ones, explicit), self.pool_size, self.strides, 0)
            out = summed / counts
        if self._channels_last:
            out = out.permute(self._to_last)
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        out = tuple(U.conv_output_length(n, k, self.padding, s) for n, k, s in
                    zip(spatial, self.pool_size, self.strides))
        if self._channels_last:
            return (input_shape[0],) + out + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + out

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config
