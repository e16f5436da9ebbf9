"""Masking: marks the timesteps whose features all equal `mask_value` as masked.

The output is the input with masked timesteps set to zero; its mask
(`(batch, steps)`, True where a step is kept) goes to the following layers.
"""

import numbers

import torch

from torkeras.layers.layer import Layer


class Masking(Layer):
    """Masks the time steps whose features all equal `mask_value`.

    For inputs `(batch, timesteps, features)`, a time step is masked when every
    feature equals `mask_value`: its output is zeroed and the emitted mask
    (shape `(batch, timesteps)`) is False there, so that mask-consuming layers
    downstream (RNNs, attention, losses) skip it.

    Args:
        mask_value: the value marking padded entries (default 0.0).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        `(batch, timesteps, features)` (any rank >= 2: the last axis holds the
        features).

    Output shape:
        Same shape as the input.

    Example:
    >>> x = np.array([[[1.0], [0.0], [2.0]]], "float32")
    >>> keras.layers.Masking(mask_value=0.0)(x)._keras_mask.tolist()
    [[True, False, True]]
    """

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
