"""Keras reference for the attention layers: MultiHeadAttention and
EinsumDense with weights drawn here (stored so torkeras sets the same ones),
masks, causal masks, and a .keras file written by Keras."""

import json
import os
import tempfile

import numpy as np
from refkit import Reference

import keras
from keras import layers as L

ref = Reference()


def set_random_weights(key, layer):
    ws = [ref.rng.standard_normal(w.shape).astype("float32") * 0.5 for w in layer.weights]
    layer.set_weights(ws)
    for i, w in enumerate(ws):
        ref.put(f"{key}/w{i}", w)
    ref.put(f"{key}/nweights", np.array(len(ws)))


# -- EinsumDense -----------------------------------------------------------
EINSUM = {
    "dense": dict(equation="ab,bc->ac", output_shape=4, bias_axes="c", shape=(3, 5)),
    "seq": dict(equation="abc,cd->abd", output_shape=(None, 4), bias_axes="d", shape=(2, 3, 5)),
    "heads": dict(equation="abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de",
                  shape=(2, 3, 5)),
    "left_ellipsis": dict(equation="...b,bc->...c", output_shape=4, bias_axes=None,
                          shape=(2, 3, 5)),
    "right_ellipsis": dict(equation="ab...,bc->ac...", output_shape=4, bias_axes="c",
                           shape=(2, 5, 3), activation="relu"),
}
for name, c in EINSUM.items():
    layer = L.EinsumDense(c["equation"], c["output_shape"], bias_axes=c["bias_axes"],
                          activation=c.get("activation"))
    x = ref.rng.standard_normal(c["shape"]).astype("float32")
    layer.build(x.shape)
    set_random_weights(f"einsum/{name}", layer)
    ref.put(f"einsum/{name}/x", x)
    ref.put(f"einsum/{name}/out", layer(x))
    ref.put(f"einsum/{name}/config", json.dumps(layer.get_config()))

# -- MultiHeadAttention ----------------------------------------------------
MHA = {
    "self": dict(kw=dict(num_heads=2, key_dim=3), q=(2, 4, 5), v=None),
    "cross": dict(kw=dict(num_heads=2, key_dim=3, value_dim=4), q=(2, 4, 5), v=(2, 6, 3)),
    "key": dict(kw=dict(num_heads=3, key_dim=2), q=(2, 4, 5), v=(2, 6, 3), k=(2, 6, 4)),
    "out_shape": dict(kw=dict(num_heads=2, key_dim=3, output_shape=(2, 3)), q=(2, 4, 5), v=None),
    "no_bias": dict(kw=dict(num_heads=2, key_dim=3, use_bias=False), q=(2, 4, 5), v=None),
    "causal": dict(kw=dict(num_heads=2, key_dim=3), q=(2, 5, 4), v=None, causal=True),
    "causal_cross": dict(kw=dict(num_heads=2, key_dim=3), q=(2, 4, 4), v=(2, 6, 4),
                         causal=True),
    "attn_mask": dict(kw=dict(num_heads=2, key_dim=3), q=(2, 4, 5), v=(2, 6, 5), amask=True),
    "attn_mask_causal": dict(kw=dict(num_heads=2, key_dim=3), q=(2, 5, 5), v=None, amask=True,
                             causal=True),
    "axes_2d": dict(kw=dict(num_heads=2, key_dim=2, attention_axes=(1, 2)), q=(2, 3, 2, 4),
                    v=None),
    "axes_one": dict(kw=dict(num_heads=2, key_dim=2, attention_axes=2), q=(2, 3, 4, 4),
                     v=None, amask=True),
}
for name, c in MHA.items():
    layer = L.MultiHeadAttention(**c["kw"])
    q = ref.rng.standard_normal(c["q"]).astype("float32")
    v = q if c["v"] is None else ref.rng.standard_normal(c["v"]).astype("float32")
    k = ref.rng.standard_normal(c["k"]).astype("float32") if "k" in c else None
    ref.put(f"mha/{name}/q", q)
    ref.put(f"mha/{name}/v", v)
    if k is not None:
        ref.put(f"mha/{name}/k", k)
    kwargs = {}
    if c.get("amask"):
        mshape = c["q"][:-1] + c["v" if c["v"] else "q"][1:-1]
        if name == "axes_one":
            mshape = (2, 3, 4, 4)
        m = ref.rng.random(mshape) > 0.3
        ref.put(f"mha/{name}/mask", m)
        kwargs["attention_mask"] = m
    if c.get("causal"):
        kwargs["use_causal_mask"] = True
    layer.build(q.shape, v.shape, None if k is None else k.shape)
    set_random_weights(f"mha/{name}", layer)
    out, scores = layer(q, v, key=k, return_attention_scores=True, **kwargs)
    ref.put(f"mha/{name}/out", out)
    ref.put(f"mha/{name}/scores", scores)
    ref.put(f"mha/{name}/out_fast", layer(q, v, key=k, **kwargs))
    ref.put(f"mha/{name}/config", json.dumps(layer.get_config()))

