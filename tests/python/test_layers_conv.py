"""Convolution layers against independent numpy / plain-torch computations."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from torkeras import layers
from torkeras.layers import Input


def _np_conv2d_nhwc(x, kernel, bias, strides, padding, dilation=(1, 1)):
    """Direct loop convolution: x (N,H,W,C), kernel (kh,kw,C,O); TF 'same' rule."""
    n, h, w, c = x.shape
    kh, kw, _, o = kernel.shape
    sh, sw = strides
    dh, dw = dilation
    eh, ew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        ph = max((oh - 1) * sh + eh - h, 0)
        pw = max((ow - 1) * sw + ew - w, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (h - eh) // sh + 1, (w - ew) // sw + 1
    out = np.zeros((n, oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * sh:i * sh + eh:dh, j * sw:j * sw + ew:dw, :]  # (N,kh,kw,C)
            out[:, i, j, :] = np.einsum("nabc,abco->no", patch, kernel)
    return out + (bias if bias is not None else 0)


@pytest.mark.parametrize("strides,padding,hw", [
    ((1, 1), "valid", (7, 6)), ((1, 1), "same", (7, 6)), ((2, 2), "same", (7, 6)),
    ((2, 2), "same", (8, 8)), ((2, 1), "valid", (9, 5)), ((3, 2), "same", (10, 7))])
def test_conv2d_matches_numpy(strides, padding, hw):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2,) + hw + (3,)).astype("float32")
    layer = layers.Conv2D(4, (3, 2), strides=strides, padding=padding,
                          bias_initializer="random_normal")
    y = layer(torch.from_numpy(x)).detach().numpy()
    ref = _np_conv2d_nhwc(x.astype("float64"), layer.kernel.numpy().astype("float64"),
                          layer.bias.numpy(), strides, padding)
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-4)
    assert layer.compute_output_shape((2,) + hw + (3,)) == y.shape


def test_conv2d_vs_torch_conv2d_with_transposed_kernel():
    torch.manual_seed(0)
    x = torch.randn(3, 9, 9, 4)
    layer = layers.Conv2D(6, 3, padding="same", dilation_rate=2, activation="relu")
    y = layer(x)
    w = layer.kernel.value.detach().permute(3, 2, 0, 1)  # (kh,kw,in,out) -> (out,in,kh,kw)
    ref = F.conv2d(x.permute(0, 3, 1, 2), w, layer.bias.value.detach(), padding="same",
                   dilation=2).permute(0, 2, 3, 1).relu()
    torch.testing.assert_close(y, ref)
    ref_np = np.maximum(_np_conv2d_nhwc(x.double().numpy(), layer.kernel.numpy().astype("float64"),
                                        layer.bias.numpy(), (1, 1), "same", (2, 2)), 0)
    np.testing.assert_allclose(y.detach().numpy(), ref_np, rtol=1e-4, atol=1e-4)


def test_conv2d_groups_and_channels_first():
    torch.manual_seed(1)
    x = torch.randn(2, 4, 6, 6)  # channels_first
    layer = layers.Conv2D(6, 3, groups=2, data_format="channels_first")
    y = layer(x)
    assert layer.kernel.shape == (3, 3, 2, 6)
    assert y.shape == (2, 6, 4, 4)
    w = layer.kernel.value.detach().permute(3, 2, 0, 1)
    torch.testing.assert_close(y, F.conv2d(x, w, layer.bias.value.detach(), groups=2))
    sym = layer(Input(shape=(4, None, 6)))
    assert sym.shape == (None, 6, None, 4)


def test_conv1d_causal_and_same():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 10, 3)).astype("float32")
    causal = layers.Conv1D(5, 3, padding="causal", dilation_rate=2)
    y = causal(torch.from_numpy(x)).detach().numpy()
    k = causal.kernel.numpy()
    assert k.shape == (3, 3, 5)
    xp = np.pad(x, ((0, 0), (4, 0), (0, 0)))
    ref = np.stack([np.einsum("nkc,kco->no", xp[:, t:t + 5:2, :], k) for t in range(10)], axis=1)
    np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-5)
    same = layers.Conv1D(2, 4, strides=3, padding="same")
    assert same(torch.from_numpy(x)).shape == (2, 4, 2)
    assert same.compute_output_shape((None, 10, 3)) == (None, 4, 2)


def test_dcgan_discriminator_shapes_and_params():
    inp = Input(shape=(28, 28, 1))
    c1 = layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same")
    h = c1(inp)
    assert h.shape == (None, 14, 14, 64)
    assert c1.count_params() == 640
    c2 = layers.Conv2D(128, (3, 3), strides=(2, 2), padding="same")
    h = c2(h)
    assert h.shape == (None, 7, 7, 128)
    assert c2.count_params() == 73856
    assert layers.Flatten()(h).shape == (None, 6272)
    assert [w.name for w in c1.weights] == ["kernel", "bias"]
    assert c1.kernel.shape == (3, 3, 1, 64)


def test_dcgan_generator_shapes_and_params():
    z = Input(shape=(128,))
    h = layers.Dense(7 * 7 * 128)(z)
    h = layers.LeakyReLU(negative_slope=0.2)(h)
    h = layers.Reshape((7, 7, 128))(h)
    assert h.shape == (None, 7, 7, 128)
    t1 = layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same")
    h = t1(h)
    assert h.shape == (None, 14, 14, 128)
    assert t1.count_params() == 262272
    assert t1.kernel.shape == (4, 4, 128, 128)
    t2 = layers.Conv2DTranspose(128, (4, 4), strides=(2, 2), padding="same")
    h = t2(h)
    assert h.shape == (None, 28, 28, 128)
    out = layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid")(h)
    assert out.shape == (None, 28, 28, 1)
    y = t1(torch.randn(2, 7, 7, 128))
    assert y.shape == (2, 14, 14, 128)


def _same_conv_nchw(z, w_conv, stride, extent):
    """TF 'same' convolution (no bias), padding computed from the output size."""
    h, w = z.shape[2:]
    pads = []
    for n, s, e in ((w, stride[1], extent[1]), (h, stride[0], extent[0])):
        total = max((math.ceil(n / s) - 1) * s + e - n, 0)
        pads += [total // 2, total - total // 2]
    return F.conv2d(F.pad(z, pads), w_conv, stride=stride)


@pytest.mark.parametrize("kernel,strides,hw", [
    ((4, 4), (2, 2), (5, 5)), ((3, 3), (2, 2), (4, 5)), ((5, 2), (2, 3), (3, 4)),
    ((2, 2), (3, 3), (3, 3)), ((3, 3), (1, 1), (4, 4))])
def test_conv2d_transpose_same_is_adjoint_of_same_conv(kernel, strides, hw):
    """A 'same' transposed conv is the gradient of the 'same' conv on the output size."""
    torch.manual_seed(3)
    layer = layers.Conv2DTranspose(3, kernel, strides=strides, padding="same", use_bias=False)
    x = torch.randn(2, hw[0], hw[1], 4)
    y = layer(x)
    out_hw = (hw[0] * strides[0], hw[1] * strides[1])
    assert y.shape == (2,) + out_hw + (3,)
    # Keras kernel (kh, kw, out=3, in=4) is, for the forward conv 3 -> 4, (kh, kw, 3, 4).
    w_conv = layer.kernel.value.detach().permute(3, 2, 0, 1)  # (4, 3, kh, kw)
    z = torch.zeros(2, 3, *out_hw, requires_grad=True)
    conv = _same_conv_nchw(z, w_conv, strides, kernel)
    (conv * x.permute(0, 3, 1, 2)).sum().backward()
    ref = z.grad.permute(0, 2, 3, 1)
    torch.testing.assert_close(y, ref, rtol=1e-4, atol=1e-5)


def _np_conv_transpose_valid(x, kernel, bias, strides, output_padding=(0, 0)):
    """Scatter-add transposed convolution: x (N,H,W,C_in), kernel (kh,kw,C_out,C_in)."""
    n, h, w, _ = x.shape
    kh, kw, o, _ = kernel.shape
    sh, sw = strides
    full = np.zeros((n, (h - 1) * sh + kh + output_padding[0], (w - 1) * sw + kw + output_padding[1], o))
    for i in range(h):
        for j in range(w):
            full[:, i * sh:i * sh + kh, j * sw:j * sw + kw, :] += np.einsum(
                "nc,abOc->nabO".replace("O", "o"), x[:, i, j, :], kernel)
    return full + bias


@pytest.mark.parametrize("kernel,strides,output_padding", [
    ((3, 3), (2, 2), None), ((2, 2), (3, 3), None), ((4, 3), (2, 1), (1, 0)), ((1, 1), (2, 2), None)])
def test_conv2d_transpose_valid_matches_numpy(kernel, strides, output_padding):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 4, 5)).astype("float32")
    layer = layers.Conv2DTranspose(2, kernel, strides=strides, padding="valid",
                                   output_padding=output_padding, bias_initializer="ones")
    y = layer(torch.from_numpy(x)).detach().numpy()
    expected_shape = layer.compute_output_shape((2, 3, 4, 5))
    assert y.shape == expected_shape
    ref = _np_conv_transpose_valid(x.astype("float64"), layer.kernel.numpy().astype("float64"),
                                   layer.bias.numpy(), strides)
    # Keras valid length: n*s + max(k - s, 0) (or (n-1)*s + k + output_padding); positions
    # past the full transposed conv hold only the bias.
    padded = np.ones((2,) + expected_shape[1:3] + (2,))
    padded[:, :ref.shape[1], :ref.shape[2], :] = ref[:, :expected_shape[1], :expected_shape[2], :]
    np.testing.assert_allclose(y, padded, rtol=1e-4, atol=1e-4)


def test_conv_transpose_output_shapes_follow_keras():
    def shape(**kw):
        return layers.Conv2DTranspose(8, **kw).compute_output_shape((None, 7, 7, 3))
    assert shape(kernel_size=4, strides=2, padding="same") == (None, 14, 14, 8)
    assert shape(kernel_size=4, strides=2, padding="valid") == (None, 16, 16, 8)
    assert shape(kernel_size=3, strides=2, padding="valid") == (None, 15, 15, 8)
    assert shape(kernel_size=2, strides=3, padding="valid") == (None, 21, 21, 8)
    assert shape(kernel_size=3, strides=2, padding="same", output_padding=1) == (None, 14, 14, 8)
    assert shape(kernel_size=3, strides=2, padding="valid", output_padding=1) == (None, 16, 16, 8)
    layer = layers.Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=1)
    assert layer(torch.randn(1, 7, 7, 3)).shape == (1, 14, 14, 8)
    layer = layers.Conv2DTranspose(8, 3, strides=2, padding="valid", output_padding=1)
    assert layer(torch.randn(1, 7, 7, 3)).shape == (1, 16, 16, 8)
    assert layers.Conv2DTranspose(8, 3, strides=2)(Input(shape=(None, 5, 3))).shape == \
        (None, None, 11, 8)
    c1 = layers.Conv1DTranspose(4, 3, strides=2, padding="same")
    assert c1(torch.randn(2, 5, 3)).shape == (2, 10, 4)


def test_conv_transpose_channels_first_matches_channels_last():
    torch.manual_seed(5)
    a = layers.Conv2DTranspose(3, 3, strides=2, padding="same")
    b = layers.Conv2DTranspose(3, 3, strides=2, padding="same", data_format="channels_first")
    x = torch.randn(2, 5, 5, 4)
    ya = a(x)
    b.build((None, 4, 5, 5))
    b.set_weights(a.get_weights())
    yb = b(x.permute(0, 3, 1, 2))
    torch.testing.assert_close(ya, yb.permute(0, 2, 3, 1))


def test_conv_gradients_flow_to_kernel():
    layer = layers.Conv2D(2, 3, padding="same")
    y = layer(torch.randn(2, 5, 5, 1))
    y.sum().backward()
    assert layer.kernel.value.grad is not None and layer.kernel.value.grad.shape == (3, 3, 1, 2)


@pytest.mark.parametrize("cls", [layers.Conv1D, layers.Conv2D, layers.Conv2DTranspose])
def test_conv_config_round_trip(cls):
    layer = cls(16, 3, strides=2, padding="same", activation="relu", use_bias=False,
                kernel_initializer="he_normal", kernel_regularizer="l2", name="c")
    config = layer.get_config()
    assert config["filters"] == 16 and config["padding"] == "same"
    assert config["activation"] == "relu"
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    again = cls.from_config(config)
    assert again.get_config() == config
    import json
    assert cls.from_config(json.loads(json.dumps(config))).get_config() == config


def test_conv2d_config_keys():
    config = layers.Conv2D(8, (3, 3)).get_config()
    for key in ("name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding",
                "data_format", "dilation_rate", "groups", "activation", "use_bias",
                "kernel_initializer", "bias_initializer", "kernel_regularizer",
                "bias_regularizer", "activity_regularizer", "kernel_constraint",
                "bias_constraint"):
        assert key in config
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1)
    assert config["data_format"] == "channels_last"
    ct = layers.Conv2DTranspose(8, 4).get_config()
    assert ct["output_padding"] is None and "groups" not in ct


def test_conv_argument_errors():
    with pytest.raises(ValueError, match="filters"):
        layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="kernel_size"):
        layers.Conv2D(4, (3, 3, 3))
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(4, 3, padding="full")
    with pytest.raises(ValueError, match="padding"):
        layers.Conv2D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="data_format"):
        layers.Conv2D(4, 3, data_format="NHWC")
    with pytest.raises(ValueError, match="strides"):
        layers.Conv2D(4, 3, strides=0)
    with pytest.raises(ValueError, match="dilation_rate"):
        layers.Conv2D(4, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match="groups"):
        layers.Conv2D(4, 3, groups=2)(Input(shape=(8, 8, 3)))
    with pytest.raises(ValueError, match="output padding"):
        layers.Conv2DTranspose(4, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        layers.Conv2D(4, 3, kernel_sise=3)
    with pytest.raises(ValueError, match="rank 4"):
        layers.Conv2D(4, 3)(Input(shape=(8, 3)))


def test_aliases():
    assert layers.Convolution2D is layers.Conv2D
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Conv2D(2, 3, name="x").name == "x"
    # R passes doubles for integer arguments
    layer = layers.Conv2D(4.0, 3.0, strides=(2.0, 2.0))
    assert layer.filters == 4 and layer.kernel_size == (3, 3) and layer.strides == (2, 2)
