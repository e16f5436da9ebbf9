"""Keras references for the recurrent additions of issue 11: RNN over
StackedRNNCells([LSTMCell, GRUCell]) with given weights (outputs and the
nested final states), its get_config, and a Keras-written .keras file."""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()
x = ref.rng.standard_normal((2, 5, 3)).astype("float32")
ref.put("stacked/x", x)


def stacked_model(go_backwards):
    inp = keras.Input((5, 3))
    cells = [keras.layers.LSTMCell(4), keras.layers.GRUCell(2)]
    rnn = keras.layers.RNN(cells, return_sequences=True, return_state=True,
                           go_backwards=go_backwards)
    out, (h1, c1), h2 = rnn(inp)
    return keras.Model(inp, [out, h1, c1, h2]), rnn


for back in (False, True):
    model, rnn = stacked_model(back)
    key = f"stacked_back{int(back)}"
    for i, w in enumerate(rnn.weights):
        value = (ref.rng.standard_normal(w.shape) * 0.5).astype("float32")
        w.assign(value)
        ref.put(f"{key}/w{i}", value)
    for name, value in zip(("out", "h1", "c1", "h2"), model(x)):
        ref.put(f"{key}/{name}", value)

ref.put("stacked/weight_paths", [w.path for w in rnn.weights])
config = rnn.get_config()
ref.put("stacked/config_keys", sorted(config))
ref.put("stacked/cell_class", config["cell"]["class_name"])
ref.put("stacked/cells_classes", [c["class_name"] for c in config["cell"]["config"]["cells"]])

# A Keras-written .keras file with a stacked-cell RNN.
model, rnn = stacked_model(False)
for w in rnn.weights:
    w.assign((ref.rng.standard_normal(w.shape) * 0.5).astype("float32"))
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
for name, value in zip(("out", "h1", "c1", "h2"), model(x)):
    ref.put(f"file/{name}", value)

# ConvLSTM1D/2D/3D with given weights: (name, rank, input shape, kwargs).
CONV_CASES = [
    ("c1_valid", 1, (2, 3, 7, 2), dict(filters=3, kernel_size=3)),
    ("c1_same_back", 1, (2, 3, 6, 2), dict(filters=2, kernel_size=2, padding="same",
                                           go_backwards=True)),
    ("c1_dilated", 1, (2, 3, 8, 2), dict(filters=2, kernel_size=3, dilation_rate=2)),
    ("c2_same", 2, (2, 3, 5, 4, 2), dict(filters=3, kernel_size=3, padding="same")),
    ("c2_strided", 2, (2, 3, 6, 5, 2), dict(filters=2, kernel_size=(3, 2), strides=2,
                                            padding="same")),
    ("c2_first_nobias", 2, (2, 3, 2, 5, 4), dict(filters=2, kernel_size=2,
                                                 data_format="channels_first", use_bias=False,
                                                 activation="relu")),
    ("c3_valid", 3, (1, 2, 4, 3, 4, 2), dict(filters=2, kernel_size=2)),
]
layer_classes = {1: keras.layers.ConvLSTM1D, 2: keras.layers.ConvLSTM2D,
                 3: keras.layers.ConvLSTM3D}
for name, rank, shape, kwargs in CONV_CASES:
    layer = layer_classes[rank](return_sequences=True, return_state=True, **kwargs)
    x = ref.rng.standard_normal(shape).astype("float32")
    layer.build(shape)
    ref.put(f"{name}/x", x)
    for i, w in enumerate(layer.weights):
        value = (ref.rng.standard_normal(w.shape) * 0.4).astype("float32")
        w.assign(value)
        ref.put(f"{name}/w{i}", value)
    seq, h, c = layer(x)
    ref.put(f"{name}/seq", seq)
    ref.put(f"{name}/h", h)
    ref.put(f"{name}/c", c)
    ref.put(f"{name}/weight_shapes", [str(tuple(w.shape)) for w in layer.weights])
    config = {k: v for k, v in layer.get_config().items() if k not in ("name", "dtype")}
    ref.put(f"{name}/config_json", json.dumps(config, sort_keys=True, default=str))

# A Keras-written .keras file with a ConvLSTM2D.
inp = keras.Input((3, 5, 4, 2))
conv = keras.layers.ConvLSTM2D(3, 3, padding="same", return_sequences=True)
model = keras.Model(inp, keras.layers.ConvLSTM2D(2, 2)(conv(inp)))
for w in model.weights:
    w.assign((ref.rng.standard_normal(w.shape) * 0.4).astype("float32"))
x = ref.rng.standard_normal((2, 3, 5, 4, 2)).astype("float32")
ref.put("convfile/x", x)
ref.put("convfile/out", model(x))
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "conv.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("convfile/bytes", np.frombuffer(f.read(), dtype=np.uint8))
ref.save()
