"""Layer configs as Keras 3.15 writes them, and a .keras file written by
Keras 3.15 (tests/python/test_keras_configs.py).

Each case is a constructor call whose keyword arguments are JSON (objects as
their serialized dicts, which both Keras and torkeras accept); the reference
stores `get_config()` as JSON. The model file is stored as bytes with its
inputs and Keras's predictions.
"""
import json
import os
import tempfile

from refkit import Reference, keras, np

ref = Reference()


def obj(class_name, **config):
    return {"class_name": class_name, "config": config}


CALLS = {
    "Dense": ("Dense", dict(units=3)),
    "Dense_full": ("Dense", dict(units=4, activation="relu", use_bias=False,
                                 kernel_initializer=obj("Orthogonal", gain=2.0, seed=1),
                                 kernel_regularizer=obj("L1L2", l1=0.01, l2=0.02),
                                 bias_constraint=obj("NonNeg"), activity_regularizer="l2",
                                 kernel_constraint=obj("MaxNorm", max_value=3, axis=0))),
    "Dense_vs_axes": ("Dense", dict(units=2, kernel_initializer=obj(
        "VarianceScaling", scale=2.0, mode="fan_out", distribution="uniform", seed=3,
        input_axes=[0], output_axes=[1]))),
    "Embedding": ("Embedding", dict(input_dim=5, output_dim=3)),
    "Embedding_full": ("Embedding", dict(input_dim=6, output_dim=2, mask_zero=True,
                                         embeddings_regularizer=obj("OrthogonalRegularizer",
                                                                    factor=0.1, mode="columns"),
                                         embeddings_constraint=obj("UnitNorm", axis=1))),
    "Conv1D": ("Conv1D", dict(filters=2, kernel_size=3)),
    "Conv2D": ("Conv2D", dict(filters=2, kernel_size=3)),
    "Conv2D_full": ("Conv2D", dict(filters=4, kernel_size=(3, 2), strides=2, padding="same",
                                   dilation_rate=1, activation="tanh",
                                   kernel_initializer=obj("HeNormal", seed=5),
                                   bias_initializer=obj("Constant", value=0.1),
                                   kernel_regularizer=obj("L2", l2=0.001))),
    "Conv3D": ("Conv3D", dict(filters=2, kernel_size=3)),
    "Conv1DTranspose": ("Conv1DTranspose", dict(filters=2, kernel_size=3)),
    "Conv2DTranspose": ("Conv2DTranspose", dict(filters=2, kernel_size=3)),
    "Conv3DTranspose": ("Conv3DTranspose", dict(filters=2, kernel_size=3)),
    "DepthwiseConv1D": ("DepthwiseConv1D", dict(kernel_size=3)),
    "DepthwiseConv2D": ("DepthwiseConv2D", dict(kernel_size=3, depth_multiplier=2)),
    "SeparableConv1D": ("SeparableConv1D", dict(filters=2, kernel_size=3)),
    "SeparableConv2D": ("SeparableConv2D", dict(filters=2, kernel_size=3)),
    "BatchNormalization": ("BatchNormalization", {}),
    "BatchNormalization_full": ("BatchNormalization", dict(
        axis=1, momentum=0.9, epsilon=1e-3, center=False,
        gamma_initializer=obj("RandomNormal", mean=1.0, stddev=0.02, seed=2),
        gamma_constraint=obj("MinMaxNorm", min_value=0.5, max_value=1.5, rate=0.5))),
    "LayerNormalization": ("LayerNormalization", dict(epsilon=1e-5)),
    "LSTM": ("LSTM", dict(units=3)),
    "LSTM_full": ("LSTM", dict(units=2, return_sequences=True, dropout=0.1,
                               recurrent_initializer=obj("Orthogonal", seed=4),
                               kernel_initializer=obj("GlorotNormal", seed=6),
                               unit_forget_bias=False)),
    "GRU": ("GRU", dict(units=3)),
    "GRU_full": ("GRU", dict(units=2, reset_after=False, go_backwards=True,
                             bias_initializer=obj("RandomUniform", minval=-0.1, maxval=0.1,
                                                  seed=7))),
    "SimpleRNN": ("SimpleRNN", dict(units=3)),
    "LSTMCell": ("LSTMCell", dict(units=3)),
    "GRUCell": ("GRUCell", dict(units=3)),
    "SimpleRNNCell": ("SimpleRNNCell", dict(units=3)),
    "Activation": ("Activation", dict(activation="relu")),
    "Dropout": ("Dropout", dict(rate=0.5, seed=3)),
    "GaussianDropout": ("GaussianDropout", dict(rate=0.1)),
    "GaussianNoise": ("GaussianNoise", dict(stddev=0.1)),
    "SpatialDropout1D": ("SpatialDropout1D", dict(rate=0.1)),
    "Flatten": ("Flatten", {}),
    "Reshape": ("Reshape", dict(target_shape=[2, 3])),
    "Permute": ("Permute", dict(dims=[2, 1])),
    "RepeatVector": ("RepeatVector", dict(n=2)),
    "Masking": ("Masking", dict(mask_value=-1.0)),
    "ELU": ("ELU", {}), "ReLU": ("ReLU", dict(max_value=6.0)),
    "LeakyReLU": ("LeakyReLU", dict(negative_slope=0.2)), "Softmax": ("Softmax", {}),
    "Add": ("Add", {}), "Concatenate": ("Concatenate", dict(axis=1)),
    "Dot": ("Dot", dict(axes=1, normalize=True)), "Multiply": ("Multiply", {}),
    "Average": ("Average", {}), "Maximum": ("Maximum", {}), "Minimum": ("Minimum", {}),
    "Subtract": ("Subtract", {}),
    "MaxPooling2D": ("MaxPooling2D", dict(pool_size=3, strides=2)),
    "AveragePooling1D": ("AveragePooling1D", dict(pool_size=2, padding="same")),
    "GlobalAveragePooling2D": ("GlobalAveragePooling2D", dict(keepdims=True)),
    "GlobalMaxPooling1D": ("GlobalMaxPooling1D", {}),
    "Cropping2D": ("Cropping2D", dict(cropping=[[1, 0], [0, 2]])),
    "ZeroPadding2D": ("ZeroPadding2D", dict(padding=2)),
    "UpSampling2D": ("UpSampling2D", dict(size=2, interpolation="bilinear")),
    "Cropping1D": ("Cropping1D", dict(cropping=[1, 2])),
    "Cropping3D": ("Cropping3D", {}),
    "MaxPooling1D": ("MaxPooling1D", {}), "MaxPooling3D": ("MaxPooling3D", {}),
    "AveragePooling2D": ("AveragePooling2D", dict(pool_size=2)),
    "AveragePooling3D": ("AveragePooling3D", dict(pool_size=[2, 1, 2])),
    "GlobalAveragePooling1D": ("GlobalAveragePooling1D", {}),
    "GlobalAveragePooling3D": ("GlobalAveragePooling3D", {}),
    "GlobalMaxPooling2D": ("GlobalMaxPooling2D", {}),
    "GlobalMaxPooling3D": ("GlobalMaxPooling3D", {}),
    "SpatialDropout2D": ("SpatialDropout2D", dict(rate=0.2)),
    "SpatialDropout3D": ("SpatialDropout3D", dict(rate=0.3)),
}
ref.put("calls", np.array(json.dumps(CALLS)))
for case, (cls, kwargs) in CALLS.items():
    layer = getattr(keras.layers, cls)(name=f"layer_{case.lower()}", **kwargs)
    ref.put(f"config/{case}", np.array(json.dumps(layer.get_config())))
    ref.put(f"serialized/{case}", np.array(json.dumps(keras.saving.serialize_keras_object(layer))))

