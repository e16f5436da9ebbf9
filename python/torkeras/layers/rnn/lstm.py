"""LSTM: the RNN layer over an `LSTMCell` (Keras's arguments, config and
weights at `<lstm>/cell`). With tanh / sigmoid activations, no recurrent
dropout in training and no mask, the sequence runs in torch's fused LSTM
kernel; otherwise in the step loop (same numbers, tested)."""

from torkeras import activations
from torkeras.layers.rnn import cell_args, fused_kernels
from torkeras.layers.rnn.lstm_cell import LSTMCell
from torkeras.layers.rnn.rnn import CellArgumentsRNN


class LSTM(CellArgumentsRNN):
    _extra_cell_config = ("recurrent_activation", "unit_forget_bias")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation,
                        use_bias=use_bias, kernel_initializer=kernel_initializer,
                        recurrent_initializer=recurrent_initializer,
                        bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                        kernel_regularizer=kernel_regularizer,
                        recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint,
                        bias_constraint=bias_constraint, dropout=dropout,
                        recurrent_dropout=recurrent_dropout, seed=seed,
                        dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
                        name="lstm_cell", implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        # `use_cudnn` picks torch's fused kernel here: "auto" when possible,
        # False never, True always (an error when the configuration cannot).
        self.use_cudnn = cell_args.check_use_cudnn(use_cudnn)

    def _fused_sequence(self, sequences, states, training):
        cell = self.cell
        fusable = (cell.activation is activations.tanh
                   and cell.recurrent_activation is activations.sigmoid
                   and not (training and 0.0 < cell.recurrent_dropout < 1.0)
                   and not (training and 0.0 < cell.dropout < 1.0
                            and getattr(cell, "dropout_mask_count", None)))
        if self.use_cudnn is False or not fusable:
            if self.use_cudnn is True:
                raise ValueError(cell_args.UNFUSABLE.format(extra=""))
            return None
        sequences = self._fused_inputs(sequences, training)
        outputs, h, c = fused_kernels.lstm(sequences, states[0], states[1], cell.kernel.value,
                                           cell.recurrent_kernel.value,
                                           None if cell.bias is None else cell.bias.value,
                                           self.go_backwards)
        return h, outputs, [h, c]


LSTM._cell_attributes = frozenset((
    "units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
    "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed"))

