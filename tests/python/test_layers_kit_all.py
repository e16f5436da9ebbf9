"""Every torkeras layer class that existed before issue 11's new layers, put
through the shared routine (tests/python/layer_test_kit.py), with an
independent NumPy / plain-torch reference for the forward pass.

The references read the layer's weights (`expected_output_fn(weights, x)`),
so random initialisers are fine; inference-time randomness layers (dropout,
noise) are identities there. Small shapes keep the file fast."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import torkeras as keras
from torkeras import layers as L

from layer_test_kit import run_layer_test


# -- NumPy helpers for the references -----------------------------------------

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _t(x):
    return torch.as_tensor(np.asarray(x, dtype=np.float32))


def conv_ref(rank, strides=1, padding="valid", dilation=1, groups=1):
    """Keras channels_last conv via torch's channels_first conv."""
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[rank]
    perm_in = (0, rank + 1) + tuple(range(1, rank + 1))
    perm_out = (0,) + tuple(range(2, rank + 2)) + (1,)
    kperm = (rank + 1, rank) + tuple(range(rank))

    def ref(w, x):
        kernel = _t(w[0]).permute(*kperm)
        bias = _t(w[1]) if len(w) > 1 else None
        y = fn(_t(x).permute(*perm_in), kernel, bias, stride=strides, padding=padding,
               dilation=dilation, groups=groups)
        return y.permute(*perm_out).numpy()
    return ref


def conv_transpose_ref(rank, strides=1):
    fn = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[rank]
    perm_in = (0, rank + 1) + tuple(range(1, rank + 1))
    perm_out = (0,) + tuple(range(2, rank + 2)) + (1,)
    # Keras transpose kernel: (*k, out, in); torch: (in, out, *k).
    kperm = (rank + 1, rank) + tuple(range(rank))

    def ref(w, x):
        y = fn(_t(x).permute(*perm_in), _t(w[0]).permute(*kperm), _t(w[1]), stride=strides)
        return y.permute(*perm_out).numpy()
    return ref


def depthwise_kernel(w, rank):
    """Keras depthwise kernel (*k, in, mult) -> torch grouped (in*mult, 1, *k)."""
    k = _t(w)
    cin, mult = k.shape[-2], k.shape[-1]
    k = k.permute(rank, rank + 1, *range(rank))  # (in, mult, *k)
    return k.reshape(cin * mult, 1, *k.shape[2:])


def depthwise_ref(rank):
    fn = {1: F.conv1d, 2: F.conv2d}[rank]
    perm_in = (0, rank + 1) + tuple(range(1, rank + 1))
    perm_out = (0,) + tuple(range(2, rank + 2)) + (1,)

    def ref(w, x):
        xt = _t(x).permute(*perm_in)
        y = fn(xt, depthwise_kernel(w[0], rank), _t(w[1]), groups=xt.shape[1])
        return y.permute(*perm_out).numpy()
    return ref


def separable_ref(rank):
    fn = {1: F.conv1d, 2: F.conv2d}[rank]
    perm_in = (0, rank + 1) + tuple(range(1, rank + 1))
    perm_out = (0,) + tuple(range(2, rank + 2)) + (1,)
    kperm = (rank + 1, rank) + tuple(range(rank))

    def ref(w, x):
        xt = _t(x).permute(*perm_in)
        y = fn(xt, depthwise_kernel(w[0], rank), None, groups=xt.shape[1])
        y = fn(y, _t(w[1]).permute(*kperm), _t(w[2]))
        return y.permute(*perm_out).numpy()
    return ref


def pool_ref(rank, kind):
    """Pool size 2, strides 2, valid padding, channels_last."""
    def ref(w, x):
        b, c = x.shape[0], x.shape[-1]
        spatial = [s // 2 for s in x.shape[1:-1]]
        x = x[(slice(None),) + tuple(slice(0, 2 * s) for s in spatial)]
        shape = [b]
        for s in spatial:
            shape += [s, 2]
        x = x.reshape(shape + [c])
        axes = tuple(2 + 2 * i for i in range(rank))
        return x.max(axis=axes) if kind == "max" else x.mean(axis=axes)
    return ref


def simple_rnn_ref(w, x, return_sequences=False):
    kernel, rec, bias = w
    h = np.zeros((x.shape[0], kernel.shape[1]), np.float64)
    seq = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ rec + bias)
        seq.append(h)
    return np.stack(seq, 1) if return_sequences else h