# Wrappers: the nested layer's config inside.
ref.put("config/Bidirectional", np.array(json.dumps(keras.layers.Bidirectional(
    keras.layers.LSTM(3, name="l"), merge_mode="sum", name="bi").get_config())))
ref.put("config/RNN", np.array(json.dumps(keras.layers.RNN(
    keras.layers.GRUCell(3, name="c"), return_state=True, name="rnn").get_config())))

# A model file written by Keras 3.15.
inputs = keras.Input((6,), name="features")
tokens = keras.Input((5,), dtype="int32", name="tokens")
x = keras.layers.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01),
                       kernel_initializer=keras.initializers.HeUniform(seed=1),
                       name="dense_in")(inputs)
x = keras.layers.BatchNormalization(name="bn")(x)
x = keras.layers.Dropout(0.2, name="drop")(x)
e = keras.layers.Embedding(10, 4, name="emb")(tokens)
e = keras.layers.LSTM(3, name="lstm")(e)
y = keras.layers.Concatenate(name="concat")([x, e])
img = keras.layers.Reshape((3, 1, 1), name="reshape")(keras.layers.Dense(3, name="to_img")(y))
img = keras.layers.Conv2D(2, (2, 1), padding="same", name="conv",
                          kernel_constraint=keras.constraints.MaxNorm(2.0))(img)
out = keras.layers.Dense(2, activation="softmax", name="out")(keras.layers.Flatten()(img))
model = keras.Model([inputs, tokens], out, name="keras_written")
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
              metrics=["accuracy"])
xf = ref.rng.standard_normal((16, 6)).astype("float32")
xt = ref.rng.integers(0, 10, (16, 5)).astype("int32")
yy = np.eye(2, dtype="float32")[ref.rng.integers(0, 2, 16)]
model.fit([xf, xt], yy, epochs=2, batch_size=8, verbose=0)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.keras")
    model.save(path)
    with open(path, "rb") as f:
        ref.put("file/bytes", np.frombuffer(f.read(), dtype=np.uint8))
ref.put("file/x_features", xf)
ref.put("file/x_tokens", xt)
ref.put("file/predictions", model.predict([xf, xt], verbose=0))

# A Sequential model file, with the initializers' and constraints' configs.
seq = keras.Sequential([keras.Input((4,)),
                        keras.layers.Dense(3, kernel_initializer=keras.initializers.Orthogonal(
                            seed=2), bias_initializer=keras.initializers.Constant(0.25),
                            name="d1"),
                        keras.layers.LayerNormalization(name="ln"),
                        keras.layers.Dense(1, name="d2")], name="seq")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "seq.keras")
    seq.save(path)
    with open(path, "rb") as f:
        ref.put("seqfile/bytes", np.frombuffer(f.read(), dtype=np.uint8))
xs = ref.rng.standard_normal((5, 4)).astype("float32")
ref.put("seqfile/x", xs)
ref.put("seqfile/predictions", seq.predict(xs, verbose=0))
ref.save()
