"""Adagrad: step sizes scaled by the accumulated squared gradients."""

import torch

from torkeras.optimizers.optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad optimizer, as in Keras 3.

    Each step does `acc += g**2` and
    `w -= learning_rate * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        initial_accumulator_value: Starting value of the accumulators
            (non-negative). Defaults to 0.1.
        epsilon: Constant added inside the square root. Defaults to 1e-7.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema,
        ema_momentum, ema_overwrite_frequency, loss_scale_factor,
        gradient_accumulation_steps, name: as for every optimizer (see
            `Optimizer`).

    Slot (per variable): `accumulator`.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        from torkeras import initializers
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator",
            initializer=initializers.Constant(self.initial_accumulator_value))

    def _update(self, params, grads, indices, lr, step):
        accumulators = self._slots(self._accumulators, indices)
        torch._foreach_add_(accumulators, torch._foreach_mul(grads, grads))
        denominators = torch._foreach_add(accumulators, float(self.epsilon))
        torch._foreach_sqrt_(denominators)
        increments = torch._foreach_mul(grads, lr)
        torch._foreach_div_(increments, denominators)
        torch._foreach_sub_(params, increments)

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
