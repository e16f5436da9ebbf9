"""keras.ops.nn and keras.activations: errors, edge cases and the places where
torkeras deliberately differs from Keras 3.15 (checked against independent
NumPy computations)."""
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras import activations, ops

rng = np.random.default_rng(7)


def _np(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)


# -- sparsemax: the simplex projection ---------------------------------------------
def _sparsemax_reference(z):
    """Martins & Astudillo (2016), Algorithm 1, on one vector."""
    s = np.sort(z)[::-1]
    cs = np.cumsum(s)
    k = np.arange(1, len(z) + 1)
    support = 1 + k * s > cs
    kz = k[support][-1]
    tau = (cs[kz - 1] - 1) / kz
    return np.maximum(z - tau, 0)


@pytest.mark.parametrize("shape,axis", [((5, 7), -1), ((5, 7), 0), ((2, 3, 4), 1)])
def test_sparsemax_is_the_simplex_projection(shape, axis):
    x = rng.normal(size=shape).astype("float32")
    out = _np(ops.sparsemax(x, axis=axis))
    expected = np.apply_along_axis(_sparsemax_reference, axis, x.astype("float64"))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-5)
    assert (out >= 0).all()
    np.testing.assert_allclose(_np(activations.sparsemax(x, axis=axis)), out)


def test_sparsemax_of_close_logits_keeps_several():
    out = _np(ops.sparsemax(np.array([[0.0, 0.5, 1.0]], "float32")))
    np.testing.assert_allclose(out, [[0.0, 0.25, 0.75]], atol=1e-7)


# -- pooling: TensorFlow's "same" average ------------------------------------------
def test_average_pool_same_divides_by_real_elements():
    # Length 5, window 2, stride 2: TensorFlow pads one element after; the
    # last window holds only x[4] (Keras's torch backend replicates x[4]
    # into the pad, which gives the same here; with a window of 4 it would
    # not, see the next test).
    x = np.arange(1, 6, dtype="float32").reshape(1, 5, 1)
    np.testing.assert_allclose(_np(ops.average_pool(x, 2, padding="same")).ravel(),
                               [1.5, 3.5, 5.0])


def test_average_pool_same_asymmetric_window():
    x = rng.normal(size=(1, 6, 2)).astype("float32")
    out = _np(ops.average_pool(x, 4, strides=1, padding="same"))
    # total padding 3: one before, two after; each window averages its real
    # elements only.
    expected = np.stack([x[0, max(i - 1, 0):min(i + 3, 6)].mean(0) for i in range(6)])
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)


def test_max_pool_same_padding_never_wins():
    x = -np.ones((1, 3, 3, 1), "float32") * 5
    out = _np(ops.max_pool(x, 2, strides=2, padding="same"))
    assert out.shape == (1, 2, 2, 1) and (out == -5).all()


# -- layer/rms normalization over one non-last axis (Keras 3.15 fails there) --------
def test_layer_normalization_over_a_middle_axis():
    x = rng.normal(size=(2, 3, 4)).astype("float32")
    gamma, beta = rng.normal(size=3).astype("float32"), rng.normal(size=3).astype("float32")
    out = _np(ops.layer_normalization(x, gamma, beta, axis=1))
    mean = x.mean(1, keepdims=True)
    var = x.var(1, keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-7) * gamma[None, :, None] + beta[None, :, None]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_rms_normalization_over_the_first_axis():
    x = rng.normal(size=(3, 5)).astype("float32")
    out = _np(ops.rms_normalization(x, axis=0))
    np.testing.assert_allclose(out, x / np.sqrt((x ** 2).mean(0) + 1e-7), rtol=1e-5)


def test_normalization_keeps_half_precision_dtype():
    x = torch.randn(2, 8, dtype=torch.float16)
    assert ops.layer_normalization(x).dtype == torch.float16
    assert ops.rms_normalization(x).dtype == torch.float16
    mean, var = ops.moments(x, axes=[1])
    assert mean.dtype == var.dtype == torch.float16


