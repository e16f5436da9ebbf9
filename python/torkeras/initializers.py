"""Weight initializers with Keras 3 names, defaults, formulas and configs.

Random initializers draw through `torkeras.random` with the same torch calls
Keras 3's torch backend makes, so a seeded initializer (`seed=42`) gives
the same values as in Keras. As in Keras 3, an unseeded initializer picks
an integer seed from Python's `random` module when it is created (which
`keras.utils.set_random_seed()` seeds): calling the same instance twice
returns the same values.
"""

import math
import random as _py_random

import numpy as np
import torch

from torkeras import config, dtypes
from torkeras.naming import to_snake_case as _snake
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


def compute_fans(shape, input_axes=None, output_axes=None):
    """Fan-in and fan-out of a weight of `shape`, as Keras computes them.

    With `input_axes` and `output_axes` (both given), the fans are the
    products of the sizes on those axes. Otherwise: a scalar has fans (1, 1),
    a vector (n, n), a matrix (rows, columns), and a convolution kernel
    `(..., in_channels, out_channels)` multiplies the channel counts by the
    receptive field (the product of the leading dimensions).

    Args:
        shape: the weight's shape (a tuple of integers).
        input_axes: optional axes whose sizes multiply into the fan-in.
        output_axes: optional axes whose sizes multiply into the fan-out.

    Returns:
        The pair `(fan_in, fan_out)`.

    Example:
    >>> keras.initializers.compute_fans((3, 3, 8, 16))
    (72, 144)
    """
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        fan_in = math.prod(shape[a] for a in input_axes)
        fan_out = math.prod(shape[a] for a in output_axes)
        return int(fan_in), int(fan_out)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def _dtype(dtype):
    return dtypes.to_torch(dtype if dtype is not None else config.floatx())


def _shape(shape):
    if isinstance(shape, (int, float, np.integer, np.floating)):
        shape = (shape,)
    out = []
    for d in shape:
        if isinstance(d, bool) or int(d) != d or d < 0:
            raise ValueError(f"`shape` must be non-negative whole numbers; received: {shape!r}")
        out.append(int(d))
    return tuple(out)


class Initializer:
    """Base class of initializers: `initializer(shape, dtype=None)` returns a tensor.

    The tensor has that shape and dtype (`keras.config.floatx()` when `dtype`
    is None). Subclasses implement `__call__(shape, dtype=None)` and, to be
    saved with a model, `get_config()` returning their constructor arguments.

    Example:
    >>> class Twos(keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return keras.ops.full(shape, 2.0, dtype=dtype)
    >>> layer = keras.layers.Dense(2, kernel_initializer=Twos())
    >>> _ = layer(np.zeros((1, 3), "float32"))
    >>> keras.ops.convert_to_numpy(layer.kernel).tolist()
    [[2.0, 2.0], [2.0, 2.0], [2.0, 2.0]]
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement `__call__()`.")

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Builds an initializer from the dict `get_config()` returned."""
        return cls(**config)

    def clone(self):
        """A new initializer with the same configuration."""
        return self.__class__.from_config(self.get_config())


