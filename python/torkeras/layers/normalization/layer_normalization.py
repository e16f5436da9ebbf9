"""LayerNormalization: per-sample normalization over `axis` (default -1),
biased variance, epsilon 1e-3; weights gamma (if scale) then beta (if center)."""

import torch
import torch.nn.functional as F

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise ValueError("LayerNormalization: `axis` must be an integer or a list of "
                             f"integers; received: axis={axis!r}")
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = U.get_initializer(beta_initializer)
        self.gamma_initializer = U.get_initializer(gamma_initializer)
        self.beta_regularizer = U.get_regularizer(beta_regularizer)
        self.gamma_regularizer = U.get_regularizer(gamma_regularizer)
        self.beta_constraint = U.get_constraint(beta_constraint)
        self.gamma_constraint = U.get_constraint(gamma_constraint)
        self.supports_masking = True
        self.gamma = None
        self.beta = None

    def build(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(f"LayerNormalization {self.name!r}: axis {a} is out of range "
                                 f"for inputs of shape {tuple(input_shape)}")
        axes = sorted(a % rank for a in axes)
        if any(input_shape[a] is None for a in axes):
            raise ValueError(f"LayerNormalization {self.name!r}: the normalized dimensions must "
                             f"be known; received input shape {tuple(input_shape)}")
        shape = tuple(input_shape[a] for a in axes)
        if len(shape) == 1:
            shape = (shape[0],)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(shape=shape, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, name="gamma")
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape=shape, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, name="beta")
        self._axes = tuple(axes)
        # Trailing contiguous axes map onto torch's fused layer_norm.
        self._trailing = axes == list(range(rank - len(axes), rank))
        self._norm_shape = shape
        self._bshape = tuple(input_shape[i] if i in axes else 1 for i in range(rank))
        self.built = True

    def call(self, inputs):
        gamma = self.gamma._value if self.gamma is not None else None
        beta = self.beta._value if self.beta is not None else None
        if self.rms_scaling:
            ms = torch.mean(torch.square(inputs), dim=self._axes, keepdim=True)
            out = inputs * torch.rsqrt(ms + self.epsilon)
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
        config.update({
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": U.serialize_initializer(self.beta_initializer),
            "gamma_initializer": U.serialize_initializer(self.gamma_initializer),
            "beta_regularizer": U.serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": U.serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": U.serialize_constraint(self.beta_constraint),
            "gamma_constraint": U.serialize_constraint(self.gamma_constraint),
        })
        return config
