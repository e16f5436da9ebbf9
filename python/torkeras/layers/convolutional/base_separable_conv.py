"""BaseSeparableConv: a depthwise convolution followed by a 1x1 (pointwise) convolution.

Weights as Keras stores them: `depthwise_kernel` `kernel_size + (in, depth_multiplier)`,
`pointwise_kernel` `(1,) * rank + (in * depth_multiplier, filters)`, then `bias`
`(filters,)`. Strides, padding and dilation apply to the depthwise step; the
pointwise step is a stride-1 "valid" convolution that also adds the bias.
"""

import torch.nn.functional as F

from torkeras.layers.convolutional import base_depthwise_conv as D
from torkeras.layers.convolutional.base_conv import input_channels
from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class BaseSeparableConv(Layer):
    rank = None

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        D.check_conv_arguments(self, rank, kernel_size, strides, padding, data_format,
                               dilation_rate, depth_multiplier)
        self.filters = U.positive_int(filters, "filters")
        self.activation = U.get_activation(activation)
        self.use_bias = bool(use_bias)
        self.depthwise_initializer = U.get_initializer(depthwise_initializer)
        self.pointwise_initializer = U.get_initializer(pointwise_initializer)
        self.bias_initializer = U.get_initializer(bias_initializer)
        self.depthwise_regularizer = U.get_regularizer(depthwise_regularizer)
        self.pointwise_regularizer = U.get_regularizer(pointwise_regularizer)
        self.bias_regularizer = U.get_regularizer(bias_regularizer)
        self.depthwise_constraint = U.get_constraint(depthwise_constraint)
        self.pointwise_constraint = U.get_constraint(pointwise_constraint)
        self.bias_constraint = U.get_constraint(bias_constraint)
        self._act_is_linear = self.activation is U.get_activation("linear")
        n = rank
        self._pointwise_perm = (n + 1, n) + tuple(range(n))

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, name="pointwise_kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")
        self.built = True

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        x = D.depthwise(self, x, self.depthwise_kernel.value, None)
        pointwise = self.pointwise_kernel.value.permute(self._pointwise_perm)
        bias = self.bias.value if self.bias is not None else None
        out = _CONV[self.rank](x, pointwise, bias)
        if self._channels_last:
            out = out.permute(self._to_last)
        return out if self._act_is_linear else self.activation(out)

    def compute_output_shape(self, input_shape):
        return D.output_shape(self, input_shape, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update({
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": U.serialize_activation(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": U.serialize_initializer(self.depthwise_initializer),
            "pointwise_initializer": U.serialize_initializer(self.pointwise_initializer),
            "bias_initializer": U.serialize_initializer(self.bias_initializer),
            "depthwise_regularizer": U.serialize_regularizer(self.depthwise_regularizer),
            "pointwise_regularizer": U.serialize_regularizer(self.pointwise_regularizer),
            "bias_regularizer": U.serialize_regularizer(self.bias_regularizer),
            "activity_regularizer": U.serialize_regularizer(self.activity_regularizer),
            "depthwise_constraint": U.serialize_constraint(self.depthwise_constraint),
            "pointwise_constraint": U.serialize_constraint(self.pointwise_constraint),
            "bias_constraint": U.serialize_constraint(self.bias_constraint),
        })
        return config
