"""Adam and AdamW."""

import math

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


def _resolve(value):
    return float(value() if callable(value) else value)


class Adam(Optimizer):
    """Keras' Adam: with `t = iterations + 1`,
    `alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`,
    `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 - beta_2)`,
    `w -= alpha * m / (sqrt(v) + epsilon)` (epsilon added to the uncorrected
    root, unlike `torch.optim.Adam`). `amsgrad` uses the running max of `v`."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # m0, v0, m1, v1, ... (the order Keras saves them in).
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        self._velocity_hats = (self.add_optimizer_variables(var_list, "velocity_hat")
                               if self.amsgrad else [])

    def _update(self, params, grads, indices, lr, step):
        beta_1 = _resolve(self.beta_1)
        beta_2 = _resolve(self.beta_2)
        dtype = params[0].dtype
        r = rounding(dtype)
        beta_1_power = power(beta_1, step, dtype)
        beta_2_power = power(beta_2, step, dtype)
        alpha = r(r(r(lr) * r(math.sqrt(r(1.0 - beta_2_power)))) / r(1.0 - beta_1_power))
        m = self._slots(self._momentums, indices)
        v = self._slots(self._velocities, indices)
        torch._foreach_lerp_(m, grads, 1.0 - beta_1)
        torch._foreach_mul_(v, beta_2)
        torch._foreach_addcmul_(v, grads, grads, value=1.0 - beta_2)
        if self.amsgrad:
            v_hat = self._slots(self._velocity_hats, indices)
            torch._foreach_maximum_(v_hat, v)
            v = v_hat
        denominators = torch._foreach_sqrt(v)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_addcdiv_(params, m, denominators, value=-alpha)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config


class AdamW(Adam):
    """Adam with decoupled weight decay (`w *= 1 - weight_decay * lr` before
    each update); `weight_decay` defaults to 0.004."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
