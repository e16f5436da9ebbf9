"""Subtract: elementwise difference of exactly two inputs."""

from torkeras.layers.merging.base_merge import Merge


class Subtract(Merge):
    def build(self, input_shape):
        self._check_input_list(input_shape)
        if len(input_shape) != 2:
            raise ValueError("A Subtract layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={input_shape!r}")
        super().build(input_shape)

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A Subtract layer should be called on exactly 2 inputs. "
                             f"Received: {len(inputs)} inputs")
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Functional form: `Subtract(**kwargs)(inputs)`."""
    return Subtract(**kwargs)(inputs)
