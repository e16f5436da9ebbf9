"""MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention and EinsumDense against Keras 3.15
(tests/keras_reference/layers_attention.py): the same weights give the same
outputs and attention scores (with attention masks, causal masks, Keras masks
from Embedding(mask_zero=True), several attention axes), the same
get_config(), and .keras files load in both directions."""
import json
import os
import subprocess

import numpy as np
import pytest

import keras_reference
import torkeras as keras
from torkeras import layers as L

ref = keras_reference.load("layers_attention")
EINSUM_CASES = keras_reference.cases(ref, "einsum")
MHA_CASES = keras_reference.cases(ref, "mha")

# Einsum contractions and the softmax are float32 sums whose order may differ
# from Keras's by a few ulps: rtol 1e-5, atol 1e-6.
RTOL, ATOL = 1e-5, 1e-6


def _weights(key):
    return [ref[f"{key}/w{i}"] for i in range(int(ref[f"{key}/nweights"]))]


def _config_without_name(text):
    cfg = json.loads(text)
    cfg.pop("name", None)
    return cfg


def _torkeras_config(layer):
    return _config_without_name(json.dumps(layer.get_config(), default=list))


@pytest.mark.parametrize("case", EINSUM_CASES)
def test_einsum_dense_matches_keras(case):
    kcfg = json.loads(str(ref[f"einsum/{case}/config"]))
    layer = L.EinsumDense(kcfg["equation"], kcfg["output_shape"], bias_axes=kcfg["bias_axes"],
                          activation=kcfg["activation"])
    x = ref[f"einsum/{case}/x"]
    layer.build(x.shape)
    layer.set_weights(_weights(f"einsum/{case}"))
    keras_reference.assert_matches(layer(x), ref[f"einsum/{case}/out"], rtol=RTOL, atol=ATOL)
    shape = layer.compute_output_shape(x.shape)
    # `None` entries of output_shape stay unknown in the static shape, as in Keras.
    assert len(shape) == ref[f"einsum/{case}/out"].ndim
    assert all(s in (None, e) for s, e in zip(shape, ref[f"einsum/{case}/out"].shape))
    assert _torkeras_config(layer) == _config_without_name(str(ref[f"einsum/{case}/config"]))


def _mha(case):
    kcfg = json.loads(str(ref[f"mha/{case}/config"]))
    kcfg.pop("name")
    kcfg.pop("dtype")
    return L.MultiHeadAttention(**kcfg)


def _mha_inputs(case):
    q, v = ref[f"mha/{case}/q"], ref[f"mha/{case}/v"]
    k = ref[f"mha/{case}/k"] if f"mha/{case}/k" in ref else None
    kwargs = {}
    if f"mha/{case}/mask" in ref:
        kwargs["attention_mask"] = ref[f"mha/{case}/mask"]
    if "causal" in case:
        kwargs["use_causal_mask"] = True
    return q, v, k, kwargs


@pytest.mark.parametrize("case", MHA_CASES)
def test_multi_head_attention_matches_keras(case):
    layer = _mha(case)
    q, v, k, kwargs = _mha_inputs(case)
    layer.build(q.shape, v.shape, None if k is None else k.shape)
    layer.set_weights(_weights(f"mha/{case}"))
    out, scores = layer(q, v, key=k, return_attention_scores=True, **kwargs)
    keras_reference.assert_matches(out, ref[f"mha/{case}/out"], rtol=RTOL, atol=ATOL)
    keras_reference.assert_matches(scores, ref[f"mha/{case}/scores"], rtol=RTOL, atol=ATOL)
    # Keras's fused dot_product_attention path (no scores) agrees with its
    # explicit path to float32 rounding.
    keras_reference.assert_matches(layer(q, v, key=k, **kwargs), ref[f"mha/{case}/out_fast"],
                                   rtol=1e-4, atol=1e-5)
    assert _torkeras_config(layer) == _config_without_name(str(ref[f"mha/{case}/config"]))
    assert tuple(layer.compute_output_shape(q.shape, v.shape)) == ref[f"mha/{case}/out"].shape


ATT_CASES = keras_reference.cases(ref, "att")


