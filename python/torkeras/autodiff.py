"""Gradients on torch autograd with the TensorFlow / JAX user APIs.

`GradientTape` lets loops written for `tf.GradientTape` run unchanged: torch
records every operation on tensors that require grad anyway, so the tape only
has to switch grad mode on for its block, remember what was `watch`ed, and
turn `gradient(target, sources)` into one `torch.autograd.grad` call.

`value_and_grad(fn)` is the counterpart of `jax.value_and_grad`: it calls
`fn` with fresh leaf tensors in place of the differentiated argument and
returns the value with the gradients, shaped like that argument. `fn` is only
called, never inspected, so any Python callable works.
"""

import torch

from torkeras.utils import tree
from torkeras.variables import Variable

_UNCONNECTED = ("none", "zero")


def _unconnected_mode(value):
    # tf.UnconnectedGradients members have a string `.value`.
    mode = getattr(value, "value", value)
    if not isinstance(mode, str) or mode.lower() not in _UNCONNECTED:
        raise ValueError(
            f"`unconnected_gradients` must be 'none' or 'zero'; received: {value!r}")
    return mode.lower()


def _source_tensor(source):
    if isinstance(source, Variable):
        return source.value
    if isinstance(source, torch.Tensor):
        return source
    raise TypeError(
        "`sources` must be Variables or torch tensors (or nested lists of them); received "
        f"{type(source).__name__}.")


def _as_tensor(value, argname):
    if isinstance(value, Variable):
        return value.value
    if isinstance(value, torch.Tensor):
        return value
    try:
        return torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"`{argname}` must hold tensors; received {type(value).__name__}.") from None


