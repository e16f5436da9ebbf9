"""EinsumDense and MultiHeadAttention: the shared layer checks with NumPy
references, argument errors, symbolic calls, dropout and training."""
import numpy as np
import pytest

import torkeras as keras
from torkeras import layers as L
from layer_test_kit import run_layer_test


def _np_einsum_ref(equation, bias_axes_shape=True):
    def ref(weights, x):
        out = np.einsum(equation, x, weights[0])
        if len(weights) > 1:
            out = out + weights[1]
        return out
    return ref


@pytest.mark.parametrize("equation,output_shape,bias_axes,input_shape,out_shape", [
    ("ab,bc->ac", 4, "c", (3, 5), (3, 4)),
    ("abc,cde->abde", (None, 2, 3), "de", (2, 3, 5), (2, 3, 2, 3)),
    ("...b,bc->...c", 4, None, (2, 3, 5), (2, 3, 4)),
    ("abc,cd->abd", (3, 4), "d", (2, 3, 5), (2, 3, 4)),
])
def test_einsum_dense_layer_kit(equation, output_shape, bias_axes, input_shape, out_shape):
    run_layer_test(L.EinsumDense, dict(equation=equation, output_shape=output_shape,
                                       bias_axes=bias_axes),
                   input_shape=input_shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=1 if bias_axes is None else 2,
                   expected_num_non_trainable_weights=0,
                   expected_output_fn=_np_einsum_ref(equation), rtol=1e-5, atol=1e-6)


def test_einsum_dense_weight_shapes_and_fans():
    layer = L.EinsumDense("abc,cde->abde", (None, 4, 8), bias_axes="de",
                          kernel_initializer="variance_scaling")
    layer.build((None, 3, 16))
    assert tuple(layer.kernel.shape) == (16, 4, 8)
    assert tuple(layer.bias.shape) == (4, 8)
    # fan_in counts the contracted axis only (16), not the conv convention.
    std = np.std(layer.kernel.numpy())
    assert abs(std - np.sqrt(1.0 / 16)) < 0.03


@pytest.mark.parametrize("kwargs,match", [
    (dict(equation="ab->b", output_shape=3), "equation"),
    (dict(equation=3, output_shape=3), "equation"),
    (dict(equation="ab,bc->ac", output_shape="x"), "output_shape"),
    (dict(equation="ab,bc->ac", output_shape=0), "output_shape"),
    (dict(equation="ab,bc->ac", output_shape=3, bias_axes=1), "bias_axes"),
    (dict(equation="ab,bc->ac", output_shape=3, lora_rank=0), "lora_rank"),
])
def test_einsum_dense_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        L.EinsumDense(**kwargs)


def test_einsum_dense_bad_equation_for_input():
    with pytest.raises(ValueError, match="bias dimension"):
        L.EinsumDense("ab,bc->ac", 3, bias_axes="z").build((2, 4))
    with pytest.raises(ValueError, match="kernel dimension"):
        L.EinsumDense("ab,bzc->ac", 3).build((2, 4))
    with pytest.raises(ValueError, match="do not match"):
        L.EinsumDense("abc,cd->abd", (5, 3)).build((2, 4, 6))


# -- MultiHeadAttention --------------------------------------------------------
def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _np_mha(layer, q, v, mask=None):
    w = [x.numpy() if hasattr(x, "numpy") else np.asarray(x) for x in layer.get_weights()]
    wq, bq, wk, bk, wv, bv, wo, bo = w
    Q = np.einsum("btd,dnh->btnh", q, wq) + bq
    K = np.einsum("bsd,dnh->bsnh", v, wk) + bk
    V = np.einsum("bsd,dnh->bsnh", v, wv) + bv
    scores = np.einsum("btnh,bsnh->bnts", Q / np.sqrt(wq.shape[-1]), K)
    if mask is not None:
        scores = np.where(mask[:, None], scores, -1e9)
    p = _softmax(scores)
    if mask is not None:
        p = np.where(mask[:, None], p, 0.0)
    out = np.einsum("bnts,bsnh->btnh", p, V)
    return np.einsum("btnh,nhd->btd", out, wo) + bo, p


