"""keras.ops.image: errors, edge cases, symbolic shapes, seeds (the values are
compared with Keras in test_keras_ops_image.py)."""
import numpy as np
import pytest
import torch

import torkeras as keras
from torkeras.ops import image as image_ops

RNG = np.random.default_rng(0)


def _images(*shape):
    return RNG.uniform(0, 1, shape).astype("float32")


# -- errors ------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: image_ops.resize(_images(4, 4, 3), (2,)), "size"),
    (lambda: image_ops.resize(_images(4, 4, 3), (0, 2)), "positive"),
    (lambda: image_ops.resize(_images(4, 4, 3), (2, 2), interpolation="area"), "interpolation"),
    (lambda: image_ops.resize(_images(4, 4, 3), (2, 2), interpolation="lanczos3"), "Lanczos"),
    (lambda: image_ops.resize(_images(4, 4, 3), (2, 2), fill_mode="reflect"), "fill_mode"),
    (lambda: image_ops.resize(_images(4, 4, 3), (2, 2), crop_to_aspect_ratio=True,
                              pad_to_aspect_ratio=True), "pad_to_aspect_ratio"),
    (lambda: image_ops.resize(_images(4, 4), (2, 2)), "rank"),
    (lambda: image_ops.resize(_images(4, 4, 3), (2, 2), data_format="nhwc"), "data_format"),
    (lambda: image_ops.rgb_to_grayscale(_images(4, 4, 2)), "channel"),
    (lambda: image_ops.rgb_to_hsv(np.zeros((4, 4, 3), "int32")), "float dtype"),
    (lambda: image_ops.hsv_to_rgb(_images(4, 4, 4)), "3 channels"),
    (lambda: image_ops.affine_transform(_images(4, 4, 3), np.zeros(6, "float32")), "transform"),
    (lambda: image_ops.affine_transform(_images(4, 4, 3), np.zeros(8, "float32"),
                                        fill_mode="edge"), "fill_mode"),
    (lambda: image_ops.affine_transform(_images(4, 4, 3), np.zeros(8, "float32"),
                                        interpolation="bicubic"), "interpolation"),
    (lambda: image_ops.affine_transform(_images(3, 4, 4, 3), np.zeros((2, 8), "float32")),
     "2 transforms for a batch of 3"),
    (lambda: image_ops.map_coordinates(_images(4, 4), np.zeros((3, 2), "float32"), 1),
     "rank of `inputs`"),
    (lambda: image_ops.map_coordinates(_images(4, 4), np.zeros((2, 2), "float32"), 3), "order"),
    (lambda: image_ops.perspective_transform(_images(4, 4, 3), np.zeros((3, 2)),
                                             np.zeros((3, 2))), "start_points"),
    (lambda: image_ops.perspective_transform(_images(4, 4, 3), np.zeros((4, 2)),
                                             np.zeros((1, 4, 2))), "same shape"),
    (lambda: image_ops.gaussian_blur(_images(4, 4, 3), kernel_size=(3,)), "kernel_size"),
    (lambda: image_ops.sobel_edges(_images(4, 4, 3)), "rank 4"),
    (lambda: image_ops.elastic_transform(_images(4, 4, 3), seed="x"), "seed"),
    (lambda: image_ops.scale_and_translate(_images(4, 4), (2, 2), [1.0], [0.0], (0,), "area"),
     "method"),
    (lambda: image_ops.scale_and_translate(_images(4, 4), (2,), [1.0], [0.0], (0,), "linear"),
     "output_shape"),
    (lambda: image_ops.ssim(_images(4, 4, 3), _images(4, 5, 3)), "same shape"),
    (lambda: image_ops.ssim(_images(8, 8, 3), _images(8, 8, 3)), "filter_size"),
    (lambda: image_ops.extract_patches(_images(4, 4, 3), "3"), "size"),
    (lambda: image_ops.extract_patches(_images(4, 4, 3), (1, 2, 3, 4)), "length 2 or 3"),
    (lambda: image_ops.extract_patches(_images(4, 4, 3), 2, padding="full"), "padding"),
    (lambda: image_ops.extract_patches_3d(_images(4, 4, 3), 2), "rank"),
    (lambda: image_ops.pad_images(_images(4, 4, 3), 1, 1), "exactly two"),
    (lambda: image_ops.pad_images(_images(4, 4, 3), 1, 1, target_height=3, target_width=6),
     "bottom_padding must be >= 0"),
    (lambda: image_ops.pad_images(_images(4, 4, 3), -1, 1, 1, 1), "top_padding must be >= 0"),
    (lambda: image_ops.crop_images(_images(4, 4, 3), 1, 1, target_height=4, target_width=2),
     "does not fit"),
    (lambda: image_ops.crop_images(_images(4, 4, 3), 1.5, 1, 1, 1), "integer"),
])
def test_bad_arguments_are_clear_errors(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# -- edge cases ----------------------------------------------------------------------
def test_default_data_format_follows_config():
    x = _images(2, 3, 6, 5)  # channels_first: 3 channels of 6x5
    keras.config.set_image_data_format("channels_first")
    try:
        default = image_ops.gaussian_blur(x)
        resized = image_ops.resize(x, (3, 4))
    finally:
        keras.config.set_image_data_format("channels_last")
    explicit = image_ops.gaussian_blur(x, data_format="channels_first")
    np.testing.assert_array_equal(default.numpy(), explicit.numpy())
    assert tuple(resized.shape) == (2, 3, 3, 4)


def test_affine_identity_and_one_transform_for_a_batch():
    x = _images(3, 5, 6, 2)
    identity = np.array([1, 0, 0, 0, 1, 0, 0, 0], "float32")
    np.testing.assert_array_equal(image_ops.affine_transform(x, identity).numpy(), x)
    shift = np.array([1, 0, 1, 0, 1, 0, 0, 0], "float32")
    shared = image_ops.affine_transform(x, shift[None], interpolation="nearest")
    stacked = image_ops.affine_transform(x, np.stack([shift] * 3), interpolation="nearest")
    np.testing.assert_array_equal(shared.numpy(), stacked.numpy())
    # x' = x + 1: output column j is input column j + 1; the last column is filled.
    np.testing.assert_array_equal(shared.numpy()[:, :, :-1], x[:, :, 1:])
    assert np.all(shared.numpy()[:, :, -1] == 0)


def test_map_coordinates_fill_modes_on_a_line():
    line = np.arange(4, dtype="float32")  # a b c d = 0 1 2 3
    at = np.array([[-3, -2, -1, 4, 5, 6]], "float32")
    expect = {"constant": [9, 9, 9, 9, 9, 9], "nearest": [0, 0, 0, 3, 3, 3],
              "wrap": [1, 2, 3, 0, 1, 2], "mirror": [3, 2, 1, 2, 1, 0],
              "reflect": [2, 1, 0, 3, 2, 1]}
    for mode, values in expect.items():
        out = image_ops.map_coordinates(line, at, 0, fill_mode=mode, fill_value=9)
        np.testing.assert_array_equal(out.numpy(), values, err_msg=mode)
    # linear interpolation between pixel centres
    out = image_ops.map_coordinates(line, [np.array([0.25, 2.5], "float32")], 1)
    np.testing.assert_allclose(out.numpy(), [0.25, 2.5])


def test_map_coordinates_size_one_axis_mirror():
    out = image_ops.map_coordinates(np.array([5.0], "float32"), np.array([[-2, 0, 3]], "float32"),
                                    0, fill_mode="mirror")
    np.testing.assert_array_equal(out.numpy(), [5, 5, 5])


def test_integer_images_round_back():
    x = (RNG.uniform(0, 255, (2, 6, 7, 3))).astype("uint8")
    blurred = image_ops.gaussian_blur(x, data_format="channels_last")
    assert blurred.dtype == torch.uint8
    expected = image_ops.gaussian_blur(x.astype("float32"), data_format="channels_last")
    np.testing.assert_array_equal(blurred.numpy(), np.round(expected.numpy()).astype("uint8"))
    patches = image_ops.extract_patches(x.astype("int32"), 2)
    assert patches.dtype == torch.int32 and tuple(patches.shape) == (2, 3, 3, 12)


def test_patches_layout_row_col_channel():
    x = np.arange(2 * 4 * 4 * 2, dtype="float32").reshape(2, 4, 4, 2)
    p = image_ops.extract_patches(x, (2, 2)).numpy()
    np.testing.assert_array_equal(p[1, 1, 0], x[1, 2:4, 0:2, :].reshape(-1))
    v = np.arange(4 * 4 * 4 * 1, dtype="float32").reshape(4, 4, 4, 1)
    q = image_ops.extract_patches_3d(v, 2).numpy()
    np.testing.assert_array_equal(q[1, 0, 1], v[2:4, 0:2, 2:4, :].reshape(-1))


def test_crop_then_pad_round_trip():
    x = _images(2, 3, 6, 7)
    cropped = image_ops.crop_images(x, 1, 2, 1, 1, data_format="channels_first")
    assert tuple(cropped.shape) == (2, 3, 4, 4)
    padded = image_ops.pad_images(cropped, 1, 2, 1, 1, data_format="channels_first")
    assert tuple(padded.shape) == tuple(x.shape)
    np.testing.assert_array_equal(padded.numpy()[:, :, 1:5, 2:6], x[:, :, 1:5, 2:6])
    assert np.all(padded.numpy()[:, :, 0] == 0)


def test_hsv_round_trip_and_known_values():
    x = _images(2, 4, 5, 3)
    back = image_ops.hsv_to_rgb(image_ops.rgb_to_hsv(x))
    np.testing.assert_allclose(back.numpy(), x, atol=1e-6)
    hsv = image_ops.rgb_to_hsv(np.array([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5]]],
                                        "float32")).numpy()
    np.testing.assert_allclose(hsv[0], [[0, 1, 1], [1 / 3, 1, 1], [2 / 3, 1, 1], [0, 0, 0.5]],
                               atol=1e-7)


