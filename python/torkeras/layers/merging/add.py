"""Add: elementwise sum of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Add(Merge):
    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


def add(inputs, **kwargs):
    """Functional form: `Add(**kwargs)(inputs)`."""
    return Add(**kwargs)(inputs)
