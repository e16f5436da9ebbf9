"""ConvLSTMCell: one LSTM time step whose input and recurrent projections
are convolutions (Keras's ConvLSTMCell; internal, used by ConvLSTM1D/2D/3D).

kernel `kernel_size + (input_channels, 4*filters)`, recurrent_kernel
`kernel_size + (filters, 4*filters)` and bias `(4*filters,)`, gate blocks in
the order input, forget, cell candidate, output (the last kernel axis):
    x_g = conv(x * dropmask_g, kernel_g, strides, padding, dilation) + bias_g
    h_g = conv(h * recdropmask_g, recurrent_kernel_g, strides 1, "same")
    i, f, o = rec_act(x_i + h_i), rec_act(x_f + h_f), rec_act(x_o + h_o)
    c' = f * c + i * act(x_c + h_c) ;  h' = o * act(c')
Dropout uses one mask per gate (Keras's `dropout_mask_count = 4`).
"""

import torch

from torkeras import activations, constraints, initializers, regularizers
from torkeras.layers.core import arg_utils
from torkeras.layers.layer import Layer
from torkeras.layers.rnn import cell_args
from torkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from torkeras.layers.regularization.seeded_generator import check_seed


class ConvLSTMCell(Layer, DropoutRNNCell):
    """Cell of the ConvLSTM layers: a convolutional LSTM step over inputs of
    shape `(batch, *spatial, channels)` (or channels first), with states `[h, c]`
    of the convolution's output shape."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if rank not in (1, 2, 3):
            raise ValueError(f"Rank {rank} convolutions are not currently implemented. "
                             f"Received: rank={rank}")
        self.rank = rank
        self.filters = arg_utils.positive_int(filters, "filters")
        self.kernel_size = arg_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = arg_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = arg_utils.standardize_padding(padding)
        self.data_format = arg_utils.standardize_data_format(data_format)
        self.dilation_rate = arg_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("Specifying `strides > 1` is not compatible with `dilation_rate > "
                             "1`. Please provide `strides=1` or `dilation_rate=1`. Received: "
                             f"strides={self.strides} and dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = cell_args.clamp_rate(dropout, "dropout", "ConvLSTMCell")
        self.recurrent_dropout = cell_args.clamp_rate(recurrent_dropout, "recurrent_dropout",
                                                      "ConvLSTMCell")
        self.seed = check_seed(seed, "ConvLSTMCell")
        self.dropout_mask_count = 4
        self._dropout_state()
        # The state shape depends on the input's spatial shape (set in build).
        self.state_size = -1
        self.spatial_dims = None
        self.input_dim = None

    def _channel_axis(self):
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"ConvLSTMCell: expected inputs of rank {self.rank + 2} (batch, "
                             f"spatial..., channels); received shape {input_shape}")
        spatial = input_shape[2:] if self.data_format == "channels_first" else input_shape[1:-1]
        if None in spatial:
            raise ValueError("ConvLSTM layers only support static input shapes for the spatial "
                             f"dimension. Received invalid input shape: input_shape={input_shape}")
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             f"None. Full input shape received: input_shape={input_shape}")
        self.spatial_dims = tuple(spatial)
        self.input_dim = channels
        f4 = 4 * self.filters
        self.kernel = self.add_weight(shape=self.kernel_size + (channels, f4),
                                      initializer=self.kernel_initializer, name="kernel",
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, f4), initializer=self.recurrent_initializer,
            name="recurrent_kernel", regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            bias_init = self.bias_initializer
            if self.unit_forget_bias:
                base, filters = self.bias_initializer, self.filters

                def bias_init(shape, dtype=None):
                    # The forget gate's bias starts at 1.
                    return torch.cat([base((filters,), dtype=dtype),
                                      initializers.get("ones")((filters,), dtype=dtype),
                                      base((2 * filters,), dtype=dtype)])
            self.bias = self.add_weight(shape=(f4,), name="bias", initializer=bias_init,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _conv(self, x, w, strides, padding, dilation):
        from torkeras.ops import nn
        return nn.conv(x, w, strides=strides, padding=padding, data_format=self.data_format,
                       dilation_rate=dilation)

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        xs, hs = inputs, h_prev
        if training and 0.0 < self.dropout < 1.0:
            xs = [inputs * m for m in self.get_dropout_mask(inputs)]
        else:
            xs = [inputs] * 4
        if training and 0.0 < self.recurrent_dropout < 1.0:
            hs = [h_prev * m for m in self.get_recurrent_dropout_mask(h_prev)]
        else:
            hs = [h_prev] * 4
        kernels = torch.chunk(self.kernel.value, 4, dim=-1)
        recurrents = torch.chunk(self.recurrent_kernel.value, 4, dim=-1)
        biases = (torch.chunk(self.bias.value, 4) if self.bias is not None else (None,) * 4)
        bias_shape = ((1,) * (self.rank + 1) + (self.filters,)
                      if self.data_format == "channels_last"
                      else (1, self.filters) + (1,) * self.rank)
        z = []
        for x, h, k, r, b in zip(xs, hs, kernels, recurrents, biases):
            xg = self._conv(x, k, self.strides, self.padding, self.dilation_rate)
            if b is not None:
                xg = xg + b.reshape(bias_shape)
            z.append(xg + self._conv(h, r, 1, "same", 1))
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_prev + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def compute_output_shape(self, inputs_shape, states_shape=None):
        inputs_shape = tuple(inputs_shape)
        first = self.data_format == "channels_first"
        spatial = inputs_shape[2:] if first else inputs_shape[1:-1]
        out = tuple(arg_utils.conv_output_length(n, k, self.padding, s, d) for n, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        shape = ((inputs_shape[0], self.filters) + out if first
                 else (inputs_shape[0],) + out + (self.filters,))
        return shape, [shape, shape]

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            shape = (batch_size,) + self.spatial_dims + (self.input_dim,)
        else:
            shape = (batch_size, self.input_dim) + self.spatial_dims
        state_shape = self.compute_output_shape(shape)[0]
        return [torch.zeros(state_shape, dtype=self._torch_dtype),
                torch.zeros(state_shape, dtype=self._torch_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update(conv_lstm_config(self))
        return config


def conv_lstm_config(cell):
    """The config entries of a ConvLSTM cell's arguments (Keras's keys)."""
    return {
        "filters": cell.filters, "kernel_size": cell.kernel_size, "strides": cell.strides,
        "padding": cell.padding, "data_format": cell.data_format,
        "dilation_rate": cell.dilation_rate,
        "activation": activations.serialize(cell.activation),
        "recurrent_activation": activations.serialize(cell.recurrent_activation),
        "use_bias": cell.use_bias,
        "kernel_initializer": initializers.serialize(cell.kernel_initializer),
        "recurrent_initializer": initializers.serialize(cell.recurrent_initializer),
        "bias_initializer": initializers.serialize(cell.bias_initializer),
        "unit_forget_bias": cell.unit_forget_bias,
        "kernel_regularizer": regularizers.serialize(cell.kernel_regularizer),
        "recurrent_regularizer": regularizers.serialize(cell.recurrent_regularizer),
        "bias_regularizer": regularizers.serialize(cell.bias_regularizer),
        "kernel_constraint": constraints.serialize(cell.kernel_constraint),
        "recurrent_constraint": constraints.serialize(cell.recurrent_constraint),
        "bias_constraint": constraints.serialize(cell.bias_constraint),
        "dropout": cell.dropout, "recurrent_dropout": cell.recurrent_dropout, "seed": cell.seed,
    }
