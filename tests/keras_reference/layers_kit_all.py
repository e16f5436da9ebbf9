"""Keras side of tests/python/test_keras_layers_kit_all.py: fixes found by the
layer test kit (Softmax's mask rule, LayerNormalization's rms_scaling)."""
from refkit import Reference, keras, np

ref = Reference()

# Softmax with a mask: boolean (one row fully masked), numeric, broadcast.
x = ref.rng.standard_normal((2, 3, 4)).astype("float32")
mask = ref.rng.random((2, 3, 4)) > 0.4
mask[1, 2] = False
ref.put("softmax_bool/x", x)
ref.put("softmax_bool/mask", mask)
ref.put("softmax_bool/out", keras.layers.Softmax()(x, mask=mask))
fmask = ref.rng.random((2, 3, 4)).astype("float32")
ref.put("softmax_float/mask", fmask)
ref.put("softmax_float/out", keras.layers.Softmax(axis=1)(x, mask=fmask))
bmask = ref.rng.random((3, 1)) > 0.5
ref.put("softmax_broadcast/mask", bmask)
ref.put("softmax_broadcast/out", keras.layers.Softmax(axis=(1, 2))(x, mask=bmask))

# LayerNormalization(rms_scaling=True) with a non-trivial gamma.
ln = keras.layers.LayerNormalization(rms_scaling=True)
ln.build((2, 3, 4))
gamma = ref.rng.standard_normal((4,)).astype("float32")
ln.set_weights([gamma])
ref.put("ln_rms/gamma", gamma)
ref.put("ln_rms/out", ln(x))
ref.put("ln_rms/n_weights", np.array(len(ln.weights)))
ref.save()
