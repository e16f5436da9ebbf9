"""The last gaps of issue 11: MultiHeadAttention / GroupQueryAttention
`use_gate` and `sliding_window`, EinsumDense `lora_rank`, AveragePooling's
required `pool_size`, and `.keras` files written by real Keras 3 for every
layer class loading into torkeras with the same predictions
(tests/keras_reference/layers_keras_files.py)."""
import numpy as np
import pytest

import keras_reference
import torkeras as keras
from torkeras import layers as L

RTOL, ATOL = 1e-5, 1e-6

# -- `.keras` files written by Keras 3.15 ------------------------------------

ref = keras_reference.load("layers_keras_files")
FILE_CASES = keras_reference.cases(ref, "file")


@pytest.mark.parametrize("case", FILE_CASES)
def test_keras_written_file_loads_and_predicts_the_same(case, tmp_path):
    path = tmp_path / f"{case}.keras"
    path.write_bytes(ref[f"file/{case}/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    xs = [ref[f"file/{case}/x{i}"] for i in range(10) if f"file/{case}/x{i}" in ref]
    out = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    keras_reference.assert_matches(out, ref[f"file/{case}/out"], rtol=RTOL, atol=ATOL,
                                   what=case)
    expected = [str(w) for w in ref[f"file/{case}/weights"] if str(w)]
    assert [f"{w.path}:{tuple(w.shape)}" for w in model.weights] == expected


# -- sliding window and gate: independent numpy reference --------------------

def _np(tensor):
    return tensor.detach().cpu().numpy()


def _np_softmax(s, mask):
    s = np.where(mask, s, -1e9)
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _proj(x, dense, activation=None):
    w = dense.weights
    y = np.einsum("btd,dnh->btnh", x, w[0].numpy())
    if len(w) > 1:
        y = y + w[1].numpy()
    return 1 / (1 + np.exp(-y)) if activation == "sigmoid" else y


def _reference_mha(layer, q, v, mask):
    """Plain-numpy multi-head attention with the gate, as Keras 3.15 defines it."""
    qp = _proj(q, layer.query_dense)
    kp = _proj(v, layer.key_dense)
    vp = _proj(v, layer.value_dense)
    scores = np.einsum("btnh,bsnh->bnts", qp / np.sqrt(layer.key_dim), kp)
    probs = _np_softmax(scores, mask[:, None])
    out = np.einsum("bnts,bsnh->btnh", probs, vp)
    if layer._use_gate:
        out = out * _proj(q, layer._gate_dense, "sigmoid")
    w = layer.output_dense.weights
    return np.einsum("btnh,nhd->btd", out, w[0].numpy()) + (w[1].numpy() if len(w) > 1 else 0)


def _band(t, s, window):
    return np.abs(np.arange(t)[:, None] - np.arange(s)[None, :]) < window


def test_sliding_window_mask_is_a_symmetric_band():
    from torkeras.layers.attention.attention_masks import sliding_window_mask
    got = sliding_window_mask(4, 5, 2).numpy()
    expected = np.array([[1, 1, 0, 0, 0],
                         [1, 1, 1, 0, 0],
                         [0, 1, 1, 1, 0],
                         [0, 0, 1, 1, 1]], bool)
    assert got.shape == (1, 4, 5)
    np.testing.assert_array_equal(got[0], expected)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("use_gate", [False, True])
def test_mha_sliding_window_and_gate_match_numpy(causal, use_gate):
    rng = np.random.default_rng(0)
    q = rng.standard_normal((2, 6, 5)).astype("float32")
    layer = L.MultiHeadAttention(num_heads=2, key_dim=3, sliding_window=2, use_gate=use_gate)
    fast = _np(layer(q, q, use_causal_mask=causal))
    out, scores = layer(q, q, use_causal_mask=causal, return_attention_scores=True)
    mask = _band(6, 6, 2)
    if causal:
        mask &= np.tril(np.ones((6, 6), bool))
    expected = _reference_mha(layer, q, q, np.broadcast_to(mask, (2, 6, 6)))
    np.testing.assert_allclose(_np(out), expected, rtol=RTOL, atol=ATOL)
    # The fused (scaled_dot_product_attention) path computes the same.
    np.testing.assert_allclose(fast, expected, rtol=RTOL, atol=ATOL)
    # Probabilities outside the band are exactly zero.
    assert np.all(_np(scores)[:, :, ~mask] == 0)


def test_mha_gate_weights_names_shapes_and_order():
    layer = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, use_gate=True)
    q = np.zeros((1, 3, 5), "float32")
    layer(q, np.zeros((1, 2, 6), "float32"))
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("multi_head_attention/query/kernel", (5, 2, 3)),
        ("multi_head_attention/query/bias", (2, 3)),
        ("multi_head_attention/key/kernel", (6, 2, 3)),
        ("multi_head_attention/key/bias", (2, 3)),
        ("multi_head_attention/gate/kernel", (5, 2, 4)),
        ("multi_head_attention/gate/bias", (2, 4)),
        ("multi_head_attention/value/kernel", (6, 2, 4)),
        ("multi_head_attention/value/bias", (2, 4)),
        ("multi_head_attention/attention_output/kernel", (2, 4, 5)),
        ("multi_head_attention/attention_output/bias", (5,)),
    ]
    config = layer.get_config()
    assert config["use_gate"] is True and config["sliding_window"] is None
    clone = L.MultiHeadAttention.from_config(config)
    assert clone._use_gate is True


