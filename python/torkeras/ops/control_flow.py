"""Keras's core ops that are not NumPy functions: control flow (`cond`,
`switch`, `while_loop`, `fori_loop`, `scan`, `associative_scan`, `map`,
`vectorized_map`), `custom_gradient`, scatter/slice updates, `unstack`,
`saturate_cast` and `rearrange`.

Control flow runs eagerly (Python loops and branches on torch tensors), as in
Keras 3's torch backend, so it works in a custom `train_step` and with
autograd; the functions may be Python or R functions. Called on KerasTensors,
the ops build graph nodes like the other ops.
"""

import builtins
import functools
import inspect
import re

import numpy as np
import torch

from torkeras import dtypes
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.ops.core import _t, convert_to_tensor, op
from torkeras.utils import tree
from torkeras.variables import Variable

__all__ = ["associative_scan", "cond", "custom_gradient", "fori_loop", "map", "rearrange",
           "saturate_cast", "scan", "scatter", "scatter_update", "slice", "slice_update",
           "switch", "unstack", "vectorized_map", "while_loop"]


def _check_callable(fn, name):
    if not callable(fn):
        raise TypeError(f"`{name}` should be a callable. Received: {name}={fn!r}")


def _to_tensor(x):
    return x if isinstance(x, (torch.Tensor, KerasTensor)) else convert_to_tensor(x)


def _stack_structures(items, axis=0):
    """Stacks a list of equally nested structures leaf by leaf."""
    flats = [tree.flatten(item) for item in items]
    stacked = [torch.stack([_to_tensor(leaf) for leaf in leaves], dim=axis)
               for leaves in zip(*flats)]
    return tree.pack_like(items[0], stacked)


# -- branches -----------------------------------------------------------------------
@op
def cond(pred, true_fn, false_fn):
    """Calls `true_fn()` when `pred` is true, else `false_fn()`.

    Only the chosen function runs (eagerly, in Python).

    Args:
        pred: A boolean scalar (Python bool or 0-d / one-element tensor).
        true_fn: Function without arguments, called when `pred` is true.
        false_fn: Function without arguments, called when `pred` is false.

    Returns:
        What the chosen function returns.

    Raises:
        ValueError: if `pred` is a tensor of more than one element.
        TypeError: if `true_fn` or `false_fn` is not callable.

    Example:

    >>> x = keras.ops.convert_to_tensor([1.0, -2.0])
    >>> keras.ops.cond(keras.ops.sum(x) > 0, lambda: x * 2, lambda: -x)
    tensor([-1.,  2.])
    """
    _check_callable(true_fn, "true_fn")
    _check_callable(false_fn, "false_fn")
    if isinstance(pred, torch.Tensor) and pred.numel() != 1:
        raise ValueError(f"`pred` must be a scalar. Received a tensor of shape "
                         f"{tuple(pred.shape)}")
    return true_fn() if bool(pred) else false_fn()


@op
def switch(index, branches, *operands):
    """Calls `branches[index](*operands)`.

    Args:
        index: Integer scalar; clamped to `[0, len(branches) - 1]`.
        branches: Sequence of functions taking `*operands`.
        *operands: Arguments of the chosen branch.

    Returns:
        What the chosen branch returns.

    Example:

    >>> branches = [lambda x: x + 1, lambda x: x * 10]
    >>> keras.ops.switch(1, branches, keras.ops.convert_to_tensor([1, 2]))
    tensor([10, 20], dtype=torch.int32)
    """
    branches = list(branches)
    if not branches:
        raise ValueError("`branches` must hold at least one function.")
    for i, b in enumerate(branches):
        _check_callable(b, f"branches[{i}]")
    if isinstance(index, (torch.Tensor, Variable)) or not isinstance(index, int):
        index = _t(index)
        if index.numel() != 1:
            raise ValueError(f"`index` must be a scalar. Received shape {tuple(index.shape)}")
        index = int(index.reshape(()).item())
    index = builtins.min(builtins.max(index, 0), len(branches) - 1)
    return branches[index](*operands)


