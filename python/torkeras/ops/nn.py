"""Neural-network ops (`keras.ops.softmax`, `one_hot`, crossentropies, ...)."""

import torch
import torch.nn.functional as F

from torkeras import config, dtypes
from torkeras.ops.core import _axis, _floatx, _t, _to_float, op


@op
def relu(x):
    """Rectified linear unit, elementwise: `max(x, 0)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` and of its dtype.

    Example:

    >>> keras.ops.relu(np.array([-2.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """
    return torch.relu(_t(x))


@op
def relu6(x):
    """Rectified linear unit capped at 6, elementwise: `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` and of its dtype.

    Example:

    >>> keras.ops.relu6(np.array([-1.0, 3.0, 8.0]))
    tensor([0., 3., 6.])
    """
    return F.relu6(_t(x))


@op
def sigmoid(x):
    """Logistic sigmoid, elementwise: `1 / (1 + exp(-x))`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.sigmoid(np.array([-2.0, 0.0, 2.0]))
    tensor([0.1192, 0.5000, 0.8808])
    """
    return torch.sigmoid(_to_float(_t(x)))


@op
def hard_sigmoid(x):
    """Piecewise-linear approximation of the sigmoid, elementwise: `relu6(x + 3) / 6`.

    0 for `x <= -3`, 1 for `x >= 3`, `x / 6 + 0.5` in between.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return F.hardsigmoid(_to_float(_t(x)))


@op
def softplus(x):
    """Softplus, elementwise: `log(1 + exp(x))`, a smooth version of relu.

    Computed stably: for large `x` the result is `x`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.softplus(np.array([-2.0, 0.0, 2.0]))
    tensor([0.1269, 0.6931, 2.1269])
    """
    return F.softplus(_to_float(_t(x)))


@op
def softsign(x):
    """Softsign, elementwise: `x / (1 + |x|)`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.softsign(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.6667,  0.0000,  0.6667])
    """
    return F.softsign(_to_float(_t(x)))


@op
def silu(x):
    """Sigmoid linear unit (swish), elementwise: `x * sigmoid(x)`.

    `swish` is the same function.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.silu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.2384,  0.0000,  1.7616])
    """
    return F.silu(_to_float(_t(x)))


swish = silu


@op
def gelu(x, approximate=True):
    """Gaussian error linear unit, elementwise: `x * P(X <= x)` for a standard normal `X`.

    The exact form is `0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate=True` (the Keras default) the tanh approximation `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))` is used.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        approximate: Whether to use the tanh approximation. Default `True`.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.gelu(np.array([-2.0, 0.0, 2.0]), approximate=False)
    tensor([-0.0455,  0.0000,  1.9545])
    """
    return F.gelu(_to_float(_t(x)), approximate="tanh" if approximate else "none")


@op
def elu(x, alpha=1.0):
    """Exponential linear unit, elementwise: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part (its limit is `-alpha`). Default 1.0.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.elu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.8647,  0.0000,  2.0000])
    """
    return F.elu(_to_float(_t(x)), alpha)


@op
def selu(x):
    """Scaled exponential linear unit, elementwise: `scale * elu(x, alpha)`.

    With the self-normalizing constants `alpha = 1.67326324` and `scale = 1.05070098` (Klambauer et al., 2017); meant for `lecun_normal` initialized networks.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.selu(np.array([-2.0, 0.0, 2.0]))
    tensor([-1.5202,  0.0000,  2.1014])
    """
    return F.selu(_to_float(_t(x)))


@op
def leaky_relu(x, negative_slope=0.2):
    """Leaky rectified linear unit, elementwise: `x` for `x >= 0`, `negative_slope * x` otherwise.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        negative_slope: Slope for negative inputs. Default 0.2.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.leaky_relu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.4000,  0.0000,  2.0000])
    """
    return F.leaky_relu(_to_float(_t(x)), negative_slope)


@op
def log_sigmoid(x):
    """Logarithm of the sigmoid, elementwise: `-softplus(-x)`, computed stably.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.log_sigmoid(np.array([-2.0, 0.0, 2.0]))
    tensor([-2.1269, -0.6931, -0.1269])
    """
    return F.logsigmoid(_to_float(_t(x)))


def _softmax_like(fn, x, axis):
    x = _to_float(_t(x))
    axis = _axis(axis)
    if axis is None:
        return fn(x.reshape(-1), dim=0).reshape(x.shape)
    if isinstance(axis, tuple):
        axes = sorted(a % x.dim() for a in axis)
        rest = [d for d in range(x.dim()) if d not in axes]
        moved = x.permute(rest + axes)
        flat = moved.reshape(tuple(moved.shape[:len(rest)]) + (-1,))
        out = fn(flat, dim=-1).reshape(moved.shape)
        inverse = [0] * x.dim()
        for i, d in enumerate(rest + axes):
            inverse[d] = i
        return out.permute(inverse)
    return fn(x, dim=axis)


@op
def softmax(x, axis=-1):
    """Softmax along an axis: `exp(x) / sum(exp(x))`.

    Computed stably (the maximum is subtracted first). With a tuple of axes the
    normalization runs over all of them jointly; with `axis=None` over every
    element. Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor (logits).
        axis: An int, a tuple of ints, or `None`. Default -1.

    Returns:
        A floating-point tensor of the shape of `x`; the values along `axis` sum to 1.

    Example:

    >>> keras.ops.softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[0.0900, 0.2447, 0.6652]])
    """
    return _softmax_like(torch.softmax, x, axis)


@op
def log_softmax(x, axis=-1):
    """Log-softmax along an axis: `x - logsumexp(x)`.

    Computed stably (the maximum is subtracted first). With a tuple of axes the
    normalization runs over all of them jointly; with `axis=None` over every
    element. Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor (logits).
        axis: An int, a tuple of ints, or `None`. Default -1.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.log_softmax(np.array([[1.0, 2.0, 3.0]]))
    tensor([[-2.4076, -1.4076, -0.4076]])
    """
    return _softmax_like(torch.log_softmax, x, axis)


@op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encoding of integer class ids.

    Each id `i` becomes a vector of `num_classes` zeros with a 1 at position
    `i`; a negative id gives an all-zero vector, an id `>= num_classes` is an
    error. Float ids are truncated to integers.

    Args:
        x: Integer tensor of class ids.
        num_classes: Length of the one-hot vectors.
        axis: Position of the new one-hot axis in the result. Default -1.
        dtype: Dtype of the result; `None` (default) means `floatx()`.
        sparse: Must be `False` (sparse tensors are not supported on torch).

    Returns:
        A tensor of shape `x.shape` with a new axis of length `num_classes`.

    Raises:
        ValueError: if `sparse=True`.

    Example:

    >>> keras.ops.one_hot(np.array([0, 2, -1]), 3)
    tensor([[1., 0., 0.],
            [0., 0., 1.],
            [0., 0., 0.]])
    """
    if sparse:
        raise ValueError("one_hot: `sparse=True` is not supported by the torch backend.")
    x = _t(x)
    if x.is_floating_point():
        x = x.to(torch.int64)
    x = x.long()
    out = F.one_hot(torch.clamp(x, min=0), int(num_classes))
    out = out * (x >= 0).unsqueeze(-1)
    out = out.to(_floatx() if dtype is None else dtypes.to_torch(dtype))
    if axis != -1 and axis != out.dim() - 1:
        out = torch.movedim(out, -1, axis)
    return out


