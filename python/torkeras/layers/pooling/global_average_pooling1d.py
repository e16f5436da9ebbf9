"""GlobalAveragePooling1D: average over the steps axis (keepdims keeps it as size 1).

With a `(batch, steps)` mask (from Embedding(mask_zero=True) or Masking) only
the unmasked steps are averaged; the output carries no mask, as in Keras.
"""

from torkeras.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
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