@pytest.mark.parametrize("case", ATT_CASES)
def test_attention_layers_match_keras(case):
    kcfg = json.loads(str(ref[f"att/{case}/config"]))
    kcfg.pop("name")
    kcfg.pop("dtype")
    layer = getattr(L, str(ref[f"att/{case}/class"]))(**kcfg)
    inputs = [ref[f"att/{case}/in{i}"] for i in range(3) if f"att/{case}/in{i}" in ref]
    kwargs = {}
    if f"att/{case}/qmask" in ref:
        kwargs["mask"] = [ref[f"att/{case}/qmask"], ref[f"att/{case}/vmask"]]
    if "causal" in case:
        kwargs["use_causal_mask"] = True
    layer.build([t.shape for t in inputs])
    layer.set_weights(_weights(f"att/{case}"))
    out, scores = layer(inputs, return_attention_scores=True, **kwargs)
    keras_reference.assert_matches(out, ref[f"att/{case}/out"], rtol=RTOL, atol=ATOL)
    keras_reference.assert_matches(scores, ref[f"att/{case}/scores"], rtol=RTOL, atol=ATOL)
    assert _torkeras_config(layer) == _config_without_name(str(ref[f"att/{case}/config"]))
    assert tuple(layer.compute_output_shape([t.shape for t in inputs])) == \
        ref[f"att/{case}/out"].shape


GQA_CASES = keras_reference.cases(ref, "gqa")


@pytest.mark.parametrize("case", GQA_CASES)
def test_group_query_attention_matches_keras(case):
    kcfg = json.loads(str(ref[f"gqa/{case}/config"]))
    kcfg.pop("name")
    kcfg.pop("dtype")
    layer = L.GroupQueryAttention(**kcfg)
    q, v = ref[f"gqa/{case}/q"], ref[f"gqa/{case}/v"]
    k = ref[f"gqa/{case}/k"] if f"gqa/{case}/k" in ref else None
    kwargs = {}
    if f"gqa/{case}/mask" in ref:
        kwargs["attention_mask"] = ref[f"gqa/{case}/mask"]
    if "causal" in case:
        kwargs["use_causal_mask"] = True
    layer.build(q.shape, v.shape, None if k is None else k.shape)
    layer.set_weights(_weights(f"gqa/{case}"))
    out, scores = layer(q, v, key=k, return_attention_scores=True, **kwargs)
    keras_reference.assert_matches(out, ref[f"gqa/{case}/out"], rtol=RTOL, atol=ATOL)
    keras_reference.assert_matches(scores, ref[f"gqa/{case}/scores"], rtol=RTOL, atol=ATOL)
    # The fused path (no scores): same kernel as Keras's, float32 rounding.
    keras_reference.assert_matches(layer(q, v, key=k, **kwargs), ref[f"gqa/{case}/out_fast"],
                                   rtol=1e-4, atol=1e-5)
    assert _torkeras_config(layer) == _config_without_name(str(ref[f"gqa/{case}/config"]))


def test_keras_written_gqa_file_loads(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(ref["gqa_file/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    assert isinstance(model.get_layer("gqa"), L.GroupQueryAttention)
    keras_reference.assert_matches(model.predict(ref["gqa_file/x"], verbose=0),
                                   ref["gqa_file/out"], rtol=RTOL, atol=ATOL)


def test_keras_masks_from_embedding_match_keras():
    inp = keras.Input((5,), dtype="int32")
    h = L.Embedding(7, 4, mask_zero=True)(inp)
    model = keras.Model(inp, L.MultiHeadAttention(num_heads=2, key_dim=3)(h, h))
    model.set_weights(_weights("masked_model"))
    keras_reference.assert_matches(model.predict(ref["masked_model/x"], verbose=0),
                                   ref["masked_model/out"], rtol=RTOL, atol=ATOL)


def test_keras_written_file_loads(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(ref["file/bytes"].tobytes())
    model = keras.saving.load_model(str(path))
    mha = model.get_layer("mha")
    assert isinstance(mha, L.MultiHeadAttention)
    assert [w.path for w in mha.weights][:2] == ["mha/query/kernel", "mha/query/bias"]
    keras_reference.assert_matches(model.predict(ref["file/x"], verbose=0), ref["file/out"],
                                   rtol=RTOL, atol=ATOL)


KERAS_LOAD = """
import sys
import numpy as np
import keras
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], model.predict(x, verbose=0))
print([type(l).__name__ for l in model.layers])
"""


def test_torkeras_written_file_loads_in_keras(tmp_path):
    python = keras_reference.keras_python()
    inp = keras.Input((5,), dtype="int32")
    h = L.Embedding(7, 4, mask_zero=True)(inp)
    h = L.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=2,
                             kernel_initializer="random_normal",
                             bias_initializer="random_normal")(h, h, use_causal_mask=True)
    out = L.EinsumDense("abc,cd->abd", (None, 3), bias_axes="d")(h)
    model = keras.Model(inp, out)
    x = np.array([[3, 5, 2, 0, 0], [1, 4, 6, 2, 0]], dtype="int32")
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
    assert "MultiHeadAttention" in result.stdout and "EinsumDense" in result.stdout
    keras_reference.assert_matches(np.load(tmp_path / "out.npy"), expected, rtol=RTOL, atol=ATOL)