@op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encoding: one vector per sample, with a 1 at each class id it holds.

    For a 2-D input each row is a sample and its ids are combined; a 1-D input
    is a single sample. Repeated ids still give 1 (not a count); negative ids
    are ignored.

    Args:
        inputs: 1-D or 2-D integer tensor of class ids.
        num_classes: Length of the encoding vectors (required).
        axis: Position of the class axis in the result. Default -1.
        dtype: Dtype of the result; `None` (default) means `floatx()`.
        sparse: Must be `False` (sparse tensors are not supported on torch).
        **kwargs: `num_tokens`, accepted as the older name of `num_classes`.

    Returns:
        A tensor of shape `(batch, num_classes)` (or `(num_classes,)` for a
        1-D input).

    Raises:
        ValueError: if `num_classes` is missing or `sparse=True`.
        TypeError: for another keyword argument.

    Example:

    >>> keras.ops.multi_hot(np.array([[0, 2, 2], [1, 1, 1]]), num_classes=4)
    tensor([[1., 0., 1., 0.],
            [0., 1., 0., 0.]])
    """
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"multi_hot: unexpected argument(s) {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("multi_hot: the argument `num_classes` must be specified.")
    if sparse:
        raise ValueError("multi_hot: `sparse=True` is not supported by the torch backend.")
    x = _t(inputs)
    reduction_axis = 1 if x.dim() > 1 else 0
    out = one_hot._raw(x, num_classes, axis=axis, dtype=dtype)
    return torch.amax(out, dim=reduction_axis)


@op
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its norm along an axis (so that the norm becomes 1).

    For `order=2` this is `x * min(1 / sqrt(sum(x**2)), 1 / epsilon)`; for
    other orders `x / max(norm(x, order), epsilon)`. `epsilon` keeps zero
    vectors at zero. Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        axis: The axis (or tuple of axes) to normalize over. Default -1.
        order: Order of the norm (an int >= 1). Default 2.
        epsilon: Lower bound of the norm; `None` (default) means
            `keras.config.epsilon()`.

    Returns:
        A floating-point tensor of the shape of `x` (1-D for a scalar input).

    Raises:
        ValueError: if `order` is not an int >= 1.

    Example:

    >>> keras.ops.normalize(np.array([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    >>> keras.ops.normalize(np.array([[3.0, 1.0]]), order=1)
    tensor([[0.7500, 0.2500]])
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"normalize: `order` must be an int >= 1. Received: order={order!r}")
    x = _to_float(_t(x))
    if x.dim() == 0:
        x = x.reshape(1)
    eps = config.epsilon() if epsilon is None else epsilon
    axis = _axis(axis)
    if order == 2:
        inv_norm = torch.rsqrt(torch.sum(x * x, dim=axis, keepdim=True))
        return x * torch.clamp(inv_norm, max=1.0 / eps)
    norm_ = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm_, min=eps)


@op
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and variance of `x` over the given axes.

    The variance is `mean(x**2) - mean(x)**2` (the population variance,
    computed as Keras does). float16 inputs are computed in float32 and
    clipped back into the float16 range; integer inputs give `floatx()`.

    Args:
        x: Input tensor.
        axes: An int or a tuple of ints: the axes to reduce.
        keepdims: If `True`, the reduced axes are kept with length 1. Default
            `False`.
        synchronized: Must be `False` (a cross-device reduction is not
            supported on torch).

    Returns:
        A tuple `(mean, variance)`.

    Raises:
        NotImplementedError: if `synchronized=True`.

    Example:

    >>> keras.ops.moments(np.array([[1.0, 2.0], [3.0, 6.0]]), axes=0)
    (tensor([2., 4.]), tensor([1., 4.]))
    """
    if synchronized:
        raise NotImplementedError("moments: `synchronized=True` (a cross-device reduction) is "
                                  "not supported by the torch backend.")
    x = _t(x)
    axes = _axis(axes)
    half = x.dtype == torch.float16
    xc = x.float() if half else _to_float(x)
    mean_ = torch.mean(xc, dim=axes, keepdim=True)
    variance = torch.mean(xc * xc, dim=axes, keepdim=True) - mean_ * mean_
    if not keepdims:
        dims = (axes,) if isinstance(axes, int) else axes
        if dims is None:
            mean_, variance = mean_.reshape(()), variance.reshape(())
        else:
            mean_, variance = mean_.squeeze(dims), variance.squeeze(dims)
    if half:
        limit = torch.finfo(torch.float16).max
        mean_ = torch.clamp(mean_, -limit, limit).to(x.dtype)
        variance = torch.clamp(variance, -limit, limit).to(x.dtype)
    return mean_, variance


@op
def top_k(x, k, sorted=True):
    """The `k` largest values along the last axis, and their indices.

    Args:
        x: Input tensor.
        k: How many values to return (at most `x.shape[-1]`).
        sorted: If `True` (default), the values come in descending order.

    Returns:
        A tuple `(values, indices)` of tensors of shape `x.shape[:-1] + (k,)`;
        the indices are int32.

    Example:

    >>> keras.ops.top_k(np.array([1.0, 9.0, 3.0, 7.0]), 2)
    (tensor([9., 7.]), tensor([1, 3], dtype=torch.int32))
    """
    values, indices = torch.topk(_t(x), int(k), dim=-1, largest=True, sorted=bool(sorted))
    return values, indices.to(torch.int32)


@op
def in_top_k(targets, predictions, k):
    """Whether each target class is among the `k` highest predictions of its row.

    The rank of a target counts the predictions strictly larger than the
    target's prediction, so ties are in the target's favour.

    Args:
        targets: 1-D integer tensor of class ids, one per row.
        predictions: 2-D tensor `(batch, num_classes)` of scores.
        k: Number of top positions to accept.

    Returns:
        A boolean tensor of shape `(batch,)`.

    Example:

    >>> preds = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    >>> keras.ops.in_top_k(np.array([2, 2]), preds, 2)
    tensor([ True, False])
    """
    predictions = _t(predictions)
    targets = _t(targets).long()
    target_values = torch.gather(predictions, 1, targets.unsqueeze(1))
    # Rank counts strictly larger predictions, as Keras does.
    rank = torch.sum(predictions > target_values, dim=1)
    return rank < int(k)


# -- crossentropies (as the Keras torch backend computes them) ---------------
def _log_probs(output, from_logits, axis):
    if from_logits:
        return torch.log_softmax(output, dim=axis)
    output = output / torch.sum(output, dim=axis, keepdim=True)
    eps = config.epsilon()
    return torch.log(torch.clamp(output, eps, 1.0 - eps))


@op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or probability) targets and predictions.

    `-sum(target * log(p), axis)`, where `p` is `softmax(output)` when
    `from_logits=True`, otherwise `output` rescaled to sum to 1 along `axis`
    and clipped to `[epsilon, 1 - epsilon]` (`keras.config.epsilon()`).

    Args:
        target: Tensor of target probabilities, of the shape of `output`.
        output: Tensor of predictions (probabilities or logits).
        from_logits: Whether `output` holds logits. Default `False`.
        axis: The class axis. Default -1.

    Returns:
        A floating-point tensor with `axis` removed (one loss per sample).

    Raises:
        ValueError: if `target` and `output` differ in shape.

    Example:

    >>> keras.ops.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _t(target), _to_float(_t(output))
    if target.shape != output.shape:
        raise ValueError("categorical_crossentropy: `target` and `output` must have the same "
                         f"shape; received {tuple(target.shape)} and {tuple(output.shape)}")
    return -torch.sum(target.to(output.dtype) * _log_probs(output, from_logits, axis), dim=axis)


@op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class targets and predictions.

    `-log(p[target])`, with `p` as in `categorical_crossentropy` (softmax of the
    logits, or the rescaled and clipped probabilities). `target` may carry a
    trailing axis of length 1.

    Args:
        target: Integer tensor of class ids: the shape of `output` without its
            class axis.
        output: Tensor of predictions (probabilities or logits).
        from_logits: Whether `output` holds logits. Default `False`.
        axis: The class axis of `output`. Default -1.

    Returns:
        A floating-point tensor of the shape of `target` (one loss per sample).

    Raises:
        ValueError: if the shapes do not match.

    Example:

    >>> keras.ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))
    tensor([0.2231])
    """
    target, output = _t(target), _to_float(_t(output))
    if target.dtype != torch.long:
        target = target.long()
    if target.dim() == output.dim() and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if output.dim() < 1:
        raise ValueError("sparse_categorical_crossentropy: `output` must have rank >= 1.")
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError("sparse_categorical_crossentropy: `target` shape "
                         f"{tuple(target.shape)} does not match `output` shape "
                         f"{tuple(output.shape)} without its class axis {axis}")
    ax = axis % output.dim()
    if from_logits and ax == output.dim() - 1 and output.dim() == 2:
        return F.cross_entropy(output, target, reduction="none")
    log_prob = _log_probs(output, from_logits, axis)
    return -torch.gather(log_prob, ax, target.unsqueeze(ax)).squeeze(ax)


@op
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy: `-(t * log(p) + (1 - t) * log(1 - p))`.

    `p` is `sigmoid(output)` when `from_logits=True` (computed stably),
    otherwise `output` clipped to `[epsilon, 1 - epsilon]`
    (`keras.config.epsilon()`). Targets outside `[0, 1]` are accepted and
    computed by the formula.

    Args:
        target: Tensor of targets, of the shape of `output`.
        output: Tensor of predictions (probabilities or logits).
        from_logits: Whether `output` holds logits. Default `False`.

    Returns:
        A floating-point tensor of the shape of `output` (no reduction).

    Raises:
        ValueError: if `target` and `output` differ in shape.

    Example:

    >>> keras.ops.binary_crossentropy(np.array([1.0, 0.0]), np.array([0.9, 0.2]))
    tensor([0.1054, 0.2231])
    """
    target, output = _t(target), _to_float(_t(output))
    target = target.to(output.dtype)
    if target.shape != output.shape:
        raise ValueError("binary_crossentropy: `target` and `output` must have the same shape; "
                         f"received {tuple(target.shape)} and {tuple(output.shape)}")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    if bool(((target >= 0) & (target <= 1)).all()):
        return F.binary_cross_entropy(output, target, reduction="none")
    # Targets outside [0, 1] (soft or shifted labels) are computed by the
    # formula, as Keras's TensorFlow and JAX backends do; torch's kernel
    # refuses them.
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))



# -- more activations ------------------------------------------------------------
@op
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid, elementwise: 0 for `x <= -1`, 1 for `x >= 1`, `(x + 1) / 2` in between.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.sparse_sigmoid(np.array([-2.0, 0.0, 0.5, 2.0]))
    tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    x = _to_float(_t(x))
    return torch.where(x <= -1, torch.zeros_like(x),
                       torch.where(x >= 1, torch.ones_like(x), 0.5 * (x + 1)))


