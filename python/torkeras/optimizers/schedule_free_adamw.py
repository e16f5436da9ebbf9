"""Schedule-Free AdamW: interpolation and averaging instead of a schedule."""

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW optimizer (Defazio et al., 2024), as in Keras 3.

    The `momentum` slot (started at the variable's value) takes Adam-scaled
    gradient steps, `z -= lr_t * g / (sqrt(v / (1 - beta_2**t)) + epsilon)`
    after `v += (g**2 - v) * (1 - beta_2)`; the variable then holds the
    interpolation `y = (1 - beta_1) * z + beta_1 * x` of `z` and the running
    average `x = (1 - 1/t) * x_prev + (1/t) * z`, with `x_prev` recovered from
    the current variable as `(y - (1 - beta_1) * z) / beta_1`. As in Keras 3.15
    on the torch backend, that recovery uses the `z` just updated. During the
    first `warmup_steps` steps the rate ramps up linearly,
    `lr_t = learning_rate * min(t / warmup_steps, 1)`.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.0025.
        beta_1: Interpolation weight (and momentum). Defaults to 0.9.
        beta_2: Decay rate of the second moment. Defaults to 0.999.
        epsilon: Constant added to the root of the second moment. Defaults to
            1e-8.
        warmup_steps: Number of linear warmup steps. Defaults to 0.
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

    Slots (per variable, in this order): `momentum`, `velocity`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.9, 2.1]
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, int) or warmup_steps < 0:
            raise ValueError("`warmup_steps` must be a non-negative integer. "
                             f"Received: warmup_steps={warmup_steps!r}")
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        with torch.no_grad():
            for momentum, variable in zip(self._momentums, var_list):
                momentum.value.copy_(variable.value)

    def _update(self, params, grads, indices, lr, step):
        dtype = params[0].dtype
        r = rounding(dtype)
        beta_1 = r(float(self.beta_1))
        beta_2 = r(float(self.beta_2))
        lr = r(lr)
        if self.warmup_steps > 0:
            lr = r(lr * min(r(step / r(float(self.warmup_steps))), 1.0))
        correction = r(1.0 - power(beta_2, step, dtype))
        weight = r(1.0 / step)
        momentums = self._slots(self._momentums, indices)
        velocities = self._slots(self._velocities, indices)
        for w, g, z, v in zip(params, grads, momentums, velocities):
            v.add_((g * g - v) * r(1.0 - beta_2))
            denominator = torch.sqrt(v / correction) + float(self.epsilon)
            z.sub_((lr * g) / denominator)
            x_old = (w - r(1.0 - beta_1) * z) / beta_1
            x_new = r(1.0 - weight) * x_old + weight * z
            w.copy_(r(1.0 - beta_1) * z + beta_1 * x_new)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "warmup_steps": self.warmup_steps})
        return config
