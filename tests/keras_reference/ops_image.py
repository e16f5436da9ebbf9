"""Keras references for keras.ops.image (tests/python/test_keras_ops_image.py).

Every case stores the function name (`<case>/fn`), its keyword arguments as
JSON (`<case>/kwargs`), its positional array inputs (`<case>/in0`, `in1`,
...), an optional torch seed set just before the call (`<case>/torch_seed`,
for elastic_transform, whose noise Keras draws from torch's global generator
on CPU) and Keras's output (`<case>/out`).
"""
import json

import torch

from refkit import Reference, keras, np

ref = Reference()
rng = ref.rng
image_ops = keras.ops.image


def case(name, fn, inputs, torch_seed=None, **kwargs):
    ref.put(f"{name}/fn", np.array(fn))
    ref.put(f"{name}/kwargs", np.array(json.dumps(kwargs)))
    for i, value in enumerate(inputs):
        ref.put(f"{name}/in{i}", value)
    if torch_seed is not None:
        ref.put(f"{name}/torch_seed", np.array(torch_seed))
        torch.manual_seed(torch_seed)
    ref.put(f"{name}/out", getattr(image_ops, fn)(*inputs, **kwargs))


def images(*shape, low=0.0, high=1.0):
    return rng.uniform(low, high, shape).astype("float32")


CL, CF = "channels_last", "channels_first"

# -- colour ------------------------------------------------------------------------
rgb = images(2, 5, 6, 3)
# Special colours: greys (zero range), pure primaries, black, ties between channels.
rgb[0, 0, :4] = [[0.5, 0.5, 0.5], [1, 0, 0], [0, 0, 0], [0.2, 0.7, 0.7]]
rgb[0, 1, :4] = [[0, 1, 0], [0, 0, 1], [0.7, 0.7, 0.2], [1e-8, 0.3, 0.6]]
for fmt in (CL, CF):
    x = rgb if fmt == CL else np.transpose(rgb, (0, 3, 1, 2)).copy()
    case(f"grayscale_{fmt}", "rgb_to_grayscale", [x], data_format=fmt)
    case(f"rgb_to_hsv_{fmt}", "rgb_to_hsv", [x], data_format=fmt)
    hsv = x.copy()
    case(f"hsv_to_rgb_{fmt}", "hsv_to_rgb", [hsv * np.float32(1.5) - np.float32(0.2)],
         data_format=fmt)
case("grayscale_unbatched", "rgb_to_grayscale", [rgb[0]], data_format=CL)
case("grayscale_one_channel", "rgb_to_grayscale", [rgb[:, :, :, :1]], data_format=CL)
case("grayscale_uint8", "rgb_to_grayscale", [(rgb * 255).astype("uint8")], data_format=CL)
case("rgb_to_hsv_unbatched", "rgb_to_hsv", [rgb[1]], data_format=CL)

# -- resize ------------------------------------------------------------------------
src = images(2, 7, 9, 3)
for interpolation in ("bilinear", "nearest", "bicubic"):
    for antialias in (False, True):
        for size in ((4, 5), (11, 13)):
            case(f"resize_{interpolation}_{int(antialias)}_{size[0]}x{size[1]}", "resize",
                 [src], size=list(size), interpolation=interpolation, antialias=antialias,
                 data_format=CL)
case("resize_channels_first", "resize", [np.transpose(src, (0, 3, 1, 2)).copy()],
     size=[5, 4], interpolation="bilinear", data_format=CF)
case("resize_unbatched", "resize", [src[0]], size=[3, 8], data_format=CL)
case("resize_crop_tall", "resize", [src], size=[6, 3], crop_to_aspect_ratio=True,
     data_format=CL)
case("resize_crop_wide", "resize", [src], size=[3, 8], crop_to_aspect_ratio=True,
     data_format=CL)
case("resize_pad_tall", "resize", [src], size=[8, 4], pad_to_aspect_ratio=True,
     fill_value=0.25, data_format=CL)
case("resize_pad_wide", "resize", [src], size=[4, 12], pad_to_aspect_ratio=True,
     data_format=CL)
case("resize_pad_channels_first", "resize", [np.transpose(src, (0, 3, 1, 2)).copy()],
     size=[4, 12], pad_to_aspect_ratio=True, fill_value=-1.0, data_format=CF)
case("resize_uint8_bilinear", "resize", [(src * 255).astype("uint8")], size=[4, 5],
     data_format=CL)
case("resize_uint8_bicubic", "resize", [(src * 255).astype("uint8")], size=[12, 14],
     interpolation="bicubic", data_format=CL)
case("resize_float64", "resize", [src.astype("float64")], size=[4, 5], antialias=True,
     data_format=CL)

# -- affine_transform / map_coordinates ----------------------------------------------
img = images(2, 6, 7, 2)
angle = 0.4
rot = np.array([np.cos(angle), -np.sin(angle), 1.3, np.sin(angle), np.cos(angle), -0.7, 0, 0],
               dtype="float32")
