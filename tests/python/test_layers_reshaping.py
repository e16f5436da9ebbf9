"""UpSampling1D/3D, ZeroPadding1D/3D and AdaptiveAverage/MaxPooling1D/2D/3D:
the shared layer checks (tests/python/layer_test_kit.py) with independent NumPy
references, argument errors and edge cases."""
import itertools
import math

import numpy as np
import pytest

import torkeras as keras
from layer_test_kit import run_layer_test

L = keras.layers
RNG = np.random.default_rng(11)


def _data(shape):
    return RNG.standard_normal(shape).astype("float32")


def _adaptive_np(x, output_size, reduce, channels_last):
    """Adaptive pooling written out: output index i of an axis of length n pooled
    to m reduces input entries floor(i*n/m) .. ceil((i+1)*n/m) - 1."""
    if channels_last:
        x = np.moveaxis(x, -1, 1)
    spatial = x.shape[2:]
    out = np.empty(x.shape[:2] + tuple(output_size), dtype=x.dtype)
    for idx in itertools.product(*[range(m) for m in output_size]):
        window = tuple(slice(math.floor(i * n / m), math.ceil((i + 1) * n / m))
                       for i, n, m in zip(idx, spatial, output_size))
        block = x[(slice(None), slice(None)) + window]
        flat = block.reshape(block.shape[:2] + (-1,))
        out[(slice(None), slice(None)) + idx] = reduce(flat, axis=-1)
    return np.moveaxis(out, 1, -1) if channels_last else out


def test_upsampling1d():
    x = _data((2, 3, 4))
    run_layer_test(L.UpSampling1D, {"size": 3}, input_data=x, expected_output_shape=(2, 9, 4),
                   expected_output=np.repeat(x, 3, axis=1),
                   expected_num_trainable_weights=0, expected_num_non_trainable_weights=0)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_upsampling3d(data_format):
    x = _data((2, 2, 3, 2, 3))
    first = 1 if data_format == "channels_last" else 2
    expected = x
    for axis, k in zip(range(first, first + 3), (2, 1, 3)):
        expected = np.repeat(expected, k, axis=axis)
    run_layer_test(L.UpSampling3D, {"size": (2, 1, 3), "data_format": data_format},
                   input_data=x, expected_output_shape=expected.shape, expected_output=expected,
                   expected_num_trainable_weights=0)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding", [2, (0, 3)])
def test_zero_padding1d(data_format, padding):
    x = _data((2, 3, 4))
    pair = (padding, padding) if isinstance(padding, int) else padding
    widths = [(0, 0), pair, (0, 0)] if data_format == "channels_last" else [(0, 0), (0, 0), pair]
    expected = np.pad(x, widths)
    run_layer_test(L.ZeroPadding1D, {"padding": padding, "data_format": data_format},
                   input_data=x, expected_output_shape=expected.shape, expected_output=expected)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("padding,pairs", [
    (1, ((1, 1),) * 3),
    ((1, 0, 2), ((1, 1), (0, 0), (2, 2))),
    (((0, 1), (2, 0), (1, 3)), ((0, 1), (2, 0), (1, 3))),
    ((2, (1, 0), 0), ((2, 2), (1, 0), (0, 0))),
])
def test_zero_padding3d(data_format, padding, pairs):
    x = _data((2, 2, 3, 2, 3))
    if data_format == "channels_last":
        widths = [(0, 0), *pairs, (0, 0)]
    else:
        widths = [(0, 0), (0, 0), *pairs]
    expected = np.pad(x, widths)
    layer, _ = run_layer_test(L.ZeroPadding3D, {"padding": padding, "data_format": data_format},
                              input_data=x, expected_output_shape=expected.shape,
                              expected_output=expected)
    assert layer.padding == pairs


