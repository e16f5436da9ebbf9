"""torkeras.bridge.classes: the Python half of the R class factories.

The first tests use plain Python callables in place of the R functions (the
calling convention is the same: `fn(self, *args, **kwargs)`); the last ones
run R embedded through rpy2, define classes with the R factories and use
them from Python (see rpy2_classes_session.py)."""

import gc
import inspect
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import torkeras
from torkeras.bridge import classes
from torkeras.layers.layer import _signature_flags

SESSION = os.path.join(os.path.dirname(__file__), "rpy2_classes_session.py")


def spec(*items):
    out = []
    for item in items:
        name, kind, *default = item
        entry = {"name": name, "kind": kind}
        if default:
            entry["default"] = default[0]
        out.append(entry)
    return out


# -- signatures ------------------------------------------------------------------

def test_signature_from_r_formals():
    sig = classes.signature_from_spec([
        {"name": "inputs", "kind": "positional"},
        {"name": "training", "kind": "positional", "default": None},
        {"name": "args", "kind": "var_positional"},
        {"name": "kwargs", "kind": "var_keyword"},
        {"name": "key", "kind": "keyword", "r_default": "c(1, 2)"},
    ], with_self=True)
    assert str(sig) == "(self, inputs, training=None, *args, key=c(1, 2), **kwargs)"
    assert isinstance(sig.parameters["key"].default, classes.RDefault)


def test_r_argument_without_default_after_one_with_default():
    # R allows function(a = 1, b); Python needs a default on b
    sig = classes.signature_from_spec(spec(("a", "positional", 1), ("b", "positional")))
    assert list(sig.parameters) == ["a", "b"]
    assert isinstance(sig.parameters["b"].default, classes.RDefault)


def test_r_defaults_are_never_passed_on():
    seen = {}

    def fn(*args, **kwargs):
        seen.update(kwargs)
        return len(args)

    f = classes.r_function(fn, "f")
    assert f(1, 2, key=classes.RDefault("list()"), other=3) == 2
    assert seen == {"other": 3}


def test_r_function_is_named_with_signature():
    f = classes.r_function(lambda y_true, y_pred: y_pred - y_true, "my_metric",
                           spec(("y_true", "positional"), ("y_pred", "positional")))
    assert f.__name__ == "my_metric"
    assert str(inspect.signature(f)) == "(y_true, y_pred)"
    assert f(1, 3) == 2


# -- classes ---------------------------------------------------------------------

def make_scale_layer():
    calls = []

    def init(self, factor=2.0, **kwargs):
        torkeras.layers.Layer.__init__(self, **kwargs)
        self.factor = factor
        return "ignored"

    def call(self, inputs, training=None):
        calls.append(training)
        return inputs * self.factor

    shapes = []

    def build(self, input_shape):
        shapes.append(input_shape)

    members = {
        "__init__": classes.r_method("__init__", init, spec(("factor", "positional", 2.0),
                                                            ("kwargs", "var_keyword")), "init"),
        "call": classes.r_method("call", call, spec(("inputs", "positional"),
                                                    ("training", "positional", None))),
        "build": classes.r_method("build", build, spec(("input_shape", "positional"))),
    }
    cls = classes.make_class("Scale", [torkeras.layers.Layer], members)
    return cls, calls, shapes


