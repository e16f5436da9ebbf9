"""GaussianNoise: in training, adds zero-centred normal noise with standard deviation
`stddev`; at inference it is the identity."""

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.regularization.seeded_generator import (SeededGenerators, check_fraction,
                                                              check_seed)


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise to the inputs during training.

    A regularization layer (e.g. against overfitting, or as data augmentation
    of real-valued inputs); only active in training.

    Args:
        stddev: float, the standard deviation of the noise.
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

    Example:
    >>> layer = keras.layers.GaussianNoise(0.1, seed=1)
    >>> x = np.zeros((2, 3), "float32")
    >>> layer(x, training=False).tolist() == x.tolist()
    True
    >>> bool((layer(x, training=True) != 0).any())
    True
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = check_fraction(stddev, "stddev")
        self.seed = check_seed(seed, "GaussianNoise")
        self._generators = SeededGenerators(self.seed)
        self.supports_masking = True

    def build(self, input_shape=None):
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0.0:
            return inputs
        noise = torch.empty_like(inputs).normal_(0.0, self.stddev,
                                                 generator=self._generators.get(inputs.device))
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
