"""AdaptiveAveragePooling1D: average pooling of a rank-3 input to a fixed output size."""

from torkeras.layers.pooling.base_adaptive_pooling import BaseAdaptiveAveragePooling


class AdaptiveAveragePooling1D(BaseAdaptiveAveragePooling):
    """Adaptive average pooling layer for 1D inputs.

    Whatever the input's steps size, the output has `output_size` entries per
    spatial axis: each output entry is the mean of an input window whose
    bounds are floor(i * n / m) and ceil((i + 1) * n / m) for output index i,
    input length n and output length m (windows may overlap when n is not a
    multiple of m).

    Args:
        output_size: An integer or tuple of 1 integer, the target output size.
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or
            `"channels_first"` (inputs `(batch, channels, steps)`). Defaults to the
            `image_data_format` setting.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

    rank = 1

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format, **kwargs)