zoom = np.array([1.6, 0.2, -2.5, -0.1, 1.3, -1.5, 0, 0], dtype="float32")
for interpolation in ("nearest", "bilinear"):
    for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
        case(f"affine_{interpolation}_{fill_mode}", "affine_transform",
             [img, np.stack([rot, zoom])], interpolation=interpolation, fill_mode=fill_mode,
             fill_value=0.3, data_format=CL)
case("affine_channels_first", "affine_transform",
     [np.transpose(img, (0, 3, 1, 2)).copy(), np.stack([zoom, rot])], data_format=CF)
case("affine_unbatched", "affine_transform", [img[0], rot], fill_mode="reflect",
     data_format=CL)

grid = images(5, 6)
coords2 = rng.uniform(-3.0, 8.0, (2, 4, 3)).astype("float32")
coords2[:, 0, 0] = [2.5, 3.5]  # exact halves: rounding of the nearest index
volume = images(3, 4, 5)
coords3 = rng.uniform(-2.0, 6.0, (3, 7)).astype("float32")
for order in (0, 1):
    for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
        case(f"map2d_{order}_{fill_mode}", "map_coordinates", [grid, coords2], order=order,
             fill_mode=fill_mode, fill_value=-0.5)
        case(f"map3d_{order}_{fill_mode}", "map_coordinates", [volume, coords3], order=order,
             fill_mode=fill_mode)
case("map2d_int", "map_coordinates", [(grid * 100).astype("int32"), coords2], order=1,
     fill_value=7)

# -- perspective_transform --------------------------------------------------------------
pimg = images(2, 8, 9, 3)
start = np.array([[0, 0], [8, 0], [0, 7], [8, 7]], dtype="float32")
end = np.array([[1, 1], [7.5, 0], [0.5, 6], [8, 7.5]], dtype="float32")
end2 = np.array([[-1, 0.5], [9, 1], [0, 8], [7, 6]], dtype="float32")
for interpolation in ("nearest", "bilinear"):
    case(f"perspective_{interpolation}", "perspective_transform",
         [pimg, np.stack([start, start]), np.stack([end, end2])], interpolation=interpolation,
         fill_value=0.2, data_format=CL)
case("perspective_channels_first", "perspective_transform",
     [np.transpose(pimg, (0, 3, 1, 2)).copy(), start, end2], data_format=CF)
case("perspective_unbatched", "perspective_transform", [pimg[0], start, end], data_format=CL)

# -- gaussian_blur / sobel / elastic -----------------------------------------------------------
bimg = images(2, 9, 10, 3)
case("blur_default", "gaussian_blur", [bimg], data_format=CL)
case("blur_5x5", "gaussian_blur", [bimg], kernel_size=[5, 5], sigma=[1.5, 0.8], data_format=CL)
case("blur_3x5", "gaussian_blur", [bimg], kernel_size=[3, 5], sigma=[0.7, 2.0], data_format=CL)
case("blur_channels_first", "gaussian_blur", [np.transpose(bimg, (0, 3, 1, 2)).copy()],
     kernel_size=[5, 5], sigma=[2.0, 2.0], data_format=CF)
case("blur_unbatched", "gaussian_blur", [bimg[0]], kernel_size=[7, 7], sigma=[1.2, 1.2],
     data_format=CL)
case("sobel_channels_last", "sobel_edges", [bimg], data_format=CL)
case("sobel_channels_first", "sobel_edges", [np.transpose(bimg, (0, 3, 1, 2)).copy()],
     data_format=CF)

eimg = images(2, 10, 11, 2)
seed = 100
for interpolation in ("nearest", "bilinear"):
    for fill_mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
        seed += 1
        case(f"elastic_{interpolation}_{fill_mode}", "elastic_transform", [eimg],
             torch_seed=seed, alpha=3.0, sigma=1.0, interpolation=interpolation,
             fill_mode=fill_mode, fill_value=0.4, data_format=CL)
case("elastic_channels_first", "elastic_transform", [np.transpose(eimg, (0, 3, 1, 2)).copy()],
     torch_seed=7, alpha=5.0, sigma=1.5, data_format=CF)
case("elastic_unbatched", "elastic_transform", [eimg[0]], torch_seed=8, alpha=2.0, sigma=0.8,
     data_format=CL)
case("elastic_defaults", "elastic_transform", [images(1, 12, 12, 1)], torch_seed=9,
     data_format=CL)

# -- scale_and_translate ------------------------------------------------------------------
simg = images(2, 6, 7, 2)
for method in ("linear", "bicubic", "lanczos3", "lanczos5"):
    for antialias in (True, False):
        case(f"scale_down_{method}_{int(antialias)}", "scale_and_translate",
             [simg, np.array([2, 4, 3, 2]), np.array([0.6, 0.45], "float32"),
              np.array([0.3, -0.4], "float32")], spatial_dims=[1, 2], method=method,
             antialias=antialias)
        case(f"scale_up_{method}_{int(antialias)}", "scale_and_translate",
             [simg, np.array([2, 10, 11, 2]), np.array([1.8, 1.5], "float32"),
              np.array([-0.5, 1.0], "float32")], spatial_dims=[1, 2], method=method,
             antialias=antialias)
