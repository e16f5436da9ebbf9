"""Recurrent layers: LSTM, GRU, SimpleRNN (+ cells, RNN, Bidirectional) against
numpy implementations of Keras's equations; fused torch kernels against the
step loop; shapes, masks, states, configs, saving and training."""

import json
import zipfile

import h5py
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import layers


# -- numpy references of Keras's cell equations ---------------------------------
def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_lstm_step(x, states, w):
    h, c = states
    k, u, b = w
    z = x @ k + h @ u + b
    n = u.shape[0]
    i, f, g, o = (z[:, j * n:(j + 1) * n] for j in range(4))
    c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h = _sigmoid(o) * np.tanh(c)
    return h, [h, c]


def np_run(step, x, states, weights, go_backwards=False, mask=None):
    """Keras's loop: returns (all outputs, last output, final states)."""
    steps = range(x.shape[1])[::-1] if go_backwards else range(x.shape[1])
    outs, prev = [], np.zeros((x.shape[0], states[0].shape[1]), dtype=np.float64)
    for t in steps:
        out, new = step(x[:, t].astype(np.float64), states, weights)
        if mask is not None:
            keep = mask[:, t][:, None]
            new = [np.where(keep, a, b) for a, b in zip(new, states)]
            out = np.where(keep, out, prev)
        states, prev = new, out
        outs.append(out)
    return np.stack(outs, 1), prev, states


def _np_weights(layer):
    return [w.numpy().astype(np.float64) for w in layer.weights]


def _x(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _np(t):
    return t.detach().numpy()


# -- LSTM ----------------------------------------------------------------------
def test_lstm_matches_numpy_reference_and_keras_weights():
    x = _x((3, 6, 4))
    lstm = layers.LSTM(5, return_sequences=True, return_state=True,
                       bias_initializer="random_normal")
    seq, h, c = lstm(x)
    assert [w.path for w in lstm.weights] == ["lstm/lstm_cell/kernel",
                                             "lstm/lstm_cell/recurrent_kernel",
                                             "lstm/lstm_cell/bias"]
    assert [tuple(w.shape) for w in lstm.weights] == [(4, 20), (5, 20), (20,)]
    zeros = np.zeros((3, 5))
    ref_seq, ref_last, (ref_h, ref_c) = np_run(np_lstm_step, x, [zeros, zeros],
                                               _np_weights(lstm))
    np.testing.assert_allclose(_np(seq), ref_seq, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), ref_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(c), ref_c, rtol=1e-5, atol=1e-5)
    # The last output alone when return_sequences=False.
    last = layers.LSTM(5)
    last(x)
    last.set_weights(lstm.get_weights())
    np.testing.assert_allclose(_np(last(x)), ref_last, rtol=1e-5, atol=1e-5)


