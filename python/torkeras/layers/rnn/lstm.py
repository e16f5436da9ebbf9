"""LSTM: the RNN layer over an `LSTMCell` (Keras's arguments, config and
weights at `<lstm>/cell`). With tanh / sigmoid activations, no recurrent
dropout in training and no mask, the sequence runs in torch's fused LSTM
kernel; otherwise in the step loop (same numbers, tested)."""

from torkeras import activations
from torkeras.layers.rnn import cell_args, fused_kernels
from torkeras.layers.rnn.lstm_cell import LSTMCell
from torkeras.layers.rnn.rnn import CellArgumentsRNN


class LSTM(CellArgumentsRNN):
    """Long Short-Term Memory layer (Hochreiter & Schmidhuber, 1997).

    With input, forget and output gates `i`, `f`, `o` and the candidate
    `g`: `i = recurrent_activation(x @ W_i + h @ U_i + b_i)` (likewise `f`, `o`),
    `g = activation(x @ W_c + h @ U_c + b_c)`, `c_t = f * c + i * g` and
    `h_t = o * activation(c_t)`. `kernel` is `(features, 4 * units)`,
    `recurrent_kernel` `(units, 4 * units)` and `bias` `(4 * units,)`, gates in
    the order i, f, c, o. The states are `[h, c]`.

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
        activity_regularizer: optional regularizer applied to the layer's output.
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
        return_sequences: whether to return the output of every time step
            `(batch, timesteps, units)` or only the last one `(batch, units)`.
        return_state: whether to also return the final state(s), after the
            output.
        go_backwards: whether to process the sequence from its end (the
            returned sequence is then in reversed order).
        stateful: whether the final states of each batch are the initial states
            of the next call (sample `i` continuing sample `i` of the previous
            batch); reset them with `reset_state()`.
        unroll: recorded in the config for Keras compatibility; the time loop
            runs step by step (or as one fused torch kernel) either way.
        use_cudnn: "auto" (default) runs the whole sequence with torch's fused
            kernel when the configuration allows (default activations, no
            dropout on the state); True requires it (an error otherwise); False
            always runs the step loop.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a 3-D tensor `(batch, timesteps, features)`.
        mask: optional boolean tensor `(batch, timesteps)`; at masked steps the
            states are kept and the previous output is repeated.
        training: whether dropout is applied.
        initial_state: optional list of initial state tensors (default zeros).

    Output shape:
        `(batch, units)`, or `(batch, timesteps, units)` with
        `return_sequences=True`; with `return_state=True` a list of the output
        and the 2 final states, each `(batch, units)`.

    Example:
    >>> x = np.zeros((4, 10, 8), "float32")
    >>> outputs, h, c = keras.layers.LSTM(5, return_state=True)(x)
    >>> tuple(outputs.shape), tuple(c.shape)
    ((4, 5), (4, 5))
    """

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