def test_layer_normalization_rms_scaling_is_deprecated():
    x = rng.normal(size=(2, 4)).astype("float32")
    with pytest.warns(UserWarning, match="rms_scaling"):
        out = _np(ops.layer_normalization(x, axis=-1, rms_scaling=True))
    np.testing.assert_allclose(out, x / np.sqrt(x.var(-1, keepdims=True) + 1e-7), rtol=1e-5)
    with pytest.raises(TypeError, match="unexpected"):
        ops.layer_normalization(x, center=True)


# -- binary crossentropy targets outside [0, 1] ---------------------------------------
def test_binary_crossentropy_targets_outside_unit_interval():
    t = np.array([1.5, -0.5, 2.0, 0.3], "float32")
    p = np.array([0.2, 0.7, 0.9, 0.4], "float32")
    expected = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(_np(ops.binary_crossentropy(t, p)), expected, rtol=1e-6)
    # The same formula as torch's kernel inside [0, 1]
    inside = np.array([0.0, 1.0, 0.25, 0.5], "float32")
    np.testing.assert_allclose(_np(ops.binary_crossentropy(inside, p)),
                               -(inside * np.log(p) + (1 - inside) * np.log(1 - p)), rtol=1e-6)


# -- conv_transpose output lengths ------------------------------------------------------
@pytest.mark.parametrize("n,k,s,padding,op,expected", [
    (5, 3, 2, "valid", None, 11), (5, 3, 2, "same", None, 10), (5, 2, 3, "valid", None, 15),
    (4, 3, 2, "same", 1, 8), (4, 3, 2, "valid", 0, 9), (4, 4, 2, "same", 0, 6)])
def test_conv_transpose_lengths(n, k, s, padding, op, expected):
    x = np.ones((1, n, 1), "float32")
    kernel = np.ones((k, 1, 1), "float32")
    out = ops.conv_transpose(x, kernel, strides=s, padding=padding, output_padding=op)
    assert tuple(out.shape) == (1, expected, 1)


def test_conv_equals_explicit_correlation():
    x = rng.normal(size=(1, 6, 2)).astype("float32")
    k = rng.normal(size=(3, 2, 4)).astype("float32")
    out = _np(ops.conv(x, k, padding="same"))
    padded = np.pad(x[0], ((1, 1), (0, 0)))
    expected = np.stack([np.einsum("kc,kcf->f", padded[i:i + 3], k) for i in range(6)])
    np.testing.assert_allclose(out[0], expected, rtol=1e-5, atol=1e-6)


# -- CTC -------------------------------------------------------------------------------
def test_ctc_greedy_decoding_by_hand():
    best = [0, 2, 2, 0, 3, 3, 1]
    logits = np.zeros((1, 7, 4), "float32")
    logits[0, np.arange(7), best] = 4.0
    decoded, score = ops.ctc_decode(logits, [7])
    assert _np(decoded).tolist() == [[[2, 3, 1, -1, -1, -1, -1]]]
    assert float(score[0, 0]) == pytest.approx(-28.0)
    decoded, _ = ops.ctc_decode(logits, [7], merge_repeated=False)
    assert _np(decoded).tolist() == [[[2, 2, 3, 3, 1, -1, -1]]]
    decoded, _ = ops.ctc_decode(logits, [4])  # steps after the length are ignored
    assert _np(decoded).tolist() == [[[2, -1, -1, -1, -1, -1, -1]]]