def test_lstm_unit_forget_bias_and_initializers():
    lstm = layers.LSTM(4)
    lstm(_x((1, 2, 3)))
    np.testing.assert_array_equal(lstm.cell.bias.numpy(), [0] * 4 + [1] * 4 + [0] * 8)
    rk = lstm.cell.recurrent_kernel.numpy()
    # orthogonal: each (4, 4) gate block of the (4, 16) matrix has orthonormal rows overall
    np.testing.assert_allclose(rk @ rk.T, np.eye(4), atol=1e-5)
    plain = layers.LSTM(4, unit_forget_bias=False)
    plain(_x((1, 2, 3)))
    np.testing.assert_array_equal(plain.cell.bias.numpy(), np.zeros(16))
    nobias = layers.LSTM(4, use_bias=False)
    nobias(_x((1, 2, 3)))
    assert [w.name for w in nobias.weights] == ["kernel", "recurrent_kernel"]


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("use_bias", [True, False])
def test_lstm_fused_equals_loop_values_and_gradients(go_backwards, use_bias):
    x = torch.from_numpy(_x((3, 7, 4), seed=1))
    fused = layers.LSTM(6, return_sequences=True, return_state=True, go_backwards=go_backwards,
                        use_bias=use_bias, bias_initializer="random_normal")
    loop = layers.LSTM(6, return_sequences=True, return_state=True, go_backwards=go_backwards,
                       use_bias=use_bias, use_cudnn=False)
    h0 = torch.from_numpy(_x((3, 6), seed=2))
    c0 = torch.from_numpy(_x((3, 6), seed=3))
    fused(x)
    loop(x)
    loop.set_weights(fused.get_weights())
    out_f = fused(x, initial_state=[h0, c0])
    out_l = loop(x, initial_state=[h0, c0])
    for a, b in zip(out_f, out_l):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-5, atol=1e-6)
    sum(o.sum() for o in out_f).backward()
    sum(o.sum() for o in out_l).backward()
    for a, b in zip(fused.trainable_weights, loop.trainable_weights):
        np.testing.assert_allclose(a.value.grad.numpy(), b.value.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)
    # go_backwards reads the sequence from its end: outputs in that order.
    zeros = [h0.double().numpy(), c0.double().numpy()]
    ref_seq, _, _ = np_run(np_lstm_step, x.numpy(), zeros, _np_weights(fused) if use_bias
                           else _np_weights(fused) + [np.zeros(24)], go_backwards=go_backwards)
    np.testing.assert_allclose(_np(out_f[0]), ref_seq, rtol=1e-5, atol=1e-5)


def test_lstm_mask_keeps_states_and_repeats_outputs():
    x = _x((3, 5, 2), seed=4)
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0], [0, 1, 1, 1, 1]], dtype=bool)
    lstm = layers.LSTM(3, return_sequences=True, return_state=True)
    seq, h, c = lstm(x, mask=mask)
    zeros = np.zeros((3, 3))
    ref_seq, _, (ref_h, ref_c) = np_run(np_lstm_step, x, [zeros, zeros], _np_weights(lstm),
                                        mask=mask)
    np.testing.assert_allclose(_np(seq), ref_seq, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), ref_h, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(c), ref_c, rtol=1e-5, atol=1e-5)
    # A mask of all ones gives the unmasked (fused) result.
    full = lstm(x, mask=np.ones((3, 5), dtype=bool))
    np.testing.assert_allclose(_np(full[0]), _np(lstm(x)[0]), rtol=1e-5, atol=1e-6)
    zero_out = layers.LSTM(3, return_sequences=True, zero_output_for_mask=True)
    zero_out(x)
    zero_out.set_weights(lstm.get_weights())
    out = _np(zero_out(x, mask=mask))
    np.testing.assert_array_equal(out[~mask], 0.0)
    np.testing.assert_allclose(out[mask], ref_seq[mask], rtol=1e-5, atol=1e-5)


def test_lstm_dropout_only_in_training_and_stateful_continues():
    x = torch.from_numpy(_x((2, 4, 3), seed=5))
    lstm = layers.LSTM(4, dropout=0.5, recurrent_dropout=0.3, seed=1)
    inference = _np(lstm(x))
    np.testing.assert_allclose(_np(lstm(x, training=False)), inference)
    assert not np.allclose(_np(lstm(x, training=True)), inference)
    # The fused path applies the same per-sequence input mask as the loop.
    for cls in (layers.LSTM, layers.GRU):
        fused = cls(4, dropout=0.5, seed=9)
        loop = cls(4, dropout=0.5, seed=9, use_cudnn=False)
        fused(x)
        loop(x)
        loop.set_weights(fused.get_weights())
        np.testing.assert_allclose(_np(fused(x, training=True)), _np(loop(x, training=True)),
                                   rtol=1e-5, atol=1e-6)
    # stateful: two halves equal one whole sequence
    whole = layers.LSTM(4, return_sequences=True)
    whole(x)
    stateful = layers.LSTM(4, return_sequences=True, stateful=True)
    stateful(x)
    stateful.set_weights(whole.get_weights())
    stateful.reset_state()
    halves = torch.cat([stateful(x[:, :2]), stateful(x[:, 2:])], 1)
    np.testing.assert_allclose(_np(halves), _np(whole(x)), rtol=1e-5, atol=1e-6)
    stateful.reset_state()
    np.testing.assert_allclose(_np(stateful(x[:, :2])), _np(whole(x))[:, :2], rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError, match="batch size"):
        stateful(x[:1])


