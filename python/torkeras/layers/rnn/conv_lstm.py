"""ConvLSTM: the RNN layer over a ConvLSTMCell, base of ConvLSTM1D/2D/3D.

Inputs `(batch, time, *spatial, channels)` (or `(batch, time, channels,
*spatial)` with `data_format="channels_first"`); outputs and the states h, c
have the convolution's output shape. Keras's arguments, config (the cell's
arguments flattened into the layer's config) and weights at `<layer>/cell`.
Always runs the step loop (there is no fused torch kernel for it).
"""

from torkeras import regularizers
from torkeras.layers.layer import construct_from_config
from torkeras.layers.rnn.conv_lstm_cell import ConvLSTMCell, conv_lstm_config
from torkeras.layers.rnn.rnn import RNN


class ConvLSTM(RNN):
    """Convolutional LSTM over `rank` spatial axes (use ConvLSTM1D/2D/3D)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 return_sequences=False, return_state=False, go_backwards=False, stateful=False,
                 **kwargs):
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, **kwargs)
        self.rank = rank
        # Two states (h, c) whose shape is known once the input is.
        self.state_size = [-1, -1]
        self.single_state = False

    _cell_attributes = frozenset((
        "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
        "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed"))

    def _check_rank(self, ndim, shape):
        if ndim != self.rank + 3:
            raise ValueError(f"{type(self).__name__} {self.name!r}: inputs must be "
                             f"{self.rank + 3}D (batch, time, {self.rank} spatial axes, "
                             f"channels); received shape {tuple(shape)}")

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        self._check_rank(len(sequences_shape), sequences_shape)
        if not self.cell.built:
            from torkeras import naming
            with naming.name_scope(self.cell.name):
                self.cell._call_build((sequences_shape[0],) + sequences_shape[2:])
            self.cell.built = True
        if self.stateful and sequences_shape[0] is None:
            raise ValueError("When using `stateful=True` in a RNN, the batch size must be "
                             f"static. Found dynamic batch size: sequence.shape={sequences_shape}")
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=False):
        self._check_rank(sequences.dim(), sequences.shape)
        return self._run(sequences, initial_state, mask, training)

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        state = self.cell.compute_output_shape((batch,) + sequences_shape[2:])[0][1:]
        output = (batch, steps) + state if self.return_sequences else (batch,) + state
        if self.return_state:
            return output, (batch,) + state, (batch,) + state
        return output

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        config.update(conv_lstm_config(self.cell))
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return construct_from_config(cls, config)
