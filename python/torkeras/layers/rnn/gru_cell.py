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
    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        kwargs.pop("implementation", None)
        super().__init__(**kwargs)
        self.units = cell_args.check_units(units)
        cell_args.set_cell_arguments(
            self, "GRUCell", activation, use_bias, kernel_initializer, recurrent_initializer,
            bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
            kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
            seed)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
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
        if training and 0.0 < self.dropout < 1.0:
            inputs = inputs * self.get_dropout_mask(inputs)
        h_in = h_prev
        if training and 0.0 < self.recurrent_dropout < 1.0:
            h_in = h_prev * self.get_recurrent_dropout_mask(h_prev)
        kernel, recurrent = self.kernel.value, self.recurrent_kernel.value
        bias = None if self.bias is None else self.bias.value
        x_proj = torch.matmul(inputs, kernel)
        if bias is not None:
            x_proj = x_proj + (bias[0] if self.reset_after else bias)
        x_z, x_r, x_h = torch.split(x_proj, units, dim=-1)
        if self.reset_after:
            inner = torch.matmul(h_in, recurrent)
            if bias is not None:
                inner = inner + bias[1]
            rec_z, rec_r, rec_h = torch.split(inner, units, dim=-1)
        else:
            rec_z, rec_r = torch.split(torch.matmul(h_in, recurrent[:, :2 * units]), units, dim=-1)
        z = self.recurrent_activation(x_z + rec_z)
        r = self.recurrent_activation(x_r + rec_r)
        if self.reset_after:
            rec_h = r * rec_h
        else:
            rec_h = torch.matmul(r * h_in, recurrent[:, 2 * units:])
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
