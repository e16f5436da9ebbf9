"""LSTMCell: one LSTM time step with Keras's weights.

kernel (input_dim, 4*units), recurrent_kernel (units, 4*units) and bias
(4*units), gates in the order input, forget, cell candidate, output:
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = recurrent_activation(z_i), recurrent_activation(z_f),
                 activation(z_g), recurrent_activation(z_o)
    c' = f * c + i * g ;  h' = o * activation(c')
"""

import torch

from torkeras import activations, initializers
from torkeras.layers.layer import Layer
from torkeras.layers.rnn import cell_args
from torkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell


class LSTMCell(Layer, DropoutRNNCell):
    """The cell of `LSTM`: one time step of a Long Short-Term Memory layer.

    `call(inputs, states)` returns `(h, [h, c])`. With input, forget and output gates `i`, `f`, `o`
    and the candidate
    `g`: `i = recurrent_activation(x @ W_i + h @ U_i + b_i)` (likewise `f`, `o`),
    `g = activation(x @ W_c + h @ U_c + b_c)`, `c_t = f * c + i * g` and
    `h_t = o * activation(c_t)`. `kernel` is `(features, 4 * units)`,
    `recurrent_kernel` `(units, 4 * units)` and `bias` `(4 * units,)`, gates in
    the order i, f, c, o. The states are `[h, c]`.
    Give it to `keras.layers.RNN` to process sequences.

    Args:
        units: positive integer, the dimensionality of the output and state.
        activation: activation of the output/candidate (default "tanh"); None
            means linear.
        recurrent_activation: activation of the gates (default "sigmoid").
        use_bias: whether the layer uses a bias vector.
        kernel_initializer: initializer of the `kernel` weight, the input
            transformation (a name such as "glorot_uniform", or an initializer).
            Default "glorot_uniform".
        recurrent_initializer: initializer of the `recurrent_kernel` weight (a name such as
            "orthogonal", or an initializer). Default "orthogonal".
        bias_initializer: initializer of the `bias` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        unit_forget_bias: whether to add 1 to the forget-gate bias at
            initialization (and use zeros for the rest of the bias).
        kernel_regularizer: optional regularizer applied to the `kernel` weight.
        recurrent_regularizer: optional regularizer applied to the `recurrent_kernel` weight.
        bias_regularizer: optional regularizer applied to the `bias` weight.
        kernel_constraint: optional constraint applied to the `kernel` weight
            after each optimizer update.
        recurrent_constraint: optional constraint applied to the `recurrent_kernel` weight
            after each optimizer update.
        bias_constraint: optional constraint applied to the `bias` weight
            after each optimizer update.
        dropout: float in [0, 1), the fraction of the input units dropped for
            the input transformation (training only).
        recurrent_dropout: float in [0, 1), the fraction of the state units
            dropped for the recurrent transformation (training only).
        seed: optional integer seed of the dropout masks.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> layer = keras.layers.RNN(keras.layers.LSTMCell(4), return_state=True)
    >>> output, h, c = layer(np.zeros((2, 5, 3), "float32"))
    >>> tuple(output.shape), tuple(c.shape)
    ((2, 4), (2, 4))
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = cell_args.check_units(units)
        cell_args.set_cell_arguments(
            self, "LSTMCell", activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
            seed)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        cell_args.set_implementation(self, implementation, 4)
        self.state_size = [self.units, self.units]
        self.output_size = self.units

    def build(self, input_shape):
        bias_init = self.bias_initializer
        if self.unit_forget_bias:
            units, base = self.units, self.bias_initializer

            def bias_init(shape, dtype=None):
                # The forget gate starts at 1 (Jozefowicz et al. 2015).
                return torch.cat([base((units,), dtype=dtype),
                                  initializers.get("ones")((units,), dtype=dtype),
                                  base((2 * units,), dtype=dtype)])
        cell_args.build_cell_weights(self, input_shape[-1], 4, (4 * self.units,), bias_init)
        self.built = True

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states[0], states[1]
        inputs, h_prev = cell_args.gate_inputs(self, inputs, h_prev, training)
        kernel, recurrent = self.kernel.value, self.recurrent_kernel.value
        if isinstance(inputs, list):
            # implementation=1: each gate sees its own dropped input / state.
            z = torch.cat([torch.matmul(x, k) + torch.matmul(h, r) for x, h, k, r in zip(
                inputs, h_prev, torch.chunk(kernel, 4, dim=-1),
                torch.chunk(recurrent, 4, dim=-1))], dim=-1)
        else:
            z = torch.matmul(inputs, kernel) + torch.matmul(h_prev, recurrent)
        if self.bias is not None:
            z = z + self.bias.value
        z_i, z_f, z_g, z_o = torch.chunk(z, 4, dim=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_g)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size, d), dtype=self._torch_dtype) for d in self.state_size]

    def get_config(self):
        config = super().get_config()
        config.update(cell_args.cell_config(self))
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config
