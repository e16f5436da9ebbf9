"""Adadelta: per-coordinate step sizes from running averages of squared
gradients and squared updates."""

import torch

from torkeras.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta optimizer (Zeiler, 2012), as in Keras 3.

    With `rms(x) = sqrt(x + epsilon)`, each step does
    `acc_g = rho * acc_g + (1 - rho) * g**2`,
    `delta = -rms(acc_delta) * g / rms(acc_g)`,
    `acc_delta = rho * acc_delta + (1 - rho) * delta**2` and
    `w += learning_rate * delta`.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001 (use 1.0 to
            follow the original paper).
        rho: Decay rate of both running averages. Defaults to 0.95.
        epsilon: Constant added inside the square roots. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: as for every optimizer (see
            `Optimizer`).

    Slots (per variable, in this order): `accumulated_grad`,
    `accumulated_delta_var`.
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def _update(self, params, grads, indices, lr, step):
        rho = float(self.rho)
        eps = float(self.epsilon)
        acc_g = self._slots(self._accumulated_grads, indices)
        acc_d = self._slots(self._accumulated_delta_vars, indices)
        torch._foreach_mul_(acc_g, rho)
        torch._foreach_add_(acc_g, torch._foreach_mul(grads, grads), alpha=1 - rho)
        rms_d = torch._foreach_add(acc_d, eps)
        torch._foreach_sqrt_(rms_d)
        rms_g = torch._foreach_add(acc_g, eps)
        torch._foreach_sqrt_(rms_g)
        deltas = torch._foreach_mul(rms_d, grads)
        torch._foreach_div_(deltas, rms_g)
        torch._foreach_neg_(deltas)
        torch._foreach_mul_(acc_d, rho)
        torch._foreach_add_(acc_d, torch._foreach_mul(deltas, deltas), alpha=1 - rho)
        torch._foreach_add_(params, deltas, alpha=lr)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
