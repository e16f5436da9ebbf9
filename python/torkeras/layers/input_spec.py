"""InputSpec: the rank, dtype and sizes a layer expects of its inputs, and
the check `Layer.__call__` runs against `layer.input_spec` (Keras's
messages)."""

from torkeras import dtypes
from torkeras.utils import tree


def _standardize_shape(shape):
    return tuple(None if d is None else int(d) for d in shape)


class InputSpec:
    """What a layer expects of one input: every field is optional.

    Set `layer.input_spec` (one spec or a list, one per input) and each call
    checks its inputs against it, raising a `ValueError` that names the
    layer, the input and the mismatch.

    Args:
        dtype: Expected dtype.
        shape: Expected shape (None for any size of an axis).
        ndim: Expected rank.
        max_ndim: Largest accepted rank.
        min_ndim: Smallest accepted rank.
        axes: Dict `{axis: size}` of sizes of particular axes.
        allow_last_axis_squeeze: Accept inputs whose last axis (of size 1)
            is missing or added with respect to `shape`.
        name: Expected input name (for dict inputs).
        optional: Whether the input may be None.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtypes.name_of(dtype) if dtype is not None else None
        if shape is not None:
            self.shape = _standardize_shape(shape)
            self.ndim = len(shape)
        else:
            self.ndim = ndim
            self.shape = None
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError("Argument `axes` must be a dict with integer keys. "
                            f"Received: axes={axes}") from None
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed "
                                 f"value: {max_dim}")

    def __repr__(self):
        parts = [f"dtype={self.dtype}" if self.dtype else "",
                 f"shape={self.shape}" if self.shape else "",
                 f"ndim={self.ndim}" if self.ndim else "",
                 f"max_ndim={self.max_ndim}" if self.max_ndim else "",
                 f"min_ndim={self.min_ndim}" if self.min_ndim else "",
                 f"axes={self.axes}" if self.axes else ""]
        return f"InputSpec({', '.join(p for p in parts if p)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
                "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _incompatible(index, spec, layer_name, detail):
    return ValueError(f"Input {index} with name '{spec.name}' of layer '{layer_name}' is "
                      f"incompatible with the layer: {detail}")


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises ValueError when `inputs` do not satisfy `input_spec`."""
    if not input_spec:
        return
    specs = tree.flatten(input_spec) if isinstance(input_spec, (list, tuple, dict)) \
        else [input_spec]
    if isinstance(inputs, dict):
        names = [spec.name for spec in specs]
        if all(names):
            for name in names:
                if name not in inputs:
                    raise ValueError(f'Missing data for input "{name}". You passed a data '
                                     f"dictionary with keys {list(inputs.keys())}. Expected "
                                     f"the following keys: {names}")
            inputs = [inputs[name] for name in names]
    flat = tree.flatten(inputs) if isinstance(inputs, (list, tuple, dict)) else [inputs]
    if len(flat) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it '
                         f"received {len(flat)} input tensors. Inputs received: {flat}")
    for index, (x, spec) in enumerate(zip(flat, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(f"Inputs to a layer should be tensors. Got '{x}' (of type "
                             f"{type(x)}) as input for layer '{layer_name}'.")
        shape = _standardize_shape(x.shape)
        ndim = len(shape)
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise _incompatible(index, spec, layer_name,
                                f"expected ndim={spec.ndim}, found ndim={ndim}. Full shape "
                                f"received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise _incompatible(index, spec, layer_name,
                                f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise _incompatible(index, spec, layer_name,
                                f"expected min_ndim={spec.min_ndim}, found ndim={ndim}. Full "
                                f"shape received: {shape}")
        if spec.dtype is not None:
            dtype = dtypes.name_of(x.dtype)
            if dtype != spec.dtype:
                raise _incompatible(index, spec, layer_name,
                                    f"expected dtype={spec.dtype}, found dtype={dtype}")
        for axis, value in spec.axes.items():
            if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
                raise _incompatible(index, spec, layer_name,
                                    f"expected axis {axis} of input shape to have value "
                                    f"{value}, but received input with shape {shape}")
        if spec.shape is not None:
            spec_shape, got = spec.shape, shape
            if spec.allow_last_axis_squeeze:
                if got and got[-1] == 1:
                    got = got[:-1]
                if spec_shape and spec_shape[-1] == 1:
                    spec_shape = spec_shape[:-1]
            for spec_dim, dim in zip(spec_shape, got):
                if spec_dim is not None and dim is not None and spec_dim != dim:
                    raise _incompatible(index, spec, layer_name,
                                        f"expected shape={spec.shape}, found shape={got}")
