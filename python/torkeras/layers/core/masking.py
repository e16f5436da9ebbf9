"""Masking: marks the timesteps whose features all equal `mask_value` as masked.

The output is the input with masked timesteps set to zero; its mask
(`(batch, steps)`, True where a step is kept) goes to the following layers.
"""

import numbers

import torch

from torkeras.layers.layer import Layer


class Masking(Layer):
    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(mask_value, bool) or not isinstance(mask_value, numbers.Number):
            raise ValueError("Masking: `mask_value` must be a number; received: "
                             f"{mask_value!r} (of type {type(mask_value).__name__}).")
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _kept_steps(self, inputs):
        return torch.any(inputs != self.mask_value, dim=-1)

    def compute_mask(self, inputs, mask=None):
        return self._kept_steps(inputs)

    def call(self, inputs):
        kept = self._kept_steps(inputs)
        outputs = inputs * kept.unsqueeze(-1).to(inputs.dtype)
        # The mask is computed here together with the output; Layer.__call__
        # leaves an output's existing mask alone.
        outputs._keras_mask = kept
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
