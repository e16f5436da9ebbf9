"""int8 quantization (Model.quantize / Layer.quantize, Keras 3.15's "int8")."""
import os

import numpy as np
import pytest
import torch

import torkeras as keras

import keras_reference as kr

L = keras.layers


def np_abs_max(x, axis):
    """Independent NumPy abs-max int8 quantization: (int8 values, scale)."""
    scale = np.float32(127) / (np.max(np.abs(x), axis=axis, keepdims=True) + np.float32(1e-7))
    scale = scale.astype(np.float32)
    q = np.clip(np.round(x * scale), -127, 127).astype(np.int8)
    return q, scale


def out(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def test_dense_int8_numbers_match_numpy():
    rng = np.random.default_rng(0)
    layer = L.Dense(3, activation="relu")
    layer.build((None, 5))
    k = rng.standard_normal((5, 3)).astype("float32")
    b = rng.standard_normal(3).astype("float32")
    layer.set_weights([k, b])
    layer.quantize("int8")
    qk, ks = np_abs_max(k, 0)
    np.testing.assert_array_equal(out(layer._kernel.value), qk)
    np.testing.assert_allclose(out(layer.kernel_scale.value), ks[0], rtol=1e-7)
    x = rng.standard_normal((4, 5)).astype("float32")
    qx, xs = np_abs_max(x, -1)
    expected = np.maximum((qx.astype(np.int64) @ qk.astype(np.int64)).astype(np.float32)
                          / (ks * xs) + b, 0)
    np.testing.assert_allclose(out(layer(x)), expected, rtol=1e-6, atol=1e-6)
    # close to the float layer
    np.testing.assert_allclose(out(layer(x)), np.maximum(x @ k + b, 0), atol=0.1)
    assert layer.dtype_policy.name == "int8_from_float32"
    assert [(w.name, w.dtype, w.trainable) for w in layer.weights] == [
        ("bias", "float32", True), ("kernel", "int8", False), ("kernel_scale", "float32", False)]
    assert layer.trainable_weights == [layer.bias]


def test_einsum_and_embedding_numbers_match_numpy():
    rng = np.random.default_rng(1)
    layer = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
    layer.build((None, 3, 6))
    k = rng.standard_normal((6, 2, 4)).astype("float32")
    b = rng.standard_normal((2, 4)).astype("float32")
    layer.set_weights([k, b])
    layer.quantize("int8")
    qk, ks = np_abs_max(k, 0)                  # (1, 2, 4): per output channel
    assert tuple(layer.kernel_scale.shape) == (1, 1, 2, 4)
    np.testing.assert_allclose(out(layer.kernel_scale.value)[0], ks, rtol=1e-7)
    x = rng.standard_normal((2, 3, 6)).astype("float32")
    qx, xs = np_abs_max(x, -1)                 # (2, 3, 1)
    prod = np.einsum("abc,cde->abde", qx.astype(np.int64), qk.astype(np.int64))
    expected = prod.astype(np.float32) / (xs[..., None] * ks[None]) + b
    np.testing.assert_allclose(out(layer(x)), expected, rtol=1e-6, atol=1e-6)

    emb = L.Embedding(7, 3)
    emb.build()
    table = rng.standard_normal((7, 3)).astype("float32")
    emb.set_weights([table])
    emb.quantize("int8")
    qt, ts = np_abs_max(table, -1)
    ids = np.array([[0, 6, 2], [3, 3, 1]])
    np.testing.assert_allclose(out(emb(ids)), qt[ids].astype(np.float32) / ts[ids],
                               rtol=1e-6)
    assert [(w.name, tuple(w.shape), w.dtype) for w in emb.weights] == [
        ("embeddings", (7, 3), "int8"), ("embeddings_scale", (7,), "float32")]


def test_straight_through_gradient_uses_dequantized_kernel():
    layer = L.Dense(2, use_bias=False)
    layer.build((None, 3))
    k = np.array([[0.5, -1.0], [0.25, 2.0], [-0.75, 0.1]], "float32")
    layer.set_weights([k])
    layer.quantize("int8")
    x = torch.tensor([[1.0, -2.0, 0.5]], requires_grad=True)
    y = layer(x)
    y.sum().backward()
    deq = out(layer._kernel.value).astype(np.float32) / out(layer.kernel_scale.value)
    np.testing.assert_allclose(x.grad.numpy(), deq.sum(axis=1)[None], rtol=1e-6)
    with torch.no_grad():
        np.testing.assert_array_equal(out(layer(x)), out(y))


def test_errors():
    d = L.Dense(2)
    with pytest.raises(ValueError, match="isn't yet built"):
        d.quantize("int8")
    d.build((None, 3))
    with pytest.raises(ValueError, match="Invalid quantization mode.*Received: mode=int2"):
        d.quantize("int2")
    for mode in ("int4", "float8", "gptq", "awq"):
        with pytest.raises(NotImplementedError, match=f"'{mode}' is not implemented.*only 'int8'"):
            d.quantize(mode)
    d.quantize("int8")
    with pytest.raises(ValueError, match="already quantized with dtype_policy='int8_from_float32'"):
        d.quantize("int8")
    with pytest.raises(NotImplementedError, match="LoRA"):
        d.enable_lora(2)

    class MyDense(L.Dense):
        pass
    sub = MyDense(2)
    sub.build((None, 3))
    with pytest.raises(NotImplementedError, match="MyDense does not have a `quantize`"):
        sub.quantize("int8")
    model = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    with pytest.raises(ValueError, match="either `mode` or `config`"):
        model.quantize()
    with pytest.raises(NotImplementedError, match="'int4' is not implemented"):
        model.quantize("int4")
    with pytest.raises(ValueError, match="quantization_config"):
        L.Dense(2, quantization_config={"class_name": "Int4QuantizationConfig"})
    with pytest.raises(NotImplementedError, match="'int4'.*not implemented"):
        L.Dense(2, dtype="int4_from_float32").build((None, 3))


def test_filters_and_round_trip(tmp_path):
    rng = np.random.default_rng(2)
    inp = keras.Input((4,), dtype="int32")
    h = L.Embedding(10, 6, name="emb")(inp)
    h = L.Dense(5, activation="relu", name="hidden")(h)
    model = keras.Model(inp, L.Dense(2, name="head")(h))
    model.set_weights([rng.standard_normal(w.shape).astype("float32")
                       for w in model.get_weights()])
    x = rng.integers(0, 10, (3, 4))
    model.quantize("int8", filters=["hidden", "head"])
    assert model.get_layer("emb").quantization_mode is None
    assert model.get_layer("head").quantization_mode == "int8"
    model.quantize("int8", filters=lambda layer: layer.name == "emb")
    assert model.get_layer("emb").dtype_policy.name == "int8_from_float32"
    y = model.predict(x, verbose=0)
    path = str(tmp_path / "q.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), y)
    assert [(w.path, w.dtype) for w in loaded.weights] == [(w.path, w.dtype)
                                                           for w in model.weights]
    cfg = loaded.get_layer("head").get_config()
    assert cfg["dtype"]["class_name"] == "QuantizedDTypePolicy"
    assert cfg["quantization_config"]["class_name"] == "Int8QuantizationConfig"
    wpath = str(tmp_path / "q.weights.h5")
    model.save_weights(wpath)
    fresh = keras.Model.from_config(model.get_config())
    fresh.load_weights(wpath)
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), y)
    # training after quantization updates the float biases only
    model.compile("sgd", "mse")
    before = out(model.get_layer("head")._kernel.value).copy()
    model.fit(x, np.ones((3, 4, 2), "float32"), epochs=1, verbose=0)
    np.testing.assert_array_equal(out(model.get_layer("head")._kernel.value), before)


