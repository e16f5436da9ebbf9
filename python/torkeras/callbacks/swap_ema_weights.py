"""`SwapEMAWeights`: evaluate (and optionally checkpoint) with the EMA weights."""

import torch

from torkeras.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Evaluates and predicts with the exponential moving average of the weights.

    With an optimizer created with `use_ema=True`, the model weights are swapped
    with their moving averages around evaluation and prediction (and swapped
    back afterwards).

    Args:
        swap_on_epoch: whether to also hold the averaged weights from each epoch
            end to the next epoch start, so that callbacks after this one in the
            list (e.g. `ModelCheckpoint`) see and save them. Defaults to False.
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _pairs(self):
        optimizer = getattr(self.model, "optimizer", None)
        averages = getattr(optimizer, "_model_variables_moving_average", None)
        if not getattr(optimizer, "use_ema", False) or averages is None:
            raise ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the "
                             f"optimizer. Received: use_ema={getattr(optimizer, 'use_ema', None)}")
        return zip(self.model.trainable_variables, averages)

    def _swap_variables(self):
        with torch.no_grad():
            for variable, average in self._pairs():
                current = variable.value.detach().clone()
                variable.assign(average)
                average.assign(current)

    def _finalize_ema_values(self):
        # fit() ends by copying the averages into the model: put the averages
        # back where it expects them.
        for variable, average in self._pairs():
            average.assign(variable)

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if self.params and epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        self.on_test_begin(logs)

    def on_predict_end(self, logs=None):
        self.on_test_end(logs)