def test_ssim_identical_is_one_and_sobel_of_a_ramp():
    x = _images(2, 12, 12, 3)
    np.testing.assert_allclose(image_ops.ssim(x, x).numpy(), [1, 1], rtol=1e-6)
    assert image_ops.ssim(x[0], x[0]).shape == ()
    ramp = np.tile(np.arange(5, dtype="float32"), (5, 1))[None, :, :, None]
    edges = image_ops.sobel_edges(ramp).numpy()
    assert edges.shape == (1, 5, 5, 1, 2)
    np.testing.assert_array_equal(edges[0, 2, 2, 0], [0, 8])  # [dy, dx] inside the image


def test_scale_and_translate_identity():
    x = _images(2, 5, 6)
    out = image_ops.scale_and_translate(x, (2, 5, 6), [1.0, 1.0], [0.0, 0.0], (1, 2), "linear")
    np.testing.assert_allclose(out.numpy(), x, rtol=1e-6)


def test_elastic_transform_seeds():
    x = _images(2, 9, 9, 2)
    a = image_ops.elastic_transform(x, alpha=4.0, sigma=1.0, seed=3)
    b = image_ops.elastic_transform(x, alpha=4.0, sigma=1.0, seed=3)
    c = image_ops.elastic_transform(x, alpha=4.0, sigma=1.0, seed=4)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    gen = keras.random.SeedGenerator(5)
    d = image_ops.elastic_transform(x, alpha=4.0, sigma=1.0, seed=gen)
    e = image_ops.elastic_transform(x, alpha=4.0, sigma=1.0, seed=gen)
    assert not np.array_equal(d.numpy(), e.numpy())
    # alpha = 0: no displacement at all.
    still = image_ops.elastic_transform(x, alpha=0.0, sigma=1.0, seed=1)
    np.testing.assert_allclose(still.numpy(), x, rtol=1e-6)


