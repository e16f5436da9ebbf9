"""`TerminateOnNaN`: stop training when the loss becomes NaN or infinite."""

import math

from torkeras.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Checks the batch loss after every training batch and stops `fit()` on
    a NaN or infinite value (this reads the loss every batch)."""

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        loss = logs.get("loss")
        if loss is not None:
            loss = float(loss)
            if math.isnan(loss) or math.isinf(loss):
                print(f"Batch {batch}: Invalid loss, terminating training")
                self.model.stop_training = True
