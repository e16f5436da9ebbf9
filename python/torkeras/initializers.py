"""Weight initializers with Keras names, defaults and fan computations."""

import math

import torch

from torkeras import dtypes
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


def compute_fans(shape):
    """Fan-in/fan-out as Keras computes them (conv kernels: receptive field x channels)."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: `initializer(shape, dtype)` returns a torch tensor."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _generator(self):
        seed = getattr(self, "seed", None)
        if seed is None:
            return None
        gen = torch.Generator()
        gen.manual_seed(int(seed))
        return gen


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return torch.full(tuple(shape), float(self.value), dtype=dtypes.to_torch(dtype))

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return torch.zeros(tuple(shape), dtype=dtypes.to_torch(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return torch.ones(tuple(shape), dtype=dtypes.to_torch(dtype))


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        out = torch.empty(tuple(shape), dtype=dtypes.to_torch(dtype))
        return out.normal_(self.mean, self.stddev, generator=self._generator())

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None):
        out = torch.empty(tuple(shape), dtype=dtypes.to_torch(dtype))
        return out.uniform_(self.minval, self.maxval, generator=self._generator())

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        out = torch.empty(tuple(shape), dtype=dtypes.to_torch(dtype))
        torch.nn.init.trunc_normal_(out, self.mean, self.stddev,
                                    a=self.mean - 2 * self.stddev, b=self.mean + 2 * self.stddev,
                                    generator=self._generator())
        return out

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(Initializer):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0:
            raise ValueError(f"`scale` must be positive; received: {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"`mode` must be fan_in, fan_out or fan_avg; received: {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError("`distribution` must be truncated_normal, untruncated_normal or "
                             f"uniform; received: {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        out = torch.empty(tuple(shape), dtype=dtypes.to_torch(dtype))
        gen = self._generator()
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return out.uniform_(-limit, limit, generator=gen)
        if self.distribution == "untruncated_normal":
            return out.normal_(0.0, math.sqrt(variance), generator=gen)
        # 0.879... is the stddev of a unit normal truncated to [-2, 2].
        stddev = math.sqrt(variance) / 0.87962566103423978
        torch.nn.init.trunc_normal_(out, 0.0, stddev, a=-2 * stddev, b=2 * stddev, generator=gen)
        return out

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "seed": self.seed}


def _variance_scaling_preset(class_name, scale, mode, distribution):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}

    return type(class_name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config})


GlorotUniform = _variance_scaling_preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _variance_scaling_preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _variance_scaling_preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _variance_scaling_preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _variance_scaling_preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _variance_scaling_preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Orthogonal(Initializer):
    def __init__(self, gain=1.0, seed=None):
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None):
        out = torch.empty(tuple(shape), dtype=torch.float32)
        torch.nn.init.orthogonal_(out.view(-1, shape[-1]).T if len(shape) > 1 else out,
                                  gain=self.gain, generator=self._generator())
        return out.to(dtypes.to_torch(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity initializer needs a 2D shape; received: {tuple(shape)}")
        return self.gain * torch.eye(*shape, dtype=dtypes.to_torch(dtype))

    def get_config(self):
        return {"gain": self.gain}


_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant,
    "random_normal": RandomNormal, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "orthogonal": Orthogonal, "identity": Identity,
    "uniform": RandomUniform, "normal": RandomNormal,
}
for _cls in set(_BY_NAME.values()):
    _BY_NAME[_cls.__name__] = _cls


def get(identifier):
    """Resolves a name, an Initializer, a config dict or a callable."""
    return _reg.get_configurable(identifier, _BY_NAME, kind="initializer", unknown=_unknown)


def _unknown(name):
    return f"Unknown initializer: {name!r}; known: {sorted(k for k in _BY_NAME if k.islower())}"


def serialize(initializer):
    return serialize_object(initializer, "keras.initializers")
