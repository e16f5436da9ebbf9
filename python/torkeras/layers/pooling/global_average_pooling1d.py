"""GlobalAveragePooling1D: average over the steps axis (keepdims keeps it as size 1).

With a `(batch, steps)` mask (from Embedding(mask_zero=True) or Masking) only
the unmasked steps are averaged; the output carries no mask, as in Keras.
"""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Global average pooling, as `keras.layers.GlobalAveragePooling1D`.

    Reduces each channel to the mean over all of its steps positions. With a `(batch,
    steps)` mask (from `Embedding(mask_zero=True)` or `Masking`) only the unmasked steps
    are averaged; the output carries no mask.

    Args:
        data_format: `"channels_last"` (inputs `(batch, steps, channels)`) or
            `"channels_first"` (inputs `(batch, channels, steps)`). Defaults to the
            `image_data_format` setting.
        keepdims: If `True`, the pooled axes stay, with size 1 (the output has the
            input's rank); if `False` (the default) they are dropped.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: A tensor of rank 3 in `data_format` layout.
        mask: Optional boolean tensor `(batch, steps)`, `True` for the steps that count;
            passed automatically from a masked input.

    Returns:
        A tensor `(batch, channels)`, or with `keepdims=True` the input's shape with
        each pooled axis of size 1.
    """

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, pool_mode="average", data_format=data_format,
                         keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = self._axes[0]
        # The mask has no feature axis: insert it where the features are.
        weights = mask.to(inputs.dtype).unsqueeze(2 if steps_axis == 1 else 1)
        total = (inputs * weights).sum(dim=steps_axis, keepdim=self.keepdims)
        return total / weights.sum(dim=steps_axis, keepdim=self.keepdims)

    def compute_mask(self, inputs, mask=None):
        return None
