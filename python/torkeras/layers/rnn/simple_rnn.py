"""SimpleRNN: the RNN layer over a `SimpleRNNCell` (Keras's arguments,
config and weights at `<simple_rnn>/cell`). With a tanh or relu activation,
no recurrent dropout in training and no mask, the sequence runs in torch's
fused `rnn_tanh` / `rnn_relu` kernel; otherwise in the step loop."""

from torkeras import activations
from torkeras.layers.rnn import fused_kernels
from torkeras.layers.rnn.rnn import CellArgumentsRNN
from torkeras.layers.rnn.simple_rnn_cell import SimpleRNNCell


class SimpleRNN(CellArgumentsRNN):
    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias,
                             kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer,
                             bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer,
                             recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer,
                             kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint,
                             bias_constraint=bias_constraint, dropout=dropout,
                             recurrent_dropout=recurrent_dropout, seed=seed,
                             dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                             name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        # Keras's SimpleRNN has no `use_cudnn`; the fused kernel is always
        # used when possible (tests switch it off to compare with the loop).
        self._use_fused_kernel = True

    def _fused_sequence(self, sequences, states, training):
        cell = self.cell
        if cell.activation is activations.tanh:
            nonlinearity = "tanh"
        elif cell.activation is activations.relu:
            nonlinearity = "relu"
        else:
            return None
        if not self._use_fused_kernel or (training and 0.0 < cell.recurrent_dropout < 1.0):
            return None
        sequences = self._fused_inputs(sequences, training)
        outputs, h = fused_kernels.simple_rnn(sequences, states[0], cell.kernel.value,
                                              cell.recurrent_kernel.value,
                                              None if cell.bias is None else cell.bias.value,
                                              nonlinearity, self.go_backwards)
        return h, outputs, [h]


SimpleRNN._cell_attributes = frozenset((
    "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
    "recurrent_dropout", "seed"))
