"""Adafactor: factored second-moment estimates."""

import torch

from torkeras.optimizers.optimizer import Optimizer


def _rms(x):
    return torch.sqrt(torch.mean(x * x))


class Adafactor(Optimizer):
    """Adafactor optimizer (Shazeer & Stern, 2018), as in Keras 3.

    With `t = iterations + 1`, `rho = min(learning_rate, 1 / sqrt(t))`,
    `alpha = max(epsilon_2, rms(w)) * rho`, `beta = 1 - t**beta_2_decay` and
    `G = g**2 + epsilon_1`: a variable of rank >= 2 keeps row and column
    averages of `G` over its last two axes, `r = beta * r + (1 - beta) *
    mean(G, -1)`, `c = beta * c + (1 - beta) * mean(G, -2)`, and
    `v = (r / mean(r, -1))[..., None] * c[..., None, :]`; a variable of rank
    < 2 keeps `v = beta * v + (1 - beta) * G`. Then `u = g / sqrt(v)`,
    `w -= alpha * u / max(1, rms(u) / clip_threshold)`.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        beta_2_decay: Exponent of the second-moment decay. Defaults to -0.8.
        epsilon_1: Added to the squared gradient. Defaults to 1e-30.
        epsilon_2: Lower bound of the relative step scale. Defaults to 1e-3.
        clip_threshold: Threshold of the update clipping (independent of
            `clipnorm`/`clipvalue`/`global_clipnorm`). Defaults to 1.0.
        relative_step: With a constant learning rate, cap it at
            `1 / sqrt(t)`. Defaults to `True` (the step uses that cap in any
            case, as in Keras).
        weight_decay: optional float; decoupled weight decay applied before each
            update as `w -= w * weight_decay * learning_rate` (variables excluded
            with `exclude_from_weight_decay()` are left out).
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

    Optimizer variables per model variable, in Keras's order: the row and
    column accumulators (for a variable of rank < 2, two unused int32
    scalars, as Keras writes them), then `velocity`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Adafactor(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.8419, 2.1581]
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            shape = tuple(variable.shape)
            name = variable.name
            if len(shape) < 2:
                # Unused placeholders, kept so the saved layout is Keras's.
                self._r.append(self.add_variable((), dtype="int32", name=name))
                self._c.append(self.add_variable((), dtype="int32", name=name))
            else:
                self._r.append(self.add_variable(shape[:-1], dtype=variable.dtype, name=name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=variable.dtype,
                                                 name=name))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))
        # The factored accumulators follow their variable's device.
        for variable, r, c in zip(var_list, self._r, self._c):
            if len(variable.shape) >= 2:
                self._slot_refs.extend([(r, variable), (c, variable)])

    def _update(self, params, grads, indices, lr, step):
        positions = range(len(params)) if indices is None else indices
        rows = self._slots(self._r)
        columns = self._slots(self._c)
        velocities = self._slots(self._v)
        for position, w, g in zip(positions, params, grads):
            t = torch.tensor(step, dtype=w.dtype, device=w.device)
            rate = torch.tensor(lr, dtype=w.dtype, device=w.device)
            cap = 1 / torch.sqrt(t)
            if self.relative_step and self._lr_var is not None \
                    and self._learning_rate is self._lr_var:
                rate = torch.minimum(rate, cap)
            rho = torch.minimum(rate, cap)
            alpha = torch.maximum(torch.tensor(self.epsilon_2, dtype=w.dtype, device=w.device),
                                  _rms(w)) * rho
            regulated = g * g + self.epsilon_1
            beta = 1 - torch.pow(t, self.beta_2_decay)
            v = velocities[position]
            if w.ndim >= 2:
                r, c = rows[position], columns[position]
                r.copy_(beta * r + (1 - beta) * torch.mean(regulated, dim=-1))
                c.copy_(beta * c + (1 - beta) * torch.mean(regulated, dim=-2))
                v.copy_(torch.unsqueeze(r / torch.mean(r, dim=-1, keepdim=True), -1)
                        * torch.unsqueeze(c, -2))
            else:
                v.copy_(beta * v + (1 - beta) * regulated)
            u = g / torch.sqrt(v)
            u_hat = u / torch.maximum(torch.ones((), dtype=w.dtype, device=w.device),
                                      _rms(u) / self.clip_threshold)
            w.sub_(alpha * u_hat)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config