# -- symbolic ------------------------------------------------------------------------
@pytest.mark.parametrize("fn, kwargs, shape", [
    ("resize", dict(size=(4, 5)), (None, 4, 5, 3)),
    ("resize", dict(size=(4, 5), crop_to_aspect_ratio=True), (None, 4, 5, 3)),
    ("rgb_to_grayscale", {}, (None, 12, 10, 1)),
    ("rgb_to_hsv", {}, (None, 12, 10, 3)),
    ("hsv_to_rgb", {}, (None, 12, 10, 3)),
    ("gaussian_blur", dict(kernel_size=(5, 5), sigma=(2.0, 2.0)), (None, 12, 10, 3)),
    ("sobel_edges", {}, (None, 12, 10, 3, 2)),
    ("elastic_transform", dict(seed=1), (None, 12, 10, 3)),
    ("extract_patches", dict(size=(3, 2), strides=(2, 2), padding="same"), (None, 6, 5, 18)),
    ("pad_images", dict(top_padding=1, left_padding=2, target_height=15, target_width=12),
     (None, 15, 12, 3)),
    ("crop_images", dict(top_cropping=1, left_cropping=2, bottom_cropping=3,
                         right_cropping=0), (None, 8, 8, 3)),
])
def test_symbolic_shapes(fn, kwargs, shape):
    inputs = keras.Input((12, 10, 3))
    out = getattr(image_ops, fn)(inputs, **kwargs)
    assert tuple(out.shape) == shape
    model = keras.Model(inputs, out)
    x = _images(2, 12, 10, 3)
    eager = getattr(image_ops, fn)(x, **kwargs)
    if fn != "elastic_transform" or "seed" in kwargs:
        np.testing.assert_allclose(model.predict(x, verbose=0), eager.numpy(), rtol=1e-6)


