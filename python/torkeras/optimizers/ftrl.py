"""FTRL-Proximal ("Follow The Regularized Leader")."""

import torch

from torkeras.optimizers.optimizer import Optimizer, rounding


class Ftrl(Optimizer):
    """FTRL-Proximal optimizer (McMahan et al., 2013).

    FTRL-Proximal optimizer (McMahan et al., 2013), as in Keras 3, with
    online L1/L2 regularization and L2 shrinkage.

    With `p = -learning_rate_power` and `l2 = l2_regularization_strength +
    beta / (2 * learning_rate)`, each step does
    `g' = g + 2 * l2_shrinkage_regularization_strength * w`,
    `n' = n + g**2`, `z += g' - (n'**p - n**p) / learning_rate * w`,
    `w = (clip(z, -l1, l1) - z) / (n'**p / learning_rate + 2 * l2)`, `n = n'`
    (`n` is the `accumulator` slot, `z` the `linear` slot).

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        learning_rate_power: Power of the accumulator in the per-coordinate
            rate; <= 0. Defaults to -0.5.
        initial_accumulator_value: Starting accumulator value; >= 0. Defaults
            to 0.1.
        l1_regularization_strength: >= 0. Defaults to 0.0.
        l2_regularization_strength: >= 0 (stabilization penalty). Defaults to
            0.0.
        l2_shrinkage_regularization_strength: >= 0; a magnitude penalty added
            to the gradient. Defaults to 0.0.
        beta: Added to the L2 term as `beta / (2 * learning_rate)`. Defaults
            to 0.0.
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

    Slots (per variable, in this order): `accumulator`, `linear`.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Ftrl(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.6031, 1.4923]
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        checks = (("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                  ("learning_rate_power", -learning_rate_power, "negative or zero"),
                  ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
                  ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
                  ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                   "positive or zero"))
        for arg, value, expected in checks:
            if value < 0.0:
                shown = -value if arg == "learning_rate_power" else value
                raise ValueError(f"`{arg}` needs to be {expected}. Received: {arg}={shown}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        from torkeras import initializers
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"])

    def _update(self, params, grads, indices, lr, step):
        r = rounding(params[0].dtype)
        lr = r(lr)
        exponent = -float(self.learning_rate_power)
        l1 = float(self.l1_regularization_strength)
        l2 = r(float(self.l2_regularization_strength) + r(float(self.beta) / r(2.0 * lr)))
        shrinkage = 2 * float(self.l2_shrinkage_regularization_strength)
        accumulators = self._slots(self._accumulators, indices)
        linears = self._slots(self._linears, indices)
        # The exponent as a 0-d tensor of the variables' dtype, as Keras passes it.
        exponent = torch.tensor(exponent, dtype=params[0].dtype, device=params[0].device)
        for w, g, accum, linear in zip(params, grads, accumulators, linears):
            grad_to_use = g + shrinkage * w
            new_accum = accum + g * g
            new_power = torch.pow(new_accum, exponent)
            linear.add_(grad_to_use - ((new_power - torch.pow(accum, exponent)) / lr) * w)
            quadratic = new_power / lr + 2 * l2
            w.copy_((torch.clamp(linear, -l1, l1) - linear) / quadratic)
            accum.copy_(new_accum)

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
