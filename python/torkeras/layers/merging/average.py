"""Average: elementwise mean of a list of inputs."""

from torkeras.layers.merging.base_merge import Merge


class Average(Merge):
    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


def average(inputs, **kwargs):
    """Functional form: `Average(**kwargs)(inputs)`."""
    return Average(**kwargs)(inputs)
