"""InputLayer and `Input()`: the entry points of a Functional model."""

from torkeras import naming
from torkeras.graph.keras_tensor import KerasTensor
from torkeras.graph.node import Node
from torkeras.layers.layer import Layer, _as_shape_tuple


class InputLayer(Layer):
    """The layer behind `keras.Input()`: the entry point of a Functional model.

    Usually created through `keras.Input()`; an `InputLayer` can also be the
    first layer of a `Sequential` model to give it its input shape.

    Args:
        shape: shape of one sample, without the batch axis (a tuple; None for
            an unknown size), e.g. `(784,)` or `(None, 16)`.
        batch_size: optional fixed batch size.
        dtype: dtype of the input (default: `keras.config.floatx()`).
        sparse: recorded in the config for Keras compatibility; torkeras
            inputs are dense tensors.
        batch_shape: the full shape including the batch axis (instead of
            `shape` and `batch_size`).
        input_tensor: optional existing symbolic tensor to use as the input.
        optional: whether the input may be None (the model is then called
            with None for it).
        name: name of the layer (default "input_layer", "input_layer_1", ...).
        ragged: recorded in the config for Keras compatibility; torkeras has
            no ragged tensors.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.
    """

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
    """Creates a symbolic input tensor, the start of a Functional model.

    The tensor has a shape (with None for the batch axis unless `batch_size` is
    given) and a dtype but no values; calling layers on it records the graph
    that `keras.Model(inputs, outputs)` turns into a model.

    Args:
        shape: shape of one sample, without the batch axis (a tuple; None for
            an unknown size), e.g. `(784,)` or `(None, 16)`.
        batch_size: optional fixed batch size.
        dtype: dtype of the input (default: `keras.config.floatx()`).
        sparse: recorded in the config for Keras compatibility; torkeras
            inputs are dense tensors.
        batch_shape: the full shape including the batch axis (instead of
            `shape` and `batch_size`).
        name: optional name of the input (unique in a model).
        tensor: optional existing symbolic tensor to wrap.
        optional: whether the input may be None (the model is then called
            with None for it).
        ragged: recorded in the config for Keras compatibility; torkeras has
            no ragged tensors.

    Returns:
        A symbolic tensor (`KerasTensor`).

    Example:
    >>> x = keras.Input(shape=(3,))
    >>> x.shape
    (None, 3)
    >>> y = keras.layers.Dense(2)(x)
    >>> y.shape
    (None, 2)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor, optional=optional,
                       ragged=ragged)
    return layer.output
