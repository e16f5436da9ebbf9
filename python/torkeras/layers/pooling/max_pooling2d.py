"""MaxPooling2D: 2D max pooling; `strides` defaults to `pool_size`."""

from torkeras.layers.pooling.base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """2D max pooling, as `keras.layers.MaxPooling2D`.

    Slides a window of `pool_size` over the height and width axes with step `strides`
    and outputs the maximum of each window. With `padding="same"` the padded positions
    never win (they count as -inf). Each channel is pooled independently.

    Args:
        pool_size: The window size, an integer or a tuple of 2 integers (height, width).
            Defaults to `(2, 2)`.
        strides: The step between windows, an integer or a tuple of 2 integers (height,
            width); `None` (the default) means `pool_size`.
        padding: `"valid"` (no padding: positions where the window does not fit are
            dropped) or `"same"` (pad evenly, the odd element at the end, so that each
            output size is `ceil(size / strides)`). Case-insensitive.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`). Defaults to
            the `image_data_format` setting.
        name: The layer's name (default: derived from the class name).
        **kwargs: Base layer keyword arguments, such as `dtype`.

    Call arguments:
        inputs: A tensor of rank 4 in `data_format` layout.

    Returns:
        A tensor of the same rank and layout whose height and width sizes are
        `floor((size - pool_size) / strides) + 1` for `"valid"` and `ceil(size /
        strides)` for `"same"`.

    Example:
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> keras.layers.MaxPooling2D()(x)[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=2, pool_mode="max",
                         padding=padding, data_format=data_format, name=name, **kwargs)
