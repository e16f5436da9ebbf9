"""`compile_function`: the `tf.function` of torkeras, on `torch.compile`.

Why this name and not `function` / `tf_function`: nothing here builds a
TensorFlow-style graph. The function keeps running as ordinary Python under
TorchDynamo, which captures the torch operations it can into optimized
kernels and falls back to eager execution around anything it cannot capture
(a "graph break"). Results therefore stay those of the eager function, up to
floating-point reordering inside fused kernels. `jit_compile` mirrors the
argument of `Model.compile()`.

What cannot be compiled runs eagerly: callables implemented outside Python
bytecode (C extensions, or functions of another language called through a
foreign-function bridge) are opaque to TorchDynamo, which then simply calls
them.
"""

import functools

import torch


def compile_function(fn=None, jit_compile=True):
    """Compiles a step function with `torch.compile` (`jit_compile=True`) or
    returns it unchanged (`jit_compile=False`). Usable as a decorator, with or
    without arguments:

        @compile_function
        def train_step(x, y): ...

    The first call compiles (slow); later calls with inputs of the same
    shapes and dtypes reuse the compiled code."""
    if not isinstance(jit_compile, bool):
        raise TypeError(f"`jit_compile` must be True or False; received {jit_compile!r}.")
    if fn is None:
        return functools.partial(compile_function, jit_compile=jit_compile)
    if not callable(fn):
        raise TypeError(f"compile_function(): `fn` must be callable; received {type(fn).__name__}.")
    if not jit_compile:
        return fn
    return torch.compile(fn)
