"""Conv2DTranspose: 2D transposed convolution, kernel `kernel_size + (filters, in_channels)` as in Keras."""

from torkeras.layers.convolutional.base_conv_transpose import BaseConvTranspose


class Conv2DTranspose(BaseConvTranspose):
    """Transposed 2D convolution layer (sometimes called deconvolution).

    The gradient of a 2D convolution with respect to its input, used to
    upsample: each input position spreads over a `kernel_size` window of the
    output, which is larger than the input when `strides` > 1. The `kernel` has
    shape `kernel_size + (filters, input_channels)`.

    Args:
        filters: positive integer, the number of output channels (filters).
        kernel_size: an integer or a tuple of 2 integers (height and width), the size of the
            convolution window.
        strides: an integer or a tuple of 2 integers (height and width), the step of the window
            (default 1).
        padding: "valid" (no padding) or "same" (pad so that, with stride 1, the
            output has the input's size). Case-insensitive.
        output_padding: optional an integer or a tuple of 2 integers (height and width), extra size
            added to one side of
            each output axis (each less than the stride); None infers it.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        dilation_rate: an integer or a tuple of 2 integers (height and width), the dilation of the
            window (default 1;
            with rates > 1 the strides must be 1).
        activation: activation applied to the output (a name or callable); None
            means linear.
        use_bias: whether the layer adds a bias vector.
        kernel_initializer: initializer of the `kernel` weight (a name such as
            "glorot_uniform", or an initializer). Default "glorot_uniform".
        bias_initializer: initializer of the `bias` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        kernel_regularizer: optional regularizer applied to the `kernel` weight.
        bias_regularizer: optional regularizer applied to the `bias` weight.
        activity_regularizer: optional regularizer applied to the layer's output.
        kernel_constraint: optional constraint applied to the `kernel` weight
            after each optimizer update.
        bias_constraint: optional constraint applied to the `bias` weight
            after each optimizer update.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor `(batch, rows, cols, channels)` ("channels_last") or `(batch, channels, rows,
        cols)`
        ("channels_first").

    Output shape:
        4-D tensor with `filters` channels; with "same" padding and no
        `output_padding`, each spatial size becomes `size * stride`; with "valid",
        `size * stride + max(kernel - stride, 0)`.

    Example:
    >>> x = np.zeros((4, 5, 5, 3), "float32")
    >>> tuple(keras.layers.Conv2DTranspose(8, 3, strides=2, padding="same")(x).shape)
    (4, 10, 10, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding,
                         output_padding=output_padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
