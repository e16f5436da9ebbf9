"""`Callback`: the base class of training hooks."""


class Callback:
    """Base class of callbacks: hooks run during `fit()`, `evaluate()` and `predict()`.

    Override any of the hooks: `on_train_begin(logs)` / `on_train_end(logs)`,
    `on_epoch_begin(epoch, logs)` / `on_epoch_end(epoch, logs)`,
    `on_train_batch_begin(batch, logs)` / `on_train_batch_end(batch, logs)`,
    and the `on_test_*` and `on_predict_*` counterparts (`on_batch_begin` /
    `on_batch_end` are the training batch hooks' old names). `epoch` and
    `batch` count from 0; `logs` is a dict of the current loss and metric
    values (at epoch end also the "val_" ones). The model is available as
    `self.model` and the loop parameters (`verbose`, `epochs`, `steps`) as
    `self.params`; setting `self.model.stop_training = True` ends `fit()` after
    the current batch.

    Batch-end `logs` are dicts of Python floats. A subclass that sets
    `_accepts_lazy_logs = True` receives instead a zero-argument callable
    returning that dict, and may skip calling it (no device sync then).

    Example:
    >>> class CountEpochs(keras.callbacks.Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.count = 0
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.count += 1
    >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    >>> counter = CountEpochs()
    >>> _ = model.fit(x, y, epochs=3, callbacks=[counter], verbose=0)
    >>> counter.count
    3
    """

    _accepts_lazy_logs = False

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        """Stores the loop parameters (`verbose`, `epochs`, `steps`) as `self.params`.

        Args:
            params: dict of the loop parameters.
        """
        self.params = params

    def set_model(self, model):
        """Sets `self.model` (called by the training loop before the first hook).

        Args:
            model: the model being trained, evaluated or used for prediction.
        """
        self._model = model

    @property
    def model(self):
        return self._model

    @model.setter
    def model(self, model):
        self._model = model

    # -- batch hooks (train variants fall back to the on_batch_* aliases) ---
    def on_batch_begin(self, batch, logs=None):
        """Alias of `on_train_batch_begin` (kept for compatibility)."""

    def on_batch_end(self, batch, logs=None):
        """Alias of `on_train_batch_end` (kept for compatibility)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch.

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch, with the running loss and metrics.

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each batch of `evaluate()` (and of validation).

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_test_batch_end(self, batch, logs=None):
        """Called after each batch of `evaluate()` (and of validation).

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each batch of `predict()`.

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each batch of `predict()`.

        Override in a subclass; the default does nothing.

        Args:
            batch: index of the batch within the epoch (from 0).
            logs: dict holding the batch's predictions under "outputs".
        """
        pass

    # -- epoch and loop hooks --------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each training epoch.

        Override in a subclass; the default does nothing.

        Args:
            epoch: index of the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of each training epoch, with the epoch's loss and metrics
        (and the "val_" ones when there is validation data).

        Override in a subclass; the default does nothing.

        Args:
            epoch: index of the epoch (from 0).
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_train_begin(self, logs=None):
        """Called once when `fit()` starts.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_train_end(self, logs=None):
        """Called once when `fit()` ends.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def _on_train_abort(self):
        """Called instead of `on_train_end` when `fit()` stops on an exception
        (KeyboardInterrupt included): release files and connections here.
        Keras has no such hook (its callbacks are not told of a failure);
        the exception goes on to the caller afterwards."""

    def on_test_begin(self, logs=None):
        """Called when `evaluate()` (or a validation pass) starts.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_test_end(self, logs=None):
        """Called when `evaluate()` (or a validation pass) ends, with its results.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_predict_begin(self, logs=None):
        """Called when `predict()` starts.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass

    def on_predict_end(self, logs=None):
        """Called when `predict()` ends.

        Override in a subclass; the default does nothing.

        Args:
            logs: dict of the current loss and metric values (may be empty).
        """
        pass
