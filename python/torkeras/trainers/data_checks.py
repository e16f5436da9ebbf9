"""Checks of the data given to fit / evaluate / predict, before any step runs.

Bad data gets one error naming the argument, raised before the model, its
optimizer or its metrics have changed. There are two kinds of checks:

* Values (`check_values`): what no model can use -- no rows, NaN or Inf in
  `x`, `y` or `sample_weight` (one NaN would turn every weight into NaN;
  Keras does not check `x`, we refuse non-finite inputs too), negative
  sample weights, a `class_weight` that is not a table of class ids to
  finite non-negative weights, class-weighted labels that are not whole
  non-negative numbers. In-memory data is checked once, when it becomes
  tensors; a streamed source each batch, before the batch is used.
* Against the model (`ModelChecks`): `x` against `model.inputs` (structure,
  names of a dict, rank and every known non-batch dimension, after Keras'
  rank adjustment of a trailing axis of size 1), and class labels of sparse
  losses/metrics and of `class_weight` against the number of classes of the
  output. Run once the model is built, before the first step; streamed
  sources run them on every batch (shape comparisons and a min/max).
  A model that declares no inputs (a subclassed model) skips them.

The costs are kept to one pass over each float array: the sum of an array is
finite exactly when each of its elements is (an overflow aside, which the
slow path rules out), so only data that does hold NaN/Inf is searched for
the offending entries. Labels and weights take one min/max each.

Messages count rows and batches from 0, as Python does; the errors carry the
same message counted from 1 in `one_based_message` for front ends whose
users count from 1.
"""

import inspect
import math

import torch

from torkeras.utils import tree


# -- naming the data in messages ----------------------------------------------------------------
class Where:
    """Where checked data comes from: the arguments of fit()/evaluate()/predict()
    themselves, those of `validation_data` (`of`), or one batch of a streamed
    source (`batch`, `source`)."""

    def __init__(self, of=None, batch=None, source=None):
        self.of = of
        self.batch = batch
        self.source = source

    def name(self, arg, base=0):
        """`arg` (x, y, sample_weight) as the user knows it, e.g. "`x` of `validation_data`"."""
        if self.batch is not None:
            return f"`{arg}` of batch {self.batch + base} from {self.source}"
        if self.of is not None:
            return f"`{arg}` of `{self.of}`"
        return f"`{arg}`"

    def suffix(self, arg, base=0):
        """" in <name>" for the end of a message, where the data is not the plain argument."""
        return "" if self.batch is None and self.of is None else f" in {self.name(arg, base)}"


def _error(message):
    """A ValueError with `message(0)`, rows and batches counted from 0;
    `one_based_message` holds `message(1)`."""
    error = ValueError(message(0))
    error.one_based_message = message(1)
    return error


def _first_row(mask):
    """The index of the first row of `mask` (rows along dim 0) with a True entry."""
    rows = mask.reshape(mask.shape[0], -1).any(dim=1) if mask.dim() > 1 else mask
    return int(torch.argmax(rows.to(torch.uint8)))


# -- values ---------------------------------------------------------------------------------------
def check_values(x, y=None, sample_weight=None, class_weight=None, where=None):
    """Refuses data no model can use (see the module docstring); tensors in, nothing out."""
    where = where or Where()
    first = next((t for t in tree.flatten(x) if t is not None), None)
    if first is not None and first.dim() > 0 and first.shape[0] == 0:
        raise ValueError(f"{where.name('x')} has no rows (0 samples); pass at least one sample.")
    for arg, part in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        for t in tree.flatten(part) if part is not None else ():
            if t is not None:
                _check_finite(t, arg, where)
    for t in tree.flatten(sample_weight) if sample_weight is not None else ():
        if t is not None:
            _check_non_negative(t, where)
    if class_weight is not None:
        check_class_weight_table(class_weight)
        labels = class_weight_labels(y)
        if labels is not None:
            check_class_ids(labels, None, "`class_weight`", lambda base: where.name("y", base))


