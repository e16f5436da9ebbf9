"""GaussianDropout: in training, multiplies inputs by normal noise with mean 1 and
standard deviation sqrt(rate / (1 - rate)); at inference it is the identity."""

import math

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.regularization.seeded_generator import (SeededGenerators, check_fraction,
                                                              check_seed)


class GaussianDropout(Layer):
    """Multiplies the inputs by Gaussian noise of mean 1 during training.

    The noise has standard deviation `sqrt(rate / (1 - rate))`, which matches
    the variance of dropout with the same rate. Only active in training.

    Args:
        rate: float in [0, 1), the equivalent drop probability.
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

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = check_fraction(rate, "rate")
        self.seed = check_seed(seed, "GaussianDropout")
        self._generators = SeededGenerators(self.seed)
        self.supports_masking = True

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        if self.rate == 1.0:
            raise ValueError(f"GaussianDropout {self.name!r}: rate=1 makes the noise standard "
                             "deviation sqrt(rate / (1 - rate)) infinite; use a rate below 1")
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = torch.empty_like(inputs).normal_(1.0, stddev,
                                                 generator=self._generators.get(inputs.device))
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
