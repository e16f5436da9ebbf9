"""BaseConv: the shared N-D convolution (Conv1D/2D/3D are thin subclasses).

Kernels are stored the Keras way, `kernel_size + (in_channels // groups, filters)`,
and data is channels_last by default. `call` permutes to torch's channels_first
layout (a view), runs `torch.nn.functional.convNd` with the kernel permuted to
`(filters, in // groups, *kernel_size)` and permutes back.

With `lora_rank` (or after `enable_lora()`) the kernel is frozen and the
layer learns a low-rank update of it (layers/core/lora.py): factor `a` is
`kernel_size + (in // groups, rank)`, factor `b` is `(rank, filters)`.
"""

import torch
import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.core.lora import LoraMixin
from torkeras.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_HALF = (torch.float16, torch.bfloat16)


def input_channels(layer, input_shape):
    """The channel count of `input_shape`, checking rank and that it is known."""
    cls = type(layer).__name__
    if len(input_shape) != layer.rank + 2:
        raise ValueError(f"{cls} {layer.name!r} expects inputs of rank {layer.rank + 2}, "
                         f"received input shape {tuple(input_shape)}")
    channels = input_shape[-1 if layer._channels_last else 1]
    if channels is None:
        raise ValueError(f"{cls} {layer.name!r}: the channel dimension of the input must be "
                         f"known; received input shape {tuple(input_shape)}")
    return channels


class BaseConv(LoraMixin, Layer):
    rank = None

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.filters = U.positive_int(filters, "filters")
        self.groups = U.positive_int(groups, "groups")
        self.kernel_size = U.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = U.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = U.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = U.standardize_padding(padding, allow_causal=(rank == 1))
        self.data_format = U.standardize_data_format(data_format)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{cls}: `strides > 1` is not supported together with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        if self.filters % self.groups:
            raise ValueError(f"{cls}: the number of filters must be divisible by the number of "
                             f"groups. Received: groups={self.groups}, filters={self.filters}")
        self.activation = U.get_activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = U.get_initializer(kernel_initializer)
        self.bias_initializer = U.get_initializer(bias_initializer)
        self.kernel_regularizer = U.get_regularizer(kernel_regularizer)
        self.bias_regularizer = U.get_regularizer(bias_regularizer)
        self.kernel_constraint = U.get_constraint(kernel_constraint)
        self.bias_constraint = U.get_constraint(bias_constraint)
        self._init_lora(lora_rank, lora_alpha)
        self._act_is_linear = self.activation is U.get_activation("linear")
        self._channels_last = self.data_format == "channels_last"
        self._pad_cache = {}
        # Permutations between the Keras layouts and torch's.
        n = rank
        self._to_first = (0, n + 1) + tuple(range(1, n + 1))
        self._to_last = (0,) + tuple(range(2, n + 2)) + (1,)
        self._kernel_perm = (n + 1, n) + tuple(range(n))

    def build(self, input_shape):
        cls = type(self).__name__
        channels = input_channels(self, input_shape)
        if channels % self.groups:
            raise ValueError(f"{cls} {self.name!r}: the number of input channels must be "
                             f"divisible by the number of groups. Received groups={self.groups}, "
                             f"but the input has {channels} channels (full input shape is "
                             f"{tuple(input_shape)})")
        self._kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")
        self.built = True
        self._build_lora()

    @property
    def kernel(self):
        """The kernel Variable; with LoRA enabled, the adapted kernel tensor."""
        return self._lora_weight_property()

    def _torch_padding(self, spatial):
        """(padding argument for F.convNd, explicit F.pad list or None) for this input size."""
        cached = self._pad_cache.get(spatial)
        if cached is not None:
            return cached
        if self.padding == "valid":
            result = (0, None)
        elif self.padding == "causal":
            extent = (self.kernel_size[0] - 1) * self.dilation_rate[0] + 1
            result = (0, [extent - 1, 0])
        else:
            pairs = [U.same_padding(n, k, s, d) for n, k, s, d in
                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
            if all(a == b for a, b in pairs):
                result = (tuple(a for a, _ in pairs), None)
            else:
                flat = []
                for a, b in reversed(pairs):  # F.pad lists the last axis first
                    flat += [a, b]
                result = (0, flat)
        if len(self._pad_cache) < 64:
            self._pad_cache[spatial] = result
        return result

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding, explicit = self._torch_padding(tuple(x.shape[2:]))
        if explicit is not None:
            x = F.pad(x, explicit)
        kernel = self._kernel.value if not self.lora_enabled else self._lora_weight_value()
        kernel = kernel.permute(self._kernel_perm)
        bias = self.bias.value if self.bias is not None else None
        # In half precision the bias is added after rounding the convolution,
        # as Keras does (a fused bias would round once, differently).
        half = bias is not None and bias.dtype in _HALF
        out = _CONV[self.rank](x, kernel, None if half else bias, self.strides, padding,
                               self.dilation_rate, self.groups)
        if self._channels_last:
            out = out.permute(self._to_last)
        if half:
            out = out + (bias if self._channels_last else bias.view((-1,) + (1,) * self.rank))
        if self._act_is_linear:
            return out
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._channels_last:
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        out = tuple(U.conv_output_length(n, k, self.padding, s, d) for n, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if self._channels_last:
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activity_regularizer": U.serialize_regularizer(self.activity_regularizer),
        })
        config.update(U.weights_config(self))
        config.update(self._lora_config())
        return config