def _check_finite(t, arg, where):
    if not (t.is_floating_point() or t.is_complex()) or t.numel() == 0:
        return
    if torch.isfinite(t.sum()):
        return
    bad = ~torch.isfinite(t)
    count = int(bad.sum())
    if count == 0:  # the sum overflowed; every value is finite
        return
    row = _first_row(bad)
    raise _error(lambda base: f"{where.name(arg, base)} has {count} missing or infinite (NaN/Inf) "
                              f"value(s), the first in row {row + base}; fill in or drop those "
                              "rows.")


def check_no_missing(mask, arg, column):
    """Refuses missing values of a table column (`mask`: numpy booleans or None),
    in the words the R package uses for NA in a data.frame column."""
    if mask is None or not mask.any():
        return
    count, row = int(mask.sum()), int(mask.argmax())
    where = "" if column is None else f" in column {str(column)!r}"
    raise _error(lambda base: f"`{arg}` has {count} NA value(s){where}, the first in row "
                              f"{row + base}; fill in or drop those rows.")


def _check_non_negative(t, where):
    if t.numel() == 0 or t.dtype == torch.bool or not bool(t.min() < 0):
        return
    bad = t < 0
    count, row = int(bad.sum()), _first_row(bad)
    raise _error(lambda base: f"{where.name('sample_weight', base)} has {count} negative "
                              f"value(s), the first in row {row + base}; sample weights must be "
                              ">= 0.")


def check_class_weight_table(class_weight):
    """`class_weight` maps whole non-negative class ids to finite non-negative weights."""
    for key, weight in class_weight.items():
        if _class_id(key) is None:
            raise ValueError(f"`class_weight` has the key {key!r}, which is not a class id: keys "
                             "must be whole numbers >= 0 (0-based class ids).")
        try:
            value = float(weight)
        except (TypeError, ValueError):
            value = None
        if value is None or not math.isfinite(value) or value < 0:
            raise ValueError(f"`class_weight` gives class {key!r} the weight {weight!r}; class "
                             "weights must be finite numbers >= 0.")


def _class_id(key):
    """`key` as an int class id (1, 1.0, "1", numpy ints), or None when it is not one."""
    if isinstance(key, bool):
        return None
    try:
        value = float(key)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value != int(value) or value < 0:
        return None
    return int(value)


def class_weight_labels(y):
    """The labels `class_weight` looks weights up by, or None when there are
    none to check: one-hot rows (their argmax is a class id) or no `y`."""
    if not isinstance(y, torch.Tensor) or y.dim() == 0 or y.shape[0] == 0:
        return None
    if y.dim() > 1 and y.shape[-1] > 1:
        return None
    return y.reshape(y.shape[0], -1)[:, 0]


def check_class_ids(labels, num_classes, needed_by, name, ignore_class=None):
    """Class labels are whole numbers in [0, num_classes) (only >= 0 when
    `num_classes` is None); labels equal to `ignore_class` are left out.
    `name(base)` names the labels in a message."""
    if labels.numel() == 0:
        return
    counted = None if ignore_class is None else labels != ignore_class

    def offending(mask):
        if counted is not None:
            mask = mask & counted
        return mask if bool(mask.any()) else None

    if labels.is_floating_point():
        bad = offending(labels != torch.round(labels))
        if bad is not None:
            row, value = _first_offender(labels, bad)
            raise _error(lambda base: f"{name(base)} holds fractional class labels (e.g. "
                                      f"{value:g} in row {row + base}); {needed_by} needs whole "
                                      "class ids.")
    low, high = torch.aminmax(labels)
    if low >= 0 and (num_classes is None or high < num_classes):
        return
    bad = offending(labels < 0 if num_classes is None else (labels < 0) | (labels >= num_classes))
    if bad is None:
        return
    count = int(bad.sum())
    row, value = _first_offender(labels, bad)
    if num_classes is None:
        raise _error(lambda base: f"{name(base)} has {count} negative class label(s), e.g. "
                                  f"{value:g} in row {row + base}; {needed_by} needs class ids "
                                  ">= 0.")
    raise _error(lambda base: f"{name(base)} has {count} class label(s) outside [0, "
                              f"{num_classes}), e.g. {value:g} in row {row + base}; the output "
                              f"has {num_classes} classes, so {needed_by} needs class ids from 0 "
                              f"to {num_classes - 1}.")


