"""Keras 3 config envelopes: `serialize_keras_object` / `deserialize_keras_object`.

An object becomes `{"module", "class_name", "config", "registered_name"}`
(plus `build_config` / `compile_config` when the object provides them).
Public classes are named by their Keras module (`keras.layers`, ...); files
written by Keras may also name `keras.src.*` modules, which map onto the same
torkeras classes. Lambdas are refused under safe mode.
"""

import base64
import contextlib
import importlib
import inspect
import marshal
import threading
import types
import warnings

import numpy as np
import torch

from torkeras import config as _config
from torkeras.saving import object_registration as _reg

# Keras module name -> torkeras module path (public namespaces).
_PUBLIC_MODULES = (
    ("keras.layers", "torkeras.layers"),
    ("keras.optimizers.schedules", "torkeras.optimizers.schedules"),
    ("keras.optimizers", "torkeras.optimizers"),
    ("keras.losses", "torkeras.losses"),
    ("keras.metrics", "torkeras.metrics"),
    ("keras.initializers", "torkeras.initializers"),
    ("keras.regularizers", "torkeras.regularizers"),
    ("keras.constraints", "torkeras.constraints"),
    ("keras.activations", "torkeras.activations"),
    ("keras.callbacks", "torkeras.callbacks"),
    ("keras", "torkeras"),
    ("keras.models", "torkeras.models"),
    ("keras.dtype_policies", "torkeras.dtype_policies"),
)
# `keras.src.<part>...` -> the public module holding that family.
_SRC_FAMILIES = {
    "layers": "keras.layers", "models": "keras", "optimizers": "keras.optimizers",
    "losses": "keras.losses", "metrics": "keras.metrics", "initializers": "keras.initializers",
    "regularizers": "keras.regularizers", "constraints": "keras.constraints",
    "activations": "keras.activations", "callbacks": "keras.callbacks", "engine": "keras",
    "dtype_policies": "keras.dtype_policies",
}
# Classes Keras does not export publicly: written with their source module.
_PRIVATE_EXPORTS = {"Functional": "keras.src.models.functional"}

_LAMBDA_REFUSED = (
    "Refusing to deserialize a Python lambda: loading it would run code stored in the "
    "file, so it is disabled by default (safe_mode=True). If you trust the source of this "
    "file, load it with `safe_mode=False`, or call "
    "`keras.config.enable_unsafe_deserialization()`.")


# -- safe mode -------------------------------------------------------------
class _SafeModeState(threading.local):
    def __init__(self):
        self.value = None


_safe_mode = _SafeModeState()


def check_safe_mode(safe_mode):
    """`safe_mode` as a bool, refusing anything that is not True or False.

    Going by truthiness, `0` or `""` would switch safe mode off and the string
    "False" would keep it on: only a real boolean decides whether code stored
    in a file may run."""
    if not isinstance(safe_mode, (bool, np.bool_)):
        raise TypeError(f"`safe_mode` must be True or False; received: {safe_mode!r} "
                        f"of type {type(safe_mode).__name__}.")
    return bool(safe_mode)


@contextlib.contextmanager
def SafeModeScope(safe_mode=True):
    """Sets safe mode for the deserialization inside the block; None keeps
    the default (safe unless unsafe deserialization was enabled globally)."""
    previous = _safe_mode.value
    _safe_mode.value = None if safe_mode is None else check_safe_mode(safe_mode)
    try:
        yield
    finally:
        _safe_mode.value = previous


def in_safe_mode():
    """True unless unsafe deserialization was enabled globally or the current
    scope says safe_mode=False. Outside any scope, safe (fail closed)."""
    if _config.unsafe_deserialization_enabled():
        return False
    return True if _safe_mode.value is None else _safe_mode.value


# -- configs written by a newer Keras ----------------------------------------------
class _LenientState(threading.local):
    def __init__(self):
        self.depth = 0


_lenient = _LenientState()


@contextlib.contextmanager
def lenient_config_scope():
    """Inside this block objects are being rebuilt from a config (a file, a
    `from_config()`): constructor keys this torkeras does not know -- added by
    a newer Keras -- are dropped with a warning instead of raising. Outside it,
    an unknown keyword argument in a constructor call stays an error."""
    _lenient.depth += 1
    try:
        yield
    finally:
        _lenient.depth -= 1


