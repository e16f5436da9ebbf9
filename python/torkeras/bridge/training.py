"""Model verbs called from R.

Each function does the R-specific part around one engine call: converts the
data coming from R (see `data.from_r`), and returns plain Python values that
reticulate turns into the R objects keras3 users expect. They flush stdout
at the end so Python's progress lines and R's own output stay in order.
"""

import sys

from torkeras.bridge.data import bind_model, from_r, resolve_frames


def _inputs(model, x, role="x"):
    """R data for `model`: data frames resolved (see data.resolve_frames), R
    generators told the model, then arrays converted by from_r."""
    return from_r(resolve_frames(model, bind_model(x, model), role))


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
            "metrics": {name: [float(v) for v in values]
                        for name, values in history.history.items()},
        }
    finally:
        _flush()


def evaluate(model, x=None, y=None, sample_weight=None, **kwargs):
    """model.evaluate(return_dict=True) with float values."""
    try:
        logs = model.evaluate(_inputs(model, x), _inputs(model, y, "y"),
                              sample_weight=from_r(sample_weight),
                              return_dict=True, **kwargs)
        return {name: float(value) for name, value in logs.items()}
    finally:
        _flush()


def predict(model, x, **kwargs):
    """model.predict(): an array, or a list of arrays for several outputs."""
    try:
        return model.predict(_inputs(model, x), **kwargs)
    finally:
        _flush()


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
