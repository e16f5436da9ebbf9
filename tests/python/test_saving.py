"""Saving: the .keras zip, config envelopes, the h5 weight layout, weights
files, custom objects, safe_mode and atomic writes."""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras.saving import saving_lib


def _data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 4), dtype=np.float32), rng.integers(0, 3, n)


def _functional(name="func"):
    x = keras.Input(shape=(4,), name="x")
    h = keras.layers.Dense(8, activation="relu")(x)
    y = keras.layers.Dense(3, activation="softmax")(h)
    model = keras.Model(x, y, name=name)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.compress_type) for i in zf.infolist()]


def _h5_tree(path):
    with zipfile.ZipFile(path) as zf:
        data = zf.read("model.weights.h5")
    out = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = (tuple(obj.shape), str(obj.dtype))
            elif name.endswith("vars"):
                out[name] = dict(obj.attrs)
        f.visititems(visit)
    return out


def test_save_load_predicts_and_continues_training_identically(tmp_path):
    keras.config.set_random_seed(1)
    x, y = _data()
    model = _functional()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == int(model.optimizer.iterations.numpy()) == 8
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # Two more Adam steps on both: identical weights.
    for m in (model, loaded):
        m.fit(x[:16], y[:16], epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(loaded.optimizer.iterations.numpy()) == 10


def test_zip_members_stored_in_order_and_metadata(tmp_path):
    model = _functional()
    path = tmp_path / "m.keras"
    model.save(path)
    assert _members(path) == [("metadata.json", zipfile.ZIP_STORED),
                              ("config.json", zipfile.ZIP_STORED),
                              ("model.weights.h5", zipfile.ZIP_STORED)]
    with zipfile.ZipFile(path) as zf:
        meta = json.loads(zf.read("metadata.json"))
    assert list(meta)[:2] == ["keras_version", "date_saved"]
    assert len(meta["date_saved"]) == len("2026-11-21@11:57:00") and "@" in meta["date_saved"]


def test_config_json_envelopes(tmp_path):
    model = _functional()
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
    assert (config["module"], config["class_name"], config["registered_name"]) == \
        ("keras.src.models.functional", "Functional", "Functional")
    inner = config["config"]
    assert inner["input_layers"] == ["x", 0, 0]
    assert inner["output_layers"] == ["dense_1", 0, 0]
    first, dense, dense_1 = inner["layers"]
    assert first["class_name"] == "InputLayer" and first["module"] == "keras.layers"
    assert first["inbound_nodes"] == [] and first["config"]["batch_shape"] == [None, 4]
    assert dense["module"] == "keras.layers" and dense["registered_name"] is None
    assert dense["build_config"] == {"input_shape": [None, 4]}
    assert dense["config"]["units"] == 8 and dense["config"]["activation"] == "relu"
    arg = dense_1["inbound_nodes"][0]["args"][0]
    assert arg == {"class_name": "__keras_tensor__",
                   "config": {"shape": [None, 8], "dtype": "float32",
                              "keras_history": ["dense", 0, 0]}}
    cc = config["compile_config"]
    assert set(cc) == {"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
                       "run_eagerly", "steps_per_execution", "jit_compile"}
    assert cc["optimizer"]["module"] == "keras.optimizers"
    assert cc["optimizer"]["class_name"] == "Adam"
    assert cc["loss"] == "sparse_categorical_crossentropy" and cc["metrics"] == ["accuracy"]


def test_h5_layout_including_optimizer_vars(tmp_path):
    x, y = _data()
    model = _functional()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    tree = _h5_tree(path)
    assert tree["layers/dense/vars/0"] == ((4, 8), "float32")
    assert tree["layers/dense/vars/1"] == ((8,), "float32")
    assert tree["layers/dense_1/vars/0"] == ((8, 3), "float32")
    assert tree["layers/input_layer/vars"] == {"name": "x"}
    assert tree["layers/dense/vars"] == {"name": "dense"}
    assert tree["vars"] == {"name": "func"}
    assert tree["optimizer/vars/0"] == ((), "int32")
    assert tree["optimizer/vars/1"] == ((), "float32")
    shapes = [tree[f"optimizer/vars/{i}"][0] for i in range(2, 10)]
    assert shapes == [(4, 8), (4, 8), (8,), (8,), (8, 3), (8, 3), (3,), (3,)]
    assert "optimizer/vars/10" not in tree


def test_sequential_round_trip_and_layout(tmp_path):
    keras.config.set_random_seed(2)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(5, activation="tanh"),
                              keras.layers.Dropout(0.2), keras.layers.Dense(2)], name="seq")
    model.compile(optimizer="sgd", loss="mse")
    x, _ = _data()
    model.fit(x, np.ones((32, 2), "float32"), epochs=1, verbose=0)
    config = model.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer"
    assert "inbound_nodes" not in config["layers"][0]
    assert config["build_input_shape"] == [None, 4]
    path = tmp_path / "s.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        top = json.loads(zf.read("config.json"))
    assert (top["module"], top["class_name"], top["registered_name"]) == \
        ("keras", "Sequential", None)
    assert top["build_config"] == {"input_shape": [None, 4]}
    tree = _h5_tree(path)
    assert tree["layers/dense/vars/0"] == ((4, 5), "float32")
    assert tree["layers/dense_1/vars/0"] == ((5, 2), "float32")
    assert tree["layers/dropout/vars"] == {"name": "dropout"}
    assert not any(k.startswith("layers/input_layer") for k in tree)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, keras.Sequential) and loaded.name == "seq"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_multi_input_shared_layer_graph_round_trip():
    a = keras.Input(shape=(3,), name="a")
    b = keras.Input(shape=(3,), name="b")
    shared = keras.layers.Dense(4, name="shared")
    merged = keras.layers.Concatenate()([shared(a), shared(b)])
    out = keras.layers.Dense(1)(merged)
    model = keras.Model({"a": a, "b": b}, out)
    config = model.get_config()
    shared_entry = next(l for l in config["layers"] if l["name"] == "shared")
    assert len(shared_entry["inbound_nodes"]) == 2
    concat = next(l for l in config["layers"] if l["class_name"] == "Concatenate")
    histories = [t["config"]["keras_history"] for t in concat["inbound_nodes"][0]["args"][0]]
    assert histories == [["shared", 0, 0], ["shared", 1, 0]]
    assert config["input_layers"] == {"a": ["a", 0, 0], "b": ["b", 0, 0]}
    clone = keras.Model.from_config(config)
    clone.set_weights(model.get_weights())
    xa, xb = np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")
    np.testing.assert_allclose(clone.predict({"a": xa, "b": xb}, verbose=0),
                               model.predict({"a": xa, "b": xb}, verbose=0))