@op
def sparse_plus(x):
    """Smooth piecewise relu, elementwise: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.sparse_plus(np.array([-2.0, 0.0, 0.5, 2.0]))
    tensor([0.0000, 0.2500, 0.5625, 2.0000])
    """
    x = _to_float(_t(x))
    return torch.where(x <= -1, torch.zeros_like(x),
                       torch.where(x < 1, 0.25 * (x + 1) ** 2, x))


@op
def squareplus(x, b=4):
    """Squareplus, elementwise: `(x + sqrt(x**2 + b)) / 2`, a smooth approximation of relu.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        b: Smoothness (non-negative; 0 gives relu). Default 4.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.squareplus(np.array([-2.0, 0.0, 2.0]), b=4)
    tensor([0.4142, 1.0000, 2.4142])
    """
    x = _to_float(_t(x))
    return (x + torch.sqrt(x * x + b)) / 2


@op
def soft_shrink(x, threshold=0.5):
    """Soft shrinkage, elementwise: `x - threshold` above `threshold`, `x + threshold` below `-threshold`, 0 in between.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        threshold: Non-negative shrinkage amount. Default 0.5.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.soft_shrink(np.array([-2.0, 0.2, 1.0]))
    tensor([-1.5000,  0.0000,  0.5000])
    """
    return F.softshrink(_to_float(_t(x)), threshold)


@op
def hard_shrink(x, threshold=0.5):
    """Hard shrinkage, elementwise: `x` where `|x| > threshold`, 0 elsewhere.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        threshold: Non-negative threshold. Default 0.5.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.hard_shrink(np.array([-2.0, 0.2, 1.0]))
    tensor([-2.,  0.,  1.])
    """
    return F.hardshrink(_to_float(_t(x)), threshold)


@op
def tanh_shrink(x):
    """Tanh shrinkage, elementwise: `x - tanh(x)`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.tanh_shrink(np.array([-2.0, 0.0, 2.0]))
    tensor([-1.0360,  0.0000,  1.0360])
    """
    return F.tanhshrink(_to_float(_t(x)))


