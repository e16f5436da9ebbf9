"""GlobalAveragePooling3D: average over the 3 spatial axes (keepdims keeps them as size 1)."""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Global average pooling, as `keras.layers.GlobalAveragePooling3D`.

    Reduces each channel to the mean over all of its depth, height and width positions.

    Args:
        data_format: `"channels_last"` (inputs `(batch, depth, height, width,
            channels)`) or `"channels_first"` (inputs `(batch, channels, depth, height,
            width)`). Defaults to the `image_data_format` setting.
        keepdims: If `True`, the pooled axes stay, with size 1 (the output has the
            input's rank); if `False` (the default) they are dropped.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: A tensor of rank 5 in `data_format` layout.

    Returns:
        A tensor `(batch, channels)`, or with `keepdims=True` the input's shape with
        each pooled axis of size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=3, pool_mode="average", data_format=data_format,
                         keepdims=keepdims, **kwargs)