def test_save_requires_keras_suffix(tmp_path):
    model = _functional()
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        model.save(tmp_path / "m.h5")
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(tmp_path / "m.h5")
    assert os.listdir(tmp_path) == []


def test_save_weights_load_weights(tmp_path):
    keras.config.set_random_seed(3)
    x, y = _data()
    model = _functional()
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        assert f["layers/dense/vars/0"].shape == (4, 8)
        assert f["optimizer/vars/0"][()] == 1
    other = _functional()
    assert not np.allclose(other.get_weights()[0], model.get_weights()[0])
    other.load_weights(path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(other.optimizer.iterations.numpy()) == 1
    # Weights from a .keras file too.
    model.save(tmp_path / "m.keras")
    third = _functional()
    third.load_weights(tmp_path / "m.keras")
    np.testing.assert_array_equal(third.get_weights()[2], model.get_weights()[2])


def test_load_weights_mismatch_is_a_clear_error(tmp_path):
    model = _functional()
    model.save_weights(tmp_path / "w.weights.h5")
    x = keras.Input(shape=(4,))
    other = keras.Model(x, keras.layers.Dense(3, use_bias=False)(keras.layers.Dense(8)(x)))
    with pytest.raises(ValueError, match="expected 1 variables, but received 2"):
        other.load_weights(tmp_path / "w.weights.h5")


@keras.saving.register_keras_serializable(package="Tests")
class ScaledDense(keras.layers.Layer):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.scale = units, scale

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

    def call(self, x):
        return keras.ops.matmul(x, self.w) * self.scale

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, scale=self.scale)
        return config


