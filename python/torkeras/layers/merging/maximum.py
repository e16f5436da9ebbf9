"""Maximum: elementwise maximum of a list of inputs."""

import torch

from torkeras.layers.merging.base_merge import Merge


class Maximum(Merge):
    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


def maximum(inputs, **kwargs):
    """Functional form: `Maximum(**kwargs)(inputs)`."""
    return Maximum(**kwargs)(inputs)
