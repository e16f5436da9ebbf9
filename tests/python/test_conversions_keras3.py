"""Engine behaviour behind issue 12's R conversions, checked against what
Keras 3.15 (torch backend) prints and returns: model auto-names, summaries of
unbuilt models and of Sequential models built from data, `verbose=True/False`
and `model.metrics` after compile()."""

import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers, naming


def summary_text(model):
    out = []
    model.summary(print_fn=out.append)
    return "\n".join(out)


@pytest.fixture
def fresh_names():
    naming.reset_uids()
    yield
    naming.reset_uids()


def data(n=8, d=3, seed=0):
    rng = np.random.RandomState(seed)
    return rng.rand(n, d).astype("float32")


def test_unnamed_models_are_numbered_as_keras_3_15(fresh_names):
    inp = keras.Input((3,))
    out = layers.Dense(2)(inp)
    names = [keras.Model(inp, out).name, keras.Model(inputs=inp, outputs=out).name,
             keras.Model(inp, out).name]
    assert names == ["functional", "functional_1", "functional_2"]
    assert [keras.Sequential().name, keras.Sequential([layers.Dense(1)]).name] == \
        ["sequential", "sequential_1"]
    # A named model does not use up a number.
    assert keras.Model(inp, out, name="mine").name == "mine"
    assert keras.Model(inp, out).name == "functional_3"
    naming.reset_uids()   # what clear_session() does to the names
    assert keras.Sequential().name == "sequential"
    assert keras.Model(inp, out).name == "functional"


# Keras 3.15 prints exactly this for Sequential([Dense(4), Dense(1)]) before
# it is built (layer names from a fresh session).
UNBUILT = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)"""

# ... and this once it has been called on an (8, 3) array: the batch size of
# the first data is part of the shapes.
CALLED_ON_DATA = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (8, 4)                 │            16 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (8, 1)                 │             5 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 21 (84.00 B)
 Trainable params: 21 (84.00 B)
 Non-trainable params: 0 (0.00 B)"""


def test_unbuilt_sequential_summary_then_concrete_shapes(fresh_names):
    model = keras.Sequential([layers.Dense(4), layers.Dense(1)])
    assert not model.built
    assert summary_text(model) == UNBUILT
    x = data()
    model(x)
    assert summary_text(model) == CALLED_ON_DATA
    assert model.input_shape == (8, 3)
    assert model.output_shape == (8, 1)
    # Other batch sizes still run, and give the same numbers row by row.
    np.testing.assert_allclose(model(x[:5]).detach().numpy(),
                               model(x).detach().numpy()[:5], rtol=1e-6)


def test_empty_sequential_summary_has_no_rows(fresh_names):
    lines = summary_text(keras.Sequential()).splitlines()
    assert lines[0] == 'Model: "sequential"'
    assert lines[4].startswith("└") and lines[5] == " Total params: 0 (0.00 B)"


def test_built_with_none_batch_keeps_none(fresh_names):
    model = keras.Sequential([layers.Dense(4)])
    model.build((None, 3))
    assert "(None, 4)" in summary_text(model)


def test_fit_builds_from_first_batch_and_total_counts_optimizer(fresh_names):
    # Keras 3.15: fit(batch_size=3) on an unbuilt Sequential shows (3, 3);
    # with a built Adam the total adds its 2 x 12 moments, the iteration
    # count and the learning rate: 12 + 26 = 38 (152 bytes).
    model = keras.Sequential([layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    x = data()
    model.fit(x, x, batch_size=3, epochs=1, verbose=0)
    lines = summary_text(model).splitlines()
    assert lines[4] == "│ dense (Dense)                   │ (3, 3)                 │            12 │"
    assert lines[6:] == [" Total params: 38 (152.00 B)",
                         " Trainable params: 12 (48.00 B)",
                         " Non-trainable params: 0 (0.00 B)",
                         " Optimizer params: 26 (104.00 B)"]


@pytest.mark.parametrize("verbose,expected_lines", [(False, 0), (True, 1)])
def test_verbose_true_false_as_keras(capsys, verbose, expected_lines):
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = data()
    model.fit(x, x[:, :1], epochs=1, verbose=verbose)
    model.evaluate(x, x[:, :1], verbose=verbose)
    model.predict(x, verbose=verbose)
    out = capsys.readouterr().out
    # verbose=True is 1 (a progress bar per verb), False is 0 (silent)
    assert (out.count("1/1") >= 3) == bool(expected_lines)
    assert (out == "") == (not verbose)


def test_compiled_metrics_are_nested_under_compile_metrics():
    inp = keras.Input((3,))
    model = keras.Model(inp, layers.Dense(1, activation="sigmoid")(inp))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "mae"])
    assert [(type(m).__name__, m.name) for m in model.metrics][0] == ("Mean", "loss")
    assert [m.name for m in model.metrics] == ["loss", "compile_metrics"]
    assert model.metrics_names == ["loss", "compile_metrics"]
    container = model.metrics[1]
    x = data()
    y = (x[:, :1] > 0.5).astype("float32")
    container.update_state(torch.as_tensor(y), model(x))   # builds them, as in Keras
    assert [m.name for m in container.metrics] == ["accuracy", "mae"]
    result = container.result()
    assert sorted(result) == ["accuracy", "mae"]
    pred = model(x).detach().numpy()
    np.testing.assert_allclose(float(result["mae"]), np.mean(np.abs(y - pred)), rtol=1e-5)
    np.testing.assert_allclose(float(result["accuracy"]), np.mean((pred > 0.5) == y), rtol=1e-6)


class TwoDense(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = layers.Dense(2)
        self.second = layers.Dense(3)

    def call(self, x):
        return self.second(self.first(x))


def test_subclassed_model_summary_before_and_after_a_call(fresh_names):
    # Keras 3.15: "?" and "0 (unbuilt)" before; after model(ones(4, 5)) the
    # shapes the layers were built with give (4, 2) and (4, 3).
    model = TwoDense()
    lines = summary_text(model).splitlines()
    assert lines[0] == 'Model: "two_dense"'
    assert lines[4] == "│ dense (Dense)                   │ ?                      │   0 (unbuilt) │"
    assert lines[6] == "│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │"
    model(np.ones((4, 5), "float32"))
    lines = summary_text(model).splitlines()
    assert lines[4] == "│ dense (Dense)                   │ (4, 2)                 │            12 │"
    assert lines[6] == "│ dense_1 (Dense)                 │ (4, 3)                 │             9 │"
    assert lines[8] == " Total params: 21 (84.00 B)"
    # the summary records nothing on the layers
    assert model.first._inbound_nodes == []