def test_mha_matches_numpy_with_mask_and_scores():
    rng = np.random.default_rng(0)
    q = rng.standard_normal((2, 4, 6)).astype("float32")
    v = rng.standard_normal((2, 5, 6)).astype("float32")
    mask = rng.random((2, 4, 5)) > 0.3
    layer = L.MultiHeadAttention(num_heads=2, key_dim=3)
    out, scores = layer(q, v, attention_mask=mask, return_attention_scores=True)
    exp_out, exp_p = _np_mha(layer, q, v, mask)
    np.testing.assert_allclose(out.detach().numpy(), exp_out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scores.detach().numpy(), exp_p, rtol=1e-5, atol=1e-6)
    assert tuple(scores.shape) == (2, 2, 4, 5)
    assert [w.path for w in layer.weights][::2] == [
        "multi_head_attention/query/kernel", "multi_head_attention/key/kernel",
        "multi_head_attention/value/kernel", "multi_head_attention/attention_output/kernel"]


def test_mha_causal_mask_blocks_future():
    rng = np.random.default_rng(1)
    q = rng.standard_normal((1, 4, 6)).astype("float32")
    layer = L.MultiHeadAttention(num_heads=2, key_dim=3)
    _, scores = layer(q, q, use_causal_mask=True, return_attention_scores=True)
    s = scores.detach().numpy()
    assert np.all(s[..., np.triu_indices(4, 1)[0], np.triu_indices(4, 1)[1]] == 0)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-6)
    fast = layer(q, q, use_causal_mask=True).detach().numpy()
    exp, _ = _np_mha(layer, q, q, np.tril(np.ones((4, 4), bool))[None])
    np.testing.assert_allclose(fast, exp, rtol=1e-5, atol=1e-5)


def test_mha_symbolic_functional_and_training():
    q_in = keras.Input((4, 6))
    v_in = keras.Input((5, 3))
    out = L.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=2, output_shape=7,
                               dropout=0.1)(q_in, v_in)
    assert tuple(out.shape) == (None, 4, 7)
    model = keras.Model([q_in, v_in], out)
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(2)
    x = [rng.standard_normal((8, 4, 6)).astype("float32"),
         rng.standard_normal((8, 5, 3)).astype("float32")]
    y = rng.standard_normal((8, 4, 7)).astype("float32")
    before = [w.copy() for w in model.get_weights()]
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    # Inference ignores dropout: two predictions agree.
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_mha_dropout_in_training():
    layer = L.MultiHeadAttention(num_heads=1, key_dim=2, dropout=0.5, seed=3)
    q = np.random.default_rng(3).standard_normal((2, 6, 4)).astype("float32")
    _, s = layer(q, q, return_attention_scores=True, training=True)
    a = layer(q, q, training=True).detach().numpy()
    b = layer(q, q, training=False).detach().numpy()
    assert not np.allclose(a, b)


@pytest.mark.parametrize("kwargs,match", [
    (dict(num_heads=0, key_dim=2), "num_heads"),
    (dict(num_heads=2, key_dim=-1), "key_dim"),
    (dict(num_heads=2, key_dim=2, value_dim=1.5), "value_dim"),
    (dict(num_heads=2, key_dim=2, attention_axes="x"), "attention_axes"),
    (dict(num_heads=2, key_dim=2, dropout=2.0), "dropout"),
    (dict(num_heads=2, key_dim=2, sliding_window=0), "sliding_window"),
    (dict(num_heads=2, key_dim=2, dropout=0.1, flash_attention=True), "flash"),
])
def test_mha_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        L.MultiHeadAttention(**kwargs)


def test_mha_key_value_shape_mismatch():
    layer = L.MultiHeadAttention(num_heads=2, key_dim=2)
    with pytest.raises(ValueError, match="value"):
        layer(np.zeros((1, 3, 4), "float32"), np.zeros((1, 5, 4), "float32"),
              key=np.zeros((1, 6, 4), "float32"))


def test_mha_config_round_trip():
    layer = L.MultiHeadAttention(num_heads=3, key_dim=2, value_dim=4, output_shape=(5,),
                                 attention_axes=[1], dropout=0.2, use_bias=False, seed=7)
    clone = L.MultiHeadAttention.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()


# -- Attention / AdditiveAttention ----------------------------------------------
def test_attention_numpy_reference_with_masks():
    rng = np.random.default_rng(4)
    q = rng.standard_normal((2, 3, 4)).astype("float32")
    v = rng.standard_normal((2, 5, 4)).astype("float32")
    qm = np.array([[1, 1, 0], [1, 0, 0]], bool)
    vm = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], bool)
    out = L.Attention()([q, v], mask=[qm, vm]).numpy()
    scores = np.einsum("bqd,bvd->bqv", q, v) - 1e9 * (~vm[:, None])
    exp = np.einsum("bqv,bvd->bqd", _softmax(scores), v) * qm[..., None]
    np.testing.assert_allclose(out, exp, rtol=1e-5, atol=1e-6)


