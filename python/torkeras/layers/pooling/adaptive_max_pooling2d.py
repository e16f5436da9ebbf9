"""AdaptiveMaxPooling2D: max pooling of a rank-4 input to a fixed output size."""

from torkeras.layers.pooling.base_adaptive_pooling import BaseAdaptiveMaxPooling


class AdaptiveMaxPooling2D(BaseAdaptiveMaxPooling):
    """Adaptive max pooling layer for 2D inputs.

    Whatever the input's spatial size, the output has `output_size` entries per
    spatial axis: each output entry is the maximum of an input window whose
    bounds are floor(i * n / m) and ceil((i + 1) * n / m) for output index i,
    input length n and output length m (windows may overlap when n is not a
    multiple of m).

    Args:
        output_size: An integer or tuple of 2 integers (height, width), the target output size.
        data_format: `"channels_last"` (inputs `(batch, height, width, channels)`) or
            `"channels_first"` (inputs `(batch, channels, height, width)`). Defaults to the
            `image_data_format` setting.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    rank = 2

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)
