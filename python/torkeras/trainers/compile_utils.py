"""What `compile()` turns its `loss` and `metrics` arguments into.

Every name is resolved when `compile()` runs, so an unknown loss or metric is
an error there, not in the middle of the first training step. CompileLoss
maps the model's output structure to losses and sums them (with
`loss_weights`); CompileMetrics creates the metrics and updates them each
step. Matching the entries to the outputs needs the output structure: for a
Functional model it is known at compile time and checked then; otherwise it
is checked on the first batch, before the optimizer changes anything. Only
"accuracy"/"acc" wait for the first batch to pick the binary, sparse or
categorical accuracy from the shapes.
"""

import math
import numbers

from torkeras.metrics.metric import Metric


def _resolve(identifier, get, base, wrapper, kind):
    """`get(identifier)` as an instance of `base`; a plain function is wrapped
    in `wrapper`, named after the string id or the function."""
    obj = get(identifier)
    if isinstance(obj, base):
        return obj
    if callable(obj):
        name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", kind)
        return wrapper(obj, name=name)
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")


def _resolve_loss(identifier):
    from torkeras import losses
    if identifier is None or isinstance(identifier, losses.Loss):
        return identifier
    return _resolve(identifier, losses.get, losses.Loss, losses.LossFunctionWrapper, "loss")


