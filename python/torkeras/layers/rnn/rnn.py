"""RNN: runs a cell over the time axis of `(batch, time, features)` inputs.

Keras semantics: `return_sequences` gives every step's output, else the last;
`return_state` appends the final states; `go_backwards` reads the sequence
from its end and returns outputs in that (reversed) order; `stateful` carries
the final states into the next call; a `(batch, time)` boolean `mask` keeps
the previous states at masked steps and repeats the previous output there
(zeros when `zero_output_for_mask`).

Subclasses (LSTM, GRU, SimpleRNN) may run a whole sequence with one fused
torch kernel through `_fused_sequence`; everything else goes through the
step loop here, which calls the cell once per time step.
"""

import torch

from torkeras import activations, regularizers
from torkeras.layers.layer import Layer, construct_from_config
from torkeras.layers.rnn import cell_args
from torkeras.saving import serialization_lib


def _map(fn, *trees):
    """fn applied leaf-wise over (possibly nested) lists of state tensors."""
    if isinstance(trees[0], (list, tuple)):
        return [_map(fn, *items) for items in zip(*trees)]
    return fn(*trees)


def _flatten(tree):
    if isinstance(tree, (list, tuple)):
        return [leaf for item in tree for leaf in _flatten(item)]
    return [tree]


def _as_list(states):
    if isinstance(states, (list, tuple)):
        return list(states)
    return [states]