class Unregistered(ScaledDense):
    pass


def test_registered_custom_layer_round_trip(tmp_path):
    assert keras.saving.get_registered_object("Tests>ScaledDense") is ScaledDense
    assert keras.saving.get_registered_name(ScaledDense) == "Tests>ScaledDense"
    x = keras.Input(shape=(2,))
    model = keras.Model(x, ScaledDense(3, scale=2.0)(x))
    model.save(tmp_path / "c.keras")
    with zipfile.ZipFile(tmp_path / "c.keras") as zf:
        layer_cfg = json.loads(zf.read("config.json"))["config"]["layers"][1]
    assert layer_cfg["registered_name"] == "Tests>ScaledDense"
    assert layer_cfg["module"] == __name__
    loaded = keras.saving.load_model(tmp_path / "c.keras")
    assert isinstance(loaded.layers[1], ScaledDense) and loaded.layers[1].scale == 2.0
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2), "float32"), verbose=0), [[4.0] * 3])


def test_unregistered_custom_layer_needs_custom_objects(tmp_path):
    x = keras.Input(shape=(2,))
    model = keras.Model(x, Unregistered(3, scale=3.0)(x))
    model.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match="Could not locate class 'Unregistered'"):
        keras.saving.load_model(tmp_path / "u.keras")
    loaded = keras.saving.load_model(tmp_path / "u.keras",
                                     custom_objects={"Unregistered": Unregistered})
    assert type(loaded.layers[1]) is Unregistered
    with keras.saving.custom_object_scope({"Unregistered": Unregistered}):
        again = keras.saving.load_model(tmp_path / "u.keras")
    np.testing.assert_allclose(again.predict(np.ones((1, 2), "float32"), verbose=0), [[6.0] * 3])


def test_serialize_deserialize_objects():
    from torkeras.saving import deserialize_keras_object, serialize_keras_object
    opt = keras.optimizers.Adam(learning_rate=0.05)
    env = serialize_keras_object(opt)
    assert env["module"] == "keras.optimizers" and env["class_name"] == "Adam"
    back = deserialize_keras_object(env)
    assert isinstance(back, keras.optimizers.Adam) and abs(back.learning_rate - 0.05) < 1e-7
    # keras.src.* modules map onto the same classes.
    dense = deserialize_keras_object({"module": "keras.src.layers.core.dense",
                                      "class_name": "Dense", "config": {"units": 2},
                                      "registered_name": None})
    assert isinstance(dense, keras.layers.Dense) and dense.units == 2
    fn = serialize_keras_object(keras.activations.relu)
    assert fn == {"module": "builtins", "class_name": "function", "config": "relu",
                  "registered_name": "function"}
    assert deserialize_keras_object(fn) is keras.activations.relu
    arr = deserialize_keras_object(serialize_keras_object(np.arange(3, dtype="int32")))
    assert arr.dtype == np.int32 and arr.tolist() == [0, 1, 2]


def test_safe_mode_refuses_lambdas():
    from torkeras.saving import deserialize_keras_object, serialize_keras_object
    with pytest.warns(UserWarning):
        config = serialize_keras_object(lambda v: v * 3)
    assert config["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match=r"Refusing to deserialize a Python lambda.*safe_mode=False"):
        deserialize_keras_object(config)
    fn = deserialize_keras_object(config, safe_mode=False)
    assert fn(2) == 6
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda",
                    "config": {"function": config}, "registered_name": None}
    with pytest.raises(ValueError, match="enable_unsafe_deserialization"):
        deserialize_keras_object(lambda_layer)


def test_enable_unsafe_deserialization(monkeypatch):
    from torkeras import config as config_module
    from torkeras.saving import deserialize_keras_object, serialize_keras_object
    with pytest.warns(UserWarning):
        config = serialize_keras_object(lambda v: v + 1)
    monkeypatch.setattr(config_module, "_UNSAFE_DESERIALIZATION", False)
    keras.config.enable_unsafe_deserialization()
    assert deserialize_keras_object(config)(1) == 2


