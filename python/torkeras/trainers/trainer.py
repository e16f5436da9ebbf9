"""compile / fit / evaluate / predict for torch-backed models.

The default train step is the hot path: one forward, the compiled loss,
backward, a foreach optimizer update and in-place metric accumulation, with
no host synchronisation. Logs (Python floats) are produced only when a
callback asks for them.
"""


import itertools
import warnings

import numpy as np
import torch

from torkeras.trainers import data_adapter, data_checks, stateless_step
from torkeras.trainers.compile_utils import CompileLoss, CompileMetrics
from torkeras.trainers.fit_start import FitStart
from torkeras.trainers.prediction_buffer import (
    PredictionBuffer, concatenate_outputs as _concat_outputs, rows_to_predict)
from torkeras.utils import tree
from torkeras.utils.traceback_utils import filter_traceback, user_stacklevel


class Trainer:
    def __init__(self):
        d = self.__dict__
        d["compiled"] = False
        d["optimizer"] = None
        d["_compile_loss"] = None
        d["_compile_metrics"] = None
        d["_loss_tracker"] = None
        d["stop_training"] = False
        d["history"] = None
        d["_compile_config"] = None
        d["_jit_compile"] = False
        d["_run_eagerly"] = False
        d["steps_per_execution"] = 1

    # -- compile --------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training: optimizer, loss and metrics.

        Every argument is checked and every name (optimizer, losses, metrics)
        resolved before the model changes: a rejected call raises and leaves the
        model as it was (compiled as before, or not compiled). For a Functional
        model the `loss`, `loss_weights` and `metrics` entries are also matched
        against its outputs here; for other models on the first batch, before the
        first update.

        Args:
            optimizer: an optimizer name ("rmsprop", "adam", "sgd", ...) or a
                `keras.optimizers.Optimizer` instance. Default "rmsprop".
            loss: a loss name ("mse", "categorical_crossentropy", ...), a
                `keras.losses.Loss` instance or a function `fn(y_true, y_pred)`;
                for several outputs a list, or a dict by output name.
            loss_weights: optional list or dict of scalars weighting the losses of
                several outputs (the total loss is their weighted sum).
            metrics: optional list of metrics (names such as "accuracy" or "mae",
                `keras.metrics.Metric` instances or functions); for several outputs
                a list of lists or a dict by output name. "accuracy" picks the
                binary, categorical or sparse variant from the loss and shapes.
            weighted_metrics: like `metrics`, but weighted by `sample_weight` and
                `class_weight`.
            run_eagerly: whether to run the steps as plain Python (disables
                `jit_compile`).
            steps_per_execution: number of batches run between calls of the batch
                hooks of callbacks (the hooks see the first and last step index of
                each group). Default 1.
            jit_compile: True compiles the train/test/predict steps with
                `torch.compile`; "auto" (default) and False do not.
            auto_scale_loss: with the "mixed_float16" dtype policy, wrap the
                optimizer in a `LossScaleOptimizer` (default True).

        Example:
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        >>> type(model.optimizer).__name__
        'Adam'
        """
        from torkeras import metrics as metrics_module
        from torkeras import optimizers
        steps_per_execution = _positive_int(steps_per_execution, "steps_per_execution")
        outputs = getattr(self, "_outputs_struct", None)
        output_names = self.output_names if outputs is not None else None
        compile_loss = CompileLoss(loss, loss_weights, output_names, outputs=outputs) \
            if loss is not None else None
        compile_metrics = CompileMetrics(metrics, weighted_metrics, loss=loss,
                                         output_names=output_names, outputs=outputs) \
            if (metrics or weighted_metrics) else None
        optimizer_obj = optimizers.get(optimizer)
        if auto_scale_loss and self.dtype_policy.name == "mixed_float16" \
                and not isinstance(optimizer_obj, optimizers.LossScaleOptimizer):
            # As Keras 3: float16 gradients need dynamic loss scaling.
            optimizer_obj = optimizers.LossScaleOptimizer(optimizer_obj,
                                                          name="loss_scale_optimizer")
        if jit_compile == "auto":
            jit_compile = False
        if jit_compile and run_eagerly:
            # As Keras: eager execution wins.
            import warnings
            warnings.warn("If `run_eagerly` is True, then `jit_compile` cannot also be True. "
                          "Disabling `jit_compile`.", stacklevel=2)
            jit_compile = False
        self.__dict__.update(
            optimizer=optimizer_obj,
            _compile_loss=compile_loss,
            _compile_metrics=compile_metrics,
            _loss_tracker=metrics_module.Mean(name="loss"),
            _jit_compile=bool(jit_compile),
            _run_eagerly=bool(run_eagerly),
            steps_per_execution=steps_per_execution,
            _compiled_steps={},
            _auto_scale_loss=bool(auto_scale_loss),
            _compile_config=dict(
                optimizer=optimizer, loss=loss, loss_weights=loss_weights, metrics=metrics,
                weighted_metrics=weighted_metrics, run_eagerly=run_eagerly,
                steps_per_execution=steps_per_execution, jit_compile=jit_compile,
                auto_scale_loss=auto_scale_loss),
            compiled=True)

    @property
    def run_eagerly(self):
        return self._run_eagerly

    @run_eagerly.setter
    def run_eagerly(self, value):
        self.__dict__["_run_eagerly"] = bool(value)
        self.__dict__["_compiled_steps"] = {}

    @property
    def jit_compile(self):
        return self._jit_compile

    @jit_compile.setter
    def jit_compile(self, value):
        self.__dict__["_jit_compile"] = bool(value) and not self._run_eagerly
        self.__dict__["_compiled_steps"] = {}

    @property
    def metrics(self):
        # Keras' order: loss, the compiled metrics, then per-output losses.
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_metrics is not None:
            out.append(self._compile_metrics)
        if self._compile_loss is not None:
            out.extend(self._compile_loss.metrics)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _require_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before calling `{what}()` on model "
                               f"{self.name!r}.")

    # -- steps -------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = None
        if self._compile_loss is not None and y is not None:
            loss = self._compile_loss(y, y_pred, sample_weight)
        extra = self.losses
        if extra:
            total_extra = torch.stack([torch.as_tensor(v, dtype=torch.float32).reshape(())
                                       for v in extra]).sum()
            loss = total_extra if loss is None else loss + total_extra
        if loss is None:
            if self._compile_loss is None and not extra:
                raise ValueError("No loss to compute. Provide a `loss` argument in `compile()` "
                                 "(or add losses with `add_loss()` in your layers).")
            if y is None:
                raise ValueError(
                    "The model was compiled with a `loss`, which compares predictions with "
                    "targets, but no targets `y` were given. Pass `y` (or data that yields "
                    "(x, y) pairs), or compile without a loss if the model adds its own "
                    "with `add_loss()`.")
            loss = torch.zeros(())
        return loss

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        logs = {}
        for m in self.metrics:
            result = m.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[m.name] = result
        return logs

    def train_step(self, data):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        loss = self.optimizer.scale_loss(loss)
        trainable = self.trainable_weights
        if not trainable:
            # As Keras: nothing to differentiate, so no backward pass.
            warnings.warn("The model does not have any trainable weights.")
            return self.compute_metrics(x, y, y_pred, sample_weight)
        for v in trainable:
            v.value.grad = None
        loss.backward()
        grads = [v.value.grad for v in trainable]
        # Metrics before the update: a step that fails changes no weights.
        logs = self.compute_metrics(x, y, y_pred, sample_weight)
        with torch.no_grad():
            self.optimizer.apply(grads, trainable)
        return logs

    def test_step(self, data):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _fast_train_step(self, x, y, sample_weight, trainable, tensors):
        """The default train step without building logs (they are read lazily).

        Everything that can fail (forward, loss, backward, the metrics, which
        are built on the first batch) runs before `optimizer.apply`, so a
        step that raises has changed no trainable weight and no optimizer
        state (trainers/fit_start.py undoes the rest of a failed start)."""
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        loss = self.optimizer.scale_loss(loss)
        if not tensors:
            warnings.warn("The model does not have any trainable weights.")
        for t in tensors:
            t.grad = None
        if tensors:
            loss.backward()
        grads = [t.grad for t in tensors]
        if self._compile_metrics is not None and y is not None:
            with torch.no_grad():
                self._compile_metrics.update_state(y, _detached(y_pred) if isinstance(y_pred, torch.Tensor)
                                                   else tree.map_structure(_detached, y_pred),
                                                   sample_weight)
        self.optimizer.apply(grads, trainable)

    def _step_function(self, kind):
        """The step to run per batch: the user's override, or the fast default.

        An override written JAX-style, `step(state, data)`, runs through
        `stateless_step.StatelessStep`, which passes the state and writes the
        returned state back; the loops then call every step as `step(data)`."""
        cache = self.__dict__.setdefault("_compiled_steps", {})
        if kind in cache:
            return cache[kind]
        overridden = getattr(type(self), f"{kind}_step") is not getattr(Trainer, f"{kind}_step")
        if kind == "train" and not overridden:
            fn = self._fast_train_step
        else:
            fn = getattr(self, f"{kind}_step")
        compiled = self._jit_compile and not self._run_eagerly
        if overridden and stateless_step.takes_state(fn):
            fn = stateless_step.StatelessStep(self, kind, torch.compile(fn) if compiled else fn)
        elif compiled:
            fn = torch.compile(fn)
        cache[kind] = (fn, overridden)
        return cache[kind]

    # -- fit -------------------------------------------------------------------------
    @filter_traceback
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains the model for a number of epochs (passes over the data).

        The data is checked before the first step (trainers/data_checks.py): `x`
        against `model.inputs` (their number, a dict's keys, the rank and every
        known non-batch dimension; a missing or extra trailing axis of size 1 is
        adjusted as Keras does), NaN/Inf in `x`, `y`, `sample_weight` and
        `validation_data` (Keras does not check `x`; a non-finite input would make
        every weight NaN), negative sample or class weights, and class labels of
        sparse losses/metrics and of `class_weight` outside [0, number of classes).
        Bad data raises one ValueError naming the argument and the first offending
        row, and the model is left as it was. Streamed data (generators, datasets,
        PyDataset, DataLoader) is checked batch by batch, each batch before it is
        used; the first batch of a streamed `validation_data` is read and checked
        when fit() starts.

        Args:
            x: the input data: a NumPy array or torch tensor (or a list / dict of
                    them for several inputs), a pandas DataFrame, a pyarrow Table or
                    dataset, a `keras.utils.PyDataset`, a torch `Dataset` or
                    `DataLoader`, or a Python generator. Generators and datasets
                    yield whole batches `(x, y)` or `(x, y, sample_weight)`.
            y: the targets, like `x` for arrays and tensors (one per output, or
                    a dict by output name); None when `x` already yields the targets.
            batch_size: number of samples per batch (default 32) for array
                    inputs; not used for data that yields batches.
            epochs: number of epochs to train (the last epoch index, counting
                `initial_epoch`).
            verbose: 0 (silent), 1 (progress bar), 2 (one line per epoch) or
                    "auto" (1).
            callbacks: optional list of `keras.callbacks.Callback` instances.
            validation_split: fraction in [0, 1) of the array data (the last
                samples, before shuffling) held out for validation.
            validation_data: data evaluated at the end of each epoch: a tuple
                `(x_val, y_val)` or `(x_val, y_val, sample_weight_val)`, or a
                dataset / generator yielding such batches.
            shuffle: whether to shuffle array data before each epoch.
            class_weight: optional dict mapping class ids (0-based) to weights
                multiplying the loss of the samples of that class.
            sample_weight: optional per-sample weights (an array of shape
                    `(samples,)`, or `(samples, timesteps)` for per-step weights),
                    multiplying each sample's loss.
            initial_epoch: epoch at which to start (to resume a previous run).
            steps_per_epoch: number of batches per epoch (default: one pass over
                the data; required for endless generators).
            validation_steps: number of validation batches per evaluation.
            validation_batch_size: batch size of the validation data (default:
                `batch_size`).
            validation_freq: evaluate every this many epochs (an integer), or at
                the listed epochs (1-based).

        Returns:
            A `keras.callbacks.History` whose `history` dict holds the per-epoch
            loss and metric values (and the "val_" ones).

        Example:
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> x, y = np.ones((16, 3), "float32"), np.ones((16, 1), "float32")
        >>> history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        >>> sorted(history.history), len(history.history["loss"])
        (['loss'], 2)
        """
        from torkeras.callbacks import CallbackList
        self._require_compiled("fit")
        epochs = _capped_epochs(_positive_int(epochs, "epochs", allow_zero=True))
        initial_epoch = _positive_int(initial_epoch, "initial_epoch", allow_zero=True)
        verbose = _resolve_verbose(verbose)
        _require_x(x, "fit")
        if steps_per_epoch is not None:
            steps_per_epoch = _positive_int(steps_per_epoch, "steps_per_epoch")
        if validation_steps is not None:
            validation_steps = _positive_int(validation_steps, "validation_steps")
        validation_freq = _validation_freq(validation_freq)
        _check_class_weight(class_weight, sample_weight)
        train_batch_size = batch_size
        if batch_size is None and steps_per_epoch is not None and _is_array_data(x):
            # As Keras: arrays with steps_per_epoch but no batch_size are cut into
            # steps_per_epoch batches (validation keeps the default size).
            rows = _rows(x)
            if validation_split and validation_data is None:
                rows = int(rows * (1.0 - validation_split))
            train_batch_size = max(1, -(-rows // steps_per_epoch))
        dataset = data_adapter.make_dataset(x, y, sample_weight, batch_size=train_batch_size,
                                            shuffle=shuffle, class_weight=class_weight, model=self)
        steps_per_epoch = _capped_steps(steps_per_epoch, dataset)
        val_dataset = None
        if validation_split and validation_data is None:
            if not isinstance(dataset, data_adapter.ArrayDataset):
                raise ValueError("`validation_split` is only supported for arrays and tensors, "
                                 "not for datasets, generators or DataLoaders; pass "
                                 "`validation_data` instead.")
            dataset, val_dataset = dataset.split(validation_split)
        elif validation_data is not None:
            val_dataset = data_adapter.make_validation_dataset(
                validation_data, batch_size=batch_size,
                validation_batch_size=validation_batch_size, model=self)
        _require_steps_for_endless(dataset, steps_per_epoch, "steps_per_epoch")
        if val_dataset is not None:
            _require_steps_for_endless(val_dataset, validation_steps, "validation_steps")
        steps = dataset.steps if steps_per_epoch is None else steps_per_epoch
        epoch_iterator = _EpochIterator(dataset, steps_per_epoch)
        if not self.built:
            first = data_checks.first_batch(dataset, "fit() received no data (0 batches).")
            self(first[0])
        # Shapes and class labels against the built model, before the first step.
        data_checks.check_against_model(self, dataset, class_weight=class_weight)
        data_checks.check_against_model(
            self, val_dataset, of="validation_data" if validation_data is not None else None)
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=epochs, steps=steps)
        self.__dict__["stop_training"] = False
        step_fn, overridden = self._step_function("train")
        trainable = self.trainable_weights
        tensors = [v.value for v in trainable]
        # A fit that fails before its first update leaves the model's state
        # and the optimizer as they were (trainers/fit_start.py).
        fit_start = FitStart(self, restore_state_variables=not overridden)
        logs = {}
        last_step_logs = {}
        # steps_per_execution: the batch hooks fire once per `spe` steps, with the
        # first and the last step index of the group (Keras semantics).
        spe = self.steps_per_execution
        # An exception (from a callback, the loss, a layer, ...) leaves the model
        # in eval mode, as a finished fit does; every other piece of loop state
        # (metrics, stop_training) is reset when the next loop starts.
        try:
            self.optimizer.build(trainable)
            callbacks.on_train_begin()
            # A callback (BackupAndRestore) may ask to resume at a later epoch,
            # and within it after the batches done before an interruption.
            initial_epoch = self.__dict__.pop("_initial_epoch", None) or initial_epoch
            first_step = self.__dict__.pop("_initial_step", 0)
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                callbacks.on_epoch_begin(epoch)
                self.train()
                step = -1
                pending = False
                batches = epoch_iterator.epoch()
                if first_step:
                    # Drawn in the epoch's order and skipped, not run.
                    batches = itertools.islice(batches, first_step, None)
                for step, (bx, by, bsw) in enumerate(batches, first_step):
                    if spe == 1 or step % spe == 0:
                        callbacks.on_train_batch_begin(step)
                    if overridden:
                        last_step_logs = step_fn(_pack(bx, by, bsw))
                    else:
                        step_fn(bx, by, bsw, trainable, tensors)
                    if spe == 1 or (step + 1) % spe == 0:
                        pending = False
                        callbacks.on_train_batch_end(
                            step, _constant(last_step_logs) if overridden else self.get_metrics_result)
                        if self.stop_training:
                            break
                    else:
                        pending = True
                if pending:
                    callbacks.on_train_batch_end(
                        step, _constant(last_step_logs) if overridden else self.get_metrics_result)
                if step < 0 and epoch == initial_epoch and not first_step:
                    raise ValueError("fit() received no data (0 batches).")
                epoch_logs = _pythonify(last_step_logs if overridden else self.get_metrics_result())
                if val_dataset is not None and _should_validate(epoch, validation_freq):
                    val_logs = self._evaluate_dataset(val_dataset, steps=validation_steps,
                                                      verbose=0, callbacks=callbacks)
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                callbacks.on_epoch_end(epoch, epoch_logs)
                logs = epoch_logs
                first_step = 0
                if self.stop_training:
                    break
        except BaseException:
            callbacks.end_open_progress_line()
            # on_train_end is not called (as in Keras); callbacks holding files
            # or connections release them here.
            callbacks._on_train_abort()
            fit_start.undo_if_no_update()
            raise
        finally:
            self.eval()
            # Ends an unfinished pass (a PyDataset's worker processes) now, not
            # whenever a traceback holding this frame is dropped.
            _close_data(dataset, val_dataset)
        # With use_ema, the moving averages become the final weights.
        self.optimizer.finalize_variable_values(trainable)
        callbacks.on_train_end(logs)
        return self.history

    # -- evaluate ---------------------------------------------------------------------------
    @filter_traceback
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """Returns the loss and metric values of the model on the given data.

        Runs the test step over the data in batches, with the model in inference
        mode (no dropout; batch normalization uses its moving statistics).

        Args:
            x: the input data: a NumPy array or torch tensor (or a list / dict of
                    them for several inputs), a pandas DataFrame, a pyarrow Table or
                    dataset, a `keras.utils.PyDataset`, a torch `Dataset` or
                    `DataLoader`, or a Python generator. Generators and datasets
                    yield whole batches `(x, y)` or `(x, y, sample_weight)`.
            y: the targets, like `x` for arrays and tensors (one per output, or
                    a dict by output name); None when `x` already yields the targets.
            batch_size: number of samples per batch (default 32) for array
                    inputs; not used for data that yields batches.
            verbose: 0 (silent), 1 (progress bar), 2 (one line per epoch) or
                    "auto" (1).
            sample_weight: optional per-sample weights (an array of shape
                    `(samples,)`, or `(samples, timesteps)` for per-step weights),
                    multiplying each sample's loss.
            steps: optional number of batches to evaluate (default: all the data).
            callbacks: optional list of `keras.callbacks.Callback` instances.
            return_dict: whether to return a dict by name instead of a list.

        Returns:
            The loss (a float) when the model has no metrics, else the list
            `[loss, metric values...]`, or with `return_dict=True` a dict
            `{"loss": ..., metric name: ...}`.

        Example:
        >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, use_bias=False,
        ...                           kernel_initializer="zeros")])
        >>> model.compile(loss="mse", metrics=["mae"])
        >>> model.evaluate(np.ones((4, 2), "float32"), np.full((4, 1), 2.0, "float32"),
        ...                return_dict=True, verbose=0)
        {'loss': 4.0, 'mae': 2.0}
        """
        self._require_compiled("evaluate")
        _require_x(x, "evaluate")
        verbose = _resolve_verbose(verbose)
        dataset = data_adapter.make_dataset(x, y, sample_weight, batch_size=batch_size, shuffle=False,
                                            model=self)
        try:
            data_checks.check_against_model(self, dataset)
            logs = self._evaluate_dataset(dataset, steps=steps, verbose=verbose, callbacks=callbacks,
                                          require_data=True)
        finally:
            _close_data(dataset)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def _flatten_metrics_in_order(self, logs):
        """The values of `logs` as a list (one value: that value), in Keras'
        order: the metrics' names first, then any other keys sorted."""
        names = []
        for metric in self.metrics:
            if isinstance(metric, CompileMetrics):
                names.extend(m.name for m in metric.metrics)
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    def _evaluate_dataset(self, dataset, steps=None, verbose=0, callbacks=None, require_data=False):
        """Runs the test loop. `require_data`: no batch at all is an error (evaluate());
        validation inside fit() accepts a source that has run dry."""
        from torkeras.callbacks import CallbackList
        steps = _capped_steps(None if steps is None else _positive_int(steps, "steps"), dataset)
        _require_steps_for_endless(dataset, steps, "steps")
        n_steps = dataset.steps if steps is None else steps
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=n_steps)
        step_fn, overridden = self._step_function("test")
        self.reset_metrics()
        self.eval()
        logs = {}
        callbacks.on_test_begin()
        try:
            spe = self.steps_per_execution
            with torch.no_grad():
                step = -1
                pending = False
                for step, (bx, by, bsw) in enumerate(dataset.batches(max_steps=n_steps)):
                    if step % spe == 0:
                        callbacks.on_test_batch_begin(step)
                    logs = step_fn(_pack(bx, by, bsw))
                    pending = (step + 1) % spe != 0
                    if not pending:
                        callbacks.on_test_batch_end(step, _constant(logs))
                if pending:
                    callbacks.on_test_batch_end(step, _constant(logs))
                if require_data and step < 0:
                    raise ValueError("evaluate() received no data (0 batches).")
        except BaseException:
            callbacks.end_open_progress_line()
            raise
        logs = _pythonify(logs if overridden else self.get_metrics_result())
        callbacks.on_test_end(logs)
        return logs

    # -- predict -------------------------------------------------------------------------------
    @filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Generates output predictions for the input samples, batch by batch.

        The model runs in inference mode; the outputs of all batches are
        concatenated.

        Args:
            x: the input data: a NumPy array or torch tensor (or a list / dict of
                    them for several inputs), a pandas DataFrame, a pyarrow Table or
                    dataset, a `keras.utils.PyDataset`, a torch `Dataset` or
                    `DataLoader`, or a Python generator. Generators and datasets
                    yield whole batches `(x, y)` or `(x, y, sample_weight)`.
            batch_size: number of samples per batch (default 32) for array
                    inputs; not used for data that yields batches.
            verbose: 0 (silent), 1 (progress bar), 2 (one line per epoch) or
                    "auto" (1).
            steps: optional number of batches to predict (default: all the data).
            callbacks: optional list of `keras.callbacks.Callback` instances.

        Returns:
            A NumPy array (or a list / dict of arrays for several outputs).

        Example:
        >>> model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3)])
        >>> model.predict(np.zeros((5, 2), "float32"), verbose=0).shape
        (5, 3)
        """
        from torkeras.callbacks import CallbackList
        _require_x(x, "predict")
        verbose = _resolve_verbose(verbose)
        dataset = data_adapter.make_dataset(x, None, None, batch_size=batch_size, shuffle=False,
                                            model=self)
        data_checks.check_against_model(self, dataset)
        steps = _capped_steps(None if steps is None else _positive_int(steps, "steps"), dataset)
        _require_steps_for_endless(dataset, steps, "steps")
        n_steps = dataset.steps if steps is None else steps
        callbacks = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=n_steps)
        step_fn, _ = self._step_function("predict")
        self.eval()
        outputs = PredictionBuffer(rows_to_predict(dataset, n_steps))
        callbacks.on_predict_begin()
        try:
            spe = self.steps_per_execution
            with torch.no_grad():
                step = -1
                group = []
                for step, (bx, _, _) in enumerate(dataset.batches(max_steps=n_steps)):
                    if step % spe == 0:
                        callbacks.on_predict_batch_begin(step)
                    out = step_fn((bx,))
                    outputs.add(out)
                    group.append(out)
                    if (step + 1) % spe == 0:
                        callbacks.on_predict_batch_end(step, {"outputs": _group_outputs(group)})
                        group = []
                if group:
                    callbacks.on_predict_batch_end(step, {"outputs": _group_outputs(group)})
        except BaseException:
            callbacks.end_open_progress_line()
            raise
        finally:
            _close_data(dataset)
        callbacks.on_predict_end()
        if outputs.empty:
            raise ValueError("predict() received no data (0 batches).")
        return outputs.result()

    # -- single batches ------------------------------------------------------------------------------
    # As in Keras 3, these do not reset the metrics: the loss and metrics they
    # report accumulate over calls until `reset_metrics()` (or fit/evaluate).
    @filter_traceback
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """Runs one training step (a gradient update) on a single batch of data.

        Args:
            x: the input batch (array, tensor, or a list / dict of them).
            y: the target batch.
            sample_weight: optional per-sample weights of the batch.
            class_weight: optional dict mapping class ids (0-based) to weights.
            return_dict: whether to return a dict by name instead of a list.

        Returns:
            The loss and metric values of this batch (as `evaluate()` returns
            them).
        """
        self._require_compiled("train_on_batch")
        _require_x(x, "train_on_batch")
        _check_class_weight(class_weight, sample_weight)
        dataset = data_adapter.ArrayDataset(x, y, sample_weight, batch_size=_rows(x),
                                            class_weight=class_weight)
        data_checks.check_against_model(self, dataset, class_weight=class_weight)
        bx, by, bsw = next(iter(dataset.batches()))
        step_fn, overridden = self._step_function("train")
        if not overridden:
            step_fn = self.train_step
        # As in Keras 3 (every backend): the logs are this batch's alone.
        self.reset_metrics()
        self.train()
        try:
            logs = step_fn(_pack(bx, by, bsw))
        finally:
            self.eval()
        logs = _pythonify(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @filter_traceback
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Computes the loss and metrics on a single batch, without updating the model.

        Args:
            x: the input batch (array, tensor, or a list / dict of them).
            y: the target batch.
            sample_weight: optional per-sample weights of the batch.
            return_dict: whether to return a dict by name instead of a list.

        Returns:
            The loss and metric values of this batch (as `evaluate()` returns
            them).
        """
        self._require_compiled("test_on_batch")
        _require_x(x, "test_on_batch")
        dataset = data_adapter.ArrayDataset(x, y, sample_weight, batch_size=_rows(x))
        data_checks.check_against_model(self, dataset)
        bx, by, bsw = next(iter(dataset.batches()))
        self.eval()
        step_fn, _ = self._step_function("test")
        self.reset_metrics()
        with torch.no_grad():
            logs = step_fn(_pack(bx, by, bsw))
        logs = _pythonify(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    @filter_traceback
    def predict_on_batch(self, x):
        """Returns the predictions of the model for a single batch of samples.

        Args:
            x: the input batch (array, tensor, or a list / dict of them).

        Returns:
            A NumPy array (or a list / dict of arrays for several outputs).
        """
        _require_x(x, "predict_on_batch")
        dataset = data_adapter.ArrayDataset(x, None, None, batch_size=_rows(x))
        data_checks.check_against_model(self, dataset)
        bx, _, _ = next(iter(dataset.batches()))
        self.eval()
        step_fn, _ = self._step_function("predict")
        with torch.no_grad():
            out = step_fn((bx,))
        return _concat_outputs([out])


# -- helpers ----------------------------------------------------------------------------------------
def _detached(t):
    """`t.detach()` keeping the mask the metrics read (`_keras_mask`)."""
    out = t.detach()
    mask = getattr(t, "_keras_mask", None)
    if mask is not None:
        out._keras_mask = mask
    return out


def _batch_size(x):
    if isinstance(x, torch.Tensor):
        return x.shape[0]
    return tree.flatten(x)[0].shape[0]


def _pack(x, y, sample_weight):
    """A batch as Keras hands it to the step functions: `(x,)`, `(x, y)` or
    `(x, y, sample_weight)`."""
    if y is None and sample_weight is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _rows(x):
    first = tree.flatten(x)[0]
    return int(np.shape(first)[0]) if not isinstance(first, torch.Tensor) else int(first.shape[0])


class _EpochIterator:
    """The batches of each epoch, as Keras' EpochIterator serves them.

    Without `steps_per_epoch` every epoch is one fresh pass over the data.
    With it, each epoch takes the next `steps_per_epoch` batches from an
    iterator that continues across epochs; when the data runs out the epoch
    ends early (with Keras' warning) and the next epoch starts a new pass. A
    pass that ends exactly at an epoch's end restarts silently.
    """

    def __init__(self, dataset, steps_per_epoch=None):
        self.dataset = dataset
        self.steps_per_epoch = steps_per_epoch
        self._it = None
        self._seen = 0

    def epoch(self):
        if self.steps_per_epoch is None:
            yield from self.dataset.batches()
            return
        if self._it is None:
            self._it = iter(self.dataset.batches())
            self._seen = 0
        for _ in range(self.steps_per_epoch):
            try:
                batch = next(self._it)
            except StopIteration:
                self._it = None
                import warnings
                warnings.warn("Your input ran out of data; interrupting training. Make sure "
                              "that your dataset or generator can generate at least "
                              "`steps_per_epoch * epochs` batches.", stacklevel=2)
                return
            self._seen += 1
            yield batch
        num = self.dataset.steps
        if num is not None and self._seen >= num:
            self._it = None


def _close_data(*datasets):
    """Lets streamed sources release their current pass (in-memory arrays hold nothing)."""
    for dataset in datasets:
        close = getattr(dataset, "close", None)
        if close is not None:
            close()


def _is_array_data(x):
    """In-memory arrays (or a structure of them), as opposed to datasets and generators."""
    leaves = tree.flatten(x)
    return bool(leaves) and all(hasattr(a, "shape") and hasattr(a, "__len__") for a in leaves)


def _check_class_weight(class_weight, sample_weight):
    if class_weight is None:
        return
    if sample_weight is not None:
        raise ValueError("You cannot use `class_weight` and `sample_weight` at the same time.")
    if not isinstance(class_weight, dict):
        raise ValueError("`class_weight` must be a dict mapping class ids to weights; "
                         f"received: {type(class_weight).__name__}")


def _require_x(x, verb):
    if x is None:
        raise ValueError(f"{verb}() needs input data `x`; received x=None.")


def _validation_freq(freq):
    if isinstance(freq, (list, tuple)):
        return [_positive_int(f, "validation_freq") for f in freq]
    return _positive_int(freq, "validation_freq")


def _should_validate(epoch, freq):
    """Keras: an int validates every `freq` epochs; a list names the (1-based) epochs."""
    if isinstance(freq, list):
        return epoch + 1 in freq
    return (epoch + 1) % freq == 0


def _group_outputs(group):
    return group[0] if len(group) == 1 else _concat_outputs(group)


def _constant(logs):
    return lambda: logs


def _pythonify(logs):
    out = {}
    for k, v in (logs or {}).items():
        if isinstance(v, dict):
            out.update(_pythonify(v))
        elif isinstance(v, torch.Tensor):
            out[k] = float(v.detach()) if v.numel() == 1 else v.detach().cpu().numpy()
        elif hasattr(v, "numpy") and callable(v.numpy):
            out[k] = float(v.numpy())
        else:
            try:
                out[k] = float(v)
            except (TypeError, ValueError):
                out[k] = v
    return out


def _capped_epochs(epochs):
    """`epochs`, capped by `keras.config.max_epochs()` (a debugging aid, as in Keras)."""
    from torkeras import config
    cap = config.max_epochs()
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=user_stacklevel())
        return cap
    return epochs