def test_ctc_beam_search_matches_exhaustive_prefix_probabilities():
    """For a short sequence, the beam (wide enough to keep everything) gives
    the exact probability of each label sequence: the sum over alignments."""
    import itertools
    x = rng.normal(size=(1, 4, 3)).astype("float32")
    logp = x[0] - np.log(np.exp(x[0]).sum(-1, keepdims=True))
    totals = {}
    for path in itertools.product(range(3), repeat=4):
        collapsed = tuple(c for i, c in enumerate(path)
                          if c != 0 and (i == 0 or path[i - 1] != c))
        p = np.exp(sum(logp[t, c] for t, c in enumerate(path)))
        totals[collapsed] = totals.get(collapsed, 0.0) + p
    best = sorted(totals.items(), key=lambda kv: -kv[1])[:3]
    paths, scores = ops.ctc_decode(x, [4], strategy="beam_search", beam_width=50, top_paths=3)
    for i, (labels, p) in enumerate(best):
        got = [c for c in _np(paths)[i, 0] if c >= 0]
        assert tuple(got) == labels
        assert float(scores[0, i]) == pytest.approx(np.log(p), rel=1e-5)


def test_ctc_loss_is_minus_log_of_the_alignment_sum():
    x = rng.normal(size=(1, 3, 3)).astype("float32")
    logp = x[0] - np.log(np.exp(x[0]).sum(-1, keepdims=True))
    # Target [1]: alignments of length 3 collapsing to (1,) with blank 0.
    import itertools
    total = sum(np.exp(sum(logp[t, c] for t, c in enumerate(path)))
                for path in itertools.product(range(3), repeat=3)
                if tuple(c for i, c in enumerate(path)
                         if c != 0 and (i == 0 or path[i - 1] != c)) == (1,))
    loss = ops.ctc_loss(np.array([[1, 0]]), x, np.array([1]), np.array([3]))
    assert float(loss[0]) == pytest.approx(-np.log(total), rel=1e-5)


