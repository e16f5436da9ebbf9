"""RMSprop: divide the gradient by a running root-mean-square."""

import torch

from torkeras.optimizers.optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop: gradient steps divided by a running root mean square of the gradients.

    `v = rho * v + (1 - rho) * g**2` and `w -= learning_rate * g / sqrt(v + epsilon)`
    (epsilon inside the root). With `centered=True`, the squared running mean of
    `g` is subtracted from `v` inside the root; with `momentum > 0`, the steps
    accumulate in a momentum slot `m = momentum * m + step`, then `w -= m`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        rho: decay rate of the running average of the squared gradients.
            Defaults to 0.9.
        momentum: float >= 0. Defaults to 0.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        centered: whether to normalise by the estimated variance of the
            gradient rather than its second moment. Defaults to False.
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

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.RMSprop(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.6838, 2.3162]
    """

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