def test_make_class_builds_a_layer_subclass_the_engine_inspects():
    Scale, calls, shapes = make_scale_layer()
    assert issubclass(Scale, torkeras.layers.Layer)
    assert Scale.__name__ == "Scale" and Scale.__module__ == "<r-globalenv>"
    assert Scale.call.__qualname__ == "Scale.call"
    assert _signature_flags(Scale)[0]  # call takes training
    layer = Scale(factor=3.0)
    assert layer.name.startswith("scale")
    out = layer(torch.ones(2, 4))
    assert torch.allclose(out, torch.full((2, 4), 3.0))
    assert shapes == [(2, 4)]

    inputs = torkeras.Input(shape=(4,))
    model = torkeras.Model(inputs, Scale(factor=1.0)(torkeras.layers.Dense(1)(inputs)))
    model.compile(optimizer="sgd", loss="mse")
    calls.clear()
    model.fit(np.ones((4, 4), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
    assert calls and all(t is True for t in calls)
    calls.clear()
    model.predict(np.ones((4, 4), "float32"), verbose=0)
    assert calls and all(t is False for t in calls)


def test_python_subclass_of_a_made_class():
    Scale, _, _ = make_scale_layer()

    class Shifted(Scale):
        def call(self, inputs, training=None):
            return super().call(inputs, training=training) + 1

    assert torch.allclose(Shifted(factor=2.0)(torch.ones(1, 2)), torch.full((1, 2), 3.0))


def test_callback_hooks_are_one_based_and_update_logs():
    seen = []

    def on_epoch_end(self, epoch, logs):
        seen.append(("epoch_end", epoch, sorted(logs)))
        return {"r_epoch": float(epoch)}

    def on_train_batch_end(self, batch, logs):
        seen.append(("batch_end", batch))
        return 42  # not a dict: ignored

    def on_train_begin(self, logs):
        seen.append(("train_begin",))

    members = {
        "on_epoch_end": classes.r_method("on_epoch_end", on_epoch_end, [], "index_hook"),
        "on_train_batch_end": classes.r_method("on_train_batch_end", on_train_batch_end, [],
                                               "index_hook"),
        "on_train_begin": classes.r_method("on_train_begin", on_train_begin, [], "logs_hook"),
    }
    Cb = classes.make_class("EpochLog", [torkeras.callbacks.Callback], members)
    assert str(inspect.signature(Cb.on_epoch_end)) == "(self, index, logs=None)"
    assert repr(Cb()) == "<EpochLog>"
    model = torkeras.Sequential([torkeras.Input(shape=(2,)), torkeras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), epochs=2,
                        batch_size=2, verbose=0, callbacks=[Cb()])
    assert seen[0] == ("train_begin",)
    assert [s[1] for s in seen if s[0] == "epoch_end"] == [1, 2]
    assert [s[1] for s in seen if s[0] == "batch_end"] == [1, 2, 1, 2]
    assert history.history["r_epoch"] == [1.0, 2.0]


def test_init_returns_none_and_classmethods():
    def init(self, value):
        torkeras.metrics.Metric.__init__(self, name="m")
        self.value = value
        return "not None"

    def from_config(cls, config):
        return cls(value=config["value"])

    Cls = classes.make_class("M", [torkeras.metrics.Metric], {
        "__init__": classes.r_method("__init__", init, spec(("value", "positional")), "init"),
        "from_config": classes.r_method("from_config", from_config,
                                        spec(("config", "positional"))),
    }, classmethods=["from_config"])
    obj = Cls.from_config({"value": 5})
    assert obj.value == 5 and repr(obj) == "<M name=m>"


def test_track_private_releases_on_collection():
    released = []

    class Thing:
        pass

    obj = Thing()
    key = classes.track_private(obj, released.append)
    assert key == str(id(obj))
    del obj
    gc.collect()
    assert released == [key]
    assert classes.pending_releases() == []


# -- with R (rpy2) -------------------------------------------------------------------

@pytest.fixture(scope="module")
def report():
    pytest.importorskip("rpy2")
    env = dict(os.environ, RETICULATE_PYTHON=sys.executable)
    proc = subprocess.run([sys.executable, SESSION], capture_output=True, text=True, env=env,
                          timeout=600)
    lines = [l for l in proc.stdout.splitlines() if l.lstrip().startswith("REPORT ")]
    assert lines, f"no report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(lines[-1].lstrip()[len("REPORT "):])
    assert "error" not in result, result.get("traceback", result.get("error"))
    return result


def test_r_layer_class_is_a_python_layer(report):
    assert report["scale_is_layer"]
    assert report["scale_name"] == "Scale" and report["scale_module"] == "<r-globalenv>"
    assert report["call_signature"] == "(self, inputs, training=None)"
    assert report["init_signature"] == "(self, factor=2.0, *args, **kwargs)"
    assert report["scale_out"] == [[3.0, 3.0], [3.0, 3.0]]
    assert report["scale_layer_name"] == "scale_py"


def test_r_methods_keep_private_state_per_instance(report):
    assert report["scale_calls"] == 1.0
    assert report["private_per_instance"] == [1.0, 2.0]


def test_python_subclasses_an_r_class(report):
    assert report["shifted_out"] == [[3.0, 3.0]]


def test_r_call_sees_training_flag(report):
    assert report["training_in_fit"] and all(report["training_in_fit"])
    assert report["training_in_predict"] == [False]


def test_r_callback_and_loss_in_python_fit(report):
    assert report["epochs_seen_in_r"] == [1, 2]
    assert report["history_r_epoch"] == [1, 2]
    assert report["history_loss_names"] == ["loss", "loss"]
    assert report["custom_mse"] == pytest.approx(report["custom_mse_expected"], rel=1e-6)


def test_bare_r_function_as_method(report):
    assert report["twice_signature"] == "(self, x, by=2)"
    assert report["twice_default"] == 10.0
    assert report["twice_by"] == 50.0
