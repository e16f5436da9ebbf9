"""BatchNormalization with Keras semantics.

Training (`training=True` and the layer trainable): normalize with the batch
mean and biased variance, and update
`moving = moving * momentum + batch_stat * (1 - momentum)`.
Otherwise normalize with the moving statistics. Weights, in order: gamma
(if scale), beta (if center), moving_mean, moving_variance.
"""

import torch

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.normalization.normalization_args import (GammaBetaMixin, axis_argument,
                                                              resolve_axes)

_LOW_PRECISION = (torch.float16, torch.bfloat16)


class BatchNormalization(GammaBetaMixin, Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, renorm=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis_argument("BatchNormalization", axis)
        if renorm:
            raise NotImplementedError("BatchNormalization: `renorm=True` is not supported yet.")
        if not 0 <= float(momentum) <= 1:
            raise ValueError("BatchNormalization: `momentum` must be between 0 and 1; received: "
                             f"momentum={momentum!r}")
        if float(epsilon) <= 0:
            raise ValueError("BatchNormalization: `epsilon` must be positive; received: "
                             f"epsilon={epsilon!r}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.synchronized = bool(synchronized)
        self._set_gamma_beta_args(center, scale, beta_initializer, gamma_initializer,
                                  beta_regularizer, gamma_regularizer, beta_constraint,
                                  gamma_constraint)
        self.moving_mean_initializer = U.get_initializer(moving_mean_initializer)
        self.moving_variance_initializer = U.get_initializer(moving_variance_initializer)
        self.supports_masking = True

    def build(self, input_shape):
        rank = len(input_shape)
        axis, = resolve_axes(self, [self.axis], input_shape)
        features = input_shape[axis]
        shape = (features,)
        self._add_gamma_beta(shape, gamma=self.scale, beta=self.center)
        self.moving_mean = self.add_weight(shape=shape, initializer=self.moving_mean_initializer,
                                           trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(shape=shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, name="moving_variance")
        self._rank = rank
        self._feature_axis = axis
        self._reduction_axes = tuple(i for i in range(rank) if i != axis)
        # Per-feature vectors broadcast against the last axis as they are;
        # other axes need a (1, C, 1, ...) view.
        self._bshape = None if axis == rank - 1 else tuple(
            features if i == axis else 1 for i in range(rank))
        self.built = True

    def _moments(self, x, mask):
        if mask is None:
            var, mean = torch.var_mean(x, dim=self._reduction_axes, correction=0)
            return mean, var
        weights = mask.to(x.dtype)
        if weights.dim() == x.dim() - 1:
            weights = weights.unsqueeze(self._feature_axis)
        red = self._reduction_axes
        total = weights.expand_as(x).sum(dim=red).clamp_min(1e-12)
        mean = (weights * x).sum(dim=red) / total
        centered = x - (mean if self._bshape is None else mean.view(self._bshape))
        var = (weights * centered * centered).sum(dim=red) / total
        return mean, var

    def call(self, inputs, training=None, mask=None):
        input_dtype = inputs.dtype
        x = inputs.float() if input_dtype in _LOW_PRECISION else inputs
        update = bool(training) and self.trainable
        count = x.numel() // max(x.shape[self._feature_axis], 1) if update else 0
        if mask is None and (not update or count > 1):
            out = self._fused(x, update, count)
        else:
            out = self._unfused(x, update, mask)
        if out.dtype != input_dtype:
            out = out.to(input_dtype)
        return out

    def _fused(self, x, update, count):
        """torch's fused batch_norm with the features moved to axis 1."""
        axis = self._feature_axis
        xc = x if axis == 1 else x.movedim(axis, 1)
        gamma = self.gamma._value.to(x.dtype) if self.gamma is not None else None
        beta = self.beta._value.to(x.dtype) if self.beta is not None else None
        if update:
            # torch would fold its *unbiased* variance into the moving
            # statistics, so collect the batch statistics in scratch buffers
            # (momentum 1 stores them as they are) and apply the Keras rule.
            features = x.shape[axis]
            batch_mean = torch.zeros(features, dtype=x.dtype, device=x.device)
            batch_var = torch.zeros(features, dtype=x.dtype, device=x.device)
            out = torch.nn.functional.batch_norm(xc, batch_mean, batch_var, gamma, beta, True,
                                                 1.0, self.epsilon)
            with torch.no_grad():
                # Unbiased -> biased, as Keras. Not in place: autograd saved batch_var.
                self._update_moving(batch_mean, batch_var * ((count - 1) / count))
        else:
            out = torch.nn.functional.batch_norm(
                xc, self.moving_mean._value.to(x.dtype), self.moving_variance._value.to(x.dtype),
                gamma, beta, False, 0.0, self.epsilon)
        return out if axis == 1 else out.movedim(1, axis)

    def _update_moving(self, mean, var):
        m = self.momentum
        mm = self.moving_mean._value
        mv = self.moving_variance._value
        mm.mul_(m).add_(mean.detach().to(mm.dtype), alpha=1.0 - m)
        mv.mul_(m).add_(var.detach().to(mv.dtype), alpha=1.0 - m)

    def _unfused(self, x, update, mask):
        if update:
            mean, var = self._moments(x, mask)
            with torch.no_grad():
                self._update_moving(mean, var)
        else:
            mean = self.moving_mean._value.to(x.dtype)
            var = self.moving_variance._value.to(x.dtype)
        inv = torch.rsqrt(var + self.epsilon)
        if self.gamma is not None:
            inv = inv * self.gamma._value.to(x.dtype)
        shift = -mean * inv
        if self.beta is not None:
            shift = shift + self.beta._value.to(x.dtype)
        if self._bshape is not None:
            inv = inv.view(self._bshape)
            shift = shift.view(self._bshape)
        return torch.addcmul(shift, x, inv)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon})
        config.update(self._gamma_beta_config({
            "moving_mean_initializer": U.serialize_initializer(self.moving_mean_initializer),
            "moving_variance_initializer": U.serialize_initializer(
                self.moving_variance_initializer)}))
        config["synchronized"] = self.synchronized
        return config
