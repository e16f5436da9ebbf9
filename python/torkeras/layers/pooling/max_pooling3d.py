"""MaxPooling3D: 3D max pooling; `strides` defaults to `pool_size`."""

from torkeras.layers.pooling.base_pooling import BasePooling


class MaxPooling3D(BasePooling):
    """3D max pooling, as `keras.layers.MaxPooling3D`.

    Slides a window of `pool_size` over the depth, height and width axes with step
    `strides` and outputs the maximum of each window. With `padding="same"` the padded
    positions never win (they count as -inf). Each channel is pooled independently.

    Args:
        pool_size: The window size, an integer or a tuple of 3 integers (depth, height,
            width). Defaults to `(2, 2, 2)`.
        strides: The step between windows, an integer or a tuple of 3 integers (depth,
            height, width); `None` (the default) means `pool_size`.
        padding: `"valid"` (no padding: positions where the window does not fit are
            dropped) or `"same"` (pad evenly, the odd element at the end, so that each
            output size is `ceil(size / strides)`). Case-insensitive.
        data_format: `"channels_last"` (inputs `(batch, depth, height, width,
            channels)`) or `"channels_first"` (inputs `(batch, channels, depth, height,
            width)`). Defaults to the `image_data_format` setting.
        name: The layer's name (default: derived from the class name).
        **kwargs: Base layer keyword arguments, such as `dtype`.

    Call arguments:
        inputs: A tensor of rank 5 in `data_format` layout.

    Returns:
        A tensor of the same rank and layout whose depth, height and width sizes are
        `floor((size - pool_size) / strides) + 1` for `"valid"` and `ceil(size /
        strides)` for `"same"`.

    Example:
    >>> x = np.ones((1, 4, 4, 4, 3), "float32")
    >>> tuple(keras.layers.MaxPooling3D(padding="same", strides=3)(x).shape)
    (1, 2, 2, 2, 3)
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=3, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)
