"""Ops called on KerasTensors become graph nodes.

`symbolic_call(fn, args, kwargs)` wraps the call in an `_OpLayer`: the layer
keeps the function and every non-symbolic argument, and takes the symbolic
ones as its call inputs. Calling it on the KerasTensors records a Node whose
output spec comes from the usual shape inference; calling it later on real
tensors (inside a Functional model) runs the function with the same fixed
arguments.
"""

from torkeras import naming
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.layers.layer import Layer
from torkeras.utils import tree


class _OpLayer(Layer):
    # Lets models tell op nodes apart from user layers (Keras lists only
    # Layers, not Operations, in `model.layers`).
    _is_op_layer = True

    def __init__(self, fn, args=(), kwargs=None, name=None):
        fn = getattr(fn, "_raw", fn)
        super().__init__(name=name or naming.auto_name(fn.__name__), autocast=False)
        kwargs = dict(kwargs or {})
        flat = tree.flatten((args, kwargs))
        # Stored without Layer attribute tracking: constants are not weights.
        self.__dict__["_fn"] = fn
        self.__dict__["_structure"] = tree.map_structure(
            lambda a: None if isinstance(a, KerasTensor) else a, (tuple(args), kwargs))
        self.__dict__["_template"] = [None if isinstance(a, KerasTensor) else a for a in flat]
        self.__dict__["_slots"] = [i for i, a in enumerate(flat) if isinstance(a, KerasTensor)]
        self.built = True

    def symbolic_inputs(self, args, kwargs):
        flat = tree.flatten((args, dict(kwargs or {})))
        return [flat[i] for i in self._slots]

    def call(self, *tensors):
        flat = list(self._template)
        for i, t in zip(self._slots, tensors):
            flat[i] = t
        args, kwargs = tree.pack_like(self._structure, flat)
        return self._fn(*args, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["function"] = self._fn.__name__
        return config

    def __repr__(self):
        return f"<_OpLayer name={self.name}, function={self._fn.__name__}>"


def symbolic_call(fn, args, kwargs):
    layer = _OpLayer(fn, args, kwargs)
    return layer(*layer.symbolic_inputs(args, kwargs))
