"""Adam and AdamW."""

import math

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


def _resolve(value):
    return float(value() if callable(value) else value)


class Adam(Optimizer):
    """Adam: stochastic gradient descent with adaptive first and second moments.

    With `t = iterations + 1`, `m += (g - m) * (1 - beta_1)`,
    `v += (g**2 - v) * (1 - beta_2)` and
    `w -= learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`
    (epsilon added to the uncorrected root, as in Keras). With `amsgrad`, `v`
    in the denominator is replaced by its running maximum.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        beta_1: decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate. Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant (Reddi et al., 2018).
            Defaults to False.
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
    >>> opt = keras.optimizers.Adam(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.9, 2.1]
    """

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
    """AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Before each Adam step the weights decay as
    `w -= w * weight_decay * learning_rate`; then the Adam update:
    With `t = iterations + 1`, `m += (g - m) * (1 - beta_1)`,
    `v += (g**2 - v) * (1 - beta_2)` and
    `w -= learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`
    (epsilon added to the uncorrected root, as in Keras). With `amsgrad`, `v`
    in the denominator is replaced by its running maximum.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        weight_decay: the decoupled weight decay rate. Defaults to 0.004.
        beta_1: decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: decay rate of the second-moment estimate. Defaults to 0.999.
        epsilon: small constant for numerical stability. Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant (Reddi et al., 2018).
            Defaults to False.
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
    >>> opt = keras.optimizers.AdamW(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.8996, 2.0992]
    """

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