def _first_offender(labels, mask):
    """(row, value) of the first True entry of `mask` in `labels`."""
    row = _first_row(mask)
    return row, labels[row].reshape(-1)[mask[row].reshape(-1)][0].item()


# -- against the model ----------------------------------------------------------------------------
def _layer_name(tensor):
    history = getattr(tensor, "_keras_history", None)
    return history[0].name if history else getattr(tensor, "name", None)


def _shape_text(shape):
    return str(tuple(None if d is None else int(d) for d in shape))


class ModelChecks:
    """What `model` says its data must look like: its inputs (name, shape) and,
    per output, the class-label requirements of its compiled loss/metrics."""

    def __init__(self, model):
        self.model_name = model.name
        inputs = list(getattr(model, "inputs", None) or [])
        struct = getattr(model, "_inputs_struct", None)
        self.input_keys = list(struct) if isinstance(struct, dict) else \
            [_layer_name(t) for t in inputs]
        self.input_shapes = [tuple(t.shape) for t in inputs]
        outputs = list(getattr(model, "outputs", None) or [])
        self.output_names = [_layer_name(t) for t in outputs]
        self.output_shapes = [tuple(t.shape) for t in outputs]
        self.label_rules = _label_rules(getattr(model, "_compile_config", None) or {},
                                        self.output_names)

    # x ---------------------------------------------------------------------------------------
    def conform_x(self, x, where):
        """`x` with each input checked against the model's, rank-adjusted as Keras does
        (a missing or extra trailing axis of size 1); raises on a mismatch."""
        if not self.input_shapes:
            return x
        flat, pack = self._inputs_in_order(x, where)
        out = []
        for i, t in enumerate(flat):
            conformed = _conform(t, self.input_shapes[i])
            if conformed is None:
                self._raise_shape(i, t, flat, where)
            out.append(conformed)
        if all(a is b for a, b in zip(out, flat)):
            return x
        return pack(out)

    def _inputs_in_order(self, x, where):
        """The arrays of `x` in the order of the model's inputs, and a function
        packing arrays in that order back into the structure of `x`."""
        keys, n = self.input_keys, len(self.input_shapes)
        if isinstance(x, dict):
            unknown = [k for k in x if k not in keys]
            missing = [k for k in keys if k not in x]
            if unknown or missing:
                problem = (f"has no entry for the input(s) {missing}" if missing else
                           f"has the key(s) {unknown}, which name no input")
                raise ValueError(f"{where.name('x')} {problem} of layer \"{self.model_name}\"; "
                                 f"its inputs are {keys}, the keys received {list(x)}.")
            return [x[k] for k in keys], lambda arrays: {**x, **dict(zip(keys, arrays))}
        flat = tree.flatten(x)
        if len(flat) != n:
            raise ValueError(f"Layer \"{self.model_name}\" expects {n} input(s) {keys}, but "
                             f"{where.name('x')} holds {len(flat)} array(s).")
        return flat, lambda arrays: tree.pack_like(x, arrays)

    def _raise_shape(self, i, t, flat, where):
        expected = self.input_shapes[i]
        hint = ""
        elsewhere = [j for j, other in enumerate(flat)
                     if j != i and _conform(other, expected) is not None]
        if elsewhere:
            j = elsewhere[0]
            hint = (f"; the array given for input {j} (\"{self.input_keys[j]}\") has that shape: "
                    f"pass the arrays in the order of the inputs {self.input_keys}, or as a dict "
                    "keyed by input name")
        raise _error(lambda base: f"Input {i} (\"{self.input_keys[i]}\") of layer "
                                  f"\"{self.model_name}\" is incompatible with the layer: expected "
                                  f"shape={_shape_text(expected)}, found "
                                  f"shape={_shape_text(t.shape)}{where.suffix('x', base)}{hint}.")

    # y ---------------------------------------------------------------------------------------
    def check_y(self, y, where, class_weight=None):
        """Class labels of sparse losses/metrics and of `class_weight` against the outputs."""
        if y is None or not self.output_shapes:
            return
        if self.label_rules:
            targets = self._targets(y)
            for index, needed_by, ignore_class, axis in self.label_rules:
                target = targets[index] if targets is not None else None
                if target is None:
                    continue
                shape = self.output_shapes[index]
                num_classes = shape[axis] if -len(shape) <= axis < len(shape) else None
                check_class_ids(target, num_classes, needed_by, self._y_name(index, where),
                                ignore_class)
        if class_weight is not None and len(self.output_shapes) == 1:
            num_classes = self.output_shapes[0][-1]
            if num_classes is None:
                return
            num_classes = max(2, num_classes)  # one sigmoid unit: classes 0 and 1
            keys = [k for k in class_weight if _class_id(k) >= num_classes]
            if keys:
                raise ValueError(f"`class_weight` has the key {keys[0]!r}, but the model's output "
                                 f"has {num_classes} classes (ids 0 to {num_classes - 1}).")
            labels = class_weight_labels(y)
            if labels is not None:
                check_class_ids(labels, num_classes, "`class_weight`", self._y_name(0, where))

    def _targets(self, y):
        """`y` as one target per output (None where there is none), or None when it
        cannot be matched to the outputs (the loss reports that on the first step)."""
        if len(self.output_shapes) == 1:
            flat = tree.flatten(y)
            return flat if len(flat) == 1 else None
        if isinstance(y, dict):
            return [y.get(name) for name in self.output_names]
        if isinstance(y, (list, tuple)) and len(y) == len(self.output_shapes):
            return list(y)
        return None

    def _y_name(self, index, where):
        if len(self.output_shapes) == 1:
            return lambda base: where.name("y", base)
        return lambda base: f"{where.name('y', base)} (output \"{self.output_names[index]}\")"


