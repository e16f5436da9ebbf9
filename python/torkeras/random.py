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
    """A seeded source of random numbers that advances on every draw.

    Pass it as the `seed` of the `keras.random` functions (or of a layer such as
    `Dropout`) to get different numbers on each call that are reproducible from
    the initial seed. Its state is a non-trainable int32 Variable
    `[seed, counter]` (saved with the model); each device gets its own torch
    generator, seeded with `seed` on first use.

    Args:
        seed: The initial seed (an int). `None` (default) draws one from
            Python's `random` module, which `keras.utils.set_random_seed`
            seeds.
        name: Name of the generator (and of its state Variable's scope);
            default a unique `"seed_generator"` name.
        **kwargs: Accepted for Keras compatibility and ignored.

    Raises:
        ValueError: if `seed` is not an integer.

    Example:

    >>> gen = keras.random.SeedGenerator(42)
    >>> a = keras.random.uniform((3,), seed=gen)
    >>> b = keras.random.uniform((3,), seed=gen)
    >>> bool((a == b).all())
    False
    """

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
        # As Keras's torch backend: the seed as an unsigned 32-bit value.
        gen.manual_seed(int(seed) & 0xFFFFFFFF)
        return gen
    raise ValueError(f"`seed` must be None, an integer or a SeedGenerator; received: {seed!r}")


def _float_dtype(dtype):
    torch_dtype = dtypes.to_torch(dtype if dtype is not None else config.floatx())
    if not torch_dtype.is_floating_point:
        raise ValueError(f"Expected a floating-point dtype; received: {dtype!r}")
    return torch_dtype


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normally distributed random values.

    Args:
        shape: The output shape (an int or a tuple of ints).
        mean: Mean of the distribution. Default 0.0.
        stddev: Standard deviation of the distribution. Default 1.0.
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None` (torch's global generator, which
            `keras.utils.set_random_seed` seeds), an int (the same numbers on
            every call, like Keras's stateless seeds) or a `SeedGenerator` (a new
            draw on every call).

    Returns:
        A tensor of shape `shape`.

    Raises:
        ValueError: for a non-floating `dtype` or an invalid `seed`.

    Example:

    >>> x = keras.random.normal((2, 3), mean=1.0, stddev=0.5, seed=7)
    >>> x.shape, bool((x == keras.random.normal((2, 3), mean=1.0, stddev=0.5, seed=7)).all())
    (torch.Size([2, 3]), True)
    """
    torch_dtype = _float_dtype(dtype)
    gen = _generator(seed, _default_device())
    return torch.normal(float(mean), float(stddev), size=_shape_arg(shape), generator=gen,
                        dtype=torch_dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniformly distributed random values in `[minval, maxval)`.

    Drawn as Keras's torch backend draws them (a `[0, 1)` value scaled and
    shifted), so an int seed gives Keras's numbers.

    Args:
        shape: The output shape (an int or a tuple of ints).
        minval: Lower bound (included). Default 0.0.
        maxval: Upper bound (excluded). Default 1.0.
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape`.

    Raises:
        ValueError: for a non-floating `dtype` or an invalid `seed`.

    Example:

    >>> x = keras.random.uniform((1000,), minval=-1.0, maxval=1.0, seed=3)
    >>> bool(x.min() >= -1.0), bool(x.max() < 1.0)
    (True, True)
    """
    torch_dtype = _float_dtype(dtype)
    shape = _shape_arg(shape)
    gen = _generator(seed, _default_device())
    # Drawn as Keras does (a [0, 1) draw scaled and shifted), so that an
    # integer seed gives Keras's values.
    u = torch.rand(shape if shape else (1,), generator=gen, dtype=torch_dtype)
    out = (maxval - minval) * u + minval
    return out[0] if not shape else out


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Uniformly distributed random integers in `[minval, maxval)`.

    `keras.random.integer` is the same function.

    Args:
        shape: The output shape (an int or a tuple of ints).
        minval: Lower bound (included).
        maxval: Upper bound (excluded).
        dtype: An integer dtype. Default `"int32"`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> x = keras.random.randint((2, 4), 0, 3, seed=1)
    >>> x.dtype, bool(((x >= 0) & (x < 3)).all())
    (torch.int32, True)
    """
    torch_dtype = dtypes.to_torch(dtype)
    return torch.randint(int(minval), int(maxval), _shape_arg(shape), dtype=torch_dtype,
                         generator=_generator(seed))


