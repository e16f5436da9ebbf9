"""StackedRNNCells: several recurrent cells run as one cell, each step's
output of a cell being the next cell's input (what `RNN([cell1, cell2])`
builds, as in Keras). Its state is the list of the cells' states, one entry
per cell (a list for a cell with several states, such as LSTMCell)."""

import torch

from torkeras.layers.layer import Layer
from torkeras.saving import serialization_lib


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    return state_size[0] if isinstance(state_size, (list, tuple)) else state_size


class StackedRNNCells(Layer):
    """Wraps a list of RNN cells so that they behave as a single cell.

    Give it to `keras.layers.RNN` (or pass the list itself to `RNN`). With
    `return_state=True` the RNN returns one state entry per cell.

    Args:
        cells: list of cell instances (layers with `call(inputs, states)` and
            `state_size`). The first cell receives the step input; each
            following cell receives the previous cell's output.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Example:
    >>> cells = [keras.layers.GRUCell(4), keras.layers.GRUCell(3)]
    >>> layer = keras.layers.RNN(keras.layers.StackedRNNCells(cells))
    >>> tuple(layer(np.zeros((2, 5, 6), "float32")).shape)
    (2, 3)
    """

    def __init__(self, cells, **kwargs):
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError("StackedRNNCells: `cells` must be a non-empty list of cells; "
                             f"received: cells={cells!r}")
        for cell in cells:
            if not hasattr(cell, "call"):
                raise ValueError("All cells must have a `call` method. Received cell without a "
                                 f"`call` method: {cell!r}")
            if not hasattr(cell, "state_size"):
                raise ValueError("All cells must have a `state_size` attribute. Received cell "
                                 f"without a `state_size`: {cell!r}")
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                states.append(make(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(torch.zeros((batch_size, cell.state_size),
                                          dtype=self._torch_dtype))
            else:
                states.append([torch.zeros((batch_size, d), dtype=self._torch_dtype)
                               for d in cell.state_size])
        return states

    def build(self, input_shape):
        from torkeras import naming
        input_shape = tuple(input_shape)
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                with naming.name_scope(cell.name):
                    cell._call_build(input_shape)
                cell.built = True
            input_shape = (input_shape[0], _output_size(cell))
        self.built = True

    def call(self, inputs, states, training=False):
        from torkeras.layers.rnn.rnn import _takes_training
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if nested else [cell_states]
            kwargs = {"training": training} if _takes_training(cell) else {}
            inputs, cell_states = cell(inputs, cell_states, **kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            new_states.append(list(cell_states) if nested or len(cell_states) != 1
                              else cell_states[0])
        return inputs, new_states

    def reset_dropout_mask(self):
        for cell in self.cells:
            reset = getattr(cell, "reset_dropout_mask", None)
            if reset is not None:
                reset()

    def reset_recurrent_dropout_mask(self):
        for cell in self.cells:
            reset = getattr(cell, "reset_recurrent_dropout_mask", None)
            if reset is not None:
                reset()

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialization_lib.serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cells = [serialization_lib.deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]
        return cls(cells, **config)
