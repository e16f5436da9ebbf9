"""InputLayer and `Input()`: the entry points of a Functional model."""

from torkeras import naming
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.graph.node import Node
from torkeras.layers.layer import Layer, _as_shape_tuple


class InputLayer(Layer):
    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, ragged=None, **kwargs):
        if name is None:
            name = naming.auto_name("input_layer")
        super().__init__(name=name, dtype=dtype, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("Pass `shape` or `batch_shape` to Input, not both.")
        if batch_shape is None:
            if shape is None:
                raise ValueError("Input needs a `shape` (the shape of one sample, without the "
                                 "batch dimension), e.g. shape=(784,).")
            batch_shape = (batch_size,) + _as_shape_tuple(shape, "shape")
        self.batch_shape = _as_shape_tuple(batch_shape, "batch_shape")
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        self.optional = bool(optional)
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(self.batch_shape, dtype=self._dtype, name=name)
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)

    def call(self):
        return self._input_tensor

    @property
    def output(self):
        return self._input_tensor

    def get_config(self):
        return {"batch_shape": list(self.batch_shape), "dtype": self._dtype, "sparse": self.sparse,
                "ragged": self.ragged, "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None):
    """Returns a symbolic KerasTensor to start a Functional model from."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, optional=optional,
                       ragged=ragged)
    return layer.output