integer = randint


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values, redrawn when more than two standard deviations from the mean.

    As Keras's torch backend, four standard normal values are drawn per
    element and the first within (-2, 2) is kept (an int seed gives Keras's
    values). Where all four fall outside (probability about 4e-6), Keras keeps
    an out-of-range value; torkeras draws that element again by inverting the
    truncated normal's CDF, so every value is in range.

    Args:
        shape: The output shape (an int or a tuple of ints).
        mean: Mean before truncation. Default 0.0.
        stddev: Standard deviation before truncation. Default 1.0.
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape` with values in `(mean - 2 stddev, mean + 2 stddev)`.

    Example:

    >>> x = keras.random.truncated_normal((10000,), stddev=2.0, seed=0)
    >>> bool(x.abs().max() < 4.0)
    True
    """
    torch_dtype = _float_dtype(dtype)
    shape = _shape_arg(shape)
    gen = _generator(seed, _default_device())
    x = torch.normal(0.0, 1.0, size=shape + (4,), generator=gen, dtype=torch_dtype)
    valid = (x > -2) & (x < 2)
    first = valid.to(torch.int8).argmax(dim=-1, keepdim=True)
    z = x.gather(-1, first).squeeze(-1)
    missing = ~valid.any(dim=-1)
    if bool(missing.any()):
        u = torch.rand(int(missing.sum()), generator=gen, dtype=torch.float64)
        lo = 0.5 * (1.0 + math.erf(-2.0 / math.sqrt(2.0)))
        hi = 0.5 * (1.0 + math.erf(2.0 / math.sqrt(2.0)))
        redrawn = math.sqrt(2.0) * torch.erfinv(2.0 * (lo + (hi - lo) * u) - 1.0)
        z[missing] = torch.clamp(redrawn, -2.0, 2.0).to(torch_dtype)
    return z * stddev + mean


@op
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Randomly sets elements to 0 with probability `rate` and scales the rest by `1 / (1 - rate)`.

    The scaling keeps the expected value of every element. `rate=0` returns
    `inputs` unchanged and `rate=1` returns zeros.

    Args:
        inputs: Input tensor.
        rate: Probability of dropping each element, in `[0, 1]`.
        noise_shape: Optional shape of the random keep/drop mask, broadcast
            against `inputs` (e.g. `(batch, 1, features)` drops whole features
            for every time step); `None` entries take the size of `inputs`.
            Default: the shape of `inputs`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of the shape and dtype of `inputs`.

    Raises:
        ValueError: if `rate` is outside `[0, 1]`.

    Example:

    >>> y = keras.random.dropout(np.ones((2, 4), dtype="float32"), rate=0.5, seed=1)
    >>> sorted(set(y.flatten().tolist()))
    [0.0, 2.0]
    """
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
    """Randomly permutes `x` along an axis.

    Args:
        x: Input tensor.
        axis: The axis to shuffle. Default 0.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of the shape and dtype of `x`, with the slices along `axis` in
        random order.

    Example:

    >>> y = keras.random.shuffle(keras.ops.arange(5), seed=2)
    >>> sorted(y.tolist())
    [0, 1, 2, 3, 4]
    """
    x = _t(x)
    perm = torch.randperm(x.shape[axis], generator=_generator(seed, x.device), device=x.device)
    return torch.index_select(x, axis, perm)


@op
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class ids from categorical distributions given by logits.

    Row `i` of `logits` gives unnormalized log probabilities over the classes
    (softmax is applied here); `num_samples` ids are drawn from it with
    replacement.

    Args:
        logits: 2-D tensor `(batch, num_classes)` of logits.
        num_samples: Number of draws per row.
        dtype: Integer dtype of the result. Default `"int32"`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `(batch, num_samples)`.

    Example:

    >>> logits = np.log(np.array([[0.0, 1.0], [1.0, 0.0]]) + 1e-9)
    >>> keras.random.categorical(logits, 3, seed=0)
    tensor([[1, 1, 1],
            [0, 0, 0]], dtype=torch.int32)
    """
    logits = _t(logits)
    probs = torch.softmax(logits.float(), dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True,
                            generator=_generator(seed, logits.device))
    return out.to(dtypes.to_torch(dtype))


class _SeededGlobalDraw:
    """For samplers that only use torch's global generator (torch.distributions'
    gamma, beta, binomial): with an integer or SeedGenerator seed, the global
    generator is seeded for the draw and then put back, as Keras's torch
    backend does; with None the draw just uses the global generator."""

    def __init__(self, seed):
        if seed is None:
            self.seed = None
        elif isinstance(seed, SeedGenerator):
            gen = seed.next(torch.device("cpu"))
            self.seed = int(torch.randint(0, 2**32, (1,), generator=gen, dtype=torch.int64))
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            self.seed = int(seed) & 0xFFFFFFFF
        else:
            raise ValueError("`seed` must be None, an integer or a SeedGenerator; received: "
                             f"{seed!r}")

    def __enter__(self):
        if self.seed is not None:
            self.state = torch.random.get_rng_state()
            torch.manual_seed(self.seed)

    def __exit__(self, *exc):
        if self.seed is not None:
            torch.random.set_rng_state(self.state)
        return False


def _param(value, shape):
    return torch.broadcast_to(torch.as_tensor(np.asarray(value) if not isinstance(
        value, torch.Tensor) else value), shape)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomially distributed counts of successes.

    Uses torch's global generator; with an int or `SeedGenerator` seed that
    generator is seeded for the draw and then restored, as Keras's torch
    backend does.

    Args:
        shape: The output shape (an int or a tuple of ints).
        counts: Number of trials (a number or an array broadcast to `shape`).
        probabilities: Success probability of each trial (a number or an
            array broadcast to `shape`).
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape` holding whole numbers in `[0, counts]`.

    Example:

    >>> x = keras.random.binomial((4,), counts=10, probabilities=0.5, seed=1)
    >>> x.dtype, bool(((x >= 0) & (x <= 10)).all())
    (torch.float32, True)
    """
    torch_dtype = _float_dtype(dtype)
    shape = _shape_arg(shape)
    counts = _param(counts, shape)
    probs = _param(probabilities, shape)
    with _SeededGlobalDraw(seed):
        sample = torch.distributions.Binomial(total_count=counts, probs=probs).sample()
    return sample.to(torch_dtype)


def gamma(shape, alpha, dtype=None, seed=None):
    """Gamma distributed values with shape parameter `alpha` and scale 1.

    The density is `x**(alpha - 1) * exp(-x) / Gamma(alpha)` (mean `alpha`).
    Seeding works as in `binomial`.

    Args:
        shape: The output shape (an int or a tuple of ints).
        alpha: The shape parameter (a positive number or an array broadcast
            to `shape`).
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape` of positive values.

    Example:

    >>> x = keras.random.gamma((20000,), alpha=3.0, seed=0)
    >>> round(float(x.mean()), 1)
    3.0
    """
    torch_dtype = _float_dtype(dtype)
    shape = _shape_arg(shape)
    alpha = _param(alpha, shape)
    if not alpha.is_floating_point():
        alpha = alpha.to(torch_dtype)
    with _SeededGlobalDraw(seed):
        sample = torch.distributions.Gamma(alpha, torch.ones(shape, dtype=alpha.dtype)).sample()
    return sample.to(torch_dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta distributed values in `[0, 1]`.

    The density is proportional to `x**(alpha - 1) * (1 - x)**(beta - 1)`
    (mean `alpha / (alpha + beta)`). Seeding works as in `binomial`.

    Args:
        shape: The output shape (an int or a tuple of ints).
        alpha: First concentration parameter (a positive number or an array
            broadcast to `shape`).
        beta: Second concentration parameter (a positive number or an array
            broadcast to `shape`).
        dtype: A floating-point dtype; `None` (default) means `floatx()`.
        seed: `None`, an int or a `SeedGenerator` (see `normal`).

    Returns:
        A tensor of shape `shape`.

    Example:

    >>> x = keras.random.beta((20000,), alpha=2.0, beta=6.0, seed=0)
    >>> round(float(x.mean()), 2)
    0.25
    """
    torch_dtype = _float_dtype(dtype)
    shape = _shape_arg(shape)
    alpha = _param(alpha, shape)
    beta_ = _param(beta, shape)
    if not alpha.is_floating_point():
        alpha = alpha.to(torch_dtype)
    if not beta_.is_floating_point():
        beta_ = beta_.to(torch_dtype)
    with _SeededGlobalDraw(seed):
        sample = torch.distributions.Beta(concentration1=alpha, concentration0=beta_).sample()
    return sample.to(torch_dtype)
