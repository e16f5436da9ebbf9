"""BaseDepthwiseConv: each input channel convolved with its own `depth_multiplier` kernels.

The kernel is stored the Keras way, `kernel_size + (in_channels, depth_multiplier)`;
output channel `c * depth_multiplier + m` comes from input channel `c` and kernel
slice `[..., c, m]`. `call` runs torch's grouped convolution (`groups = in_channels`)
with the kernel reshaped to `(in_channels * depth_multiplier, 1, *kernel_size)`,
which orders the output channels the same way.
"""

import torch.nn.functional as F

from torkeras.layers.convolutional.base_conv import input_channels
from torkeras.layers.convolutional.spatial_padding import torch_padding
from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def check_conv_arguments(layer, rank, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier):
    """Validates and stores the arguments depthwise and separable convolutions share."""
    cls = type(layer).__name__
    layer.rank = rank
    layer.depth_multiplier = U.positive_int(depth_multiplier, "depth_multiplier")
    layer.kernel_size = U.normalize_tuple(kernel_size, rank, "kernel_size")
    layer.strides = U.normalize_tuple(strides, rank, "strides")
    layer.dilation_rate = U.normalize_tuple(dilation_rate, rank, "dilation_rate")
    layer.padding = U.standardize_padding(padding)
    layer.data_format = U.standardize_data_format(data_format)
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError(f"{cls}: `strides > 1` is not supported together with "
                         f"`dilation_rate > 1`. Received: strides={layer.strides} and "
                         f"dilation_rate={layer.dilation_rate}")
    layer._channels_last = layer.data_format == "channels_last"
    n = rank
    layer._to_first = (0, n + 1) + tuple(range(1, n + 1))
    layer._to_last = (0,) + tuple(range(2, n + 2)) + (1,)


def depthwise(layer, x, kernel, bias):
    """Depthwise convolution of a channels_first tensor `x` with a Keras-layout kernel."""
    channels = kernel.shape[-2]
    padding, explicit = torch_padding(tuple(x.shape[2:]), layer.padding, layer.kernel_size,
                                      layer.strides, layer.dilation_rate)
    if explicit is not None:
        x = F.pad(x, explicit)
    n = layer.rank
    weight = kernel.reshape(layer.kernel_size + (1, channels * kernel.shape[-1]))
    weight = weight.permute((n + 1, n) + tuple(range(n)))
    return _CONV[n](x, weight, bias, layer.strides, padding, layer.dilation_rate, channels)


def output_shape(layer, input_shape, channels_out):
    input_shape = tuple(input_shape)
    spatial = input_shape[1:-1] if layer._channels_last else input_shape[2:]
    out = tuple(U.conv_output_length(n, k, layer.padding, s, d) for n, k, s, d in
                zip(spatial, layer.kernel_size, layer.strides, layer.dilation_rate))
    if layer._channels_last:
        return (input_shape[0],) + out + (channels_out,)
    return (input_shape[0], channels_out) + out


class BaseDepthwiseConv(Layer):
    rank = None

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_conv_arguments(self, rank, kernel_size, strides, padding, data_format,
                             dilation_rate, depth_multiplier)
        self.activation = U.get_activation(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = U.get_initializer(depthwise_initializer)
        self.bias_initializer = U.get_initializer(bias_initializer)
        self.depthwise_regularizer = U.get_regularizer(depthwise_regularizer)
        self.bias_regularizer = U.get_regularizer(bias_regularizer)
        self.depthwise_constraint = U.get_constraint(depthwise_constraint)
        self.bias_constraint = U.get_constraint(bias_constraint)
        self._act_is_linear = self.activation is U.get_activation("linear")

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(channels * self.depth_multiplier,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")
        self.built = True

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        bias = self.bias.value if self.bias is not None else None
        out = depthwise(self, x, self.kernel.value, bias)
        if self._channels_last:
            out = out.permute(self._to_last)
        return out if self._act_is_linear else self.activation(out)

    def compute_output_shape(self, input_shape):
        channels = tuple(input_shape)[-1 if self._channels_last else 1]
        return output_shape(self, input_shape,
                            None if channels is None else channels * self.depth_multiplier)

    def get_config(self):
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": U.serialize_activation(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": U.serialize_initializer(self.depthwise_initializer),
            "bias_initializer": U.serialize_initializer(self.bias_initializer),
            "depthwise_regularizer": U.serialize_regularizer(self.depthwise_regularizer),
            "bias_regularizer": U.serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": U.serialize_regularizer(self.activity_regularizer),
            "depthwise_constraint": U.serialize_constraint(self.depthwise_constraint),
            "bias_constraint": U.serialize_constraint(self.bias_constraint),
        })
        return config
