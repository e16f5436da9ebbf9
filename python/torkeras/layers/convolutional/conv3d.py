"""Conv3D: 3D convolution over channels_last inputs, kernel `kernel_size + (in // groups, filters)`."""

from torkeras.layers.convolutional.base_conv import BaseConv


class Conv3D(BaseConv):
    """3D convolution layer (e.g. spatial convolution over volumes).

    Convolves a `kernel` of shape `kernel_size + (input_channels // groups, filters)`
    with the inputs, adds a bias (`use_bias`) and applies the activation.

    Args:
        filters: positive integer, the number of output channels (filters).
        kernel_size: an integer or a tuple of 3 integers (depth, height and width), the size of the
            convolution window.
        strides: an integer or a tuple of 3 integers (depth, height and width), the step of the
            window (default 1).
        padding: "valid" (no padding) or "same" (pad so that, with stride 1, the
            output has the input's size). Case-insensitive.
        data_format: "channels_last" (inputs `(batch, dim1, dim2, dim3, channels)`) or
            "channels_first"
            (inputs `(batch, channels, dim1, dim2, dim3)`); None uses
            `keras.config.image_data_format()`
            ("channels_last" by default).
        dilation_rate: an integer or a tuple of 3 integers (depth, height and width), the dilation
            of the window (default 1;
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
        5-D tensor `(batch, dim1, dim2, dim3, channels)` ("channels_last") or `(batch, channels,
        dim1, dim2, dim3)`
        ("channels_first").

    Output shape:
        5-D tensor with `filters` channels; each spatial size becomes
        `ceil(size / stride)` with "same" padding and
        `ceil((size - dilation * (kernel - 1)) / stride)` with "valid".

    Example:
    >>> x = np.zeros((1, 6, 6, 6, 2), "float32")
    >>> tuple(keras.layers.Conv3D(4, 3)(x).shape)
    (1, 4, 4, 4, 4)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
