"""keras.models.clone_model, Model.get_state_tree/set_state_tree and the small
keras.utils helpers (clear_session, get_source_inputs, pack/unpack)."""

import numpy as np
import pytest

import torkeras as keras


def _functional():
    x = keras.Input((3,), name="x")
    h = keras.layers.Dense(4, name="h")(x)
    y = keras.layers.Dense(2, name="y")(h)
    return keras.Model(x, y)


def test_clone_functional_new_weights_same_structure():
    model = _functional()
    clone = keras.models.clone_model(model)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]
    assert clone.layers[1] is not model.layers[1]
    clone.set_weights(model.get_weights())
    data = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(clone.predict(data, verbose=0), model.predict(data, verbose=0),
                               rtol=1e-6)


def test_clone_function_can_share_layers():
    model = _functional()
    clone = keras.models.clone_model(
        model, clone_function=lambda l: l if l.name == "h" else l.__class__.from_config(l.get_config()))
    assert clone.get_layer("h") is model.get_layer("h")
    assert clone.get_layer("y") is not model.get_layer("y")


def test_clone_sequential_and_errors():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    clone = keras.models.clone_model(model)
    assert clone.built and clone.layers[0].name == "d"
    assert tuple(clone.layers[0].kernel.shape) == (3, 2)
    with pytest.raises(NotImplementedError, match="input_tensors"):
        keras.models.clone_model(model, input_tensors=[keras.Input((3,))])
    with pytest.raises(ValueError, match="Keras model"):
        keras.models.clone_model(keras.layers.Dense(2))


def test_state_tree_round_trip():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")], name="seq")
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(np.ones((4, 3)), np.zeros((4, 2)), epochs=1, verbose=0)
    tree = model.get_state_tree("numpy_array")
    assert set(tree) == {"trainable_variables", "non_trainable_variables",
                         "optimizer_variables", "metrics_variables"}
    kernel = tree["trainable_variables"]["seq"]["d"]["kernel"]
    np.testing.assert_array_equal(kernel, model.layers[0].kernel.numpy())
    assert float(tree["optimizer_variables"]["adam"]["iteration"]) == 1.0
    new_bias = np.array([3.0, -1.0], dtype="float32")
    model.set_state_tree({"trainable_variables": {"seq": {"d": {"bias": new_bias}}}})
    np.testing.assert_array_equal(model.layers[0].bias.numpy(), new_bias)
    with pytest.raises(ValueError, match="does not have"):
        model.set_state_tree({"trainable_variables": {"seq": {"zz": {"k": new_bias}}}})
    with pytest.raises(ValueError, match="shape"):
        model.set_state_tree({"trainable_variables": {"seq": {"d": {"bias": np.ones(3)}}}})


def test_clear_session_resets_names():
    keras.utils.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
    keras.utils.clear_session(free_memory=False)
    assert keras.layers.Dense(1).name == "dense"


def test_get_source_inputs_and_packing():
    a, b = keras.Input((2,), name="a"), keras.Input((3,), name="b")
    out = keras.layers.Concatenate()([keras.layers.Dense(2)(a), b])
    sources = keras.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    with pytest.raises(ValueError, match="symbolic"):
        keras.utils.get_source_inputs(np.ones(2))
    assert keras.utils.pack_x_y_sample_weight(1) == 1
    assert keras.utils.pack_x_y_sample_weight([1, 2]) == ([1, 2],)
    assert keras.utils.pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)
    assert keras.utils.unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
