"""Dropout: in training, zeroes inputs with probability `rate` and scales the
rest by 1 / (1 - rate); at inference it is the identity."""

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.regularization.seeded_generator import SeededGenerators


class Dropout(Layer):
    """Randomly sets inputs to 0 during training, at the frequency `rate`.

    Inputs that are kept are scaled by `1 / (1 - rate)` so that the expected
    sum is unchanged. Only active when called with `training=True` (as `fit()`
    does); at inference the inputs pass unchanged.

    Args:
        rate: float in [0, 1], the fraction of the inputs to drop.
        noise_shape: optional shape of the keep/drop mask, broadcast against the
            inputs (None entries take the input's size); e.g.
            `(batch_size, 1, features)` drops the same features at every time
            step.
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
    >>> layer = keras.layers.Dropout(0.5, seed=1)
    >>> x = np.ones((2, 4), "float32")
    >>> sorted(set(layer(x, training=True).numpy().ravel().tolist())) in ([0.0, 2.0], [2.0])
    True
    >>> layer(x, training=False).tolist() == x.tolist()
    True
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a float value "
                             f"between 0 and 1. Received: rate={rate!r}")
        if seed is not None and (isinstance(seed, bool) or int(seed) != seed):
            raise ValueError(f"Dropout: `seed` must be an integer or None; received: seed={seed!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(
            None if d is None else int(d) for d in noise_shape)
        self.seed = None if seed is None else int(seed)
        self.supports_masking = True
        self._generators = SeededGenerators(self.seed)

    def build(self, input_shape=None):
        self.built = True

    def _generator(self, device):
        return self._generators.get(device)

    def call(self, inputs, training=None):
        if not training or self.rate == 0.0:
            return inputs
        if self.rate == 1.0:
            return torch.zeros_like(inputs)
        if self.noise_shape is None and self.seed is None:
            return torch.nn.functional.dropout(inputs, self.rate, True)
        keep = 1.0 - self.rate
        if self.noise_shape is None:
            shape = inputs.shape
        else:
            shape = tuple(n if d is None else d for d, n in zip(self.noise_shape, inputs.shape))
        mask = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        mask.bernoulli_(keep, generator=self._generator(inputs.device)).div_(keep)
        return inputs * mask

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed,
                       "noise_shape": None if self.noise_shape is None else list(self.noise_shape)})
        return config