def _capped_steps(steps, dataset):
    """`steps` of one fit epoch / evaluate / predict, capped by
    `keras.config.max_steps_per_epoch()` (as Keras's epoch iterator does) when
    the cap is below the steps asked for or the batches the data has."""
    from torkeras import config
    cap = config.max_steps_per_epoch()
    if not cap:
        return steps
    available = steps if steps is not None else getattr(dataset, "steps", None)
    if available is None or cap < available:
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=user_stacklevel())
        return cap
    return steps


def _positive_int(value, name, allow_zero=False):
    if isinstance(value, bool) or value is None:
        raise ValueError(f"`{name}` must be an integer; received: {value!r}")
    try:
        ok = int(value) == value
    except (TypeError, ValueError):
        ok = False
    if not ok or int(value) < (0 if allow_zero else 1):
        bound = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"`{name}` must be {bound} integer; received: {value!r}")
    return int(value)


def _resolve_verbose(verbose):
    if verbose == "auto":
        return 1
    if isinstance(verbose, bool):
        return int(verbose)       # Keras 3 takes True as 1 and False as 0
    if verbose in (0, 1, 2):
        return int(verbose)
    if isinstance(verbose, float) and verbose in (0.0, 1.0, 2.0):
        return int(verbose)
    raise ValueError(f"`verbose` must be 0, 1, 2 or 'auto'; received: {verbose!r}")


def _require_steps_for_endless(dataset, steps, argname):
    """An endless dataset (repeat() without a count) needs a step count, or
    the first epoch would never end."""
    if steps is None and getattr(dataset, "infinite", False):
        raise ValueError(f"The dataset repeats forever (repeat() without a count); pass "
                         f"`{argname}` to say how many batches to take from it.")