class RNN(Layer):
    """Base class of recurrent layers: runs a cell over the time axis of a sequence.

    For inputs `(batch, timesteps, features)`, the cell is called once per time
    step with the step's input and the current states and returns the step's
    output and the new states. `SimpleRNN`, `GRU` and `LSTM` are RNNs with
    their own cells; `RNN(cell)` runs any cell, including a custom one.

    Args:
        cell: an RNN cell (a layer with `call(inputs, states)` returning
            `(output, new_states)` and a `state_size` attribute), or a list of
            cells, stacked with `StackedRNNCells`.
        return_sequences: whether to return the output of every time step
            `(batch, timesteps, units)` or only the last one `(batch, units)`.
        return_state: whether to also return the final state(s), after the
            output.
        go_backwards: whether to process the sequence from its end (the
            returned sequence is then in reversed order).
        stateful: whether the final states of each batch are the initial states
            of the next call (sample `i` continuing sample `i` of the previous
            batch); reset them with `reset_state()`.
        unroll: recorded in the config for Keras compatibility; the time loop
            runs step by step (or as one fused torch kernel) either way.
        zero_output_for_mask: whether masked steps output zeros (in the
            returned sequence) instead of repeating the previous output.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a 3-D tensor `(batch, timesteps, features)`.
        mask: optional boolean tensor `(batch, timesteps)`; at masked steps the
            states are kept and the previous output is repeated.
        training: whether dropout is applied.
        initial_state: optional list of initial state tensors (default zeros).

    Output shape:
        `(batch, output_size)`, or `(batch, timesteps, output_size)` with
        `return_sequences=True`; with `return_state=True`, a list of the output
        and the final states.

    Example:
    >>> x = np.zeros((4, 10, 8), "float32")
    >>> layer = keras.layers.RNN(keras.layers.LSTMCell(5), return_sequences=True)
    >>> tuple(layer(x).shape)
    (4, 10, 5)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            from torkeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") and not callable(cell):
            raise ValueError(f"RNN: `cell` must be a layer with a `call(inputs, states)` method; "
                             f"received: cell={cell!r}")
        state_size = getattr(cell, "state_size", None)
        if state_size is None:
            raise ValueError("RNN: the cell must define `state_size` (an integer, or a list of "
                             "integers, one per state tensor).")
        if not all(isinstance(d, int) for d in _flatten(state_size)):
            raise ValueError("RNN: the cell's `state_size` must be an integer or a list of "
                             f"integers; received: {state_size!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.state_size = [state_size] if isinstance(state_size, int) else list(state_size)
        self.single_state = isinstance(state_size, int)
        self.supports_masking = True
        # Final states kept between calls when stateful (plain tensors, not
        # weights: Keras does not save them either).
        self.states = None

    # Cell arguments readable on the layer (`lstm.units`), as in Keras.
    _cell_attributes = frozenset()

    def __getattr__(self, name):
        if name in type(self)._cell_attributes and "cell" in self.__dict__.get("_modules", {}):
            return getattr(self._modules["cell"], name)
        return super().__getattr__(name)

    # -- shapes -----------------------------------------------------------
    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return self.state_size[0] if size is None else size

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        units = self._output_size()
        output = (batch, length, units) if self.return_sequences else (batch, units)
        if self.return_state:
            return (output,) + tuple(_map(lambda size: (batch, size), self.state_size))
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [_map(lambda _: None, s) for s in self.state_size]
        return output_mask

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        if len(sequences_shape) != 3:
            raise ValueError(f"{type(self).__name__} {self.name!r}: inputs must be 3D "
                             f"(batch, timesteps, features); received shape {sequences_shape}")
        if isinstance(self.cell, Layer) and not self.cell.built:
            from torkeras import naming
            with naming.name_scope(self.cell.name):
                self.cell._call_build((sequences_shape[0],) + sequences_shape[2:])
            self.cell.built = True
        if self.stateful and sequences_shape[0] is None:
            raise ValueError("When using `stateful=True` in a RNN, the batch size must be "
                             f"static. Found dynamic batch size: sequence.shape={sequences_shape}")
        self.built = True

    # -- states -----------------------------------------------------------
    def get_initial_state(self, batch_size):
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            return _as_list(make(batch_size=batch_size))
        dtype = getattr(self.cell, "_torch_dtype", self._torch_dtype)
        return _map(lambda d: torch.zeros((batch_size, d), dtype=dtype), self.state_size)

    def reset_state(self):
        if self.states is not None:
            self.states = _map(torch.zeros_like, self.states)

    def reset_states(self):
        self.reset_state()

    def _initial_states(self, sequences, initial_state):
        batch = sequences.shape[0]
        if initial_state is None:
            if self.stateful and self.states is not None:
                if _flatten(self.states)[0].shape[0] != batch:
                    raise ValueError(f"{type(self).__name__} {self.name!r} is stateful with batch "
                                     f"size {_flatten(self.states)[0].shape[0]}; received a batch of "
                                     f"{batch}. Stateful RNNs need the same batch size in every "
                                     "call.")
                return list(self.states)
            initial_state = self.get_initial_state(batch)
        states = _as_list(initial_state)
        if len(states) != len(self.state_size):
            raise ValueError(f"{type(self).__name__} {self.name!r} expects "
                             f"{len(self.state_size)} initial state tensor(s); received "
                             f"{len(states)}")
        return [_map(lambda t: torch.as_tensor(t, dtype=sequences.dtype,
                                               device=sequences.device), s) for s in states]

    # -- running ----------------------------------------------------------
    def _fused_sequence(self, sequences, states, training):
        """(last_output, outputs, final_states) from one fused kernel, or None
        when this layer's configuration needs the step loop."""
        return None

    def _step_loop(self, sequences, states, mask, training):
        cell = self.cell
        kwargs = {"training": training} if _takes_training(cell) else {}
        length = sequences.shape[1]
        steps = range(length - 1, -1, -1) if self.go_backwards else range(length)
        outputs = []
        previous = None
        for t in steps:
            output, new_states = cell(sequences[:, t], states, **kwargs)
            new_states = _as_list(new_states)
            if mask is not None:
                step_mask = mask[:, t]

                def keep_where(new, old):
                    keep = step_mask.reshape((-1,) + (1,) * (new.dim() - 1))
                    return torch.where(keep, new, old)
                new_states = _map(keep_where, new_states, states)
                keep = step_mask.reshape((-1,) + (1,) * (output.dim() - 1))
                if self.zero_output_for_mask or previous is None:
                    fill = torch.zeros_like(output)
                else:
                    fill = previous
                output = torch.where(keep, output, fill)
            states = new_states
            previous = output
            if self.return_sequences:
                outputs.append(output)
        if previous is None:
            raise ValueError(f"{type(self).__name__} {self.name!r}: the input has no time steps")
        sequence = torch.stack(outputs, dim=1) if self.return_sequences else None
        return previous, sequence, states

    def _reset_dropout(self):
        for name in ("reset_dropout_mask", "reset_recurrent_dropout_mask"):
            reset = getattr(self.cell, name, None)
            if reset is not None:
                reset()

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if sequences.dim() != 3:
            raise ValueError(f"{type(self).__name__} {self.name!r}: inputs must be 3D "
                             f"(batch, timesteps, features); received shape "
                             f"{tuple(sequences.shape)}")
        return self._run(sequences, initial_state, mask, training)

    def _run(self, sequences, initial_state, mask, training):
        """The sequence run of `call`, after the input's rank was checked."""
        states = self._initial_states(sequences, initial_state)
        if mask is not None:
            if isinstance(mask, (list, tuple)):
                mask = mask[0]
            mask = torch.as_tensor(mask, device=sequences.device).to(torch.bool)
            if tuple(mask.shape) != tuple(sequences.shape[:2]):
                raise ValueError(f"{type(self).__name__} {self.name!r}: `mask` must have shape "
                                 f"(batch, timesteps) = {tuple(sequences.shape[:2])}; received "
                                 f"{tuple(mask.shape)}")
        try:
            result = None
            if mask is None:
                result = self._fused_sequence(sequences, states, training)
            if result is None:
                result = self._step_loop(sequences, states, mask, training)
        finally:
            self._reset_dropout()
        last_output, sequence, states = result
        if self.stateful:
            self.states = _map(lambda t: t.detach(), states)
        output = sequence if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    # -- config -----------------------------------------------------------
    def _rnn_config(self):
        return {"return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful,
                "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask}

    def get_config(self):
        config = super().get_config()
        config.update(self._rnn_config())
        config["cell"] = serialization_lib.serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = serialization_lib.deserialize_keras_object(config.pop("cell"),
                                                          custom_objects=custom_objects)
        return cls(cell, **config)



class CellArgumentsRNN(RNN):
    """Base of LSTM, GRU and SimpleRNN: layers whose constructor takes their
    cell's arguments. Their config lists those arguments instead of a nested
    cell, `from_config` rebuilds from them, and a `use_cudnn=True` layer (the
    fused kernel forced) refuses a mask, which the fused kernels cannot take.
    Subclasses name the cell attributes their config adds in
    `_extra_cell_config`."""

    _extra_cell_config = ()

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if mask is not None and getattr(self, "use_cudnn", "auto") is True:
            raise ValueError(cell_args.UNFUSABLE_MASK)
        return super().call(sequences, initial_state=initial_state, mask=mask,
                            training=training)

    def _fused_inputs(self, sequences, training):
        """The inputs of a fused kernel: input dropout applied once per
        sequence (the kernel has no dropout of its own)."""
        cell = self.cell
        if training and 0.0 < cell.dropout < 1.0:
            return sequences * cell.get_dropout_mask(sequences[:, 0]).unsqueeze(1)
        return sequences

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        config.update(cell_args.cell_config(self.cell))
        for key in self._extra_cell_config:
            value = getattr(self.cell, key)
            config[key] = activations.serialize(value) if key.endswith("activation") else value
        config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return construct_from_config(cls, config)

def _takes_training(cell):
    import inspect
    try:
        params = inspect.signature(cell.call).parameters
    except (TypeError, ValueError, AttributeError):
        return False
    return "training" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