case("scale_int", "scale_and_translate",
     [(simg * 200).astype("int32"), np.array([2, 6, 9, 2]), np.array([1.4], "float32"),
      np.array([0.2], "float32")], spatial_dims=[2], method="cubic")
case("scale_negative_dim", "scale_and_translate",
     [simg, np.array([2, 6, 7, 1]), np.array([0.5], "float32"), np.array([0.0], "float32")],
     spatial_dims=[-1], method="linear")

# -- ssim ------------------------------------------------------------------------------
a = images(2, 16, 15, 3)
b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1).astype("float32")
case("ssim_default", "ssim", [a, b], data_format=CL)
case("ssim_channels_first", "ssim", [np.transpose(a, (0, 3, 1, 2)).copy(),
                                      np.transpose(b, (0, 3, 1, 2)).copy()], data_format=CF)
case("ssim_unbatched", "ssim", [a[0], b[0]], filter_size=7, filter_sigma=1.0, data_format=CL)
case("ssim_255", "ssim", [a * 255, b * 255], max_val=255.0, k1=0.02, k2=0.05, data_format=CL)
case("ssim_identical", "ssim", [a, a], data_format=CL)

# -- patches -------------------------------------------------------------------------
patch_src = images(2, 7, 8, 3)
case("patches_int_size", "extract_patches", [patch_src], size=3, data_format=CL)
case("patches_strides", "extract_patches", [patch_src], size=[2, 3], strides=[1, 2],
     data_format=CL)
case("patches_dilation", "extract_patches", [patch_src], size=[2, 2], strides=[1, 1],
     dilation_rate=2, data_format=CL)
case("patches_same", "extract_patches", [patch_src], size=[3, 3], strides=[2, 3],
     padding="same", data_format=CL)
case("patches_same_stride1", "extract_patches", [patch_src], size=[2, 4], strides=[1, 1],
     padding="same", data_format=CL)
case("patches_channels_first", "extract_patches", [np.transpose(patch_src, (0, 3, 1, 2)).copy()],
     size=[2, 3], strides=[2, 2], data_format=CF)
case("patches_unbatched", "extract_patches", [patch_src[0]], size=[3, 2], data_format=CL)
vol = images(2, 5, 6, 7, 2)
case("patches3d_via_extract_patches", "extract_patches", [vol], size=[2, 3, 2], data_format=CL)
case("patches3d", "extract_patches_3d", [vol], size=2, strides=[1, 2, 3], data_format=CL)
case("patches3d_same", "extract_patches_3d", [vol], size=[3, 3, 2], strides=[2, 2, 2],
     padding="same", data_format=CL)
case("patches3d_channels_first", "extract_patches_3d",
     [np.transpose(vol, (0, 4, 1, 2, 3)).copy()], size=[2, 2, 3], data_format=CF)
case("patches3d_unbatched", "extract_patches_3d", [vol[0]], size=[2, 2, 2], dilation_rate=2,
     strides=1, data_format=CL)

# -- crop / pad ------------------------------------------------------------------------
cp = images(2, 7, 8, 3)
case("crop_offsets", "crop_images", [cp], top_cropping=1, left_cropping=2, bottom_cropping=2,
     right_cropping=1, data_format=CL)
case("crop_target", "crop_images", [cp], top_cropping=2, left_cropping=0, target_height=3,
     target_width=5, data_format=CL)
case("crop_bottom_target", "crop_images", [cp], bottom_cropping=1, right_cropping=3,
     target_height=4, target_width=2, data_format=CL)
case("crop_channels_first", "crop_images", [np.transpose(cp, (0, 3, 1, 2)).copy()],
     top_cropping=1, left_cropping=1, target_height=4, target_width=4, data_format=CF)
case("crop_unbatched", "crop_images", [cp[0]], top_cropping=0, left_cropping=0,
     bottom_cropping=3, right_cropping=3, data_format=CL)
case("pad_offsets", "pad_images", [cp], top_padding=1, left_padding=2, bottom_padding=0,
     right_padding=3, data_format=CL)
case("pad_target", "pad_images", [cp], top_padding=2, left_padding=1, target_height=12,
     target_width=10, data_format=CL)
case("pad_bottom_target", "pad_images", [cp], bottom_padding=2, right_padding=0,
     target_height=9, target_width=11, data_format=CL)
case("pad_channels_first", "pad_images", [np.transpose(cp, (0, 3, 1, 2)).copy()],
     top_padding=1, left_padding=1, target_height=10, target_width=10, data_format=CF)
case("pad_unbatched_int", "pad_images", [(cp[0] * 10).astype("int32")], top_padding=1,
     left_padding=2, bottom_padding=1, right_padding=0, data_format=CL)

ref.save()
