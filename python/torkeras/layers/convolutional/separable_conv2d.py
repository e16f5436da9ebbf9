"""SeparableConv2D: 2D depthwise convolution then a pointwise (1x1) convolution mixing channels."""

from torkeras.layers.convolutional.base_separable_conv import BaseSeparableConv


class SeparableConv2D(BaseSeparableConv):
    """Separable 2D convolution: a depthwise convolution followed by a pointwise one.

    First each input channel is convolved separately with `depth_multiplier`
    kernels (`depthwise_kernel`, shape
    `kernel_size + (input_channels, depth_multiplier)`); then a 1x1 convolution
    (`pointwise_kernel`, shape `(1,) * 2 + (input_channels * depth_multiplier, filters)`)
    mixes the channels and the bias is added. Strides, padding and dilation
    apply to the depthwise step. Fewer weights than a full convolution.

    Args:
        filters: positive integer, the number of output channels.
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
        depth_multiplier: number of depthwise output channels per input channel.
        activation: activation applied to the output (a name or callable); None
            means linear.
        use_bias: whether the layer adds a bias vector.
        depthwise_initializer: initializer of the `depthwise` weight (a name such as
            "glorot_uniform", or an initializer). Default "glorot_uniform".
        pointwise_initializer: initializer of the `pointwise` weight (a name such as
            "glorot_uniform", or an initializer). Default "glorot_uniform".
        bias_initializer: initializer of the `bias` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        depthwise_regularizer: optional regularizer applied to the `depthwise` weight.
        pointwise_regularizer: optional regularizer applied to the `pointwise` weight.
        bias_regularizer: optional regularizer applied to the `bias` weight.
        activity_regularizer: optional regularizer applied to the layer's output.
        depthwise_constraint: optional constraint applied to the `depthwise` weight
            after each optimizer update.
        pointwise_constraint: optional constraint applied to the `pointwise` weight
            after each optimizer update.
        bias_constraint: optional constraint applied to the `bias` weight
            after each optimizer update.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor `(batch, rows, cols, channels)` ("channels_last") or `(batch, channels, rows,
        cols)`
        ("channels_first").

    Output shape:
        4-D tensor with `filters` channels.

    Example:
    >>> x = np.zeros((4, 10, 10, 3), "float32")
    >>> tuple(keras.layers.SeparableConv2D(8, 3)(x).shape)
    (4, 8, 8, 8)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(2, depth_multiplier, filters, kernel_size, strides=strides,
                         padding=padding, data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