def test_lstm_param_count_shapes_and_summary():
    model = keras.Sequential([keras.Input((10, 16)), layers.LSTM(32)])
    assert model.count_params() == 4 * (16 * 32 + 32 * 32 + 32) == 6272
    assert layers.LSTM(32)(keras.Input((10, 16))).shape == (None, 32)
    inputs = keras.Input((None, 16))
    seq, h, c = layers.LSTM(8, return_sequences=True, return_state=True)(inputs)
    assert (seq.shape, h.shape, c.shape) == ((None, None, 8), (None, 8), (None, 8))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "LSTM" in text and "(None, 32)" in text and "6,272" in text


def test_lstm_argument_errors():
    with pytest.raises(ValueError, match="units"):
        layers.LSTM(0)
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.LSTM(2, use_cudnn="yes")
    with pytest.raises(ValueError, match="3D"):
        layers.LSTM(2)(np.zeros((2, 3), dtype="float32"))
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layers.LSTM(2, activation="relu", use_cudnn=True)(np.zeros((1, 2, 3), dtype="float32"))
    with pytest.raises(ValueError, match="mask"):
        layers.LSTM(2)(np.zeros((1, 2, 3), dtype="float32"), mask=np.ones((1, 3), dtype=bool))


def test_lstm_non_default_activation_runs_the_loop_like_numpy():
    x = _x((2, 3, 2), seed=6)
    lstm = layers.LSTM(3, activation="relu", return_sequences=True)
    out = _np(lstm(x))
    k, u, b = _np_weights(lstm)
    h = c = np.zeros((2, 3))
    for t in range(3):
        z = x[:, t] @ k + h @ u + b
        i, f, g, o = (z[:, j * 3:(j + 1) * 3] for j in range(4))
        c = _sigmoid(f) * c + _sigmoid(i) * np.maximum(g, 0)
        h = _sigmoid(o) * np.maximum(c, 0)
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-5)


