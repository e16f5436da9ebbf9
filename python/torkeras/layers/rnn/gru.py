"""GRU: the RNN layer over a `GRUCell` (Keras's arguments, config and
weights at `<gru>/cell`). With tanh / sigmoid activations, reset_after=True,
no recurrent dropout in training and no mask, the sequence runs in torch's
fused GRU kernel (its gate order r, z, n is Keras's z, r, h reordered);
otherwise in the step loop."""

from torkeras import activations
from torkeras.layers.rnn import cell_args, fused_kernels
from torkeras.layers.rnn.gru_cell import GRUCell
from torkeras.layers.rnn.rnn import CellArgumentsRNN


class GRU(CellArgumentsRNN):
    _extra_cell_config = ("recurrent_activation", "reset_after")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation,
                       use_bias=use_bias, kernel_initializer=kernel_initializer,
                       recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer,
                       bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                       recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                       dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, seed=seed, dtype=kwargs.get("dtype"),
                       trainable=kwargs.get("trainable", True), name="gru_cell",
                       implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.use_cudnn = cell_args.check_use_cudnn(use_cudnn)

    def _fused_sequence(self, sequences, states, training):
        cell = self.cell
        fusable = (cell.activation is activations.tanh
                   and cell.recurrent_activation is activations.sigmoid and cell.reset_after
                   and not (training and 0.0 < cell.recurrent_dropout < 1.0)
                   and not (training and 0.0 < cell.dropout < 1.0
                            and getattr(cell, "dropout_mask_count", None)))
        if self.use_cudnn is False or not fusable:
            if self.use_cudnn is True:
                raise ValueError(cell_args.UNFUSABLE.format(extra=", reset_after=True"))
            return None
        sequences = self._fused_inputs(sequences, training)
        outputs, h = fused_kernels.gru(sequences, states[0], cell.kernel.value,
                                       cell.recurrent_kernel.value,
                                       None if cell.bias is None else cell.bias.value,
                                       cell.units, self.go_backwards)
        return h, outputs, [h]


GRU._cell_attributes = frozenset((
    "units", "activation", "recurrent_activation", "use_bias", "reset_after",
    "kernel_initializer", "recurrent_initializer", "bias_initializer", "kernel_regularizer",
    "recurrent_regularizer", "bias_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed"))