# -- loops ------------------------------------------------------------------------------
@op
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true.

    Args:
        cond: Function of the loop variables returning a boolean scalar.
        body: Function of the loop variables returning their new values (same
            structure).
        loop_vars: A tensor, or a tuple/list of tensors.
        maximum_iterations: Stop after this many iterations (`None`: no limit).

    Returns:
        The final loop variables (a tuple when `loop_vars` was a tuple or list).

    Example:

    >>> keras.ops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (0, 0))
    (tensor(4, dtype=torch.int32), tensor(6, dtype=torch.int32))
    """
    _check_callable(cond, "cond")
    _check_callable(body, "body")
    if maximum_iterations is not None:
        maximum_iterations = int(maximum_iterations)
    many = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if many else (loop_vars,)
    values = tree.map_structure(_to_tensor, values)
    done = 0
    while (maximum_iterations is None or done < maximum_iterations) and bool(cond(*values)):
        values = body(*values)
        values = tuple(values) if isinstance(values, (tuple, list)) else (values,)
        done += 1
    return values if many else values[0]


def _loop_bound(value, name):
    if isinstance(value, torch.Tensor):
        value = value.item()
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"`{name}` must be an integer. Received: {name}={value}")
        value = int(value)
    if not isinstance(value, int):
        raise TypeError(f"`{name}` must be an integer. Received: {name}={value!r}")
    return value


@op
def fori_loop(lower, upper, body_fun, init_val):
    """Runs `val = body_fun(i, val)` for `i` in `range(lower, upper)`.

    Args:
        lower: First value of the loop counter (an integer).
        upper: The loop stops before this value.
        body_fun: Function `(i, val) -> new val`.
        init_val: Initial value of the loop state.

    Returns:
        The final state.

    Example:

    >>> keras.ops.fori_loop(0, 5, lambda i, total: total + i, 0)
    10
    """
    _check_callable(body_fun, "body_fun")
    val = init_val
    for i in range(_loop_bound(lower, "lower"), _loop_bound(upper, "upper")):
        val = body_fun(i, val)
    return val


def _leading_size(xs):
    leaves = tree.flatten(xs)
    if not leaves:
        raise ValueError("`xs` holds no tensors to scan over.")
    return leaves[0].shape[0]


@op
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`.

    Args:
        f: Function `(carry, x) -> (new_carry, y)`; `carry` has the
            structure of `init`.
        init: Initial carry (a tensor or a nested structure of tensors).
        xs: Tensor(s) scanned along their first axis, or `None` (then `f`
            gets `x=None` and `length` steps run).
        length: Number of steps (default: the leading size of `xs`).
        reverse: Scan from the last element to the first (results stay in
            input order).
        unroll: Accepted for Keras compatibility (a positive int or a bool);
            the loop always runs eagerly.

    Returns:
        `(final_carry, ys)`, `ys` the `y`s stacked on a new first axis.

    Example:

    >>> def step(carry, x):
    ...     carry = carry + x
    ...     return carry, carry * 2
    ...
    >>> keras.ops.scan(step, 0.0, keras.ops.convert_to_tensor([1.0, 2.0, 3.0]))
    (tensor(6.), tensor([ 2.,  6., 12.]))
    """
    _check_callable(f, "f")
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be an positive integer or boolean. "
                         f"Received: unroll={unroll}")
    if xs is None and length is None:
        raise ValueError("Got no `xs` to scan over and `length` not provided.")
    if xs is None:
        xs_flat, n = [], int(length)
    else:
        xs_flat = [_to_tensor(x) for x in tree.flatten(xs)]
        if any(x.dim() == 0 for x in xs_flat):
            raise ValueError("`xs` must hold tensors with a leading axis to scan over (a list "
                             "of numbers is a structure of scalars: convert it to one tensor "
                             "first).")
        n = int(length) if length is not None else _leading_size(xs_flat)
    nested_xs = tree.is_nested(xs)
    init_flat = [_to_tensor(i) for i in tree.flatten(init)]
    carry = tree.pack_like(init, init_flat) if tree.is_nested(init) else init_flat[0]
    steps = range(n - 1, -1, -1) if reverse else range(n)
    ys = []
    for i in steps:
        if xs_flat:
            row = [x[i] for x in xs_flat]
            x_i = tree.pack_like(xs, row) if nested_xs else row[0]
        else:
            x_i = None
        out = f(carry, x_i)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise ValueError("`f` must return a pair (new_carry, y).")
        carry, y = out
        ys.append(y if y is not None else [torch.zeros_like(t) for t in init_flat])
    if reverse:
        ys.reverse()
    if not ys:
        return carry, None
    return carry, _stack_structures(ys)


