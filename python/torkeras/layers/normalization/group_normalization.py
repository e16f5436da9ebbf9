"""GroupNormalization: splits the channels of `axis` into `groups` groups and
normalizes each sample's group by its own mean and (biased) variance, then
applies the per-channel `gamma` and `beta`."""

import torch

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.normalization.normalization_args import GammaBetaMixin, axis_argument

_HALF = (torch.float16, torch.bfloat16)


class GroupNormalization(GammaBetaMixin, Layer):
    """Group normalization (Wu & He, 2018): normalizes groups of channels per sample.

    The `C` channels along `axis` are split into `groups` contiguous groups of
    `C // groups` channels; every sample's group is normalized with the mean
    and variance over the group's channels and all other non-batch axes, then
    scaled by `gamma` and shifted by `beta` (one value per channel).
    `groups=1` is close to LayerNormalization; `groups=-1` (one group per
    channel) is instance normalization. Computed in at least float32 and
    returned in the layer's compute dtype.

    Args:
        groups: number of groups (default 32), dividing the channel count, or
            -1 for one group per channel.
        axis: the channel axis (an integer, default -1).
        epsilon: added to the variance (default 1e-3).
        center: whether to add the learned offset `beta` (one per normalised
            channel).
        scale: whether to multiply by the learned scale `gamma`.
        beta_initializer: initializer of the `beta` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        gamma_initializer: initializer of the `gamma` weight (a name such as
            "ones", or an initializer). Default "ones".
        beta_regularizer: optional regularizer applied to the `beta` weight.
        gamma_regularizer: optional regularizer applied to the `gamma` weight.
        beta_constraint: optional constraint applied to the `beta` weight
            after each optimizer update.
        gamma_constraint: optional constraint applied to the `gamma` weight
            after each optimizer update.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape with the channels on `axis`.

    Output shape:
        Same shape as the input.

    Example:
    >>> x = np.random.default_rng(0).normal(size=(2, 5, 8)).astype("float32")
    >>> y = keras.ops.convert_to_numpy(keras.layers.GroupNormalization(groups=4)(x))
    >>> y.shape, round(float(abs(y[0, :, :2].mean())), 4)
    ((2, 5, 8), 0.0)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        g = U._as_int(groups)
        if g is None or (g <= 0 and g != -1):
            raise ValueError("Received an invalid value for argument `groups`, expected a "
                             "positive integer (or `-1` for instance normalization). "
                             f"Received: groups={groups!r}")
        super().__init__(**kwargs)
        self.autocast = False
        self.supports_masking = True
        self.groups = g
        self.axis = axis_argument("GroupNormalization", axis)
        self.epsilon = float(epsilon)
        self._set_gamma_beta_args(center, scale, beta_initializer, gamma_initializer,
                                  beta_regularizer, gamma_regularizer, beta_constraint,
                                  gamma_constraint)

    def _check_axis(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"Axis {self.axis} is out of bounds for input shape "
                             f"{tuple(input_shape)}. Received: axis={self.axis}")
        return self.axis % rank

    def build(self, input_shape):
        axis = self._check_axis(input_shape)
        if axis == 0:
            raise ValueError(f"GroupNormalization {self.name!r}: `axis` cannot be the batch "
                             f"axis 0; received axis={self.axis}")
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension "
                             f"but the layer received an input with shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number "
                             f"of channels ({dim}).")
        if dim % self.groups != 0:
            raise ValueError(f"Number of channels ({dim}) must be a multiple of the number of "
                             f"groups ({self.groups}).")
        self._add_gamma_beta((dim,), gamma=self.scale, beta=self.center)
        self._pos = axis
        self._rank = len(input_shape)
        self._channels = dim
        self.built = True

    def call(self, inputs):
        x = inputs if inputs.dtype not in _HALF else inputs.float()
        if not x.is_floating_point():
            x = x.float()
        if x.dim() != self._rank or x.shape[self._pos] != self._channels:
            raise ValueError(f"GroupNormalization {self.name!r} was built for inputs of rank "
                             f"{self._rank} with {self._channels} channels on axis {self.axis}; "
                             f"received inputs of shape {tuple(x.shape)}")
        a, dim = self._pos, self._channels
        shape = list(x.shape)
        grouped = shape[:a] + [self.groups, dim // self.groups] + shape[a + 1:]
        xg = x.reshape(grouped)
        axes = [i for i in range(1, len(grouped)) if i != a]
        # Keras's moments: mean(x**2) - mean(x)**2.
        mean = torch.mean(xg, dim=axes, keepdim=True)
        var = torch.mean(xg * xg, dim=axes, keepdim=True) - mean * mean
        inv = torch.rsqrt(var + self.epsilon)
        bshape = [1] * len(grouped)
        bshape[a], bshape[a + 1] = self.groups, dim // self.groups
        if self.gamma is not None:
            inv = inv * self.gamma._value.to(xg.dtype).reshape(bshape)
        res = -mean * inv
        if self.beta is not None:
            res = res + self.beta._value.to(xg.dtype).reshape(bshape)
        out = (xg * inv + res).reshape(x.shape)
        return out if out.dtype is self._torch_dtype else out.to(self._torch_dtype)

    def compute_output_shape(self, input_shape):
        self._check_axis(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"groups": self.groups, "axis": self.axis, "epsilon": self.epsilon})
        config.update(self._gamma_beta_config())
        return config
