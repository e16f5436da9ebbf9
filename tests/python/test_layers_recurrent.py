"""Recurrent additions of issue 11: StackedRNNCells (against Keras with the
same weights, and a Keras-written .keras file) and Keras's per-gate dropout
masks of LSTMCell / GRUCell with implementation=1 (recurrent_dropout > 0),
checked against a NumPy step computed from the masks the cell drew."""
import os
import tempfile

import numpy as np
import pytest
import torch

import keras_reference
import torkeras as keras
from torkeras import ops

ref = keras_reference.load("layers_recurrent")


def _np(t):
    return ops.convert_to_numpy(t)


def _stacked(go_backwards):
    inp = keras.Input((5, 3))
    rnn = keras.layers.RNN([keras.layers.LSTMCell(4), keras.layers.GRUCell(2)],
                           return_sequences=True, return_state=True, go_backwards=go_backwards)
    out, (h1, c1), h2 = rnn(inp)
    return keras.Model(inp, [out, h1, c1, h2]), rnn


@pytest.mark.parametrize("back", [0, 1])
def test_stacked_cells_match_keras(back):
    model, rnn = _stacked(bool(back))
    key = f"stacked_back{back}"
    for i, w in enumerate(rnn.weights):
        w.assign(ref[f"{key}/w{i}"])
    x = ref["stacked/x"]
    for name, value in zip(("out", "h1", "c1", "h2"), model(x)):
        keras_reference.assert_matches(_np(value), ref[f"{key}/{name}"], rtol=1e-6, atol=1e-6,
                                       what=f"{key}/{name}")
    # Eager calls give the same numbers as the Functional model.
    out, (h1, c1), h2 = rnn(x)
    h2 = h2[0] if isinstance(h2, list) else h2
    keras_reference.assert_matches(_np(h2), ref[f"{key}/h2"], rtol=1e-6, atol=1e-6)


def test_stacked_config_and_weight_names_match_keras():
    _, rnn = _stacked(False)
    config = rnn.get_config()
    assert sorted(config) == list(ref["stacked/config_keys"])
    assert config["cell"]["class_name"] == "StackedRNNCells"
    assert [c["class_name"] for c in config["cell"]["config"]["cells"]] == \
        list(ref["stacked/cells_classes"])
    strip = lambda p: "/".join(part.rsplit("_", 1)[0] if part[-1].isdigit() else part
                               for part in p.split("/"))
    assert [strip(w.path) for w in rnn.weights] == \
        [strip(p) for p in ref["stacked/weight_paths"]]
    again = keras.layers.RNN.from_config(config)
    assert isinstance(again.cell, keras.layers.StackedRNNCells)
    assert [type(c).__name__ for c in again.cell.cells] == ["LSTMCell", "GRUCell"]


def test_keras_written_stacked_file_loads_identically():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        with open(path, "wb") as f:
            f.write(ref["file/bytes"].tobytes())
        model = keras.saving.load_model(path)
        for name, value in zip(("out", "h1", "c1", "h2"), model(ref["stacked/x"])):
            keras_reference.assert_matches(_np(value), ref[f"file/{name}"], rtol=1e-6, atol=1e-6,
                                           what=name)
        # and back: torkeras's save loads to the same outputs
        path2 = os.path.join(tmp, "again.keras")
        model.save(path2)
        model2 = keras.saving.load_model(path2)
        for a, b in zip(model(ref["stacked/x"]), model2(ref["stacked/x"])):
            np.testing.assert_array_equal(_np(a), _np(b))


def test_stacked_cells_errors_and_sizes():
    with pytest.raises(ValueError, match="cells"):
        keras.layers.StackedRNNCells([])
    with pytest.raises(ValueError, match="state_size"):
        keras.layers.StackedRNNCells([keras.layers.Dense(2)])
    cells = keras.layers.StackedRNNCells([keras.layers.LSTMCell(4), keras.layers.GRUCell(2)])
    assert cells.state_size == [[4, 4], 2]
    assert cells.output_size == 2
    rnn = keras.layers.RNN(cells, return_state=True)
    shapes = rnn.compute_output_shape((None, 5, 3))
    assert shapes[0] == (None, 2) and shapes[1] == [(None, 4), (None, 4)] and shapes[2] == (None, 2)


