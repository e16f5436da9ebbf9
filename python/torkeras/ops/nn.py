"""Neural-network ops (`keras.ops.softmax`, `one_hot`, crossentropies, ...)."""

import torch
import torch.nn.functional as F

from torkeras import config, dtypes
from torkeras.ops.core import _axis, _floatx, _t, _to_float, op


@op
def relu(x):
    return torch.relu(_t(x))


@op
def relu6(x):
    return F.relu6(_t(x))


@op
def sigmoid(x):
    return torch.sigmoid(_to_float(_t(x)))


@op
def hard_sigmoid(x):
    return F.hardsigmoid(_to_float(_t(x)))


@op
def softplus(x):
    return F.softplus(_to_float(_t(x)))


@op
def softsign(x):
    return F.softsign(_to_float(_t(x)))


@op
def silu(x):
    return F.silu(_to_float(_t(x)))


swish = silu


@op
def gelu(x, approximate=True):
    return F.gelu(_to_float(_t(x)), approximate="tanh" if approximate else "none")


@op
def elu(x, alpha=1.0):
    return F.elu(_to_float(_t(x)), alpha)


@op
def selu(x):
    return F.selu(_to_float(_t(x)))


@op
def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_to_float(_t(x)), negative_slope)


@op
def log_sigmoid(x):
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
    return _softmax_like(torch.softmax, x, axis)


@op
def log_softmax(x, axis=-1):
    return _softmax_like(torch.log_softmax, x, axis)


@op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
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
def multi_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = _t(x)
    reduction_axis = 1 if x.dim() > 1 else 0
    out = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return torch.amax(out, dim=reduction_axis)


@op
def normalize(x, axis=-1, order=2, epsilon=None):
    x = _to_float(_t(x))
    eps = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        square_sum = torch.sum(x * x, dim=axis, keepdim=True)
        return x * torch.rsqrt(torch.clamp(square_sum, min=eps))
    norm_ = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm_, min=eps)


@op
def moments(x, axes, keepdims=False, synchronized=False):
    x = _t(x)
    axes = _axis(axes)
    upcast = x.dtype in (torch.float16, torch.bfloat16)
    xc = x.float() if upcast else _to_float(x)
    variance, mean_ = torch.var_mean(xc, dim=axes, correction=0, keepdim=keepdims)
    if upcast:
        mean_, variance = mean_.to(x.dtype), variance.to(x.dtype)
    return mean_, variance


@op
def top_k(x, k, sorted=True):
    values, indices = torch.topk(_t(x), int(k), dim=-1, largest=True, sorted=bool(sorted))
    return values, indices.to(torch.int32)


@op
def in_top_k(targets, predictions, k):
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
    target, output = _t(target), _to_float(_t(output))
    if target.shape != output.shape:
        raise ValueError("categorical_crossentropy: `target` and `output` must have the same "
                         f"shape; received {tuple(target.shape)} and {tuple(output.shape)}")
    return -torch.sum(target.to(output.dtype) * _log_probs(output, from_logits, axis), dim=axis)


@op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
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
    target, output = _t(target), _to_float(_t(output))
    target = target.to(output.dtype)
    if target.shape != output.shape:
        raise ValueError("binary_crossentropy: `target` and `output` must have the same shape; "
                         f"received {tuple(target.shape)} and {tuple(output.shape)}")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    eps = config.epsilon()
    return F.binary_cross_entropy(torch.clamp(output, eps, 1.0 - eps), target, reduction="none")