def test_failed_save_leaves_no_file_and_keeps_old_one(tmp_path, monkeypatch):
    model = _functional()
    path = tmp_path / "m.keras"
    calls = {"n": 0}
    real = h5py.Group.create_dataset

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full (simulated)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(h5py.Group, "create_dataset", failing)
    with pytest.raises(RuntimeError, match="simulated"):
        model.save(path)
    assert os.listdir(tmp_path) == []
    calls["n"] = 0
    with pytest.raises(RuntimeError, match="simulated"):
        model.save_weights(tmp_path / "w.weights.h5")
    assert os.listdir(tmp_path) == []
    monkeypatch.setattr(h5py.Group, "create_dataset", real)
    model.save(path)
    before = path.read_bytes()
    calls["n"] = 0
    monkeypatch.setattr(h5py.Group, "create_dataset", failing)
    with pytest.raises(RuntimeError):
        model.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.keras"]
    # Failing while making the config (before any file exists) is also clean.
    monkeypatch.setattr(keras.layers.Dense, "get_config",
                        lambda self: (_ for _ in ()).throw(RuntimeError("bad config")))
    with pytest.raises(RuntimeError, match="bad config"):
        model.save(tmp_path / "other.keras")
    assert os.listdir(tmp_path) == ["m.keras"]


def test_load_hand_built_keras_file(tmp_path):
    """A .keras file assembled by hand with Keras 3's layout (keras.src modules,
    int32 iteration, DTypePolicy envelopes) loads with its weights and optimizer
    state."""
    rng = np.random.default_rng(5)
    k0, b0 = rng.random((4, 8), dtype=np.float32), rng.random(8, dtype=np.float32)
    k1, b1 = rng.random((8, 3), dtype=np.float32), rng.random(3, dtype=np.float32)
    dtype = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
             "registered_name": None}

    def dense(name, units, act, inp, in_dim):
        return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                "config": {"name": name, "trainable": True, "dtype": dtype, "units": units,
                           "activation": act, "use_bias": True},
                "build_config": {"input_shape": [None, in_dim]}, "name": name,
                "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                    "shape": [None, in_dim], "dtype": "float32", "keras_history": [inp, 0, 0]}}],
                    "kwargs": {}}]}

    config = {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "registered_name": "Functional", "build_config": {"input_shape": None},
        "config": {"name": "func", "trainable": True, "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
             "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False,
                        "ragged": False, "name": "x", "optional": False},
             "name": "x", "inbound_nodes": []},
            dense("dense", 8, "relu", "x", 4), dense("dense_1", 3, "softmax", "dense", 8)],
            "input_layers": ["x", 0, 0], "output_layers": ["dense_1", 0, 0]},
        "compile_config": {
            "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "registered_name": None,
                          "config": {"name": "adam", "learning_rate": 0.0010000000474974513,
                                     "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07,
                                     "amsgrad": False}},
            "loss": "sparse_categorical_crossentropy", "loss_weights": None,
            "metrics": ["accuracy"], "weighted_metrics": None, "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False}}
    slots = [np.full(s, 0.5 + i, np.float32) for i, s in
             enumerate([(4, 8), (4, 8), (8,), (8,), (8, 3), (8, 3), (3,), (3,)])]
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for path, values in [("layers/dense", [k0, b0]), ("layers/dense_1", [k1, b1])]:
            g = f.create_group(path + "/vars")
            g.attrs["name"] = path.split("/")[-1]
            for i, v in enumerate(values):
                g.create_dataset(str(i), data=v)
        f.create_group("layers/input_layer/vars").attrs["name"] = "x"
        g = f.create_group("optimizer/vars")
        g.attrs["name"] = "adam"
        g.create_dataset("0", data=np.int32(7))
        g.create_dataset("1", data=np.float32(0.001))
        for i, v in enumerate(slots):
            g.create_dataset(str(i + 2), data=v)
        f.create_group("vars").attrs["name"] = "func"
    path = tmp_path / "hand.keras"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.15.1",
                                                 "date_saved": "2026-11-21@11:57:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", buffer.getvalue())
    model = keras.saving.load_model(path)
    assert [l.name for l in model.layers] == ["x", "dense", "dense_1"]
    x = rng.random((5, 4), dtype=np.float32)
    h = np.maximum(x @ k0 + b0, 0) @ k1 + b1
    expected = np.exp(h) / np.exp(h).sum(-1, keepdims=True)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5)
    assert int(model.optimizer.iterations.numpy()) == 7
    np.testing.assert_array_equal(model.optimizer.variables[5].numpy(), slots[3])
    # compile=False drops the optimizer.
    assert keras.saving.load_model(path, compile=False).optimizer is None


