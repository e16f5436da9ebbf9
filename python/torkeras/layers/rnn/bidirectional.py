"""Bidirectional: runs a recurrent layer forwards and a copy of it backwards
over the same sequence and merges the two outputs.

As in Keras, both directions are fresh layers made from `layer`'s config
(named `forward_<name>` and `backward_<name>`; the backward one with
`go_backwards` flipped) unless `backward_layer` is given; the backward output
sequence is flipped back to the input's time order before merging; sequence
outputs of masked steps are zeros (`zero_output_for_mask`).
"""

import torch

from torkeras import naming
from torkeras.layers.layer import Layer
from torkeras.saving import serialization_lib

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _renamed_copy(layer, prefix, go_backwards=None):
    config = serialization_lib.serialize_keras_object(layer)
    name = layer.name[len(prefix):] if layer.name.startswith(prefix) else layer.name
    config["config"]["name"] = prefix + name
    if go_backwards is not None:
        config["config"]["go_backwards"] = go_backwards
    return serialization_lib.deserialize_keras_object(config)


class Bidirectional(Layer):
    """Bidirectional wrapper for RNNs: runs a layer forwards and a copy backwards.

    The wrapped recurrent layer reads the sequence forwards; a copy (or
    `backward_layer`) with the opposite `go_backwards` reads it backwards; their
    outputs are merged by `merge_mode` (the backward sequence is reversed back
    to forward order first when sequences are returned).

    Args:
        layer: a recurrent layer (`LSTM`, `GRU`, `SimpleRNN`, `RNN`, ...).
        merge_mode: how the two outputs are combined: "concat" (default; along
            the last axis), "sum", "mul", "ave", or None (a list of the two
            outputs).
        weights: optional initial weights, the forward layer's followed by the
            backward layer's.
        backward_layer: optional recurrent layer for the backward direction
            (default: a copy of `layer` with `go_backwards` flipped).
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Call arguments:
        inputs: a 3-D tensor `(batch, timesteps, features)`.
        mask: optional boolean tensor `(batch, timesteps)`.
        training: whether dropout is applied.
        initial_state: optional list of initial states, the forward layer's
            followed by the backward layer's.

    Example:
    >>> x = np.zeros((4, 10, 8), "float32")
    >>> tuple(keras.layers.Bidirectional(keras.layers.LSTM(5))(x).shape)
    (4, 10)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Bidirectional: `layer` must be a recurrent layer instance (e.g. "
                             f"LSTM(4)); received: layer={layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError("Bidirectional: `backward_layer` must be a layer instance; "
                             f"received: backward_layer={backward_layer!r}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: merge_mode={merge_mode!r}. Merge "
                             "mode should be one of {'sum', 'mul', 'ave', 'concat', None}")
        super().__init__(**kwargs)
        self.forward_layer = _renamed_copy(layer, "forward_")
        if backward_layer is None:
            backward_layer = _renamed_copy(layer, "backward_", go_backwards=True)
        self.backward_layer = backward_layer
        self._check_directions()
        for direction in (self.forward_layer, self.backward_layer):
            if hasattr(direction, "zero_output_for_mask"):
                direction.zero_output_for_mask = direction.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self._initial_weights = list(weights) if weights else None

    def _check_directions(self):
        forward, backward = self.forward_layer, self.backward_layer
        if forward.go_backwards == backward.go_backwards:
            raise ValueError("Forward layer and backward layer should have different "
                             "`go_backwards` value. Received: forward_layer.go_backwards="
                             f"{forward.go_backwards}, backward_layer.go_backwards="
                             f"{backward.go_backwards}")
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attr) != getattr(backward, attr):
                raise ValueError("Forward layer and backward layer are expected to have the same "
                                 f"value for attribute {attr!r}, got {getattr(forward, attr)} "
                                 f"for forward layer and {getattr(backward, attr)} for backward "
                                 "layer")

    def build(self, sequences_shape, initial_state_shape=None):
        for direction in (self.forward_layer, self.backward_layer):
            if not direction.built:
                with naming.name_scope(direction.name):
                    direction._call_build(tuple(sequences_shape))
                direction.built = True
        if self._initial_weights:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        states = ()
        if self.return_state:
            shape, states = shape[0], tuple(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (None if shape[-1] is None else 2 * shape[-1],)
            outputs = (shape,)
        elif self.merge_mode is None:
            outputs = (tuple(shape), tuple(shape))
        else:
            outputs = (tuple(shape),)
        result = outputs + states + states
        return result[0] if len(result) == 1 else result

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            masks += [None] * (2 * len(self.forward_layer.state_size))
        return masks[0] if len(masks) == 1 else masks

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        y = self.forward_layer(sequences, initial_state=forward_state, mask=mask,
                               training=training)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, mask=mask,
                                    training=training)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = torch.flip(y_rev, dims=(1,))
        if self.merge_mode == "concat":
            output = (torch.cat([y, y_rev], dim=-1),)
        elif self.merge_mode == "sum":
            output = (y + y_rev,)
        elif self.merge_mode == "ave":
            output = ((y + y_rev) / 2,)
        elif self.merge_mode == "mul":
            output = (y * y_rev,)
        else:
            output = (y, y_rev)
        result = output + states
        return result[0] if len(result) == 1 else result

    @property
    def states(self):
        forward, backward = self.forward_layer.states, self.backward_layer.states
        if forward and backward:
            return tuple(forward) + tuple(backward)
        return None

    def reset_state(self):
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        self.reset_state()

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        config["layer"] = serialization_lib.serialize_keras_object(self.forward_layer)
        config["backward_layer"] = serialization_lib.serialize_keras_object(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = serialization_lib.deserialize_keras_object(
            config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = serialization_lib.deserialize_keras_object(
                backward, custom_objects=custom_objects)
        return cls(**config)
