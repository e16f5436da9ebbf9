"""Helpers for nested structures of lists, tuples and dicts."""


def flatten(obj):
    out = []
    _flatten_into(obj, out)
    return out


def _flatten_into(obj, out):
    if isinstance(obj, (list, tuple)):
        for o in obj:
            _flatten_into(o, out)
    elif isinstance(obj, dict):
        for k in obj:
            _flatten_into(obj[k], out)
    else:
        out.append(obj)


def map_structure(fn, obj):
    if isinstance(obj, list):
        return [map_structure(fn, o) for o in obj]
    if isinstance(obj, tuple):
        return tuple(map_structure(fn, o) for o in obj)
    if isinstance(obj, dict):
        return {k: map_structure(fn, v) for k, v in obj.items()}
    return fn(obj)


def pack_like(structure, flat):
    """Rebuilds `structure` with leaves taken in order from `flat`."""
    it = iter(flat)

    def rebuild(obj):
        if isinstance(obj, list):
            return [rebuild(o) for o in obj]
        if isinstance(obj, tuple):
            return tuple(rebuild(o) for o in obj)
        if isinstance(obj, dict):
            return {k: rebuild(v) for k, v in obj.items()}
        return next(it)

    return rebuild(structure)


def is_nested(obj):
    return isinstance(obj, (list, tuple, dict))