def test_large_contraction_is_exact():
    # 2000 terms of 127*127 overflow float32's 24-bit mantissa: the product
    # must still be exact (computed in float64 then).
    layer = L.Dense(1, use_bias=False)
    layer.build((None, 2000))
    layer.set_weights([np.full((2000, 1), 1.0, "float32")])
    layer.quantize("int8")
    x = np.ones((1, 2000), "float32")
    x[0, 0] = 1.0 + 2 ** -20
    qx, xs = np_abs_max(x, -1)
    qk, ks = np_abs_max(np.full((2000, 1), 1.0, "float32"), 0)
    exact = int((qx.astype(np.int64) @ qk.astype(np.int64))[0, 0])
    assert exact > 2 ** 24
    expected = np.float32(exact) / (ks * xs)
    np.testing.assert_allclose(out(layer(x)), expected, rtol=1e-6)


CASES = ["dense", "dense_3d", "einsum", "einsum_two_reduced", "embedding"]


def _build(name):
    if name == "dense":
        x = keras.Input((5,))
        return keras.Model(x, L.Dense(3)(L.Dense(4, activation="relu")(x)))
    if name == "dense_3d":
        x = keras.Input((3, 6))
        return keras.Model(x, L.Dense(4, use_bias=False)(x))
    if name == "einsum":
        x = keras.Input((3, 6))
        return keras.Model(x, L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4),
                                            bias_axes="de")(x))
    if name == "einsum_two_reduced":
        x = keras.Input((3, 2, 4))
        return keras.Model(x, L.EinsumDense("abcd,cde->abe", output_shape=(None, 5))(x))
    x = keras.Input((4,), dtype="int32")
    return keras.Model(x, L.Dense(2)(L.Embedding(10, 6)(x)))


