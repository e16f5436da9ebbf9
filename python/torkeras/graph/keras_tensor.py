"""KerasTensor: the placeholder that flows through a Functional model
definition. It carries a shape (None for unknown sizes), a dtype and the
layer call that produced it."""

from torkeras import dtypes, naming


class KerasTensor:
    def __init__(self, shape, dtype="float32", sparse=False, ragged=False, name=None,
                 record_history=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtypes.name_of(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.name = name or naming.auto_name("keras_tensor")
        # (layer, node_index, tensor_index), set by the Node that outputs it.
        self._keras_history = None
        # The symbolic mask (a KerasTensor, or None) a masking layer attached.
        self._keras_mask = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        shape = "(" + ", ".join(str(d) for d in self.shape) + ("," if len(self.shape) == 1 else "") + ")"
        return (f"<KerasTensor shape={shape}, dtype={self.dtype}, sparse={self.sparse}, "
                f"ragged={self.ragged}, name={self.name}>")

    def __len__(self):
        raise TypeError("A symbolic KerasTensor has no length; use `.shape`.")

    def __iter__(self):
        raise TypeError("A symbolic KerasTensor cannot be iterated over.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor has no truth value: it holds no data. "
                        "Use it to build a model, then call the model on real data.")

    def __hash__(self):
        return id(self)

    # Arithmetic builds graph nodes through the ops module.
    def _op(self, name, *args):
        from torkeras import ops
        return getattr(ops, name)(*args)

    def __add__(self, other): return self._op("add", self, other)
    def __radd__(self, other): return self._op("add", other, self)
    def __sub__(self, other): return self._op("subtract", self, other)
    def __rsub__(self, other): return self._op("subtract", other, self)
    def __mul__(self, other): return self._op("multiply", self, other)
    def __rmul__(self, other): return self._op("multiply", other, self)
    def __truediv__(self, other): return self._op("divide", self, other)
    def __rtruediv__(self, other): return self._op("divide", other, self)
    def __pow__(self, other): return self._op("power", self, other)
    def __rpow__(self, other): return self._op("power", other, self)
    def __matmul__(self, other): return self._op("matmul", self, other)
    def __rmatmul__(self, other): return self._op("matmul", other, self)
    def __neg__(self): return self._op("negative", self)
    def __abs__(self): return self._op("abs", self)
    def __getitem__(self, key): return self._op("getitem", self, key)
    def __eq__(self, other): return self._op("equal", self, other)
    def __ne__(self, other): return self._op("not_equal", self, other)
    def __lt__(self, other): return self._op("less", self, other)
    def __le__(self, other): return self._op("less_equal", self, other)
    def __gt__(self, other): return self._op("greater", self, other)
    def __ge__(self, other): return self._op("greater_equal", self, other)


def is_symbolic(x):
    return isinstance(x, KerasTensor)


def any_symbolic(args, kwargs=None):
    """True if any (possibly nested) argument is a KerasTensor."""
    for a in _iter_flat(args):
        if isinstance(a, KerasTensor):
            return True
    if kwargs:
        for a in _iter_flat(list(kwargs.values())):
            if isinstance(a, KerasTensor):
                return True
    return False


def _iter_flat(obj):
    if isinstance(obj, (list, tuple)):
        for o in obj:
            yield from _iter_flat(o)
    elif isinstance(obj, dict):
        for o in obj.values():
            yield from _iter_flat(o)
    else:
        yield obj