def test_h5_links_are_refused(tmp_path):
    model = _functional()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.SoftLink("/layers/dense_1/vars/1")
    with pytest.raises(ValueError, match="soft or external link"):
        _functional().load_weights(path)


def test_saving_exports():
    assert keras.models.load_model is not None and keras.saving.save_model is not None
    assert keras.saving.load_model is saving_lib.load_model or callable(keras.saving.load_model)
    x = keras.Input(shape=(2,))
    model = keras.Model(x, keras.layers.Dense(1)(x))
    assert keras.Model.from_config(model.get_config()).layers[1].units == 1
    assert torch.is_tensor(model(torch.ones(1, 2)))


def test_nested_models_round_trip(tmp_path):
    L = keras.layers
    x_in = keras.Input(shape=(4,))
    inner_f = keras.Model(x_in, L.Dense(4, activation="tanh")(x_in), name="inner_f")
    inner_s = keras.Sequential([keras.Input(shape=(4,)), L.Dense(4), L.LeakyReLU()], name="inner_s")
    a = keras.Input(shape=(4,), name="a")
    b = keras.Input(shape=(4,), name="b")
    fa, fb = inner_f(a), inner_f(b)
    merged = L.Concatenate()([L.Add()([fa, fb]), inner_s(fa)])
    model = keras.Model([a, b], L.Dense(2)(merged))
    model.compile("rmsprop", "mse")
    xa, xb = np.random.rand(8, 4).astype("float32"), np.random.rand(8, 4).astype("float32")
    model.fit([xa, xb], np.zeros((8, 2), "float32"), verbose=0)
    config = model.get_config()
    add = next(l for l in config["layers"] if l["class_name"] == "Add")
    # A nested Functional model's own node is number 0, as in Keras.
    assert [t["config"]["keras_history"] for t in add["inbound_nodes"][0]["args"][0]] == \
        [["inner_f", 1, 0], ["inner_f", 2, 0]]
    path = tmp_path / "n.keras"
    model.save(path)
    tree = _h5_tree(path)
    assert tree["layers/functional/layers/dense/vars/0"] == ((4, 4), "float32")
    assert tree["layers/sequential/layers/dense/vars/0"] == ((4, 4), "float32")
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict([xa, xb], verbose=0),
                                  model.predict([xa, xb], verbose=0))