# -- attention -------------------------------------------------------------------------
def test_dot_product_attention_against_numpy():
    q = rng.normal(size=(1, 3, 2, 4)).astype("float32")
    k = rng.normal(size=(1, 5, 2, 4)).astype("float32")
    v = rng.normal(size=(1, 5, 2, 4)).astype("float32")
    mask = rng.uniform(size=(1, 2, 3, 5)) > 0.3
    mask[..., 0] = True
    out = _np(ops.dot_product_attention(q, k, v, mask=mask, scale=0.3))
    logits = np.einsum("bthd,bshd->bhts", q, k) * 0.3
    logits = np.where(mask, logits, -np.inf)
    w = np.exp(logits - logits.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    np.testing.assert_allclose(out, np.einsum("bhts,bshd->bthd", w, v), rtol=1e-5, atol=1e-6)


# -- errors name the argument ------------------------------------------------------------
@pytest.mark.parametrize("call,match", [
    (lambda: ops.conv(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), padding="full"), "padding"),
    (lambda: ops.conv(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), data_format="nhwc"),
     "data_format"),
    (lambda: ops.conv(np.ones((1, 4, 4, 3)), np.ones((3, 3, 2, 1))), "divisible"),
    (lambda: ops.conv(np.ones((1, 4, 4, 2)), np.ones((3, 3, 2, 1)), strides=(1, 2, 3)),
     "strides"),
    (lambda: ops.conv(np.ones((4, 2)), np.ones((3, 2, 1))), "rank 3, 4 or 5"),
    (lambda: ops.depthwise_conv(np.ones((1, 4, 4, 2)), np.ones((3, 3, 3, 1))), "kernel"),
    (lambda: ops.conv_transpose(np.ones((1, 4, 2)), np.ones((3, 1, 3))), "kernel"),
    (lambda: ops.max_pool(np.ones((1, 4, 4, 1)), 2.5), "pool_size"),
    (lambda: ops.average_pool(np.ones((1, 4, 4, 1)), 2, padding="causal"), "padding"),
    (lambda: ops.glu(np.ones((2, 3))), "divisible by 2"),
    (lambda: ops.batch_normalization(np.ones((2, 3)), np.ones(2), np.ones(3), axis=-1), "mean"),
    (lambda: ops.psnr(np.ones((2, 2)), np.ones((2, 3)), 1.0), "same shape"),
    (lambda: ops.normalize(np.ones(3), order=0), "order"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 4)), 1), "block_size"),
    (lambda: ops.depth_to_space(np.ones((1, 2, 2, 6)), 2), "divisible"),
    (lambda: ops.space_to_depth(np.ones((1, 3, 4, 1)), 2), "divisible"),
    (lambda: ops.unfold(np.ones((2, 3, 4)), 2), "4D"),
    (lambda: ops.fold(np.ones((2, 3, 4, 5)), (4, 5), 2), "3D"),
    (lambda: ops.dot_product_attention(np.ones((1, 2, 1, 4)), np.ones((1, 2, 1, 4)),
                                       np.ones((1, 2, 1, 4)), bias=np.ones((1, 1, 2, 2)),
                                       mask=np.ones((1, 1, 2, 2), bool)), "bias"),
    (lambda: ops.dot_product_attention(np.ones((2, 1, 4)), np.ones((2, 1, 4)),
                                       np.ones((2, 1, 4))), "4D"),
    (lambda: ops.dot_product_attention(np.ones((1, 2, 1, 4)), np.ones((1, 2, 1, 4)),
                                       np.ones((1, 2, 1, 4)), attn_logits_soft_cap=30.0),
     "attn_logits_soft_cap"),
    (lambda: ops.ctc_decode(np.ones((1, 3, 4)), [3], strategy="best"), "strategy"),
    (lambda: ops.ctc_loss(np.ones((2, 3)), np.ones((1, 4, 5)), [3], [4]), "first dimension"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_flash_attention_refused_on_cpu():
    q = np.ones((1, 2, 1, 4), "float32")
    with pytest.raises(RuntimeError, match="flash"):
        ops.dot_product_attention(q, q, q, flash_attention=True)
    # flash_attention=False (or None) computes as usual
    assert ops.dot_product_attention(q, q, q, flash_attention=False).shape == (1, 2, 1, 4)


def test_moments_synchronized_is_not_supported():
    with pytest.raises(NotImplementedError, match="synchronized"):
        ops.moments(np.ones((2, 2)), axes=[0], synchronized=True)


# -- symbolic use: functional models with nn ops save and load -------------------------
def test_functional_model_with_nn_ops_round_trips(tmp_path):
    inputs = keras.Input((8, 8, 3))
    kernel = rng.normal(size=(3, 3, 3, 4)).astype("float32")
    x = ops.conv(inputs, kernel, strides=2, padding="same")
    x = ops.max_pool(x, 2)
    x = ops.layer_normalization(x, axis=-1)
    x = ops.hard_silu(x)
    x = ops.depth_to_space(x, 2)
    model = keras.Model(inputs, x)
    data = rng.normal(size=(2, 8, 8, 3)).astype("float32")
    out = _np(model(data))
    assert out.shape == (2, 4, 4, 1)
    path = tmp_path / "nn_ops.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(_np(loaded(data)), out, rtol=1e-6)


def test_new_activations_in_layers_serialize_by_name():
    for name in ("celu", "glu", "hard_shrink", "hard_silu", "hard_tanh", "log_sigmoid",
                 "soft_shrink", "sparse_plus", "sparse_sigmoid", "sparsemax", "squareplus",
                 "tanh_shrink"):
        layer = keras.layers.Dense(4, activation=name)
        config = layer.get_config()
        assert config["activation"] == name
        clone = keras.layers.Dense.from_config(config)
        assert clone.activation is activations.get(name)
    assert activations.get("hard_swish") is activations.hard_silu
    with pytest.raises(ValueError, match="Unknown activation"):
        activations.get("hard_swishh")


def test_activation_relu_with_arguments_on_keras_tensors():
    x = keras.Input((6,))
    for kwargs in ({}, {"max_value": 6}, {"negative_slope": 0.1, "max_value": 1.5},
                   {"threshold": 0.5, "negative_slope": 0.2}):
        model = keras.Model(x, activations.relu(x, **kwargs))
        data = np.array([[-2.0, -0.5, 0.0, 0.5, 1.0, 7.0]], "float32")
        np.testing.assert_allclose(_np(model(data)), _np(activations.relu(data, **kwargs)),
                                   rtol=1e-6, err_msg=str(kwargs))
