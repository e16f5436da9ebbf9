"""ConvLSTM2D: convolutional LSTM over 2 spatial axis/axes (Keras's layer)."""

from torkeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    """2D convolutional LSTM: an LSTM whose input and recurrent
    transformations are 2D convolutions.

    Inputs have shape `(batch, time, rows, cols, channels)` (`data_format=
    "channels_last"`, the default) or `(batch, time, channels, rows, cols)`.
    The output is the last step's `h` (or every step's with
    `return_sequences=True`) of the convolution's output shape with
    `filters` channels; `return_state=True` also returns the final `h`
    and `c`. Weights: `kernel` `kernel_size + (channels, 4 * filters)`,
    `recurrent_kernel` `kernel_size + (filters, 4 * filters)` and `bias`
    `(4 * filters,)`, gates ordered input, forget, cell, output. The
    recurrent convolution always uses stride 1 and "same" padding. Dropout
    and recurrent dropout draw one mask per gate, reused at every step.

    Args:
        filters: number of output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints (input convolution only).
        padding: "valid" or "same".
        data_format: "channels_last" or "channels_first" (default: the
            configured image data format).
        dilation_rate: int or tuple of 2 ints (not together with strides > 1).
        activation, recurrent_activation: activations of the cell/output and
            of the gates.
        use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
        unit_forget_bias, kernel_regularizer, recurrent_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        recurrent_constraint, bias_constraint: as in LSTM.
        dropout, recurrent_dropout: fractions of the input / state to drop.
        seed: seed of the dropout masks.
        return_sequences, return_state, go_backwards, stateful: as in RNN.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        super().__init__(
            rank=2, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, return_sequences=return_sequences,
            return_state=return_state, go_backwards=go_backwards, stateful=stateful, **kwargs)