@op
def hard_tanh(x):
    """Hard tanh, elementwise: `x` clipped to `[-1, 1]`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.hard_tanh(np.array([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    return F.hardtanh(_to_float(_t(x)), -1.0, 1.0)


@op
def hard_silu(x):
    """Hard SiLU (hard swish), elementwise: `x * relu6(x + 3) / 6`.

    A cheap approximation of `silu`. `hard_swish` is the same function.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.hard_silu(np.array([-4.0, 0.0, 1.0, 4.0]))
    tensor([-0.0000, 0.0000, 0.6667, 4.0000])
    """
    return F.hardswish(_to_float(_t(x)))


hard_swish = hard_silu


@op
def celu(x, alpha=1.0):
    """Continuously differentiable exponential linear unit, elementwise: `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        alpha: Scale of the negative part (non-zero). Default 1.0.

    Returns:
        A tensor of the shape of `x` (floating point).

    Example:

    >>> keras.ops.celu(np.array([-2.0, 0.0, 2.0]))
    tensor([-0.8647,  0.0000,  2.0000])
    """
    return F.celu(_to_float(_t(x)), alpha)


@op
def glu(x, axis=-1):
    """Gated linear unit: `a * sigmoid(b)`, with `a` and `b` the two halves of `x` along `axis`.

    Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor whose size along `axis` is even.
        axis: The axis to split. Default -1.

    Returns:
        A floating-point tensor with half the size along `axis`.

    Raises:
        ValueError: if the size along `axis` is odd.

    Example:

    >>> keras.ops.glu(np.array([[1.0, 2.0, 0.0, 100.0]]))
    tensor([[0.5000, 2.0000]])
    """
    x = _to_float(_t(x))
    if x.shape[axis] % 2:
        raise ValueError("glu: the size of `x` along `axis` must be divisible by 2. "
                         f"Received: x.shape={tuple(x.shape)} with axis={axis}")
    return F.glu(x, dim=axis)


@op
def threshold(x, threshold, default_value):
    """Keeps the values above a threshold and replaces the others, elementwise.

    The result is `x` where `x > threshold` and `default_value` elsewhere.

    Args:
        x: Input tensor.
        threshold: The threshold (a number).
        default_value: The value put where `x <= threshold`.

    Returns:
        A tensor of the shape and dtype of `x`.

    Example:

    >>> keras.ops.threshold(np.array([-1.0, 0.5, 2.0]), 0.5, -9.0)
    tensor([-9., -9.,  2.])
    """
    return F.threshold(_t(x), threshold, default_value)


@op
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex.

    Like softmax the outputs along `axis` are non-negative and sum to 1, but
    many are exactly 0: the result is `max(x - tau, 0)` with `tau` chosen so
    that the sum is 1 (Martins & Astudillo, 2016). Integer inputs are computed
    in `floatx()`.

    Keras 3.15 computes `tau` wrongly whenever more than one element is in the
    support (keras-team/keras#23425, fixed upstream); torkeras returns the true
    projection.

    Args:
        x: Input tensor (logits).
        axis: The axis to normalize over. Default -1.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.sparsemax(np.array([[1.0, 2.0, 0.0], [0.1, 0.2, 0.3]]))
    tensor([[0.0000, 1.0000, 0.0000],
            [0.2333, 0.3333, 0.4333]])
    """
    x = _to_float(_t(x))
    ordered = torch.sort(x, dim=axis, descending=True).values
    cumulative = torch.cumsum(ordered, dim=axis)
    ranks_shape = [1] * x.dim()
    ranks_shape[axis] = -1
    ranks = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype, device=x.device).view(ranks_shape)
    in_support = ordered - (cumulative - 1) / ranks > 0
    support_size = torch.sum(in_support, dim=axis, keepdim=True)
    support_sum = torch.sum(torch.where(in_support, ordered, torch.zeros_like(ordered)),
                            dim=axis, keepdim=True)
    tau = (support_sum - 1) / support_size
    return torch.clamp(x - tau, min=0.0)


# -- argument helpers for the windowed ops ------------------------------------------
def _int_tuple(value, n, name):
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return (int(value),) * n
    try:
        out = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        out = ()
    if len(out) != n or any(isinstance(v, bool) for v in value):
        raise ValueError(f"The `{name}` argument must be an integer or a tuple of {n} "
                         f"integers. Received: {name}={value!r}")
    return out


_data_format = config._standardize_data_format


def _padding(padding):
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in ("valid", "same"):
        raise ValueError("The `padding` argument must be one of 'valid' or 'same'. "
                         f"Received: padding={padding!r}")
    return value


def _spatial_rank(x, what):
    rank = x.dim() - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"{what}: `inputs` must have rank 3, 4 or 5 (batch, 1 to 3 spatial "
                         f"dimensions, channels). Received: inputs.shape={tuple(x.shape)}")
    return rank


def _to_channels_first(x):
    return x.permute((0, x.dim() - 1) + tuple(range(1, x.dim() - 1)))


def _to_channels_last(x):
    return x.permute((0,) + tuple(range(2, x.dim())) + (1,))


def _same_pads(spatial, kernel, strides, dilation):
    """(before, after) per axis as TensorFlow's "same" pads: the odd element after."""
    pads = []
    for n, k, s, d in zip(spatial, kernel, strides, dilation):
        extent = (k - 1) * d + 1
        total = max(extent - 1 - (n - 1) % s, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _flat_pads(pads):
    flat = []
    for before, after in reversed(pads):  # F.pad lists the last axis first
        flat += [before, after]
    return flat


_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


# -- pooling -------------------------------------------------------------------------
def _pool(kind, inputs, pool_size, strides, padding, data_format):
    x = _to_float(_t(inputs))
    rank = _spatial_rank(x, f"{kind}_pool")
    pool_size = _int_tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _int_tuple(strides, rank, "strides")
    padding = _padding(padding)
    channels_last = _data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    pads = None
    if padding == "same":
        pads = _same_pads(tuple(x.shape[2:]), pool_size, strides, (1,) * rank)
        if all(a == 0 and b == 0 for a, b in pads):
            pads = None
    if kind == "max":
        if pads is not None:
            x = F.pad(x, _flat_pads(pads), value=float("-inf"))
        out = _MAX_POOL[rank](x, pool_size, strides)
    elif pads is None:
        out = _AVG_POOL[rank](x, pool_size, strides)
    else:
        # The mean of the real (unpadded) elements of each window: both
        # averages divide by the window volume, which cancels.
        flat = _flat_pads(pads)
        summed = _AVG_POOL[rank](F.pad(x, flat), pool_size, strides)
        ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
        counts = _AVG_POOL[rank](F.pad(ones, flat), pool_size, strides)
        out = summed / counts
    return _to_channels_last(out) if channels_last else out


@op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over the 1 to 3 spatial axes of `inputs`.

    Windows of `pool_size` move by `strides`. With `"same"` padding the output
    has `ceil(n / stride)` positions per axis; the input is padded as
    TensorFlow pads it (an odd padding element goes after) and the padding never wins the maximum.
    Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5: a batch, 1 to 3 spatial axes and a
            channel axis.
        pool_size: An int or one int per spatial axis: the window size.
        strides: An int or one int per spatial axis; `None` (default) means
            `pool_size`.
        padding: `"valid"` (default, no padding) or `"same"`.
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.

    Returns:
        A tensor of the rank of `inputs`; with `"valid"` each spatial axis has
        `floor((n - pool) / stride) + 1` positions.

    Raises:
        ValueError: for inputs of another rank, a wrong-length `pool_size` or
            `strides`, or an unknown `padding` or `data_format`.

    Example:

    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> keras.ops.max_pool(x, pool_size=2)[0, :, :, 0]
    tensor([[ 5.,  7.],
            [13., 15.]])
    >>> keras.ops.max_pool(x, pool_size=3, strides=2, padding="same").shape
    torch.Size([1, 2, 2, 1])
    """
    return _pool("max", inputs, pool_size, strides, padding, data_format)


@op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over the 1 to 3 spatial axes of `inputs`.

    Windows of `pool_size` move by `strides`. With `"same"` padding the output
    has `ceil(n / stride)` positions per axis; the input is padded as
    TensorFlow pads it (an odd padding element goes after) and each window averages only its real (unpadded) elements, as TensorFlow does.
    Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5: a batch, 1 to 3 spatial axes and a
            channel axis.
        pool_size: An int or one int per spatial axis: the window size.
        strides: An int or one int per spatial axis; `None` (default) means
            `pool_size`.
        padding: `"valid"` (default, no padding) or `"same"`.
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.

    Returns:
        A tensor of the rank of `inputs`; with `"valid"` each spatial axis has
        `floor((n - pool) / stride) + 1` positions.

    Raises:
        ValueError: for inputs of another rank, a wrong-length `pool_size` or
            `strides`, or an unknown `padding` or `data_format`.

    Example:

    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> keras.ops.average_pool(x, pool_size=2)[0, :, :, 0]
    tensor([[ 2.5000,  4.5000],
            [10.5000, 12.5000]])
    >>> keras.ops.average_pool(x, pool_size=3, strides=2, padding="same").shape
    torch.Size([1, 2, 2, 1])
    """
    return _pool("average", inputs, pool_size, strides, padding, data_format)


def _adaptive_pool(table, inputs, output_size, data_format, name):
    x = _to_float(_t(inputs))
    rank = _spatial_rank(x, name)
    output_size = _int_tuple(output_size, rank, "output_size")
    channels_last = _data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    out = table[rank](x, output_size)
    if isinstance(out, tuple):
        out = out[0]
    return _to_channels_last(out) if channels_last else out


@op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed spatial output size, whatever the input size.

    Output position `i` along an axis of length `n` pools the input positions
    `floor(i * n / out)` to `ceil((i + 1) * n / out) - 1` (torch's adaptive
    windows, which may overlap). Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5: a batch, 1 to 3 spatial axes and a
            channel axis.
        output_size: An int or one int per spatial axis.
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.

    Returns:
        A tensor whose spatial axes have the sizes `output_size`.

    Example:

    >>> x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    >>> keras.ops.adaptive_average_pool(x, 2)[0, :, 0]
    tensor([2., 6.])
    """
    return _adaptive_pool(_ADAPTIVE_AVG, inputs, output_size, data_format,
                          "adaptive_average_pool")


@op
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed spatial output size, whatever the input size.

    Output position `i` along an axis of length `n` pools the input positions
    `floor(i * n / out)` to `ceil((i + 1) * n / out) - 1` (torch's adaptive
    windows, which may overlap). Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5: a batch, 1 to 3 spatial axes and a
            channel axis.
        output_size: An int or one int per spatial axis.
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.

    Returns:
        A tensor whose spatial axes have the sizes `output_size`.

    Example:

    >>> x = np.arange(10, dtype="float32").reshape(1, 5, 2)
    >>> keras.ops.adaptive_max_pool(x, 2)[0, :, 0]
    tensor([4., 8.])
    """
    return _adaptive_pool(_ADAPTIVE_MAX, inputs, output_size, data_format, "adaptive_max_pool")


# -- convolutions --------------------------------------------------------------------
def _conv_nd(x, kernel, strides, padding, dilation, rank):
    """N-D convolution of channels_first `x` with a torch-layout kernel."""
    groups = x.shape[1] // kernel.shape[1]
    pad_arg = 0
    if padding == "same":
        pads = _same_pads(tuple(x.shape[2:]), tuple(kernel.shape[2:]), strides, dilation)
        if all(a == b for a, b in pads):
            pad_arg = tuple(a for a, _ in pads)
        else:
            x = F.pad(x, _flat_pads(pads))
    return _CONV[rank](x, kernel, None, strides, pad_arg, dilation, groups)


def _keras_to_torch_kernel(kernel):
    """(*spatial, in, out) -> (out, in, *spatial)."""
    n = kernel.dim()
    return kernel.permute((n - 1, n - 2) + tuple(range(n - 2)))


@op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1 to 3 spatial axes), as Keras's `Conv1D/2D/3D` layers compute it.

    A cross-correlation (the kernel is not flipped). A kernel with fewer input
    channels than `inputs` makes a grouped convolution: the input channels are
    split into `in_channels / kernel.shape[-2]` groups, each with its share of
    the filters. Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels).
        kernel: Tensor of shape `(*kernel_size, in_channels / groups, filters)`
            (Keras's kernel layout).
        strides: An int or one int per spatial axis. Default 1.
        padding: `"valid"` (default, no padding) or `"same"` (output of
            `ceil(n / stride)` positions; an odd padding element goes after, as
            TensorFlow pads).
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.
        dilation_rate: An int or one int per spatial axis: the spacing between
            kernel taps. Default 1.

    Returns:
        A tensor with `filters` channels.

    Raises:
        ValueError: for mismatched ranks or channels, or an unknown `padding`
            or `data_format`.

    Example:

    >>> x = np.ones((1, 5, 5, 3), dtype="float32")
    >>> keras.ops.conv(x, np.ones((3, 3, 3, 8), dtype="float32")).shape
    torch.Size([1, 3, 3, 8])
    >>> keras.ops.conv(x, np.ones((3, 3, 3, 8), dtype="float32"), strides=2, padding="same").shape
    torch.Size([1, 3, 3, 8])
    """
    x, kernel = _to_float(_t(inputs)), _t(kernel)
    rank = _spatial_rank(x, "conv")
    if kernel.dim() != rank + 2:
        raise ValueError(f"conv: `kernel` must have rank {rank + 2} for inputs of rank "
                         f"{rank + 2}. Received: kernel.shape={tuple(kernel.shape)}")
    strides = _int_tuple(strides, rank, "strides")
    dilation = _int_tuple(dilation_rate, rank, "dilation_rate")
    padding = _padding(padding)
    channels_last = _data_format(data_format) == "channels_last"
    if channels_last:
        x = _to_channels_first(x)
    in_channels, kernel_in = x.shape[1], kernel.shape[-2]
    if kernel_in == 0 or in_channels % kernel_in:
        raise ValueError(f"conv: the input channels ({in_channels}) must be divisible by the "
                         f"kernel's input channels ({kernel_in}, kernel.shape[-2]).")
    out = _conv_nd(x, _keras_to_torch_kernel(kernel.to(x.dtype)), strides, padding, dilation,
                   rank)
    return _to_channels_last(out) if channels_last else out


def _check_depthwise_channels(x, kernel, channels_last, name):
    channels = x.shape[-1] if channels_last else x.shape[1]
    if kernel.shape[-2] != channels:
        raise ValueError(f"{name}: the input channels ({channels}) must equal the kernel's "
                         f"kernel.shape[-2] ({kernel.shape[-2]}).")


@op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise N-D convolution: each input channel is convolved with its own filters.

    Channel `c` is convolved with `kernel[..., c, :]`, giving
    `depth_multiplier` output channels per input channel (in the order
    `c * depth_multiplier + m`). Integer inputs are computed in `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels).
        kernel: Tensor of shape `(*kernel_size, in_channels, depth_multiplier)`.
        strides: An int or one int per spatial axis. Default 1.
        padding: `"valid"` (default, no padding) or `"same"` (output of
            `ceil(n / stride)` positions; an odd padding element goes after, as
            TensorFlow pads).
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.
        dilation_rate: An int or one int per spatial axis: the spacing between
            kernel taps. Default 1.

    Returns:
        A tensor with `in_channels * depth_multiplier` channels.

    Raises:
        ValueError: if `kernel.shape[-2]` differs from the input channels, or
            for mismatched ranks.

    Example:

    >>> x = np.ones((1, 4, 4, 3), dtype="float32")
    >>> keras.ops.depthwise_conv(x, np.ones((2, 2, 3, 2), dtype="float32")).shape
    torch.Size([1, 3, 3, 6])
    """
    x, kernel = _to_float(_t(inputs)), _t(kernel)
    rank = _spatial_rank(x, "depthwise_conv")
    if kernel.dim() != rank + 2:
        raise ValueError(f"depthwise_conv: `kernel` must have rank {rank + 2}. "
                         f"Received: kernel.shape={tuple(kernel.shape)}")
    _check_depthwise_channels(x, kernel, _data_format(data_format) == "channels_last",
                              "depthwise_conv")
    kernel = kernel.reshape(tuple(kernel.shape[:-2]) + (1, kernel.shape[-2] * kernel.shape[-1]))
    return conv._raw(x, kernel, strides, padding, data_format, dilation_rate)


@op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Separable N-D convolution: a depthwise convolution followed by a 1x1 convolution.

    The depthwise step uses `strides`, `padding` and `dilation_rate`; the
    pointwise step mixes the channels. Integer inputs are computed in
    `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels).
        depthwise_kernel: Tensor of shape
            `(*kernel_size, in_channels, depth_multiplier)`.
        pointwise_kernel: Tensor of shape
            `(1, ..., 1, in_channels * depth_multiplier, filters)`.
        strides: An int or one int per spatial axis. Default 1.
        padding: `"valid"` (default, no padding) or `"same"` (output of
            `ceil(n / stride)` positions; an odd padding element goes after, as
            TensorFlow pads).
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.
        dilation_rate: An int or one int per spatial axis: the spacing between
            kernel taps. Default 1.

    Returns:
        A tensor with `filters` channels.

    Raises:
        ValueError: if `depthwise_kernel.shape[-2]` differs from the input
            channels.

    Example:

    >>> x = np.ones((1, 4, 4, 3), dtype="float32")
    >>> dk, pk = np.ones((3, 3, 3, 2), "float32"), np.ones((1, 1, 6, 5), "float32")
    >>> keras.ops.separable_conv(x, dk, pk, padding="same").shape
    torch.Size([1, 4, 4, 5])
    """
    x, depthwise_kernel = _to_float(_t(inputs)), _t(depthwise_kernel)
    _check_depthwise_channels(x, depthwise_kernel,
                              _data_format(data_format) == "channels_last", "separable_conv")
    depthwise = depthwise_conv._raw(x, depthwise_kernel, strides, padding, data_format,
                                    dilation_rate)
    return conv._raw(depthwise, _t(pointwise_kernel), 1, "valid", data_format, dilation_rate)


