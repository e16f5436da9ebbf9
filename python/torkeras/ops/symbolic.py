"""Ops called on KerasTensors become graph nodes.

Every op function gets one `_OpLayer` subclass, named like the Keras 3
operation class behind it (`add` -> `Add`, `mean` -> `Mean`, `x[...]` ->
`GetItem`). As in Keras, the op's arguments are split in two:

- the *tensor* arguments (`x`, `x1`, `x2`, `xs`, `condition`, `key`, ...) are
  the arguments of the recorded node call, so `x * 2` records the node call
  `Multiply(x, 2)`;
- every other argument (`axis`, `keepdims`, `dtype`, ...) is a constructor
  argument of the op object and therefore part of its config.

An argument that holds a KerasTensor is always a call argument. This is what
Keras writes into a functional config (module `keras.src.ops.<family>`,
class name, config `{"name": ..., <constructor arguments>}`, inbound nodes
with the call arguments), so op nodes save and load like layers.
"""

import inspect

import numpy as np

from torkeras import dtypes, naming
from torkeras.graph.keras_tensor import any_symbolic
from torkeras.layers.layer import Layer

# Parameters Keras passes to an operation's call() rather than its constructor.
_TENSOR_PARAMS = frozenset({
    "x", "x1", "x2", "xs", "condition", "key", "indices", "weights", "operands",
    "variable", "target", "output", "targets", "predictions"})
# Ops whose Keras call() takes more than the parameters above.
_EXTRA_TENSOR_PARAMS = {"full_like": {"fill_value"}, "pad": {"constant_values"}}
# keras.ops.image: the tensor arguments of each op's Keras call().
_EXTRA_TENSOR_PARAMS.update({name: {"images"} for name in (
    "rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb", "resize", "extract_patches", "pad_images",
    "crop_images", "gaussian_blur", "elastic_transform", "sobel_edges")})
_EXTRA_TENSOR_PARAMS.update({
    "affine_transform": {"images", "transform"},
    "perspective_transform": {"images", "start_points", "end_points"},
    "map_coordinates": {"inputs", "coordinates"}, "ssim": {"image1", "image2"},
    "scale_and_translate": {"images", "output_shape", "scale", "translation"}})
# linalg / math / core ops: the arguments of each op's Keras call().
_EXTRA_TENSOR_PARAMS.update({name: {"data", "segment_ids"} for name in (
    "segment_sum", "segment_max", "segment_min", "segment_prod")})
_EXTRA_TENSOR_PARAMS.update({
    "solve": {"a", "b"}, "solve_triangular": {"a", "b"}, "lstsq": {"a", "b"}, "cdist": {"y"},
    "scatter": {"values"}, "scatter_update": {"inputs", "updates"},
    "slice": {"inputs", "start_indices"}, "slice_update": {"inputs", "start_indices", "updates"},
    "rearrange": {"tensor", "pattern"}})
# Keras class names that are not the CamelCase of the function name.
_CLASS_NAMES = {"getitem": "GetItem", "abs": "Absolute", "isclose": "IsClose",
                "rgb_to_grayscale": "RGBToGrayscale", "rgb_to_hsv": "RGBToHSV",
                "hsv_to_rgb": "HSVToRGB", "ssim": "SSIM"}
_CLASS_NAMES.update({"svd": "SVD", "jvp": "JVP", "cdist": "CDist", "fft": "FFT", "fft2": "FFT2",
                     "ifft2": "IFFT2", "rfft": "RFFT", "irfft": "IRFFT", "stft": "STFT",
                     "istft": "ISTFT"})
# keras.ops.nn: the tensor arguments of each op's Keras call() and its class names.
_EXTRA_TENSOR_PARAMS.update({name: {"inputs"} for name in (
    "max_pool", "average_pool", "adaptive_max_pool", "adaptive_average_pool")})
_EXTRA_TENSOR_PARAMS.update({
    "conv": {"inputs", "kernel"}, "depthwise_conv": {"inputs", "kernel"},
    "conv_transpose": {"inputs", "kernel"},
    "separable_conv": {"inputs", "depthwise_kernel", "pointwise_kernel"},
    "batch_normalization": {"mean", "variance", "offset", "scale"},
    "layer_normalization": {"gamma", "beta"}, "rms_normalization": {"scale"},
    "dot_product_attention": {"query", "value", "bias", "mask", "scale"},
    "ctc_loss": {"target_length", "output_length"}, "ctc_decode": {"inputs", "sequence_lengths"},
    "polar": {"abs_", "angle"}, "multi_hot": {"inputs"}})
_CLASS_NAMES.update({"batch_normalization": "BatchNorm", "layer_normalization": "LayerNorm",
                     "rms_normalization": "RMSNorm", "ctc_loss": "CTCLoss",
                     "ctc_decode": "CTCDecode", "psnr": "PSNR"})
