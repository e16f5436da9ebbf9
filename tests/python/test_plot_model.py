"""keras.utils.plot_model / model_to_dot: DOT content and the PNG Graphviz writes."""

import re
import shutil

import pytest

import torkeras as keras
from torkeras.utils import model_visualization

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz `dot` is not installed")


def _ticket_model():
    title = keras.Input((32,), name="title")
    tags = keras.Input((10,), name="tags")
    x = keras.layers.Concatenate()([title, tags])
    features = keras.layers.Dense(64, activation="relu")(x)
    priority = keras.layers.Dense(1, activation="sigmoid", name="priority")(features)
    department = keras.layers.Dense(4, activation="softmax", name="department")(features)
    return keras.Model([title, tags], [priority, department])


def _edges(dot):
    return re.findall(r"^\s*(n\d+) -> (n\d+);$", dot, re.M)


def _node_ids(dot):
    return {m.group(2): m.group(1) for m in re.finditer(r"^\s*(n\d+) \[label=.*?<b>(.*?)</b>",
                                                         dot, re.M)}


@needs_dot
def test_plot_model_writes_png(tmp_path):
    model = _ticket_model()
    path = tmp_path / "sub" / "model.png"
    result = keras.utils.plot_model(model, to_file=str(path), show_shapes=True)
    assert result == str(path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    # 200 dpi by default: the IHDR width of this graph is well over 1000 px.
    width = int.from_bytes(data[16:20], "big")
    assert width > 1000
    small = tmp_path / "small.png"
    keras.utils.plot_model(model, to_file=str(small), show_shapes=True, dpi=50)
    assert int.from_bytes(small.read_bytes()[16:20], "big") < width / 2
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".plot_model-")]


def test_dot_has_layer_names_shapes_and_edges():
    model = _ticket_model()
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    for name, cls in [("title", "InputLayer"), ("tags", "InputLayer"),
                      ("concatenate", "Concatenate"), ("dense", "Dense"),
                      ("priority", "Dense"), ("department", "Dense")]:
        assert f"<b>{name}</b> ({cls})" in dot
    assert "Input shape: [(None, 32), (None, 10)]" in dot
    assert "Output shape: (None, 42)" in dot
    assert "Output shape: (None, 4)" in dot
    ids = _node_ids(dot)
    edges = {(a, b) for a, b in _edges(dot)}
    inv = {v: k for k, v in ids.items()}
    named = {(inv[a], inv[b]) for a, b in edges}
    assert named == {("title", "concatenate"), ("tags", "concatenate"),
                     ("concatenate", "dense"), ("dense", "priority"),
                     ("dense", "department")}
    assert "rankdir=TB" in dot and "dpi=200" in dot


def test_dot_options():
    model = _ticket_model()
    plain = keras.utils.model_to_dot(model)
    assert "shape" not in plain.split("edge [")[1]
    assert "Activation" not in plain and "dtype" not in plain and "Trainable" not in plain
    model.layers[3].trainable = False
    full = keras.utils.model_to_dot(model, show_dtype=True, show_layer_activations=True,
                                    show_trainable=True, rankdir="LR",
                                    show_layer_names=False)
    assert "Activation: relu" in full and "Activation: softmax" in full
    assert "Output dtype: float32" in full
    assert "Trainable: False" in full and "Trainable: True" in full
    assert "rankdir=LR" in full
    assert "<b>Dense</b>" in full and "<b>priority</b>" not in full
    with pytest.raises(ValueError, match="rankdir"):
        keras.utils.model_to_dot(model, rankdir="BT")


def test_sequential_and_nested_models():
    inner = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, name="inner_dense"),
                              keras.layers.Dense(2, name="inner_out")], name="block")
    inputs = keras.Input((8,), name="x")
    outputs = keras.layers.Dense(1, name="head")(inner(inputs))
    model = keras.Model(inputs, outputs)
    dot = keras.utils.model_to_dot(model, show_shapes=True)
    assert "<b>block</b> (Sequential)" in dot and "inner_dense" not in dot
    assert len(_edges(dot)) == 2
    expanded = keras.utils.model_to_dot(model, expand_nested=True)
    assert "subgraph cluster_1" in expanded and 'label="block (Sequential)"' in expanded
    ids = {v: k for k, v in _node_ids(expanded).items()}
    named = {(ids[a], ids[b]) for a, b in _edges(expanded)}
    # Outer edges attach to the nested model's first and last layers.
    assert named == {("x", "input_layer"), ("input_layer", "inner_dense"),
                     ("inner_dense", "inner_out"), ("inner_out", "head")}
    seq_dot = keras.utils.model_to_dot(inner, show_shapes=True)
    assert len(_edges(seq_dot)) == 2
    assert "Output shape: (None, 2)" in seq_dot


def test_subclassed_model_is_one_box_and_unbuilt_is_an_error():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Tiny()
    with pytest.raises(ValueError, match="not been built"):
        keras.utils.model_to_dot(model)
    model(keras.ops.ones((1, 3)))
    dot = keras.utils.model_to_dot(model)
    assert "(Tiny)" in dot and not _edges(dot)
    with pytest.raises(ValueError, match="not been built"):
        keras.utils.model_to_dot(keras.Sequential([keras.layers.Dense(2)]))


def test_missing_dot_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(model_visualization, "_dot_program", lambda: None)
    with pytest.raises(ImportError, match="apt-get install graphviz"):
        keras.utils.plot_model(_ticket_model(), to_file=str(tmp_path / "m.png"))
    # The DOT source needs no Graphviz.
    path = keras.utils.plot_model(_ticket_model(), to_file=str(tmp_path / "m.dot"))
    assert open(path).read().startswith('digraph "functional')
    with pytest.raises(ValueError, match="cannot write"):
        keras.utils.plot_model(_ticket_model(), to_file=str(tmp_path / "m.xyz"))
