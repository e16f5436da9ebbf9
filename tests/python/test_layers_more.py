"""SeparableConv, DepthwiseConv, Cropping, SpatialDropout, GaussianNoise/Dropout and Dot
against independent numpy / plain-torch computations."""

import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import torkeras as keras
from torkeras import layers


def _same_pad_nchw(x, kernel_size, strides, dilation):
    """TensorFlow 'same' padding (odd element after) of a channels_first tensor."""
    pads = []
    for n, k, s, d in zip(x.shape[2:], kernel_size, strides, dilation):
        extent = (k - 1) * d + 1
        out = math.ceil(n / s)
        total = max((out - 1) * s + extent - n, 0)
        pads.append((total // 2, total - total // 2))
    flat = [p for pair in reversed(pads) for p in pair]
    return F.pad(x, flat)


def _np_depthwise_2d(x, kernel, strides, padding, dilation=(1, 1)):
    """Direct loops: x (N,H,W,C), kernel (kh,kw,C,M) -> (N,OH,OW,C*M), channel c*M+m."""
    n, h, w, c = x.shape
    kh, kw, _, m = kernel.shape
    (sh, sw), (dh, dw) = strides, dilation
    eh, ew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        ph, pw = max((oh - 1) * sh + eh - h, 0), max((ow - 1) * sw + ew - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - eh) // sh + 1, (w - ew) // sw + 1
    out = np.zeros((n, oh, ow, c, m))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * sh:i * sh + eh:dh, j * sw:j * sw + ew:dw, :]  # (N,kh,kw,C)
            out[:, i, j] = np.einsum("nabc,abcm->ncm", patch, kernel)
    return out.reshape(n, oh, ow, c * m)


# ---------------------------------------------------------------- DepthwiseConv

@pytest.mark.parametrize("strides,padding,dilation,hw", [
    ((1, 1), "valid", (1, 1), (7, 6)), ((1, 1), "same", (1, 1), (6, 6)),
    ((2, 2), "same", (1, 1), (7, 8)), ((2, 1), "valid", (1, 1), (9, 5)),
    ((1, 1), "same", (2, 2), (8, 7))])
def test_depthwise_conv2d_matches_numpy_loops(strides, padding, dilation, hw):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2,) + hw + (3,)).astype("float32")
    layer = layers.DepthwiseConv2D((3, 2), strides=strides, padding=padding, depth_multiplier=2,
                                   dilation_rate=dilation, bias_initializer="random_normal")
    y = layer(torch.from_numpy(x)).detach().numpy()
    kernel = layer.kernel.numpy()
    assert kernel.shape == (3, 2, 3, 2)
    assert layer.bias.numpy().shape == (6,)
    ref = _np_depthwise_2d(x.astype("float64"), kernel.astype("float64"), strides, padding,
                           dilation) + layer.bias.numpy()
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-4)
    assert layer.compute_output_shape((2,) + hw + (3,)) == y.shape


def test_depthwise_conv1d_channels_first_matches_per_channel_conv():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 11)  # (batch, channels, steps)
    layer = layers.DepthwiseConv1D(4, strides=2, padding="same", depth_multiplier=2,
                                   data_format="channels_first", activation="relu",
                                   bias_initializer="ones")
    y = layer(x)
    k = layer.kernel.value.detach()  # (4, 3, 2)
    xp = _same_pad_nchw(x, (4,), (2,), (1,))
    outs = []
    for c in range(3):
        for m in range(2):
            w = k[:, c, m].reshape(1, 1, 4)
            outs.append(F.conv1d(xp[:, c:c + 1], w, stride=2))
    ref = (torch.cat(outs, dim=1) + 1.0).relu()
    torch.testing.assert_close(y, ref)
    assert layer.compute_output_shape((2, 3, 11)) == (2, 6, 6) == tuple(y.shape)


# ---------------------------------------------------------------- SeparableConv

