"""Saving functional models whose graph applies `keras.ops` (and tensor
operators) directly to symbolic tensors: the op nodes are written as Keras 3
writes them (module `keras.src.ops.<family>`, the operation's class name,
its constructor arguments as config, the call arguments in the inbound nodes)
and load back into the same computation."""

import json
import zipfile

import numpy as np
import pytest

import torkeras as keras
from torkeras import ops


def _config_layers(path):
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
    return {entry["name"]: entry for entry in config["config"]["layers"]}


def _kt(shape, history):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": "float32", "keras_history": history}}


def _mixed_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    h = keras.layers.Dense(4, name="proj")(a)
    s = ops.add(h, b) * 2                       # op node + Python int operand
    m = ops.mean(s, axis=1, keepdims=True)      # keyword arguments -> config
    r = 1.5 - m                                 # scalar on the left
    picked = s[:, 1:3]                          # slice key
    fancy = s[:, [0, 3]]                        # list inside the key
    cat = ops.concatenate([s, r, picked, fancy], axis=-1)
    out = keras.layers.Dense(2, name="head")(ops.softmax(cat, axis=-1))
    dot = ops.einsum("ij,ij->i", cat, cat)      # subscripts -> config, *operands -> call
    as_int = ops.cast(dot, "int32")
    return keras.Model({"a": a, "b": b}, [out, dot, as_int], name="mixed")


def _numpy_forward(model, xa, xb):
    """The same computation written with NumPy from the model's weights."""
    wp, bp, wh, bh = [np.asarray(w, dtype=np.float64) for w in model.get_weights()]
    s = (xa @ wp + bp + xb) * 2
    r = 1.5 - s.mean(axis=1, keepdims=True)
    cat = np.concatenate([s, r, s[:, 1:3], s[:, [0, 3]]], axis=-1)
    e = np.exp(cat - cat.max(axis=-1, keepdims=True))
    out = (e / e.sum(axis=-1, keepdims=True)) @ wh + bh
    dot = (cat * cat).sum(axis=1)
    return out, dot


def test_op_nodes_save_load_predict_identically(tmp_path):
    model = _mixed_model()
    rng = np.random.default_rng(0)
    xa, xb = rng.random((5, 4), dtype=np.float32), rng.random((5, 4), dtype=np.float32)
    before = model.predict({"a": xa, "b": xb}, verbose=0)
    out, dot = _numpy_forward(model, xa.astype(np.float64), xb.astype(np.float64))
    np.testing.assert_allclose(before[0], out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(before[1], dot, rtol=1e-5)
    np.testing.assert_array_equal(before[2], before[1].astype(np.int32))

    path = tmp_path / "mixed.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    after = loaded.predict({"a": xa, "b": xb}, verbose=0)
    for x, y in zip(before, after):
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)
    # Operations are not layers, before and after loading (as in Keras).
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers] \
        == ["a", "b", "proj", "head"]


def test_op_node_entries_are_written_as_keras_does(tmp_path):
    x = keras.Input((3,), name="x")
    doubled = x * 2
    m = ops.mean(doubled, axis=1, keepdims=True)
    y = ops.cast(ops.clip(m, 0.0, 1.0), "float16")
    keras.Model(x, y).save(tmp_path / "m.keras")
    entries = _config_layers(tmp_path / "m.keras")
    assert entries["multiply"] == {
        "module": "keras.src.ops.numpy", "class_name": "Multiply",
        "config": {"name": "multiply"}, "registered_name": "Multiply", "name": "multiply",
        "inbound_nodes": [{"args": [_kt([None, 3], ["x", 0, 0]), 2], "kwargs": {}}]}
    assert entries["mean"]["config"] == {"name": "mean", "axis": 1, "keepdims": True}
    assert entries["mean"]["inbound_nodes"] == [
        {"args": [_kt([None, 3], ["multiply", 0, 0])], "kwargs": {}}]
    assert entries["clip"]["config"] == {"name": "clip", "x_min": 0.0, "x_max": 1.0}
    cast = entries["cast"]
    assert (cast["module"], cast["class_name"], cast["config"]) == \
        ("keras.src.ops.core", "Cast", {"name": "cast", "dtype": "float16"})
    assert "build_config" not in cast


