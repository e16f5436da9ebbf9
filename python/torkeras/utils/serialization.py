"""The Keras config envelope: `{"module", "class_name", "config",
"registered_name"}`, shared by every `serialize()` in the engine."""


def object_envelope(obj, module, builtin=True):
    """The Keras config envelope of an object that has `get_config()`.

    Args:
        obj: the object to describe.
        module: the public Keras module of the built-in classes (e.g. "keras.losses").
        builtin: whether `obj`'s class is a built-in one; other classes are
            named by their own module and get a registered name.

    Returns:
        `{"module", "class_name", "config", "registered_name"}`.
    """
    cls = type(obj)
    return {"module": module if builtin else cls.__module__, "class_name": cls.__name__,
            "config": obj.get_config(), "registered_name": None if builtin else cls.__name__}


def serialize_object(obj, module):
    """The envelope of a small object (initializer, regularizer, constraint).

    Args:
        obj: an object with `get_config()`, a plain function, or None.
        module: the public Keras module of the built-in classes.

    Returns:
        The envelope dict, the function's name, or None.
    """
    if obj is None:
        return None
    if hasattr(obj, "get_config"):
        return object_envelope(obj, module)
    return getattr(obj, "__name__", None)


def serialize_object_or_function(obj, module, base, kind):
    """`serialize()` of losses and metrics.

    Args:
        obj: a `base` instance, a plain function, or None.
        module: the public Keras module (e.g. "keras.metrics").
        base: the base class of the kind (e.g. `Loss`).
        kind: the kind's name used in the error message (e.g. "loss").

    Returns:
        None for None, the envelope of a `base` instance, or the "function"
        entry Keras writes for a plain function.

    Raises:
        ValueError: when `obj` is neither.
    """
    if obj is None:
        return None
    if isinstance(obj, base):
        return object_envelope(obj, module)
    if callable(obj) and hasattr(obj, "__name__"):
        return {"module": module, "class_name": "function", "config": obj.__name__,
                "registered_name": obj.__name__}
    raise ValueError(f"Cannot serialize {kind} {obj!r}")