def test_separable_conv2d_equals_grouped_then_pointwise_conv():
    torch.manual_seed(0)
    x = torch.randn(2, 9, 8, 3)
    layer = layers.SeparableConv2D(5, 3, strides=2, padding="same", depth_multiplier=2,
                                   bias_initializer="random_normal")
    y = layer(x)
    dk = layer.depthwise_kernel.value.detach()   # (3, 3, 3, 2)
    pk = layer.pointwise_kernel.value.detach()   # (1, 1, 6, 5)
    assert tuple(dk.shape) == (3, 3, 3, 2) and tuple(pk.shape) == (1, 1, 6, 5)
    xc = _same_pad_nchw(x.permute(0, 3, 1, 2), (3, 3), (2, 2), (1, 1))
    w_dw = dk.reshape(3, 3, 6).permute(2, 0, 1).unsqueeze(1)      # (6, 1, 3, 3)
    mid = F.conv2d(xc, w_dw, stride=2, groups=3)
    w_pw = pk.reshape(6, 5).t().reshape(5, 6, 1, 1)
    ref = F.conv2d(mid, w_pw, layer.bias.value.detach()).permute(0, 2, 3, 1)
    torch.testing.assert_close(y, ref)
    assert layer.compute_output_shape((2, 9, 8, 3)) == (2, 5, 4, 5) == tuple(y.shape)


def test_separable_conv1d_matches_numpy_and_weight_order():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 10, 4)).astype("float32")
    layer = layers.SeparableConv1D(3, 3, dilation_rate=2, use_bias=False)
    y = layer(torch.from_numpy(x)).detach().numpy()
    assert [w.name for w in layer.weights] == ["depthwise_kernel", "pointwise_kernel"]
    dk, pk = layer.depthwise_kernel.numpy(), layer.pointwise_kernel.numpy()
    # depthwise: out[n, t, c] = sum_a x[n, t + 2a, c] * dk[a, c, 0]
    mid = sum(x[:, 2 * a:2 * a + 6, :] * dk[a, :, 0] for a in range(3))
    ref = np.einsum("ntc,cf->ntf", mid, pk[0])
    np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-5)


def test_separable_and_depthwise_parameter_counts():
    model = keras.Sequential([keras.Input((8, 8, 3)),
                              layers.SeparableConv2D(16, 3, depth_multiplier=2),
                              layers.DepthwiseConv2D(3, depth_multiplier=3),
                              layers.Flatten()])
    sep, dw = model.layers[0], model.layers[1]
    assert sep.count_params() == 3 * 3 * 3 * 2 + 6 * 16 + 16
    assert dw.count_params() == 3 * 3 * 16 * 3 + 48
    assert model.output_shape == (None, 4 * 4 * 48)
    assert layers.DepthwiseConv1D(5, use_bias=False).compute_output_shape((None, 20, 4)) == \
        (None, 16, 4)


def test_conv_config_round_trip_and_errors():
    layer = layers.SeparableConv2D(4, (3, 1), strides=(2, 1), padding="same",
                                   depth_multiplier=3, activation="relu",
                                   pointwise_initializer="he_normal")
    config = layer.get_config()
    for key, value in {"filters": 4, "kernel_size": (3, 1), "strides": (2, 1),
                       "padding": "same", "depth_multiplier": 3, "dilation_rate": (1, 1),
                       "data_format": "channels_last", "use_bias": True}.items():
        assert config[key] == value
    assert config["pointwise_initializer"]["class_name"] == "HeNormal"
    clone = layers.SeparableConv2D.from_config(json.loads(json.dumps(config)))
    assert clone.get_config() == json.loads(json.dumps(config)) | {"kernel_size": (3, 1),
                                                                   "strides": (2, 1),
                                                                   "dilation_rate": (1, 1)}
    dw = layers.DepthwiseConv2D.from_config(layers.DepthwiseConv2D(2, depth_multiplier=2)
                                            .get_config())
    assert dw.depth_multiplier == 2 and dw.kernel_size == (2, 2)
    with pytest.raises(ValueError, match="depth_multiplier"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="padding"):
        layers.SeparableConv1D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.DepthwiseConv2D(3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="rank 4"):
        layers.DepthwiseConv2D(3)(torch.zeros(2, 5, 3))


# ---------------------------------------------------------------- Cropping

