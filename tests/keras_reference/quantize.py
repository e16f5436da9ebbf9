"""Keras side of tests/python/test_quantize.py: int8 quantization.

For each case real Keras 3 builds a small Functional model, gives its float
weights fixed random values (stored), predicts, calls
`model.quantize("int8")`, and stores the quantized weights (int8 kernels and
scales, in `model.get_weights()` order), the quantized prediction and the
bytes of the `.keras` file it writes for the quantized model. (Keras 3.15
cannot quantize an EinsumDense whose equation has an ellipsis -- it fails
with a TypeError -- so no such case is here.)
"""
import os
import tempfile

from refkit import Reference, keras, np

L = keras.layers
ref = Reference()


def dense():
    x = keras.Input((5,))
    h = L.Dense(4, activation="relu")(x)
    return keras.Model(x, L.Dense(3)(h)), (6, 5), False


def dense_3d():
    x = keras.Input((3, 6))
    return keras.Model(x, L.Dense(4, use_bias=False)(x)), (2, 3, 6), False


def einsum():
    x = keras.Input((3, 6))
    y = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")(x)
    return keras.Model(x, y), (2, 3, 6), False


def einsum_two_reduced():
    x = keras.Input((3, 2, 4))
    y = L.EinsumDense("abcd,cde->abe", output_shape=(None, 5))(x)
    return keras.Model(x, y), (2, 3, 2, 4), False


def embedding():
    x = keras.Input((4,), dtype="int32")
    h = L.Embedding(10, 6)(x)
    return keras.Model(x, L.Dense(2)(h)), (3, 4), True


for name, factory in [("dense", dense), ("dense_3d", dense_3d), ("einsum", einsum),
                      ("einsum_two_reduced", einsum_two_reduced), ("embedding", embedding)]:
    model, xshape, ids = factory()
    weights = [ref.rng.standard_normal(w.shape).astype("float32") for w in model.get_weights()]
    model.set_weights(weights)
    if ids:
        x = ref.rng.integers(0, 10, size=xshape).astype("int32")
    else:
        x = ref.rng.standard_normal(xshape).astype("float32")
    ref.put(f"{name}/x", x)
    ref.put(f"{name}/n_weights", np.array(len(weights)))
    for i, w in enumerate(weights):
        ref.put(f"{name}/float_weight/{i}", w)
    ref.put(f"{name}/float_out", model.predict(x, verbose=0))
    model.quantize("int8")
    qweights = model.get_weights()
    ref.put(f"{name}/n_qweights", np.array(len(qweights)))
    for i, w in enumerate(qweights):
        ref.put(f"{name}/q_weight/{i}", w)
    ref.put(f"{name}/q_paths", np.array([w.path for w in model.weights]))
    ref.put(f"{name}/q_out", model.predict(x, verbose=0))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.keras")
        model.save(path)
        with open(path, "rb") as f:
            ref.put(f"{name}/file", np.frombuffer(f.read(), dtype=np.uint8))

# MultiHeadAttention: Model.quantize reaches its EinsumDense projections.
# (Keras 3.15 cannot reload its own quantized MultiHeadAttention from a
# .keras file -- the layer's config keeps the float policy -- so only the
# outputs are compared.)
inp = keras.Input((4, 8))
model = keras.Model(inp, L.MultiHeadAttention(2, 4)(inp, inp))
weights = [ref.rng.standard_normal(w.shape).astype("float32") for w in model.get_weights()]
model.set_weights(weights)
ref.put("mha/n_weights", np.array(len(weights)))
for i, w in enumerate(weights):
    ref.put(f"mha/float_weight/{i}", w)
x = ref.put("mha/x", ref.rng.standard_normal((2, 4, 8)).astype("float32"))
model.quantize("int8")
ref.put("mha/q_out", model.predict(x, verbose=0))
ref.put("mha/q_paths", np.array([w.path for w in model.weights]))
ref.save()