def test_gqa_gate_and_sliding_window_match_numpy():
    rng = np.random.default_rng(1)
    q = rng.standard_normal((2, 5, 4)).astype("float32")
    layer = L.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2,
                                  sliding_window=3, use_gate=True)
    fast = _np(layer(q, q))
    out, scores = layer(q, q, return_attention_scores=True)
    assert [w.path.split("/")[1] for w in layer.weights[::2]] == [
        "query", "key", "gate", "value", "attention_output"]
    assert tuple(layer._gate_dense.weights[0].shape) == (4, 4, 2)
    qp = _proj(q, layer._query_dense)
    kp = np.repeat(_proj(q, layer._key_dense), 2, axis=2)
    vp = np.repeat(_proj(q, layer._value_dense), 2, axis=2)
    probs = _np_softmax(np.einsum("bqnh,bknh->bnqk", qp / np.sqrt(2), kp), _band(5, 5, 3))
    ctx = np.einsum("bnqk,bknh->bqnh", probs, vp) * _proj(q, layer._gate_dense, "sigmoid")
    w = layer._output_dense.weights
    expected = np.einsum("bqnh,nhm->bqm", ctx, w[0].numpy()) + w[1].numpy()
    np.testing.assert_allclose(_np(out), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(fast, expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(_np(scores), probs, rtol=RTOL, atol=ATOL)
    assert layer.get_config()["sliding_window"] == 3


@pytest.mark.parametrize("cls,kwargs", [
    (L.MultiHeadAttention, dict(num_heads=2, key_dim=2)),
    (L.GroupQueryAttention, dict(head_dim=2, num_query_heads=2, num_key_value_heads=1)),
])
@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", True])
def test_bad_sliding_window_is_a_clear_error(cls, kwargs, bad):
    with pytest.raises(ValueError, match=r"`sliding_window` must be None or a positive "
                                         r"integer; received: sliding_window="):
        cls(sliding_window=bad, **kwargs)


def test_gated_sliding_attention_round_trips_through_keras_file(tmp_path):
    inp = keras.Input((5, 4))
    h = L.MultiHeadAttention(2, 3, use_gate=True, sliding_window=2)(inp, inp,
                                                                     use_causal_mask=True)
    out = L.GroupQueryAttention(2, 2, 1, use_gate=True, sliding_window=3)(h, h)
    model = keras.Model(inp, out)
    x = np.random.default_rng(2).standard_normal((2, 5, 4)).astype("float32")
    before = model.predict(x, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), before)
    assert [w.path for w in loaded.weights] == [w.path for w in model.weights]


def test_gate_trains():
    layer = L.MultiHeadAttention(2, 2, use_gate=True)
    inp = keras.Input((3, 4))
    model = keras.Model(inp, layer(inp, inp))
    model.compile(optimizer="sgd", loss="mse")
    gate_before = layer._gate_dense.weights[0].numpy().copy()
    x = np.random.default_rng(3).standard_normal((4, 3, 4)).astype("float32")
    model.fit(x, x, epochs=1, verbose=0)
    assert not np.allclose(layer._gate_dense.weights[0].numpy(), gate_before)
    assert len(layer.trainable_weights) == 10


# -- EinsumDense LoRA ---------------------------------------------------------

def test_einsum_dense_lora_weights_and_forward():
    layer = L.EinsumDense("abc,cde->abde", (None, 2, 3), bias_axes="de", lora_rank=2,
                          lora_alpha=4)
    x = np.random.default_rng(4).standard_normal((2, 3, 5)).astype("float32")
    layer.build(x.shape)
    assert [(w.name, tuple(w.shape), w.trainable) for w in layer.weights] == [
        ("kernel", (5, 2, 3), False), ("bias", (2, 3), True),
        ("lora_kernel_a", (5, 2, 2), True), ("lora_kernel_b", (2, 3), True)]
    rng = np.random.default_rng(5)
    a = rng.standard_normal((5, 2, 2)).astype("float32")
    b = rng.standard_normal((2, 3)).astype("float32")
    layer.lora_kernel_a.assign(a)
    layer.lora_kernel_b.assign(b)
    base = layer._kernel.numpy()
    merged = base + (4 / 2) * np.matmul(a, b)
    np.testing.assert_allclose(layer.kernel.detach().numpy(), merged, rtol=RTOL, atol=ATOL)
    expected = np.einsum("abc,cde->abde", x, merged) + layer.bias.numpy()
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=RTOL, atol=ATOL)
    config = layer.get_config()
    assert (config["lora_rank"], config["lora_alpha"]) == (2, 4)
    assert "lora_rank" not in L.EinsumDense("ab,bc->ac", 3).get_config()


