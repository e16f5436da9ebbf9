"""Lambda: wraps a function of the inputs as a layer.

Saving writes the function as Keras 3 does: a Python lambda as its
marshalled bytecode in a `{"class_name": "__lambda__", "config": {"code",
"defaults", "closure"}}` envelope (loadable only with `safe_mode=False`, by
the same Python version), a named function by its registered name.
"""

import base64
import builtins
import inspect
import marshal
import types

from torkeras.layers.layer import Layer, _infer_output_spec, _spec_from_shape
from torkeras.saving import serialization_lib
from torkeras.utils import tree

_LAMBDA_REFUSED = (
    "Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda. "
    "This carries a potential risk of arbitrary code execution and thus it is disallowed by "
    "default. If you trust the source of the artifact, you can override this error by "
    "passing `safe_mode=False` to the loading function, or calling "
    "`keras.config.enable_unsafe_deserialization().")


def _is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


def _map_shapes(fn, shapes):
    if _is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: _map_shapes(fn, v) for k, v in shapes.items()}
    return [_map_shapes(fn, s) for s in shapes]


def _map_tensors(fn, x):
    if hasattr(x, "shape"):
        return fn(x)
    if isinstance(x, dict):
        return {k: _map_tensors(fn, v) for k, v in x.items()}
    return [_map_tensors(fn, v) for v in x]


def _is_lambda(fn):
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _dump_lambda(fn):
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return {"class_name": "__lambda__",
            "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}


def _load_lambda(config):
    code = marshal.loads(base64.b64decode(config["code"].encode("ascii")))
    defaults = config.get("defaults")
    defaults = tuple(defaults) if isinstance(defaults, list) else defaults
    closure = config.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(v) for v in closure)
    import torkeras
    globs = {"keras": torkeras, "ops": torkeras.ops, "__builtins__": builtins}
    return types.FunctionType(code, globs, code.co_name, defaults, closure)


def _serialize_function(fn, what):
    if _is_lambda(fn):
        return _dump_lambda(fn)
    if not callable(fn):
        raise ValueError(f"Lambda: `{what}` must be callable; received {fn!r} of type "
                         f"{type(fn).__name__}.")
    reason = getattr(fn, "_keras_unserializable", None)
    if reason:
        raise ValueError(f"Lambda: the `{what}` of layer cannot be saved: {reason}")
    return serialization_lib.serialize_keras_object(fn)


def _deserialize_function(config, custom_objects, safe_mode):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        if safe_mode:
            raise ValueError(_LAMBDA_REFUSED)
        return _load_lambda(config["config"])
    return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects,
                                                      safe_mode=safe_mode)


class Lambda(Layer):
    """Wraps an arbitrary function as a layer: `outputs = function(inputs,
    **arguments)`.

    For simple stateless computations; layers with weights should subclass
    `Layer` instead (a Lambda's function may not create variables). A
    Python lambda is saved as its bytecode (loading it needs
    `safe_mode=False` and the same Python version).

    Args:
        function: The function to apply; it gets the inputs first, and
            `mask` / `training` when its signature names them.
        output_shape: The output shape without the batch axis (a tuple, or a
            structure of tuples), or a function of the full input shape
            returning the full output shape. Inferred by running `function`
            on symbolic inputs when None.
        mask: None (no mask support), a mask tensor, or a function
            `(inputs, mask) -> output mask`.
        arguments: A dict of extra keyword arguments for `function`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> keras.layers.Lambda(lambda x: x * 2)(np.array([1.0, 2.0], "float32")).tolist()
    [2.0, 4.0]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError("Lambda: `function` must be callable; received "
                             f"function={function!r} of type {type(function).__name__}.")
        if arguments is not None and not isinstance(arguments, dict):
            raise ValueError("Lambda: `arguments` must be a dict of keyword arguments for "
                             f"`function`; received arguments={arguments!r}")
        self.arguments = arguments or {}
        self.function = function
        self.supports_masking = mask is not None
        self.mask = mask
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):
            params = {}
        self._fn_expects_training_arg = "training" in params
        self._fn_expects_mask_arg = "mask" in params

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            try:
                from torkeras.graph.keras_tensor import KerasTensor
                inputs = _map_shapes(lambda s: KerasTensor(s, self.compute_dtype), input_shape)
                spec = _infer_output_spec(self.call, (inputs,), {})
                return tree.map_structure(lambda x: tuple(x.shape), spec)
            except Exception as exc:
                raise NotImplementedError(
                    "We could not automatically infer the shape of the Lambda's output. "
                    "Please specify the `output_shape` argument for this Lambda layer.") from exc
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        first = input_shape
        while not _is_shape(first):
            first = first[0]
        batch = first[0] if first else None
        return _map_shapes(lambda s: (batch,) + tuple(s), self._output_shape)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return _infer_output_spec(self.call, args, kwargs)
        shapes = _map_tensors(lambda x: tuple(x.shape), args[0])
        return _spec_from_shape(self.compute_output_shape(shapes), self.compute_dtype)

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask_arg:
            kwargs["mask"] = mask
        if self._fn_expects_training_arg:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def get_config(self):
        config = super().get_config()
        config["function"] = _serialize_function(self.function, "function")
        if self._output_shape is not None:
            config["output_shape"] = (_serialize_function(self._output_shape, "output_shape")
                                      if callable(self._output_shape)
                                      else self._output_shape)
        if self.mask is not None:
            config["mask"] = (_serialize_function(self.mask, "mask") if callable(self.mask)
                              else serialization_lib.serialize_keras_object(self.mask))
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        if safe_mode is None:
            safe_mode = serialization_lib.in_safe_mode()
        safe_mode = safe_mode is not False
        config["function"] = _deserialize_function(config["function"], custom_objects, safe_mode)
        if "output_shape" in config:
            value = config["output_shape"]
            if isinstance(value, dict):
                value = _deserialize_function(value, custom_objects, safe_mode)
            elif isinstance(value, list) and all(v is None or isinstance(v, int) for v in value):
                value = tuple(value)
            config["output_shape"] = value
        if isinstance(config.get("mask"), dict):
            config["mask"] = _deserialize_function(config["mask"], custom_objects, safe_mode)
        if "arguments" in config:
            config["arguments"] = serialization_lib.deserialize_keras_object(
                config["arguments"], custom_objects=custom_objects, safe_mode=safe_mode)
        return cls(**config)
