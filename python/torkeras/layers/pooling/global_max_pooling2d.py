"""GlobalMaxPooling2D: max over the 2 spatial axes (keepdims keeps them as size 1)."""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Global max pooling, as `keras.layers.GlobalMaxPooling2D`.

    Reduces each channel to the maximum over all of its height and width positions.

    Args:
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`). Defaults to
            the `image_data_format` setting.
        keepdims: If `True`, the pooled axes stay, with size 1 (the output has the
            input's rank); if `False` (the default) they are dropped.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: A tensor of rank 4 in `data_format` layout.

    Returns:
        A tensor `(batch, channels)`, or with `keepdims=True` the input's shape with
        each pooled axis of size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, pool_mode="max", data_format=data_format,
                         keepdims=keepdims, **kwargs)
