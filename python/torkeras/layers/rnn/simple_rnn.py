"""SimpleRNN: the RNN layer over a `SimpleRNNCell` (Keras's arguments,
config and weights at `<simple_rnn>/cell`). With a tanh or relu activation,
no recurrent dropout in training and no mask, the sequence runs in torch's
fused `rnn_tanh` / `rnn_relu` kernel; otherwise in the step loop."""

from torkeras import activations
from torkeras.layers.rnn import fused_kernels
from torkeras.layers.rnn.rnn import CellArgumentsRNN
from torkeras.layers.rnn.simple_rnn_cell import SimpleRNNCell


class SimpleRNN(CellArgumentsRNN):
    """Fully-connected recurrent layer whose output is fed back as the next input state.

    At each step `h_t = activation(x_t @ kernel + h_(t-1) @ recurrent_kernel + bias)`,
    with `kernel` `(features, units)`, `recurrent_kernel` `(units, units)` and
    `bias` `(units,)`; the output is `h_t`.

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
        seed: optional integer seed of the dropout masks.
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
        and the final state, each `(batch, units)`.

    Example:
    >>> x = np.zeros((4, 10, 8), "float32")
    >>> tuple(keras.layers.SimpleRNN(5)(x).shape)
    (4, 5)
    >>> tuple(keras.layers.SimpleRNN(5, return_sequences=True)(x).shape)
    (4, 10, 5)
    """

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