def test_symbolic_two_input_ops_in_a_saved_model(tmp_path):
    a = keras.Input((12, 12, 3))
    b = keras.Input((12, 12, 3))
    score = image_ops.ssim(a, b, filter_size=5)
    warped = image_ops.perspective_transform(
        a, np.array([[0, 0], [11, 0], [0, 11], [11, 11]], "float32"),
        np.array([[1, 0], [11, 1], [0, 10], [10, 11]], "float32"))
    assert tuple(score.shape) == (None,) and tuple(warped.shape) == (None, 12, 12, 3)
    model = keras.Model([a, b], [score, warped])
    x, y = _images(2, 12, 12, 3), _images(2, 12, 12, 3)
    before = model.predict([x, y], verbose=0)
    path = str(tmp_path / "image_ops.keras")
    model.save(path)
    after = keras.saving.load_model(path).predict([x, y], verbose=0)
    for u, v in zip(before, after):
        np.testing.assert_array_equal(u, v)
    classes = [layer["class_name"] for layer in model.get_config()["layers"]]
    assert "SSIM" in classes and "PerspectiveTransform" in classes


def test_symbolic_patches_of_unknown_sizes_are_unknown():
    # Shape inference on two placeholder sizes cannot see that floor(96 / 3)
    # and floor(97 / 3) come from an unknown size.
    inputs = keras.Input((None, None, 3))
    assert tuple(image_ops.extract_patches(inputs, 3).shape) == (None, None, None, 27)
    first = keras.Input((3, None, 12))
    out = image_ops.extract_patches(first, 3, data_format="channels_first")
    assert tuple(out.shape) == (None, 27, None, 4)
    volumes = keras.Input((None, 6, 6, 2))
    assert tuple(image_ops.extract_patches_3d(volumes, 2).shape) == (None, None, 3, 3, 16)
    model = keras.Model(inputs, image_ops.extract_patches(inputs, 3))
    assert model.predict(_images(1, 9, 7, 3), verbose=0).shape == (1, 3, 2, 27)
