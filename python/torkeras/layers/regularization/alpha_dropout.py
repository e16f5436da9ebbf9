"""AlphaDropout: dropout for self-normalizing (SELU) networks that keeps the
inputs' mean and variance; the identity at inference."""

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.regularization.seeded_generator import (SeededGenerators, check_fraction,
                                                              check_seed)

_ALPHA = 1.6732632423543772848170429916717
_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    """Dropout that keeps the mean and variance of its inputs, for SELU networks.

    In training, every input is dropped with probability `rate` and set to
    SELU's negative saturation value `-alpha * scale`; the result is then
    transformed affinely as `a * x + b` with
    `a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5` and
    `b = -a * alpha_p * rate` (`alpha_p = -alpha * scale`), so that inputs of
    zero mean and unit variance keep them. At inference (or `rate = 0`) the
    inputs pass unchanged.

    Args:
        rate: drop probability in [0, 1].
        noise_shape: optional shape of the keep/drop mask (None entries take
            the input's size), e.g. `(batch_size, 1, features)` to drop the same
            features at every time step.
        seed: optional integer seed of the random draws.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: the input tensor.
        training: whether the layer is called in training mode (the noise is
            only applied then; at inference the inputs pass unchanged).

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_fraction(rate, "rate")
        self.seed = check_seed(seed, "AlphaDropout")
        if noise_shape is not None:
            try:
                noise_shape = tuple(None if d is None else int(d) for d in noise_shape)
            except (TypeError, ValueError):
                raise ValueError("AlphaDropout: `noise_shape` must be None or a sequence of "
                                 f"integers / None; received: noise_shape={noise_shape!r}"
                                 ) from None
        self.noise_shape = noise_shape
        self._generators = SeededGenerators(self.seed)
        self.supports_masking = True
        self.built = True

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        if self.noise_shape is None:
            shape = tuple(inputs.shape)
        else:
            if len(self.noise_shape) != inputs.dim():
                raise ValueError(f"AlphaDropout {self.name!r}: `noise_shape` "
                                 f"{self.noise_shape} must have the inputs' rank {inputs.dim()}")
            shape = tuple(n if d is None else d for d, n in zip(self.noise_shape, inputs.shape))
        uniform = torch.rand(shape, dtype=torch.float32, device=inputs.device,
                             generator=self._generators.get(inputs.device))
        kept = (uniform >= self.rate).to(inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        x = inputs * kept + alpha_p * (1 - kept)
        return a * x + b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed,
                       "noise_shape": None if self.noise_shape is None
                       else list(self.noise_shape)})
        return config