# Keras defines these ops outside keras.src.ops.numpy / keras.src.ops.nn.
_KERAS_FAMILIES = {"cast": "core", "stop_gradient": "core", "erf": "math", "rsqrt": "math",
                   "logsumexp": "math", "top_k": "math", "in_top_k": "math", "norm": "linalg"}
_KERAS_FAMILIES["rearrange"] = "einops"
# torkeras modules whose ops Keras defines in another module.
_MODULE_FAMILIES = {"control_flow": "core"}


class _OpLayer(Layer):
    """A node-making wrapper around one op function (`_fn`, set per subclass)
    with its constructor arguments fixed."""

    # Lets models tell op nodes apart from user layers (Keras lists only
    # Layers, not Operations, in `model.layers`).
    _is_op_layer = True
    _fn = None
    _keras_module = None
    _call_params = ()
    _leading_call_params = False

    def __init__(self, name=None, **arguments):
        fn = type(self)._fn
        if fn is None:
            raise TypeError("_OpLayer is abstract: use symbolic.op_class(fn).")
        params = _signature(fn).parameters
        # An op with **kwargs (layer_normalization's rms_scaling) takes any name.
        unknown = [] if any(p.kind is p.VAR_KEYWORD for p in params.values()) else [
            k for k in arguments if k not in params]
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected argument(s) {unknown}; "
                            f"{fn.__name__}() takes {list(_signature(fn).parameters)}.")
        super().__init__(name=name or naming.auto_name(naming.to_snake_case(type(self).__name__)),
                         autocast=False)
        # Stored without Layer attribute tracking: constants are not weights.
        self.__dict__["_arguments"] = arguments
        self.built = True

    def __call__(self, *args, **kwargs):
        if any_symbolic(args, kwargs):
            return self._symbolic_call(args, kwargs)
        return self.call(*args, **kwargs)

    def call(self, *args, **kwargs):
        kwargs.pop("training", None)
        cls = type(self)
        if not kwargs and cls._leading_call_params and len(args) == len(cls._call_params) \
                and cls._fn.__name__ != "getitem":
            return cls._fn(*args, **self._arguments)
        return _invoke(cls, args, kwargs, self._arguments)

    def compute_output_spec(self, *args, **kwargs):
        spec = super().compute_output_spec(*args, **kwargs)
        # Ops whose output sizes depend on the data (nonzero, unique, ...)
        # carry an `_unknown_dims(spec, arguments)` that marks those
        # dimensions unknown: shape inference on placeholder data only sees
        # the sizes of that data.
        unknown_dims = getattr(type(self)._fn, "_unknown_dims", None)
        if unknown_dims is not None:
            return unknown_dims(spec, self._arguments)
        # Ops whose output sizes follow unknown input sizes in a way two
        # placeholder sizes cannot tell (strided windows: floor(96 / 2) ==
        # floor(97 / 2)) carry a `_keep_unknown_dims(spec, arguments, args,
        # kwargs)` that marks the outputs of unknown input dimensions unknown.
        keep_unknown = getattr(type(self)._fn, "_keep_unknown_dims", None)
        return spec if keep_unknown is None else keep_unknown(spec, self._arguments, args, kwargs)

    def get_config(self):
        config = {"name": self.name}
        config.update(self._arguments)
        return config

    @classmethod
    def from_config(cls, config):
        from torkeras.saving.serialization_lib import _deserialize
        config = dict(config)
        name = config.pop("name", None)
        # Constructor arguments are plain values; envelopes (arrays, slices)
        # written for other values are turned back into objects.
        arguments = {k: _deserialize(v) if isinstance(v, dict) else v for k, v in config.items()}
        return cls(name=name, **arguments)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, function={type(self)._fn.__name__}>"


# -- the class behind each op function ------------------------------------------
_CLASSES = {}        # op function -> its _OpLayer subclass
_BY_KERAS_NAME = None  # Keras class name (also of aliases such as Amax) -> subclass


def _signature(fn):
    sig = fn.__dict__.get("_torkeras_signature")
    if sig is None:
        sig = inspect.signature(fn)
        fn._torkeras_signature = sig
    return sig


