"""Keras 3.15 outputs and configs of the wrapper/core layers of issue 11
(PReLU, TimeDistributed, ActivityRegularization, Identity), with the
weights stored so torkeras can load the same ones, plus a .keras file
written by Keras with TimeDistributed and PReLU (stored as bytes, with an
input batch and Keras's predictions)."""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()
L = keras.layers

# PReLU: name -> (kwargs, input shape)
PRELU = {
    "default": ({}, (3, 4)),
    "shared1": ({"shared_axes": [1]}, (2, 3, 4)),
    "shared12": ({"shared_axes": [1, 2]}, (2, 3, 2, 4)),
    "shared_int": ({"shared_axes": 2}, (2, 3, 4)),
}
for name, (kwargs, shape) in PRELU.items():
    x = ref.rng.standard_normal(shape).astype("float32")
    layer = L.PReLU(**kwargs)
    layer.build(shape)
    alpha = ref.rng.standard_normal(tuple(layer.alpha.shape)).astype("float32")
    layer.set_weights([alpha])
    ref.put(f"prelu/{name}/x", x)
    ref.put(f"prelu/{name}/kwargs", json.dumps(kwargs))
    ref.put(f"prelu/{name}/alpha", alpha)
    ref.put(f"prelu/{name}/out", layer(x))
    ref.put(f"prelu/{name}/config", json.dumps(layer.get_config()))

# TimeDistributed(Dense) and TimeDistributed(Conv1D)
TD = {
    "dense": ("Dense", {"units": 3, "activation": "tanh"}, (2, 4, 5)),
    "dense4d": ("Dense", {"units": 2}, (2, 3, 2, 4)),
    "conv1d": ("Conv1D", {"filters": 2, "kernel_size": 2}, (2, 3, 5, 3)),
}
for name, (cls, kwargs, shape) in TD.items():
    x = ref.rng.standard_normal(shape).astype("float32")
    layer = L.TimeDistributed(getattr(L, cls)(**kwargs))
    layer.build(shape)
    weights = [ref.rng.standard_normal(tuple(w.shape)).astype("float32")
               for w in layer.weights]
    layer.set_weights(weights)
    ref.put(f"td/{name}/x", x)
    ref.put(f"td/{name}/class", cls)
    ref.put(f"td/{name}/kwargs", json.dumps(kwargs))
    for i, w in enumerate(weights):
        ref.put(f"td/{name}/w{i}", w)
    ref.put(f"td/{name}/out", layer(x))
    ref.put(f"td/{name}/shape", np.array(layer.compute_output_shape((None,) + shape[1:])[1:]))
    ref.put(f"td/{name}/config", json.dumps(layer.get_config()))

# ActivityRegularization: the loss it adds
for name, (l1, l2) in {"l1": (0.1, 0.0), "l2": (0.0, 0.3), "both": (0.05, 0.2)}.items():
    x = ref.rng.standard_normal((4, 3)).astype("float32")
    layer = L.ActivityRegularization(l1=l1, l2=l2)
    out = layer(x)
    ref.put(f"actreg/{name}/x", x)
    ref.put(f"actreg/{name}/l1", np.float64(l1))
    ref.put(f"actreg/{name}/l2", np.float64(l2))
    ref.put(f"actreg/{name}/out", out)
    ref.put(f"actreg/{name}/loss", layer.losses[0])
    ref.put(f"actreg/{name}/config", json.dumps(layer.get_config()))

# ReversibleEmbedding: forward lookup and reverse projection with given weights
REMB = {
    "tied": {"input_dim": 7, "output_dim": 4},
    "untied": {"input_dim": 6, "output_dim": 3, "tie_weights": False},
    "softcap": {"input_dim": 5, "output_dim": 4, "logit_soft_cap": 0.5, "mask_zero": True},
}
for name, kwargs in REMB.items():
    layer = L.ReversibleEmbedding(**kwargs)
    layer.build()
    weights = [ref.rng.standard_normal(tuple(w.shape)).astype("float32")
               for w in layer.weights]
    layer.set_weights(weights)
    ids = ref.rng.integers(0, kwargs["input_dim"], size=(2, 3)).astype("int32")
    hidden = ref.rng.standard_normal((2, 3, kwargs["output_dim"])).astype("float32")
    ref.put(f"remb/{name}/kwargs", json.dumps(kwargs))
    for i, w in enumerate(weights):
        ref.put(f"remb/{name}/w{i}", w)
    ref.put(f"remb/{name}/ids", ids)
    ref.put(f"remb/{name}/hidden", hidden)
    ref.put(f"remb/{name}/forward", layer(ids))
    ref.put(f"remb/{name}/reverse", layer(hidden, reverse=True))
    ref.put(f"remb/{name}/config", json.dumps(layer.get_config()))

ref.put("identity/config", json.dumps(L.Identity(name="ident").get_config()))

# A .keras file written by Keras: TimeDistributed(Dense) after PReLU.
inputs = keras.Input((4, 3))
h = L.PReLU(alpha_initializer="random_normal", shared_axes=[1])(inputs)
h = L.TimeDistributed(L.Dense(5, activation="relu"))(h)
h = L.Identity()(h)
outputs = L.TimeDistributed(L.Dense(2))(h)
model = keras.Model(inputs, outputs)
xb = ref.rng.standard_normal((3, 4, 3)).astype("float32")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
    ref.put("file/x", xb)
    ref.put("file/out", model.predict(xb, verbose=0))
# A .keras file written by Keras with Lambda layers (a Python lambda with a
# default, an output_shape, and `arguments`).
def scale(t, factor=1.0):
    return t * factor


inputs = keras.Input((3,))
h = L.Lambda(lambda t, k=3.0: t * k - 1.0, name="lam")(inputs)
h = L.Lambda(lambda t: t[:, :2], output_shape=(2,), name="cut")(h)
outputs = L.Dense(2, name="head")(h)
lmodel = keras.Model(inputs, outputs)
xl = ref.rng.standard_normal((2, 3)).astype("float32")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "lambda.keras")
    lmodel.save(path)
    with open(path, "rb") as f:
        ref.put("lambda_file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
    ref.put("lambda_file/x", xl)
    ref.put("lambda_file/out", lmodel.predict(xl, verbose=0))
ref.put("lambda/config", json.dumps(lmodel.get_layer("cut").get_config()))
# A .keras file written by Keras with a TorchModuleWrapper (Linear + BatchNorm1d,
# trained one epoch so the running statistics are not the initial ones).
import torch  # noqa: E402

torch.manual_seed(0)
tinputs = keras.Input((3,))
wrapped = L.TorchModuleWrapper(torch.nn.Sequential(torch.nn.Linear(3, 4),
                                                   torch.nn.BatchNorm1d(4)), name="torch_block",
                               output_shape=(None, 4))
toutputs = L.Dense(2, name="head")(wrapped(tinputs))
tmodel = keras.Model(tinputs, toutputs)
tmodel.compile(optimizer="sgd", loss="mse")
xt = ref.rng.standard_normal((8, 3)).astype("float32")
tmodel.fit(xt, ref.rng.standard_normal((8, 2)).astype("float32"), epochs=1, batch_size=8,
           verbose=0)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "torch.keras")
    tmodel.save(path)
    with open(path, "rb") as f:
        ref.put("torch_file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
    ref.put("torch_file/x", xt)
    ref.put("torch_file/out", tmodel.predict(xt, verbose=0))
ref.save()
