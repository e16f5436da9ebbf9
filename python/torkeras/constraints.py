"""Weight constraints, applied by optimizers after each update."""

import torch

from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


class Constraint:
    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class NonNeg(Constraint):
    def __call__(self, w):
        return torch.clamp(w, min=0.0)


class MaxNorm(Constraint):
    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = torch.sqrt(torch.sum(torch.square(w), dim=self.axis, keepdim=True))
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (1e-7 + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class UnitNorm(Constraint):
    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (1e-7 + torch.sqrt(torch.sum(torch.square(w), dim=self.axis, keepdim=True)))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = torch.sqrt(torch.sum(torch.square(w), dim=self.axis, keepdim=True))
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (1e-7 + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value,
                "rate": self.rate, "axis": self.axis}


_BY_NAME = {"non_neg": NonNeg, "max_norm": MaxNorm, "unit_norm": UnitNorm,
            "min_max_norm": MinMaxNorm, "NonNeg": NonNeg, "MaxNorm": MaxNorm,
            "UnitNorm": UnitNorm, "MinMaxNorm": MinMaxNorm}


def get(identifier):
    """Resolves a name, a Constraint, a serialized config dict or a callable."""
    return _reg.get_configurable(identifier, _BY_NAME, kind="constraint")


def serialize(constraint):
    """The Keras config envelope of a constraint (or a function's name)."""
    return serialize_object(constraint, "keras.constraints")
