"""ConvLSTM1D: convolutional LSTM over 1 spatial axis/axes (Keras's layer)."""

from torkeras.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1D convolutional LSTM: an LSTM whose input and recurrent transformations are 1D convolutions.

    The gates are those of `LSTM` with the matrix products replaced by
    convolutions. Weights: `kernel` `kernel_size + (channels, 4 * filters)`,
    `recurrent_kernel` `kernel_size + (filters, 4 * filters)` and `bias`
    `(4 * filters,)`, gates ordered input, forget, cell, output. Dropout and
    recurrent dropout draw one mask per gate, reused at every step.

    Args:
        filters: positive integer, the number of output channels.
        kernel_size: an integer, the size of the convolution window.
        strides: an integer, the step of the input convolution (the recurrent
            convolution always uses stride 1).
        padding: "valid" or "same" (input convolution; the recurrent one
            always uses "same").
        data_format: "channels_last" (inputs `(batch, time, steps, channels)`) or "channels_first"
            (inputs `(batch, time, channels, steps)`); None uses `keras.config.image_data_format()`.
        dilation_rate: an integer, the dilation of the window (not together
            with strides > 1).
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
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        `(batch, time, steps, channels)` ("channels_last") or `(batch, time, channels, steps)`
        ("channels_first").

    Output shape:
        The last step's `h` (every step's with `return_sequences=True`, with
        the time axis after the batch axis): the convolution's output shape with
        `filters` channels; `return_state=True` also returns the final `h` and
        `c`.

    Example:
    >>> x = np.zeros((2, 5, 10, 3), "float32")
    >>> tuple(keras.layers.ConvLSTM1D(4, 3)(x).shape)
    (2, 8, 4)
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
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
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
