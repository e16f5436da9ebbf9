"""DepthwiseConv2D: 2D convolution of each input channel with its own `depth_multiplier` kernels."""

from torkeras.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv2D(BaseDepthwiseConv):
    """Depthwise 2D convolution: each input channel is convolved with its own kernels.

    Each input channel `c` is convolved separately with `depth_multiplier`
    kernels (the `depthwise_kernel` has shape
    `kernel_size + (input_channels, depth_multiplier)`); output channel
    `c * depth_multiplier + m` comes from input channel `c` and kernel `m`. The
    channels are not mixed (see `SeparableConv2D` for a depthwise then
    pointwise convolution).

    Args:
        kernel_size: an integer or a tuple of 2 integers (height and width), the size of the
            convolution window.
        strides: an integer or a tuple of 2 integers (height and width), the step of the window
            (default 1).
        padding: "valid" (no padding) or "same" (pad so that, with stride 1, the
            output has the input's size). Case-insensitive.
        depth_multiplier: number of output channels per input channel (the
            output has `input_channels * depth_multiplier` channels).
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        dilation_rate: an integer or a tuple of 2 integers (height and width), the dilation of the
            window (default 1;
            with rates > 1 the strides must be 1).
        activation: activation applied to the output (a name or callable); None
            means linear.
        use_bias: whether the layer adds a bias vector.
        depthwise_initializer: initializer of the `depthwise` weight (a name such as
            "glorot_uniform", or an initializer). Default "glorot_uniform".
        bias_initializer: initializer of the `bias` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        depthwise_regularizer: optional regularizer applied to the `depthwise` weight.
        bias_regularizer: optional regularizer applied to the `bias` weight.
        activity_regularizer: optional regularizer applied to the layer's output.
        depthwise_constraint: optional constraint applied to the `depthwise` weight
            after each optimizer update.
        bias_constraint: optional constraint applied to the `bias` weight
            after each optimizer update.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor `(batch, rows, cols, channels)` ("channels_last") or `(batch, channels, rows,
        cols)`
        ("channels_first").

    Output shape:
        4-D tensor with `input_channels * depth_multiplier` channels.

    Example:
    >>> x = np.zeros((4, 10, 10, 3), "float32")
    >>> tuple(keras.layers.DepthwiseConv2D(3)(x).shape)
    (4, 8, 8, 3)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