def test_stacked_stateful_and_mask():
    rnn = keras.layers.RNN([keras.layers.SimpleRNNCell(3), keras.layers.SimpleRNNCell(2)],
                           stateful=True)
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    first = _np(rnn(x))
    second = _np(rnn(x))
    assert not np.allclose(first, second)          # states carried over
    rnn.reset_state()
    np.testing.assert_allclose(_np(rnn(x)), first, rtol=1e-6)
    # a masked final step keeps the previous output
    plain = keras.layers.RNN([keras.layers.SimpleRNNCell(3), keras.layers.SimpleRNNCell(2)],
                             return_sequences=True)
    mask = np.array([[True, True, True, False]] * 2)
    out = _np(plain(x, mask=mask))
    np.testing.assert_array_equal(out[:, 3], out[:, 2])


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


@pytest.mark.parametrize("implementation,recurrent_dropout,expect_count",
                         [(2, 0.3, 4), (1, 0.0, 4), (2, 0.0, None)])
def test_lstm_cell_per_gate_masks(implementation, recurrent_dropout, expect_count):
    cell = keras.layers.LSTMCell(3, dropout=0.5, recurrent_dropout=recurrent_dropout, seed=3,
                                 implementation=implementation)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 5)).astype("float32")
    h = rng.standard_normal((4, 3)).astype("float32")
    c = rng.standard_normal((4, 3)).astype("float32")
    out, (h1, c1) = cell(x, [h, c], training=True)
    assert getattr(cell, "dropout_mask_count", None) == expect_count
    dp = cell.get_dropout_mask(torch.as_tensor(x))
    rdp = cell.get_recurrent_dropout_mask(torch.as_tensor(h)) if recurrent_dropout else None
    k, u, b = (_np(w) for w in cell.weights)
    if expect_count:
        masks = [_np(m) for m in dp]
        assert not all(np.array_equal(masks[0], m) for m in masks[1:])   # independent masks
        rmasks = [_np(m) for m in rdp] if rdp is not None else [np.ones_like(h)] * 4
    else:
        masks = [_np(dp)] * 4
        rmasks = [np.ones_like(h)] * 4
    z = [(x * masks[g]) @ k[:, 3 * g:3 * g + 3] + (h * rmasks[g]) @ u[:, 3 * g:3 * g + 3]
         + b[3 * g:3 * g + 3] for g in range(4)]
    i, f, o = _sigmoid(z[0]), _sigmoid(z[1]), _sigmoid(z[3])
    c_ref = f * c + i * np.tanh(z[2])
    np.testing.assert_allclose(_np(c1), c_ref, rtol=1e-5, atol=1e-6)  # float32 matmuls vs float64
    np.testing.assert_allclose(_np(h1), o * np.tanh(c_ref), rtol=1e-5, atol=1e-6)
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_cell_per_gate_masks(reset_after):
    cell = keras.layers.GRUCell(3, dropout=0.4, recurrent_dropout=0.4, seed=5,
                                reset_after=reset_after)
    assert cell.implementation == 1 and cell.dropout_mask_count == 3
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 5)).astype("float32")
    h = rng.standard_normal((4, 3)).astype("float32")
    out, _ = cell(x, [h], training=True)
    m = [_np(t) for t in cell.get_dropout_mask(torch.as_tensor(x))]
    r = [_np(t) for t in cell.get_recurrent_dropout_mask(torch.as_tensor(h))]
    k, u, b = (_np(w) for w in cell.weights)
    bi, br = (b[0], b[1]) if reset_after else (b, np.zeros(9, "float32"))
    xs = [(x * m[g]) @ k[:, 3 * g:3 * g + 3] + bi[3 * g:3 * g + 3] for g in range(3)]
    hs = [h * r[g] for g in range(3)]
    zg = _sigmoid(xs[0] + hs[0] @ u[:, 0:3] + br[0:3])
    rg = _sigmoid(xs[1] + hs[1] @ u[:, 3:6] + br[3:6])
    if reset_after:
        hh = np.tanh(xs[2] + rg * (hs[2] @ u[:, 6:9] + br[6:9]))
    else:
        hh = np.tanh(xs[2] + (rg * hs[2]) @ u[:, 6:9])
    np.testing.assert_allclose(_np(out), zg * h + (1 - zg) * hh, rtol=1e-5, atol=1e-6)


def test_per_gate_dropout_layers_train_and_bad_implementation():
    x = np.random.default_rng(0).standard_normal((3, 4, 2)).astype("float32")
    for layer in (keras.layers.LSTM(3, dropout=0.2, recurrent_dropout=0.2, seed=1),
                  keras.layers.GRU(3, dropout=0.2, implementation=1, seed=1)):
        a = _np(layer(x, training=True))
        assert a.shape == (3, 3) and np.isfinite(a).all()
        np.testing.assert_array_equal(_np(layer(x)), _np(layer(x)))   # inference: no dropout
    with pytest.raises(ValueError, match="implementation"):
        keras.layers.LSTMCell(2, implementation=3)