@op
def map(f, xs):
    """Applies `f` to each element of `xs` along its first axis and stacks the results.

    Args:
        f: Function of one element (a tensor, or the structure of `xs`).
        xs: Tensor, or nested structure of tensors with the same leading size.

    Returns:
        The stacked outputs of `f`.

    Example:

    >>> keras.ops.map(lambda row: keras.ops.sum(row), np.array([[1, 2], [3, 4]]))
    tensor([3, 7])
    """
    _check_callable(f, "f")
    _, ys = scan(lambda carry, x: ((), f(x)), (), xs)
    return ys


def _take(x, axis, start, stop=None, step=1):
    index = [builtins.slice(None)] * x.dim()
    index[axis] = builtins.slice(start, stop, step)
    return x[tuple(index)]


def _interleave(a, b, axis):
    """a[0], b[0], a[1], b[1], ... along `axis` (len(a) == len(b) or len(b) + 1)."""
    na, nb = a.shape[axis], b.shape[axis]
    if na == nb:
        return torch.stack([a, b], dim=axis + 1).flatten(axis, axis + 1)
    head = torch.stack([_take(a, axis, 0, nb), b], dim=axis + 1).flatten(axis, axis + 1)
    return torch.cat([head, _take(a, axis, nb)], dim=axis)


