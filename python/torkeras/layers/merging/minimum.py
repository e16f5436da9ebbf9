"""Minimum: elementwise minimum of a list of inputs."""

import torch

from torkeras.layers.merging.base_merge import Merge


class Minimum(Merge):
    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.minimum(out, x)
        return out


def minimum(inputs, **kwargs):
    """Functional form: `Minimum(**kwargs)(inputs)`."""
    return Minimum(**kwargs)(inputs)