# -- constant initializers ------------------------------------------------------
class Constant(Initializer):
    """Initializer filling the tensor with a constant value.

    Args:
        value: a scalar, or an array broadcast to the requested shape; cast to
            the requested dtype.

    Example:
    >>> keras.initializers.Constant(3.0)((2, 2)).tolist()
    [[3.0, 3.0], [3.0, 3.0]]
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        torch_dtype = _dtype(dtype)
        value = torch.as_tensor(np.asarray(self.value)).to(torch_dtype)
        return value * torch.ones(_shape(shape), dtype=torch_dtype)

    def get_config(self):
        from torkeras.saving.serialization_lib import serialize_keras_object
        return {"value": serialize_keras_object(self.value)}

    @classmethod
    def from_config(cls, config):
        from torkeras.saving.serialization_lib import deserialize_keras_object
        config = dict(config)
        value = deserialize_keras_object(config.pop("value", 0.0))
        if config:
            from torkeras.saving.serialization_lib import in_lenient_config_scope, \
                warn_unknown_config_keys
            if not in_lenient_config_scope():
                return cls(value, **config)  # the constructor names the bad keys
            warn_unknown_config_keys(cls.__name__, config)
        return cls(value)


class Zeros(Initializer):
    """Initializer filling the tensor with 0 (the default `bias_initializer`).

    Example:
    >>> keras.initializers.Zeros()((2,)).tolist()
    [0.0, 0.0]
    """

    def __call__(self, shape, dtype=None):
        return torch.zeros(_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """Initializer filling the tensor with 1.

    Example:
    >>> keras.initializers.Ones()((2,)).tolist()
    [1.0, 1.0]
    """

    def __call__(self, shape, dtype=None):
        return torch.ones(_shape(shape), dtype=_dtype(dtype))


class Identity(Initializer):
    """Initializer giving the identity matrix times `gain` (2-D shapes only).

    A non-square shape gets ones on its main diagonal and zeros elsewhere.

    Args:
        gain: multiplicative factor applied to the identity matrix.

    Example:
    >>> keras.initializers.Identity(gain=2.0)((2, 3)).tolist()
    [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("The Identity initializer only makes 2D matrices; received: "
                             f"shape={shape} of rank {len(shape)}.")
        return self.gain * torch.eye(*shape, dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


_WINDOWS = {
    "hann": torch.hann_window, "hanning": torch.hann_window,
    "hamming": torch.hamming_window, "blackman": torch.blackman_window,
    "bartlett": torch.bartlett_window,
    "boxcar": lambda n, periodic, dtype: torch.ones(n, dtype=dtype),
    "rectangular": lambda n, periodic, dtype: torch.ones(n, dtype=dtype),
}


def _window(name, length, periodic, dtype):
    fn = _WINDOWS.get(str(name).lower())
    if fn is None:
        raise ValueError(f"`window` must be one of {sorted(_WINDOWS)}, an array of window values "
                         f"or None; received: {name!r}")
    # torch computes the window in double precision for float64 and float32 alike.
    return fn(length, periodic=periodic, dtype=torch.float64).to(dtype)


class STFT(Initializer):
    """Initializer of convolution kernels computing a short-time Fourier transform.

    Convolution kernels computing the real or imaginary part of a short-time
    Fourier transform (as the `STFTSpectrogram` layer uses them).

    The shape is `(frame_length, input_channels, fft_length // 2 + 1)`; entry
    `(t, c, f)` is `cos(-2 pi t f / fft_length)` ("real") or its sine
    ("imag"), times the window value at `t`, divided by the window's L2 norm
    (`scaling="density"`) or L1 norm (`"spectrum"`).

    Args:
        side: `"real"` or `"imag"`.
        window: A window name (`"hann"`, `"hamming"`, `"blackman"`,
            `"bartlett"`, `"boxcar"`), an array of `frame_length` values, or
            None for no window.
        scaling: `"density"`, `"spectrum"` or None (no normalization).
        periodic: Whether a named window is periodic (for spectral analysis)
            rather than symmetric.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"`side` must be 'real' or 'imag'; received: {side!r}")
        if isinstance(window, str) and window.lower() not in _WINDOWS:
            raise ValueError(f"`window` must be one of {sorted(_WINDOWS)}, an array of window "
                             f"values or None; received: {window!r}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError("`scaling` must be None, 'density' or 'spectrum'; received: "
                             f"{scaling!r}")
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 3:
            raise ValueError("The STFT initializer needs a shape (frame_length, input_channels, "
                             f"fft_length // 2 + 1); received: {shape}")
        torch_dtype = _dtype(dtype)
        frame_length, _, n_freq = shape
        win = None
        scale = 1.0
        if self.window is not None:
            if isinstance(self.window, str):
                win = _window(self.window, frame_length, bool(self.periodic), torch_dtype)
            else:
                win = torch.as_tensor(np.asarray(self.window)).to(torch_dtype)
            if win.ndim != 1 or win.shape[0] != frame_length:
                raise ValueError("`window` must have shape [frame_length] = "
                                 f"[{frame_length}]; received: {tuple(win.shape)}")
            win = win.reshape(frame_length, 1, 1)
            if self.scaling == "density":
                scale = torch.sqrt(torch.sum(torch.square(win)))
            elif self.scaling == "spectrum":
                scale = torch.sum(torch.abs(win))
        fft_length = (n_freq - 1) * 2
        freq = torch.arange(n_freq, dtype=torch_dtype).reshape(1, 1, n_freq) / fft_length
        time = torch.arange(frame_length, dtype=torch_dtype).reshape(frame_length, 1, 1)
        pi = torch.arccos(torch.tensor(-1, dtype=torch_dtype))
        angle = (-2 * time) * freq * pi
        kernel = torch.cos(angle) if self.side == "real" else torch.sin(angle)
        if win is not None:
            kernel = kernel * win / scale
        return kernel

    def get_config(self):
        window = self.window
        if window is not None and not isinstance(window, str):
            window = np.asarray(window).tolist()
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}


# -- random initializers --------------------------------------------------------
def _make_default_seed():
    # Keras 3 draws an unseeded initializer's seed from Python's generator.
    return _py_random.randint(1, int(1e9))


class RandomInitializer(Initializer):
    """Base class of the random initializers.

    A subclass draws its values from `self.seed` in `__call__(shape, dtype)`.

    Args:
        seed: an integer, a `keras.random.SeedGenerator`, or None (a seed
            drawn once, when the initializer is created, so that every call
            gives the same values).
    """

    def __init__(self, seed=None):
        from torkeras.random import SeedGenerator
        self._init_seed = seed
        if seed is None:
            seed = _make_default_seed()
        elif isinstance(seed, dict):
            from torkeras.saving.serialization_lib import deserialize_keras_object
            seed = deserialize_keras_object(seed)
        elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer, SeedGenerator)):
            raise ValueError("`seed` must be an integer or a `keras.random.SeedGenerator`; "
                             f"received: seed={seed!r}")
        self.seed = int(seed) if isinstance(seed, (int, np.integer)) else seed

    def _seed_config(self):
        from torkeras.saving.serialization_lib import serialize_keras_object
        seed = self._init_seed
        return int(seed) if isinstance(seed, np.integer) else serialize_keras_object(seed)

    def get_config(self):
        return {"seed": self._seed_config()}


class RandomNormal(RandomInitializer):
    """Normally distributed values.

    Args:
        mean: Mean of the distribution.
        stddev: Standard deviation of the distribution.
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).

    Example:
    >>> w = keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=1)((3, 4))
    >>> tuple(w.shape)
    (3, 4)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        from torkeras import random
        return random.normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype,
                             seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Normally distributed values, redrawn when more than two standard
    deviations from the mean.

    Args:
        mean: Mean of the distribution before truncation.
        stddev: Standard deviation before truncation.
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).

    Example:
    >>> w = keras.initializers.TruncatedNormal(stddev=1.0, seed=1)((1000,))
    >>> bool((w.abs() <= 2.0).all())
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        from torkeras import random
        return random.truncated_normal(shape, mean=self.mean, stddev=self.stddev, dtype=dtype,
                                       seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Uniformly distributed values in `[minval, maxval)`.

    Args:
        minval: Lower bound.
        maxval: Upper bound (excluded).
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).

    Example:
    >>> w = keras.initializers.RandomUniform(minval=-1.0, maxval=1.0, seed=1)((100,))
    >>> bool((w >= -1.0).all() and (w < 1.0).all())
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        from torkeras import random
        return random.uniform(shape, minval=self.minval, maxval=self.maxval, dtype=dtype,
                              seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


_DISTRIBUTIONS = ("uniform", "truncated_normal", "untruncated_normal")


class VarianceScaling(RandomInitializer):
    """Values whose variance is `scale / n`, `n` being the fan-in, the fan-out
    or their mean (`mode`).

    "truncated_normal" (also accepted as "normal") draws a normal truncated at
    two standard deviations, with stddev `sqrt(scale / n) / 0.8796...` so the
    truncated values keep the variance; "untruncated_normal" uses stddev
    `sqrt(scale / n)`; "uniform" draws in `[-limit, limit]`,
    `limit = sqrt(3 * scale / n)`.

    Args:
        scale: Scaling factor (positive).
        mode: "fan_in", "fan_out" or "fan_avg".
        distribution: "truncated_normal", "untruncated_normal" or "uniform".
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).
        input_axes: optional axes whose sizes multiply into the fan-in (give
            `output_axes` too; default: the convention of `compute_fans`).
        output_axes: optional axes whose sizes multiply into the fan-out (give
            `input_axes` too).

    Example:
    >>> init = keras.initializers.VarianceScaling(scale=2.0, mode="fan_in",
    ...                                           distribution="uniform", seed=1)
    >>> w = init((50, 10))
    >>> bool((w.abs() <= (6.0 / 50) ** 0.5).all())
    True
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if isinstance(scale, bool) or not isinstance(scale, (int, float, np.number)) \
                or scale <= 0.0:
            raise ValueError(f"`scale` must be a positive float; received: scale={scale!r}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("`mode` must be one of 'fan_in', 'fan_out', 'fan_avg'; received: "
                             f"mode={mode!r}")
        if not isinstance(distribution, str):
            raise ValueError(f"`distribution` must be one of {_DISTRIBUTIONS}; received: "
                             f"distribution={distribution!r}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"`distribution` must be one of {_DISTRIBUTIONS}; received: "
                             f"distribution={distribution!r}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = _axes_arg(input_axes, "input_axes")
        self.output_axes = _axes_arg(output_axes, "output_axes")
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        from torkeras import random
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out,
               "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a unit normal truncated to [-2, 2].
            stddev = math.sqrt(variance) / 0.87962566103423978
            return random.truncated_normal(shape, mean=0.0, stddev=stddev, dtype=dtype,
                                           seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random.normal(shape, mean=0.0, stddev=math.sqrt(variance), dtype=dtype,
                                 seed=self.seed)
        limit = math.sqrt(3.0 * variance)
        return random.uniform(shape, minval=-limit, maxval=limit, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _axes_arg(axes, name):
    if axes is None:
        return None
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        return [int(axes)]
    try:
        values = list(axes)
    except TypeError:
        values = None
    if values is None or any(isinstance(a, bool) or not isinstance(a, (int, np.integer))
                             for a in values):
        raise ValueError(f"`{name}` must be None or a list of integer axes; received: {axes!r}")
    return [int(a) for a in values]


def _variance_scaling_preset(class_name, scale, mode, distribution, doc):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution,
                                 seed=seed, input_axes=input_axes, output_axes=output_axes)

    def get_config(self):
        return {"seed": self._seed_config(), "input_axes": self.input_axes,
                "output_axes": self.output_axes}

    __init__.__doc__ = None
    return type(class_name, (VarianceScaling,),
                {"__init__": __init__, "get_config": get_config, "__doc__": doc,
                 "__module__": __name__})


_PRESET_ARGS = """

    Args:
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).
        input_axes: optional axes whose sizes multiply into the fan-in (give
            `output_axes` too; default: the convention of `compute_fans`).
        output_axes: optional axes whose sizes multiply into the fan-out (give
            `input_axes` too).
    """
# Every preset's example: the call convention and what a seed guarantees.
_PRESET_EXAMPLE = """
    Example:
    >>> init = keras.initializers.{name}(seed=1)
    >>> w = init((3, 4))
    >>> tuple(w.shape), str(w.dtype)
    ((3, 4), 'torch.float32')
    >>> bool((init((3, 4)) == w).all())
    True
    """
GlorotUniform = _variance_scaling_preset(
    "GlorotUniform", 1.0, "fan_avg", "uniform",
    "Glorot (Xavier) uniform: uniform in `[-limit, limit]`, "
    "`limit = sqrt(6 / (fan_in + fan_out))`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='GlorotUniform'))
GlorotNormal = _variance_scaling_preset(
    "GlorotNormal", 1.0, "fan_avg", "truncated_normal",
    "Glorot (Xavier) normal: truncated normal with variance "
    "`2 / (fan_in + fan_out)`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='GlorotNormal'))
HeUniform = _variance_scaling_preset(
    "HeUniform", 2.0, "fan_in", "uniform",
    "He uniform: uniform in `[-limit, limit]`, `limit = sqrt(6 / fan_in)`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='HeUniform'))
HeNormal = _variance_scaling_preset(
    "HeNormal", 2.0, "fan_in", "truncated_normal",
    "He normal: truncated normal with variance `2 / fan_in`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='HeNormal'))
LecunUniform = _variance_scaling_preset(
    "LecunUniform", 1.0, "fan_in", "uniform",
    "LeCun uniform: uniform in `[-limit, limit]`, `limit = sqrt(3 / fan_in)`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='LecunUniform'))
LecunNormal = _variance_scaling_preset(
    "LecunNormal", 1.0, "fan_in", "truncated_normal",
    "LeCun normal: truncated normal with variance `1 / fan_in`." + _PRESET_ARGS
    + _PRESET_EXAMPLE.format(name='LecunNormal'))


class Orthogonal(RandomInitializer):
    """Initializer giving a (semi-)orthogonal matrix times `gain`.

    A (semi-)orthogonal matrix times `gain`: the Q factor of the QR
    decomposition of a normal random matrix, its columns' signs fixed by the
    diagonal of R. Shapes of rank > 2 are treated as a matrix
    `(prod(shape[:-1]), shape[-1])`.

    Args:
        gain: Multiplicative factor applied to the matrix.
        seed: An integer or `keras.random.SeedGenerator` (None: a seed drawn
            once, when the initializer is created).

    Example:
    >>> w = keras.initializers.Orthogonal(seed=1)((4, 4))
    >>> bool(np.allclose(keras.ops.convert_to_numpy(w.T @ w), np.eye(4), atol=1e-5))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        from torkeras import random
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError("The Orthogonal initializer needs a shape of rank 2 or more; "
                             f"received: shape={shape} of rank {len(shape)}.")
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        a = random.normal((max(rows, cols), min(rows, cols)), dtype=dtype, seed=self.seed)
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