def _conform(t, expected):
    """`t` if its shape fits `expected` (batch size aside), possibly with a trailing axis of size
    1 added or dropped (Keras' rank adjustment); None if it does not fit."""
    rank = len(expected)
    if t.dim() == rank - 1 and rank > 1 and expected[-1] == 1:
        t = t.unsqueeze(-1)
    elif t.dim() == rank + 1 and t.shape[-1] == 1:
        t = t.squeeze(-1)
    if t.dim() != rank:
        return None
    for want, got in zip(expected[1:], t.shape[1:]):
        if want is not None and want != got:
            return None
    return t


# -- which outputs take class labels ----------------------------------------------------------------
def _sparse_kinds():
    from torkeras import losses, metrics
    functions = (losses.sparse_categorical_crossentropy, metrics.sparse_categorical_accuracy,
                 metrics.sparse_top_k_categorical_accuracy)
    classes = (losses.SparseCategoricalCrossentropy, metrics.SparseCategoricalAccuracy,
               metrics.SparseTopKCategoricalAccuracy, metrics.SparseCategoricalCrossentropy)
    return functions, classes, {"loss": losses._OBJECTS, "metric": metrics._OBJECTS}


def _sparse_rule(identifier, registry, kinds):
    """(display name, ignore_class, axis) when `identifier` (a loss or metric as given to
    compile()) takes integer class labels, else None. Names are looked up, not instantiated."""
    functions, classes, _ = kinds
    obj = registry.get(identifier) if isinstance(identifier, str) else identifier
    if obj is None:
        return None
    if inspect.isclass(obj):
        sparse = issubclass(obj, classes)
    else:
        fn = getattr(obj, "fn", None) or getattr(obj, "_fn", None) or obj
        sparse = isinstance(obj, classes) or any(fn is f for f in functions)
    if not sparse:
        return None
    if isinstance(identifier, str):
        name = identifier
    else:
        name = getattr(obj, "name", None) or getattr(obj, "__name__", None) or type(obj).__name__
    kwargs = getattr(obj, "_fn_kwargs", None) or {}
    ignore_class = getattr(obj, "ignore_class", kwargs.get("ignore_class"))
    axis = getattr(obj, "axis", kwargs.get("axis", -1))
    return f"`{name}`", ignore_class, axis if isinstance(axis, int) else -1