# -- GRU -----------------------------------------------------------------------
def np_gru_step(x, states, w, reset_after=True):
    (h,) = states
    k, u, b = w
    n = u.shape[0]
    if reset_after:
        xz, xr, xh = np.split(x @ k + b[0], 3, axis=1)
        rz, rr, rh = np.split(h @ u + b[1], 3, axis=1)
        z, r = _sigmoid(xz + rz), _sigmoid(xr + rr)
        hh = np.tanh(xh + r * rh)
    else:
        xz, xr, xh = np.split(x @ k + b, 3, axis=1)
        z = _sigmoid(xz + h @ u[:, :n])
        r = _sigmoid(xr + h @ u[:, n:2 * n])
        hh = np.tanh(xh + (r * h) @ u[:, 2 * n:])
    h = z * h + (1 - z) * hh
    return h, [h]


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_matches_numpy_reference_and_keras_weights(reset_after):
    x = _x((3, 6, 4), seed=10)
    gru = layers.GRU(5, return_sequences=True, return_state=True, reset_after=reset_after,
                     bias_initializer="random_normal")
    seq, h = gru(x)
    assert [w.path for w in gru.weights] == ["gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel",
                                            "gru/gru_cell/bias"]
    bias_shape = (2, 15) if reset_after else (15,)
    assert [tuple(w.shape) for w in gru.weights] == [(4, 15), (5, 15), bias_shape]
    ref_seq, _, (ref_h,) = np_run(lambda a, s, w: np_gru_step(a, s, w, reset_after), x,
                                  [np.zeros((3, 5))], _np_weights(gru))
    np.testing.assert_allclose(_np(seq), ref_seq, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(h), ref_h, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("use_bias", [True, False])
def test_gru_fused_equals_loop_values_and_gradients(go_backwards, use_bias):
    x = torch.from_numpy(_x((3, 7, 4), seed=11))
    h0 = torch.from_numpy(_x((3, 6), seed=12))
    fused = layers.GRU(6, return_sequences=True, return_state=True, go_backwards=go_backwards,
                       use_bias=use_bias, bias_initializer="random_normal")
    loop = layers.GRU(6, return_sequences=True, return_state=True, go_backwards=go_backwards,
                      use_bias=use_bias, use_cudnn=False)
    fused(x)
    loop(x)
    loop.set_weights(fused.get_weights())
    out_f = fused(x, initial_state=[h0])
    out_l = loop(x, initial_state=h0)
    for a, b in zip(out_f, out_l):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-5, atol=1e-6)
    sum(o.sum() for o in out_f).backward()
    sum(o.sum() for o in out_l).backward()
    for a, b in zip(fused.trainable_weights, loop.trainable_weights):
        np.testing.assert_allclose(a.value.grad.numpy(), b.value.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)
    weights = _np_weights(fused) if use_bias else _np_weights(fused) + [np.zeros((2, 18))]
    ref_seq, _, _ = np_run(np_gru_step, x.numpy(), [h0.double().numpy()], weights,
                           go_backwards=go_backwards)
    np.testing.assert_allclose(_np(out_f[0]), ref_seq, rtol=1e-5, atol=1e-5)


def test_gru_mask_param_count_and_errors():
    x = _x((2, 4, 3), seed=13)
    mask = np.array([[1, 1, 0, 0], [0, 1, 1, 1]], dtype=bool)
    gru = layers.GRU(3, return_sequences=True)
    out = _np(gru(x, mask=mask))
    ref, _, _ = np_run(np_gru_step, x, [np.zeros((2, 3))], _np_weights(gru), mask=mask)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    model = keras.Sequential([keras.Input((10, 16)), layers.GRU(32)])
    assert model.count_params() == 3 * (16 * 32 + 32 * 32 + 2 * 32) == 4800
    old = keras.Sequential([keras.Input((10, 16)), layers.GRU(32, reset_after=False)])
    assert old.count_params() == 3 * (16 * 32 + 32 * 32 + 32)
    with pytest.raises(ValueError, match="reset_after=True"):
        layers.GRU(2, reset_after=False, use_cudnn=True)(np.zeros((1, 2, 3), dtype="float32"))
    with pytest.raises(ValueError, match="recurrent_dropout"):
        layers.GRU(2, recurrent_dropout="a lot")


def test_gru_config_round_trip():
    gru = layers.GRU(3, reset_after=False, dropout=0.25, return_state=True, seed=4)
    config = gru.get_config()
    assert config["reset_after"] is False and "unit_forget_bias" not in config
    again = layers.GRU.from_config(config)
    assert again.get_config() == config and again.cell.name == "gru_cell"