def lstm_ref(w, x, return_sequences=False, go_backwards=False):
    kernel, rec, bias = w
    u = rec.shape[0]
    h = np.zeros((x.shape[0], u))
    c = np.zeros((x.shape[0], u))
    seq = []
    steps = range(x.shape[1])
    for t in (reversed(steps) if go_backwards else steps):
        z = x[:, t] @ kernel + h @ rec + bias
        i, f, g, o = (z[:, k * u:(k + 1) * u] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        seq.append(h)
    return np.stack(seq, 1) if return_sequences else h


def gru_ref(w, x):
    """reset_after=True (the Keras 3 default): bias (2, 3u) = input, recurrent."""
    kernel, rec, bias = w
    u = rec.shape[0]
    h = np.zeros((x.shape[0], u))
    for t in range(x.shape[1]):
        xz = x[:, t] @ kernel + bias[0]
        hz = h @ rec + bias[1]
        z = sigmoid(xz[:, :u] + hz[:, :u])
        r = sigmoid(xz[:, u:2 * u] + hz[:, u:2 * u])
        hh = np.tanh(xz[:, 2 * u:] + r * hz[:, 2 * u:])
        h = z * h + (1 - z) * hh
    return h


def layer_norm_ref(w, x, eps=1e-3):
    gamma, beta = w
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def batch_norm_ref(w, x, eps=1e-3):
    gamma, beta, mean, var = w
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def gru_reset_before_ref(w, x):
    """reset_after=False: bias (3u,), the reset gate applied before U_h."""
    kernel, rec, bias = w
    u = rec.shape[0]
    h = np.zeros((x.shape[0], u))
    for t in range(x.shape[1]):
        xz = x[:, t] @ kernel + bias
        z = sigmoid(xz[:, :u] + h @ rec[:, :u])
        r = sigmoid(xz[:, u:2 * u] + h @ rec[:, u:2 * u])
        hh = np.tanh(xz[:, 2 * u:] + (r * h) @ rec[:, 2 * u:])
        h = z * h + (1 - z) * hh
    return h


def lstm_state_ref(w, x):
    kernel, rec, bias = w
    u = rec.shape[0]
    h = np.zeros((x.shape[0], u))
    c = np.zeros((x.shape[0], u))
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ rec + bias
        i, f, g, o = (z[:, k * u:(k + 1) * u] for k in range(4))
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
    return [h, h, c]


def channels_first(ref):
    """A channels_last reference applied to channels_first data."""
    return lambda w, x: np.moveaxis(ref(w, np.moveaxis(x, 1, -1)), -1, 1)


def _masked_input():
    x = np.random.default_rng(3).standard_normal((2, 5, 3)).astype("float32")
    x[0, 3:] = 0.0
    x[1, 1] = 0.0
    return x


def _int_input():
    return np.random.default_rng(4).integers(0, 10, size=(3, 4)).astype("int32")


I = lambda w, x: x  # noqa: E731  (identity reference)

# (id, class, init kwargs, kit kwargs)
CASES = [
    # core
    ("Dense", L.Dense, {"units": 3}, dict(
        input_shape=(2, 4), expected_output_fn=lambda w, x: x @ w[0] + w[1],
        expected_num_trainable_weights=2, expected_num_non_trainable_weights=0)),
    ("Dense-relu-nobias", L.Dense, {"units": 3, "activation": "relu", "use_bias": False}, dict(
        input_shape=(2, 3, 4), expected_output_fn=lambda w, x: np.maximum(x @ w[0], 0),
        expected_num_trainable_weights=1)),
    ("Embedding", L.Embedding, {"input_dim": 10, "output_dim": 3}, dict(
        input_data=_int_input(), expected_output_fn=lambda w, x: w[0][x],
        expected_num_trainable_weights=1)),
    ("Embedding-mask_zero", L.Embedding, {"input_dim": 10, "output_dim": 3, "mask_zero": True},
     dict(input_data=_int_input(), expected_output_fn=lambda w, x: w[0][x],
          supports_masking=True, run_mask_check=False)),
    ("Masking", L.Masking, {"mask_value": 0.0}, dict(
        input_data=_masked_input(), supports_masking=True, expected_mask_shape=(2, 5),
        expected_output_fn=lambda w, x: x * np.any(x != 0, -1, keepdims=True))),
    # activations
    ("Activation", L.Activation, {"activation": "tanh"}, dict(
        input_shape=(2, 3), expected_output_fn=lambda w, x: np.tanh(x))),
    ("ReLU", L.ReLU, {"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.2}, dict(
        input_shape=(3, 4), expected_output_fn=lambda w, x: np.where(
            x >= 1.0, 1.0, np.where(x >= 0.2, x, 0.1 * (x - 0.2))))),
    ("LeakyReLU", L.LeakyReLU, {"negative_slope": 0.2}, dict(
        input_shape=(3, 4), expected_output_fn=lambda w, x: np.where(x >= 0, x, 0.2 * x))),
    ("ELU", L.ELU, {"alpha": 0.5}, dict(
        input_shape=(3, 4), expected_output_fn=lambda w, x: np.where(
            x > 0, x, 0.5 * (np.exp(x) - 1)))),
    ("Softmax", L.Softmax, {"axis": 1}, dict(
        input_shape=(2, 3, 4), expected_output_fn=lambda w, x: softmax(x, 1))),
    # reshaping
    ("Flatten", L.Flatten, {}, dict(
        input_shape=(2, 3, 4), expected_output_fn=lambda w, x: x.reshape(2, 12))),
    ("Reshape", L.Reshape, {"target_shape": (4, -1)}, dict(
        input_shape=(2, 3, 4), expected_output_fn=lambda w, x: x.reshape(2, 4, 3))),
    ("Permute", L.Permute, {"dims": (2, 1)}, dict(
        input_shape=(2, 3, 4), expected_output_fn=lambda w, x: x.transpose(0, 2, 1))),
    ("RepeatVector", L.RepeatVector, {"n": 3}, dict(
        input_shape=(2, 4),
        expected_output_fn=lambda w, x: np.repeat(x[:, None], 3, axis=1))),
    ("Cropping1D", L.Cropping1D, {"cropping": (1, 2)}, dict(
        input_shape=(2, 6, 3), expected_output_fn=lambda w, x: x[:, 1:-2])),
    ("Cropping2D", L.Cropping2D, {"cropping": ((1, 0), (0, 2))}, dict(
        input_shape=(2, 4, 5, 3), expected_output_fn=lambda w, x: x[:, 1:, :-2])),
    ("Cropping3D", L.Cropping3D, {"cropping": 1}, dict(
        input_shape=(1, 4, 4, 4, 2), expected_output_fn=lambda w, x: x[:, 1:-1, 1:-1, 1:-1])),
    ("ZeroPadding2D", L.ZeroPadding2D, {"padding": ((1, 0), (2, 1))}, dict(
        input_shape=(2, 3, 3, 2),
        expected_output_fn=lambda w, x: np.pad(x, ((0, 0), (1, 0), (2, 1), (0, 0))))),
    ("UpSampling2D", L.UpSampling2D, {"size": (2, 3)}, dict(
        input_shape=(2, 2, 3, 2),
        expected_output_fn=lambda w, x: np.repeat(np.repeat(x, 2, 1), 3, 2))),
    # regularization (inference: identity)
    ("Dropout", L.Dropout, {"rate": 0.5}, dict(input_shape=(2, 3), expected_output_fn=I)),
    ("SpatialDropout1D", L.SpatialDropout1D, {"rate": 0.5}, dict(
        input_shape=(2, 3, 4), expected_output_fn=I)),
    ("SpatialDropout2D", L.SpatialDropout2D, {"rate": 0.5}, dict(
        input_shape=(2, 3, 3, 2), expected_output_fn=I)),
    ("SpatialDropout3D", L.SpatialDropout3D, {"rate": 0.5}, dict(
        input_shape=(1, 2, 2, 2, 2), expected_output_fn=I)),
    ("GaussianDropout", L.GaussianDropout, {"rate": 0.3}, dict(
        input_shape=(2, 3), expected_output_fn=I)),
    ("GaussianNoise", L.GaussianNoise, {"stddev": 0.3}, dict(
        input_shape=(2, 3), expected_output_fn=I)),
    # merging
    ("Add", L.Add, {}, dict(input_shape=[(2, 3), (2, 3), (2, 3)],
                            expected_output_fn=lambda w, x: x[0] + x[1] + x[2])),
    ("Subtract", L.Subtract, {}, dict(input_shape=[(2, 3), (2, 3)],
                                      expected_output_fn=lambda w, x: x[0] - x[1])),
    ("Multiply", L.Multiply, {}, dict(input_shape=[(2, 3), (2, 3)],
                                      expected_output_fn=lambda w, x: x[0] * x[1])),
    ("Average", L.Average, {}, dict(input_shape=[(2, 3), (2, 3)],
                                    expected_output_fn=lambda w, x: (x[0] + x[1]) / 2)),
    ("Maximum", L.Maximum, {}, dict(input_shape=[(2, 3), (2, 3)],
                                    expected_output_fn=lambda w, x: np.maximum(x[0], x[1]))),
    ("Minimum", L.Minimum, {}, dict(input_shape=[(2, 3), (2, 3)],
                                    expected_output_fn=lambda w, x: np.minimum(x[0], x[1]))),
    ("Concatenate", L.Concatenate, {"axis": 1}, dict(
        input_shape=[(2, 3, 2), (2, 1, 2)],
        expected_output_fn=lambda w, x: np.concatenate(x, axis=1))),
    ("Dot", L.Dot, {"axes": 1}, dict(
        input_shape=[(2, 3), (2, 3)],
        expected_output_fn=lambda w, x: (x[0] * x[1]).sum(1, keepdims=True))),
    ("Dot-normalize", L.Dot, {"axes": (2, 2), "normalize": True}, dict(
        input_shape=[(2, 3, 4), (2, 5, 4)],
        expected_output_fn=lambda w, x: np.einsum(
            "bik,bjk->bij",
            x[0] / np.maximum(np.linalg.norm(x[0], axis=2, keepdims=True), 1e-6),
            x[1] / np.maximum(np.linalg.norm(x[1], axis=2, keepdims=True), 1e-6)))),
    # normalization
    ("LayerNormalization", L.LayerNormalization, {}, dict(
        input_shape=(2, 3, 4), expected_output_fn=layer_norm_ref,
        expected_num_trainable_weights=2, expected_num_non_trainable_weights=0, atol=1e-5)),
    ("BatchNormalization", L.BatchNormalization, {}, dict(
        input_shape=(4, 3), expected_output_fn=batch_norm_ref,
        expected_num_trainable_weights=2, expected_num_non_trainable_weights=2,
        expected_non_trainable_change=True)),
    ("Softmax-masked", L.Softmax, {"axis": 1}, dict(
        input_shape=(2, 3), supports_masking=True,
        expected_output_fn=lambda w, x: softmax(x, 1))),
    ("LayerNormalization-rms_scaling", L.LayerNormalization, {"rms_scaling": True}, dict(
        input_shape=(2, 3, 4), expected_num_trainable_weights=1, atol=1e-5,
        # Keras's (deprecated) rms_scaling divides by the variance, not the RMS
        expected_output_fn=lambda w, x: x / np.sqrt(x.var(-1, keepdims=True) + 1e-3) * w[0])),
    ("LayerNormalization-axes", L.LayerNormalization, {"axis": [1, 2]}, dict(
        input_shape=(2, 3, 4), atol=1e-5, expected_output_fn=lambda w, x: (
            (x - x.mean((1, 2), keepdims=True)) / np.sqrt(x.var((1, 2), keepdims=True) + 1e-3)
            * w[0] + w[1]))),
    ("BatchNormalization-axis1", L.BatchNormalization, {"axis": 1}, dict(
        input_shape=(2, 3, 4), expected_num_non_trainable_weights=2,
        expected_output_fn=lambda w, x: batch_norm_ref([v[:, None] for v in w], x))),
    # pooling
    ("MaxPooling1D", L.MaxPooling1D, {}, dict(input_shape=(2, 5, 3),
                                              expected_output_fn=pool_ref(1, "max"))),
    ("MaxPooling2D", L.MaxPooling2D, {}, dict(input_shape=(2, 4, 5, 2),
                                              expected_output_fn=pool_ref(2, "max"))),
    ("MaxPooling3D", L.MaxPooling3D, {}, dict(input_shape=(1, 4, 4, 5, 2),
                                              expected_output_fn=pool_ref(3, "max"))),
    ("AveragePooling1D", L.AveragePooling1D, {"pool_size": 2}, dict(input_shape=(2, 5, 3),
                                                      expected_output_fn=pool_ref(1, "avg"))),
    ("AveragePooling2D", L.AveragePooling2D, {"pool_size": 2}, dict(input_shape=(2, 4, 5, 2),
                                                      expected_output_fn=pool_ref(2, "avg"))),
    ("AveragePooling3D", L.AveragePooling3D, {"pool_size": 2}, dict(input_shape=(1, 4, 4, 5, 2),
                                                      expected_output_fn=pool_ref(3, "avg"))),
    ("GlobalMaxPooling1D", L.GlobalMaxPooling1D, {}, dict(
        input_shape=(2, 5, 3), expected_output_fn=lambda w, x: x.max(1))),
    ("GlobalAveragePooling1D", L.GlobalAveragePooling1D, {}, dict(
        input_shape=(2, 5, 3), expected_output_fn=lambda w, x: x.mean(1))),
    ("GlobalMaxPooling2D", L.GlobalMaxPooling2D, {"keepdims": True}, dict(
        input_shape=(2, 3, 4, 2), expected_output_fn=lambda w, x: x.max((1, 2), keepdims=True))),
    ("GlobalAveragePooling2D", L.GlobalAveragePooling2D, {}, dict(
        input_shape=(2, 3, 4, 2), expected_output_fn=lambda w, x: x.mean((1, 2)))),
    ("GlobalMaxPooling3D", L.GlobalMaxPooling3D, {}, dict(
        input_shape=(1, 2, 3, 2, 2), expected_output_fn=lambda w, x: x.max((1, 2, 3)))),
    ("GlobalAveragePooling3D", L.GlobalAveragePooling3D, {}, dict(
        input_shape=(1, 2, 3, 2, 2), expected_output_fn=lambda w, x: x.mean((1, 2, 3)))),
    # convolution
    ("Conv1D", L.Conv1D, {"filters": 3, "kernel_size": 2}, dict(
        input_shape=(2, 5, 2), expected_output_fn=conv_ref(1),
        expected_num_trainable_weights=2, atol=1e-5)),
    ("Conv1D-dilated", L.Conv1D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2}, dict(
        input_shape=(2, 6, 2), expected_output_fn=conv_ref(1, dilation=2), atol=1e-5)),
    ("Conv2D", L.Conv2D, {"filters": 3, "kernel_size": 2, "strides": 2}, dict(
        input_shape=(2, 5, 4, 2), expected_output_fn=conv_ref(2, strides=2), atol=1e-5)),
    ("Conv2D-same", L.Conv2D, {"filters": 2, "kernel_size": 3, "padding": "same"}, dict(
        input_shape=(1, 4, 4, 2), expected_output_fn=conv_ref(2, padding=1), atol=1e-5)),
    ("Conv3D", L.Conv3D, {"filters": 2, "kernel_size": 2}, dict(
        input_shape=(1, 3, 3, 3, 2), expected_output_fn=conv_ref(3), atol=1e-5)),
    ("Conv1DTranspose", L.Conv1DTranspose, {"filters": 2, "kernel_size": 3, "strides": 2},
     dict(input_shape=(2, 4, 3), expected_output_fn=conv_transpose_ref(1, 2), atol=1e-5)),
    ("Conv2DTranspose", L.Conv2DTranspose, {"filters": 2, "kernel_size": 2, "strides": 2},
     dict(input_shape=(1, 3, 3, 2), expected_output_fn=conv_transpose_ref(2, 2), atol=1e-5)),
    ("Conv3DTranspose", L.Conv3DTranspose, {"filters": 2, "kernel_size": 2}, dict(
        input_shape=(1, 2, 2, 2, 2), expected_output_fn=conv_transpose_ref(3), atol=1e-5)),
    ("DepthwiseConv1D", L.DepthwiseConv1D, {"kernel_size": 2, "depth_multiplier": 2}, dict(
        input_shape=(2, 5, 3), expected_output_fn=depthwise_ref(1), atol=1e-5)),
    ("DepthwiseConv2D", L.DepthwiseConv2D, {"kernel_size": 2, "depth_multiplier": 2}, dict(
        input_shape=(1, 4, 4, 3), expected_output_fn=depthwise_ref(2), atol=1e-5)),
    ("SeparableConv1D", L.SeparableConv1D, {"filters": 2, "kernel_size": 2}, dict(
        input_shape=(2, 5, 3), expected_output_fn=separable_ref(1), atol=1e-5,
        expected_num_trainable_weights=3)),
    ("SeparableConv2D", L.SeparableConv2D,
     {"filters": 2, "kernel_size": 2, "depth_multiplier": 2}, dict(
         input_shape=(1, 4, 4, 3), expected_output_fn=separable_ref(2), atol=1e-5)),
    # recurrent
    ("SimpleRNN", L.SimpleRNN, {"units": 3}, dict(
        input_shape=(2, 4, 2), expected_output_fn=simple_rnn_ref, atol=1e-5,
        supports_masking=True, expected_num_trainable_weights=3)),
    ("SimpleRNN-seq", L.SimpleRNN, {"units": 3, "return_sequences": True}, dict(
        input_shape=(2, 4, 2), atol=1e-5, supports_masking=True, expected_mask_shape=(2, 4),
        expected_output_fn=lambda w, x: simple_rnn_ref(w, x, True))),
    ("LSTM", L.LSTM, {"units": 2}, dict(
        input_shape=(2, 4, 3), expected_output_fn=lambda w, x: lstm_ref(w, x), atol=1e-5,
        supports_masking=True)),
    ("LSTM-backwards-seq", L.LSTM,
     {"units": 2, "return_sequences": True, "go_backwards": True}, dict(
         input_shape=(2, 4, 3), atol=1e-5,
         expected_output_fn=lambda w, x: lstm_ref(w, x, True, True))),
    ("GRU", L.GRU, {"units": 2}, dict(
        input_shape=(2, 4, 3), expected_output_fn=gru_ref, atol=1e-5, supports_masking=True)),
    ("RNN-SimpleRNNCell", L.RNN, {"cell": L.SimpleRNNCell(3)}, dict(
        input_shape=(2, 4, 2), expected_output_fn=simple_rnn_ref, atol=1e-5)),
    ("Bidirectional-LSTM", L.Bidirectional, {"layer": L.LSTM(2)}, dict(
        input_shape=(2, 4, 3), atol=1e-5, expected_num_trainable_weights=6,
        expected_output_fn=lambda w, x: np.concatenate(
            [lstm_ref(w[:3], x), lstm_ref(w[3:], x, go_backwards=True)], -1))),
    # argument variants
    ("Conv2D-channels_first", L.Conv2D,
     {"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, dict(
         input_shape=(1, 3, 4, 4), expected_output_fn=channels_first(conv_ref(2)), atol=1e-5)),
    ("Conv1D-groups", L.Conv1D, {"filters": 4, "kernel_size": 2, "groups": 2}, dict(
        input_shape=(2, 5, 4), expected_output_fn=conv_ref(1, groups=2), atol=1e-5)),
    ("Conv1D-causal", L.Conv1D, {"filters": 2, "kernel_size": 3, "padding": "causal"}, dict(
        input_shape=(2, 5, 2), atol=1e-5, expected_output_fn=lambda w, x: conv_ref(1)(
            w, np.pad(x, ((0, 0), (2, 0), (0, 0)))))),
    ("MaxPooling2D-channels_first", L.MaxPooling2D, {"data_format": "channels_first"}, dict(
        input_shape=(2, 2, 4, 4), expected_output_fn=channels_first(pool_ref(2, "max")))),
    ("GlobalAveragePooling1D-channels_first", L.GlobalAveragePooling1D,
     {"data_format": "channels_first"}, dict(
         input_shape=(2, 3, 5), expected_output_fn=lambda w, x: x.mean(2))),
    ("Conv2DTranspose-same", L.Conv2DTranspose,
     {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, dict(
         input_shape=(1, 3, 3, 2), expected_output_shape=(1, 6, 6, 2))),
    ("UpSampling2D-bilinear", L.UpSampling2D, {"size": 2, "interpolation": "bilinear"},
     dict(input_shape=(1, 3, 3, 2), expected_output_shape=(1, 6, 6, 2))),
    ("GRU-reset_before", L.GRU, {"units": 2, "reset_after": False}, dict(
        input_shape=(2, 4, 3), expected_output_fn=gru_reset_before_ref, atol=1e-5)),
    ("LSTM-return_state", L.LSTM, {"units": 2, "return_state": True}, dict(
        input_shape=(2, 4, 3), expected_output_fn=lstm_state_ref, atol=1e-5)),
    ("SimpleRNN-unroll", L.SimpleRNN, {"units": 3, "unroll": True}, dict(
        input_shape=(2, 4, 2), expected_output_fn=simple_rnn_ref, atol=1e-5)),
    ("Bidirectional-sum", L.Bidirectional, {"layer": L.GRU(2), "merge_mode": "sum"}, dict(
        input_shape=(2, 4, 3), atol=1e-5, expected_output_fn=lambda w, x: (
            gru_ref(w[:3], x) + gru_ref(w[3:], x[:, ::-1])))),
    ("Dropout-training", L.Dropout, {"rate": 0.5, "seed": 1}, dict(
        input_shape=(4, 3), call_kwargs={"training": True})),
    ("GaussianNoise-training", L.GaussianNoise, {"stddev": 0.5, "seed": 1}, dict(
        input_shape=(4, 3), call_kwargs={"training": True})),
    ("Dense-float64", L.Dense, {"units": 2, "dtype": "float64"}, dict(
        input_shape=(2, 3), expected_output_dtype="float64",
        expected_output_fn=lambda w, x: x.astype("float64") @ w[0] + w[1])),
    ("Dense-mixed_float16", L.Dense, {"units": 2, "dtype": "mixed_float16"}, dict(
        input_shape=(2, 3), expected_output_dtype="float16", rtol=1e-2, atol=1e-2,
        # float16 compute: the reference is float32, so half-precision tolerances
        expected_output_fn=lambda w, x: x @ w[0] + w[1])),
]


@pytest.mark.parametrize("name,cls,kwargs,kit", CASES, ids=[c[0] for c in CASES])
def test_layer_through_kit(name, cls, kwargs, kit):
    run_layer_test(cls, kwargs, **kit)


def test_every_pre_issue_11_layer_is_covered():
    """A layer class added to torkeras.layers must be put through the kit
    (here or in its own test file, listed in OWN_TESTS)."""
    OWN_TESTS = {
        # issue 11's new layers are put through the kit by their own test files
        "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D",
        "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D",
        "UpSampling1D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding3D",
        "TimeDistributed", "Wrapper", "Identity", "Lambda", "PReLU", "ActivityRegularization",
        "AlphaDropout", "GroupNormalization", "UnitNormalization", "RMSNormalization",
        "SpectralNormalization", "EinsumDense", "MultiHeadAttention", "GroupQueryAttention",
        "GroupedQueryAttention",
        "Attention", "AdditiveAttention", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
        "StackedRNNCells", "ReversibleEmbedding", "TorchModuleWrapper", "InputSpec",
        # issue 13: test_preprocessing_image_layers.py runs the kit
        "Rescaling", "Resizing", "CenterCrop",
        # not layers to run on data: the base class, the input placeholder, RNN cells
        # (run inside RNN / SimpleRNN / LSTM / GRU above)
        "Layer", "Input", "InputLayer", "SimpleRNNCell", "LSTMCell", "GRUCell",
    }
    covered = {c[1] for c in CASES}
    missing = []
    for name in dir(L):
        obj = getattr(L, name)
        if (isinstance(obj, type) and issubclass(obj, keras.layers.Layer)
                and obj not in covered and name not in OWN_TESTS
                and obj.__name__ not in OWN_TESTS):
            missing.append(name)
    assert not missing, (f"layers not put through the layer test kit: {missing} (add a case "
                         "to CASES, or the name to OWN_TESTS if its own test file runs the kit)")
