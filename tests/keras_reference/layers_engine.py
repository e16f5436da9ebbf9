"""Keras 3.15 reference for the engine behaviours of issue 11 (F): the
masking guide's model (Embedding(mask_zero) -> Dense -> a custom layer that
needs the mask in call) with stored weights, and fit() of models whose only
losses come from add_loss / an activity regularizer (losses of two epochs of
full-batch SGD from stored weights)."""
from refkit import Reference, keras, np

ref = Reference()
L, ops = keras.layers, keras.ops


class MaskedSoftmax(L.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        assert mask is not None
        m = ops.expand_dims(ops.cast(mask, "float32"), -1)
        e = ops.exp(inputs - ops.max(inputs, axis=1, keepdims=True)) * m
        return e / ops.sum(e, axis=1, keepdims=True)


tokens = np.array([[1, 2, 3, 0, 0], [4, 0, 0, 0, 0], [5, 6, 7, 8, 9]], "int32")
inputs = keras.Input(shape=(None,), dtype="int32")
x = L.Embedding(input_dim=10, output_dim=3, mask_zero=True)(inputs)
x = L.Dense(1)(x)
model = keras.Model(inputs, MaskedSoftmax()(x))
weights = [ref.rng.standard_normal(tuple(w.shape)).astype("float32") for w in model.weights]
model.set_weights(weights)
ref.put("mask/tokens", tokens)
for i, w in enumerate(weights):
    ref.put(f"mask/w{i}", w)
ref.put("mask/out", model(tokens))


class SquarePenalty(L.Layer):
    def call(self, x):
        self.add_loss(ops.mean(ops.square(x)))
        return x


data = ref.rng.standard_normal((16, 3)).astype("float32")
ref.put("fit/x", data)

inputs = keras.Input((3,))
model = keras.Model(inputs, SquarePenalty()(L.Dense(2)(inputs)))
weights = [ref.rng.standard_normal(tuple(w.shape)).astype("float32") for w in model.weights]
model.set_weights(weights)
model.compile(optimizer=keras.optimizers.SGD(0.1))
history = model.fit(data, epochs=2, batch_size=16, shuffle=False, verbose=0)
for i, w in enumerate(weights):
    ref.put(f"fit/add_loss/w{i}", w)
ref.put("fit/add_loss/loss", np.array(history.history["loss"], "float32"))

model = keras.Sequential([keras.Input((3,)),
                          L.Dense(2, activity_regularizer=keras.regularizers.L2(0.5))])
weights = [ref.rng.standard_normal(tuple(w.shape)).astype("float32") for w in model.weights]
model.set_weights(weights)
model.compile(optimizer=keras.optimizers.SGD(0.1))
history = model.fit(data, epochs=2, batch_size=16, shuffle=False, verbose=0)
for i, w in enumerate(weights):
    ref.put(f"fit/activity/w{i}", w)
ref.put("fit/activity/loss", np.array(history.history["loss"], "float32"))
ref.save()
