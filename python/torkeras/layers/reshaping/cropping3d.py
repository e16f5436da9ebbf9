"""Cropping3D: removes entries at the edges of the three spatial axes; `cropping` is an
int, (d1, d2, d3) or three (before, after) pairs."""

from torkeras.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    """Crops the edges of 3-D (spatial or spatio-temporal) data.

    Args:
        cropping: an integer (the same symmetric cropping for the three spatial
            axes), a tuple of 3 integers (one symmetric cropping per axis), or a
            tuple of 3 pairs `((before1, after1), (before2, after2), (before3, after3))`.
        data_format: "channels_last" (inputs `(batch, dim1, dim2, dim3, channels)`) or
            "channels_first"
            (inputs `(batch, channels, dim1, dim2, dim3)`); None uses
            `keras.config.image_data_format()`
            ("channels_last" by default).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        5-D tensor, as given by `data_format`.

    Output shape:
        5-D tensor with each spatial size reduced by its two croppings.

    Example:
    >>> x = np.zeros((1, 6, 6, 6, 2), "float32")
    >>> tuple(keras.layers.Cropping3D(1)(x).shape)
    (1, 4, 4, 4, 2)
    """

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