# -- ConvLSTM1D/2D/3D -------------------------------------------------------
import json  # noqa: E402

CONV_CASES = {
    "c1_valid": (1, dict(filters=3, kernel_size=3)),
    "c1_same_back": (1, dict(filters=2, kernel_size=2, padding="same", go_backwards=True)),
    "c1_dilated": (1, dict(filters=2, kernel_size=3, dilation_rate=2)),
    "c2_same": (2, dict(filters=3, kernel_size=3, padding="same")),
    "c2_strided": (2, dict(filters=2, kernel_size=(3, 2), strides=2, padding="same")),
    "c2_first_nobias": (2, dict(filters=2, kernel_size=2, data_format="channels_first",
                                use_bias=False, activation="relu")),
    "c3_valid": (3, dict(filters=2, kernel_size=2)),
}
CONV_CLASSES = {1: "ConvLSTM1D", 2: "ConvLSTM2D", 3: "ConvLSTM3D"}


def _conv_layer(name):
    rank, kwargs = CONV_CASES[name]
    layer = getattr(keras.layers, CONV_CLASSES[rank])(return_sequences=True, return_state=True,
                                                      **kwargs)
    x = ref[f"{name}/x"]
    layer.build(x.shape)
    for i, w in enumerate(layer.weights):
        w.assign(ref[f"{name}/w{i}"])
    return layer, x


@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv_lstm_matches_keras(name):
    layer, x = _conv_layer(name)
    assert [str(tuple(w.shape)) for w in layer.weights] == list(ref[f"{name}/weight_shapes"])
    seq, h, c = layer(x)
    for key, value in (("seq", seq), ("h", h), ("c", c)):
        keras_reference.assert_matches(_np(value), ref[f"{name}/{key}"], rtol=1e-6, atol=1e-6,
                                       what=f"{name}/{key}")
    shapes = layer.compute_output_shape(x.shape)
    assert tuple(shapes[0]) == tuple(seq.shape) and tuple(shapes[1]) == tuple(h.shape)


@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv_lstm_config_matches_keras(name):
    layer, _ = _conv_layer(name)
    config = {k: v for k, v in layer.get_config().items() if k not in ("name", "dtype")}
    ours = json.loads(json.dumps(config, sort_keys=True, default=str))
    assert ours == json.loads(str(ref[f"{name}/config_json"]))
    again = type(layer).from_config(layer.get_config())
    assert again.get_config() == layer.get_config()


def test_keras_written_conv_lstm_file_loads_identically():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "conv.keras")
        with open(path, "wb") as f:
            f.write(ref["convfile/bytes"].tobytes())
        model = keras.saving.load_model(path)
        keras_reference.assert_matches(_np(model(ref["convfile/x"])), ref["convfile/out"],
                                       rtol=1e-6, atol=1e-6)
        path2 = os.path.join(tmp, "again.keras")
        model.save(path2)
        np.testing.assert_array_equal(_np(keras.saving.load_model(path2)(ref["convfile/x"])),
                                      _np(model(ref["convfile/x"])))


def test_conv_lstm_symbolic_mask_stateful_and_training():
    x = np.random.default_rng(0).standard_normal((2, 4, 5, 3)).astype("float32")
    inp = keras.Input((4, 5, 3))
    out = keras.layers.ConvLSTM1D(2, 3, strides=2)(inp)
    assert tuple(out.shape) == (None, 2, 2)
    layer = keras.layers.ConvLSTM1D(2, 3, padding="same", return_sequences=True)
    mask = np.array([[True, True, False, True]] * 2)
    seq = _np(layer(x, mask=mask))
    np.testing.assert_array_equal(seq[:, 2], seq[:, 1])     # masked step repeats
    st = keras.layers.ConvLSTM1D(2, 3, stateful=True)
    a, b = _np(st(x)), _np(st(x))
    assert not np.allclose(a, b)
    st.reset_state()
    np.testing.assert_allclose(_np(st(x)), a, rtol=1e-6)
    model = keras.Sequential([keras.Input((4, 5, 3)),
                              keras.layers.ConvLSTM1D(2, 3, dropout=0.3, recurrent_dropout=0.3,
                                                      seed=2)])
    model.compile("sgd", "mse")
    before = [_np(w).copy() for w in model.weights]
    model.fit(x, np.zeros((2, 3, 2), "float32"), epochs=1, verbose=0)
    assert any(not np.array_equal(b, _np(w)) for b, w in zip(before, model.weights))
    cell = model.layers[0].cell
    assert cell.dropout_mask_count == 4