def test_einsum_dense_lora_file_has_the_merged_kernel(tmp_path):
    inp = keras.Input((3, 5))
    layer = L.EinsumDense("abc,cd->abd", (None, 4), bias_axes="d", lora_rank=2)
    model = keras.Model(inp, layer(inp))
    layer.lora_kernel_b.assign(np.ones((2, 4), "float32"))
    x = np.random.default_rng(6).standard_normal((2, 3, 5)).astype("float32")
    before = model.predict(x, verbose=0)
    path = str(tmp_path / "lora.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    lo = loaded.layers[-1]
    assert lo.lora_enabled and lo.lora_rank == 2
    np.testing.assert_allclose(loaded.predict(x, verbose=0), before, rtol=RTOL, atol=ATOL)
    # The factors restart at zero; the saved kernel already holds the update.
    assert np.all(lo.lora_kernel_a.numpy() == 0) and np.all(lo.lora_kernel_b.numpy() == 0)
    np.testing.assert_allclose(lo._kernel.numpy(), layer.kernel.detach().numpy(), rtol=RTOL,
                               atol=ATOL)


def test_einsum_dense_enable_lora_after_build_and_errors():
    layer = L.EinsumDense("ab,bc->ac", 3)
    with pytest.raises(ValueError, match="not built"):
        layer.enable_lora(2)
    layer.build((None, 4))
    layer.enable_lora(2)
    assert len(layer.trainable_weights) == 2 and not layer._kernel.trainable
    with pytest.raises(ValueError, match="already enabled"):
        layer.enable_lora(2)
    with pytest.raises(ValueError, match="`lora_rank` must be a positive integer"):
        L.EinsumDense("ab,bc->ac", 3, lora_rank=-1)
    constrained = L.EinsumDense("ab,bc->ac", 3, kernel_constraint="non_neg")
    constrained.build((None, 4))
    with pytest.raises(ValueError, match="kernel_constraint"):
        constrained.enable_lora(2)


# -- AveragePooling's required pool_size --------------------------------------

@pytest.mark.parametrize("cls", [L.AveragePooling1D, L.AveragePooling2D, L.AveragePooling3D])
def test_average_pooling_requires_pool_size(cls):
    with pytest.raises(TypeError, match="pool_size"):
        cls()


@pytest.mark.parametrize("cls,expected", [(L.MaxPooling1D, (2,)), (L.MaxPooling2D, (2, 2)),
                                          (L.MaxPooling3D, (2, 2, 2))])
def test_max_pooling_keeps_its_default(cls, expected):
    assert cls().pool_size == expected


# -- the other direction: torkeras writes, Keras 3.15 reads -------------------

KERAS_LOAD = """
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
np.save(sys.argv[3], model.predict(np.load(sys.argv[2]), verbose=0))
print([type(l).__name__ for l in model.layers])
"""


def test_torkeras_written_gate_sliding_lora_file_loads_in_keras(tmp_path):
    import os
    import subprocess
    python = keras_reference.keras_python()
    inp = keras.Input((5, 4))
    h = L.MultiHeadAttention(2, 3, use_gate=True, sliding_window=2,
                             bias_initializer="random_normal")(inp, inp, use_causal_mask=True)
    h = L.GroupQueryAttention(2, 2, 1, use_gate=True, sliding_window=3,
                              bias_initializer="random_normal")(h, h)
    lora = L.EinsumDense("abc,cd->abd", (None, 3), bias_axes="d", lora_rank=2)
    model = keras.Model(inp, lora(h))
    lora.lora_kernel_b.assign(np.full((2, 3), 0.3, "float32"))
    x = np.random.default_rng(7).standard_normal((2, 5, 4)).astype("float32")
    expected = model.predict(x, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(KERAS_LOAD)
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONPATH", None)
    result = subprocess.run([python, str(script), path, str(tmp_path / "x.npy"),
                             str(tmp_path / "out.npy")], capture_output=True, text=True,
                            timeout=300, env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "GroupedQueryAttention" in result.stdout
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected, rtol=RTOL,
                                   atol=ATOL)


@pytest.mark.parametrize("kwargs", [dict(), dict(sliding_window=2)])
def test_attention_called_with_numpy_keywords(kwargs):
    # Only the first call argument is converted before `call`: query and value
    # given by keyword arrive as NumPy arrays (the R wrappers call this way).
    rng = np.random.default_rng(8)
    q = rng.standard_normal((2, 4, 6)).astype("float32")
    v = rng.standard_normal((2, 5, 6)).astype("float32")
    mha = L.MultiHeadAttention(2, 3, **kwargs)
    out, scores = mha(query=q, value=v, use_causal_mask=True, return_attention_scores=True)
    assert tuple(out.shape) == (2, 4, 6) and tuple(scores.shape) == (2, 2, 4, 5)
    allowed = np.tril(np.ones((4, 5), bool))
    if kwargs:
        allowed &= _band(4, 5, 2)
    assert np.all(_np(scores)[:, :, ~allowed] == 0)
    gqa = L.GroupQueryAttention(3, 2, 1, **kwargs)
    assert tuple(gqa(query=q, value=v, use_causal_mask=True).shape) == (2, 4, 6)


@pytest.mark.parametrize("axes", [(1, 2), (2,)])
def test_sliding_window_needs_attention_over_axis_1(axes):
    # Keras's band runs along axis 1; other attention axes fail inside its
    # softmax. torkeras says so when the layer is built.
    layer = L.MultiHeadAttention(2, 3, attention_axes=axes, sliding_window=2)
    x = np.zeros((2, 3, 4, 5), "float32")
    with pytest.raises(ValueError, match=r"`sliding_window` needs attention over axis 1"):
        layer(x, x)
    # The same query attended over axis 1 only is fine (mask over axis 1).
    ok = L.MultiHeadAttention(2, 3, attention_axes=1, sliding_window=2)
    assert tuple(ok(x, x).shape) == (2, 3, 4, 5)


def test_keras_mask_helpers_for_subclasses():
    import torch
    q, v = torch.zeros(1, 4, 2), torch.zeros(1, 3, 2)
    for layer in (L.MultiHeadAttention(1, 2, sliding_window=2),
                  L.GroupQueryAttention(2, 1, 1, sliding_window=2)):
        np.testing.assert_array_equal(layer._compute_causal_mask(q, v).numpy()[0],
                                      np.tril(np.ones((4, 3), bool)))
        np.testing.assert_array_equal(layer._compute_sliding_window_mask(q).numpy()[0],
                                      _band(4, 4, 2))
