"""The Keras config envelope: `{"module", "class_name", "config",
"registered_name"}`, shared by every `serialize()` in the engine."""


def object_envelope(obj, module, builtin=True):
    """The envelope of an object with `get_config()`. Built-in classes are named
    by their public Keras `module`; other classes by their own module, with a
    registered name."""
    cls = type(obj)
    return {"module": module if builtin else cls.__module__, "class_name": cls.__name__,
            "config": obj.get_config(), "registered_name": None if builtin else cls.__name__}


def serialize_object(obj, module):
    """The envelope of a small object (initializer, regularizer, constraint), a
    plain function's name, or None."""
    if obj is None:
        return None
    if hasattr(obj, "get_config"):
        return object_envelope(obj, module)
    return getattr(obj, "__name__", None)


def serialize_object_or_function(obj, module, base, kind):
    """`serialize()` of losses and metrics: None stays None, a `base` instance
    gets its envelope, a plain function the "function" entry Keras writes
    (named by the function itself)."""
    if obj is None:
        return None
    if isinstance(obj, base):
        return object_envelope(obj, module)
    if callable(obj) and hasattr(obj, "__name__"):
        return {"module": module, "class_name": "function", "config": obj.__name__,
                "registered_name": obj.__name__}
    raise ValueError(f"Cannot serialize {kind} {obj!r}")