def _per_output(spec, output_names):
    """The identifiers of a compile() argument (loss or metrics) for each output."""
    def as_list(s):
        return [] if s is None else list(s) if isinstance(s, (list, tuple)) else [s]
    n = len(output_names)
    if n == 1:
        if isinstance(spec, dict):
            return [[i for v in spec.values() for i in as_list(v)]]
        return [as_list(spec)]
    if isinstance(spec, dict):
        return [as_list(spec.get(name)) for name in output_names]
    if isinstance(spec, (list, tuple)):
        return [as_list(s) for s in spec] if len(spec) == n else [[] for _ in range(n)]
    return [as_list(spec)] * n


def _label_rules(compile_config, output_names):
    """[(output index, needed_by, ignore_class, class axis)] for the outputs whose compiled
    loss or metrics take integer class labels (the first such loss/metric per output)."""
    if not output_names:
        return []
    kinds = _sparse_kinds()
    registries = kinds[2]
    rules = {}
    for arg, kind in (("loss", "loss"), ("metrics", "metric"), ("weighted_metrics", "metric")):
        spec = compile_config.get(arg)
        if spec is None:
            continue
        for index, identifiers in enumerate(_per_output(spec, output_names)):
            for identifier in identifiers:
                rule = _sparse_rule(identifier, registries[kind], kinds)
                if rule is not None and index not in rules:
                    rules[index] = (index,) + rule
    return [rules[i] for i in sorted(rules)]


# -- applying the checks ----------------------------------------------------------------------------
def check_against_model(model, dataset, of=None, class_weight=None):
    """Checks `dataset` (made by data_adapter.make_dataset) against the built `model`:
    in-memory arrays now (x is replaced by its rank-adjusted form), a streamed
    source on each of its batches from now on. With `of` ("validation_data"),
    a streamed source's first batch is read and checked now as well."""
    from torkeras.trainers import data_adapter
    if dataset is None:
        return
    checks = ModelChecks(model)
    if isinstance(dataset, data_adapter.ArrayDataset):
        where = Where(of=of)
        dataset.x = checks.conform_x(dataset.x, where)
        checks.check_y(dataset.y, where, class_weight)
        return
    dataset.model_checks = checks
    if of is not None:
        first_batch(dataset, f"fit() received no data in `{of}` (0 batches).")


def check_batch(dataset, x, y, sample_weight, index):
    """One batch of a streamed source: its values, then (once a model is attached by
    `check_against_model`) the model's checks. Returns x, rank-adjusted."""
    where = Where(batch=index, source=dataset.source_name)
    check_values(x, y, sample_weight, dataset.class_weight, where)
    checks = getattr(dataset, "model_checks", None)
    if checks is not None:
        x = checks.conform_x(x, where)
        checks.check_y(y, where, dataset.class_weight)
    return x


def first_batch(dataset, empty_message):
    """The first batch of `dataset` (checked; a one-shot source keeps it for the
    loop); `ValueError(empty_message)` when the source yields none."""
    batch = next(iter(dataset.batches(max_steps=1)), None)
    if batch is None:
        raise ValueError(empty_message)
    return batch