@pytest.mark.parametrize("name", CASES)
def test_matches_keras(name, tmp_path):
    ref = kr.load("quantize")
    model = _build(name)
    n = int(ref[f"{name}/n_weights"])
    model.set_weights([ref[f"{name}/float_weight/{i}"] for i in range(n)])
    x = ref[f"{name}/x"]
    kr.assert_matches(model.predict(x, verbose=0), ref[f"{name}/float_out"], rtol=1e-5,
                      atol=1e-5, what="float")
    model.quantize("int8")
    qn = int(ref[f"{name}/n_qweights"])
    got = model.get_weights()
    assert len(got) == qn
    for i in range(qn):
        kr.assert_matches(got[i], ref[f"{name}/q_weight/{i}"], what=f"q_weight {i}")
        assert got[i].dtype == ref[f"{name}/q_weight/{i}"].dtype
    # (layer names differ with the auto-naming counters; the variables match)
    assert [w.path.split("/")[-1] for w in model.weights] == [
        p.split("/")[-1] for p in ref[f"{name}/q_paths"]]
    kr.assert_matches(model.predict(x, verbose=0), ref[f"{name}/q_out"], rtol=1e-5,
                      atol=1e-5, what="quantized")
    # Keras's .keras file of the quantized model loads and predicts the same
    path = str(tmp_path / "keras.keras")
    with open(path, "wb") as f:
        f.write(ref[f"{name}/file"].tobytes())
    loaded = keras.saving.load_model(path)
    kr.assert_matches(loaded.predict(x, verbose=0), ref[f"{name}/q_out"], rtol=1e-5,
                      atol=1e-5, what="loaded")
    assert all(w.dtype == g.dtype for w, g in zip(loaded.get_weights(), got))


def test_keras_loads_torkeras_quantized_file(tmp_path):
    """The other direction: a quantized model torkeras writes loads in real
    Keras 3.15 (run in .venv-keras) and predicts the same."""
    import subprocess
    python = kr.keras_python()
    rng = np.random.default_rng(3)
    inp = keras.Input((3, 6))
    h = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")(inp)
    h = L.Dense(3)(L.Reshape((3, 8))(h))
    model = keras.Model(inp, h)
    model.set_weights([rng.standard_normal(w.shape).astype("float32")
                       for w in model.get_weights()])
    model.quantize("int8")
    x = rng.standard_normal((2, 3, 6)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    model.save(str(tmp_path / "m.keras"))
    script = (
        "import sys, numpy as np, keras\n"
        "d = sys.argv[1]\n"
        "m = keras.saving.load_model(d + '/m.keras')\n"
        "np.save(d + '/y.npy', m.predict(np.load(d + '/x.npy'), verbose=0))\n"
        "print(' '.join(f'{w.name}:{w.dtype}' for w in m.weights))\n")
    env = dict(os.environ, KERAS_BACKEND="torch", CUDA_VISIBLE_DEVICES="")
    env.pop("PYTHONHOME", None)
    env.pop("PYTHONPATH", None)
    result = subprocess.run([python, "-c", script, str(tmp_path)], capture_output=True,
                            text=True, timeout=600, env=env, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["bias:float32", "kernel:int8", "kernel_scale:float32",
                                     "bias:float32", "kernel:int8", "kernel_scale:float32"]
    kr.assert_matches(np.load(tmp_path / "y.npy"), model.predict(x, verbose=0), rtol=1e-5,
                      atol=1e-5, what="Keras on torkeras's file")


def test_ellipsis_equation_and_bfloat16_policy():
    # Keras 3.15 cannot quantize ellipsis equations (a TypeError); torkeras can.
    rng = np.random.default_rng(4)
    layer = L.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c")
    layer.build((None, 2, 3, 5))
    k = rng.standard_normal((5, 4)).astype("float32")
    layer.set_weights([k, np.zeros(4, "float32")])
    layer.quantize("int8")
    assert tuple(layer.kernel_scale.shape) == (1, 1, 1, 4)
    x = rng.standard_normal((2, 2, 3, 5)).astype("float32")
    qk, ks = np_abs_max(k, 0)
    qx, xs = np_abs_max(x, -1)
    expected = (qx.astype(np.int64) @ qk.astype(np.int64)).astype(np.float32) / (xs * ks)
    np.testing.assert_allclose(out(layer(x)), expected, rtol=1e-6, atol=1e-6)

    bf = L.Dense(3, dtype="mixed_bfloat16")
    bf.build((None, 4))
    bf.quantize("int8")
    assert bf.dtype_policy.name == "int8_from_mixed_bfloat16"
    y = bf(np.ones((2, 4), "float32"))
    assert y.dtype == torch.bfloat16
    assert bf.kernel_scale.dtype == "float32"


def test_multi_head_attention_matches_keras():
    ref = kr.load("quantize")
    inp = keras.Input((4, 8))
    model = keras.Model(inp, L.MultiHeadAttention(2, 4)(inp, inp))
    n = int(ref["mha/n_weights"])
    model.set_weights([ref[f"mha/float_weight/{i}"] for i in range(n)])
    model.quantize("int8")
    assert [w.path.split("/", 1)[1] for w in model.weights] == [
        p.split("/", 1)[1] for p in ref["mha/q_paths"]]
    kr.assert_matches(model.predict(ref["mha/x"], verbose=0), ref["mha/q_out"], rtol=1e-5,
                      atol=1e-5, what="quantized MultiHeadAttention")
