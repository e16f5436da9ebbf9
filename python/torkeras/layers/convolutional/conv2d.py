"""Conv2D: 2D convolution over channels_last inputs, kernel `kernel_size + (in // groups, filters)`."""

from torkeras.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """2D convolution layer (e.g. spatial convolution over images).

    Convolves a `kernel` of shape `kernel_size + (input_channels // groups, filters)`
    with the inputs, adds a bias (`use_bias`) and applies the activation.

    Args:
        filters: positive integer, the number of output channels (filters).
        kernel_size: an integer or a tuple of 2 integers (height and width), the size of the
            convolution window.
        strides: an integer or a tuple of 2 integers (height and width), the step of the window
            (default 1).
        padding: "valid" (no padding) or "same" (pad so that, with stride 1, the
            output has the input's size). Case-insensitive.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        dilation_rate: an integer or a tuple of 2 integers (height and width), the dilation of the
            window (default 1;
            with rates > 1 the strides must be 1).
        groups: positive integer; the input channels are split into `groups`
            groups convolved separately (both channel counts must be divisible by it).
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
        4-D tensor with `filters` channels; each spatial size becomes
        `ceil(size / stride)` with "same" padding and
        `ceil((size - dilation * (kernel - 1)) / stride)` with "valid".

    Example:
    >>> x = np.zeros((4, 10, 10, 3), "float32")
    >>> tuple(keras.layers.Conv2D(8, 3, padding="same")(x).shape)
    (4, 10, 10, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