@keras.saving.register_keras_serializable(package="Tests")
class Block(keras.layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.parts = [keras.layers.Dense(units), keras.layers.Dense(units)]
        self.norm = keras.layers.BatchNormalization()

    def call(self, x, training=None):
        return self.norm(self.parts[1](self.parts[0](x)), training=training)

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


@keras.saving.register_keras_serializable(package="Tests")
class Net(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.block = Block(units)
        self.out = keras.layers.Dense(1)

    def call(self, x, training=None):
        return self.out(self.block(x, training=training))

    def get_config(self):
        return {"units": self.units, "name": self.name}


def test_subclassed_model_with_nested_layers_and_loss_objects(tmp_path):
    keras.config.set_random_seed(4)
    net = Net(3)
    net.compile(optimizer="adam", loss=keras.losses.MeanSquaredError(),
                metrics=[keras.metrics.MeanAbsoluteError()])
    x = np.random.rand(16, 4).astype("float32")
    y = np.random.rand(16, 1).astype("float32")
    net.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "sub.keras"
    net.save(path)
    tree = _h5_tree(path)
    # Sub-layers by attribute name, list items by class name (Keras's paths).
    assert tree["block/norm/vars/2"] == ((3,), "float32")
    assert tree["block/parts/dense/vars/0"] == ((4, 3), "float32")
    assert tree["block/parts/dense_1/vars/0"] == ((3, 3), "float32")
    assert tree["out/vars/0"] == ((3, 1), "float32")
    assert "optimizer/vars/17" in tree and "optimizer/vars/18" not in tree
    with zipfile.ZipFile(path) as zf:
        cc = json.loads(zf.read("config.json"))["compile_config"]
    assert cc["loss"]["class_name"] == "MeanSquaredError"
    assert cc["metrics"][0]["class_name"] == "MeanAbsoluteError"
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, Net)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), net.predict(x, verbose=0))
    for m in (net, loaded):
        m.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(net.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_unbuilt_sequential_round_trip(tmp_path):
    # (Op nodes on symbolic tensors are covered by test_saving_ops.py.)
    model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    model.save(tmp_path / "u.keras")
    loaded = keras.saving.load_model(tmp_path / "u.keras")
    assert not loaded.built and [l.name for l in loaded.layers] == ["dense", "dense_1"]


def test_user_classes_get_their_constructor_arguments_as_config(tmp_path):
    @keras.saving.register_keras_serializable(package="AutoConfig")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

    @keras.saving.register_keras_serializable(package="AutoConfig")
    class Classifier(keras.Model):
        def __init__(self, num_classes=2):
            super().__init__()
            self.dense = keras.layers.Dense(num_classes, activation="softmax")
            self.scale = Scale(factor=0.5)

        def call(self, x):
            return self.dense(self.scale(x))

    layer = Scale(factor=3.0, name="tripler")
    config = layer.get_config()
    assert config["factor"] == 3.0 and config["name"] == "tripler"
    clone = Scale.from_config(config)
    assert clone.factor == 3.0 and clone.name == "tripler"

    model = Classifier(num_classes=3)
    x = np.random.RandomState(0).rand(4, 5).astype("float32")
    expected = model.predict(x, verbose=0)
    assert model.get_config()["num_classes"] == 3
    path = str(tmp_path / "classifier.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded).__name__ == "Classifier" and loaded.name == model.name
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6)


def test_unserializable_constructor_arguments_give_no_auto_config():
    class Holder(keras.layers.Layer):
        def __init__(self, thing=None, **kwargs):
            super().__init__(**kwargs)
            self.thing = thing

    config = Holder(thing=object()).get_config()
    assert "thing" not in config


def _envelopes_named(config, name):
    found = []

    def visit(x):
        if isinstance(x, dict):
            if x.get("class_name") and isinstance(x.get("config"), dict) \
                    and x["config"].get("name") == name:
                found.append(x)
            for v in x.values():
                visit(v)
        elif isinstance(x, list):
            for v in x:
                visit(v)

    visit(config)
    return found


@pytest.mark.parametrize("nested_first", [False, True])
def test_layer_reached_twice_is_saved_with_shared_object_id_and_loads_once(tmp_path,
                                                                           nested_first):
    shared = keras.layers.Dense(3, name="shared")
    x = keras.Input((3,), name="x")
    if nested_first:
        inner_in = keras.Input((3,), name="inner_in")
        inner = keras.Model(inner_in, shared(inner_in), name="inner")
        y = shared(inner(x))
    else:
        inner = keras.Sequential([shared], name="inner")
        y = inner(shared(x))
    model = keras.Model(x, keras.layers.Dense(2, name="head")(y))
    path = tmp_path / "shared.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        config = json.loads(zf.read("config.json"))
    entries = _envelopes_named(config, "shared")
    assert len(entries) == 2
    assert entries[0]["shared_object_id"] == entries[1]["shared_object_id"]
    assert isinstance(entries[0]["shared_object_id"], int)
    # Objects reached once carry no id (only repeats are marked, as in Keras).
    assert "shared_object_id" not in _envelopes_named(config, "head")[0]
    assert "shared_object_id" not in config

    loaded = keras.saving.load_model(path)
    outer_shared = next(l for l in loaded.layers if l.name == "shared")
    assert next(l for l in loaded.layers if l.name == "inner").layers[-1] is outer_shared
    assert len(loaded.weights) == len(model.weights) == 4
    data = np.random.default_rng(0).random((4, 3), dtype=np.float32)
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))
    # One kernel serves both calls: setting it changes both applications.
    w = np.eye(3, dtype=np.float32) * 2
    outer_shared.kernel.assign(w)
    outer_shared.bias.assign(np.zeros(3, np.float32))
    head_w, head_b = [np.asarray(v.numpy()) for v in
                      next(l for l in loaded.layers if l.name == "head").weights]
    np.testing.assert_allclose(loaded.predict(data, verbose=0),
                               (data @ w @ w) @ head_w + head_b, rtol=1e-6)