def _camel(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def op_class(fn):
    """The `_OpLayer` subclass of an op function (made once)."""
    fn = getattr(fn, "_raw", fn)
    cls = _CLASSES.get(fn)
    if cls is None:
        class_name = _CLASS_NAMES.get(fn.__name__) or _camel(fn.__name__)
        family = _KERAS_FAMILIES.get(fn.__name__) or fn.__module__.rsplit(".", 1)[-1]
        family = _MODULE_FAMILIES.get(family, family)
        params = _signature(fn).parameters
        tensor_names = _TENSOR_PARAMS | _EXTRA_TENSOR_PARAMS.get(fn.__name__, set())
        call_params = tuple(name for name, p in params.items()
                            if name in tensor_names or p.kind is p.VAR_POSITIONAL)
        names = list(params)
        # Call parameters that lead the signature can be passed positionally
        # as they come (the common case: x, or x1 and x2, first).
        leading = names[:len(call_params)] == list(call_params) and not any(
            p.kind is p.VAR_POSITIONAL for p in params.values())
        cls = type(class_name, (_OpLayer,), {
            "__module__": __name__, "__qualname__": class_name, "_fn": staticmethod(fn),
            "_keras_module": f"keras.src.ops.{family}", "_call_params": call_params,
            "_leading_call_params": leading})
        _CLASSES[fn] = cls
    return cls


def op_class_named(class_name):
    """The op class for a Keras operation class name, or None."""
    global _BY_KERAS_NAME
    if _BY_KERAS_NAME is None:
        from torkeras import ops
        from torkeras.ops import core, image, nn, numpy as np_ops
        table = {}
        for module in (np_ops, nn, core, ops, image):
            for attr in dir(module):
                fn = getattr(module, attr)
                if attr.startswith("_") or not callable(fn) or not hasattr(fn, "_raw"):
                    continue
                cls = op_class(fn)
                table.setdefault(cls.__name__, cls)
                table.setdefault(_CLASS_NAMES.get(attr) or _camel(attr), cls)
        _BY_KERAS_NAME = table
    return _BY_KERAS_NAME.get(class_name)


# -- splitting and replaying the arguments -----------------------------------------
def _split_arguments(cls, args, kwargs):
    """(constructor arguments, call args, call kwargs) of one op call."""
    fn = cls._fn
    try:
        bound = _signature(fn).bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{fn.__name__}(): {e}") from None
    bound.apply_defaults()
    constructor, call_args, call_kwargs = {}, [], {}
    for name, value in bound.arguments.items():
        kind = _signature(fn).parameters[name].kind
        if kind is inspect.Parameter.VAR_POSITIONAL:
            call_args.extend(value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            call_kwargs.update(value)
        elif name in cls._call_params:
            call_args.append(value)
        elif any_symbolic((value,)):
            call_kwargs[name] = value
        else:
            constructor[name] = _plain(name, value)
    if fn.__name__ == "getitem" and isinstance(call_args[1], list):
        # A list key indexes by position (fancy indexing); JSON would turn it
        # into the same list a tuple key becomes, so it is kept as an array.
        call_args[1] = np.asarray(call_args[1])
    return constructor, call_args, call_kwargs


def _plain(name, value):
    """A constructor argument in the JSON-able form Keras writes."""
    if name == "dtype" and value is not None and not isinstance(value, str):
        return dtypes.name_of(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _invoke(cls, args, kwargs, arguments):
    """Calls the op function with the call arguments (positional, in the order
    of its call parameters) and the fixed constructor arguments."""
    fn = cls._fn
    named = dict(arguments)
    extra = []
    params = cls._call_params
    for i, value in enumerate(args):
        if i < len(params) and _signature(fn).parameters[params[i]].kind \
                is not inspect.Parameter.VAR_POSITIONAL:
            named[params[i]] = value
        else:
            extra.append(value)
    named.update(kwargs)
    if fn.__name__ == "getitem" and isinstance(named.get("key"), list):
        named["key"] = tuple(named["key"])  # JSON stores tuple keys as lists (as Keras reads them)
    positional, keywords = [], {}
    for name, p in _signature(fn).parameters.items():
        if p.kind is p.VAR_POSITIONAL:
            positional.extend(extra)
            extra = []
        elif p.kind is p.VAR_KEYWORD:
            keywords.update(named)  # e.g. rearrange's **axes_lengths
            named = {}
        elif p.kind is p.KEYWORD_ONLY:
            if name in named:
                keywords[name] = named.pop(name)
        elif name in named:
            if extra:  # varargs follow: everything before them is positional
                positional.append(named.pop(name))
            else:
                keywords[name] = named.pop(name)
    if extra:
        raise TypeError(f"{fn.__name__}() received {len(args)} call arguments; it takes "
                        f"{list(params)}.")
    if named:
        raise TypeError(f"{fn.__name__}() got unexpected argument(s) {sorted(named)}.")
    return fn(*positional, **keywords)


def symbolic_call(fn, args, kwargs):
    cls = op_class(fn)
    constructor, call_args, call_kwargs = _split_arguments(cls, args, kwargs)
    return cls(**constructor)(*call_args, **call_kwargs)
