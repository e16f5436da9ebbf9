"""Model verbs called from R.

Each function does the R-specific part around one engine call: converts the
data coming from R (see `data.from_r`), and returns plain Python values that
reticulate turns into the R objects keras3 users expect. They flush stdout
at the end so Python's progress lines and R's own output stay in order.
"""

import functools
import sys

from torkeras.bridge.data import bind_model, from_r, resolve_frames


def _rows_from_one(verb):
    """R users count rows and batches from 1: an engine error naming them
    (trainers/data_checks.py) is raised with the 1-based message it carries."""
    @functools.wraps(verb)
    def counted_from_one(*args, **kwargs):
        try:
            return verb(*args, **kwargs)
        except ValueError as error:
            message = getattr(error, "one_based_message", None)
            if message is None:
                raise
            raise ValueError(message).with_traceback(error.__traceback__) from None
    return counted_from_one


def _inputs(model, x, role="x"):
    """R data for `model`: data frames resolved (see data.resolve_frames), R
    generators told the model, then arrays converted by from_r."""
    return from_r(resolve_frames(model, bind_model(x, model), role))


@_rows_from_one
def fit(model, x=None, y=None, validation_data=None, sample_weight=None, **kwargs):
    """model.fit(); returns {"params": {...}, "metrics": {name: [floats]}}."""
    try:
        if isinstance(validation_data, (list, tuple)):
            parts = list(validation_data)
            parts[0] = _inputs(model, parts[0])
            if len(parts) > 1:
                parts[1] = _inputs(model, parts[1], "y")
            validation_data = tuple(from_r(parts))
        elif validation_data is not None:  # a dataset or an R generator
            validation_data = bind_model(validation_data, model)
        history = model.fit(_inputs(model, x), _inputs(model, y, "y"),
                            validation_data=validation_data,
                            sample_weight=from_r(sample_weight), **kwargs)
        return {
            "params": dict(history.params),
            "metrics": _pad_validation(history, kwargs.get("validation_freq", 1)),
        }
    finally:
        _flush()


def _pad_validation(history, validation_freq):
    """{name: [floats]}, with NaN (NA in R) for the epochs that were not validated
    (validation_freq > 1), so every metric has one value per epoch."""
    from torkeras.trainers.trainer import _should_validate, _validation_freq
    epochs = list(history.epoch)
    metrics = {}
    for name, values in history.history.items():
        values = [float(v) for v in values]
        if name.startswith("val_") and len(values) < len(epochs):
            freq = _validation_freq(validation_freq)
            validated = [e for e in epochs if _should_validate(e, freq)]
            if len(validated) == len(values):
                at = dict(zip(validated, values))
                values = [at.get(e, float("nan")) for e in epochs]
        metrics[name] = values
    return metrics


@_rows_from_one
def evaluate(model, x=None, y=None, sample_weight=None, **kwargs):
    """model.evaluate(return_dict=True) with float values."""
    try:
        logs = model.evaluate(_inputs(model, x), _inputs(model, y, "y"),
                              sample_weight=from_r(sample_weight),
                              return_dict=True, **kwargs)
        return {name: float(value) for name, value in logs.items()}
    finally:
        _flush()


@_rows_from_one
def predict(model, x, **kwargs):
    """model.predict(): an array, or a list of arrays for several outputs."""
    try:
        return model.predict(_inputs(model, x), **kwargs)
    finally:
        _flush()


@_rows_from_one
def train_on_batch(model, x, y=None, sample_weight=None, class_weight=None):
    """model.train_on_batch(return_dict=True) with float values."""
    logs = model.train_on_batch(_inputs(model, x), _inputs(model, y, "y"),
                                sample_weight=from_r(sample_weight), class_weight=class_weight,
                                return_dict=True)
    return {name: float(value) for name, value in logs.items()}


@_rows_from_one
def test_on_batch(model, x, y=None, sample_weight=None):
    """model.test_on_batch(return_dict=True) with float values."""
    logs = model.test_on_batch(_inputs(model, x), _inputs(model, y, "y"),
                               sample_weight=from_r(sample_weight), return_dict=True)
    return {name: float(value) for name, value in logs.items()}


@_rows_from_one
def predict_on_batch(model, x):
    """model.predict_on_batch(): an array, or a list of arrays for several outputs."""
    return model.predict_on_batch(_inputs(model, x))


def summary_text(model, **kwargs):
    """The model summary as one string (whatever print_fn receives, joined)."""
    chunks = []
    model.summary(print_fn=lambda text, *args, **kw: chunks.append(text), **kwargs)
    return "\n".join(chunks)


def load_dataset(name, **kwargs):
    """torkeras.datasets.<name>.load_data() as {"train": {...}, "test": {...}}."""
    import importlib
    module = importlib.import_module(f"torkeras.datasets.{name}")
    (x_train, y_train), (x_test, y_test) = module.load_data(**kwargs)
    return {"train": {"x": x_train, "y": y_train}, "test": {"x": x_test, "y": y_test}}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed or replaced stream must not hide the real result
            pass