# Keras 3's public aliases (the lowercase names are the classes themselves).
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
STFTInitializer = STFT
constant = Constant
zeros = Zeros
ones = Ones
identity = Identity
stft = STFT
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal

_CLASSES = (Initializer, Constant, Zeros, Ones, Identity, STFT, RandomNormal, RandomUniform,
            TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeUniform,
            HeNormal, LecunUniform, LecunNormal, Orthogonal)
_BY_NAME = {}
for _cls in _CLASSES:
    _BY_NAME[_cls.__name__] = _cls
    _BY_NAME[_snake(_cls.__name__)] = _cls
_BY_NAME.update({"IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal,
                 "STFTInitializer": STFT, "normal": RandomNormal, "uniform": RandomUniform,
                 "one": Ones, "zero": Zeros})


def get(identifier):
    """Retrieves a initializer from an identifier.

    A name ("he_normal" or "HeNormal") gives that initializer with its default
    arguments; a config dict is deserialized; a class is instantiated; an
    array or tensor becomes an initializer that returns it; an instance or
    callable is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A initializer (or None for None).

    Example:
    >>> type(keras.initializers.get("glorot_uniform")).__name__
    'GlorotUniform'
    """
    if isinstance(identifier, (np.ndarray, np.generic, torch.Tensor)):
        value = identifier

        def initialize_fn(shape, dtype=None):
            if tuple(int(d) for d in shape) != tuple(value.shape):
                raise ValueError(f"Expected `shape` to be {tuple(value.shape)} for a tensor used "
                                 f"as initializer; received: shape={tuple(shape)}")
            return torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor)
                                   else value).to(_dtype(dtype))

        return initialize_fn
    if isinstance(identifier, type):
        return identifier()
    return _reg.get_configurable(identifier, _BY_NAME, kind="initializer", unknown=_unknown)


def _unknown(name):
    return f"Unknown initializer: {name!r}; known: {sorted(k for k in _BY_NAME if k.islower())}"


def serialize(initializer):
    """The Keras config dict of a initializer, as stored in `.keras` files.

    Returns `{"module": "keras.initializers", "class_name": ..., "config": {...},
    "registered_name": ...}`; a plain function is stored by its name. `deserialize()` turns it back
    into an initializer.

    Args:
        initializer: the initializer to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialize_object(initializer, "keras.initializers")


def deserialize(config, custom_objects=None):
    """Rebuilds a initializer from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in initializers.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A initializer instance.
    """
    return _reg.deserialize_class_config(
        config, _BY_NAME, custom_objects, unknown=_unknown,
        malformed="`config` must be a dict with 'class_name' and 'config'")