@op
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix scan of `elems` with an associative binary function.

    Computes `out[i] = f(f(...f(elems[0], elems[1])...), elems[i])` along
    `axis` with the parallel (odd/even) algorithm of `jax.lax.associative_scan`,
    which applies `f` to whole slices at once.

    Args:
        f: Associative function `(a, b) -> c` on the structure of `elems`,
            applied element-wise to slices.
        elems: Tensor or nested structure of tensors of equal size along `axis`.
        reverse: Scan from the end.
        axis: The scanned axis.

    Returns:
        The prefix results, same structure and shapes as `elems`.

    Example:

    >>> keras.ops.associative_scan(lambda a, b: a + b, keras.ops.convert_to_tensor([1, 2, 3, 4]))
    tensor([ 1,  3,  6, 10], dtype=torch.int32)
    """
    _check_callable(f, "f")
    flat = [_to_tensor(e) for e in tree.flatten(elems)]
    if not flat:
        raise ValueError("`elems` holds no tensors.")
    if any(e.dim() == 0 for e in flat):
        raise ValueError("`elems` must hold tensors of rank >= 1 (a list of numbers is a "
                         "structure of scalars: convert it to one tensor first).")
    axis = int(axis) % flat[0].dim()
    n = flat[0].shape[axis]
    if any(e.shape[axis] != n for e in flat[1:]):
        raise ValueError("Array inputs to associative_scan must have the same size along "
                         f"`axis`. Saw shapes: {[tuple(e.shape) for e in flat]}")
    if reverse:
        flat = [torch.flip(e, (axis,)) for e in flat]

    def combine(a, b):
        out = f(tree.pack_like(elems, a), tree.pack_like(elems, b))
        return [_to_tensor(o) for o in tree.flatten(out)]

    def run(parts):
        size = parts[0].shape[axis]
        if size < 2:
            return parts
        pairs = combine([_take(e, axis, 0, -1, 2) for e in parts],
                        [_take(e, axis, 1, None, 2) for e in parts])
        odd = run(pairs)
        if size % 2 == 0:
            even = combine([_take(o, axis, 0, -1) for o in odd],
                           [_take(e, axis, 2, None, 2) for e in parts])
        else:
            even = combine(odd, [_take(e, axis, 2, None, 2) for e in parts])
        even = [torch.cat([_take(e, axis, 0, 1), r], dim=axis) for e, r in zip(parts, even)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    result = run(flat)
    if reverse:
        result = [torch.flip(r, (axis,)) for r in result]
    return tree.pack_like(elems, result)


@op
def vectorized_map(function, elements):
    """Maps `function` over the first axis of `elements` in one vectorized call
    (`torch.vmap`).

    Args:
        function: Function of one element (a tensor, or the structure of
            `elements`); it must be vmap-compatible (no data-dependent Python
            control flow, no conversion to NumPy).
        elements: Tensor or nested structure of tensors.

    Returns:
        The outputs stacked on a new first axis.

    Example:

    >>> keras.ops.vectorized_map(lambda row: row * keras.ops.sum(row), keras.ops.convert_to_tensor([[1.0, 1.0], [2.0, 3.0]]))
    tensor([[ 2.,  2.],
            [10., 15.]])
    """
    _check_callable(function, "function")
    elements = tree.map_structure(_to_tensor, elements)
    return torch.vmap(function)(elements)


# -- custom gradients --------------------------------------------------------------------
def _passes_upstream_by_name(grad_fn, args):
    """Whether `grad_fn(*args, upstream=...)` (Keras on torch) binds; otherwise it
    is called `grad_fn(upstream)` (TensorFlow/JAX style)."""
    try:
        signature = inspect.signature(grad_fn)
    except (TypeError, ValueError):
        return True  # e.g. an R function: Keras's convention
    try:
        signature.bind(*args, upstream=None)
        return True
    except TypeError:
        return False


class _CustomGradientFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, f, kwargs, *args):
        result = f(*args, **kwargs)
        if not isinstance(result, (tuple, list)) or len(result) != 2 or not callable(result[1]):
            raise ValueError("A function decorated with `custom_gradient` must return a pair "
                             "(output, grad_fn). Received: "
                             f"{type(result).__name__}")
        output, grad_fn = result
        ctx.grad_fn = grad_fn
        ctx.args = args
        ctx.many = isinstance(output, (tuple, list))
        if ctx.many:
            return tuple(_to_tensor(o) for o in output)
        return _to_tensor(output)

    @staticmethod
    def backward(ctx, *upstream):
        grad_fn = ctx.grad_fn
        up = upstream if ctx.many else upstream[0]
        if _passes_upstream_by_name(grad_fn, ctx.args):
            grads = grad_fn(*ctx.args, upstream=up)
        else:
            grads = grad_fn(up)
        if not isinstance(grads, (tuple, list)):
            grads = (grads,)
        grads = list(grads)
        out = [None, None]
        for i, arg in enumerate(ctx.args):
            g = grads[i] if i < len(grads) else None
            if g is not None and isinstance(arg, torch.Tensor):
                g = _to_tensor(g)
                if g.dtype != arg.dtype and arg.is_floating_point():
                    g = g.to(arg.dtype)
            else:
                g = None
            out.append(g)
        return tuple(out)


def custom_gradient(f):
    """Decorator giving a function its own gradient.

    `f(*args)` returns `(output, grad_fn)`. On the backward pass,
    `grad_fn(*args, upstream=upstream)` (as in Keras 3 on torch) returns the
    gradients with respect to each argument (one tensor, or a tuple for several
    arguments); a `grad_fn` without an `upstream` parameter or `**kwargs` is
    called as `grad_fn(upstream)` (the TensorFlow/JAX style). `upstream` is the
    gradient of the loss with respect to the output (a tuple for several
    outputs). The forward computation is not differentiated by autograd.

    Args:
        f: The function to decorate.

    Returns:
        A function with the signature of `f` whose gradient is `grad_fn`'s.

    Example:

    >>> import torch
    >>> @keras.ops.custom_gradient
    ... def clipped_identity(x):
    ...     def grad_fn(*args, upstream=None):
    ...         return keras.ops.clip(upstream, -1.0, 1.0)
    ...     return x, grad_fn
    ...
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> (clipped_identity(x) * 5.0).sum().backward()
    >>> x.grad
    tensor([1., 1.])
    """
    _check_callable(f, "f")

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        args = tuple(a.value if isinstance(a, Variable) else a for a in args)
        return _CustomGradientFunction.apply(f, kwargs, *args)

    return wrapper


# -- scatter, slices and casts ---------------------------------------------------------------
def _index_tensor(indices):
    indices = _t(indices)
    if indices.is_floating_point():
        if not torch.equal(indices, torch.round(indices)):
            raise ValueError("`indices` must hold integers.")
    return indices.to(torch.int64)


@op
def scatter(indices, values, shape):
    """A zero tensor of `shape` with `values` added at `indices`.

    Args:
        indices: Integer tensor of shape `(..., k)`: each row is the index of a
            value (or, for `k < len(shape)`, of a slice). Duplicates add up.
        values: Tensor of shape `indices.shape[:-1] + shape[k:]`.
        shape: Shape of the output.

    Returns:
        Tensor of `shape`, with the dtype of `values`.

    Example:

    >>> keras.ops.scatter(np.array([[0, 1], [2, 0], [0, 1]]), np.array([1.0, 2.0, 3.0]), (3, 2))
    tensor([[0., 4.],
            [0., 0.],
            [2., 0.]])
    """
    indices = _index_tensor(indices)
    values = _t(values)
    shape = tuple(int(d) for d in (shape if isinstance(shape, (tuple, list)) else (shape,)))
    k = indices.shape[-1]
    if k > len(shape):
        raise ValueError(f"`indices` rows have {k} entries but `shape` has only {len(shape)} "
                         f"dimensions. Received: indices.shape={tuple(indices.shape)}, "
                         f"shape={shape}")
    out = torch.zeros(shape, dtype=values.dtype, device=values.device)
    rows = indices.reshape(-1, k)
    values = values.reshape((-1,) + shape[k:])
    return out.index_put_(tuple(rows.t()), values, accumulate=True)


_REDUCE = {"max": "amax", "min": "amin", "mul": "prod"}


@op
def scatter_update(inputs, indices, updates, reduction=None):
    """`inputs` with the entries (or slices) at `indices` replaced by `updates`.

    Args:
        inputs: Tensor of shape `(D1, ..., Dn)`.
        indices: Integer tensor of shape `(num_updates, k)`, `k <= n`.
        updates: Tensor of shape `(num_updates,) + inputs.shape[k:]`.
        reduction: `None` (replace), `"add"`, `"max"`, `"min"` or `"mul"`:
            combine each update with the current value instead.

    Returns:
        A new tensor with the shape and dtype of `inputs`.

    Example:

    >>> x = keras.ops.zeros((2, 3))
    >>> keras.ops.scatter_update(x, np.array([[0, 2], [1, 0]]), np.array([5.0, 7.0]))
    tensor([[0., 0., 5.],
            [7., 0., 0.]])
    """
    if reduction is not None:
        reduction = str(reduction).lower()
        if reduction not in ("add", "max", "min", "mul"):
            raise ValueError(f"Invalid reduction: {reduction}. Supported values are: None, "
                             "'add', 'max', 'min', 'mul'.")
    inputs = _t(inputs)
    indices = _index_tensor(indices)
    if indices.dim() == 1:
        indices = indices.reshape(-1, 1)
    updates = _t(updates).to(inputs.dtype)
    k = indices.shape[-1]
    if k > inputs.dim():
        raise ValueError(f"`indices` rows have {k} entries but `inputs` has rank "
                         f"{inputs.dim()}.")
    idx = tuple(indices.t())
    out = inputs.clone()
    if reduction is None:
        out[idx] = updates
        return out
    if reduction == "add":
        return out.index_put_(idx, updates, accumulate=True)
    lead = tuple(inputs.shape[:k])
    strides = torch.tensor([_pymath_prod(lead[i + 1:]) for i in range(k)], dtype=torch.int64,
                           device=indices.device)
    linear = (indices * strides).sum(-1)
    rest = tuple(inputs.shape[k:])
    flat = out.reshape((-1,) + rest)
    flat = flat.index_reduce(0, linear, updates.reshape((-1,) + rest), _REDUCE[reduction],
                             include_self=True)
    return flat.reshape(inputs.shape)


def _pymath_prod(values):
    result = 1
    for v in values:
        result *= int(v)
    return result


def _start_list(start_indices, rank):
    if isinstance(start_indices, (torch.Tensor, Variable, np.ndarray, np.generic)):
        start_indices = _t(start_indices).reshape(-1).tolist()
    elif isinstance(start_indices, (int, float)):
        start_indices = [start_indices]
    starts = []
    for s in start_indices:
        if isinstance(s, torch.Tensor):
            s = s.item()
        if isinstance(s, float) and s.is_integer():
            s = int(s)
        if not isinstance(s, int):
            raise TypeError(f"`start_indices` must hold integers. Received: {start_indices!r}")
        if s < 0:
            raise ValueError(f"`start_indices` must be >= 0. Received: {start_indices!r}")
        starts.append(s)
    if len(starts) != rank:
        raise ValueError("The number of `start_indices` must match the rank of `inputs`. "
                         f"Received start_indices={starts} for inputs of rank {rank}")
    return starts


@op
def slice(inputs, start_indices, shape):
    """The block of `inputs` of size `shape` starting at `start_indices`.

    Args:
        inputs: Tensor.
        start_indices: One start index per axis (0-based).
        shape: Size of the block along each axis; `-1` takes the rest of the axis.

    Returns:
        Tensor of shape `shape` (with `-1` entries resolved).

    Example:

    >>> x = keras.ops.reshape(keras.ops.arange(12), (3, 4))
    >>> keras.ops.slice(x, (1, 1), (2, -1))
    tensor([[ 5,  6,  7],
            [ 9, 10, 11]], dtype=torch.int32)
    """
    inputs = _t(inputs)
    starts = _start_list(start_indices, inputs.dim())
    if isinstance(shape, (torch.Tensor, np.ndarray)):
        shape = _t(shape).reshape(-1).tolist()
    sizes = shape if isinstance(shape, (tuple, list)) else (shape,)
    sizes = [int(s) for s in sizes]
    if len(sizes) != inputs.dim():
        raise ValueError("The number of dimensions in `inputs` must match the number of "
                         f"dimensions in `shape`. Received inputs.shape={tuple(inputs.shape)} "
                         f"and shape={tuple(sizes)}")
    index = tuple(builtins.slice(s, None if n == -1 else s + n) for s, n in zip(starts, sizes))
    return inputs[index]


@op
def slice_update(inputs, start_indices, updates):
    """`inputs` with the block starting at `start_indices` replaced by `updates`.

    Args:
        inputs: Tensor.
        start_indices: One start index per axis (0-based).
        updates: Tensor of the rank of `inputs`; its shape is the block's size.

    Returns:
        A new tensor with the shape and dtype of `inputs`.

    Example:

    >>> x = keras.ops.zeros((3, 3), dtype='int32')
    >>> keras.ops.slice_update(x, (1, 1), keras.ops.ones((2, 2), dtype='int32'))
    tensor([[0, 0, 0],
            [0, 1, 1],
            [0, 1, 1]], dtype=torch.int32)
    """
    inputs = _t(inputs)
    updates = _t(updates)
    if updates.dim() != inputs.dim():
        raise ValueError("`updates` must have the rank of `inputs`. Received: "
                         f"inputs.shape={tuple(inputs.shape)}, updates.shape="
                         f"{tuple(updates.shape)}")
    starts = _start_list(start_indices, inputs.dim())
    for s, n, d in zip(starts, updates.shape, inputs.shape):
        if s + n > d:
            raise ValueError("`updates` does not fit in `inputs` at `start_indices`: "
                             f"start_indices={starts}, updates.shape={tuple(updates.shape)}, "
                             f"inputs.shape={tuple(inputs.shape)}")
    out = inputs.clone()
    out[tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))] = \
        updates.to(inputs.dtype)
    return out


@op
def unstack(x, num=None, axis=0):
    """Splits `x` along `axis` into a list of tensors of rank `x.ndim - 1`.

    Args:
        x: Tensor.
        num: The size of `axis` (checked when given).
        axis: The axis to unpack.

    Returns:
        A list of `x.shape[axis]` tensors.

    Example:

    >>> keras.ops.unstack(np.array([[1, 2], [3, 4]]), axis=1)
    [tensor([1, 3]), tensor([2, 4])]
    """
    x = _t(x)
    if x.dim() == 0:
        raise ValueError("Cannot unstack a scalar.")
    axis = int(axis)
    if num is not None and int(num) != x.shape[axis]:
        raise ValueError(f"`num` ({num}) does not match the size of axis {axis} "
                         f"({x.shape[axis]}) of x.shape={tuple(x.shape)}")
    return list(torch.unbind(x, dim=axis))


def _limits(torch_dtype):
    if torch_dtype == torch.bool:
        return 0, 1
    if torch_dtype.is_floating_point:
        info = torch.finfo(torch_dtype)
    else:
        info = torch.iinfo(torch_dtype)
    return info.min, info.max


def _scalar(value, torch_dtype):
    if isinstance(value, int) and -2**63 <= value < 2**63:
        return torch.tensor(value, dtype=torch.int64).to(torch_dtype)
    return torch.tensor(float(value), dtype=torch.float64).to(torch_dtype)


@op
def saturate_cast(x, dtype):
    """Casts `x` to `dtype`, clipping values to the range of `dtype` first (so
    out-of-range values saturate instead of wrapping around).

    Args:
        x: Tensor.
        dtype: Target dtype name.

    Returns:
        Tensor of `dtype`.

    Example:

    >>> keras.ops.saturate_cast(np.array([-5.0, 100.0, 300.0]), 'uint8')
    tensor([  0, 100, 255], dtype=torch.uint8)
    """
    x = _t(x)
    target = dtypes.to_torch(dtype)
    in_min, in_max = _limits(x.dtype)
    out_min, out_max = _limits(target)
    lo = _scalar(builtins.max(in_min, out_min), x.dtype)
    hi = _scalar(builtins.min(in_max, out_max), x.dtype)
    if x.dtype.is_floating_point:
        # A limit that rounds outside the target range moves one step inwards.
        zero = torch.zeros((), dtype=x.dtype)
        if lo.double() < out_min:
            lo = torch.nextafter(lo, zero)
        if hi.double() > out_max:
            hi = torch.nextafter(hi, zero)
    if x.dtype == torch.bool:
        return x.to(target)
    return torch.clamp(x, lo.to(x.device), hi.to(x.device)).to(target)


# -- einops ------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+|\([^)]*\)")


def _groups(side):
    groups = []
    for token in _TOKEN.findall(side):
        groups.append(token[1:-1].split() if token.startswith("(") else [token])
    return groups


@op
def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, merges and splits axes as an einops pattern says.

    The pattern names the input axes, `->`, then the output axes; names in
    parentheses are one axis made of several (merged on the output side, split
    on the input side), e.g. `"b (h w) c -> b h w c"`.

    Args:
        tensor: Input tensor.
        pattern: `"input axes -> output axes"`: names separated by spaces,
            parentheses group axes that are merged (output) or split (input).
        **axes_lengths: Sizes of split axes (one size per group may be left
            out and is inferred).

    Returns:
        The rearranged tensor.

    Example:

    >>> x = np.zeros((2, 12, 3))
    >>> keras.ops.rearrange(x, "b (h w) c -> b h w c", h=4).shape
    torch.Size([2, 4, 3, 3])
    >>> keras.ops.rearrange(x, "b n c -> b (n c)").shape
    torch.Size([2, 36])
    """
    if not isinstance(pattern, str) or "->" not in pattern:
        raise ValueError(f"`pattern` must be a string 'inputs -> outputs'. Received: {pattern!r}")
    tensor = _t(tensor)
    left, right = re.split(r"\s*->\s*", pattern.strip(), maxsplit=1)
    in_groups, out_groups = _groups(left), _groups(right)
    if len(in_groups) != tensor.dim():
        raise ValueError(f"The pattern {pattern!r} names {len(in_groups)} input axes; the "
                         f"tensor has shape {tuple(tensor.shape)}.")
    sizes = {k: int(v) for k, v in axes_lengths.items()}
    for group, dim in zip(in_groups, tensor.shape):
        unknown = [a for a in group if a not in sizes]
        if len(group) == 1 and unknown:
            sizes[group[0]] = dim
            continue
        if len(unknown) > 1:
            raise ValueError(f"Cannot infer the sizes of {unknown} in {pattern!r}: give all but "
                             "one of them as keyword arguments.")
        known = _pymath_prod(sizes[a] for a in group if a not in unknown)
        if unknown:
            sizes[unknown[0]] = dim // known
        if _pymath_prod(sizes[a] for a in group) != dim:
            raise ValueError(f"Axis group ({' '.join(group)}) of {pattern!r} does not match "
                             f"the dimension {dim}.")
    flat_in = [a for g in in_groups for a in g]
    flat_out = [a for g in out_groups for a in g]
    missing = [a for a in flat_out if a not in flat_in]
    if missing or sorted(flat_in) != sorted(flat_out):
        raise ValueError(f"The pattern {pattern!r} must use the same axis names on both sides.")
    split_shape = tuple(sizes[a] for a in flat_in)
    if split_shape != tuple(tensor.shape):
        tensor = tensor.reshape(split_shape)
    tensor = tensor.permute([flat_in.index(a) for a in flat_out])
    return tensor.reshape(tuple(_pymath_prod(sizes[a] for a in g) for g in out_groups))
