"""`LambdaCallback`: a callback made of plain functions."""

from torkeras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """A callback built from plain functions, one per hook.

    Each given function runs at its hook; hooks not given do nothing.

    Args:
        on_epoch_begin: optional `function(epoch, logs)` run at the start of
            each epoch (`epoch` counts from 0).
        on_epoch_end: optional `function(epoch, logs)` run at the end of each
            epoch, with the epoch's metrics in `logs`.
        on_train_begin: optional `function(logs)` run once when training starts.
        on_train_end: optional `function(logs)` run once when training ends.
        on_train_batch_begin: optional `function(batch, logs)` run before each
            training batch.
        on_train_batch_end: optional `function(batch, logs)` run after each
            training batch, with the running metrics in `logs`.
        **kwargs: functions for the other hooks, by hook name (`on_test_begin`,
            `on_predict_batch_end`, `on_batch_end`, ...).

    Example:
    >>> seen = []
    >>> cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> cb.on_epoch_end(0, {})
    >>> seen
    [0]
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, fn in hooks.items():
            if fn is not None:
                setattr(self, name, fn)
