"""Cropping2D: removes rows and columns at the edges of an image; `cropping` is an int,
(h, w) or ((top, bottom), (left, right))."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    """Crops rows and columns from the edges of images.

    Args:
        cropping: an integer (the same symmetric cropping for height and width),
            a pair of integers `(symmetric_height_crop, symmetric_width_crop)`,
            or a pair of pairs `((top, bottom), (left, right))`.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        4-D tensor, as given by `data_format`.

    Output shape:
        4-D tensor with `rows - top - bottom` rows and `cols - left - right`
        columns.

    Example:
    >>> x = np.zeros((1, 6, 8, 3), "float32")
    >>> tuple(keras.layers.Cropping2D(((1, 1), (2, 2)))(x).shape)
    (1, 4, 4, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)
