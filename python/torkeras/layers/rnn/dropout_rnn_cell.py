"""Dropout masks for recurrent cells.

As in Keras, a cell drops the same input features and the same state units
at every time step of a sequence: one mask for the inputs and one for the
recurrent state are drawn at the first step and reused until the RNN layer
clears them at the end of its call.

A cell with a `dropout_mask_count` attribute (LSTMCell / GRUCell with
`implementation=1`, which `recurrent_dropout > 0` selects, and ConvLSTM
cells) draws that many independent masks instead, one per gate, as Keras
does; `get_dropout_mask` then returns the list.
"""

import torch

from torkeras.layers.regularization.seeded_generator import SeededGenerators


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and `seed`."""

    def _dropout_state(self):
        state = self.__dict__.get("_dropout_masks")
        if state is None:
            state = self.__dict__["_dropout_masks"] = {
                "generators": SeededGenerators(self.seed), "input": None, "recurrent": None}
        return state

    def _draw(self, like, rate):
        count = getattr(self, "dropout_mask_count", None)
        if count is not None:
            return [self._draw_one(like, rate) for _ in range(count)]
        return self._draw_one(like, rate)

    def _draw_one(self, like, rate):
        keep = 1.0 - rate
        mask = torch.empty(like.shape, dtype=like.dtype, device=like.device)
        generator = self._dropout_state()["generators"].get(like.device)
        return mask.bernoulli_(keep, generator=generator).div_(keep)

    def get_dropout_mask(self, step_input):
        state = self._dropout_state()
        if state["input"] is None and self.dropout > 0:
            state["input"] = self._draw(step_input, self.dropout)
        return state["input"]

    def get_recurrent_dropout_mask(self, step_state):
        state = self._dropout_state()
        if state["recurrent"] is None and self.recurrent_dropout > 0:
            state["recurrent"] = self._draw(step_state, self.recurrent_dropout)
        return state["recurrent"]

    def reset_dropout_mask(self):
        self._dropout_state()["input"] = None

    def reset_recurrent_dropout_mask(self):
        self._dropout_state()["recurrent"] = None
