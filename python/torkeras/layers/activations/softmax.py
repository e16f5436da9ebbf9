"""Softmax over `axis` (default -1); an optional boolean mask excludes positions."""

import torch

from torkeras.layers.layer import Layer


class Softmax(Layer):
    """Softmax activation: `exp(x) / sum(exp(x), axis)`.

    Call arguments:
        inputs: the logits.
        mask: optional boolean mask broadcastable to `inputs`; positions where
            it is False (or <= 0.5 for a numeric mask) get a large negative logit
            (-1e9; -3e4 in float16) and an output of zero.

    Args:
        axis: the axis (an integer or a tuple of integers) the softmax is
            normalised over (default -1).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> out = keras.layers.Softmax()(np.array([[1.0, 1.0]], "float32"))
    >>> out.tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            _check_mask_shape(tuple(mask.shape), tuple(inputs.shape))
        return masked_softmax(inputs, mask, self.axis)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _check_mask_shape(mask_shape, input_shape):
    if len(mask_shape) > len(input_shape):
        raise ValueError(
            "Softmax: the `mask` must be broadcastable to `inputs` and must not have more "
            f"dimensions. Received: inputs.shape={input_shape}, mask.shape={mask_shape}")
    for m, i in zip(mask_shape[::-1], input_shape[::-1]):
        if m is not None and i is not None and m != 1 and m != i:
            raise ValueError(
                "Softmax: the `mask` must be broadcastable to `inputs`; each mask dimension "
                "must be 1 or match the input dimension. Received: "
                f"inputs.shape={input_shape}, mask.shape={mask_shape}")


def masked_softmax(inputs, mask, axis):
    """Softmax over `axis` (an int or a tuple of ints) as Keras 3's Softmax layer:
    where the broadcastable `mask` is False (or <= 0.5 if numeric) the logit
    becomes a large negative number (-1e9; -3e4 in float16) and the output 0.
    The attention layers compute their probabilities with it too."""
    if mask is not None:
        if mask.dtype != torch.bool:
            mask = mask > 0.5
        large_negative = -3e4 if inputs.dtype == torch.float16 else -1e9
        inputs = torch.where(mask, inputs, torch.tensor(large_negative, dtype=inputs.dtype,
                                                        device=inputs.device))
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if isinstance(axis, (list, tuple)):
        outputs = torch.exp(inputs - torch.logsumexp(inputs, dim=tuple(axis), keepdim=True))
    else:
        outputs = torch.softmax(inputs, dim=axis)
    if mask is not None:
        # A fully masked axis would otherwise give a uniform distribution.
        outputs = torch.where(mask, outputs, torch.zeros((), dtype=outputs.dtype,
                                                        device=outputs.device))
    return outputs
