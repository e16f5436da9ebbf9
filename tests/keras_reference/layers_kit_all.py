"""Keras side of tests/python/test_keras_layers_kit_all.py: fixes found by the
layer test kit (Softmax's mask rule, LayerNormalization's rms_scaling)."""
import json

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

# get_config() of every pre-issue-11 layer with its required arguments.
CONFIG_SPECS = {
 "Dense":{"units":3}, "Embedding":{"input_dim":5,"output_dim":2}, "Masking":{}, "Activation":{"activation":"relu"},
 "ReLU":{}, "LeakyReLU":{}, "ELU":{}, "Softmax":{}, "Flatten":{}, "Reshape":{"target_shape":(2,3)}, "Permute":{"dims":(2,1)},
 "RepeatVector":{"n":2}, "Cropping1D":{}, "Cropping2D":{}, "Cropping3D":{}, "ZeroPadding2D":{}, "UpSampling2D":{},
 "Dropout":{"rate":0.1}, "SpatialDropout1D":{"rate":0.1}, "SpatialDropout2D":{"rate":0.1}, "SpatialDropout3D":{"rate":0.1},
 "GaussianDropout":{"rate":0.1}, "GaussianNoise":{"stddev":0.1}, "Add":{}, "Subtract":{}, "Multiply":{}, "Average":{},
 "Maximum":{}, "Minimum":{}, "Concatenate":{}, "Dot":{"axes":1}, "LayerNormalization":{}, "BatchNormalization":{},
 "MaxPooling1D":{}, "MaxPooling2D":{}, "MaxPooling3D":{}, "AveragePooling1D":{"pool_size":2}, "AveragePooling2D":{"pool_size":2}, "AveragePooling3D":{"pool_size":2},
 "GlobalMaxPooling1D":{}, "GlobalAveragePooling1D":{}, "GlobalMaxPooling2D":{}, "GlobalAveragePooling2D":{},
 "GlobalMaxPooling3D":{}, "GlobalAveragePooling3D":{}, "Conv1D":{"filters":2,"kernel_size":2}, "Conv2D":{"filters":2,"kernel_size":2},
 "Conv3D":{"filters":2,"kernel_size":2}, "Conv1DTranspose":{"filters":2,"kernel_size":2}, "Conv2DTranspose":{"filters":2,"kernel_size":2},
 "Conv3DTranspose":{"filters":2,"kernel_size":2}, "DepthwiseConv1D":{"kernel_size":2}, "DepthwiseConv2D":{"kernel_size":2},
 "SeparableConv1D":{"filters":2,"kernel_size":2}, "SeparableConv2D":{"filters":2,"kernel_size":2},
 "SimpleRNN":{"units":2}, "LSTM":{"units":2}, "GRU":{"units":2}, "SimpleRNNCell":{"units":2}, "LSTMCell":{"units":2}, "GRUCell":{"units":2},
}
for name, kwargs in CONFIG_SPECS.items():
    config = getattr(keras.layers, name)(**kwargs).get_config()
    ref.put(f"config/{name}/kwargs", json.dumps(kwargs))
    ref.put(f"config/{name}/config", json.dumps(config, default=str))

# A Functional model around each layer, saved by Keras: torkeras must load the
# file (weight names, order and shapes) and predict the same.
FILE_CASES = {
    "Dense": ({"units": 3}, [(2, 4)]),
    "Embedding": ({"input_dim": 10, "output_dim": 3}, [(2, 4, "int32")]),
    "LayerNormalization": ({}, [(2, 3, 4)]),
    "BatchNormalization": ({}, [(2, 3, 4)]),
    "Conv1D": ({"filters": 2, "kernel_size": 2}, [(2, 5, 3)]),
    "Conv2D": ({"filters": 2, "kernel_size": 2, "groups": 1}, [(1, 4, 4, 3)]),
    "Conv3D": ({"filters": 2, "kernel_size": 2}, [(1, 3, 3, 3, 2)]),
    "Conv1DTranspose": ({"filters": 2, "kernel_size": 2, "strides": 2}, [(2, 3, 3)]),
    "Conv2DTranspose": ({"filters": 2, "kernel_size": 3, "padding": "same"}, [(1, 3, 3, 2)]),
    "Conv3DTranspose": ({"filters": 2, "kernel_size": 2}, [(1, 2, 2, 2, 2)]),
    "DepthwiseConv1D": ({"kernel_size": 2, "depth_multiplier": 2}, [(2, 5, 3)]),
    "DepthwiseConv2D": ({"kernel_size": 2, "depth_multiplier": 2}, [(1, 4, 4, 3)]),
    "SeparableConv1D": ({"filters": 2, "kernel_size": 2}, [(2, 5, 3)]),
    "SeparableConv2D": ({"filters": 2, "kernel_size": 2, "depth_multiplier": 2}, [(1, 4, 4, 3)]),
    "SimpleRNN": ({"units": 3}, [(2, 4, 2)]),
    "LSTM": ({"units": 3, "return_sequences": True}, [(2, 4, 2)]),
    "GRU": ({"units": 3}, [(2, 4, 2)]),
    "GRU_reset_before": ({"units": 3, "reset_after": False}, [(2, 4, 2)]),
    "Dot": ({"axes": -1, "normalize": True}, [(2, 3, 4), (2, 5, 4)]),
    "Concatenate": ({"axis": 1}, [(2, 3, 2), (2, 1, 2)]),
    "Softmax": ({"axis": 1}, [(2, 3, 4)]),
    "ReLU": ({"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}, [(2, 3)]),
    "MaxPooling2D": ({"pool_size": 2, "padding": "same"}, [(1, 5, 5, 2)]),
    "AveragePooling1D": ({"pool_size": 2, "strides": 1, "padding": "same"}, [(2, 5, 3)]),
}
import os, tempfile  # noqa: E401,E402

for case, (kwargs, shapes) in FILE_CASES.items():
    cls = case.split("_")[0]
    inputs, data = [], []
    for shape in shapes:
        dtype = shape[-1] if isinstance(shape[-1], str) else "float32"
        dims = shape[:-1] if isinstance(shape[-1], str) else shape
        inputs.append(keras.Input(shape=dims[1:], dtype=dtype, batch_size=None))
        if dtype == "int32":
            data.append(ref.rng.integers(0, 10, size=dims).astype("int32"))
        else:
            data.append(ref.rng.standard_normal(dims).astype("float32"))
    layer = getattr(keras.layers, cls)(**kwargs)
    model = keras.Model(inputs, layer(inputs if len(inputs) > 1 else inputs[0]))
    if cls == "BatchNormalization":  # non-trivial moving statistics
        layer.set_weights([ref.rng.standard_normal(w.shape).astype("float32") ** 2
                           for w in layer.get_weights()])
    feed = data if len(data) > 1 else data[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as f:
            ref.put(f"file/{case}/bytes", np.frombuffer(f.read(), dtype=np.uint8))
    for i, d in enumerate(data):
        ref.put(f"file/{case}/x{i}", d)
    ref.put(f"file/{case}/out", model.predict(feed, verbose=0))
    ref.put(f"file/{case}/weights", np.array(
        [f"{w.path}:{tuple(w.shape)}" for w in model.weights]))
ref.save()