# -- Attention / AdditiveAttention ------------------------------------------
ATT = {
    "dot": ("Attention", dict(), {}),
    "dot_scale": ("Attention", dict(use_scale=True), {}),
    "concat": ("Attention", dict(score_mode="concat"), {}),
    "concat_scale_causal": ("Attention", dict(score_mode="concat", use_scale=True),
                            dict(use_causal_mask=True)),
    "dot_key_masks": ("Attention", dict(), dict(key=True, masks=True)),
    "dot_causal_masks": ("Attention", dict(use_scale=True), dict(masks=True,
                                                                 use_causal_mask=True)),
    "additive": ("AdditiveAttention", dict(), {}),
    "additive_noscale": ("AdditiveAttention", dict(use_scale=False), dict(key=True)),
    "additive_masks_causal": ("AdditiveAttention", dict(), dict(masks=True,
                                                                use_causal_mask=True)),
}
for name, (cls, kw, opts) in ATT.items():
    layer = getattr(L, cls)(**kw)
    q = ref.rng.standard_normal((2, 4, 3)).astype("float32")
    v = ref.rng.standard_normal((2, 5, 3)).astype("float32")
    inputs = [q, v]
    if opts.get("key"):
        inputs.append(ref.rng.standard_normal((2, 5, 3)).astype("float32"))
    for i, t in enumerate(inputs):
        ref.put(f"att/{name}/in{i}", t)
    layer.build([t.shape for t in inputs])
    set_random_weights(f"att/{name}", layer)
    call_kw = {}
    if opts.get("masks"):
        qm = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], bool)
        vm = np.array([[1, 1, 1, 1, 0], [1, 0, 1, 0, 0]], bool)
        ref.put(f"att/{name}/qmask", qm)
        ref.put(f"att/{name}/vmask", vm)
        call_kw["mask"] = [qm, vm]
    if opts.get("use_causal_mask"):
        call_kw["use_causal_mask"] = True
    out, scores = layer(inputs, return_attention_scores=True, **call_kw)
    ref.put(f"att/{name}/class", cls)
    ref.put(f"att/{name}/out", out)
    ref.put(f"att/{name}/scores", scores)
    ref.put(f"att/{name}/config", json.dumps(layer.get_config()))

# -- GroupQueryAttention ----------------------------------------------------
GQA = {
    "self": dict(kw=dict(head_dim=3, num_query_heads=4, num_key_value_heads=2), v=False),
    "cross_key": dict(kw=dict(head_dim=2, num_query_heads=3, num_key_value_heads=1), v=True,
                      k=True),
    "causal": dict(kw=dict(head_dim=3, num_query_heads=4, num_key_value_heads=4), v=False,
                   causal=True),
    "mask_causal": dict(kw=dict(head_dim=3, num_query_heads=4, num_key_value_heads=2,
                                use_bias=False), v=True, amask=True, causal=True),
}
for name, c in GQA.items():
    layer = L.GroupQueryAttention(**c["kw"])
    q = ref.rng.standard_normal((2, 4, 5)).astype("float32")
    v = ref.rng.standard_normal((2, 6, 5)).astype("float32") if c["v"] else q
    k = ref.rng.standard_normal((2, 6, 3)).astype("float32") if c.get("k") else None
    ref.put(f"gqa/{name}/q", q)
    ref.put(f"gqa/{name}/v", v)
    if k is not None:
        ref.put(f"gqa/{name}/k", k)
    kwargs = {}
    if c.get("amask"):
        m = ref.rng.random((2, 4, v.shape[1])) > 0.3
        ref.put(f"gqa/{name}/mask", m)
        kwargs["attention_mask"] = m
    if c.get("causal"):
        kwargs["use_causal_mask"] = True
    layer.build(q.shape, v.shape, None if k is None else k.shape)
    set_random_weights(f"gqa/{name}", layer)
    out, scores = layer(q, v, key=k, return_attention_scores=True, **kwargs)
    ref.put(f"gqa/{name}/out", out)
    ref.put(f"gqa/{name}/scores", scores)
    ref.put(f"gqa/{name}/out_fast", layer(q, v, key=k, **kwargs))
    ref.put(f"gqa/{name}/config", json.dumps(layer.get_config()))

# A .keras file with GroupQueryAttention.
inp = keras.Input((4, 5))
model = keras.Model(inp, L.GroupQueryAttention(3, 4, 2, name="gqa")(inp, inp))
xg = ref.rng.standard_normal((2, 4, 5)).astype("float32")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("gqa_file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
ref.put("gqa_file/x", xg)
ref.put("gqa_file/out", model.predict(xg, verbose=0))

# Keras masks from an Embedding(mask_zero=True) feeding query and value.
tokens = np.array([[3, 5, 2, 0, 0], [1, 4, 0, 0, 0]], dtype="int32")
inp = keras.Input((5,), dtype="int32")
emb = L.Embedding(7, 4, mask_zero=True)
mha = L.MultiHeadAttention(num_heads=2, key_dim=3)
h = emb(inp)
model = keras.Model(inp, mha(h, h))
set_random_weights("masked_model", model)
ref.put("masked_model/x", tokens)
ref.put("masked_model/out", model.predict(tokens, verbose=0))

# A .keras file written by Keras: Embedding -> MHA(causal) -> Dense.
inp = keras.Input((5,), dtype="int32")
h = L.Embedding(7, 4)(inp)
h = L.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")(h, h, use_causal_mask=True)
out = L.Dense(2)(h)
model = keras.Model(inp, out)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
ref.put("file/x", tokens)
ref.put("file/out", model.predict(tokens, verbose=0))
ref.save()
