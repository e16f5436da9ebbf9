"""The Keras config envelope of small objects (initializers, regularizers,
constraints): `{"module", "class_name", "config", "registered_name"}`."""


def serialize_object(obj, module):
    """The envelope of an object with `get_config()`, a plain function's name,
    or None."""
    if obj is None:
        return None
    if hasattr(obj, "get_config"):
        return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
                "registered_name": None}
    return getattr(obj, "__name__", None)
