"""RMSprop: divide the gradient by a running root-mean-square."""

import torch

from torkeras.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """`v = rho * v + (1 - rho) * g**2`; `w -= lr * g / sqrt(v + epsilon)`
    (epsilon inside the root, as in Keras). `centered=True` subtracts the
    squared running mean of `g` inside the root; `momentum > 0` accumulates
    the increments in a momentum slot that is then subtracted."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # Keras creates these group by group (all velocities first).
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = (self.add_optimizer_variables(var_list, "average_gradient")
                                   if self.centered else [])

    def _update(self, params, grads, indices, lr, step):
        rho = float(self.rho)
        eps = float(self.epsilon)
        velocities = self._slots(self._velocities, indices)
        torch._foreach_mul_(velocities, rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1.0 - rho)
        if self.centered:
            averages = self._slots(self._average_gradients, indices)
            torch._foreach_mul_(averages, rho)
            torch._foreach_add_(averages, grads, alpha=1.0 - rho)
            denominators = torch._foreach_add(velocities, eps)
            torch._foreach_addcmul_(denominators, averages, averages, value=-1.0)
        else:
            denominators = torch._foreach_add(velocities, eps)
        torch._foreach_sqrt_(denominators)
        if self.momentum > 0:
            momentums = self._slots(self._momentums, indices)
            torch._foreach_mul_(momentums, float(self.momentum))
            torch._foreach_addcdiv_(momentums, grads, denominators, value=lr)
            torch._foreach_sub_(params, momentums)
        else:
            torch._foreach_addcdiv_(params, grads, denominators, value=-lr)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