def test_attention_masks_from_embedding_in_functional_model():
    tokens = keras.Input((4,), dtype="int32")
    h = L.Embedding(6, 3, mask_zero=True)(tokens)
    out = L.Attention(use_scale=True)([h, h])
    assert out._keras_mask is not None
    model = keras.Model(tokens, out)
    y = model.predict(np.array([[1, 2, 0, 0]], "int32"), verbose=0)
    assert np.all(y[0, 2:] == 0)


@pytest.mark.parametrize("cls", [L.Attention, L.AdditiveAttention])
def test_attention_bad_inputs(cls):
    x = np.zeros((1, 2, 3), "float32")
    with pytest.raises(ValueError, match="list of inputs"):
        cls()(x)
    with pytest.raises(ValueError, match="length 2 or 3"):
        cls()([x])


def test_attention_bad_arguments():
    with pytest.raises(ValueError, match="score_mode"):
        L.Attention(score_mode="add")
    with pytest.raises(ValueError, match="dropout"):
        L.Attention(dropout=1.5)


def test_attention_dropout_only_in_training():
    layer = L.AdditiveAttention(dropout=0.5, seed=1)
    q = np.random.default_rng(5).standard_normal((2, 6, 3)).astype("float32")
    _, s_train = layer([q, q], training=True, return_attention_scores=True)
    _, s_inf = layer([q, q], return_attention_scores=True)
    assert not np.allclose(s_train.detach().numpy(), s_inf.detach().numpy())
    np.testing.assert_allclose(s_inf.detach().numpy().sum(-1), 1.0, rtol=1e-6)


def test_attention_layers_save_round_trip(tmp_path):
    q_in, v_in = keras.Input((3, 4)), keras.Input((5, 4))
    a = L.Attention(use_scale=True, score_mode="concat")([q_in, v_in])
    b = L.AdditiveAttention()([q_in, v_in])
    model = keras.Model([q_in, v_in], L.Add()([a, b]))
    rng = np.random.default_rng(6)
    x = [rng.standard_normal((2, 3, 4)).astype("float32"),
         rng.standard_normal((2, 5, 4)).astype("float32")]
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


# -- GroupQueryAttention --------------------------------------------------------
def test_gqa_equals_mha_style_numpy_reference():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 4, 6)).astype("float32")
    layer = L.GroupQueryAttention(head_dim=3, num_query_heads=4, num_key_value_heads=2)
    out, scores = layer(x, x, return_attention_scores=True)
    wq, bq, wk, bk, wv, bv, wo, bo = [np.asarray(w) for w in layer.get_weights()]
    Q = np.einsum("bqm,muh->bquh", x, wq) + bq
    K = np.repeat(np.einsum("bkm,mvh->bkvh", x, wk) + bk, 2, axis=2)
    V = np.repeat(np.einsum("bkm,mvh->bkvh", x, wv) + bv, 2, axis=2)
    p = _softmax(np.einsum("bquh,bkuh->buqk", Q / np.sqrt(3.0), K))
    exp = np.einsum("bquh,uhm->bqm", np.einsum("buqk,bkuh->bquh", p, V), wo) + bo
    np.testing.assert_allclose(out.detach().numpy(), exp, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scores.detach().numpy(), p, rtol=1e-5, atol=1e-6)
    assert type(layer).__name__ == "GroupedQueryAttention"
    assert layer.name.startswith("grouped_query_attention")


@pytest.mark.parametrize("kwargs,match", [
    (dict(head_dim=0, num_query_heads=2, num_key_value_heads=1), "head_dim"),
    (dict(head_dim=2, num_query_heads=3, num_key_value_heads=2), "divisible"),
    (dict(head_dim=2, num_query_heads=2, num_key_value_heads=1, sliding_window=-2),
     "sliding_window"),
    (dict(head_dim=2, num_query_heads=2, num_key_value_heads=1, dropout=-0.1), "dropout"),
])
def test_gqa_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        L.GroupQueryAttention(**kwargs)


def test_gqa_symbolic_and_shape_errors():
    q, v = keras.Input((4, 6)), keras.Input((5, 6))
    out = L.GroupQueryAttention(2, 4, 2)(q, v, use_causal_mask=True)
    assert tuple(out.shape) == (None, 4, 6)
    with pytest.raises(ValueError, match="last dimension"):
        L.GroupQueryAttention(2, 4, 2)(keras.Input((4, 6)), keras.Input((5, 3)))