def _resolve_losses(loss):
    """`loss` with each entry resolved to a Loss (or None): a single loss, or
    a list or dict of them (one per output)."""
    if isinstance(loss, dict):
        return {key: _resolve_loss(value) for key, value in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [_resolve_loss(value) for value in loss]
    return _resolve_loss(loss)


def _check_loss_weights(loss_weights):
    if loss_weights is None:
        return
    if isinstance(loss_weights, dict):
        values = list(loss_weights.values())
    elif isinstance(loss_weights, (list, tuple)):
        values = list(loss_weights)
    elif _is_number(loss_weights):
        values = [loss_weights]
    else:
        raise ValueError(
            "Expected `loss_weights` argument to be a float (single output case) or a list, "
            "tuple, or dict (multiple output case). Received instead: "
            f"loss_weights={loss_weights!r} of type {type(loss_weights).__name__}")
    if not all(_is_number(v) and math.isfinite(v) for v in values):
        raise ValueError("`loss_weights` must hold finite numbers (one weight per output); "
                         f"received: loss_weights={loss_weights!r}")


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def output_keys(outputs, output_names=None):
    """None for a model with one output; else the names of its outputs, in the
    order of `outputs` (the model's output structure, symbolic or real)."""
    if isinstance(outputs, dict):
        return list(outputs.keys())
    if isinstance(outputs, (list, tuple)):
        return output_names or [f"output_{i}" for i in range(len(outputs))]
    return None


class CompileLoss:
    """The compiled loss. `outputs`: the model's output structure when known
    at compile time (its entries are then matched to the outputs at once)."""

    def __init__(self, loss, loss_weights=None, output_names=None, outputs=None):
        _check_loss_weights(loss_weights)
        self.spec = _resolve_losses(loss)
        self.loss_weights = loss_weights
        self.output_names = output_names
        self._built = False
        if outputs is not None:
            self._match_outputs(output_keys(outputs, output_names))

    def build(self, y_true, y_pred):
        self._match_outputs(output_keys(y_pred, self.output_names))

    def _match_outputs(self, keys):
        """One loss and one weight per output (`keys`: see `output_keys`)."""
        spec = self.spec
        weights = self.loss_weights
        if keys is None:
            self.flat_losses = [_single_entry(spec, "loss")]
            weight = _single_entry(weights, "loss_weights")
            self.flat_weights = [1.0 if weight is None else float(weight)]
            self.flat_names = [None]
        else:
            n = len(keys)
            if isinstance(spec, dict):
                _check_output_keys(spec, keys, "loss")
                self.flat_losses = [spec.get(k) for k in keys]
            elif isinstance(spec, list):
                if len(spec) != n:
                    raise ValueError(f"The model has {n} outputs but `loss` has {len(spec)} entries.")
                self.flat_losses = list(spec)
            else:
                self.flat_losses = [spec] * n
            if weights is None:
                self.flat_weights = [1.0] * n
            elif isinstance(weights, dict):
                _check_output_keys(weights, keys, "loss_weights")
                self.flat_weights = [float(weights.get(k, 1.0)) for k in keys]
            elif isinstance(weights, (list, tuple)):
                if len(weights) != n:
                    raise ValueError(f"The model has {n} outputs but `loss_weights` has "
                                     f"{len(weights)}.")
                self.flat_weights = [float(w) for w in weights]
            else:
                self.flat_weights = [float(weights)] * n
            self.flat_names = keys
        self._multi = keys is not None
        # As Keras 3: with more than one loss, each output's (unweighted) loss
        # is also tracked and reported as `<output name>_loss`.
        from torkeras import metrics as metrics_module
        active = [i for i, fn in enumerate(self.flat_losses) if fn is not None]
        self._trackers = {}
        if self._multi and len(active) > 1:
            self._trackers = {i: metrics_module.Mean(name=f"{self.flat_names[i]}_loss")
                              for i in active}
        self._built = True
    @property
    def metrics(self):
        """The per-output loss trackers (empty before the first batch or with one loss)."""
        return list(getattr(self, "_trackers", {}).values())

    def _align_targets(self, y_true, n):
        """y_true as a list with one entry per output.

        A dict is matched by output name; a list shorter than the outputs maps
        1:1 onto the outputs that have a loss (Keras' partial-loss form).
        """
        if isinstance(y_true, dict):
            unknown = [k for k in y_true if k not in self.flat_names]
            if unknown:
                raise ValueError(f"The targets name outputs {unknown} that the model does not "
                                 f"have; its outputs are {self.flat_names}.")
            return [y_true.get(k) for k in self.flat_names]
        trues = list(y_true) if isinstance(y_true, (list, tuple)) else [y_true]
        if len(trues) == n:
            return trues
        active = [i for i, fn in enumerate(self.flat_losses) if fn is not None]
        if len(trues) == len(active):
            out = [None] * n
            for i, t in zip(active, trues):
                out[i] = t
            return out
        raise ValueError(f"The model has {n} outputs ({len(active)} with a loss) but "
                         f"{len(trues)} target arrays were given.")

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            self.build(y_true, y_pred)
        if not self._multi:
            loss_fn = self.flat_losses[0]
            if loss_fn is None:
                return None
            value = loss_fn(y_true, y_pred, sample_weight)
            w = self.flat_weights[0]
            return value if w == 1.0 else value * w
        preds = [y_pred[k] for k in self.flat_names] if isinstance(y_pred, dict) else list(y_pred)
        n = len(preds)
        trues = self._align_targets(y_true, n)
        if isinstance(sample_weight, dict):
            sws = [sample_weight.get(k) for k in self.flat_names]
        elif isinstance(sample_weight, (list, tuple)):
            sws = list(sample_weight)
            if len(sws) != n:
                sws = self._align_targets(sws, n)
        else:
            sws = [sample_weight] * n
        total = None
        trackers = self._trackers
        for i, (loss_fn, w, yt, yp, sw) in enumerate(zip(self.flat_losses, self.flat_weights,
                                                          trues, preds, sws)):
            if loss_fn is None or yt is None:
                continue
            value = loss_fn(yt, yp, sw)
            tracker = trackers.get(i)
            if tracker is not None:
                tracker.update_state(value.detach(), sample_weight=yp.shape[0])
            total = value * w if total is None else total + value * w
        return total


class CompileMetrics:
    """A container that owns the compiled metrics and reports them as one dict."""

    name = "compile_metrics"

    def __init__(self, metrics, weighted_metrics, loss=None, output_names=None, outputs=None):
        self.metrics_spec = _resolve_metrics(metrics, "metrics")
        self.weighted_spec = _resolve_metrics(weighted_metrics, "weighted_metrics")
        self.loss_spec = loss
        self.output_names = output_names
        self.built = False
        self._plain = []     # list of (output_index, metric)
        self._weighted = []
        if outputs is not None:
            keys = output_keys(outputs, output_names)
            _metrics_per_output(self.metrics_spec, keys, "metrics")
            _metrics_per_output(self.weighted_spec, keys, "weighted_metrics")

    @property
    def metrics(self):
        return [m for _, m in self._plain] + [m for _, m in self._weighted]

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        keys = output_keys(y_pred, self.output_names)
        multi = keys is not None
        if multi:
            preds = list(y_pred.values()) if isinstance(y_pred, dict) else list(y_pred)
            trues = _align_metric_targets(y_true, keys, self.loss_spec)
        else:
            keys, preds, trues = [None], [y_pred], [y_true]
        self._plain = self._place(self.metrics_spec, keys, trues, preds, multi, "metrics")
        self._weighted = self._place(self.weighted_spec, keys, trues, preds, multi,
                                     "weighted_metrics", weighted=True)
        self._multi = multi
        self._keys = keys
        self.built = True

    def _place(self, spec, keys, trues, preds, multi, argname, weighted=False):
        """(output index, metric) pairs, named as Keras names them."""
        per_output = _metrics_per_output(spec, keys if multi else None, argname)
        out = []
        loss_specs = self.loss_spec if multi else [self.loss_spec]
        for i, entries in enumerate(per_output):
            for metric in entries:
                if isinstance(metric, str):
                    metric = _accuracy_metric(metric, trues[i], preds[i],
                                              _loss_for_output(loss_specs, keys, i))
                if multi:
                    metric.name = f"{keys[i]}_{metric.name}"
                if weighted and any(m.name == metric.name for _, m in self._plain):
                    metric.name = f"weighted_{metric.name}"
                out.append((i, metric))
        return out

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if self._multi:
            preds = list(y_pred.values()) if isinstance(y_pred, dict) else list(y_pred)
            trues = _align_metric_targets(y_true, self._keys, self.loss_spec)
            if isinstance(sample_weight, dict):
                sws = [sample_weight.get(k) for k in self._keys]
            elif isinstance(sample_weight, (list, tuple)):
                sws = _align_metric_targets(sample_weight, self._keys, self.loss_spec)
            else:
                sws = [sample_weight] * len(preds)
        else:
            preds, trues, sws = (y_pred,), (y_true,), (sample_weight,)
        for i, metric in self._plain:
            if trues[i] is not None:
                metric.update_state(trues[i], preds[i])
        for i, metric in self._weighted:
            if trues[i] is not None:
                metric.update_state(trues[i], preds[i], sample_weight=sws[i])

    def result(self):
        return {m.name: m.result() for m in self.metrics}

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()

    # Keras' CompileMetrics is a Metric, so JAX-style train steps call the
    # stateless API on it like on any metric of `model.metrics`; the Metric
    # implementations only need `variables`, `update_state`, `result` and
    # `reset_state`, which this container has.
    _stateless_values = Metric._stateless_values
    stateless_update_state = Metric.stateless_update_state
    stateless_result = Metric.stateless_result
    stateless_reset_state = Metric.stateless_reset_state


def _align_metric_targets(y_true, keys, loss_spec):
    """One target per output (None where there is none); see CompileLoss._align_targets."""
    if isinstance(y_true, dict):
        return [y_true.get(k) for k in keys]
    trues = list(y_true) if isinstance(y_true, (list, tuple)) else [y_true]
    if len(trues) == len(keys):
        return trues
    if isinstance(loss_spec, dict):
        active = [i for i, k in enumerate(keys) if loss_spec.get(k) is not None]
    elif isinstance(loss_spec, (list, tuple)):
        active = [i for i, l in enumerate(loss_spec) if l is not None]
    else:
        active = list(range(len(keys)))
    if len(trues) != len(active):
        raise ValueError(f"The model has {len(keys)} outputs but {len(trues)} target arrays "
                         "were given.")
    out = [None] * len(keys)
    for i, t in zip(active, trues):
        out[i] = t
    return out


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _single_entry(value, argname):
    """The entry of a single-output model's `loss`/`loss_weights`, which may
    also be given as a list or dict of one."""
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise ValueError(f"The model has one output but `{argname}` has {len(value)} "
                             "entries.")
        return value[0]
    if isinstance(value, dict):
        if len(value) != 1:
            raise ValueError(f"The model has one output but `{argname}` names {list(value)}.")
        return next(iter(value.values()))
    return value


def _check_output_keys(spec, keys, argname):
    unknown = [k for k in spec if k not in keys]
    if unknown:
        raise ValueError(f"`{argname}` names outputs {unknown} that the model does not have; "
                         f"its outputs are {keys}.")


def _resolve_metrics(spec, argname):
    """`metrics`/`weighted_metrics` with every entry resolved to a Metric (or
    left None, or "accuracy"/"acc", which the first batch resolves). The
    structure is kept: a list (per output: an entry or a list of entries) or a
    dict keyed by output name."""
    if spec is None:
        return None
    if not isinstance(spec, (list, tuple, dict)):
        raise ValueError(f"Expected `{argname}` argument to be a list, tuple, or dict. Received "
                         f"instead: {argname}={spec!r} of type {type(spec).__name__}. Wrap a "
                         "single metric in a list.")

    def entry(value):
        if isinstance(value, (list, tuple)):
            return [_resolve_metric(v) for v in value]
        return _resolve_metric(value)

    if isinstance(spec, dict):
        return {key: entry(value) for key, value in spec.items()}
    return [entry(value) for value in spec]


def _resolve_metric(identifier):
    from torkeras import metrics as metrics_module
    if identifier is None or isinstance(identifier, Metric) or _is_accuracy(identifier):
        return identifier
    metric = _resolve(identifier, metrics_module.get, Metric, metrics_module.MeanMetricWrapper,
                      "metric")
    if isinstance(identifier, str):
        # Keras logs a string id under that id ("auc", not an auto name "auc_2").
        metric.name = identifier
    return metric


def _is_accuracy(identifier):
    return isinstance(identifier, str) and identifier in ("accuracy", "acc")


def _metrics_per_output(spec, keys, argname):
    """The resolved metric entries of each output, as lists (`keys`: the
    output names, None for a single output); None entries are dropped."""
    if not spec:
        return []
    if keys is None:
        values = list(spec.values()) if isinstance(spec, dict) else spec
        entries = [m for v in values for m in _as_list(v)]
        if any(isinstance(m, list) for m in entries):
            raise ValueError(f"Expected all entries in the `{argname}` list to be metric "
                             f"objects (the model has one output). Received instead: "
                             f"{argname}={spec!r}")
        per_output = [entries]
    elif isinstance(spec, dict):
        _check_output_keys(spec, keys, argname)
        per_output = [_as_list(spec.get(k)) for k in keys]
    else:
        # A list gives one entry (a metric or a list of them) per output.
        if len(spec) != len(keys):
            raise ValueError(
                f"The model has {len(keys)} outputs, so `{argname}` given as a list "
                f"needs {len(keys)} entries (one per output, each a metric or a list "
                f"of metrics); received {len(spec)}. Use a dict keyed by output name "
                "to skip outputs.")
        per_output = [_as_list(s) for s in spec]
    return [[m for m in entries if m is not None] for entries in per_output]


def _loss_for_output(loss_specs, keys, i):
    if isinstance(loss_specs, dict):
        return loss_specs.get(keys[i])
    if isinstance(loss_specs, (list, tuple)):
        return loss_specs[i] if i < len(loss_specs) else None
    return loss_specs


def _loss_name(loss):
    if loss is None:
        return ""
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", "") or type(loss).__name__


def _accuracy_metric(name, y_true, y_pred, loss):
    """The accuracy "accuracy"/"acc" stands for, chosen as Keras chooses it:
    binary for a binary loss or one output column, sparse categorical for a
    sparse loss or integer labels, else categorical."""
    from torkeras import metrics as metrics_module
    loss_name = _loss_name(loss).lower()
    y_pred_last = y_pred.shape[-1] if y_pred.dim() > 0 else 1
    y_true_rank = y_true.dim() if y_true is not None else 0
    if "binary" in loss_name or y_pred_last == 1:
        return metrics_module.BinaryAccuracy(name=name)
    if "sparse" in loss_name or y_true_rank < y_pred.dim() or \
            (y_true is not None and y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1):
        return metrics_module.SparseCategoricalAccuracy(name=name)
    return metrics_module.CategoricalAccuracy(name=name)
