"""Multiply: elementwise product of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Multiply(Merge):
    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


def multiply(inputs, **kwargs):
    """Functional form: `Multiply(**kwargs)(inputs)`."""
    return Multiply(**kwargs)(inputs)