def in_lenient_config_scope():
    return _lenient.depth > 0


def warn_unknown_config_keys(class_name, keys):
    warnings.warn(f"{class_name}: ignoring config keys unknown to torkeras (written by a newer "
                  f"Keras?): {sorted(keys)}", UserWarning, stacklevel=3)


def _plain_from_config_bases():
    """The from_config implementations that amount to `cls(**config)`."""
    from torkeras import constraints, initializers, regularizers
    from torkeras.layers.layer import Layer
    from torkeras.losses.loss import Loss
    from torkeras.metrics.metric import Metric
    from torkeras.optimizers.optimizer import Optimizer
    from torkeras.optimizers.schedules import LearningRateSchedule
    return {getattr(base.from_config, "__func__", None) for base in (
        Layer, Loss, Metric, Optimizer, LearningRateSchedule, initializers.Initializer,
        regularizers.Regularizer, constraints.Constraint)}


def accepted_config_keys(cls):
    """The config keys `cls.from_config` can hand to the constructor, or None
    when that cannot be known (a custom from_config, or a user class whose
    __init__ takes **kwargs of its own)."""
    from_config = getattr(getattr(cls, "from_config", None), "__func__", None)
    if from_config is None or from_config not in _plain_from_config_bases():
        return None
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):
            return None
        forwards = False
        for param in params:
            if param.kind is inspect.Parameter.VAR_KEYWORD:
                # torkeras's classes hand **kwargs on to a base that checks them.
                if not klass.__module__.startswith("torkeras."):
                    return None
                forwards = True
            elif param.kind is not inspect.Parameter.VAR_POSITIONAL:
                names.add(param.name)
        if not forwards:
            break
    names.discard("self")
    from torkeras.layers.layer import _BASE_KWARGS, Layer
    if issubclass(cls, Layer):
        names.update(_BASE_KWARGS)
        names.update(getattr(cls, "_keras_config_keys", {}))
    return names


def drop_unknown_config_keys(cls, config):
    """`config` without the keys `cls` cannot take, each dropped key named in
    one warning (keys a newer Keras writes must not break loading)."""
    accepted = accepted_config_keys(cls)
    if accepted is None or not isinstance(config, dict):
        return config
    unknown = [key for key in config if key not in accepted]
    if not unknown:
        return config
    warn_unknown_config_keys(cls.__name__, unknown)
    return {k: v for k, v in config.items() if k in accepted}


# -- shared objects ----------------------------------------------------------
class _SharingState(threading.local):
    def __init__(self):
        self.active = False
        self.created = {}   # shared_object_id -> object made while loading
        self.seen = []      # objects serialized while saving (kept alive so ids stay unique)


_sharing = _SharingState()


@contextlib.contextmanager
def ObjectSharingScope():
    """While saving, every envelope records the `id()` of its object, so an
    object reached twice (a layer used directly and inside a nested model)
    is written twice with the same `shared_object_id`; while loading, the
    first envelope with an id creates the object and later ones reuse it.
    Keras 3 does the same inside its saving scope."""
    previous = (_sharing.active, _sharing.created, _sharing.seen)
    _sharing.active, _sharing.created, _sharing.seen = True, {}, []
    try:
        yield
    finally:
        _sharing.active, _sharing.created, _sharing.seen = previous


def serialize_with_shared_objects(obj):
    """`serialize_keras_object(obj)` in a sharing scope, keeping
    `shared_object_id` only on envelopes whose object occurs more than once."""
    with ObjectSharingScope():
        config = serialize_keras_object(obj)
    counts = {}
    _visit_shared_ids(config, lambda d: counts.__setitem__(
        d["shared_object_id"], counts.get(d["shared_object_id"], 0) + 1))
    _visit_shared_ids(config, lambda d: d.pop("shared_object_id")
                      if counts[d["shared_object_id"]] == 1 else None)
    return config