# -- SimpleRNN -----------------------------------------------------------------
def np_simple_step(x, states, w, act=np.tanh):
    k, u, b = w
    h = act(x @ k + b + states[0] @ u)
    return h, [h]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_simple_rnn_fused_loop_and_numpy_agree(activation, go_backwards):
    acts = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0), "sigmoid": _sigmoid}
    x = torch.from_numpy(_x((3, 5, 4), seed=20))
    fused = layers.SimpleRNN(6, activation=activation, return_sequences=True,
                             return_state=True, go_backwards=go_backwards,
                             bias_initializer="random_normal")
    out_f = fused(x)
    assert [w.path for w in fused.weights] == ["simple_rnn/simple_rnn_cell/kernel",
                                              "simple_rnn/simple_rnn_cell/recurrent_kernel",
                                              "simple_rnn/simple_rnn_cell/bias"]
    loop = layers.SimpleRNN(6, activation=activation, return_sequences=True,
                            return_state=True, go_backwards=go_backwards)
    loop._use_fused_kernel = False
    loop(x)
    loop.set_weights(fused.get_weights())
    out_l = loop(x)
    ref_seq, _, (ref_h,) = np_run(lambda a, st, w: np_simple_step(a, st, w, acts[activation]),
                                  x.numpy(), [np.zeros((3, 6))], _np_weights(fused),
                                  go_backwards=go_backwards)
    for out in (out_f, out_l):
        np.testing.assert_allclose(_np(out[0]), ref_seq, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(_np(out[1]), ref_h, rtol=1e-5, atol=1e-5)
    sum(o.sum() for o in out_f).backward()
    sum(o.sum() for o in out_l).backward()
    for a, b in zip(fused.trainable_weights, loop.trainable_weights):
        np.testing.assert_allclose(a.value.grad.numpy(), b.value.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)


def test_simple_rnn_param_count_mask_and_config():
    model = keras.Sequential([keras.Input((10, 16)), layers.SimpleRNN(32)])
    assert model.count_params() == 16 * 32 + 32 * 32 + 32
    x = _x((2, 4, 3), seed=21)
    mask = np.array([[1, 0, 1, 0], [1, 1, 1, 0]], dtype=bool)
    rnn = layers.SimpleRNN(2, return_sequences=True)
    rnn.build((None, 4, 3))
    ref, _, _ = np_run(np_simple_step, x, [np.zeros((2, 2))], _np_weights(rnn), mask=mask)
    np.testing.assert_allclose(_np(rnn(x, mask=mask)), ref, rtol=1e-5, atol=1e-5)
    config = layers.SimpleRNN(3, activation="relu", dropout=0.5, seed=2).get_config()
    assert config["activation"] == "relu" and "recurrent_activation" not in config
    again = layers.SimpleRNN.from_config(config)
    assert again.get_config() == config and again.units == 3


def test_generic_rnn_over_cells_and_custom_cell():
    x = _x((2, 5, 3), seed=22)
    rnn = layers.RNN(layers.LSTMCell(4), return_sequences=True)
    out = _np(rnn(x))
    zeros = np.zeros((2, 4))
    ref, _, _ = np_run(np_lstm_step, x, [zeros, zeros], _np_weights(rnn))
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    config = rnn.get_config()
    assert config["cell"]["class_name"] == "LSTMCell"
    again = layers.RNN.from_config(config)
    assert type(again.cell) is layers.LSTMCell and again.cell.units == 4

    class Accumulate(layers.Layer):
        """A cell whose state is the running sum of its inputs."""
        state_size = 3

        def call(self, inputs, states):
            total = states[0] + inputs
            return total, [total]

    summed = layers.RNN(Accumulate(), return_sequences=True)(x)
    np.testing.assert_allclose(_np(summed), np.cumsum(x, axis=1), rtol=1e-6)
    with pytest.raises(ValueError, match="state_size"):
        layers.RNN(layers.Dense(2))


# -- Bidirectional -------------------------------------------------------------
@pytest.mark.parametrize("merge_mode", ["concat", "sum", "ave", "mul", None])
def test_bidirectional_merges_forward_and_flipped_backward(merge_mode):
    x = _x((2, 5, 3), seed=30)
    bi = layers.Bidirectional(layers.LSTM(4, return_sequences=True, return_state=True),
                              merge_mode=merge_mode)
    out = bi(x)
    fw, bw = bi.forward_layer, bi.backward_layer
    assert fw.name.startswith("forward_lstm") and bw.name.startswith("backward_lstm")
    assert bw.go_backwards and not fw.go_backwards
    zeros = [np.zeros((2, 4)), np.zeros((2, 4))]
    f_seq, _, f_states = np_run(np_lstm_step, x, zeros, _np_weights(fw))
    b_seq, _, b_states = np_run(np_lstm_step, x, zeros, _np_weights(bw), go_backwards=True)
    b_seq = b_seq[:, ::-1]
    merged = {"concat": [np.concatenate([f_seq, b_seq], -1)], "sum": [f_seq + b_seq],
              "ave": [(f_seq + b_seq) / 2], "mul": [f_seq * b_seq], None: [f_seq, b_seq]}
    expected = merged[merge_mode] + f_states + b_states
    assert len(out) == len(expected)
    for got, ref in zip(out, expected):
        np.testing.assert_allclose(_np(got), ref, rtol=1e-5, atol=1e-5)
    symbolic = layers.Bidirectional(layers.LSTM(4, return_sequences=True, return_state=True),
                                    merge_mode=merge_mode)(keras.Input((5, 3)))
    assert [tuple(t.shape) for t in symbolic] == [(None,) + tuple(o.shape[1:]) for o in out]


def test_bidirectional_weights_config_mask_and_errors(tmp_path):
    model = keras.Sequential([keras.Input((5, 3)), layers.Bidirectional(layers.GRU(4)),
                              layers.Dense(1)])
    assert model.count_params() == 2 * 3 * (3 * 4 + 4 * 4 + 2 * 4) + 9
    x = _x((3, 5, 3), seed=31)
    path = tmp_path / "bi.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    with zipfile.ZipFile(path) as zf:
        zf.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as f:
        names = []
        f.visit(names.append)
    assert "layers/bidirectional/forward_layer/cell/vars/0" in names
    assert "layers/bidirectional/backward_layer/cell/vars/2" in names
    bi = model.layers[0]
    config = bi.get_config()
    assert config["layer"]["class_name"] == "GRU" and config["backward_layer"]["config"][
        "go_backwards"] is True
    again = layers.Bidirectional.from_config(config)
    assert again.get_config()["layer"]["config"]["units"] == 4
    # Masked sequence outputs are zeros in both directions.
    seq = layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True))
    mask = np.array([[1, 1, 1, 0, 0]] * 3, dtype=bool)
    out = _np(seq(x, mask=mask))
    np.testing.assert_array_equal(out[:, 3:], 0.0)
    assert np.all(out[:, :3] != 0.0)
    with pytest.raises(ValueError, match="merge mode"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match="layer"):
        layers.Bidirectional("lstm")


