"""Nadam: Adam with Nesterov momentum and a momentum schedule."""

import torch

from torkeras.optimizers.optimizer import Optimizer, power, rounding


class Nadam(Optimizer):
    """Nadam optimizer (Dozat, 2016), as in Keras 3.

    With `t = iterations + 1` and the momentum schedule
    `u_t = beta_1 * (1 - 0.5 * 0.96**t)`, the running product
    `P_t = u_1 * ... * u_t` (an optimizer variable) gives
    `m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g / (1 - P_t)`
    after `m = beta_1 * m + (1 - beta_1) * g` and
    `v = beta_2 * v + (1 - beta_2) * g**2`; then
    `w -= learning_rate * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)`.
    The scalar coefficients are computed in the variables' dtype.

    Args:
        learning_rate: A float, a `LearningRateSchedule`, or a callable taking
            no argument and returning the rate. Defaults to 0.001.
        beta_1: Decay rate of the first moment. Defaults to 0.9.
        beta_2: Decay rate of the second moment. Defaults to 0.999.
        epsilon: Constant added to the root of the second moment. Defaults to
            1e-7.
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

    Slots (per variable, in this order): `momentum`, `velocity`; then one
    scalar holding the momentum-schedule product.

    Example:
    >>> v = keras.Variable([1.0, 2.0])
    >>> opt = keras.optimizers.Nadam(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(keras.ops.convert_to_tensor([1.0, -1.0]), v)])
    >>> [round(float(x), 4) for x in v.numpy()]
    [0.8937, 2.1063]
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
        var_list = list(var_list)
        dtype = var_list[0].dtype if var_list else None
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="variable")

    def _update(self, params, grads, indices, lr, step):
        beta_1 = float(self.beta_1)
        beta_2 = float(self.beta_2)
        dtype = params[0].dtype
        r = rounding(dtype)
        b1 = r(beta_1)
        u_t = r(b1 * r(1.0 - r(0.5 * power(0.96, step, dtype))))
        u_t_1 = r(b1 * r(1.0 - r(0.5 * power(0.96, step + 1, dtype))))
        product = self._u_product.value
        u_product_t = r(float(product) * u_t)
        u_product_t_1 = r(u_product_t * u_t_1)
        beta_2_power = power(beta_2, step, dtype)
        product.fill_(u_product_t)

        m = self._slots(self._momentums, indices)
        v = self._slots(self._velocities, indices)
        torch._foreach_mul_(m, beta_1)
        torch._foreach_add_(m, grads, alpha=1 - beta_1)
        torch._foreach_mul_(v, beta_2)
        torch._foreach_add_(v, torch._foreach_mul(grads, grads), alpha=1 - beta_2)

        m_hat = torch._foreach_mul(m, u_t_1)
        torch._foreach_div_(m_hat, r(1.0 - u_product_t_1))
        g_part = torch._foreach_mul(grads, r(1.0 - u_t))
        torch._foreach_div_(g_part, r(1.0 - u_product_t))
        torch._foreach_add_(m_hat, g_part)
        denominators = torch._foreach_div(v, r(1.0 - beta_2_power))
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, float(self.epsilon))
        torch._foreach_mul_(m_hat, r(lr))
        torch._foreach_div_(m_hat, denominators)
        torch._foreach_sub_(params, m_hat)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
