"""Keras side of the `.keras` file test in tests/python/test_layers_issue11_gaps.py.

For every layer class torkeras had before issue 11 (and the options issue 11
added late: MultiHeadAttention/GroupQueryAttention `use_gate` and
`sliding_window`, EinsumDense `lora_rank`), real Keras 3 builds a small
Functional model around the layer, gives every weight a random value (so a
weight loaded into the wrong place shows), saves the model as a `.keras`
file and predicts on a fixed input. The file bytes, the input(s), the
prediction and the weight paths/shapes of the model Keras loads back from
the file are stored per case; torkeras must load each file, predict the
same and name its weights as Keras does.
"""
import os
import tempfile

from refkit import Reference, keras, np

L = keras.layers
ref = Reference()


def one(layer, xs):
    return layer(xs[0])


def merged(layer, xs):
    return layer(list(xs))


def attend(layer, xs, **kwargs):
    return layer(xs[0], xs[1] if len(xs) > 1 else xs[0], **kwargs)


def qv(layer, xs):
    return layer(list(xs))


def causal(layer, xs):
    return attend(layer, xs, use_causal_mask=True)


def masked_rnn(rnn):
    def call(layer, xs):
        return rnn(layer(xs[0]))
    return call


# case: (layer factory, input shapes (batch first; a trailing "int" = token ids),
#        call)
CASES = {
    # core
    "Dense": (lambda: L.Dense(3, activation="tanh"), [(2, 4)], one),
    "Dense_3d_lora": (lambda: L.Dense(3, lora_rank=2), [(2, 3, 4)], one),
    "Embedding": (lambda: L.Embedding(10, 3), [(2, 4, "int")], one),
    "Embedding_mask_LSTM": (lambda: L.Embedding(10, 3, mask_zero=True), [(2, 5, "int")],
                            masked_rnn(L.LSTM(2))),
    "Masking_SimpleRNN": (lambda: L.Masking(mask_value=0.0), [(2, 4, 3)],
                          masked_rnn(L.SimpleRNN(2))),
    "Activation": (lambda: L.Activation("softplus"), [(2, 4)], one),
    "EinsumDense_lora": (lambda: L.EinsumDense("abc,cde->abde", (None, 2, 3), bias_axes="de",
                                               lora_rank=2, lora_alpha=4), [(2, 3, 4)], one),
    # activations
    "ReLU": (lambda: L.ReLU(max_value=1.5, negative_slope=0.1), [(2, 5)], one),
    "LeakyReLU": (lambda: L.LeakyReLU(negative_slope=0.2), [(2, 5)], one),
    "ELU": (lambda: L.ELU(alpha=0.5), [(2, 5)], one),
    "Softmax": (lambda: L.Softmax(axis=1), [(2, 3, 4)], one),
    "PReLU": (lambda: L.PReLU(shared_axes=[1]), [(2, 3, 4)], one),
    # reshaping
    "Flatten": (lambda: L.Flatten(), [(2, 3, 4)], one),
    "Reshape": (lambda: L.Reshape((2, 6)), [(2, 3, 4)], one),
    "Permute": (lambda: L.Permute((2, 1)), [(2, 3, 4)], one),
    "RepeatVector": (lambda: L.RepeatVector(3), [(2, 4)], one),
    "Cropping1D": (lambda: L.Cropping1D((1, 2)), [(2, 6, 3)], one),
    "Cropping2D": (lambda: L.Cropping2D(((1, 0), (0, 2))), [(1, 4, 5, 2)], one),
    "Cropping3D": (lambda: L.Cropping3D(1), [(1, 4, 4, 4, 2)], one),
    "ZeroPadding1D": (lambda: L.ZeroPadding1D((1, 2)), [(2, 3, 2)], one),
    "ZeroPadding2D": (lambda: L.ZeroPadding2D(((1, 0), (2, 1))), [(1, 3, 3, 2)], one),
    "ZeroPadding3D": (lambda: L.ZeroPadding3D(1), [(1, 2, 2, 2, 2)], one),
    "UpSampling1D": (lambda: L.UpSampling1D(2), [(2, 3, 2)], one),
    "UpSampling2D_bilinear": (lambda: L.UpSampling2D(2, interpolation="bilinear"),
                              [(1, 3, 3, 2)], one),
    "UpSampling3D": (lambda: L.UpSampling3D(2), [(1, 2, 2, 2, 2)], one),
    # regularization (identity in predict; the config must round-trip)
    "Dropout": (lambda: L.Dropout(0.3), [(2, 4)], one),
    "SpatialDropout1D": (lambda: L.SpatialDropout1D(0.3), [(2, 3, 4)], one),
    "SpatialDropout2D": (lambda: L.SpatialDropout2D(0.3), [(1, 3, 3, 2)], one),
    "SpatialDropout3D": (lambda: L.SpatialDropout3D(0.3), [(1, 2, 2, 2, 2)], one),
    "GaussianDropout": (lambda: L.GaussianDropout(0.3), [(2, 4)], one),
    "GaussianNoise": (lambda: L.GaussianNoise(0.3), [(2, 4)], one),
    "ActivityRegularization": (lambda: L.ActivityRegularization(l1=0.1), [(2, 4)], one),
    # merging
    "Add": (lambda: L.Add(), [(2, 3), (2, 3)], merged),
    "Subtract": (lambda: L.Subtract(), [(2, 3), (2, 3)], merged),
    "Multiply": (lambda: L.Multiply(), [(2, 3), (2, 3), (2, 3)], merged),
    "Average": (lambda: L.Average(), [(2, 3), (2, 3)], merged),
    "Maximum": (lambda: L.Maximum(), [(2, 3), (2, 3)], merged),
    "Minimum": (lambda: L.Minimum(), [(2, 3), (2, 3)], merged),
    "Concatenate": (lambda: L.Concatenate(axis=-1), [(2, 3, 2), (2, 3, 4)], merged),
    "Dot": (lambda: L.Dot(axes=(2, 2)), [(2, 3, 4), (2, 5, 4)], merged),
    # normalization
    "BatchNormalization": (lambda: L.BatchNormalization(momentum=0.9, epsilon=1e-3),
                           [(2, 3, 4)], one),
    "BatchNormalization_axis1": (lambda: L.BatchNormalization(axis=1, center=False),
                                 [(2, 3, 4)], one),
    "LayerNormalization": (lambda: L.LayerNormalization(axis=(1, 2)), [(2, 3, 4)], one),
    "GroupNormalization": (lambda: L.GroupNormalization(groups=2), [(2, 3, 4)], one),
    "UnitNormalization": (lambda: L.UnitNormalization(), [(2, 4)], one),
    "RMSNormalization": (lambda: L.RMSNormalization(), [(2, 3, 4)], one),
    # convolution
    "Conv1D_causal_dilated": (lambda: L.Conv1D(2, 2, padding="causal", dilation_rate=2),
                              [(2, 6, 3)], one),
    "Conv2D_same_strides": (lambda: L.Conv2D(3, 3, strides=2, padding="same",
                                             activation="relu"), [(1, 5, 5, 2)], one),
    "Conv2D_groups": (lambda: L.Conv2D(4, 2, groups=2), [(1, 4, 4, 2)], one),
    "Conv3D": (lambda: L.Conv3D(2, 2), [(1, 3, 3, 3, 2)], one),
    "Conv1DTranspose": (lambda: L.Conv1DTranspose(2, 3, strides=2), [(2, 3, 3)], one),
    "Conv2DTranspose": (lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same"),
                        [(1, 3, 3, 2)], one),
    "Conv3DTranspose": (lambda: L.Conv3DTranspose(2, 2), [(1, 2, 2, 2, 2)], one),
    "DepthwiseConv1D": (lambda: L.DepthwiseConv1D(2, depth_multiplier=2), [(2, 5, 3)], one),
    "DepthwiseConv2D": (lambda: L.DepthwiseConv2D(2, padding="same"), [(1, 4, 4, 3)], one),
    "SeparableConv1D": (lambda: L.SeparableConv1D(2, 2), [(2, 5, 3)], one),
    "SeparableConv2D": (lambda: L.SeparableConv2D(2, 2, depth_multiplier=2), [(1, 4, 4, 3)],
                        one),
    # pooling
    "MaxPooling1D": (lambda: L.MaxPooling1D(), [(2, 5, 3)], one),
    "MaxPooling2D": (lambda: L.MaxPooling2D((2, 3), strides=1), [(1, 4, 5, 2)], one),
    "MaxPooling3D": (lambda: L.MaxPooling3D(padding="same"), [(1, 3, 3, 3, 2)], one),
    "AveragePooling1D": (lambda: L.AveragePooling1D(3, strides=2), [(2, 7, 3)], one),
    "AveragePooling2D_same": (lambda: L.AveragePooling2D(2, padding="same"), [(1, 5, 5, 2)],
                              one),
    "AveragePooling3D": (lambda: L.AveragePooling3D(2), [(1, 4, 4, 4, 2)], one),
    "GlobalMaxPooling1D": (lambda: L.GlobalMaxPooling1D(), [(2, 5, 3)], one),
    "GlobalAveragePooling1D_keepdims": (lambda: L.GlobalAveragePooling1D(keepdims=True),
                                        [(2, 5, 3)], one),
    "GlobalMaxPooling2D": (lambda: L.GlobalMaxPooling2D(), [(1, 3, 4, 2)], one),
    "GlobalAveragePooling2D": (lambda: L.GlobalAveragePooling2D(), [(1, 3, 4, 2)], one),
    "GlobalMaxPooling3D": (lambda: L.GlobalMaxPooling3D(), [(1, 2, 3, 2, 2)], one),
    "GlobalAveragePooling3D": (lambda: L.GlobalAveragePooling3D(), [(1, 2, 3, 2, 2)], one),
    # recurrent
    "SimpleRNN_sequences": (lambda: L.SimpleRNN(3, return_sequences=True), [(2, 4, 2)], one),
    "LSTM_backwards": (lambda: L.LSTM(3, go_backwards=True), [(2, 4, 2)], one),
    "GRU": (lambda: L.GRU(3), [(2, 4, 2)], one),
    "GRU_reset_before": (lambda: L.GRU(3, reset_after=False, return_sequences=True),
                         [(2, 4, 2)], one),
    "Bidirectional_LSTM": (lambda: L.Bidirectional(L.LSTM(2, return_sequences=True)),
                           [(2, 4, 3)], one),
    "Bidirectional_GRU_sum": (lambda: L.Bidirectional(L.GRU(2), merge_mode="sum"),
                              [(2, 4, 3)], one),
    "RNN_LSTMCell": (lambda: L.RNN(L.LSTMCell(3)), [(2, 4, 2)], one),
    "RNN_stacked_cells": (lambda: L.RNN([L.SimpleRNNCell(3), L.GRUCell(2)]), [(2, 4, 2)],
                          one),
    "TimeDistributed_Dense": (lambda: L.TimeDistributed(L.Dense(2)), [(2, 3, 4)], one),
    # attention (the options added by issue 11's last part)
    "MultiHeadAttention_gate": (lambda: L.MultiHeadAttention(2, 3, use_gate=True),
                                [(2, 4, 5), (2, 6, 5)], attend),
    "MultiHeadAttention_sliding_causal": (
        lambda: L.MultiHeadAttention(2, 3, value_dim=2, sliding_window=2),
        [(2, 5, 4)], causal),
    "MultiHeadAttention_gate_sliding_no_bias": (
        lambda: L.MultiHeadAttention(2, 2, use_gate=True, sliding_window=2, use_bias=False,
                                     output_shape=(3,)),
        [(2, 5, 4)], attend),
    "GroupQueryAttention_gate": (lambda: L.GroupQueryAttention(3, 4, 2, use_gate=True),
                                 [(2, 4, 5), (2, 6, 5)], attend),
    "GroupQueryAttention_sliding_causal": (
        lambda: L.GroupQueryAttention(2, 2, 1, sliding_window=3, use_gate=True),
        [(2, 6, 4)], causal),
    "Attention": (lambda: L.Attention(use_scale=True), [(2, 4, 3), (2, 5, 3)], qv),
    "AdditiveAttention": (lambda: L.AdditiveAttention(), [(2, 4, 3), (2, 5, 3)], qv),
}


