"""Muon: orthogonalized momentum for matrices, AdamW for everything else."""

import math
import re

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


class Muon(Optimizer):
    """Muon optimizer, as in Keras 3.

    Two-dimensional variables take the Muon step: `m += g + (momentum - 1) * m`,
    `G = g + momentum * m` (Nesterov) or `G = m`, then `G` is
    orthogonalized by `ns_steps` quintic Newton-Schulz iterations
    (`X = G / (||G||_F + 1e-7)`, transposed when it has more rows than columns;
    `A = X X^T`, `X = muon_a * X + (muon_b * A + muon_c * A A) X`) and
    `w -= learning_rate * X * sqrt(max(rows, cols)) * rms_rate` (no
    `sqrt(...) * rms_rate` factor when `rms_rate` is None).

    Variables that are not 2-D, whose path contains "embedding" (with
    `exclude_embeddings=True`) or matches one of the regular expressions in
    `exclude_layers` take an AdamW step with `adam_beta_1`, `adam_beta_2`,
    `epsilon` and the learning rate times `adam_lr_ratio`. Weight decay
    (`w -= w * wd * learning_rate`) uses `weight_decay` for Muon variables and
    `adam_weight_decay` for AdamW ones.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        adam_beta_1: First-moment decay rate of the AdamW step. Defaults to 0.9.
        adam_beta_2: Second-moment decay rate of the AdamW step. Defaults to
            0.999.
        adam_weight_decay: Weight decay of the AdamW variables. Defaults to
            0.004.
        epsilon: Constant of the AdamW step. Defaults to 1e-7.
        weight_decay: Weight decay of the Muon variables. Defaults to 0.004.
        exclude_layers: Regular expressions (a list, or one string); variables
            whose path matches one take the AdamW step. Defaults to none.
        exclude_embeddings: Whether embedding variables take the AdamW step.
            Defaults to `True`.
        muon_a: First Newton-Schulz coefficient. Defaults to 3.4445.
        muon_b: Second Newton-Schulz coefficient. Defaults to -4.7750.
        muon_c: Third Newton-Schulz coefficient. Defaults to 2.0315.
        adam_lr_ratio: Learning-rate multiplier of the AdamW step. Defaults
            to 1.
        momentum: Momentum of the Muon step. Defaults to 0.95.
        ns_steps: Number of Newton-Schulz iterations. Defaults to 5.
        nesterov: Nesterov-style momentum. Defaults to `True`.
        rms_rate: Update scale (Liu et al., 2025), or None. Defaults to 0.2.
        clipnorm: optional float; each gradient is rescaled so that its L2 norm
            is at most this value.
        clipvalue: optional float; each gradient is clipped elementwise to
            `[-clipvalue, clipvalue]`.
        global_clipnorm: optional float; all gradients are rescaled together so
            that the L2 norm of their concatenation is at most this value (only
            one of the three clipping arguments can be set).
        use_ema: whether to keep an exponential moving average of the model
            weights: `ema = ema_momentum * ema + (1 - ema_momentum) * w` after
            each step.
        ema_momentum: the momentum of that average, in [0, 1] (default 0.99).
        ema_overwrite_frequency: optional integer; with `use_ema`, every this
            many steps the weights are overwritten by their average. None: only
            when `finalize_variable_values()` runs (end of `fit()`).
        loss_scale_factor: optional float; the loss is multiplied by it before
            the gradients are computed and the gradients are divided by it
            before the update (a fixed loss scale for float16 training).
        gradient_accumulation_steps: optional integer >= 2; gradients are summed
            over this many steps and the variables are updated only every this
            many steps, with the mean of the accumulated gradients.
        name: name of the optimizer (the prefix of its variables' paths;
            default: the snake-case class name).
        **kwargs: not accepted (an unknown argument is an error), except the
            deprecated `decay`, which is ignored with a warning.

    Slots per variable, in this order: `momentum`, then `velocity` for the
    AdamW variables only.
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if isinstance(ns_steps, bool) or not isinstance(ns_steps, int) or ns_steps < 0:
            raise ValueError(f"`ns_steps` must be a non-negative integer. Received: ns_steps={ns_steps!r}")
        if isinstance(exclude_layers, str):  # one pattern (an R character string)
            exclude_layers = [exclude_layers]
        if exclude_layers is not None and not all(isinstance(k, str) for k in exclude_layers):
            raise ValueError("`exclude_layers` must be a list of strings (regular expressions). "
                             f"Received: exclude_layers={exclude_layers!r}")
        if adam_weight_decay is not None and not isinstance(adam_weight_decay, (int, float)):
            raise ValueError("`adam_weight_decay` must be a number or None. "
                             f"Received: adam_weight_decay={adam_weight_decay!r}")
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = list(exclude_layers) if exclude_layers else []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or variable.name
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        super().build(var_list)
        self.momentums = []
        self.adam_velocities = []
        self._uses_adamw = []
        for variable in var_list:
            self.momentums.append(self.add_variable_from_reference(variable, "momentum"))
            adamw = self._should_use_adamw(variable)
            self._uses_adamw.append(adamw)
            self.adam_velocities.append(
                self.add_variable_from_reference(variable, "velocity") if adamw else None)
        self._decay_rates = [
            (self.adam_weight_decay if adamw else self.weight_decay)
            if self._use_weight_decay(variable) else None
            for variable, adamw in zip(var_list, self._uses_adamw)]

    def _apply_weight_decay(self, params, indices, lr):
        positions = range(len(params)) if indices is None else indices
        r = None
        for position, w in zip(positions, params):
            rate = self._decay_rates[position]
            if rate is None:
                continue
            r = r or rounding(w.dtype)
            w.sub_(w * r(float(rate)) * r(lr))

    def _update(self, params, grads, indices, lr, step):
        positions = range(len(params)) if indices is None else indices
        momentums = self._slots(self.momentums)
        for position, w, g in zip(positions, params, grads):
            m = momentums[position]
            if self._uses_adamw[position]:
                v = self.adam_velocities[position].value
                self._adamw_step(w, g, m, v, lr * self.adam_lr_ratio, step)
            else:
                self._muon_step(w, g, m, lr)

    def _adamw_step(self, w, g, m, v, lr, step):
        dtype = w.dtype
        r = rounding(dtype)
        beta_1 = float(self.adam_beta_1)
        beta_2 = float(self.adam_beta_2)
        alpha = r(r(r(lr) * r(math.sqrt(r(1.0 - power(beta_2, step, dtype)))))
                  / r(1.0 - power(beta_1, step, dtype)))
        m.add_((g - m) * (1 - beta_1))
        v.add_((g * g - v) * (1 - beta_2))
        w.sub_((m * alpha) / (torch.sqrt(v) + self.epsilon))

    def _muon_step(self, w, g, m, lr):
        momentum = float(self.momentum)
        m.add_(g + m * (momentum - 1))
        direction = g + momentum * m if self.nesterov else m
        update = rounding(w.dtype)(lr) * self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        if self.rms_rate is not None:
            scale = torch.sqrt(torch.tensor(float(max(update.shape[0], update.shape[1])),
                                            dtype=torch.float32, device=update.device))
            update = update * scale * self.rms_rate
        w.sub_(update)

    def zeropower_via_newtonschulz5(self, x, steps):
        """The quintic Newton-Schulz approximation of the orthogonal factor of
        `x` (a tensor of rank >= 2, over its last two axes)."""
        x = torch.as_tensor(x)
        if x.ndim < 2:
            raise ValueError("Expected gradient or momentum to have at least 2 dimensions. "
                             f"Received: shape={tuple(x.shape)}")
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = x.transpose(-2, -1)
        x = x / (torch.linalg.norm(x, dim=(-2, -1), keepdim=True) + 1e-7)
        for _ in range(steps):
            gram = x @ x.transpose(-2, -1)
            poly = b * gram + c * gram @ gram
            x = a * x + poly @ x
        if tall:
            x = x.transpose(-2, -1)
        return x

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        })
        return config