def test_cropping_equals_numpy_slicing():
    rng = np.random.default_rng(0)
    x1 = rng.standard_normal((2, 9, 3)).astype("float32")
    y = layers.Cropping1D((2, 3))(torch.from_numpy(x1)).numpy()
    np.testing.assert_array_equal(y, x1[:, 2:-3, :])
    np.testing.assert_array_equal(layers.Cropping1D()(torch.from_numpy(x1)).numpy(),
                                  x1[:, 1:-1])

    x2 = rng.standard_normal((2, 7, 8, 3)).astype("float32")
    y = layers.Cropping2D(((1, 2), (0, 3)))(torch.from_numpy(x2)).numpy()
    np.testing.assert_array_equal(y, x2[:, 1:-2, 0:5, :])
    y = layers.Cropping2D((2, 1), data_format="channels_first")(torch.from_numpy(x2)).numpy()
    np.testing.assert_array_equal(y, x2[:, :, 2:-2, 1:-1])
    np.testing.assert_array_equal(layers.Cropping2D()(torch.from_numpy(x2)).numpy(), x2)

    x3 = rng.standard_normal((1, 5, 6, 7, 2)).astype("float32")
    y = layers.Cropping3D()(torch.from_numpy(x3)).numpy()
    np.testing.assert_array_equal(y, x3[:, 1:-1, 1:-1, 1:-1, :])
    y = layers.Cropping3D(((0, 1), (2, 0), (1, 3)))(torch.from_numpy(x3)).numpy()
    np.testing.assert_array_equal(y, x3[:, 0:4, 2:, 1:4, :])


def test_cropping_shapes_config_and_errors():
    layer = layers.Cropping2D(((1, 2), (0, 3)))
    assert layer.compute_output_shape((None, 7, None, 3)) == (None, 4, None, 3)
    inp = keras.Input((10, 12, 2))
    assert layers.Cropping2D(2)(inp).shape == (None, 6, 8, 2)
    assert layers.Cropping3D(1, data_format="channels_first").compute_output_shape(
        (1, 2, 5, 6, 7)) == (1, 2, 3, 4, 5)
    assert layer.get_config()["cropping"] == ((1, 2), (0, 3))
    assert layers.Cropping1D(4).get_config()["cropping"] == (4, 4)
    assert "data_format" not in layers.Cropping1D().get_config()
    clone = layers.Cropping3D.from_config(json.loads(json.dumps(
        layers.Cropping3D((1, 2, 3)).get_config())))
    assert clone.cropping == ((1, 1), (2, 2), (3, 3))
    with pytest.raises(ValueError, match="cropping"):
        layers.Cropping2D((1, 2, 3))
    with pytest.raises(ValueError, match="cropping"):
        layers.Cropping1D(-1)
    with pytest.raises(ValueError, match="at least one"):
        layers.Cropping1D((3, 3))(torch.zeros(1, 6, 2))
    with pytest.raises(ValueError, match="at least one"):
        layers.Cropping2D(4)(keras.Input((8, 20, 1)))


# ---------------------------------------------------------------- SpatialDropout

@pytest.mark.parametrize("cls,shape,data_format,channel_axis", [
    (layers.SpatialDropout1D, (64, 5, 40), None, 2),
    (layers.SpatialDropout2D, (32, 4, 3, 40), "channels_last", 3),
    (layers.SpatialDropout2D, (32, 40, 4, 3), "channels_first", 1),
    (layers.SpatialDropout3D, (16, 40, 2, 3, 2), "channels_first", 1),
    (layers.SpatialDropout3D, (16, 2, 3, 2, 40), "channels_last", 4)])
def test_spatial_dropout_drops_whole_channels(cls, shape, data_format, channel_axis):
    kwargs = {} if data_format is None else {"data_format": data_format}
    layer = cls(0.4, seed=3, **kwargs)
    x = torch.rand(shape) + 0.5  # strictly positive, so a zero means dropped
    y = layer(x, training=True)
    ratio = (y / x).numpy()
    spatial = tuple(a for a in range(1, len(shape)) if a != channel_axis)
    # Each (sample, channel) is all zeros or all 1 / (1 - rate).
    per_map_min, per_map_max = ratio.min(axis=spatial), ratio.max(axis=spatial)
    np.testing.assert_allclose(per_map_min, per_map_max, rtol=1e-6)
    kept = per_map_min != 0
    np.testing.assert_allclose(per_map_min[kept], 1 / 0.6, rtol=1e-5)
    dropped = (per_map_min == 0).mean()
    assert 0.3 < dropped < 0.5
    torch.testing.assert_close(layer(x, training=False), x)
    torch.testing.assert_close(layer(x), x)


