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
    """Base class. Subclasses implement `__call__(step)` (and `get_config()`
    to be serializable)."""

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
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`; with
    `staircase=True` the exponent is floored."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value_at(self, step):
        return self.initial_learning_rate * self.decay_rate ** self._ratio(step)


class PiecewiseConstantDecay(_BuiltinSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i-1] < step <= boundaries[i]`, `values[-1]` afterwards."""

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
    """Decays from `initial_learning_rate` to `end_learning_rate` over
    `decay_steps` as `(1 - step/decay_steps) ** power`; with `cycle=True` the
    horizon is the first multiple of `decay_steps` not below `step`."""

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
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`; with
    `staircase=True` the ratio is floored."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def _value_at(self, step):
        return self.initial_learning_rate / (1.0 + self.decay_rate * self._ratio(step))


def _cosine(fraction, alpha):
    return (1.0 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(_BuiltinSchedule):
    """Optional linear warmup from `initial_learning_rate` to `warmup_target`
    over `warmup_steps`, then cosine decay over `decay_steps` down to
    `alpha` times the starting rate (the warmup target when there is one)."""

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
    """Cosine decay (SGDR) restarted after `first_decay_steps`; period `i`
    lasts `t_mul**i` times longer and starts `m_mul**i` times lower."""

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
