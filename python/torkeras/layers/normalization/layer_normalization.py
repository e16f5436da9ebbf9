"""LayerNormalization: per-sample normalization over `axis` (default -1),
biased variance, epsilon 1e-3; weights gamma (if scale) then beta (if center)."""

import warnings

import torch
import torch.nn.functional as F

from torkeras.layers.layer import Layer
from torkeras.layers.normalization.normalization_args import (GammaBetaMixin, axis_argument,
                                                              resolve_axes)

_HALF = (torch.float16, torch.bfloat16)


class LayerNormalization(GammaBetaMixin, Layer):
    """Normalizes each sample over its feature axes (Ba et al., 2016).

    For each sample, `output = gamma * (x - mean) / sqrt(var + epsilon) + beta`
    with the mean and (biased) variance over `axis`; unlike batch
    normalization, the result does not depend on the other samples and is the
    same in training and at inference. Computed in at least float32 and
    returned in the layer's compute dtype.

    Args:
        axis: the axis or list of axes normalised over (default -1); `gamma`
            and `beta` have their sizes as shape.
        epsilon: small float added to the variance (default 1e-3).
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
        rms_scaling: deprecated (as in Keras): when True, `beta` is dropped and
            the inputs are divided by the square root of their variance; use
            `RMSNormalization` for RMS normalization.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> layer = keras.layers.LayerNormalization()
    >>> y = keras.ops.convert_to_numpy(layer(np.array([[1.0, 3.0]], "float32")))
    >>> [round(v, 4) for v in y.ravel().tolist()]
    [-0.9995, 0.9995]
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        # As Keras 3: inputs keep their dtype; `call` computes in at least
        # float32 and returns the compute dtype.
        self.autocast = False
        self.axis = axis_argument("LayerNormalization", axis, allow_list=True)
        self.epsilon = float(epsilon)
        self.rms_scaling = bool(rms_scaling)
        if self.rms_scaling:
            warnings.warn("`rms_scaling=True` is deprecated, as in Keras: it scales the inputs "
                          "by their variance, not their root mean square. Use "
                          "`keras.layers.RMSNormalization` for RMS normalization.")
        self._set_gamma_beta_args(center, scale, beta_initializer, gamma_initializer,
                                  beta_regularizer, gamma_regularizer, beta_constraint,
                                  gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        axes = resolve_axes(self, self.axis if isinstance(self.axis, list) else [self.axis],
                            input_shape)
        shape = tuple(input_shape[a] for a in axes)
        # rms_scaling keeps gamma and drops beta (Keras).
        self._add_gamma_beta(shape, gamma=self.scale or self.rms_scaling,
                             beta=self.center and not self.rms_scaling)
        self._axes = tuple(axes)
        # Trailing contiguous axes map onto torch's fused layer_norm.
        self._trailing = axes == list(range(rank - len(axes), rank))
        self._norm_shape = shape
        self._bshape = tuple(input_shape[i] if i in axes else 1 for i in range(rank))
        self.built = True

    def call(self, inputs):
        out = self._normalize(inputs if inputs.dtype not in _HALF else inputs.float())
        return out if out.dtype is self._torch_dtype else out.to(self._torch_dtype)

    def _normalize(self, inputs):
        gamma = self.gamma._value if self.gamma is not None else None
        beta = self.beta._value if self.beta is not None else None
        if gamma is not None and gamma.dtype is not inputs.dtype:
            gamma = gamma.to(inputs.dtype)
        if beta is not None and beta.dtype is not inputs.dtype:
            beta = beta.to(inputs.dtype)
        if self.rms_scaling:
            # Keras 3.15's formula (deprecated there): the uncentered inputs
            # over the square root of their variance.
            var = torch.var(inputs, dim=self._axes, correction=0, keepdim=True)
            out = inputs * torch.rsqrt(var + self.epsilon)
            return out * gamma.view(self._bshape) if gamma is not None else out
        if self._trailing:
            return F.layer_norm(inputs, self._norm_shape, gamma, beta, self.epsilon)
        var, mean = torch.var_mean(inputs, dim=self._axes, correction=0, keepdim=True)
        out = (inputs - mean) * torch.rsqrt(var + self.epsilon)
        if gamma is not None:
            out = out * gamma.view(self._bshape)
        if beta is not None:
            out = out + beta.view(self._bshape)
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        config.update(self._gamma_beta_config())
        config["rms_scaling"] = self.rms_scaling
        return config