def _visit_shared_ids(x, fn):
    if isinstance(x, dict):
        for v in x.values():
            _visit_shared_ids(v, fn)
        if "shared_object_id" in x and "class_name" in x:
            fn(x)
    elif isinstance(x, list):
        for v in x:
            _visit_shared_ids(v, fn)


# -- public names ----------------------------------------------------------
_class_to_module = None


def _public_module_of(cls):
    global _class_to_module
    if _class_to_module is None:
        table = {}
        for keras_name, torkeras_name in _PUBLIC_MODULES:
            module = importlib.import_module(torkeras_name)
            for attr in dir(module):
                obj = getattr(module, attr)
                if inspect.isclass(obj) and attr == obj.__name__ and obj not in table:
                    table[obj] = keras_name
        _class_to_module = table
    return _class_to_module.get(cls)


def _lookup_public(module, class_name):
    """The torkeras class behind a Keras `module`/`class_name` pair, or None."""
    if not isinstance(module, str) or not isinstance(class_name, str):
        return None
    if module.startswith("keras.src.ops."):
        # Operation classes share names with layers (Add, Multiply, Softmax):
        # they are never looked up among the public namespaces.
        from torkeras.ops import symbolic
        return symbolic.op_class_named(class_name)
    candidates = []
    if module.startswith("keras.src."):
        family = module.split(".")[2] if len(module.split(".")) > 2 else ""
        if family in _SRC_FAMILIES:
            candidates.append(_SRC_FAMILIES[family])
    elif module.startswith("keras"):
        candidates.append(module)
    # Fall back to every public namespace (Keras moved a few classes around).
    candidates += [k for k, _ in _PUBLIC_MODULES if k not in candidates]
    for keras_name in candidates:
        torkeras_name = dict(_PUBLIC_MODULES).get(keras_name)
        if torkeras_name is None:
            continue
        obj = getattr(importlib.import_module(torkeras_name), class_name, None)
        if inspect.isclass(obj):
            return obj
    if class_name == "Functional":
        from torkeras.models.functional import Functional
        return Functional
    return None


