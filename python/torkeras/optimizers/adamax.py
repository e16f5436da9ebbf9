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
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: as for every optimizer (see
            `Optimizer`).

    Slots (per variable, in this order): `momentum`, `norm`.
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
