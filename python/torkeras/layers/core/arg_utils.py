"""Argument checking and shape arithmetic shared by the built-in layers.

Everything here is plain Python on ints/tuples: layers call it from
`__init__`, `build` and `compute_output_shape`, and (cached) from `call`.
"""

import math

from torkeras import activations, config, constraints, initializers, regularizers


def _as_int(value):
    """An int from an int-like value (whole floats included); None if not one."""
    if isinstance(value, bool):
        return None
    try:
        return int(value.__index__())
    except (TypeError, AttributeError):
        pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def normalize_tuple(value, n, name, allow_zero=False):
    """`3` -> `(3, 3)`; a length-n sequence of ints -> a tuple; else ValueError."""
    error = (f"The `{name}` argument must be a tuple of {n} integers (or a single integer). "
             f"Received: {name}={value!r}")
    single = _as_int(value)
    if single is not None:
        out = (single,) * n
    else:
        try:
            items = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        out = tuple(_as_int(v) for v in items)
        if len(out) != n or None in out:
            raise ValueError(error)
    lowest = 0 if allow_zero else 1
    if any(v < lowest for v in out):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"The `{name}` argument must contain only {kind} integers. "
                         f"Received: {name}={value!r}")
    return out


def positive_int(value, name):
    """A strictly positive integer (whole floats like 32.0 are accepted): the
    check of every size argument (`units`, `filters`, `input_dim`, ...), with
    Keras' message for an invalid `units`."""
    ok = not isinstance(value, bool)
    if ok:
        try:
            ok = int(value) == value and int(value) > 0
        except (TypeError, ValueError, OverflowError):
            ok = False
    if not ok:
        raise ValueError(f"Received an invalid value for `{name}`, expected a positive integer. "
                         f"Received: {name}={value!r}")
    return int(value)


standardize_data_format = config._standardize_data_format


def standardize_padding(padding, allow_causal=False):
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    value = padding.lower() if isinstance(padding, str) else padding
    if value not in allowed:
        raise ValueError(f"The `padding` argument must be one of {allowed}. "
                         f"Received: padding={padding!r}")
    return value


def conv_output_length(length, kernel, padding, stride, dilation=1):
    """Output length of a convolution or pooling window along one axis."""
    if length is None:
        return None
    extent = (kernel - 1) * dilation + 1
    if padding == "valid":
        out = (length - extent) // stride + 1
    else:  # same / causal keep ceil(length / stride)
        out = -(-length // stride)
    return max(out, 0)


def same_padding(length, kernel, stride, dilation=1):
    """(before, after) padding that 'same' adds along one axis (TensorFlow rule:
    the odd element goes after)."""
    extent = (kernel - 1) * dilation + 1
    total = max(extent - 1 - (length - 1) % stride, 0)
    return total // 2, total - total // 2


def deconv_output_length(length, kernel, padding, output_padding, stride, dilation=1):
    """Output length of a transposed convolution along one axis (Keras rule)."""
    if length is None:
        return None
    extent = (kernel - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(extent - stride, 0)
        return length * stride
    pad = extent // 2 if padding == "same" else 0
    return (length - 1) * stride + extent - 2 * pad + output_padding


def deconv_crops(length, kernel, padding, output_padding, stride, dilation=1):
    """(crop_before, crop_after) to take from the full transposed convolution,
    whose length is (length - 1) * stride + extent, to get the Keras output.
    A negative crop_after means zeros appended at the end."""
    extent = (kernel - 1) * dilation + 1
    full = (length - 1) * stride + extent
    out = deconv_output_length(length, kernel, padding, output_padding, stride, dilation)
    if padding == "valid":
        before = 0
    elif output_padding is None:
        before = max(extent - stride, 0) // 2
    else:
        pad_len = extent + extent % 2 - 2 + output_padding
        before = extent - 1 - min(pad_len // 2 + pad_len % 2, extent - 1)
    return before, full - before - out


def get_activation(identifier):
    return activations.get(identifier)


def get_initializer(identifier):
    return initializers.get(identifier)


def get_regularizer(identifier):
    return regularizers.get(identifier)


def get_constraint(identifier):
    return constraints.get(identifier)


def serialize_activation(fn):
    return activations.serialize(fn)


def serialize_initializer(init):
    return initializers.serialize(init)


def serialize_regularizer(obj):
    return regularizers.serialize(obj)


def serialize_constraint(obj):
    return constraints.serialize(obj)


def weights_config(layer):
    """The config entries of a layer with a kernel and an optional bias:
    activation, use_bias, and the kernel/bias initializers, regularizers and
    constraints (Dense and the convolutions share these)."""
    return {
        "activation": serialize_activation(layer.activation),
        "use_bias": layer.use_bias,
        "kernel_initializer": serialize_initializer(layer.kernel_initializer),
        "bias_initializer": serialize_initializer(layer.bias_initializer),
        "kernel_regularizer": serialize_regularizer(layer.kernel_regularizer),
        "bias_regularizer": serialize_regularizer(layer.bias_regularizer),
        "kernel_constraint": serialize_constraint(layer.kernel_constraint),
        "bias_constraint": serialize_constraint(layer.bias_constraint),
    }


def prod_or_none(dims):
    if any(d is None for d in dims):
        return None
    return math.prod(dims)
