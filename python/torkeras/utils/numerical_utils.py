"""Array helpers from `keras.utils`."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encodes 0-based integer class ids.

    Args:
        x: array-like of non-negative integer class ids (a trailing axis of
            size 1 is dropped).
        num_classes: total number of classes; None uses `max(x) + 1`.

    Returns:
        A float32 NumPy array of shape `x.shape + (num_classes,)`.

    Example:
    >>> keras.utils.to_categorical([0, 2, 1], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    x = np.asarray(x)
    if x.size and (np.any(x < 0) or np.any(x != np.round(x))):
        raise ValueError("to_categorical() expects non-negative integer class ids (0-based).")
    x = x.astype("int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x.reshape(x.shape[:-1])
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and int(x.max()) >= num_classes:
        raise ValueError(f"to_categorical(): class id {int(x.max())} is out of range for "
                         f"num_classes={num_classes}.")
    out = np.zeros(x.shape + (int(num_classes),), dtype="float32")
    np.put_along_axis(out, x[..., None], 1.0, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    """Scales an array to unit norm along an axis.

    Each slice along `axis` is divided by its `order`-norm (slices of norm 0 are
    left as they are).

    Args:
        x: array-like of numbers.
        axis: the axis along which to normalise (default -1).
        order: the norm order (as `numpy.linalg.norm`'s `ord`; default 2).

    Returns:
        A float32 NumPy array of `x`'s shape.

    Example:
    >>> keras.utils.normalize([[3.0, 4.0]]).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """
    x = np.asarray(x, dtype="float32")
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    return x / norm
