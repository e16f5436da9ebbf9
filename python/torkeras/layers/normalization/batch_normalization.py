"""BatchNormalization with Keras semantics.

Training (`training=True` and the layer trainable): normalize with the batch
mean and biased variance, and update
`moving = moving * momentum + batch_stat * (1 - momentum)`.
Otherwise normalize with the moving statistics. Weights, in order: gamma
(if scale), beta (if center), moving_mean, moving_variance, and with renorm
moving_stddev, renorm_mean, renorm_stddev.

Batch renormalization (`renorm=True`, Ioffe 2017, as Keras 3 implements it):
in training the batch-normalized values are corrected to
`x_hat * r + d` with `r = batch_std / renorm_std` clipped to [rmin, rmax] and
`d = (batch_mean - renorm_mean) / renorm_std` clipped to [-dmax, dmax], both
from the renorm statistics before this batch and without gradient
(`renorm_std` is at least sqrt(epsilon)). The renorm statistics follow the
batch with `renorm_momentum`; the inference statistics with `momentum`, the
variance through a moving standard deviation:
`moving_variance = relu(moving_stddev ** 2 - epsilon)`, where the batch
standard deviation is `sqrt(batch_var + epsilon)`. Inference is unchanged.
"""

import numbers

import torch

from torkeras.layers.core import arg_utils as U
from torkeras.layers.layer import Layer
from torkeras.layers.normalization.normalization_args import (GammaBetaMixin, axis_argument,
                                                              resolve_axes)

_LOW_PRECISION = (torch.float16, torch.bfloat16)


