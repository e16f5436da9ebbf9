"""Weight regularizers: callables returning a scalar penalty added to the loss."""

import math

import numpy as np
import torch

from torkeras import config
from torkeras.naming import to_snake_case as _snake
from torkeras.saving import object_registration as _reg
from torkeras.utils.serialization import serialize_object


class Regularizer:
    """Base class of weight regularizers: `regularizer(x)` returns a scalar penalty.

    A layer adds the penalty of each regularized weight (`kernel_regularizer=`,
    `bias_regularizer=`, ...) to the model's losses at every training step.
    Subclasses implement `__call__(x)` and, to be saved with a model,
    `get_config()` returning their constructor arguments.

    Example:
    >>> class SumSquares(keras.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return 0.1 * keras.ops.sum(x ** 2)
    ...     def get_config(self):
    ...         return {}
    >>> round(float(SumSquares()(np.array([1.0, 2.0], "float32"))), 4)
    0.5
    """

    def __call__(self, x):
        return 0.0

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config):
        """Builds a regularizer from the dict `get_config()` returned."""
        return cls(**config)


def _tensor(x):
    if isinstance(x, torch.Tensor):
        return x
    from torkeras.ops.core import convert_to_tensor
    return convert_to_tensor(x)


def _factor(value, name, default):
    """A non-negative finite float (None: `default`), as Keras validates it."""
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or math.isinf(value) or math.isnan(value) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative float; received: {name}={value!r}")
    return float(value)


class L1L2(Regularizer):
    """A regularizer applying both L1 and L2 penalties: `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: L1 factor (non-negative; default 0).
        l2: L2 factor (non-negative; default 0).

    Example:
    >>> reg = keras.regularizers.L1L2(l1=0.1, l2=0.01)
    >>> round(float(reg(np.array([1.0, -2.0], "float32"))), 4)
    0.35
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(l1, "l1", 0.0)
        self.l2 = _factor(l2, "l2", 0.0)

    def __call__(self, x):
        x = _tensor(x)
        out = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1 != 0.0:
            out = out + torch.tensor(self.l1, dtype=x.dtype) * torch.sum(torch.abs(x))
        if self.l2 != 0.0:
            out = out + torch.tensor(self.l2, dtype=x.dtype) * torch.sum(torch.square(x))
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """A regularizer applying an L1 penalty: `l1 * sum(abs(x))`.

    Args:
        l1: L1 factor (non-negative; default 0.01).

    Example:
    >>> round(float(keras.regularizers.L1(0.1)(np.array([1.0, -2.0], "float32"))), 4)
    0.3
    """

    def __init__(self, l1=0.01):
        # Keras 3 keeps this factor as a float32 tensor: its config and its
        # float64 penalties carry the float32-rounded value.
        self.l1 = float(np.float32(_factor(l1, "l1", 0.01)))

    def __call__(self, x):
        x = _tensor(x)
        return torch.tensor(self.l1, dtype=x.dtype) * torch.sum(torch.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """A regularizer applying an L2 penalty: `l2 * sum(square(x))`.

    Args:
        l2: L2 factor (non-negative; default 0.01).

    Example:
    >>> round(float(keras.regularizers.L2(0.1)(np.array([1.0, -2.0], "float32"))), 4)
    0.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor(l2, "l2", 0.01)

    def __call__(self, x):
        x = _tensor(x)
        return torch.tensor(self.l2, dtype=x.dtype) * torch.sum(torch.square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Encourages the rows (or columns) of a 2D weight to be orthogonal.

    The rows (`mode="rows"`) or columns are L2-normalized; the penalty is
    `factor * 0.5 * sum(|off-diagonal entries of their Gram matrix|) / n_pairs`,
    `n_pairs = n (n - 1) / 2` for `n` rows (columns).

    Args:
        factor: Scale of the penalty (non-negative; default 0.01).
        mode: "rows" or "columns".
    """

    def __init__(self, factor=0.01, mode="rows"):
        # Kept float32-rounded, as Keras 3 keeps it (a float32 tensor).
        self.factor = float(np.float32(_factor(factor, "factor", 0.01)))
        if mode not in ("rows", "columns"):
            raise ValueError(f"`mode` must be 'rows' or 'columns'; received: mode={mode!r}")
        self.mode = mode

    def __call__(self, inputs):
        x = _tensor(inputs)
        if x.ndim != 2:
            raise ValueError("OrthogonalRegularizer needs a rank-2 input; received: "
                             f"shape={tuple(x.shape)}")
        axis = 1 if self.mode == "rows" else 0
        # L2 normalization as keras.ops.normalize: x * min(rsqrt(sum x^2), 1/eps).
        inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        x = x * torch.clamp(inv_norm, max=1.0 / config.epsilon())
        product = x @ x.T if self.mode == "rows" else x.T @ x
        size = product.shape[0]
        off_diagonal = product * (1.0 - torch.eye(size, dtype=x.dtype, device=x.device))
        pairs = size * (size - 1.0) / 2.0
        return torch.tensor(self.factor, dtype=x.dtype) * 0.5 * \
            torch.sum(torch.abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


# Keras 3's lowercase aliases are the classes themselves.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME = {}
for _cls in (Regularizer, L1, L2, L1L2, OrthogonalRegularizer):
    _BY_NAME[_cls.__name__] = _cls
    _BY_NAME[_snake(_cls.__name__)] = _cls
_BY_NAME["l1_l2"] = L1L2


def get(identifier):
    """Retrieves a regularizer from an identifier.

    A name ("l1", "l2", "l1_l2", "orthogonal_regularizer" or the class name)
    gives that regularizer with its default arguments; a config dict is
    deserialized; a class is instantiated; another callable is returned as is.

    Args:
        identifier: a name, a config dict, an instance, a callable, or None.

    Returns:
        A regularizer (or None for None).
    """
    if isinstance(identifier, type):
        return identifier()
    return _reg.get_configurable(identifier, _BY_NAME, kind="regularizer")


def serialize(regularizer):
    """The Keras config dict of a regularizer, as stored in `.keras` files.

    Returns `{"module": "keras.regularizers", "class_name": ..., "config": {...},
    "registered_name": ...}`; a plain function is stored by its name. `deserialize()` turns it back
    into a regularizer.

    Args:
        regularizer: the regularizer to serialize.

    Returns:
        A JSON-compatible dict.
    """
    return serialize_object(regularizer, "keras.regularizers")


def deserialize(config, custom_objects=None):
    """Rebuilds a regularizer from its config dict (the output of `serialize()`).

    The class name resolves as in Keras: custom-object scopes first, then
    registered classes, then `custom_objects`, then the built-in regularizers.

    Args:
        config: a dict with "class_name" and "config" entries (or a name).
        custom_objects: optional dict mapping names to user classes or functions.

    Returns:
        A regularizer instance.
    """
    return _reg.deserialize_class_config(
        config, _BY_NAME, custom_objects, unknown=lambda name: f"Unknown regularizer: {name!r}",
        malformed="`config` must be a dict with 'class_name' and 'config'")