def _deconv_crops(kernel, padding, output_padding, stride, dilation):
    """(crop_before, crop_after) to take from the full transposed convolution
    (length `(n - 1) * stride + extent`) to get Keras's output along one axis;
    a negative crop_after is that many zeros appended instead."""
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return 0, -extra
    if output_padding is None:
        total = stride + extent - 2          # output length n * stride
    else:
        total = extent + extent % 2 - 2 + output_padding
    before = min((total + 1) // 2, extent - 1)
    return extent - 1 - before, extent - 1 - (total - before)


@op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """N-D transposed convolution (the gradient of `conv`), as Keras's `Conv*DTranspose` layers.

    Without `output_padding`, each spatial output length is `n * stride` for
    `"same"` and `(n - 1) * stride + max(extent, stride)` for `"valid"`, with
    `extent = (kernel - 1) * dilation + 1`. Integer inputs are computed in
    `floatx()`.

    Args:
        inputs: Tensor of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels).
        kernel: Tensor of shape `(*kernel_size, filters, in_channels)` (note
            the order: output channels before input channels).
        strides: An int or one int per spatial axis. Default 1.
        padding: `"valid"` (default) or `"same"`.
        output_padding: `None` (default) or an int / one int per spatial axis:
            extra length of each output axis, to choose among the input lengths
            that a strided convolution maps to the same size (as Keras's
            `output_padding`, which should be smaller than the stride).
        data_format: `"channels_last"` (inputs `(batch, *spatial, channels)`)
            or `"channels_first"` (`(batch, channels, *spatial)`); `None`
            (default) means `keras.config.image_data_format()`.
        dilation_rate: An int or one int per spatial axis. Default 1.

    Returns:
        A tensor with `filters` channels.

    Raises:
        ValueError: if `kernel.shape[-1]` differs from the input channels, or
            for mismatched ranks.

    Example:

    >>> x = np.ones((1, 3, 3, 4), dtype="float32")
    >>> keras.ops.conv_transpose(x, np.ones((3, 3, 8, 4), "float32"), strides=2, padding="same").shape
    torch.Size([1, 6, 6, 8])
    >>> keras.ops.conv_transpose(x, np.ones((3, 3, 8, 4), "float32"), strides=2).shape
    torch.Size([1, 7, 7, 8])
    """
    x, kernel = _to_float(_t(inputs)), _t(kernel)
    rank = _spatial_rank(x, "conv_transpose")
    if kernel.dim() != rank + 2:
        raise ValueError(f"conv_transpose: `kernel` must have rank {rank + 2}. "
                         f"Received: kernel.shape={tuple(kernel.shape)}")
    strides = _int_tuple(strides, rank, "strides")
    dilation = _int_tuple(dilation_rate, rank, "dilation_rate")
    padding = _padding(padding)
    out_pads = (None,) * rank if output_padding is None else \
        _int_tuple(output_padding, rank, "output_padding")
    channels_last = _data_format(data_format) == "channels_last"
    channels = x.shape[-1] if channels_last else x.shape[1]
    if kernel.shape[-1] != channels:
        raise ValueError(f"conv_transpose: the input channels ({channels}) must equal the "
                         f"kernel's kernel.shape[-1] ({kernel.shape[-1]}).")
    if channels_last:
        x = _to_channels_first(x)
    n = kernel.dim()
    weight = kernel.to(x.dtype).permute((n - 1, n - 2) + tuple(range(n - 2)))
    out = _CONV_T[rank](x, weight, None, strides, 0, 0, 1, dilation)
    for axis in range(rank):
        before, after = _deconv_crops(kernel.shape[axis], padding, out_pads[axis],
                                      strides[axis], dilation[axis])
        dim = axis + 2
        length = out.shape[dim] - before - max(after, 0)
        out = out.narrow(dim, before, length)
        if after < 0:
            shape = list(out.shape)
            shape[dim] = -after
            out = torch.cat([out, out.new_zeros(shape)], dim=dim)
    return _to_channels_last(out) if channels_last else out


# -- normalization ---------------------------------------------------------------
@op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """Normalizes `x` with given statistics: `(x - mean) / sqrt(variance + epsilon) * scale + offset`.

    The statistics are vectors along one axis of `x` (typically the channels)
    and broadcast over the others. Integer inputs are computed in `floatx()`.

    Args:
        x: Input tensor.
        mean: Vector of length `x.shape[axis]`.
        variance: Vector of length `x.shape[axis]`.
        axis: The axis the vectors run along (an int).
        offset: Optional vector added after scaling (beta).
        scale: Optional vector multiplied after normalizing (gamma).
        epsilon: Small number added to the variance. Default `1e-3`.

    Returns:
        A floating-point tensor of the shape of `x`.

    Raises:
        ValueError: if a vector does not have length `x.shape[axis]`.

    Example:

    >>> x = np.array([[1.0, 10.0], [3.0, 30.0]])
    >>> keras.ops.batch_normalization(x, mean=[2.0, 20.0], variance=[1.0, 100.0], axis=1, epsilon=0.0)
    tensor([[-1., -1.],
            [ 1.,  1.]])
    """
    x = _to_float(_t(x))
    axis = int(axis)
    size = x.shape[axis]
    shape = [1] * x.dim()
    shape[axis] = size

    def vector(value, name):
        value = _t(value).to(x.dtype)
        if tuple(value.shape) != (size,):
            raise ValueError(f"batch_normalization: `{name}` must be a vector of length "
                             f"x.shape[axis] = {size}. Received: {name}.shape="
                             f"{tuple(value.shape)}")
        return value.reshape(shape)

    mean, variance = vector(mean, "mean"), vector(variance, "variance")
    factor = torch.rsqrt(variance + epsilon)
    if scale is not None:
        factor = factor * vector(scale, "scale")
    out = (x - mean) * factor
    if offset is not None:
        out = out + vector(offset, "offset")
    return out


def _compute_float(x):
    """(x in at least float32, its original dtype)."""
    x = _t(x)
    original = x.dtype if x.is_floating_point() else _floatx()
    if x.dtype in (torch.float16, torch.bfloat16) or not x.is_floating_point():
        return x.to(torch.float32) if x.dtype != torch.float64 else x, original
    return x, original


def _contiguous_axes(axes, ndim):
    axes = sorted(a % ndim for a in axes)
    return axes == list(range(axes[0], axes[0] + len(axes))) and axes[-1] == ndim - 1


@op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalizes `x` to zero mean and unit variance over the given axes, then scales and shifts.

    `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, with the statistics
    computed over `axis` for each position of the other axes. Computed in at
    least float32 (float16/bfloat16 and integer inputs); the result has the
    input's float dtype (`floatx()` for integers).

    Args:
        x: Input tensor.
        gamma: Optional scale, of the shape of the normalized axes.
        beta: Optional offset, of the shape of the normalized axes.
        axis: An int or a tuple of ints: the axes to normalize over. Default -1.
        epsilon: Small number added to the variance; `None` (default) means
            `keras.config.epsilon()`.
        **kwargs: `rms_scaling=True` (deprecated, as in Keras) divides by the
            standard deviation without centering and without `beta`; use
            `rms_normalization` instead.

    Returns:
        A tensor of the shape of `x`.

    Raises:
        TypeError: for another keyword argument.

    Example:

    >>> keras.ops.layer_normalization(np.array([[1.0, 2.0, 3.0]]), epsilon=0.0)
    tensor([[-1.2247,  0.0000,  1.2247]])
    """
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"layer_normalization: unexpected argument(s) {sorted(kwargs)}")
    if rms_scaling:
        import warnings
        warnings.warn("`rms_scaling=True` is deprecated: it scales by the variance, not the "
                      "root mean square. Use `keras.ops.rms_normalization` instead.")
    eps = config.epsilon() if epsilon is None else epsilon
    x, original = _compute_float(x)
    axes = [axis] if isinstance(axis, int) else sorted(int(a) for a in axis)
    axes = sorted(a % x.dim() for a in axes)
    gamma = None if gamma is None else _t(gamma).to(x.dtype)
    beta = None if beta is None else _t(beta).to(x.dtype)
    shape = [1] * x.dim()
    for a in axes:
        shape[a] = x.shape[a]

    def broadcast(v):
        if v is not None and v.dim() != x.dim() and axes != [x.dim() - 1]:
            return v.reshape(shape)
        return v

    if rms_scaling:
        variance = torch.var(x, dim=axes, correction=0, keepdim=True)
        out = x * torch.rsqrt(variance + eps)
        if gamma is not None:
            out = out * broadcast(gamma)
    elif _contiguous_axes(axes, x.dim()):
        out = F.layer_norm(x, tuple(x.shape[a] for a in axes), gamma, beta, eps)
    else:
        mean_, variance = moments._raw(x, axes, keepdims=True)
        inv = torch.rsqrt(variance + eps)
        if gamma is not None:
            inv = inv * broadcast(gamma)
        shift = -mean_ * inv
        if beta is not None:
            shift = shift + broadcast(beta)
        out = x * inv + shift
    return out.to(original)


@op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """Root-mean-square normalization: `x / sqrt(mean(x**2, axis) + epsilon) * scale`.

    Unlike layer normalization, the input is not centred. Computed in at least
    float32; the result has the input's float dtype (`floatx()` for integers).

    Args:
        x: Input tensor.
        scale: Optional scale, of the shape of the normalized axes.
        axis: An int or a tuple of ints: the axes to normalize over. Default -1.
        epsilon: Small number added to the mean square; `None` (default) means
            `keras.config.epsilon()`.

    Returns:
        A tensor of the shape of `x`.

    Example:

    >>> keras.ops.rms_normalization(np.array([[3.0, 4.0]]), epsilon=0.0)
    tensor([[0.8485, 1.1314]])
    """
    eps = config.epsilon() if epsilon is None else epsilon
    x, original = _compute_float(x)
    scale = None if scale is None else _t(scale).to(x.dtype)
    axes = [axis] if isinstance(axis, int) else sorted(int(a) for a in axis)
    if x.dim() and _contiguous_axes(axes, x.dim()):
        axes = sorted(a % x.dim() for a in axes)
        out = F.rms_norm(x, tuple(x.shape[a] for a in axes), scale, eps)
    else:
        if x.dim() == 0:
            x = x.reshape(1)
        out = x * torch.rsqrt(torch.mean(x * x, dim=axes, keepdim=True) + eps)
        if scale is not None:
            out = out * scale
    return out.to(original)


# -- image-like rearrangements ------------------------------------------------------
@op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio between two signals, in decibels.

    `20 * log10(max_val) - 10 * log10(mean((x1 - x2)**2))`, over all elements
    (one scalar for the whole batch). Identical inputs give `inf`.

    Args:
        x1: First signal (e.g. an image batch).
        x2: Second signal, of the shape of `x1`.
        max_val: The largest possible value of the signal (1.0 for images in
            `[0, 1]`, 255 for 8-bit images).

    Returns:
        A scalar floating-point tensor.

    Raises:
        ValueError: if `x1` and `x2` differ in shape.

    Example:

    >>> keras.ops.psnr(np.array([0.0, 0.5, 1.0]), np.array([0.0, 0.6, 1.0]), 1.0)
    tensor(24.7712)
    """
    x1, x2 = _to_float(_t(x1)), _t(x2)
    if tuple(x1.shape) != tuple(x2.shape):
        raise ValueError(f"psnr: `x1` and `x2` must have the same shape. Received: "
                         f"x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}")
    max_val = torch.as_tensor(max_val, dtype=x1.dtype, device=x1.device)
    mse = torch.mean((x1 - x2.to(x1.dtype)) ** 2)
    return 20 * torch.log10(max_val) - 10 * torch.log10(mse)


@op
def polar(abs_, angle):
    """Complex numbers from magnitudes and angles: `abs_ * (cos(angle) + 1j * sin(angle))`.

    Args:
        abs_: Magnitudes (non-negative).
        angle: Angles in radians, broadcastable with `abs_`.

    Returns:
        A complex tensor (complex64 for float32 inputs).

    Example:

    >>> keras.ops.polar(np.array([2.0]), np.array([np.pi / 2]))
    tensor([-8.7423e-08+2.j])
    """
    abs_, angle = _to_float(_t(abs_)), _to_float(_t(angle))
    return torch.complex(abs_ * torch.cos(angle), abs_ * torch.sin(angle))


def _pair_arg(value, name):
    return _int_tuple(value, 2, name)


@op
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding blocks from a channels-first image batch (im2col).

    As `torch.nn.Unfold`: each of the `L` block positions becomes a column of
    `C * kh * kw` values (channel-major, then the block's rows and columns).

    Args:
        x: Tensor of shape `(N, C, H, W)` (channels first, whatever
            `image_data_format`).
        kernel_size: An int or a pair: the block size `(kh, kw)`.
        dilation: An int or a pair: spacing between block elements. Default 1.
        padding: An int or a pair: zeros added on both sides of each spatial
            axis. Default 0.
        stride: An int or a pair: the step between blocks. Default 1.

    Returns:
        A tensor of shape `(N, C * kh * kw, L)`.

    Raises:
        ValueError: if `x` is not 4-D or an argument is not an int or a pair.

    Example:

    >>> x = np.arange(16, dtype="float32").reshape(1, 1, 4, 4)
    >>> keras.ops.unfold(x, kernel_size=2, stride=2)
    tensor([[[ 0.,  2.,  8., 10.],
             [ 1.,  3.,  9., 11.],
             [ 4.,  6., 12., 14.],
             [ 5.,  7., 13., 15.]]])
    """
    x = _t(x)
    if x.dim() != 4:
        raise ValueError(f"unfold: `x` must be a 4D tensor (N, C, H, W). Received: "
                         f"x.shape={tuple(x.shape)}")
    return F.unfold(x, _pair_arg(kernel_size, "kernel_size"), _pair_arg(dilation, "dilation"),
                    _pair_arg(padding, "padding"), _pair_arg(stride, "stride"))


@op
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combines sliding blocks back into a channels-first image (col2im), the inverse layout of `unfold`.

    As `torch.nn.Fold`: values of overlapping blocks are summed.

    Args:
        x: Tensor of shape `(N, C * kh * kw, L)`.
        output_size: An int or a pair: the spatial size `(H, W)` of the image.
        kernel_size: An int or a pair: the block size `(kh, kw)`.
        dilation: An int or a pair. Default 1.
        padding: An int or a pair. Default 0.
        stride: An int or a pair. Default 1.

    Returns:
        A tensor of shape `(N, C, H, W)`.

    Raises:
        ValueError: if `x` is not 3-D or an argument is not an int or a pair.

    Example:

    >>> x = np.arange(16, dtype="float32").reshape(1, 1, 4, 4)
    >>> blocks = keras.ops.unfold(x, kernel_size=2, stride=2)
    >>> bool((keras.ops.fold(blocks, 4, kernel_size=2, stride=2) == keras.ops.convert_to_tensor(x)).all())
    True
    """
    x = _t(x)
    if x.dim() != 3:
        raise ValueError(f"fold: `x` must be a 3D tensor (N, C * kh * kw, L). Received: "
                         f"x.shape={tuple(x.shape)}")
    return F.fold(x, _pair_arg(output_size, "output_size"), _pair_arg(kernel_size, "kernel_size"),
                  _pair_arg(dilation, "dilation"), _pair_arg(padding, "padding"),
                  _pair_arg(stride, "stride"))


def _block_args(x, block_size, data_format, name):
    x = _t(x)
    if isinstance(block_size, bool) or int(block_size) != block_size or block_size < 2:
        raise ValueError(f"{name}: `block_size` must be an integer >= 2. "
                         f"Received: block_size={block_size!r}")
    if x.dim() != 4:
        raise ValueError(f"{name}: `x` must be a 4D tensor. Received: x.shape={tuple(x.shape)}")
    data_format = _data_format(data_format)
    return x, int(block_size), data_format == "channels_last"


@op
def depth_to_space(x, block_size, data_format="channels_last"):
    """Moves channel blocks into spatial blocks (TensorFlow's `depth_to_space`).

    `(N, H, W, C)` becomes `(N, H * b, W * b, C / b**2)`: each pixel's channels
    fill a `b x b` block of output pixels. The inverse of `space_to_depth`.

    Args:
        x: 4-D tensor.
        block_size: The block size `b` (an int >= 2); the channels must be
            divisible by `b**2`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        A 4-D tensor.

    Raises:
        ValueError: for a bad `block_size`, a non-4-D `x` or indivisible
            channels.

    Example:

    >>> keras.ops.depth_to_space(np.arange(4).reshape(1, 1, 1, 4), 2)[0, :, :, 0]
    tensor([[0, 1],
            [2, 3]])
    """
    x, b, last = _block_args(x, block_size, data_format, "depth_to_space")
    if last:
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if c % (b * b):
        raise ValueError(f"depth_to_space: the number of channels ({c}) must be divisible by "
                         f"block_size**2 ({b * b}).")
    if last:
        y = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
        return y.reshape(n, h * b, w * b, c // (b * b))
    y = x.reshape(n, c // (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3)
    return y.reshape(n, c // (b * b), h * b, w * b)


@op
def space_to_depth(x, block_size, data_format="channels_last"):
    """Moves spatial blocks into channels (TensorFlow's `space_to_depth`).

    `(N, H, W, C)` becomes `(N, H / b, W / b, C * b**2)`: each `b x b` block of
    pixels becomes one pixel with the block's values as channels. The inverse
    of `depth_to_space`.

    Args:
        x: 4-D tensor.
        block_size: The block size `b` (an int >= 2); the height and width must
            be divisible by `b`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        A 4-D tensor.

    Raises:
        ValueError: for a bad `block_size`, a non-4-D `x` or indivisible
            height or width.

    Example:

    >>> keras.ops.space_to_depth(np.arange(4).reshape(1, 2, 2, 1), 2)
    tensor([[[[0, 1, 2, 3]]]])
    """
    x, b, last = _block_args(x, block_size, data_format, "space_to_depth")
    if last:
        n, h, w, c = x.shape
    else:
        n, c, h, w = x.shape
    if h % b or w % b:
        raise ValueError(f"space_to_depth: height ({h}) and width ({w}) must be divisible by "
                         f"block_size ({b}).")
    if last:
        y = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
        return y.reshape(n, h // b, w // b, c * b * b)
    y = x.reshape(n, c, h // b, b, w // b, b).permute(0, 1, 3, 5, 2, 4)
    return y.reshape(n, c * b * b, h // b, w // b)


# -- attention -------------------------------------------------------------------
@op
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention: `softmax(query . key^T * scale + bias) . value`.

    Runs `torch.nn.functional.scaled_dot_product_attention` on the
    `(batch, heads, seq, head_dim)` transposes of the inputs. When there are
    fewer key/value heads than query heads (grouped-query attention), each
    key/value head serves `query_heads / kv_heads` query heads. Integer inputs
    are computed in `floatx()`.

    Args:
        query: Tensor `(batch, query_len, heads, head_dim)`.
        key: Tensor `(batch, key_len, kv_heads, head_dim)`.
        value: Tensor `(batch, key_len, kv_heads, value_dim)`.
        bias: Optional tensor added to the attention logits, broadcastable to
            `(batch, heads, query_len, key_len)`. Exclusive with `mask`.
        mask: Optional boolean tensor broadcastable to
            `(batch, heads, query_len, key_len)`: `True` where attention is
            allowed. Exclusive with `bias`.
        scale: The factor applied to the logits; `None` (default) means
            `1 / sqrt(head_dim)`.
        is_causal: If `True`, query position `i` attends only to keys `0..i`
            (combined with `mask` when both are given). Default `False`.
        flash_attention: `True` forces torch's flash kernel (CUDA only);
            `None` or `False` lets torch choose.
        attn_logits_soft_cap: Must be `None` (a feature of Keras's JAX backend
            on TPU).

    Returns:
        A tensor `(batch, query_len, heads, value_dim)`.

    Raises:
        ValueError: if the inputs are not 4-D, both `bias` and `mask` are
            given, the heads do not divide, or `attn_logits_soft_cap` is set.
        RuntimeError: if `flash_attention=True` off CUDA.

    Example:

    >>> q = np.ones((2, 5, 4, 8), dtype="float32")
    >>> kv = np.ones((2, 7, 2, 8), dtype="float32")
    >>> keras.ops.dot_product_attention(q, kv, kv).shape
    torch.Size([2, 5, 4, 8])
    >>> keras.ops.dot_product_attention(q, q, q, is_causal=True).shape
    torch.Size([2, 5, 4, 8])
    """
    if attn_logits_soft_cap is not None:
        raise ValueError("dot_product_attention: `attn_logits_soft_cap` is only supported by "
                         "Keras's JAX backend on TPU; pass attn_logits_soft_cap=None.")
    query, key, value = _t(query), _t(key), _t(value)
    if query.dim() != 4 or key.dim() != 4 or value.dim() != 4:
        raise ValueError("dot_product_attention: `query`, `key` and `value` must be 4D "
                         "(batch, sequence, heads, head_dim). Received: "
                         f"query.shape={tuple(query.shape)}, key.shape={tuple(key.shape)}, "
                         f"value.shape={tuple(value.shape)}")
    if bias is not None and mask is not None:
        raise ValueError("dot_product_attention: pass `bias` or `mask`, not both.")
    dtype = torch.promote_types(torch.promote_types(query.dtype, key.dtype), value.dtype)
    if not dtype.is_floating_point:
        dtype = _floatx()
    query, key, value = query.to(dtype), key.to(dtype), value.to(dtype)
    attn_mask = None
    if mask is not None:
        mask = _t(mask).to(torch.bool)
        if is_causal:
            causal = torch.ones((query.shape[1], key.shape[1]), dtype=torch.bool,
                                device=mask.device).tril()
            mask = mask & causal
            is_causal = False
        large_negative = -0.7 * (65500.0 if dtype == torch.float16 else 3.38953e38)
        attn_mask = torch.where(mask, torch.tensor(0.0, dtype=dtype),
                                torch.tensor(large_negative, dtype=dtype))
    if bias is not None:
        attn_mask = _t(bias).to(dtype)
    q, k, v = (t.transpose(1, 2) for t in (query, key, value))
    q_heads, kv_heads = q.shape[1], k.shape[1]
    if q_heads > kv_heads > 1:
        if q_heads % kv_heads:
            raise ValueError(f"dot_product_attention: the query heads ({q_heads}) must be a "
                             f"multiple of the key/value heads ({kv_heads}).")
        k = k.repeat_interleave(q_heads // kv_heads, dim=1)
        v = v.repeat_interleave(q_heads // kv_heads, dim=1)
    if flash_attention:
        from torch.nn.attention import SDPBackend, sdpa_kernel
        if q.device.type != "cuda":
            raise RuntimeError("dot_product_attention: flash attention needs a CUDA device; "
                               "these inputs are on " f"{q.device.type!r}. Pass "
                               "flash_attention=None or False.")
        with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,
                                                 is_causal=bool(is_causal), scale=scale)
    else:
        out = F.scaled_dot_product_attention(
            q.contiguous(), k.contiguous(), v.contiguous(),
            attn_mask=None if attn_mask is None else attn_mask.contiguous(),
            is_causal=bool(is_causal), scale=scale)
    return out.transpose(1, 2)


# -- CTC ---------------------------------------------------------------------------
@op
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification (CTC) loss, per sample.

    The negative log probability of `target` summed over every alignment of it
    to the `output` steps (with blanks and repeats), as `torch.nn.functional.
    ctc_loss` with no reduction. `output` holds logits: the log-softmax is
    applied here. Non-float32/64 logits are computed in float32.

    Args:
        target: Integer tensor `(batch, max_label_length)` of label ids
            (padding beyond `target_length` is ignored).
        output: Tensor `(batch, max_time, num_classes)` of logits.
        target_length: Integer tensor `(batch,)`: the length of each label
            sequence.
        output_length: Integer tensor `(batch,)`: the number of valid steps of
            each output.
        mask_index: The class id of the blank label. Default 0.

    Returns:
        A tensor `(batch,)` of losses.

    Raises:
        ValueError: for inputs of the wrong rank or batch size.

    Example:

    >>> logits = np.zeros((1, 4, 3), dtype="float32")
    >>> keras.ops.ctc_loss(np.array([[1, 2]]), logits, np.array([2]), np.array([4]))
    tensor([1.6864])
    """
    target, output = _t(target), _t(output)
    # A batch of one may give its lengths as scalars.
    target_length, output_length = _t(target_length).reshape(-1), _t(output_length).reshape(-1)
    if output.dim() != 3:
        raise ValueError("ctc_loss: `output` must be 3D (batch, max_time, num_classes). "
                         f"Received: output.shape={tuple(output.shape)}")
    if target.dim() != 2:
        raise ValueError("ctc_loss: `target` must be 2D (batch, max_label_length). "
                         f"Received: target.shape={tuple(target.shape)}")
    for name, t in (("target", target), ("target_length", target_length),
                    ("output_length", output_length)):
        if t.shape[0] != output.shape[0]:
            raise ValueError(f"ctc_loss: `{name}` and `output` must have the same first "
                             f"dimension. Received: {name}.shape={tuple(t.shape)}, "
                             f"output.shape={tuple(output.shape)}")
    if output.dtype not in (torch.float32, torch.float64):
        output = output.to(torch.float32)
    log_probs = torch.log_softmax(output.transpose(0, 1), dim=-1)
    return F.ctc_loss(log_probs, target.long(), output_length.long(), target_length.long(),
                      blank=int(mask_index), reduction="none")


def _ctc_greedy(inputs, lengths, merge_repeated, mask_index):
    batch, max_time, num_classes = inputs.shape
    best = torch.argmax(inputs, dim=-1).to(torch.int32)
    best_scores = torch.amax(inputs, dim=-1)
    outside = torch.arange(max_time, device=inputs.device)[None, :] >= lengths[:, None]
    best = torch.where(outside, torch.tensor(mask_index, dtype=torch.int32), best)
    best_scores = torch.where(outside, torch.zeros_like(best_scores), best_scores)
    if merge_repeated:
        repeated = torch.zeros_like(outside)
        repeated[:, 1:] = best[:, 1:] == best[:, :-1]
        best = torch.where(repeated, torch.tensor(mask_index, dtype=torch.int32), best)
    blank = best == mask_index
    # Labels move to the front in their order; blanks become -1 at the end.
    position = torch.arange(max_time, device=inputs.device).expand(batch, max_time)
    order = torch.argsort(torch.where(blank, max_time, position), dim=-1, stable=True)
    decoded = torch.gather(torch.where(blank, torch.tensor(-1, dtype=torch.int32), best), 1,
                           order)
    return decoded.unsqueeze(0), -torch.sum(best_scores, dim=1, keepdim=True)


def _log_merge(groups, scores, n_groups):
    """log(sum(exp(scores))) per group, with the shift by the overall maximum
    (a group holding only -inf gets -inf)."""
    top = torch.max(scores)
    total = torch.zeros(n_groups, dtype=scores.dtype)
    total.scatter_add_(0, groups, torch.exp(scores - top))
    return torch.log(total) + top


def _dedupe_paths(paths):
    """(distinct rows of `paths`, index of each row's distinct row)."""
    unique, inverse = torch.unique(paths, dim=0, return_inverse=True)
    return unique, inverse


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index):
    """Prefix beam search. Each beam entry is a label path plus whether its
    last step was the blank (then a repeated class starts a new label); the
    probabilities of entries reaching the same path are summed, separately
    for paths ending in a blank and in a label."""
    batch, max_time, num_classes = inputs.shape
    log_probs = torch.log_softmax(inputs, dim=-1)
    pad = -1
    all_paths, all_scores = [], []
    classes = torch.arange(num_classes, dtype=torch.int64)
    for b in range(batch):
        x = log_probs[b]
        n_init = min(num_classes, beam_width)
        first = torch.argsort(x[0], descending=True, stable=True)[:n_init]
        paths = torch.full((n_init, max_time), pad, dtype=torch.int64)
        paths[:, 0] = torch.where(first == mask_index, pad, first)
        scores = x[0, first]
        ends_blank = first == mask_index
        for t in range(1, int(lengths[b])):
            n = paths.shape[0]
            # Extend every entry by every class.
            ext = paths.repeat_interleave(num_classes, dim=0)
            ext_scores = scores.repeat_interleave(num_classes) + x[t].repeat(n)
            prev_blank = ends_blank.repeat_interleave(num_classes)
            c = classes.repeat(n)
            tail_at = (paths == pad).to(torch.int64).argmax(dim=1)
            tail_at = torch.where((paths != pad).all(dim=1), max_time, tail_at)
            tail = torch.where(tail_at > 0, paths.gather(1, (tail_at - 1).clamp(min=0)[:, None])[:, 0],
                               torch.full_like(tail_at, pad)).repeat_interleave(num_classes)
            at = tail_at.repeat_interleave(num_classes)
            is_blank = c == mask_index
            merged = ~prev_blank & (tail == c)
            grow = ~is_blank & ~merged & (at < max_time)
            rows = torch.nonzero(grow)[:, 0]
            ext[rows, at[rows]] = c[rows]
            # Sum the entries that reach the same path, per ending.
            unique, inverse = _dedupe_paths(ext)
            neg_inf = torch.tensor(float("-inf"), dtype=ext_scores.dtype)
            label_scores = _log_merge(inverse, torch.where(is_blank, neg_inf, ext_scores),
                                      unique.shape[0])
            blank_scores = _log_merge(inverse, torch.where(is_blank, ext_scores, neg_inf),
                                      unique.shape[0])
            total = torch.logaddexp(label_scores, blank_scores)
            keep = torch.argsort(total, descending=True, stable=True)[:beam_width]
            kept = unique[keep]
            paths = torch.cat([kept, kept])
            scores = torch.cat([label_scores[keep], blank_scores[keep]])
            ends_blank = torch.cat([torch.zeros(len(keep), dtype=torch.bool),
                                    torch.ones(len(keep), dtype=torch.bool)])
        unique, inverse = _dedupe_paths(paths)
        final = _log_merge(inverse, scores, unique.shape[0])
        best = torch.argsort(final, descending=True, stable=True)[:top_paths]
        chosen_paths, chosen_scores = unique[best], final[best]
        if len(best) < top_paths:
            missing = top_paths - len(best)
            chosen_paths = torch.cat([chosen_paths,
                                      torch.full((missing, max_time), pad, dtype=torch.int64)])
            chosen_scores = torch.cat([chosen_scores, torch.full((missing,), float("-inf"),
                                                                 dtype=final.dtype)])
        all_paths.append(chosen_paths)
        all_scores.append(chosen_scores)
    paths = torch.stack(all_paths, dim=1).to(torch.int32)
    return paths, torch.stack(all_scores, dim=0)


@op
def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decodes CTC outputs into label sequences.

    `"greedy"` takes the best class at each step, merges repeated classes
    (when `merge_repeated`) and removes blanks. `"beam_search"` runs a prefix
    beam search over the log-softmax of `inputs` and returns the `top_paths`
    most probable label sequences. Steps beyond `sequence_lengths` are ignored.

    Args:
        inputs: Tensor `(batch, max_time, num_classes)` of logits (or
            probabilities, for greedy decoding).
        sequence_lengths: Integer tensor `(batch,)` of valid steps.
        strategy: `"greedy"` (default) or `"beam_search"`.
        beam_width: Beams kept per step in beam search (>= 1). Default 100.
        top_paths: Number of sequences returned by beam search (>= 1).
            Default 1.
        merge_repeated: Whether greedy decoding merges repeated classes.
            Default `True`.
        mask_index: The class id of the blank label; `None` means the last
            class. Default 0.

    Returns:
        A tuple `(decoded, scores)`: `decoded` is an int32 tensor
        `(top_paths, batch, max_time)` of labels padded with -1 (`top_paths` is
        1 for greedy); `scores` is `(batch, top_paths)`: for greedy minus the sum
        of the chosen logits, for beam search the log probabilities.

    Raises:
        ValueError: for a non-3-D `inputs`, an unknown `strategy`, or
            `beam_width`/`top_paths` below 1.

    Example:

    >>> logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1],
    ...                             [0.1, 0.1, 0.8]]], dtype="float32"))
    >>> decoded, scores = keras.ops.ctc_decode(logits, np.array([4]))
    >>> decoded
    tensor([[[ 1,  2, -1, -1]]], dtype=torch.int32)
    """
    inputs = _t(inputs)
    if inputs.dim() != 3:
        raise ValueError("ctc_decode: `inputs` must be 3D (batch, max_time, num_classes). "
                         f"Received: inputs.shape={tuple(inputs.shape)}")
    if inputs.dtype not in (torch.float32, torch.float64):
        inputs = inputs.to(torch.float32)
    lengths = _t(sequence_lengths).to(torch.int64).reshape(-1)
    if mask_index is None:
        mask_index = inputs.shape[-1] - 1
    mask_index = int(mask_index)
    if strategy == "greedy":
        return _ctc_greedy(inputs, lengths, bool(merge_repeated), mask_index)
    if strategy == "beam_search":
        if int(beam_width) < 1 or int(top_paths) < 1:
            raise ValueError("ctc_decode: `beam_width` and `top_paths` must be >= 1. Received: "
                             f"beam_width={beam_width}, top_paths={top_paths}")
        return _ctc_beam_search(inputs.detach().cpu(), lengths.cpu(), int(beam_width),
                                int(top_paths), mask_index)
    raise ValueError("ctc_decode: `strategy` must be 'greedy' or 'beam_search'. "
                     f"Received: strategy={strategy!r}")
