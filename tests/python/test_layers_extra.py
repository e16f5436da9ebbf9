"""LayerNormalization and the extra reshaping layers."""

import json

import numpy as np
import pytest
import torch

from torkeras import layers
from torkeras.layers import Input


def test_layer_normalization_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(4, 5, 6)).astype("float32")
    ln = layers.LayerNormalization(gamma_initializer="random_normal",
                                   beta_initializer="random_normal")
    y = ln(torch.from_numpy(x)).detach().numpy()
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-3) * ln.gamma.numpy() + ln.beta.numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    assert [w.name for w in ln.weights] == ["gamma", "beta"] and ln.count_params() == 12
    ln2 = layers.LayerNormalization(axis=[1, 2])
    y2 = ln2(torch.from_numpy(x)).detach().numpy()
    m2, v2 = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(y2, (x - m2) / np.sqrt(v2 + 1e-3), rtol=1e-4, atol=1e-5)
    assert ln2.gamma.shape == (5, 6)
    ln1 = layers.LayerNormalization(axis=1)
    y1 = ln1(torch.from_numpy(x)).detach().numpy()
    m1, v1 = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    np.testing.assert_allclose(y1, (x - m1) / np.sqrt(v1 + 1e-3), rtol=1e-4, atol=1e-5)
    # Keras 3.15's deprecated rms_scaling divides the uncentered inputs by the
    # square root of their variance (checked against Keras: an identical result)
    with pytest.warns(UserWarning, match="deprecated"):
        rms = layers.LayerNormalization(rms_scaling=True)
    yr = rms(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(yr, x / np.sqrt(x.var(-1, keepdims=True) + 1e-3),
                               rtol=1e-4, atol=1e-5)
    config = ln.get_config()
    assert config["epsilon"] == 1e-3 and config["axis"] == -1
    again = layers.LayerNormalization.from_config(json.loads(json.dumps(config)))
    assert again.get_config() == config
    assert layers.LayerNormalization()(Input(shape=(7, 3))).shape == (None, 7, 3)


def test_permute_repeat_vector():
    x = torch.arange(24.0).reshape(2, 3, 4)
    torch.testing.assert_close(layers.Permute((2, 1))(x), x.permute(0, 2, 1))
    assert layers.Permute((2, 1))(Input(shape=(3, 4))).shape == (None, 4, 3)
    with pytest.raises(ValueError, match="dims"):
        layers.Permute((0, 1))
    r = layers.RepeatVector(3)(torch.tensor([[1.0, 2.0]]))
    assert r.tolist() == [[[1.0, 2.0]] * 3]
    assert layers.RepeatVector(5)(Input(shape=(4,))).shape == (None, 5, 4)
    for layer in (layers.Permute((2, 1)), layers.RepeatVector(2)):
        config = json.loads(json.dumps(layer.get_config()))
        assert type(layer).from_config(config).get_config() == layer.get_config()


def test_up_sampling_and_zero_padding():
    x = torch.arange(4.0).reshape(1, 2, 2, 1)
    up = layers.UpSampling2D()(x)
    assert up[0, :, :, 0].tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]]
    bil = layers.UpSampling2D(interpolation="bilinear")(x)
    assert bil.shape == (1, 4, 4, 1)
    assert layers.UpSampling2D((2, 3))(Input(shape=(7, 7, 8))).shape == (None, 14, 21, 8)
    zp = layers.ZeroPadding2D(((1, 0), (0, 2)))(x)
    assert zp.shape == (1, 3, 4, 1)
    assert zp[0, :, :, 0].tolist() == [[0, 0, 0, 0], [0, 1, 0, 0], [2, 3, 0, 0]]
    assert layers.ZeroPadding2D(1)(Input(shape=(28, 28, 3))).shape == (None, 30, 30, 3)
    for layer in (layers.UpSampling2D(), layers.ZeroPadding2D((1, 2))):
        config = json.loads(json.dumps(layer.get_config()))
        assert json.dumps(type(layer).from_config(config).get_config()) == \
            json.dumps(layer.get_config())
