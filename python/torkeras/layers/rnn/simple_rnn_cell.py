"""SimpleRNNCell: h' = activation(x @ kernel + bias + h @ recurrent_kernel),
kernel (input_dim, units), recurrent_kernel (units, units), bias (units,)."""

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.rnn import cell_args
from torkeras.layers.rnn.dropout_rnn_cell import DropoutRNNCell


class SimpleRNNCell(Layer, DropoutRNNCell):
    """The cell of `SimpleRNN`: one time step of a fully-connected recurrent layer.

    `call(inputs, states)` returns `(h, [h])` with
    `h = activation(inputs @ kernel + states[0] @ recurrent_kernel + bias)`.
    Give it to `keras.layers.RNN` to process sequences.

    Args:
        units: positive integer, the dimensionality of the output and state.
        activation: activation of the output/candidate (default "tanh"); None
            means linear.
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
        seed: optional integer seed of the dropout masks.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> layer = keras.layers.RNN(keras.layers.SimpleRNNCell(4))
    >>> tuple(layer(np.zeros((2, 5, 3), "float32")).shape)
    (2, 4)
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = cell_args.check_units(units)
        cell_args.set_cell_arguments(
            self, "SimpleRNNCell", activation, use_bias, kernel_initializer,
            recurrent_initializer, bias_initializer, kernel_regularizer, recurrent_regularizer,
            bias_regularizer, kernel_constraint, recurrent_constraint, bias_constraint, dropout,
            recurrent_dropout, seed)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        cell_args.build_cell_weights(self, input_shape[-1], 1, (self.units,),
                                     self.bias_initializer)
        self.built = True

    def call(self, sequence, states, training=False):
        nested = isinstance(states, (list, tuple))
        h_prev = states[0] if nested else states
        if training and 0.0 < self.dropout < 1.0:
            sequence = sequence * self.get_dropout_mask(sequence)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            h_prev = h_prev * self.get_recurrent_dropout_mask(h_prev)
        h = torch.matmul(sequence, self.kernel.value)
        if self.bias is not None:
            h = h + self.bias.value
        h = self.activation(h + torch.matmul(h_prev, self.recurrent_kernel.value))
        return h, ([h] if nested else h)

    def get_initial_state(self, batch_size=None):
        return [torch.zeros((batch_size, self.units), dtype=self._torch_dtype)]

    def get_config(self):
        config = super().get_config()
        config.update(cell_args.cell_config(self))
        return config
