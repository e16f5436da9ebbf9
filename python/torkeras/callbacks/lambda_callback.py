"""`LambdaCallback`: a callback made of plain functions."""

from torkeras.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Each argument is a function called at that hook: `on_epoch_begin` /
    `on_epoch_end` and `on_train_batch_begin` / `on_train_batch_end` get
    `(epoch_or_batch, logs)`, `on_train_begin` / `on_train_end` get `(logs)`.
    Other hooks (`on_test_begin`, `on_predict_batch_end`, `on_batch_end`, ...)
    can be passed as keyword arguments."""

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