def randomize(model):
    """Every weight random (variances positive), LoRA factors included."""
    for w in model.weights:
        value = ref.rng.standard_normal(tuple(w.shape)).astype("float32") * 0.5
        if "variance" in w.path:
            value = np.abs(value) + 0.5
        w.assign(value)


with tempfile.TemporaryDirectory() as tmp:
    for case, (make, shapes, call) in CASES.items():
        inputs, data = [], []
        for shape in shapes:
            ints = shape[-1] == "int"
            dims = shape[:-1] if ints else shape
            inputs.append(keras.Input(shape=dims[1:], dtype="int32" if ints else "float32"))
            if ints:
                x = ref.rng.integers(1, 10, size=dims).astype("int32")
                if "mask" in case:
                    x[1, -2:] = 0  # padding for mask_zero
                data.append(x)
            else:
                x = ref.rng.standard_normal(dims).astype("float32")
                if case.startswith("Masking"):
                    x[0, -1] = 0.0
                data.append(x)
        model = keras.Model(inputs, call(make(), inputs))
        randomize(model)
        path = os.path.join(tmp, f"{case}.keras")
        model.save(path)
        with open(path, "rb") as f:
            ref.put(f"file/{case}/bytes", np.frombuffer(f.read(), dtype=np.uint8))
        for i, x in enumerate(data):
            ref.put(f"file/{case}/x{i}", x)
        ref.put(f"file/{case}/out", model.predict(data if len(data) > 1 else data[0],
                                                  verbose=0))
        # The paths a model *loaded* from the file has (Keras builds a
        # wrapped layer outside its wrapper's name scope when loading).
        loaded = keras.saving.load_model(path)
        ref.put(f"file/{case}/weights", np.array(
            [f"{w.path}:{tuple(w.shape)}" for w in loaded.weights] or [""]))
ref.save()
