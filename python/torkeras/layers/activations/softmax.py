"""Softmax over `axis` (default -1); an optional boolean mask excludes positions."""

import torch

from torkeras.layers.layer import Layer


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            # Masked positions get a large negative logit (Keras adds -1e9).
            inputs = inputs + (1.0 - mask.to(inputs.dtype)) * -1e9
        if isinstance(self.axis, (list, tuple)):
            return torch.exp(inputs - torch.logsumexp(inputs, dim=tuple(self.axis), keepdim=True))
        return torch.softmax(inputs, dim=self.axis)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
