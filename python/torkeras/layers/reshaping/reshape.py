"""Reshape: reshapes each sample to `target_shape` (one -1 allowed)."""

import math

from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.layer import Layer


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (the batch axis is kept).

    Args:
        target_shape: tuple of integers, the shape of one sample without the
            batch axis; one entry may be -1, inferred from the other sizes.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        `(batch, ...)` whose per-sample size equals the product of
        `target_shape`.

    Output shape:
        `(batch,) + target_shape`.

    Example:
    >>> tuple(keras.layers.Reshape((3, -1))(np.zeros((2, 12), "float32")).shape)
    (2, 3, 4)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        error = ("Reshape: `target_shape` must be a tuple of integers (at most one of them -1). "
                 f"Received: target_shape={target_shape!r}")
        if isinstance(target_shape, (int, float)) and not isinstance(target_shape, bool):
            target_shape = (target_shape,)
        try:
            shape = tuple(target_shape)
        except TypeError:
            raise ValueError(error) from None
        checked = []
        for d in shape:
            if isinstance(d, bool) or not isinstance(d, (int, float)) or int(d) != d \
                    or (d < 1 and d != -1):
                raise ValueError(error)
            checked.append(int(d))
        if checked.count(-1) > 1:
            raise ValueError(error)
        self.target_shape = tuple(checked)

    def call(self, inputs):
        return inputs.reshape((inputs.shape[0],) + self.target_shape)

    def _resolve(self, input_shape):
        target = self.target_shape
        if -1 not in target:
            known = input_shape[1:]
            if None not in known and math.prod(known) != math.prod(target):
                raise ValueError(f"Reshape {self.name!r}: the input shape {tuple(input_shape)} "
                                 f"cannot be reshaped to target_shape={target} (sizes "
                                 f"{math.prod(known)} and {math.prod(target)} differ)")
            return target
        known = input_shape[1:]
        if None in known:
            return tuple(None if d == -1 else d for d in target)
        total = math.prod(known)
        rest = math.prod(d for d in target if d != -1)
        if rest == 0 or total % rest:
            raise ValueError(f"Reshape {self.name!r}: the input shape {tuple(input_shape)} "
                             f"cannot be reshaped to target_shape={target}")
        return tuple(total // rest if d == -1 else d for d in target)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0],) + self._resolve(input_shape)

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
