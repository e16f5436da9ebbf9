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

    Slots (per variable, in this order): `accumulated_grad`,
    `accumulated_delta_var`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Adadelta(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.9999, 2.0001]
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