def test_conv_lstm_errors():
    with pytest.raises(ValueError, match="filters"):
        keras.layers.ConvLSTM2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        keras.layers.ConvLSTM2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="dilation_rate"):
        keras.layers.ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="padding"):
        keras.layers.ConvLSTM1D(2, 3, padding="full")
    with pytest.raises(ValueError, match="5D"):
        keras.layers.ConvLSTM2D(2, 3)(np.zeros((2, 3, 4, 4), "float32"))


# -- the shared layer-test routine, with NumPy references --------------------
from layer_test_kit import run_layer_test  # noqa: E402


def _np_conv1d_same_or_valid(x, k, padding):
    """x (batch, length, cin), k (kw, cin, cout), stride 1: cross-correlation."""
    kw = k.shape[0]
    if padding == "same":
        total = kw - 1
        x = np.pad(x, ((0, 0), (total // 2, total - total // 2), (0, 0)))
    length = x.shape[1] - kw + 1
    return np.stack([np.einsum("bkc,kcf->bf", x[:, i:i + kw], k) for i in range(length)], 1)


def _np_conv_lstm1d(padding, go_backwards=False):
    def reference(weights, x):
        k, u, b = (w.astype("float64") for w in weights)
        x = x.astype("float64")
        f = u.shape[1]
        steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
        h = c = None
        outs = []
        for t in steps:
            xz = _np_conv1d_same_or_valid(x[:, t], k, padding) + b
            if h is None:
                h = np.zeros(xz.shape[:-1] + (f,))
                c = np.zeros_like(h)
            z = xz + _np_conv1d_same_or_valid(h, u, "same")
            i, fg, g, o = (z[..., j * f:(j + 1) * f] for j in range(4))
            c = _sigmoid(fg) * c + _sigmoid(i) * np.tanh(g)
            h = _sigmoid(o) * np.tanh(c)
            outs.append(h)
        return np.stack(outs, 1)
    return reference


@pytest.mark.parametrize("padding,back", [("valid", False), ("same", True)])
def test_conv_lstm1d_layer_kit(padding, back):
    length = 6 if padding == "same" else 4
    run_layer_test(keras.layers.ConvLSTM1D,
                   dict(filters=2, kernel_size=3, padding=padding, return_sequences=True,
                        go_backwards=back, bias_initializer="random_normal"),
                   input_shape=(2, 3, 6, 2), expected_output_shape=(2, 3, length, 2),
                   expected_num_trainable_weights=3, expected_num_non_trainable_weights=0,
                   supports_masking=True, expected_output_fn=_np_conv_lstm1d(padding, back),
                   rtol=1e-5, atol=1e-6)  # float32 layer vs float64 NumPy reference


def test_conv_lstm2d_and_3d_layer_kit():
    run_layer_test(keras.layers.ConvLSTM2D, dict(filters=3, kernel_size=2, padding="same"),
                   input_shape=(2, 3, 4, 4, 2), expected_output_shape=(2, 4, 4, 3),
                   expected_num_trainable_weights=3, expected_num_non_trainable_weights=0,
                   supports_masking=True)
    run_layer_test(keras.layers.ConvLSTM3D, dict(filters=2, kernel_size=2),
                   input_shape=(1, 2, 3, 3, 3, 1), expected_output_shape=(1, 2, 2, 2, 2),
                   expected_num_trainable_weights=3, expected_num_non_trainable_weights=0,
                   supports_masking=True)


def test_stacked_cells_layer_kit():
    def reference(weights, x):
        k1, u1, b1, k2, u2, b2 = (w.astype("float64") for w in weights)
        h1 = np.zeros((x.shape[0], 3))
        h2 = np.zeros((x.shape[0], 2))
        outs = []
        for t in range(x.shape[1]):
            h1 = np.tanh(x[:, t] @ k1 + h1 @ u1 + b1)
            h2 = np.tanh(h1 @ k2 + h2 @ u2 + b2)
            outs.append(h2)
        return np.stack(outs, 1)
    run_layer_test(keras.layers.RNN,
                   dict(cell=[keras.layers.SimpleRNNCell(3, bias_initializer="random_normal"),
                              keras.layers.SimpleRNNCell(2, bias_initializer="random_normal")],
                        return_sequences=True),
                   input_shape=(2, 4, 3), expected_output_shape=(2, 4, 2),
                   expected_num_trainable_weights=6, expected_num_non_trainable_weights=0,
                   supports_masking=True, expected_output_fn=reference,
                   rtol=1e-5, atol=1e-6)  # float32 layer vs float64 NumPy reference