# -- serialization -----------------------------------------------------------
def serialize_keras_object(obj):
    """The JSON-compatible Keras form of an object (what `.keras` files store).

    Layers, models, losses, metrics, optimizers and other objects with
    `get_config()` become `{"module", "class_name", "config",
    "registered_name"}` dicts (plus build information for layers); functions
    their registered name; numbers, strings, lists and dicts stay as they are;
    tuples, arrays and dtypes get Keras's tagged forms.

    Args:
        obj: the object to serialize.

    Returns:
        A JSON-compatible value.

    Example:
    >>> config = keras.saving.serialize_keras_object(keras.layers.Dense(2))
    >>> config["class_name"], config["config"]["units"]
    ('Dense', 2)
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return obj
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, torch.Tensor):
        array = obj.detach().cpu().numpy()
        return {"class_name": "__tensor__",
                "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
    from torkeras.graph.keras_tensor import KerasTensor
    if isinstance(obj, KerasTensor):
        history = None
        if obj._keras_history is not None:
            layer, node_index, tensor_index = obj._keras_history
            history = [layer.name, node_index, tensor_index]
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(obj.shape), "dtype": obj.dtype,
                           "keras_history": history}}
    if isinstance(obj, types.FunctionType) and obj.__name__ == "<lambda>":
        warnings.warn("Serializing a Python lambda: it can only be loaded with "
                      "safe_mode=False, and only by the same Python version.", stacklevel=2)
        return {"class_name": "__lambda__", "config": {"value": _dump_function(obj)}}
    if inspect.isclass(obj):
        raise TypeError(f"Cannot serialize the class {obj.__name__!r} itself; serialize an "
                        "instance of it.")
    if hasattr(obj, "get_config"):
        return _serialize_configurable(obj)
    if callable(obj):
        return _serialize_function(obj)
    raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj).__name__}: it has "
                    "no `get_config()` and is not a function.")


def _serialize_configurable(obj):
    cls = type(obj)
    registered = _reg._GLOBAL_CUSTOM_NAMES.get(cls)
    if registered is not None:
        module, registered_name = cls.__module__, registered
    elif cls.__name__ in _PRIVATE_EXPORTS and _is_engine_class(cls):
        module, registered_name = _PRIVATE_EXPORTS[cls.__name__], cls.__name__
    elif getattr(cls, "_keras_module", None) and _is_engine_class(cls):
        # Operations (`Add`, `Mean`, ...): Keras does not export their
        # classes, so it names them by their source module.
        module, registered_name = cls._keras_module, cls.__name__
    elif _public_module_of(cls) is not None:
        module, registered_name = _public_module_of(cls), None
    else:
        module, registered_name = cls.__module__, cls.__name__
    try:
        inner = obj.get_config()
    except NotImplementedError as e:
        raise NotImplementedError(
            f"Object {getattr(obj, 'name', obj)!r} of class {cls.__name__} cannot be "
            f"serialized: {e}") from None
    # A class Keras exports under another name (GroupedQueryAttention is
    # keras.layers.GroupQueryAttention) is written under the exported name;
    # read from the class itself only, so a subclass keeps its own name.
    class_name = cls.__dict__.get("_keras_class_name", cls.__name__)
    envelope = {"module": module, "class_name": class_name,
                "config": serialize_keras_object(inner), "registered_name": registered_name}
    get_build_config = getattr(obj, "get_build_config", None)
    if get_build_config is not None:
        build_config = get_build_config()
        if build_config is not None:
            envelope["build_config"] = serialize_keras_object(build_config)
    get_compile_config = getattr(obj, "get_compile_config", None)
    if get_compile_config is not None:
        compile_config = get_compile_config()
        if compile_config is not None:
            envelope["compile_config"] = serialize_keras_object(compile_config)
    if _sharing.active:
        # Set on every envelope (copies of nested configs keep it); the ids
        # of objects seen only once are dropped by serialize_with_shared_objects.
        _sharing.seen.append(obj)
        envelope["shared_object_id"] = id(obj)
    return envelope


def _is_engine_class(cls):
    return cls.__module__.startswith("torkeras.") and not cls.__module__.startswith(
        "torkeras.bridge")


def _builtin_function_name(fn):
    from torkeras import activations, losses, metrics
    name = getattr(fn, "__name__", None)
    if name is None:
        return None
    if activations._BY_NAME.get(name) is fn:
        return name
    for module in (losses, metrics):
        if getattr(module, name, None) is fn:
            return name
    return None


def _serialize_function(fn):
    registered = _reg._GLOBAL_CUSTOM_NAMES.get(fn) if _hashable(fn) else None
    name = getattr(fn, "__name__", None)
    if name is None:
        raise TypeError(f"Cannot serialize callable {fn!r}: it has no `__name__`.")
    if _builtin_function_name(fn) is not None and registered is None:
        return {"module": "builtins", "class_name": "function", "config": name,
                "registered_name": "function"}
    # As Keras 3 writes custom functions: only the name ("package>name" when
    # registered) is kept, and loading finds the function by it in the
    # registry or `custom_objects`.
    registered = registered or name
    return {"module": getattr(fn, "__module__", None), "class_name": "function",
            "config": registered, "registered_name": registered}


def _hashable(x):
    try:
        hash(x)
        return True
    except TypeError:
        return False


def _dump_function(fn):
    code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
    defaults = serialize_keras_object(list(fn.__defaults__)) if fn.__defaults__ else None
    return {"code": code, "defaults": defaults}


def _load_function(value):
    code = marshal.loads(base64.b64decode(value["code"]))
    defaults = tuple(value["defaults"]) if value.get("defaults") else None
    import torkeras
    return types.FunctionType(code, {"keras": torkeras, "__builtins__": __builtins__},
                              None, defaults)


# -- deserialization -----------------------------------------------------------
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """Rebuilds an object from its Keras form (the output of `serialize_keras_object`).

    Args:
        config: the serialized form (a dict, a name, or a plain value).
        custom_objects: optional dict mapping names (plain or "package>name")
            to custom classes or functions.
        safe_mode: True (default) refuses to rebuild stored Python code
            (lambdas); False allows it.
        **kwargs: `module_objects`, an optional dict of built-in objects to
            resolve names against.

    Returns:
        The object.

    Example:
    >>> layer = keras.saving.deserialize_keras_object(
    ...     keras.saving.serialize_keras_object(keras.layers.Dense(2)))
    >>> type(layer).__name__, layer.units
    ('Dense', 2)
    """
    with SafeModeScope(safe_mode), _reg.custom_object_scope(custom_objects):
        return _deserialize(config, kwargs.get("module_objects"))


def _deserialize(config, module_objects=None):
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        obj = _reg.get_registered_object(config, module_objects=module_objects)
        return obj if obj is not None and not inspect.isclass(obj) else config
    if isinstance(config, (list, tuple)):
        return [_deserialize(c, module_objects) for c in config]
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {config!r} of type {type(config).__name__}.")
    if "class_name" not in config:
        return {k: _deserialize(v, module_objects) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "__lambda__":
        if in_safe_mode():
            raise ValueError(_LAMBDA_REFUSED)
        return _load_function(inner["value"])
    if class_name == "__keras_tensor__":
        from torkeras.graph.keras_tensor import KerasTensor
        return KerasTensor(tuple(inner["shape"]), dtype=inner.get("dtype", "float32"))
    if class_name == "__tensor__":
        return torch.as_tensor(np.asarray(inner["value"], dtype=inner.get("dtype")))
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__slice__":
        return slice(_deserialize(inner.get("start")), _deserialize(inner.get("stop")),
                     _deserialize(inner.get("step")))
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "function":
        return _resolve_function(config)
    if class_name == "Lambda" and in_safe_mode() and _has_lambda(inner):
        from torkeras.layers.core.lambda_layer import _LAMBDA_REFUSED as _LAYER_REFUSED
        raise ValueError(_LAYER_REFUSED)
    shared_id = config.get("shared_object_id") if _sharing.active else None
    if shared_id is not None and shared_id in _sharing.created:
        return _sharing.created[shared_id]
    cls = _resolve_class(config, module_objects)
    inner = drop_unknown_config_keys(cls, dict(inner or {}))
    with lenient_config_scope():
        if getattr(cls, "from_config", None) is None:
            obj = cls(**inner)
        else:
            obj = _reg.from_config(cls, inner, _reg.scoped_custom_objects())
    build_config = config.get("build_config")
    if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", False):
        obj.build_from_config(build_config)
    compile_config = config.get("compile_config")
    if compile_config and hasattr(obj, "compile_from_config"):
        obj.compile_from_config(compile_config)
    if shared_id is not None:
        _sharing.created[shared_id] = obj
    return obj


def _has_lambda(x):
    if isinstance(x, dict):
        return x.get("class_name") == "__lambda__" or any(_has_lambda(v) for v in x.values())
    if isinstance(x, list):
        return any(_has_lambda(v) for v in x)
    return False


def _resolve_class(config, module_objects=None):
    class_name = config["class_name"]
    registered_name = config.get("registered_name")
    obj = _reg.get_config_object(config, module_objects=module_objects)
    if obj is not None:
        return obj
    cls = _lookup_public(config.get("module"), class_name)
    if cls is not None:
        return cls
    raise ValueError(
        f"Could not locate class {class_name!r} (module {config.get('module')!r}, registered "
        f"name {registered_name!r}). Make sure custom classes are decorated with "
        "`@keras.saving.register_keras_serializable()` or passed in `custom_objects`, "
        f"e.g. custom_objects={{'{class_name}': {class_name}}}.")


def _resolve_function(config):
    name = config.get("config")
    registered_name = config.get("registered_name")
    obj = _reg.get_first_registered((registered_name, name))
    if obj is not None:
        return obj
    from torkeras import activations, losses, metrics
    if name in activations._BY_NAME:
        return activations._BY_NAME[name]
    for module in (losses, metrics):
        obj = getattr(module, str(name), None)
        if callable(obj) and not inspect.isclass(obj):
            return obj
    raise ValueError(f"Could not locate function {name!r}. Pass it in `custom_objects` "
                     f"(custom_objects={{'{name}': {name}}}) or register it with "
                     "`@keras.saving.register_keras_serializable()`.")
