"""Keras references for the recurrent additions of issue 11: RNN over
StackedRNNCells([LSTMCell, GRUCell]) with given weights (outputs and the
nested final states), its get_config, and a Keras-written .keras file."""
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
ref.save()