def test_spatial_dropout_seed_is_reproducible_and_config_is_keras_shaped():
    x = torch.ones(4, 6, 6, 8)
    a = layers.SpatialDropout2D(0.5, seed=7)(x, training=True)
    b = layers.SpatialDropout2D(0.5, seed=7)(x, training=True)
    torch.testing.assert_close(a, b)
    assert isinstance(layers.SpatialDropout1D(0.1), layers.Dropout)
    config = layers.SpatialDropout3D(0.25, data_format="channels_first", seed=1).get_config()
    assert set(config) == {"name", "dtype", "rate", "seed", "data_format"}
    assert set(layers.SpatialDropout1D(0.2).get_config()) == {"name", "dtype", "rate", "seed"}
    clone = layers.SpatialDropout3D.from_config(config)
    assert (clone.rate, clone.seed, clone.data_format) == (0.25, 1, "channels_first")
    with pytest.raises(ValueError, match="rate"):
        layers.SpatialDropout2D(1.5)
    with pytest.raises(ValueError, match="rank 3"):
        layers.SpatialDropout1D(0.5)(torch.ones(2, 3, 4, 5), training=True)


# ---------------------------------------------------------------- Gaussian noise / dropout

def test_gaussian_noise_statistics_and_inference_identity():
    layer = layers.GaussianNoise(0.3, seed=11)
    x = torch.full((200, 500), 2.0)
    noise = (layer(x, training=True) - x).numpy().astype("float64")
    assert abs(noise.mean()) < 0.003
    assert abs(noise.std() - 0.3) < 0.003
    torch.testing.assert_close(layer(x), x)
    torch.testing.assert_close(layer(x, training=False), x)
    again = layers.GaussianNoise(0.3, seed=11)(x, training=True)
    torch.testing.assert_close(again - x, torch.from_numpy(noise).float())
    assert layer.get_config()["stddev"] == 0.3 and layer.get_config()["seed"] == 11
    with pytest.raises(ValueError, match="stddev"):
        layers.GaussianNoise(-0.1)


def test_gaussian_dropout_statistics():
    rate = 0.2
    layer = layers.GaussianDropout(rate, seed=5)
    x = torch.full((200, 500), 3.0)
    factor = (layer(x, training=True) / x).numpy().astype("float64")
    assert abs(factor.mean() - 1.0) < 0.003
    assert abs(factor.std() - math.sqrt(rate / (1 - rate))) < 0.003
    torch.testing.assert_close(layer(x, training=False), x)
    clone = layers.GaussianDropout.from_config(layer.get_config())
    assert (clone.rate, clone.seed) == (0.2, 5)
    with pytest.raises(ValueError, match="rate"):
        layers.GaussianDropout(2)
    with pytest.raises(ValueError, match="rate=1"):
        layers.GaussianDropout(1.0)(x, training=True)


# ---------------------------------------------------------------- Dot

@pytest.mark.parametrize("axes,xs,ys,spec", [
    (1, (3, 4), (3, 4), "bk,bk->b"),
    (-1, (3, 5, 4), (3, 4), "bik,bk->bi"),
    ((1, 2), (3, 4, 5), (3, 6, 4), "bki,bjk->bij"),
    ((2, 1), (3, 6, 4), (3, 4, 2, 5), "bik,bkjl->bijl"),
    ((1, 1), (3, 4), (3, 4, 7), "bk,bkj->bj")])