class GradientTape:
    """Records the computations of its `with` block for differentiation
    (the `tf.GradientTape` API on torch autograd).

        with GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)

    Trainable Variables are watched automatically (their tensors require
    grad); `watch(x)` makes another tensor differentiable. Grad mode is on
    inside the block even when the caller runs under `torch.no_grad()`.
    A non-persistent tape computes gradients once; `persistent=True` keeps
    the recorded graph for several `gradient` calls."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._watched = {}  # id(tensor) -> (tensor, requires_grad before watch)
        self._grad_mode = None
        self._used = False
        self._recording = False

    # -- recording --------------------------------------------------------
    def __enter__(self):
        if self._recording:
            raise ValueError("This GradientTape is already recording; it cannot be entered twice.")
        self._grad_mode = torch.enable_grad()
        self._grad_mode.__enter__()
        self._recording = True
        return self

    def __exit__(self, *exc):
        self._recording = False
        self._grad_mode.__exit__(*exc)
        self._grad_mode = None
        return False

    def stop_recording(self):
        """A context in which computations are not recorded."""
        return torch.no_grad()

    def watch(self, tensor):
        """Makes `tensor` (a torch tensor, a Variable or a nested list of
        them) differentiable for this tape. Only tensors created directly (not
        computed from other tensors that require grad) can be watched."""
        for item in tree.flatten(tensor):
            t = _source_tensor(item)
            if not t.is_floating_point() and not t.is_complex():
                raise ValueError(f"watch(): only floating-point tensors can be watched; received dtype {t.dtype}.")
            if id(t) in self._watched:
                continue
            self._watched[id(t)] = (t, t.requires_grad)
            if not t.requires_grad:
                if t.grad_fn is not None:  # pragma: no cover - a non-leaf always requires grad
                    raise ValueError("watch(): the tensor is not a leaf of the computation.")
                t.requires_grad_(True)

    def watched_variables(self):
        """The tensors watched explicitly with `watch()`."""
        return [t for t, _ in self._watched.values()]

    def reset(self):
        """Forgets what was watched (restoring the tensors' requires_grad)."""
        self._release_watched()
        self._used = False

    def _release_watched(self):
        for t, had_grad in self._watched.values():
            if not had_grad and t.requires_grad and t.grad_fn is None:
                t.requires_grad_(False)
        self._watched = {}

    # -- gradients ----------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Gradients of `target` (a tensor, or a list of tensors whose
        gradients add up) with respect to `sources` (Variables, tensors, or
        nested lists / dicts of them), returned in the structure of `sources`.
        A source the target does not depend on gets None, or zeros with
        `unconnected_gradients="zero"`. `output_gradients` weights each target
        (the vector in a vector-Jacobian product); a non-scalar target without
        it is summed, as TensorFlow does."""
        mode = _unconnected_mode(unconnected_gradients)
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can compute gradients only once. Create the tape "
                "with `persistent=True` to call `gradient()` several times.")
        targets = [_as_tensor(t, "target") for t in tree.flatten(target)]
        if output_gradients is None:
            seeds = [None] * len(targets)
        else:
            seeds = [None if g is None else _as_tensor(g, "output_gradients")
                     for g in tree.flatten(output_gradients)]
            if len(seeds) != len(targets):
                raise ValueError(
                    f"`output_gradients` must hold one tensor per target: {len(targets)} targets, "
                    f"{len(seeds)} output gradients.")
        source_list = tree.flatten(sources)
        tensors = [_source_tensor(s) for s in source_list]

        # Only sources that can carry a gradient go to autograd; the others
        # are unconnected by definition.
        differentiable = [i for i, t in enumerate(tensors)
                          if t.requires_grad and self._is_watched(source_list[i], t)]
        live = [(t, seed) for t, seed in zip(targets, seeds) if t.requires_grad]
        grads = [None] * len(tensors)
        if differentiable and live:
            outputs, grad_outputs = [], []
            for t, seed in live:
                if seed is None:
                    seed = torch.ones_like(t)
                elif tuple(seed.shape) != tuple(t.shape):
                    raise ValueError(
                        f"`output_gradients`: shape {tuple(seed.shape)} does not match its target's "
                        f"shape {tuple(t.shape)}.")
                outputs.append(t)
                grad_outputs.append(seed.to(dtype=t.dtype, device=t.device))
            computed = torch.autograd.grad(
                outputs, [tensors[i] for i in differentiable], grad_outputs=grad_outputs,
                retain_graph=self._persistent, allow_unused=True)
            for i, g in zip(differentiable, computed):
                grads[i] = g
        if mode == "zero":
            grads = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, tensors)]
        if not self._persistent:
            self._used = True
            self._release_watched()
        return tree.pack_like(sources, grads) if tree.is_nested(sources) else grads[0]

    def _is_watched(self, source, tensor):
        if id(tensor) in self._watched:
            return True
        if isinstance(source, Variable):
            return self._watch_accessed_variables and source.trainable
        return self._watch_accessed_variables

    def __del__(self):
        try:
            self._release_watched()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


def _leaf(value, argname):
    """A fresh leaf tensor holding `value`, for differentiation."""
    t = value.value if isinstance(value, Variable) else value
    if not isinstance(t, torch.Tensor):
        try:
            t = torch.as_tensor(t)
        except (TypeError, ValueError, RuntimeError):
            raise TypeError(
                f"value_and_grad(): {argname} must hold tensors, Variables or arrays; received "
                f"{type(value).__name__}.") from None
        if not t.is_floating_point():
            t = t.to(torch.get_default_dtype())
    if not t.is_floating_point() and not t.is_complex():
        raise TypeError(
            f"value_and_grad(): {argname} holds a tensor of dtype {t.dtype}; only floating-point "
            "inputs can be differentiated.")
    return t.detach().requires_grad_(True)


def _detached(obj):
    return tree.map_structure(lambda x: x.detach() if isinstance(x, torch.Tensor) else x, obj)


def value_and_grad(fn, argnums=0, has_aux=False):
    """The torch counterpart of `jax.value_and_grad`.

    Returns a function taking the same arguments as `fn` that returns
    `(value, grads)`, or `((value, aux), grads)` with `has_aux=True` (then `fn`
    returns a pair `(value, aux)`). `value` must be a scalar tensor. The
    gradients have the structure of argument `argnums` (0-based; a tuple of
    positions gives a tuple of gradient structures). That argument may hold
    tensors, Variables or arrays: `fn` receives fresh leaf tensors with the
    same values, so the caller's tensors and Variables are never modified.
    Inputs the value does not depend on get zero gradients, as in JAX."""
    if not callable(fn):
        raise TypeError(f"value_and_grad(): `fn` must be callable; received {type(fn).__name__}.")
    single = not isinstance(argnums, (tuple, list))
    positions = (argnums,) if single else tuple(argnums)
    for p in positions:
        if isinstance(p, bool) or not isinstance(p, int) or p < 0:
            raise ValueError(
                f"value_and_grad(): `argnums` must be a non-negative integer or a tuple of them; "
                f"received {argnums!r}.")
    if len(set(positions)) != len(positions):
        raise ValueError(f"value_and_grad(): `argnums` repeats a position: {argnums!r}.")

    def value_and_grad_fn(*args, **kwargs):
        if max(positions) >= len(args):
            raise ValueError(
                f"value_and_grad(): `argnums={argnums!r}` refers to positional argument "
                f"{max(positions)}, but the function was called with {len(args)} positional arguments.")
        args = list(args)
        leaves = []
        for p in positions:
            name = f"argument {p}"
            args[p] = tree.map_structure(lambda v, name=name: _leaf(v, name), args[p])
            leaves.append(tree.flatten(args[p]))
        with torch.enable_grad():
            out = fn(*args, **kwargs)
        if has_aux:
            if not isinstance(out, (list, tuple)) or len(out) != 2:
                raise ValueError(
                    "value_and_grad(has_aux=True): `fn` must return a pair (value, aux); received "
                    f"{type(out).__name__}" + (f" of length {len(out)}." if isinstance(out, (list, tuple)) else "."))
            value, aux = out
        else:
            value, aux = out, None
        if isinstance(value, Variable):
            value = value.value
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            what = f"a tensor of shape {tuple(value.shape)}" if isinstance(value, torch.Tensor) \
                else type(value).__name__
            raise ValueError(
                "value_and_grad(): `fn` must return a scalar tensor" +
                (" as the first element of its (value, aux) pair" if has_aux else "") +
                f"; received {what}.")
        flat = [t for group in leaves for t in group]
        if value.requires_grad and flat:
            grads = torch.autograd.grad(value, flat, allow_unused=True)
        else:
            grads = [None] * len(flat)
        grads = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, flat)]
        structured, start = [], 0
        for p, group in zip(positions, leaves):
            part = grads[start:start + len(group)]
            start += len(group)
            structured.append(tree.pack_like(args[p], part) if tree.is_nested(args[p]) else part[0])
        grads_out = structured[0] if single else tuple(structured)
        value = value.detach().reshape(())
        if has_aux:
            return (value, _detached(aux)), grads_out
        return value, grads_out

    value_and_grad_fn.__name__ = f"value_and_grad_{getattr(fn, '__name__', 'fn')}"
    value_and_grad_fn.__doc__ = f"Value and gradients of {getattr(fn, '__name__', 'a function')}."
    return value_and_grad_fn
