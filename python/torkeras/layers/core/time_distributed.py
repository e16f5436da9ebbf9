"""TimeDistributed: applies one layer (one set of weights) to every time step
(axis 1) of its inputs."""

import torch

from torkeras.layers.core.wrapper import Wrapper
from torkeras.layers.layer import Layer, _signature_flags


class TimeDistributed(Wrapper):
    """Applies the wrapped layer to every temporal slice of an input.

    Inputs have shape `(batch, time, ...)`; the wrapped layer sees
    `(batch, ...)` for each of the `time` steps, with the same weights at
    every step, and the outputs are stacked back along axis 1. As in Keras,
    the wrapped layer's `call` runs once per step (so layers with batch
    statistics, such as `BatchNormalization` in training, see each step
    separately); a `(batch, time)` mask is sliced per step and passed to the
    wrapped layer when its `call` takes `mask`, and is passed on to the
    outputs.

    Args:
        layer: A `keras.layers.Layer` instance.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> x = np.zeros((4, 10, 8), "float32")
    >>> tuple(keras.layers.TimeDistributed(keras.layers.Dense(3))(x).shape)
    (4, 10, 3)
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer!r}")
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    @staticmethod
    def _child_input_shape(input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at "
                             f"least 3 dimensions, received: {input_shape}")
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        super().build(self._child_input_shape(tuple(input_shape)))

    def compute_output_shape(self, input_shape):
        child = self.layer.compute_output_shape(self._child_input_shape(tuple(input_shape)))
        return (child[0], input_shape[1], *child[1:])

    def call(self, inputs, training=None, mask=None):
        if mask is not None:
            if mask.ndim < 2:
                raise ValueError("The `mask` passed to the `TimeDistributed` layer must be at "
                                 "least 2D (e.g., `(batch_size, timesteps)`), but it has "
                                 f"{mask.ndim} dimension(s) with shape {tuple(mask.shape)}.")
            if tuple(mask.shape[:2]) != tuple(inputs.shape[:2]):
                raise ValueError(
                    "The `mask` passed to the `TimeDistributed` layer has a shape "
                    f"{tuple(mask.shape)} that is incompatible with the input shape "
                    f"{tuple(inputs.shape)}. The first two dimensions of the mask (batch size "
                    "and timesteps) must match the input's first two dimensions.")
        has_training, has_mask, _, _ = _signature_flags(type(self.layer))
        steps = []
        for i in range(inputs.shape[1]):
            kwargs = {}
            if has_mask and mask is not None:
                kwargs["mask"] = mask[:, i]
            if has_training:
                kwargs["training"] = training
            steps.append(self.layer.call(inputs[:, i], **kwargs))
        return torch.stack(steps, dim=1)