def test_dot_equals_einsum(axes, xs, ys, spec):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(xs).astype("float32")
    y = rng.standard_normal(ys).astype("float32")
    out = layers.Dot(axes=axes)([torch.from_numpy(x), torch.from_numpy(y)]).numpy()
    ref = np.einsum(spec, x.astype("float64"), y.astype("float64"))
    if ref.ndim == 1:
        ref = ref[:, None]
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    symbolic = layers.Dot(axes=axes)([keras.Input(xs[1:]), keras.Input(ys[1:])])
    assert symbolic.shape == (None,) + ref.shape[1:]


def test_dot_normalize_is_cosine_similarity():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((4, 6, 3)).astype("float32")
    y = rng.standard_normal((4, 6, 5)).astype("float32")
    out = keras.layers.dot([torch.from_numpy(x), torch.from_numpy(y)], axes=1,
                           normalize=True).numpy()
    xn = x / np.linalg.norm(x, axis=1, keepdims=True)
    yn = y / np.linalg.norm(y, axis=1, keepdims=True)
    np.testing.assert_allclose(out, np.einsum("bki,bkj->bij", xn, yn), rtol=1e-5, atol=1e-6)
    # A zero vector: the inverse norm is capped at 1 / epsilon, so the result is 0, not NaN.
    zero = layers.Dot(1, normalize=True)([torch.zeros(2, 3), torch.ones(2, 3)])
    torch.testing.assert_close(zero, torch.zeros(2, 1))


def test_dot_config_and_errors():
    layer = layers.Dot(axes=(1, 2), normalize=True)
    config = layer.get_config()
    assert config["axes"] == (1, 2) and config["normalize"] is True
    clone = layers.Dot.from_config(json.loads(json.dumps(config)))
    assert clone.axes == (1, 2) and clone.normalize
    with pytest.raises(TypeError, match="axes"):
        layers.Dot(axes="1")
    with pytest.raises(ValueError, match="two elements"):
        layers.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="2 inputs"):
        layers.Dot(1)([torch.ones(2, 3)] * 3)
    with pytest.raises(ValueError, match="incompatible"):
        layers.Dot(1)([keras.Input((3,)), keras.Input((4,))])
    with pytest.raises(ValueError, match="batch axis"):
        layers.Dot(0)([torch.ones(2, 3), torch.ones(2, 3)])


# ---------------------------------------------------------------- whole models

def test_model_with_new_layers_trains_saves_and_loads(tmp_path):
    img = keras.Input((10, 10, 3))
    a = layers.Cropping2D(((1, 0), (0, 1)))(img)
    a = layers.SeparableConv2D(4, 3, padding="same", activation="relu")(a)
    a = layers.SpatialDropout2D(0.2, seed=1)(a)
    a = layers.DepthwiseConv2D(3, depth_multiplier=2)(a)
    a = layers.GaussianNoise(0.1, seed=2)(a)
    a = layers.GaussianDropout(0.1, seed=3)(layers.Flatten()(a))
    seq = keras.Input((12, 5))
    b = layers.Cropping1D((1, 2))(seq)
    b = layers.SeparableConv1D(4, 3)(b)
    b = layers.DepthwiseConv1D(2)(layers.SpatialDropout1D(0.1)(b))
    b = layers.Flatten()(b)
    a = layers.Dense(6)(a)
    b = layers.Dense(6)(b)
    out = layers.Dot(axes=1, normalize=True)([a, b])
    model = keras.Model([img, seq], out)
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    x = [rng.standard_normal((16, 10, 10, 3)).astype("float32"),
         rng.standard_normal((16, 12, 5)).astype("float32")]
    y = rng.uniform(-1, 1, (16, 1)).astype("float32")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    before = model.predict(x, verbose=0)
    path = tmp_path / "more.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), before, rtol=1e-6, atol=1e-6)
    names = [type(l).__name__ for l in loaded.layers]
    for cls in ("Cropping2D", "SeparableConv2D", "SpatialDropout2D", "DepthwiseConv2D",
                "GaussianNoise", "GaussianDropout", "Cropping1D", "SeparableConv1D",
                "SpatialDropout1D", "DepthwiseConv1D", "Dot"):
        assert cls in names
    for old, new in zip(model.weights, loaded.weights):
        assert old.path == new.path
        np.testing.assert_array_equal(old.numpy(), new.numpy())
