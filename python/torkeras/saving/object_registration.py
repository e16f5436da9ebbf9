"""Registration of custom classes and functions for (de)serialization.

`register_keras_serializable(package, name)` records an object under the key
"package>name"; `custom_object_scope` / `custom_objects=` make objects
resolvable by their plain names while a model is loaded.
"""

import inspect
import threading

# "package>name" -> object, and object -> "package>name".
_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}


class _ScopeState(threading.local):
    def __init__(self):
        self.stack = []


_scopes = _ScopeState()


class CustomObjectScope:
    """A context manager that makes custom objects resolvable by name inside its block.

    `with CustomObjectScope({"MyLayer": MyLayer}): ...`: deserialization
    (`load_model`, `deserialize_keras_object`, `keras.layers.deserialize`, ...)
    inside the block finds these names. Scopes nest; the innermost wins.
    `custom_object_scope` is the same class.

    Args:
        custom_objects: a dict mapping names to classes or functions (or None).
    """

    def __init__(self, custom_objects=None):
        self.custom_objects = _as_dict(custom_objects)

    def __enter__(self):
        _scopes.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scopes.stack.pop()
        return False


custom_object_scope = CustomObjectScope


def _as_dict(custom_objects):
    if custom_objects is None:
        return {}
    if isinstance(custom_objects, dict):
        return dict(custom_objects)
    if isinstance(custom_objects, (list, tuple)):
        # A list of classes/functions: each under its own name.
        return {getattr(o, "__name__", str(o)): o for o in custom_objects}
    raise TypeError("`custom_objects` must be a dict mapping names to classes or functions; "
                    f"received: {type(custom_objects).__name__}")


def get_custom_objects():
    """The global registry of custom objects, a mutable dict of name -> object.

    Objects added to it (directly or with `register_keras_serializable`) are
    found by name when configs are deserialized.

    Returns:
        The registry dict itself (changes to it take effect).

    Example:
    >>> def my_activation(x):
    ...     return x
    >>> keras.saving.get_custom_objects()["my_activation"] = my_activation
    >>> keras.activations.get("my_activation") is my_activation
    True
    """
    return _GLOBAL_CUSTOM_OBJECTS


def scoped_custom_objects():
    """The objects of all active scopes, inner scopes winning."""
    out = {}
    for scope in _scopes.stack:
        out.update(scope)
    return out


def register_keras_serializable(package="Custom", name=None):
    """A decorator that registers a custom class or function for serialization.

    The object is registered as "package>name", so that a saved config naming
    it can be loaded without passing `custom_objects`. A registered class must
    implement `get_config()`.

    Args:
        package: the package part of the registered name (default "Custom").
        name: the name part (default: the object's `__name__`).

    Returns:
        A decorator returning the object unchanged.

    Example:
    >>> @keras.saving.register_keras_serializable(package="demo")
    ... def triple(x):
    ...     return 3 * x
    >>> keras.saving.get_registered_name(triple)
    'demo>triple'
    """
    if not isinstance(package, str) or not package:
        raise ValueError(f"`package` must be a non-empty string; received: {package!r}")

    def decorator(obj):
        registered = name if name is not None else getattr(obj, "__name__", None)
        if not registered:
            raise ValueError(f"Cannot register {obj!r}: it has no `__name__`; pass `name=`.")
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register class {obj.__name__!r}: serializable classes "
                             "must implement `get_config()`.")
        key = f"{package}>{registered}"
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj

    return decorator


def get_registered_name(obj):
    """The name under which an object is registered for serialization.

    Args:
        obj: a class or function.

    Returns:
        "package>name" for an object registered with
        `register_keras_serializable`, else its `__name__`.
    """
    try:
        key = _GLOBAL_CUSTOM_NAMES.get(obj)
    except TypeError:  # unhashable
        key = None
    if key is not None:
        return key
    return getattr(obj, "__name__", None)


def is_registered(obj):
    try:
        return obj in _GLOBAL_CUSTOM_NAMES
    except TypeError:
        return False


def get_registered_object(name, custom_objects=None, module_objects=None):
    """Looks up an object by name as deserialization does.

    The active custom-object scopes come first, then the global registry, then
    `custom_objects`, then `module_objects`.

    Args:
        name: the name to look up ("package>name" or a plain name).
        custom_objects: optional dict of name -> object.
        module_objects: optional dict of name -> object of built-ins.

    Returns:
        The object, or None when no source has it.
    """
    if name is None:
        return None
    scoped = scoped_custom_objects()
    if name in scoped:
        return scoped[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    custom_objects = _as_dict(custom_objects)
    if name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


# -- the one lookup behind every module's `deserialize()` ----------------------
def get_first_registered(names, custom_objects=None, module_objects=None):
    """The object behind the first of `names` that `get_registered_object`
    resolves; None, empty and "function" entries are skipped (functions are
    saved with registered_name "function", which names nothing)."""
    for name in names:
        if isinstance(name, str) and name and name != "function":
            obj = get_registered_object(name, custom_objects, module_objects)
            if obj is not None:
                return obj
    return None


def get_config_object(config, custom_objects=None, module_objects=None):
    """The object a Keras config dict names: its `registered_name` first (a
    registered class is saved as "package>name" beside its plain
    `class_name`), then its `class_name`. None when neither resolves."""
    return get_first_registered((config.get("registered_name"), config.get("class_name")),
                                custom_objects, module_objects)


def from_config(cls, config, custom_objects=None):
    """`cls.from_config(config)`, handing `custom_objects` on when the class's
    `from_config` takes them (models and optimizers rebuild nested objects)."""
    config = dict(config or {})
    if "custom_objects" in _parameters(cls.from_config):
        return cls.from_config(config, custom_objects=custom_objects)
    return cls.from_config(config)


def deserialize_class_config(config, module_objects, custom_objects=None, *, unknown,
                             malformed="Expected a dict with 'class_name' and 'config'"):
    """Rebuilds the instance a `{"class_name", "config", ...}` dict describes,
    for a module's `deserialize()`. The module gives its table of built-ins
    (`module_objects`) and its error wording: `malformed`, the message when
    `config` is not such a dict (the received value is appended), and
    `unknown(class_name)` when no class answers."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"{malformed}; received: {config!r}")
    cls = get_config_object(config, custom_objects, module_objects)
    if not inspect.isclass(cls):
        raise ValueError(unknown(config["class_name"]))
    from torkeras.saving import serialization_lib
    # Keys a newer Keras added are dropped with a warning.
    inner = serialization_lib.drop_unknown_config_keys(cls, dict(config.get("config") or {}))
    with serialization_lib.lenient_config_scope():
        return from_config(cls, inner, custom_objects)


def get_configurable(identifier, module_objects, *, kind, unknown=None):
    """`get()` of the small configurable objects (initializers, regularizers,
    constraints): None stays None, a name is its class with defaults (as in
    Keras), a config dict is rebuilt through the lookup above, any other
    callable is returned as is. `kind` words the errors ("Unknown
    regularizer: 'x'"); `unknown(name)` may replace the unknown-name one."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        identifier = {"class_name": identifier, "config": {}}
    if isinstance(identifier, dict) and "class_name" in identifier:
        return deserialize_class_config(
            identifier, module_objects,
            unknown=unknown or (lambda name: f"Unknown {kind}: {name!r}"))
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind}: {identifier!r}")


def _parameters(fn):
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}
