"""Weight regularizers: callables returning a scalar penalty."""

import torch

from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


class Regularizer:
    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        out = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1:
            out = out + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            out = out + self.l2 * torch.sum(torch.square(x))
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2}


def get(identifier):
    """Resolves a name, a Regularizer, a config dict or a callable."""
    return _reg.get_configurable(identifier, _BY_NAME, kind="regularizer")


def serialize(regularizer):
    """The Keras config envelope of a regularizer (or a function's name)."""
    return serialize_object(regularizer, "keras.regularizers")
