"""Model verbs called from R.

Each function does the R-specific part around one engine call: converts the
data coming from R (see `data.from_r`), and returns plain Python values that
reticulate turns into the R objects keras3 users expect. They flush stdout
at the end so Python's progress lines and R's own output stay in order.
"""

import sys

from torkeras.bridge.data import from_r


def fit(model, x=None, y=None, validation_data=None, sample_weight=None, **kwargs):
    """model.fit(); returns {"params": {...}, "metrics": {name: [floats]}}."""
    try:
        if validation_data is not None:
            validation_data = tuple(from_r(list(validation_data)))
        history = model.fit(from_r(x), from_r(y), validation_data=validation_data,
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
        logs = model.evaluate(from_r(x), from_r(y), sample_weight=from_r(sample_weight),
                              return_dict=True, **kwargs)
        return {name: float(value) for name, value in logs.items()}
    finally:
        _flush()


def predict(model, x, **kwargs):
    """model.predict(): an array, or a list of arrays for several outputs."""
    try:
        return model.predict(from_r(x), **kwargs)
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