def test_layer_shared_between_two_inputs_loads_as_one_layer(tmp_path):
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    shared = keras.layers.Dense(2, name="shared")
    model = keras.Model([a, b], keras.layers.Subtract()([shared(a), shared(b)]))
    model.save(tmp_path / "two.keras")
    loaded = keras.saving.load_model(tmp_path / "two.keras")
    layer = next(l for l in loaded.layers if l.name == "shared")
    assert len(layer._inbound_nodes) == 2 and len(loaded.weights) == 2
    layer.kernel.assign(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    xa, xb = np.array([[1.0, 1.0]], np.float32), np.array([[0.0, 1.0]], np.float32)
    # (xa - xb) @ W: the bias cancels because both inputs go through one layer.
    np.testing.assert_allclose(loaded.predict([xa, xb], verbose=0), [[1.0, 2.0]])


def test_unknown_shared_object_ids_are_accepted(tmp_path):
    # Keras can write an id on an object's second envelope only; an id never
    # seen before simply creates the object.
    model = _functional()
    config = keras.saving.serialize_keras_object(model)
    config["config"]["layers"][1]["shared_object_id"] = 12345
    with keras.saving.serialization_lib.ObjectSharingScope():
        clone = keras.saving.deserialize_keras_object(config)
    assert [l.name for l in clone.layers] == [l.name for l in model.layers]


def _low_precision_model():
    x = keras.Input((4,), name="x")
    h = keras.layers.Dense(3, dtype="bfloat16", name="bf")(x)
    y = keras.layers.Dense(2, dtype="float16", name="half")(h)
    model = keras.Model(x, y)
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(3)
    model.fit(rng.random((8, 4), dtype=np.float32), rng.random((8, 2), dtype=np.float32),
              epochs=1, batch_size=4, verbose=0)
    return model


def test_bfloat16_and_float16_weights_round_trip_bit_exactly(tmp_path):
    model = _low_precision_model()
    path = tmp_path / "low.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    kernel = h5["layers/dense/vars/0"]
    # As Keras writes it: 2-byte opaque values tagged dtype="bfloat16".
    assert kernel.dtype == np.dtype("V2") and kernel.attrs["dtype"] == "bfloat16"
    bits = model.get_layer("bf").kernel.value.detach().view(torch.int16).numpy()
    np.testing.assert_array_equal(np.asarray(kernel[()]).view(np.int16), bits)
    assert h5["layers/dense_1/vars/0"].dtype == np.float16
    assert "dtype" not in h5["layers/dense_1/vars/0"].attrs
    assert h5["optimizer/vars/2"].attrs["dtype"] == "bfloat16"  # Adam slots keep the dtype
    h5.close()

    loaded = keras.saving.load_model(path)
    for a, b in zip(model.weights + model.optimizer.variables,
                    loaded.weights + loaded.optimizer.variables):
        assert b.value.dtype == a.value.dtype and torch.equal(a.value, b.value), a.path
    data = np.random.default_rng(4).random((3, 4), dtype=np.float32)
    np.testing.assert_array_equal(loaded.predict(data, verbose=0), model.predict(data, verbose=0))


def test_reads_keras_bfloat16_datasets_into_any_dtype(tmp_path):
    values = torch.tensor([[1.5, -2.25, 3.015625]], dtype=torch.bfloat16)
    path = tmp_path / "bf.weights.h5"
    with h5py.File(path, "w") as f:
        group = f.create_group("layers/dense/vars")
        group.attrs["name"] = "dense"
        kernel = group.create_dataset("0", data=values.view(torch.int16).numpy().view("V2"))
        kernel.attrs["dtype"] = "bfloat16"
        bias = group.create_dataset("1", data=np.zeros(3, np.uint16).view("V2"))
        bias.attrs["dtype"] = "bfloat16"
    for dtype in ("bfloat16", "float32"):
        x = keras.Input((1,))
        model = keras.Model(x, keras.layers.Dense(3, dtype=dtype)(x))
        model.load_weights(path)
        kernel = model.layers[1].kernel.value
        np.testing.assert_array_equal(kernel.detach().float().numpy(), [[1.5, -2.25, 3.015625]])


def test_zipped_false_writes_a_directory_with_the_same_members(tmp_path):
    model = _functional()
    x, y = _data()
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    directory = tmp_path / "saved_model"
    model.save(directory, zipped=False)
    assert sorted(os.listdir(directory)) == ["config.json", "metadata.json", "model.weights.h5"]
    zip_path = tmp_path / "same.keras"
    model.save(zip_path)
    with zipfile.ZipFile(zip_path) as zf:
        assert json.loads((directory / "config.json").read_text()) == \
            json.loads(zf.read("config.json"))
    assert json.loads((directory / "metadata.json").read_text())["keras_version"]
    with h5py.File(directory / "model.weights.h5", "r") as h5:
        np.testing.assert_array_equal(h5["layers/dense/vars/0"][()], model.layers[1].kernel.numpy())

    loaded = keras.saving.load_model(directory)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for m in (model, loaded):
        m.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    # Saving again over the directory replaces its files.
    model.save(directory, zipped=False)
    again = keras.saving.load_model(str(directory))
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_zipped_argument_errors(tmp_path):
    model = _functional()
    with pytest.raises(ValueError, match=r"`zipped=False`.*should not end in `\.keras`"):
        model.save(tmp_path / "m.keras", zipped=False)
    with pytest.raises(TypeError, match="`zipped` must be True, False or None"):
        model.save(tmp_path / "m.keras", zipped="yes")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(FileExistsError, match="a file with that name exists"):
        model.save(tmp_path / "afile", zipped=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="directory without config.json"):
        keras.saving.load_model(tmp_path / "empty")
    assert sorted(os.listdir(tmp_path)) == ["afile", "empty"]


@keras.saving.register_keras_serializable(package="AssetsTest")
class VocabularyLayer(keras.layers.Layer):
    """Scales by the size of a vocabulary that lives only in an asset file
    (it is not a constructor argument, so the config does not carry it)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary = []

    def adapt(self, tokens):
        self.vocabulary = sorted(set(tokens))

    def call(self, x):
        return x * float(len(self.vocabulary))

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt"), "w") as f:
            f.write("\n".join(self.vocabulary))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocabulary.txt")) as f:
            self.vocabulary = f.read().split("\n")


@pytest.mark.parametrize("zipped", [True, False])
def test_layer_assets_are_saved_and_loaded(tmp_path, zipped):
    x = keras.Input((2,), name="x")
    vocab = VocabularyLayer(name="vocab")
    vocab.adapt(["c", "a", "b", "a"])
    model = keras.Model(x, vocab(x))
    path = tmp_path / ("m.keras" if zipped else "m_dir")
    model.save(path, zipped=zipped)
    if zipped:
        with zipfile.ZipFile(path) as zf:
            assert zf.namelist() == ["metadata.json", "config.json", "model.weights.h5",
                                     "assets/layers/vocabulary_layer/vocabulary.txt"]
            assert zf.read("assets/layers/vocabulary_layer/vocabulary.txt") == b"a\nb\nc"
    else:
        assert (path / "assets/layers/vocabulary_layer/vocabulary.txt").read_text() == "a\nb\nc"
    if zipped:
        with zipfile.ZipFile(path) as zf:
            config_text = zf.read("config.json").decode()
    else:
        config_text = (path / "config.json").read_text()
    assert '"c"' not in config_text  # the vocabulary travels only as an asset
    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("vocab").vocabulary == ["a", "b", "c"]
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 2), np.float32), verbose=0),
                                  [[3.0, 3.0]])


def test_assets_outside_their_directory_are_refused(tmp_path):
    model = _functional()
    path = tmp_path / "evil.keras"
    model.save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("assets/../../escape.txt", "x")
    with pytest.raises(ValueError, match="points outside the assets directory"):
        keras.saving.load_model(path)
    assert not (tmp_path / "escape.txt").exists()