def test_loads_op_nodes_as_keras_writes_them():
    # A config in Keras 3's own form, including class names that are aliases
    # here (Amax for max) and a keyword call argument (FullLike's dtype).
    config = {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "registered_name": "Functional",
        "config": {"name": "from_keras", "trainable": True, "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
             "config": {"batch_shape": [None, 3], "dtype": "float32", "sparse": False,
                        "ragged": False, "name": "x"}, "name": "x", "inbound_nodes": []},
            {"module": "keras.src.ops.numpy", "class_name": "Subtract",
             "registered_name": "Subtract", "config": {"name": "subtract"}, "name": "subtract",
             "inbound_nodes": [{"args": [_kt([None, 3], ["x", 0, 0]), 0.5], "kwargs": {}}]},
            {"module": "keras.src.ops.numpy", "class_name": "Amax", "registered_name": "Amax",
             "config": {"name": "amax", "axis": [1], "keepdims": True}, "name": "amax",
             "inbound_nodes": [{"args": [_kt([None, 3], ["subtract", 0, 0])], "kwargs": {}}]},
            {"module": "keras.src.ops.numpy", "class_name": "FullLike",
             "registered_name": "FullLike", "config": {"name": "full_like"}, "name": "full_like",
             "inbound_nodes": [{"args": [_kt([None, 1], ["amax", 0, 0]), 3],
                                "kwargs": {"dtype": "float32"}}]},
            {"module": "keras.src.ops.numpy", "class_name": "Multiply",
             "registered_name": "Multiply", "config": {"name": "multiply"}, "name": "multiply",
             "inbound_nodes": [{"args": [_kt([None, 1], ["amax", 0, 0]),
                                         _kt([None, 1], ["full_like", 0, 0])], "kwargs": {}}]},
        ], "input_layers": [["x", 0, 0]], "output_layers": [["multiply", 0, 0]]}}
    model = keras.saving.deserialize_keras_object(config)
    x = np.array([[1.0, 4.0, 2.0], [-3.0, -1.0, -2.0]], dtype=np.float32)
    expected = (x - 0.5).max(axis=1, keepdims=True) * 3
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
    assert model.layers == [model.layers[0]]  # only the InputLayer is a layer


def test_op_classes_never_resolve_to_layers_of_the_same_name():
    from torkeras.saving.serialization_lib import _lookup_public
    op_add = _lookup_public("keras.src.ops.numpy", "Add")
    assert op_add is not keras.layers.Add and op_add._is_op_layer
    assert _lookup_public("keras.src.ops.nn", "Softmax") is not keras.layers.Softmax
    with pytest.raises(ValueError, match="Could not locate class 'NoSuchOp'"):
        keras.saving.deserialize_keras_object(
            {"module": "keras.src.ops.numpy", "class_name": "NoSuchOp",
             "registered_name": "NoSuchOp", "config": {"name": "n"}})


def test_op_nodes_in_a_nested_model_and_training_continues_identically(tmp_path):
    inner_in = keras.Input((3,), name="inner_in")
    inner = keras.Model(inner_in, ops.tanh(keras.layers.Dense(3)(inner_in)) + 1.0,
                        name="inner")
    x = keras.Input((3,), name="x")
    y = keras.layers.Dense(1)(ops.concatenate([inner(x), x], axis=1) ** 2)
    model = keras.Model(x, y)
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(1)
    data, target = rng.random((16, 3), dtype=np.float32), rng.random((16, 1), dtype=np.float32)
    model.fit(data, target, epochs=1, batch_size=4, shuffle=False, verbose=0)
    model.save(tmp_path / "nested.keras")
    loaded = keras.saving.load_model(tmp_path / "nested.keras")
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))
    for m in (model, loaded):
        m.fit(data, target, epochs=2, batch_size=4, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_op_layer_config_errors_name_the_argument():
    cls = type(ops.mean(keras.Input((2,)), axis=0)._keras_history[0])
    with pytest.raises(TypeError, match=r"Mean: unexpected argument\(s\) \['axes'\]"):
        cls.from_config({"name": "m", "axes": 1})


def test_symbolic_tensors_passed_by_keyword_build_op_nodes(tmp_path):
    # The R wrappers pass every argument by name (op_add(x1 = a, x2 = b)).
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    y = ops.mean(x=ops.add(x1=a, x2=b), axis=-1)
    model = keras.Model([a, b], y)
    model.save(tmp_path / "kw.keras")
    entries = _config_layers(tmp_path / "kw.keras")
    assert [t["config"]["keras_history"][0] for t in entries["add"]["inbound_nodes"][0]["args"]] \
        == ["a", "b"]
    xa, xb = np.array([[1.0, 2.0]], np.float32), np.array([[3.0, 5.0]], np.float32)
    loaded = keras.saving.load_model(tmp_path / "kw.keras")
    np.testing.assert_allclose(loaded.predict([xa, xb], verbose=0), [5.5])
