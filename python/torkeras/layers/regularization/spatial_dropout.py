"""SpatialDropout1D/2D/3D: Dropout that drops whole feature maps (channels).

In training each (sample, channel) pair is kept with probability 1 - rate and the
kept ones are scaled by 1 / (1 - rate); the same decision covers every position
of that channel. At inference they are the identity. One module for the three
ranks, as Keras has, since they differ only in which axes share a decision.
"""

import torch

from torkeras.layers.core import arg_utils as U
from torkeras.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    rank = None

    def __init__(self, rate, seed=None, name=None, dtype=None, data_format=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = U.standardize_data_format(data_format)

    def _noise_shape(self, shape):
        cls = type(self).__name__
        if len(shape) != self.rank + 2:
            raise ValueError(f"{cls} {self.name!r} expects inputs of rank {self.rank + 2}, "
                             f"received input shape {tuple(shape)}")
        spatial = (1,) * self.rank
        if self.data_format == "channels_first":
            return (shape[0], shape[1]) + spatial
        return (shape[0],) + spatial + (shape[-1],)

    def build(self, input_shape=None):
        if input_shape is not None:
            self._noise_shape(tuple(input_shape))
        self.built = True

    def call(self, inputs, training=False):
        shape = self._noise_shape(tuple(inputs.shape))
        if not training or self.rate == 0.0:
            return inputs
        if self.rate == 1.0:
            return torch.zeros_like(inputs)
        keep = 1.0 - self.rate
        mask = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        mask.bernoulli_(keep, generator=self._generator(inputs.device)).div_(keep)
        return inputs * mask

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape", None)
        config.pop("trainable", None)  # Keras's constructors take only rate, seed, name, dtype
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


class SpatialDropout1D(BaseSpatialDropout):
    """Spatial 1D dropout: drops entire feature maps (channels) during training.

    Like `Dropout`, but one keep/drop decision is made per sample and channel
    and applies to all time steps of that channel, which regularizes better when
    neighbouring entries are strongly correlated (as in convolutional feature
    maps). Kept channels are scaled by `1 / (1 - rate)`.

    Args:
        rate: float in [0, 1], the fraction of the channels to drop.
        seed: optional integer seed of the random draws.
        name: name of the layer.
        dtype: dtype policy of the layer.

    Call arguments:
        inputs: the input tensor.
        training: whether the layer is called in training mode (the noise is
            only applied then; at inference the inputs pass unchanged).

    Input shape:
        `(batch, steps, channels)`.

    Output shape:
        Same shape as the input.
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format="channels_last")


class SpatialDropout2D(BaseSpatialDropout):
    """Spatial 2D dropout: drops entire feature maps (channels) during training.

    Like `Dropout`, but one keep/drop decision is made per sample and channel
    and applies to all rows and columns of that channel, which regularizes better when
    neighbouring entries are strongly correlated (as in convolutional feature
    maps). Kept channels are scaled by `1 / (1 - rate)`.

    Args:
        rate: float in [0, 1], the fraction of the channels to drop.
        data_format: "channels_last" (inputs `(batch, rows, cols, channels)`) or "channels_first"
            (inputs `(batch, channels, rows, cols)`); None uses `keras.config.image_data_format()`
            ("channels_last" by default).
        seed: optional integer seed of the random draws.
        name: name of the layer.
        dtype: dtype policy of the layer.

    Call arguments:
        inputs: the input tensor.
        training: whether the layer is called in training mode (the noise is
            only applied then; at inference the inputs pass unchanged).

    Input shape:
        4-D tensor, as given by `data_format`.

    Output shape:
        Same shape as the input.
    """

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format=data_format)


class SpatialDropout3D(BaseSpatialDropout):
    """Spatial 3D dropout: drops entire feature maps (channels) during training.

    Like `Dropout`, but one keep/drop decision is made per sample and channel
    and applies to all spatial positions of that channel, which regularizes better when
    neighbouring entries are strongly correlated (as in convolutional feature
    maps). Kept channels are scaled by `1 / (1 - rate)`.

    Args:
        rate: float in [0, 1], the fraction of the channels to drop.
        data_format: "channels_last" (inputs `(batch, dim1, dim2, dim3, channels)`) or
            "channels_first"
            (inputs `(batch, channels, dim1, dim2, dim3)`); None uses
            `keras.config.image_data_format()`
            ("channels_last" by default).
        seed: optional integer seed of the random draws.
        name: name of the layer.
        dtype: dtype policy of the layer.

    Call arguments:
        inputs: the input tensor.
        training: whether the layer is called in training mode (the noise is
            only applied then; at inference the inputs pass unchanged).

    Input shape:
        5-D tensor, as given by `data_format`.

    Output shape:
        Same shape as the input.
    """

    rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype, data_format=data_format)