ADAPTIVE = [
    (L.AdaptiveAveragePooling1D, np.mean, (2, 7, 3), 3),
    (L.AdaptiveMaxPooling1D, np.max, (2, 7, 3), (4,)),
    (L.AdaptiveAveragePooling1D, np.mean, (1, 3, 2), 5),  # output longer than input
    (L.AdaptiveAveragePooling2D, np.mean, (2, 5, 7, 3), (2, 3)),
    (L.AdaptiveMaxPooling2D, np.max, (2, 8, 6, 2), 3),
    (L.AdaptiveAveragePooling3D, np.mean, (1, 5, 4, 7, 2), (2, 3, 2)),
    (L.AdaptiveMaxPooling3D, np.max, (2, 3, 5, 4, 2), 2),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("cls,reduce,shape,output_size", ADAPTIVE,
                         ids=[f"{c.__name__}-{s}" for c, _, s, _ in ADAPTIVE])
def test_adaptive_pooling(cls, reduce, shape, output_size, data_format):
    x = _data(shape)
    rank = len(shape) - 2
    sizes = (output_size,) * rank if isinstance(output_size, int) else tuple(output_size)
    expected = _adaptive_np(x, sizes, reduce, data_format == "channels_last")
    layer, _ = run_layer_test(cls, {"output_size": output_size, "data_format": data_format},
                              input_data=x, expected_output_shape=expected.shape,
                              expected_output=expected, rtol=1e-6, atol=1e-6,
                              expected_num_trainable_weights=0)
    assert layer.output_size == sizes


def test_adaptive_pooling_accepts_any_input_size_symbolically():
    inp = keras.Input((None, None, 3))
    out = L.AdaptiveAveragePooling2D((4, 2))(inp)
    assert tuple(out.shape) == (None, 4, 2, 3)
    model = keras.Model(inp, out)
    for h, w in ((9, 5), (4, 2), (13, 17)):
        x = _data((1, h, w, 3))
        np.testing.assert_allclose(model.predict(x, verbose=0),
                                   _adaptive_np(x, (4, 2), np.mean, True), rtol=1e-6, atol=1e-6)


def test_unknown_dims_stay_unknown():
    assert L.UpSampling1D(2).compute_output_shape((None, None, 3)) == (None, None, 3)
    assert L.ZeroPadding3D(1).compute_output_shape((4, None, 2, None, 1)) == (4, None, 4, None, 1)
    assert L.UpSampling3D(2, data_format="channels_first").compute_output_shape(
        (None, 3, None, 2, 1)) == (None, 3, None, 4, 2)


def test_r_style_whole_doubles_are_accepted():
    assert L.UpSampling1D(3.0).size == 3
    assert L.AdaptiveMaxPooling2D((2.0, 3.0)).output_size == (2, 3)
    assert L.ZeroPadding1D(2.0).padding == (2, 2)


@pytest.mark.parametrize("make,message", [
    (lambda: L.UpSampling1D(0), "size"),
    (lambda: L.UpSampling1D(1.5), "size"),
    (lambda: L.UpSampling3D((2, 2)), "size"),
    (lambda: L.UpSampling3D(2, data_format="channels_middle"), "data_format"),
    (lambda: L.ZeroPadding1D(-1), "padding"),
    (lambda: L.ZeroPadding1D((1, 2, 3)), "padding"),
    (lambda: L.ZeroPadding3D((1, 2)), "padding"),
    (lambda: L.ZeroPadding3D((1, (1, 2, 3), 1)), "2nd entry of padding"),
    (lambda: L.ZeroPadding3D("same"), "padding"),
    (lambda: L.AdaptiveAveragePooling1D(0), "output_size"),
    (lambda: L.AdaptiveMaxPooling2D((2, 2, 2)), "output_size"),
    (lambda: L.AdaptiveMaxPooling3D("big"), "output_size"),
    (lambda: L.AdaptiveAveragePooling3D(2, data_format="nchw"), "data_format"),
])
def test_bad_arguments(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


@pytest.mark.parametrize("layer,shape", [
    (lambda: L.UpSampling1D(2), (2, 3)),
    (lambda: L.UpSampling3D(2), (1, 2, 2, 2)),
    (lambda: L.ZeroPadding1D(1), (1, 2, 3, 4)),
    (lambda: L.ZeroPadding3D(1), (1, 2, 3)),
    (lambda: L.AdaptiveAveragePooling2D(2), (1, 4, 4)),
    (lambda: L.AdaptiveMaxPooling1D(2), (1, 4, 4, 1)),
])
def test_wrong_input_rank_is_a_clear_error(layer, shape):
    with pytest.raises(ValueError, match="expects inputs of rank"):
        layer()(np.zeros(shape, "float32"))
    with pytest.raises(ValueError, match="expects inputs of rank"):
        layer()(keras.Input(shape[1:]))


def test_gradients_flow_through_adaptive_max_and_padding():
    import torch
    x_np = _data((1, 5, 2))
    x = torch.tensor(x_np, requires_grad=True)
    y = L.AdaptiveMaxPooling1D(2)(L.ZeroPadding1D(1)(x))
    y.sum().backward()
    # 7 padded steps pooled to 2: windows 0..3 and 3..6 (overlapping at 3);
    # each window's maximum receives gradient 1.
    padded = np.pad(x_np, [(0, 0), (1, 1), (0, 0)])
    expected = np.zeros_like(padded)
    for lo, hi in ((0, 4), (3, 7)):
        for c in range(2):
            expected[0, lo + int(np.argmax(padded[0, lo:hi, c])), c] += 1
    np.testing.assert_array_equal(x.grad.numpy(), expected[:, 1:-1])
