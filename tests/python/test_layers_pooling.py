"""Pooling layers against numpy loops (TensorFlow 'same' rule)."""

import math

import numpy as np
import pytest
import torch

from torkeras import layers
from torkeras.layers import Input


def _np_pool2d(x, pool, strides, padding, mode):
    n, h, w, c = x.shape
    if padding == "same":
        oh, ow = math.ceil(h / strides[0]), math.ceil(w / strides[1])
        ph = max((oh - 1) * strides[0] + pool[0] - h, 0)
        pw = max((ow - 1) * strides[1] + pool[1] - w, 0)
        top, left = ph // 2, pw // 2
    else:
        oh, ow = (h - pool[0]) // strides[0] + 1, (w - pool[1]) // strides[1] + 1
        top = left = 0
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - top, j * strides[1] - left
            r1, c1 = r0 + pool[0], c0 + pool[1]
            window = x[:, max(r0, 0):min(r1, h), max(c0, 0):min(c1, w), :]
            out[:, i, j, :] = window.max(axis=(1, 2)) if mode == "max" else window.mean(axis=(1, 2))
    return out


@pytest.mark.parametrize("cls,mode", [(layers.MaxPooling2D, "max"),
                                      (layers.AveragePooling2D, "avg")])
@pytest.mark.parametrize("pool,strides,padding,hw", [
    ((2, 2), None, "valid", (6, 7)), ((2, 2), None, "same", (5, 7)),
    ((3, 3), (2, 2), "same", (6, 6)), ((3, 2), (1, 2), "same", (5, 5)),
    ((3, 3), (1, 1), "same", (4, 4)), ((3, 3), (2, 1), "valid", (7, 5))])
def test_pool2d_matches_numpy(cls, mode, pool, strides, padding, hw):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2,) + hw + (3,)).astype("float32")
    layer = cls(pool_size=pool, strides=strides, padding=padding)
    y = layer(torch.from_numpy(x)).numpy()
    ref = _np_pool2d(x.astype("float64"), pool, strides or pool, padding, mode)
    assert y.shape == ref.shape == layer.compute_output_shape((2,) + hw + (3,))
    np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-6)


def test_max_pooling2d_defaults_and_config():
    layer = layers.MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    config = layer.get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2)
    assert config["data_format"] == "channels_last"
    assert layers.MaxPooling2D.from_config(config).get_config() == config
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.AvgPool2D is layers.AveragePooling2D
    assert layers.MaxPooling2D(pool_size=3, strides=1).strides == (1, 1)


def test_pooling_symbolic_and_channels_first():
    assert layers.MaxPooling2D()(Input(shape=(28, 28, 1))).shape == (None, 14, 14, 1)
    assert layers.MaxPooling2D(padding="same")(Input(shape=(None, 7, 4))).shape == (None, None, 4, 4)
    x = torch.randn(2, 3, 6, 6)
    y = layers.MaxPooling2D(data_format="channels_first")(x)
    ref = layers.MaxPooling2D()(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)
    torch.testing.assert_close(y, ref)
    assert layers.MaxPooling1D(pool_size=2)(torch.randn(2, 7, 3)).shape == (2, 3, 3)
    assert layers.MaxPooling1D(2, padding="same")(Input(shape=(7, 3))).shape == (None, 4, 3)


def test_pooling_errors():
    with pytest.raises(ValueError, match="pool_size"):
        layers.MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match="padding"):
        layers.MaxPooling2D(padding="full")
    with pytest.raises(ValueError, match="strides"):
        layers.MaxPooling2D(strides=(0, 1))


@pytest.mark.parametrize("cls,fn", [(layers.GlobalMaxPooling2D, np.max),
                                    (layers.GlobalAveragePooling2D, np.mean)])
def test_global_pooling_2d(cls, fn):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 5, 3)).astype("float32")
    y = cls()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(y, fn(x, axis=(1, 2)), rtol=1e-5, atol=1e-6)
    yk = cls(keepdims=True)(torch.from_numpy(x)).numpy()
    assert yk.shape == (2, 1, 1, 3)
    yf = cls(data_format="channels_first")(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(yf, fn(x, axis=(2, 3)), rtol=1e-5, atol=1e-6)
    assert cls()(Input(shape=(28, 28, 8))).shape == (None, 8)
    assert cls(keepdims=True)(Input(shape=(None, None, 8))).shape == (None, 1, 1, 8)
    config = cls(keepdims=True).get_config()
    assert config["keepdims"] is True and config["data_format"] == "channels_last"
    assert cls.from_config(config).get_config() == config


@pytest.mark.parametrize("cls,fn", [(layers.GlobalMaxPooling1D, np.max),
                                    (layers.GlobalAveragePooling1D, np.mean)])
def test_global_pooling_1d(cls, fn):
    x = np.arange(24, dtype="float32").reshape(2, 4, 3)
    np.testing.assert_allclose(cls()(torch.from_numpy(x)).numpy(), fn(x, axis=1))
    assert cls(keepdims=True)(Input(shape=(10, 6))).shape == (None, 1, 6)


def test_global_pooling_aliases():
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
    assert layers.GlobalMaxPool1D is layers.GlobalMaxPooling1D
