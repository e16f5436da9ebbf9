"""Lion: sign of an interpolated momentum."""

import torch

from torkeras.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """Lion optimizer (Chen et al., 2023), as in Keras 3.

    Each step does `w -= learning_rate * sign(beta_1 * m + (1 - beta_1) * g)`,
    then `m = beta_2 * m + (1 - beta_2) * g`. Since updates have unit
    magnitude per coordinate, Lion usually wants a learning rate 3-10x
    smaller than AdamW's.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        beta_1: Interpolation weight of the momentum in the update; must be
            in (0, 1]. Defaults to 0.9.
        beta_2: Decay rate of the momentum. Defaults to 0.99.
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

    Slot (per variable): `momentum`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Lion(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.9, 2.1]
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the (0, 1] range (with beta_1 <= 0 Lion degenerates "
                f"to SignSGD). Received: beta_1={beta_1}.")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def _update(self, params, grads, indices, lr, step):
        beta_1 = float(self.beta_1)
        beta_2 = float(self.beta_2)
        m = self._slots(self._momentums, indices)
        directions = torch._foreach_mul(m, beta_1)
        torch._foreach_add_(directions, grads, alpha=1 - beta_1)
        directions = [d.sign_() for d in directions]
        torch._foreach_add_(params, torch._foreach_mul(directions, lr), alpha=-1)
        torch._foreach_mul_(m, beta_2)
        torch._foreach_add_(m, grads, alpha=1 - beta_2)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