class BatchNormalization(GammaBetaMixin, Layer):
    """Normalizes its inputs with batch statistics in training and moving averages at inference.

    Over the axes other than `axis`, `output = gamma * (x - mean) / sqrt(var + epsilon) + beta`.
    In training (`training=True`, as `fit()` calls it, and the layer
    trainable), `mean` and `var` are the batch's mean and (biased) variance, and
    the moving statistics are updated as
    `moving = moving * momentum + batch_stat * (1 - momentum)`. At inference
    (and when the layer is frozen, `trainable=False`) the moving mean and
    variance are used.

    Args:
        axis: the feature axis (or list of axes) that keeps one statistic per
            entry (default -1; 1 for channels-first convolutions).
        momentum: momentum of the moving averages (default 0.99).
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
        moving_mean_initializer: initializer of the `moving_mean` weight (a name such as
            "zeros", or an initializer). Default "zeros".
        moving_variance_initializer: initializer of the `moving_variance` weight (a name such as
            "ones", or an initializer). Default "ones".
        renorm: whether to use batch renormalization (Ioffe, 2017): in training
            the normalised values are corrected towards the moving statistics.
        renorm_clipping: with `renorm`, an optional dict with keys "rmax",
            "rmin" and "dmax" bounding the renorm corrections `r` and `d`.
        renorm_momentum: momentum of the renorm moving statistics (default 0.99).
        synchronized: recorded in the config for Keras compatibility; the
            statistics are not synchronized across devices.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a tensor of any rank.
        training: whether to normalise with the batch statistics (and update
            the moving ones).
        mask: optional mask; masked entries are left out of the batch
            statistics.

    Input shape:
        Any shape.

    Output shape:
        Same shape as the input.

    Example:
    >>> layer = keras.layers.BatchNormalization()
    >>> x = np.array([[0.0], [2.0]], "float32")
    >>> y = keras.ops.convert_to_numpy(layer(x, training=True))
    >>> [round(v, 4) for v in y.ravel().tolist()]
    [-0.9995, 0.9995]
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                 synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis_argument("BatchNormalization", axis)
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
        self.renorm = bool(renorm)
        if self.renorm:
            renorm_clipping = _renorm_clipping_argument(renorm_clipping)
        if not 0 <= float(renorm_momentum) <= 1:
            raise ValueError("BatchNormalization: `renorm_momentum` must be between 0 and 1; "
                             f"received: renorm_momentum={renorm_momentum!r}")
        # Kept as given (None without renorm, {} for no clipping), as Keras does.
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = float(renorm_momentum)

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
        if self.renorm:
            # The moving standard deviations start at the square root of the
            # variance initializer's values.
            def stddev_initializer(shape, dtype=None):
                return torch.sqrt(torch.as_tensor(
                    self.moving_variance_initializer(shape, dtype=dtype)))

            self.moving_stddev = self.add_weight(shape=shape, initializer=stddev_initializer,
                                                 trainable=False, name="moving_stddev")
            self.renorm_mean = self.add_weight(shape=shape,
                                               initializer=self.moving_mean_initializer,
                                               trainable=False, name="renorm_mean")
            self.renorm_stddev = self.add_weight(shape=shape, initializer=stddev_initializer,
                                                 trainable=False, name="renorm_stddev")
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
        if update and self.renorm:
            out = self._renormalized(x, mask)
        elif mask is None and (not update or count > 1):
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

    def _renormalized(self, x, mask):
        """Training output with the renorm correction; updates the renorm and
        inference statistics."""
        mean, var = self._moments(x, mask)
        stddev = torch.sqrt(var + self.epsilon)
        with torch.no_grad():
            r, d = self._renorm_corrections(mean.detach(), stddev.detach())
        scale, offset = r, d
        if self.gamma is not None:
            gamma = self.gamma._value.to(x.dtype)
            scale, offset = r * gamma, d * gamma
        if self.beta is not None:
            offset = offset + self.beta._value.to(x.dtype)
        inv = scale / stddev
        shift = offset - mean * inv
        if self._bshape is not None:
            inv = inv.view(self._bshape)
            shift = shift.view(self._bshape)
        out = torch.addcmul(shift, x, inv)
        with torch.no_grad():
            self._update_renorm_statistics(mean.detach(), stddev.detach())
        return out

    def _renorm_corrections(self, mean, stddev):
        renorm_mean = self.renorm_mean._value.to(mean.dtype)
        # At least sqrt(epsilon): no division by zero early in training.
        renorm_stddev = self.renorm_stddev._value.to(mean.dtype).clamp_min(self.epsilon ** 0.5)
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        clipping = self.renorm_clipping
        if clipping.get("rmin") is not None:
            r = r.clamp_min(clipping["rmin"])
        if clipping.get("rmax") is not None:
            r = r.clamp_max(clipping["rmax"])
        if clipping.get("dmax") is not None:
            d = d.clamp(-clipping["dmax"], clipping["dmax"])
        return r, d

    def _update_renorm_statistics(self, mean, stddev):
        def follow(variable, value, momentum):
            current = variable._value
            current.mul_(momentum).add_(value.to(current.dtype), alpha=1.0 - momentum)
            return current

        follow(self.renorm_mean, mean, self.renorm_momentum)
        follow(self.renorm_stddev, stddev, self.renorm_momentum)
        follow(self.moving_mean, mean, self.momentum)
        moving_stddev = follow(self.moving_stddev, stddev, self.momentum)
        self.moving_variance._value.copy_(
            torch.relu(moving_stddev * moving_stddev - self.epsilon))

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
        config.update({"renorm": self.renorm, "renorm_clipping": self.renorm_clipping,
                       "renorm_momentum": self.renorm_momentum})
        return config


def _renorm_clipping_argument(clipping):
    """The `renorm_clipping` dict checked: keys among rmax, rmin, dmax, numbers
    (or None) as values, rmin <= rmax and dmax >= 0."""
    clipping = {} if clipping is None else clipping
    if not isinstance(clipping, dict):
        raise ValueError("BatchNormalization: `renorm_clipping` must be a dict with optional "
                         f"keys 'rmax', 'rmin', 'dmax'; received: renorm_clipping={clipping!r}")
    keys = ("rmax", "rmin", "dmax")
    unknown = [k for k in clipping if k not in keys]
    if unknown:
        raise ValueError(f"BatchNormalization: invalid keys {unknown} in `renorm_clipping`; "
                         f"supported keys: {list(keys)}. Received: renorm_clipping={clipping!r}")
    out = {}
    for key, value in clipping.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            raise ValueError(f"BatchNormalization: `renorm_clipping['{key}']` must be a number; "
                             f"received: {value!r}")
        out[key] = None if value is None else float(value)
    rmax, rmin, dmax = out.get("rmax"), out.get("rmin"), out.get("dmax")
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError("BatchNormalization: `renorm_clipping` needs rmax >= rmin; received "
                         f"rmax={rmax}, rmin={rmin}")
    if dmax is not None and dmax < 0:
        raise ValueError("BatchNormalization: `renorm_clipping` needs dmax >= 0; received "
                         f"dmax={dmax}")
    return out
