"""Learning-rate schedules (`keras.optimizers.schedules`).

A schedule maps the optimizer step (the number of updates applied so far) to a
learning rate. Built-in schedules compute in Python floats through
`_value_at(step)`, which optimizers call directly with their host-side step
counter, so a schedule costs no tensor ops and no device sync per step.
`__call__(step)` accepts an int, a float, a 0-d tensor or a Variable and returns
a 0-d float32 tensor, as in Keras.
"""

import math

import torch

from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import object_envelope


class LearningRateSchedule:
    """Base class of learning-rate schedules.

    A schedule is passed as an optimizer's `learning_rate`; the optimizer calls
    it with its step counter (`optimizer.iterations`, starting at 0) and uses
    the returned rate. A subclass implements `__call__(step)` and, to be
    serializable, `get_config()`.

    Example:
    >>> class Halving(keras.optimizers.schedules.LearningRateSchedule):
    ...     def __init__(self, rate):
    ...         self.rate = rate
    ...     def __call__(self, step):
    ...         return self.rate / 2 ** (step // 10)
    ...     def get_config(self):
    ...         return {"rate": self.rate}
    >>> Halving(0.1)(20)
    0.025
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _BuiltinSchedule(LearningRateSchedule):
    """Schedules whose formula is evaluated on Python floats."""

    def __call__(self, step):
        return torch.tensor(self._value_at(_step_to_float(step)), dtype=torch.float32)

    def _value_at(self, step):
        raise NotImplementedError


def _step_to_float(step):
    if hasattr(step, "value") and not isinstance(step, torch.Tensor):  # a Variable
        step = step.value
    if isinstance(step, torch.Tensor):
        return float(step.detach())
    return float(step)


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class _StepDecay(_BuiltinSchedule):
    """Shared by the schedules driven by `step / decay_steps` (floored when
    `staircase=True`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _ratio(self, step):
        ratio = step / self.decay_steps
        return math.floor(ratio) if self.staircase else ratio

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """A schedule that decays the learning rate exponentially.

    `rate(step) = initial_learning_rate * decay_rate ** (step / decay_steps)`;
    with `staircase=True` the exponent `step / decay_steps` is floored, so the
    rate changes every `decay_steps` steps.

    Args:
        initial_learning_rate: the learning rate at step 0 (a float).
        decay_steps: positive number of steps of one decay period.
        decay_rate: the factor applied per period.
        staircase: whether to floor `step / decay_steps` (a step function).
        name: name of the schedule (default "ExponentialDecay").

    Example:
    >>> s = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(float(s(20)), 6)
    0.025
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value_at(self, step):
        return self.initial_learning_rate * self.decay_rate ** self._ratio(step)


class PiecewiseConstantDecay(_BuiltinSchedule):
    """A piecewise-constant learning rate.

    `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i-1] < step <= boundaries[i]`, and `values[-1]` after the last
    boundary.

    Args:
        boundaries: increasing list of step numbers.
        values: list of learning rates, one more than `boundaries`.
        name: name of the schedule (default "PiecewiseConstant").

    Example:
    >>> s = keras.optimizers.schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    >>> [round(float(s(step)), 4) for step in (0, 100, 150, 201)]
    [1.0, 1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = list(boundaries), list(values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, "
                f"and values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def _value_at(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(_BuiltinSchedule):
    """A learning rate that decays polynomially to an end value.

    `rate(step) = (initial_learning_rate - end_learning_rate) *
    (1 - step / decay_steps) ** power + end_learning_rate`, with `step` capped at
    `decay_steps` (the rate then stays at `end_learning_rate`). With
    `cycle=True`, the horizon is instead the first multiple of `decay_steps` not
    below `step`, so the decay restarts.

    Args:
        initial_learning_rate: the learning rate at step 0 (a float).
        decay_steps: positive number of steps of the decay.
        end_learning_rate: the final learning rate. Defaults to 0.0001.
        power: the power of the polynomial. Defaults to 1.0 (linear).
        cycle: whether to restart the decay after `decay_steps`.
        name: name of the schedule (default "PolynomialDecay").

    Example:
    >>> s = keras.optimizers.schedules.PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0)
    >>> [round(float(s(step)), 4) for step in (0, 5, 20)]
    [1.0, 0.5, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def _value_at(self, step):
        horizon = float(self.decay_steps)
        if self.cycle:
            horizon *= 1.0 if step == 0 else math.ceil(step / self.decay_steps)
        else:
            step = min(step, horizon)
        fraction = step / horizon
        return ((self.initial_learning_rate - self.end_learning_rate)
                * (1.0 - fraction) ** self.power + self.end_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_StepDecay):
    """A learning rate that decays as the inverse of time.

    `rate(step) = initial_learning_rate / (1 + decay_rate * step / decay_steps)`;
    with `staircase=True`, `step / decay_steps` is floored.

    Args:
        initial_learning_rate: the learning rate at step 0 (a float).
        decay_steps: positive number of steps of one decay unit.
        decay_rate: the decay rate.
        staircase: whether to floor `step / decay_steps` (a step function).
        name: name of the schedule (default "InverseTimeDecay").

    Example:
    >>> s = keras.optimizers.schedules.InverseTimeDecay(1.0, decay_steps=10, decay_rate=1.0)
    >>> round(float(s(10)), 4)
    0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value_at(self, step):
        return self.initial_learning_rate / (1.0 + self.decay_rate * self._ratio(step))


def _cosine(fraction, alpha):
    return (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(_BuiltinSchedule):
    """A cosine-shaped decay of the learning rate, with an optional linear warmup.

    Without warmup, `rate(step) = initial_learning_rate * ((1 - alpha) *
    0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)`. With
    `warmup_target`, the rate first grows linearly from `initial_learning_rate`
    to `warmup_target` over `warmup_steps` steps, then decays from
    `warmup_target` by the same formula over the next `decay_steps` steps.

    Args:
        initial_learning_rate: the learning rate at step 0 (a float).
        decay_steps: positive number of steps of the decay.
        alpha: the final rate as a fraction of the starting (or warmup target)
            rate. Defaults to 0.
        name: name of the schedule (default "CosineDecay").
        warmup_target: optional learning rate reached at the end of the warmup.
        warmup_steps: number of warmup steps. Defaults to 0.

    Example:
    >>> s = keras.optimizers.schedules.CosineDecay(1.0, decay_steps=10)
    >>> [round(float(s(step)), 4) for step in (0, 5, 10)]
    [1.0, 0.5, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _value_at(self, step):
        if self.warmup_target is None:
            step = min(step, self.decay_steps)
            return self.initial_learning_rate * _cosine(step / self.decay_steps, self.alpha)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return delta * (step / self.warmup_steps) + self.initial_learning_rate
        return self.warmup_target * _cosine((step - self.warmup_steps) / self.decay_steps, self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(_BuiltinSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter, 2017).

    The rate follows the cosine decay of `CosineDecay` over the first
    `first_decay_steps` steps, then restarts: period `i` (from 0) lasts
    `t_mul**i` times as long as the first and starts at `m_mul**i` times the
    initial rate; each period decays to `alpha` times the initial rate.

    Args:
        initial_learning_rate: the learning rate at step 0 (a float).
        first_decay_steps: positive number of steps of the first period.
        t_mul: factor by which each period is longer than the previous one.
            Defaults to 2.0.
        m_mul: factor by which each period starts lower than the previous one.
            Defaults to 1.0.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
            Defaults to 0.
        name: name of the schedule (default "SGDRDecay").

    Example:
    >>> s = keras.optimizers.schedules.CosineDecayRestarts(1.0, first_decay_steps=10)
    >>> [round(float(s(step)), 4) for step in (0, 5, 10)]
    [1.0, 0.5, 1.0]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _value_at(self, step):
        fraction = step / self.first_decay_steps
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            # Period i covers [sum_{j<i} t_mul**j, sum_{j<=i} t_mul**j) in units
            # of the first period.
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            elapsed = (1.0 - t_mul ** restart) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / t_mul ** restart
        scale = self._m_mul ** restart
        decayed = (1.0 - self.alpha) * 0.5 * scale * (1.0 + math.cos(math.pi * fraction)) + self.alpha
        return self.initial_learning_rate * decayed

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_SCHEDULES = {cls.__name__: cls for cls in (
    ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay,
    CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """The Keras config dict of a learning rate schedule, as stored in `.keras` files.

    Returns `{"module": "keras.optimizers.schedules", "class_name": ..., "config": {...},
    "registered_name": ...}`. `deserialize()` turns it back into a learning rate schedule.

    Args:
        learning_rate_schedule: the learning rate schedule to serialize.

    Returns:
        A JSON-compatible dict.
    """
    cls = type(learning_rate_schedule)
    return object_envelope(learning_rate_schedule, "keras.optimizers.schedules",
                           builtin=_SCHEDULES.get(cls.__name__) is cls)


_MALFORMED = ("Expected a dict with keys 'class_name' and 'config' to deserialize a learning "
              "rate schedule")


def deserialize(config, custom_objects=None):
    """Rebuilds a learning rate schedule from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in schedules.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A learning rate schedule instance.
    """
    return _reg.deserialize_class_config(config, _SCHEDULES, custom_objects,
                                         malformed=_MALFORMED, unknown=_unknown)


def _unknown(name):
    return (f"Unknown learning rate schedule: '{name}'. Known schedules: {sorted(_SCHEDULES)}; "
            "pass custom classes through `custom_objects`.")
