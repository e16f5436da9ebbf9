import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers


GUIDE_SUMMARY = """\
Model: "functional_1"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ digits (InputLayer)             │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 64)             │        50,240 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (None, 64)             │         4,160 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ predictions (Dense)             │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 55,050 (215.04 KB)
 Trainable params: 55,050 (215.04 KB)
 Non-trainable params: 0 (0.00 B)"""


def guide_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def summary_text(model):
    out = []
    model.summary(print_fn=out.append)
    return "\n".join(out)


def test_functional_summary_matches_guide_exactly():
    # Keras 3.15 names the first unnamed functional model "functional"; the
    # guide's model is named "functional_1", so it is the second one here.
    from torkeras import naming
    naming.reset_uids()
    guide_model()
    model = guide_model()
    assert type(model).__name__ == "Functional"
    assert summary_text(model) == GUIDE_SUMMARY


def test_functional_forward_equals_manual_numpy():
    model = guide_model()
    x = np.random.RandomState(1).rand(4, 784).astype("float32")
    (k1, b1), (k2, b2), (k3, b3) = [l.get_weights() for l in model.layers[1:]]
    h = np.maximum(x @ k1 + b1, 0)
    h = np.maximum(h @ k2 + b2, 0)
    logits = h @ k3 + b3
    expected = np.exp(logits - logits.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    np.testing.assert_allclose(model(x).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_sequential_unbuilt_has_no_weights_then_builds_with_paths():
    model = keras.Sequential()
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    assert model.weights == [] and not model.built
    model.build((None, 3))
    assert [w.path for w in model.weights] == [
        "sequential/dense/kernel", "sequential/dense/bias",
        "sequential/dense_1/kernel", "sequential/dense_1/bias"]
    text = summary_text(model)
    assert 'Model: "sequential"' in text
    assert "│ dense (Dense)                   │ (None, 64)             │           256 │" in text
    assert " Total params: 906 (3.54 KB)" in text
    assert "InputLayer" not in text


def test_sequential_with_input_shape_builds_incrementally_and_pops():
    model = keras.Sequential([layers.Dense(64, input_shape=(3,))])
    assert model.built and model.count_params() == 256
    model.add(layers.Dense(10))
    assert model.output_shape == (None, 10) and model.count_params() == 906
    popped = model.pop()
    assert popped.units == 10 and model.output_shape == (None, 64)
    out = model(torch.ones(2, 3))
    assert tuple(out.shape) == (2, 64)


def test_sequential_builds_on_first_call():
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    out = model(np.ones((5, 3), dtype="float32"))
    assert tuple(out.shape) == (5, 2) and model.built and model.count_params() == 16 + 10


def test_sequential_rejects_non_layers_and_duplicate_names():
    model = keras.Sequential()
    with pytest.raises(ValueError, match="Only instances of a Layer"):
        model.add("dense")
    model.add(layers.Dense(2, name="a"))
    with pytest.raises(ValueError, match="unique names"):
        model.add(layers.Dense(2, name="a"))


def test_multi_input_multi_output_functional_with_dicts():
    title = keras.Input(shape=(5,), name="title")
    body = keras.Input(shape=(7,), name="body")
    features = layers.Concatenate()([title, body])
    features = layers.Dense(8, activation="relu")(features)
    priority = layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = layers.Dense(3, activation="softmax", name="department")(features)
    model = keras.Model(inputs={"title": title, "body": body},
                        outputs={"priority": priority, "department": department})
    out = model({"title": np.ones((2, 5)), "body": np.ones((2, 7))})
    assert set(out) == {"priority", "department"}
    assert tuple(out["priority"].shape) == (2, 1) and tuple(out["department"].shape) == (2, 3)
    with pytest.raises(ValueError, match="Missing input"):
        model({"title": np.ones((2, 5))})
    assert "Connected to" in summary_text(model)


def test_list_outputs_and_intermediate_submodel():
    inputs = keras.Input(shape=(4,))
    h = layers.Dense(3, name="hidden")(inputs)
    a = layers.Dense(2, name="a")(h)
    b = layers.Dense(1, name="b")(h)
    model = keras.Model(inputs, [a, b])
    out_a, out_b = model(torch.ones(6, 4))
    assert tuple(out_a.shape) == (6, 2) and tuple(out_b.shape) == (6, 1)
    # a feature extractor reusing the trained layers
    hidden = model.get_layer("hidden")
    assert hidden.output.shape == (None, 3)
    extractor = keras.Model(inputs=model.inputs, outputs=hidden.output)
    np.testing.assert_allclose(extractor(torch.ones(1, 4)).detach().numpy(),
                               hidden(torch.ones(1, 4)).detach().numpy())
    assert model.get_layer(index=1) is hidden
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")


def test_disconnected_graph_is_a_clear_error():
    a = keras.Input(shape=(2,), name="a")
    b = keras.Input(shape=(2,), name="b")
    out = layers.Dense(1)(b)
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, out)


def test_nested_models_compose():
    inner = keras.Sequential([layers.Dense(3, input_shape=(2,))], name="inner")
    inputs = keras.Input(shape=(2,))
    outputs = layers.Dense(1)(inner(inputs))
    model = keras.Model(inputs, outputs)
    assert model.count_params() == 9 + 4
    assert tuple(model(torch.ones(5, 2)).shape) == (5, 1)


def test_subclassed_model_builds_lazily():
    class MyModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(5, activation="relu")
            self.out = layers.Dense(2)

        def call(self, x):
            return self.out(self.hidden(x))

    model = MyModel()
    assert model.name == "my_model" and not model.built
    y = model(torch.ones(3, 4))
    assert tuple(y.shape) == (3, 2)
    assert model.count_params() == 25 + 12
    assert [l.name for l in model.layers] == ["dense", "dense_1"]


def test_functional_input_and_output_shape_properties():
    a, b = keras.Input((3,)), keras.Input((4,))
    two = keras.Model([a, b], [keras.layers.Dense(2)(a), keras.layers.Dense(5)(b)])
    assert two.input_shape == [(None, 3), (None, 4)]
    assert two.output_shape == [(None, 2), (None, 5)]
    one = keras.Model(a, keras.layers.Dense(2)(a))
    assert one.input_shape == (None, 3) and one.output_shape == (None, 2)