def test_embedding_mask_reaches_recurrent_layers():
    """A padded sequence gives the result of the unpadded one (mask_zero)."""
    # Sequences of any length: as in Keras, a declared length is checked.
    inputs = keras.Input((None,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    outputs = [layers.LSTM(2)(embedded), layers.GRU(2)(embedded),
               layers.Bidirectional(layers.SimpleRNN(2))(embedded)]
    model = keras.Model(inputs, outputs)
    padded = np.array([[4, 2, 7, 0, 0], [1, 0, 0, 0, 0]])
    for row, length in zip(padded, (3, 1)):
        full = model.predict(row[None], verbose=0)
        short = model.predict(row[None, :length], verbose=0)
        for a, b in zip(full, short):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_encoder_states_start_a_decoder_and_stateful_models(tmp_path):
    enc_in, dec_in = keras.Input((None, 4)), keras.Input((None, 3))
    _, h, c = layers.LSTM(5, return_state=True)(enc_in)
    decoded = layers.LSTM(5, return_sequences=True)(dec_in, initial_state=[h, c])
    model = keras.Model([enc_in, dec_in], layers.Dense(2)(decoded))
    a, b = _x((2, 6, 4), seed=40), _x((2, 3, 3), seed=41)
    encoder, decoder = model.layers[2], model.layers[3]
    _, h_ref, c_ref = encoder(a)
    expected = _np(model.layers[-1](decoder(b, initial_state=[h_ref, c_ref])))
    np.testing.assert_allclose(model.predict([a, b], verbose=0), expected, rtol=1e-5,
                               atol=1e-6)
    model.save(tmp_path / "s2s.keras")
    loaded = keras.saving.load_model(tmp_path / "s2s.keras")
    np.testing.assert_array_equal(loaded.predict([a, b], verbose=0),
                                  model.predict([a, b], verbose=0))
    stateful = keras.Sequential([keras.Input(batch_shape=(2, 5, 3)),
                                 layers.GRU(4, stateful=True)])
    x = _x((2, 5, 3), seed=42)
    first = stateful.predict(x, verbose=0, batch_size=2)
    assert not np.allclose(stateful.predict(x, verbose=0, batch_size=2), first)
    stateful.layers[0].reset_state()
    np.testing.assert_array_equal(stateful.predict(x, verbose=0, batch_size=2), first)
    with pytest.raises(ValueError, match="batch size must be static"):
        keras.Sequential([keras.Input((5, 3)), layers.GRU(4, stateful=True)])


# -- configs, saving, training (all recurrent layers) ---------------------------
def _lstm_model():
    inputs = keras.Input((5, 3))
    x = layers.LSTM(4, return_sequences=True, go_backwards=True, dropout=0.1)(inputs)
    outputs = layers.Dense(1)(layers.LSTM(2)(x))
    return keras.Model(inputs, outputs)


def _gru_model():
    inputs = keras.Input((5, 3))
    x = layers.GRU(4, return_sequences=True, reset_after=False)(inputs)
    outputs = layers.Dense(1)(layers.GRU(2, go_backwards=True)(x))
    return keras.Model(inputs, outputs)


def _simple_rnn_model():
    inputs = keras.Input((5, 3))
    x = layers.SimpleRNN(4, return_sequences=True, activation="relu")(inputs)
    outputs = layers.Dense(1)(layers.SimpleRNN(2)(x))
    return keras.Model(inputs, outputs)


MODEL_BUILDERS = {"lstm": _lstm_model, "gru": _gru_model, "simple_rnn": _simple_rnn_model}


@pytest.mark.parametrize("kind", sorted(MODEL_BUILDERS))
def test_save_load_predicts_identically(kind, tmp_path):
    model = MODEL_BUILDERS[kind]()
    x = _x((3, 5, 3), seed=7)
    path = tmp_path / f"{kind}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    with zipfile.ZipFile(path) as zf:
        zf.extract("model.weights.h5", tmp_path)
        config = json.loads(zf.read("config.json"))
    with h5py.File(tmp_path / "model.weights.h5") as f:
        names = []
        f.visit(names.append)
    first = config["config"]["layers"][1]
    assert "cell" not in first["config"]
    if kind == "lstm":
        assert first["class_name"] == "LSTM" and first["config"]["go_backwards"] is True
        assert "layers/lstm/cell/vars/0" in names and "layers/lstm_1/cell/vars/2" in names
    if kind == "gru":
        assert first["class_name"] == "GRU" and first["config"]["reset_after"] is False
        assert "layers/gru/cell/vars/2" in names and "layers/gru_1/cell/vars/0" in names


def test_lstm_config_round_trip():
    lstm = layers.LSTM(7, activation="relu", recurrent_activation="hard_sigmoid",
                       unit_forget_bias=False, dropout=0.2, recurrent_dropout=0.1, seed=3,
                       return_sequences=True, stateful=False, go_backwards=True)
    config = lstm.get_config()
    again = layers.LSTM.from_config(config)
    assert again.get_config() == config
    assert config["units"] == 7 and config["recurrent_activation"] == "hard_sigmoid"
    assert again.units == 7 and again.cell.name == "lstm_cell"


@pytest.mark.parametrize("layer_class", [layers.LSTM, layers.GRU, layers.SimpleRNN])
def test_sequence_classification_learns(layer_class):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6, 2)).astype("float32")
    y = (x[:, :, 0].sum(1) > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6, 2)), layer_class(8),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
