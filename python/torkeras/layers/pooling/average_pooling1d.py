"""AveragePooling1D: 1D average pooling; `strides` defaults to `pool_size`."""

from torkeras.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    """1D average pooling, as `keras.layers.AveragePooling1D`.

    Slides a window of `pool_size` over the steps axes with step `strides` and outputs
    the mean of each window. With `padding="same"` the padded positions are not counted:
    each mean is over the window's real input elements. Each channel is pooled
    independently.

    Args:
        pool_size: The window size, an integer or a tuple of 1 integer. Required, as in
            Keras 3.
        strides: The step between windows, an integer or a tuple of 1 integer; `None`
            (the default) means `pool_size`.
        padding: `"valid"` (no padding: positions where the window does not fit are
            dropped) or `"same"` (pad evenly, the odd element at the end, so that each
            output size is `ceil(size / strides)`). Case-insensitive.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or
            `"channels_first"` (inputs `(batch, channels, steps)`). Defaults to the
            `image_data_format` setting.
        name: The layer's name (default: derived from the class name).
        **kwargs: Base layer keyword arguments, such as `dtype`.

    Call arguments:
        inputs: A tensor of rank 3 in `data_format` layout.

    Returns:
        A tensor of the same rank and layout whose steps sizes are `floor((size -
        pool_size) / strides) + 1` for `"valid"` and `ceil(size / strides)` for
        `"same"`.

    Example:
    >>> x = np.arange(6, dtype="float32").reshape(1, 6, 1)
    >>> keras.layers.AveragePooling1D(pool_size=2)(x)[0, :, 0].tolist()
    [0.5, 2.5, 4.5]
    >>> # "same": the last window is [4, 5, pad]; the pad is not counted
    >>> keras.layers.AveragePooling1D(3, strides=2, padding="same")(x)[0, :, 0].tolist()
    [1.0, 3.0, 4.5]
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
