"""BaseConvTranspose: the shared N-D transposed convolution.

The kernel has the Keras layout `kernel_size + (filters, in_channels)`, which
permuted to `(in_channels, filters, *kernel_size)` is exactly torch's
`conv_transposeNd` weight. Output sizes follow Keras (see
`arg_utils.deconv_output_length`); 'same' padding crops the full transposed
convolution with the odd element taken from the end, as TensorFlow and JAX do.
When that crop is symmetric (the common case, e.g. kernel 4, stride 2) it maps
onto torch's `padding` argument directly.
"""

import torch
import torch.nn.functional as F

from torkeras.layers.convolutional.base_conv import input_channels
from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer

_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


class BaseConvTranspose(Layer):
    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        cls = type(self).__name__
        self.rank = rank
        self.filters = U.positive_int(filters, "filters")
        self.kernel_size = U.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = U.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = U.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = U.standardize_padding(padding)
        self.data_format = U.standardize_data_format(data_format)
        if output_padding is None:
            self.output_padding = None
        else:
            self.output_padding = U.normalize_tuple(output_padding, rank, "output_padding",
                                                    allow_zero=True)
            for stride, pad in zip(self.strides, self.output_padding):
                if pad >= stride:
                    raise ValueError(f"{cls}: strides must be greater than output padding. "
                                     f"Received strides={self.strides}, "
                                     f"output_padding={self.output_padding}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{cls}: `strides > 1` is not supported together with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = U.get_activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = U.get_initializer(kernel_initializer)
        self.bias_initializer = U.get_initializer(bias_initializer)
        self.kernel_regularizer = U.get_regularizer(kernel_regularizer)
        self.bias_regularizer = U.get_regularizer(bias_regularizer)
        self.kernel_constraint = U.get_constraint(kernel_constraint)
        self.bias_constraint = U.get_constraint(bias_constraint)
        self._act_is_linear = self.activation is U.get_activation("linear")
        self._channels_last = self.data_format == "channels_last"
        self._plan_cache = {}
        n = rank
        self._to_first = (0, n + 1) + tuple(range(1, n + 1))
        self._to_last = (0,) + tuple(range(2, n + 2)) + (1,)
        self._kernel_perm = (n + 1, n) + tuple(range(n))

    def build(self, input_shape):
        channels = input_channels(self, input_shape)
        self.kernel = self.add_weight(shape=self.kernel_size + (self.filters, channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, name="bias")
        self.built = True

    def _plan(self, spatial):
        """(torch padding, torch output_padding, fix-ups) for this input size.
        A fix-up is (axis, crop_after) applied after the torch call: a positive
        value drops trailing elements, a negative one appends zeros."""
        plan = self._plan_cache.get(spatial)
        if plan is not None:
            return plan
        pads, out_pads, fixes = [], [], []
        ops = self.output_padding or (None,) * self.rank
        for axis, (n, k, s, d, op) in enumerate(zip(spatial, self.kernel_size, self.strides,
                                                     self.dilation_rate, ops)):
            before, after = U.deconv_crops(n, k, self.padding, op, s, d)
            extra = before - after  # elements torch must add back at the end
            pads.append(before)
            if 0 <= extra < max(s, d):
                out_pads.append(extra)
            else:
                out_pads.append(0)
                fixes.append((axis, after - before))
        plan = (tuple(pads), tuple(out_pads), tuple(fixes))
        if len(self._plan_cache) < 64:
            self._plan_cache[spatial] = plan
        return plan

    def call(self, inputs):
        x = inputs.permute(self._to_first) if self._channels_last else inputs
        padding, output_padding, fixes = self._plan(tuple(x.shape[2:]))
        kernel = self.kernel.value.permute(self._kernel_perm)
        bias = self.bias.value if self.bias is not None else None
        out = _CONV_T[self.rank](x, kernel, bias, self.strides, padding, output_padding, 1,
                                 self.dilation_rate)
        for axis, crop in fixes:
            dim = axis + 2
            if crop > 0:
                out = out.narrow(dim, 0, out.shape[dim] - crop)
            else:
                # Positions past the full transposed convolution hold only the bias.
                pad_shape = list(out.shape)
                pad_shape[dim] = -crop
                fill = torch.zeros(pad_shape, dtype=out.dtype, device=out.device)
                if bias is not None:
                    fill = fill + bias.view((1, -1) + (1,) * self.rank)
                out = torch.cat([out, fill], dim=dim)
        if self._channels_last:
            out = out.permute(self._to_last)
        if self._act_is_linear:
            return out
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        ops = self.output_padding or (None,) * self.rank
        out = tuple(U.deconv_output_length(n, k, self.padding, op, s, d) for n, k, s, d, op in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate, ops))
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
            "output_padding": self.output_padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activity_regularizer": U.serialize_regularizer(self.activity_regularizer),
        })
        config.update(U.weights_config(self))
        return config
