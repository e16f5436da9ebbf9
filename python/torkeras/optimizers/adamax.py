"""Adamax: Adam with the infinity norm in place of the second moment."""

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


class Adamax(Optimizer):
    """Adamax optimizer (Kingma & Ba, section 7), as in Keras 3.

    With `t = iterations + 1`: `m = beta_1 * m + (1 - beta_1) * g`,
    `u = max(beta_2 * u, |g|)`,
    `w -= learning_rate * m / ((u + epsilon) * (1 - beta_1**t))`
    (`beta_1**t` computed in the variables' dtype).

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        beta_1: Decay rate of the first moment. Defaults to 0.9.
        beta_2: Decay rate of the infinity norm. Defaults to 0.999.
        epsilon: Constant added to the norm. Defaults to 1e-7.
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

    Slots (per variable, in this order): `momentum`, `norm`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Adamax(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.9, 2.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def _update(self, params, grads, indices, lr, step):
        beta_1 = float(self.beta_1)
        beta_2 = float(self.beta_2)
        dtype = params[0].dtype
        r = rounding(dtype)
        correction = r(1.0 - power(beta_1, step, dtype))
        m = self._slots(self._m, indices)
        u = self._slots(self._u, indices)
        torch._foreach_mul_(m, beta_1)
        torch._foreach_add_(m, grads, alpha=1 - beta_1)
        torch._foreach_mul_(u, beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        numerators = torch._foreach_mul(m, r(lr))
        denominators = torch._foreach_add(u, float(self.epsilon))
        torch._foreach_mul_(denominators, correction)
        torch._foreach_div_(numerators, denominators)
        torch._foreach_sub_(params, numerators)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
