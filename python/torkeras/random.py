"""`keras.random`: seeded random tensors on torch generators.

`seed` may be None (torch's global generator, which `set_random_seed`
seeds), an int (the same int gives the same numbers on every call, like
Keras' stateless seeds) or a `SeedGenerator` (advances on every call).
"""

import math
import random as _py_random

import numpy as np
import torch

from torkeras import config, dtypes, naming
from torkeras.ops.core import _shape_arg, _t, op
from torkeras.variables import Variable


class SeedGenerator:
    """A seeded source of random streams; its state is a Variable [seed, counter]."""

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is None:
            # Drawn from Python's generator, which `set_random_seed` seeds.
            seed = _py_random.randint(1, 2**31 - 2)
        if isinstance(seed, SeedGenerator) or not isinstance(seed, (int, np.integer)) \
                or isinstance(seed, bool):
            raise ValueError(f"SeedGenerator: `seed` must be an integer; received: {seed!r}")
        self._initial_seed = int(seed)
        self.name = name or naming.auto_name("seed_generator")
        with naming.name_scope(self.name):
            self.state = Variable(np.array([int(seed) % (2**31 - 1), 0], dtype=np.int32),
                                  shape=(2,), dtype="int32", trainable=False,
                                  name="seed_generator_state")
        self._generators = {}

    def next(self, device=None):
        """Returns the torch.Generator for `device`, advanced by one draw."""
        gen = self._generator(torch.device("cpu") if device is None else torch.device(device))
        with torch.no_grad():
            self.state.value[1:].add_(1)
        return gen

    def _generator(self, device):
        key = str(device)
        gen = self._generators.get(key)
        if gen is None:
            gen = torch.Generator(device=device)
            gen.manual_seed(self._initial_seed)
            self._generators[key] = gen
        return gen

    # -- the random-state protocol (torkeras.utils.random_state) --------------
    def rng_states(self):
        """The `state` Variable and {device name: state} of the generators used so far."""
        states = {device: gen.get_state().numpy() for device, gen in self._generators.items()}
        states["state"] = self.state.numpy()
        return states

    def set_rng_states(self, states):
        """Puts back `rng_states()`: the generators it names get their state,
        the others start afresh (seeded on their first draw)."""
        self._generators = {}
        initial = np.array([self._initial_seed % (2**31 - 1), 0], dtype=np.int32)
        self.state.assign(np.asarray(states.get("state", initial), dtype=np.int32))
        for key, value in states.items():
            if key != "state":
                self._generator(torch.device(key)).set_state(torch.tensor(value, dtype=torch.uint8))

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config_):
        return cls(**config_)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, seed={self._initial_seed}>"


def _default_device():
    try:
        return torch.get_default_device()
    except AttributeError:  # pragma: no cover - older torch
        return torch.device("cpu")


def _generator(seed, device=None):
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return seed.next(device or _default_device())
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        gen = torch.Generator(device=device or _default_device())
        gen.manual_seed(int(seed))
        return gen
    raise ValueError(f"`seed` must be None, an integer or a SeedGenerator; received: {seed!r}")


def _float_dtype(dtype):
    torch_dtype = dtypes.to_torch(dtype if dtype is not None else config.floatx())
    if not torch_dtype.is_floating_point:
        raise ValueError(f"Expected a floating-point dtype; received: {dtype!r}")
    return torch_dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    out = torch.empty(_shape_arg(shape), dtype=_float_dtype(dtype))
    return out.normal_(float(mean), float(stddev), generator=_generator(seed, out.device))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    out = torch.empty(_shape_arg(shape), dtype=_float_dtype(dtype))
    return out.uniform_(float(minval), float(maxval), generator=_generator(seed, out.device))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    torch_dtype = dtypes.to_torch(dtype)
    return torch.randint(int(minval), int(maxval), _shape_arg(shape), dtype=torch_dtype,
                         generator=_generator(seed))


integer = randint


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values with everything beyond two standard deviations redrawn
    (sampled exactly by inverting the CDF on the truncated interval)."""
    torch_dtype = _float_dtype(dtype)
    u = torch.empty(_shape_arg(shape), dtype=torch.float64)
    u.uniform_(generator=_generator(seed, u.device))
    lo = 0.5 * (1.0 + math.erf(-2.0 / math.sqrt(2.0)))
    hi = 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))
    p = lo + (hi - lo) * u
    z = math.sqrt(2.0) * torch.erfinv(2.0 * p - 1.0)
    z = torch.clamp(z, -2.0, 2.0)
    return (z * float(stddev) + float(mean)).to(torch_dtype)


@op
def dropout(inputs, rate, noise_shape=None, seed=None):
    x = _t(inputs)
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        if rate == 1.0:
            return torch.zeros_like(x)
        raise ValueError(f"dropout(): `rate` must be in [0, 1); received: {rate}")
    if rate == 0.0:
        return x
    if noise_shape is None:
        mask_shape = tuple(x.shape)
    else:
        mask_shape = tuple(x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    keep = torch.empty(mask_shape, dtype=x.dtype if x.is_floating_point() else torch.float32,
                       device=x.device)
    keep.uniform_(generator=_generator(seed, x.device))
    keep = keep >= rate
    return torch.where(keep, x / (1.0 - rate), torch.zeros((), dtype=x.dtype, device=x.device))


@op
def shuffle(x, axis=0, seed=None):
    x = _t(x)
    perm = torch.randperm(x.shape[axis], generator=_generator(seed, x.device), device=x.device)
    return torch.index_select(x, axis, perm)


@op
def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = _t(logits)
    probs = torch.softmax(logits.float(), dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True,
                            generator=_generator(seed, logits.device))
    return out.to(dtypes.to_torch(dtype))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    torch_dtype = _float_dtype(dtype)
    counts = torch.broadcast_to(torch.as_tensor(counts, dtype=torch.float32), _shape_arg(shape))
    probs = torch.broadcast_to(torch.as_tensor(probabilities, dtype=torch.float32),
                               _shape_arg(shape))
    gen = _generator(seed)
    n_max = int(counts.max()) if counts.numel() else 0
    draws = torch.rand(_shape_arg(shape) + (n_max,), generator=gen) < probs.unsqueeze(-1)
    valid = torch.arange(n_max) < counts.unsqueeze(-1)
    return torch.sum(draws & valid, dim=-1).to(torch_dtype)
