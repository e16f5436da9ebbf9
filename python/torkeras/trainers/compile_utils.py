"""What `compile()` turns its `loss` and `metrics` arguments into.

CompileLoss maps the model's output structure to losses and sums them (with
`loss_weights`); CompileMetrics resolves metric ids (including the
shape-dependent "accuracy") on the first batch and updates them each step.
"""

from torkeras.metrics.metric import Metric


def _resolve_loss(identifier):
    from torkeras import losses
    if identifier is None:
        return None
    if isinstance(identifier, losses.Loss):
        return identifier
    obj = losses.get(identifier)
    if isinstance(obj, losses.Loss):
        return obj
    if callable(obj):
        name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", "loss")
        return losses.LossFunctionWrapper(obj, name=name)
    raise ValueError(f"Could not interpret loss: {identifier!r}")


class CompileLoss:
    def __init__(self, loss, loss_weights=None, output_names=None):
        self.spec = loss
        self.loss_weights = loss_weights
        self.output_names = output_names
        self._built = False

    def build(self, y_true, y_pred):
        multi = isinstance(y_pred, (list, tuple, dict))
        names = self.output_names
        spec = self.spec
        if not multi:
            if isinstance(spec, (list, tuple)):
                if len(spec) != 1:
                    raise ValueError(f"The model has one output but `loss` has {len(spec)} entries.")
                spec = spec[0]
            if isinstance(spec, dict):
                if len(spec) != 1:
                    raise ValueError(f"The model has one output but `loss` names {list(spec)}.")
                spec = next(iter(spec.values()))
            self.flat_losses = [_resolve_loss(spec)]
            weights = self.loss_weights
            if isinstance(weights, (list, tuple)):
                weights = weights[0]
            elif isinstance(weights, dict):
                weights = next(iter(weights.values()))
            self.flat_weights = [1.0 if weights is None else float(weights)]
            self.flat_names = [None]
        else:
            n = len(y_pred)
            keys = list(y_pred.keys()) if isinstance(y_pred, dict) else (names or [f"output_{i}" for i in range(n)])
            if isinstance(spec, dict):
                unknown = [k for k in spec if k not in keys]
                if unknown:
                    raise ValueError(f"`loss` names outputs {unknown} that the model does not have; "
                                     f"its outputs are {keys}.")
                specs = [spec.get(k) for k in keys]
            elif isinstance(spec, (list, tuple)):
                if len(spec) != n:
                    raise ValueError(f"The model has {n} outputs but `loss` has {len(spec)} entries.")
                specs = list(spec)
            else:
                specs = [spec] * n
            self.flat_losses = [_resolve_loss(s) for s in specs]
            w = self.loss_weights
            if w is None:
                self.flat_weights = [1.0] * n
            elif isinstance(w, dict):
                self.flat_weights = [float(w.get(k, 1.0)) for k in keys]
            else:
                if len(w) != n:
                    raise ValueError(f"The model has {n} outputs but `loss_weights` has {len(w)}.")
                self.flat_weights = [float(x) for x in w]
            self.flat_names = keys
        self._multi = multi
        # As Keras 3: with more than one loss, each output's (unweighted) loss
        # is also tracked and reported as `<output name>_loss`.
        from torkeras import metrics as metrics_module
        active = [i for i, fn in enumerate(self.flat_losses) if fn is not None]
        self._trackers = {}
        if multi and len(active) > 1:
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

    def __init__(self, metrics, weighted_metrics, loss=None, output_names=None):
        self.metrics_spec = metrics
        self.weighted_spec = weighted_metrics
        self.loss_spec = loss
        self.output_names = output_names
        self.built = False
        self._plain = []     # list of (output_index, metric)
        self._weighted = []

    @property
    def metrics(self):
        return [m for _, m in self._plain] + [m for _, m in self._weighted]

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        multi = isinstance(y_pred, (list, tuple, dict))
        if multi:
            keys = list(y_pred.keys()) if isinstance(y_pred, dict) else \
                (self.output_names or [f"output_{i}" for i in range(len(y_pred))])
            preds = list(y_pred.values()) if isinstance(y_pred, dict) else list(y_pred)
            trues = _align_metric_targets(y_true, keys, self.loss_spec)
        else:
            keys, preds, trues = [None], [y_pred], [y_true]
        self._plain = self._resolve_all(self.metrics_spec, keys, trues, preds, multi, "metrics")
        self._weighted = self._resolve_all(self.weighted_spec, keys, trues, preds, multi,
                                           "weighted_metrics", weighted=True)
        self._multi = multi
        self._keys = keys
        self.built = True

    def _resolve_all(self, spec, keys, trues, preds, multi, argname, weighted=False):
        if not spec:
            return []
        per_output = []
        if multi:
            if isinstance(spec, dict):
                unknown = [k for k in spec if k not in keys]
                if unknown:
                    raise ValueError(f"`{argname}` names outputs {unknown} that the model does not "
                                     f"have; its outputs are {keys}.")
                per_output = [_as_list(spec.get(k)) for k in keys]
            elif isinstance(spec, (list, tuple)):
                # A list gives one entry (a metric or a list of them) per output.
                if len(spec) != len(keys):
                    raise ValueError(
                        f"The model has {len(keys)} outputs, so `{argname}` given as a list "
                        f"needs {len(keys)} entries (one per output, each a metric or a list "
                        f"of metrics); received {len(spec)}. Use a dict keyed by output name "
                        "to skip outputs.")
                per_output = [_as_list(s) for s in spec]
            else:
                per_output = [_as_list(spec)] * len(keys)
        else:
            if isinstance(spec, dict):
                spec = [m for v in spec.values() for m in _as_list(v)]
            per_output = [_as_list(spec)]
        out = []
        loss_specs = self.loss_spec if multi else [self.loss_spec]
        for i, ids in enumerate(per_output):
            for ident in ids:
                loss_i = _loss_for_output(loss_specs, keys, i)
                metric = _get_metric(ident, trues[i], preds[i], loss_i)
                if multi:
                    prefix = keys[i]
                    metric.name = f"{prefix}_{metric.name}"
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


def _get_metric(identifier, y_true, y_pred, loss):
    from torkeras import metrics as metrics_module
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        name = identifier
        loss_name = _loss_name(loss).lower()
        y_pred_last = y_pred.shape[-1] if y_pred.dim() > 0 else 1
        y_true_rank = y_true.dim() if y_true is not None else 0
        if "binary" in loss_name or y_pred_last == 1:
            return metrics_module.BinaryAccuracy(name=name)
        if "sparse" in loss_name or y_true_rank < y_pred.dim() or \
                (y_true is not None and y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1):
            return metrics_module.SparseCategoricalAccuracy(name=name)
        return metrics_module.CategoricalAccuracy(name=name)
    if isinstance(identifier, metrics_module.Metric):
        return identifier
    obj = metrics_module.get(identifier)
    if isinstance(obj, metrics_module.Metric):
        if isinstance(identifier, str):
            # Keras logs a string id under that id ("auc", not an auto name "auc_2").
            obj.name = identifier
        return obj
    if callable(obj):
        name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", "metric")
        return metrics_module.MeanMetricWrapper(obj, name=name)
    raise ValueError(f"Could not interpret metric: {identifier!r}")
