"""GRUCell: one GRU time step with Keras's weights.

kernel (input_dim, 3*units) and recurrent_kernel (units, 3*units), gate
blocks update (z), reset (r), candidate (h). With `reset_after=True` (the
default) the bias is (2, 3*units): an input bias and a recurrent bias, and the
reset gate multiplies the recurrent projection:
    z = rec_act(x Wz + bz + h Uz + rz) ; r = rec_act(x Wr + br + h Ur + rr)
    hh = act(x Wh + bh + r * (h Uh + rh))
With `reset_after=False` the bias is (3*units,) and hh = act(x Wh + bh + (r * h) Uh).
Both: h' = z * h + (1 - z) * hh.
"""

import torch

from torkeras import activations
from torkeras.layers.layer import Layer
from torkeras.layers.rnn import cell_args
from torkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell


class GRUCell(Layer, DropoutRNNCell):
    """The cell of `GRU`: one time step of a Gated Recurrent Unit.

    `call(inputs, states)` returns `(h, [h])`. With `z` (update gate), `r` (reset gate) and the
    candidate `hh`:
    `z = recurrent_activation(x @ W_z + h @ U_z + b_z)`,
    `r = recurrent_activation(x @ W_r + h @ U_r + b_r)`,
    `hh = activation(x @ W_h + r * (h @ U_h + b_rh) + b_h)` (with
    `reset_after=True`; otherwise `(r * h) @ U_h`), and
    `h_t = z * h + (1 - z) * hh`. `kernel` is `(features, 3 * units)`,
    `recurrent_kernel` `(units, 3 * units)`, gates in the order z, r, h; `bias`
    is `(2, 3 * units)` (input and recurrent biases) with `reset_after=True`,
    else `(3 * units,)`.
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
        reset_after: whether the reset gate is applied after the recurrent
            matrix multiplication (True, default; the cuDNN convention) or before.
        seed: optional integer seed of the dropout masks.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> layer = keras.layers.RNN(keras.layers.GRUCell(4))
    >>> tuple(layer(np.zeros((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.units = cell_args.check_units(units)
        cell_args.set_cell_arguments(
            self, "GRUCell", activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
            seed)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
        cell_args.set_implementation(self, implementation, 3)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        cell_args.build_cell_weights(self, input_shape[-1], 3, bias_shape, self.bias_initializer)
        self.built = True

    def call(self, inputs, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_prev = states[0] if nested else states
        units = self.units
        inputs, h_in = cell_args.gate_inputs(self, inputs, h_prev, training)
        kernel, recurrent = self.kernel.value, self.recurrent_kernel.value
        bias = None if self.bias is None else self.bias.value
        in_bias = None if bias is None else (bias[0] if self.reset_after else bias)
        if not isinstance(inputs, list):
            inputs, h_in = [inputs] * 3, [h_in] * 3
        # Gate blocks z, r, h; with implementation=1 each gate has its own
        # dropped input and state (for implementation=2 the lists repeat one).
        k = torch.split(kernel, units, dim=-1)
        u = torch.split(recurrent, units, dim=-1)
        x_z, x_r, x_h = (torch.matmul(x, w) for x, w in zip(inputs, k))
        if in_bias is not None:
            x_z, x_r, x_h = (x + b for x, b in zip((x_z, x_r, x_h),
                                                   torch.split(in_bias, units, dim=-1)))
        rec_z = torch.matmul(h_in[0], u[0])
        rec_r = torch.matmul(h_in[1], u[1])
        if self.reset_after and bias is not None:
            b_z, b_r, b_h = torch.split(bias[1], units, dim=-1)
            rec_z, rec_r = rec_z + b_z, rec_r + b_r
        z = self.recurrent_activation(x_z + rec_z)
        r = self.recurrent_activation(x_r + rec_r)
        if self.reset_after:
            rec_h = torch.matmul(h_in[2], u[2])
            if bias is not None:
                rec_h = rec_h + b_h
            rec_h = r * rec_h
        else:
            rec_h = torch.matmul(r * h_in[2], u[2])
        hh = self.activation(x_h + rec_h)
        h = z * h_prev + (1 - z) * hh
        return h, ([h] if nested else h)

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size, self.units), dtype=self._torch_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update(cell_args.cell_config(self))
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config
