"""`keras.ops.image`: image resizing, geometric transforms, colour conversions,
filters and patch extraction on torch tensors.

Images are rank 3 (one image) or rank 4 (a batch); `data_format` is
`"channels_last"` (`(batch, height, width, channels)`) or `"channels_first"`
(`(batch, channels, height, width)`) and defaults to
`keras.config.image_data_format()`. Every function follows the formulas of
Keras 3 on its torch backend (see docs/numerics.md, "Image ops"), and accepts
KerasTensors (the call becomes a graph node).
"""

import itertools

import numpy as np
import torch
import torch.nn.functional as F

from torkeras import config, dtypes
from torkeras.ops.core import convert_to_tensor, op

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches",
    "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
    "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv",
    "scale_and_translate", "sobel_edges", "ssim",
]

_RESIZE_MODES = {"bilinear": "bilinear", "nearest": "nearest-exact", "bicubic": "bicubic"}
_TRANSFORM_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_SCALE_METHODS = {"linear": "linear", "bilinear": "linear", "trilinear": "linear",
                  "triangle": "linear", "cubic": "cubic", "bicubic": "cubic",
                  "tricubic": "cubic", "lanczos3": "lanczos3", "lanczos5": "lanczos5"}
_INT_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


# -- argument helpers ---------------------------------------------------------------
_data_format = config._standardize_data_format


def _check_rank(images, name="images"):
    if images.dim() not in (3, 4):
        raise ValueError(f"Invalid {name} rank: expected rank 3 (single image) or rank 4 "
                         f"(batch of images). Received input with shape: "
                         f"{name}.shape={tuple(images.shape)}")


def _check_interpolation(interpolation, allowed):
    if interpolation not in allowed:
        raise ValueError(f"Invalid value for argument `interpolation`. Expected one of "
                         f"{sorted(allowed)}. Received: interpolation={interpolation!r}")


def _check_fill_mode(fill_mode, allowed=_FILL_MODES):
    if fill_mode not in allowed:
        raise ValueError(f"Invalid value for argument `fill_mode`. Expected one of "
                         f"{list(allowed)}. Received: fill_mode={fill_mode!r}")


def _to_nchw(images, data_format):
    return images.permute(0, 3, 1, 2) if data_format == "channels_last" else images


def _from_nchw(images, data_format):
    return images.permute(0, 2, 3, 1) if data_format == "channels_last" else images


def _cast_back(result, dtype):
    """Float result -> `dtype`; integer dtypes are rounded (and clamped to
    their range) first."""
    if result.dtype == dtype:
        return result
    if dtype in _INT_DTYPES or dtype == torch.bool:
        if dtype != torch.bool:
            info = torch.iinfo(dtype)
            result = torch.clamp(torch.round(result), info.min, info.max)
    return result.to(dtype)


def _int_value(value, name, minimum=None):
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"`{name}` must be an integer. Received: {name}={value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}. Received: {name}={value}")
    return value


def _int_tuple(value, n, name):
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    try:
        items = tuple(int(v) if float(v).is_integer() else None for v in value)
    except TypeError:
        items = (None,)
    if len(items) != n or any(v is None or v < 1 for v in items):
        raise ValueError(f"`{name}` must be a positive integer or a tuple of {n} positive "
                         f"integers. Received: {name}={value!r}")
    return items


# -- colour conversions -------------------------------------------------------------
@op
def rgb_to_grayscale(images, data_format=None):
    """Converts RGB images to grayscale.

    The result is `0.2989 * R + 0.587 * G + 0.114 * B` in the input dtype, with
    a channel axis of size 1; one-channel images are returned unchanged (a copy).

    Args:
        images: Input image or batch of images (rank 3 or 4) with 1 or 3 channels.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        Grayscale image or batch of images.

    Example:

    >>> keras.ops.image.rgb_to_grayscale(np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]))
    tensor([[[0.2989],
             [0.5870]]])
    """
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    _check_rank(images)
    axis = -1 if data_format == "channels_last" else -3
    if images.shape[axis] not in (1, 3):
        raise ValueError("Invalid channel size: expected 3 (RGB) or 1 (Grayscale). "
                         f"Received input with shape: images.shape={tuple(images.shape)}")
    if images.shape[axis] == 1:
        return images.clone()
    red, green, blue = images.unbind(dim=axis)
    gray = (0.2989 * red + 0.587 * green + 0.114 * blue).to(images.dtype)
    return gray.unsqueeze(axis)


def _float_images(images, op_name):
    if not images.dtype.is_floating_point:
        raise ValueError(f"{op_name}: invalid images dtype: expected a float dtype. "
                         f"Received: images.dtype={dtypes.name_of(images.dtype)}")


def _channel_planes(images, data_format, op_name):
    _check_rank(images)
    _float_images(images, op_name)
    axis = -1 if data_format == "channels_last" else -3
    if images.shape[axis] != 3:
        raise ValueError(f"{op_name}: input images must have 3 channels, but received "
                         f"images with {images.shape[axis]} channels.")
    return axis, images.unbind(dim=axis)


@op
def rgb_to_hsv(images, data_format=None):
    """Converts RGB images (float, values in [0, 1]) to HSV.

    Hue, saturation and value are all in [0, 1]. Channel values whose magnitude
    is below the dtype's machine epsilon are treated as 0.

    Args:
        images: Input image or batch of images (rank 3 or 4), float dtype,
            3 channels.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        HSV image or batch of images.

    Example:

    >>> keras.ops.image.rgb_to_hsv(np.array([[[0.0, 1.0, 0.0]]], dtype='float32'))
    tensor([[[0.3333, 1.0000, 1.0000]]])
    """
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    axis, _ = _channel_planes(images, data_format, "rgb_to_hsv")
    eps = torch.finfo(images.dtype).eps
    images = torch.where(images.abs() < eps, 0.0, images)
    red, green, blue = images.unbind(dim=axis)
    value = torch.maximum(torch.maximum(red, green), blue)
    spread = value - torch.minimum(torch.minimum(red, green), blue)
    saturation = torch.where(value > 0, spread / torch.where(value > 0, value, 1.0), 0.0)
    scale = 1.0 / (6.0 * torch.where(spread > 0, spread, 1.0))
    hue = torch.where(value == green, scale * (blue - red) + 2.0 / 6.0,
                      scale * (red - green) + 4.0 / 6.0)
    hue = torch.where(value == red, scale * (green - blue), hue)
    hue = torch.where(spread > 0, hue, 0.0) + (hue < 0.0).to(hue.dtype)
    return torch.stack((hue, saturation, value), dim=axis)


@op
def hsv_to_rgb(images, data_format=None):
    """Converts HSV images (float, values in [0, 1]) to RGB.

    Args:
        images: Input image or batch of images (rank 3 or 4), float dtype,
            3 channels (hue, saturation, value).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        RGB image or batch of images.

    Example:

    >>> keras.ops.image.hsv_to_rgb(np.array([[[1 / 3, 1.0, 1.0]]], dtype='float32'))
    tensor([[[0., 1., 0.]]])
    """
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    axis, (hue, saturation, value) = _channel_planes(images, data_format, "hsv_to_rgb")
    sector = torch.remainder(hue, 1.0) * 6.0
    red_part = torch.clip(torch.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green_part = torch.clip(2.0 - torch.abs(sector - 2.0), 0.0, 1.0)
    blue_part = torch.clip(2.0 - torch.abs(sector - 4.0), 0.0, 1.0)
    grey = 1.0 - saturation
    planes = [value * (grey + saturation * part) for part in (red_part, green_part, blue_part)]
    return torch.stack(planes, dim=axis)


# -- resize ------------------------------------------------------------------------
@op
def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    """Resizes images to `size` (height, width).

    Args:
        images: Input image or batch of images (rank 3 or 4).
        size: `(height, width)` of the output images.
        interpolation: `"bilinear"`, `"nearest"` or `"bicubic"` (the Lanczos
            methods are not available on the torch backend, as in Keras).
        antialias: Whether to apply an antialiasing filter when downsampling
            (bilinear and bicubic only; ignored for `"nearest"`).
        crop_to_aspect_ratio: Crop the centre of the images to the target
            aspect ratio before resizing, instead of distorting them.
        pad_to_aspect_ratio: Pad the images (with `fill_value`) to the target
            aspect ratio before resizing, instead of distorting them.
        fill_mode: Only `"constant"` is supported.
        fill_value: Value of the padding when `pad_to_aspect_ratio=True`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The resized image or batch of images, in the input dtype (integer
        results are rounded).

    Example:

    >>> images = np.zeros((2, 32, 48, 3), dtype='float32')
    >>> keras.ops.image.resize(images, (16, 16)).shape
    torch.Size([2, 16, 16, 3])
    >>> keras.ops.image.resize(images, (16, 16), crop_to_aspect_ratio=True).shape
    torch.Size([2, 16, 16, 3])
    """
    try:
        size = tuple(size)
    except TypeError:
        size = (size,)
    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers. Received: size={size}")
    size = tuple(_int_value(s, "size") for s in size)
    if size[0] <= 0 or size[1] <= 0:
        raise ValueError(f"`size` must have positive height and width. Received: size={size}")
    if pad_to_aspect_ratio and crop_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` "
                         "can be `True`.")
    if interpolation in ("lanczos3", "lanczos5"):
        raise ValueError("Resizing with Lanczos interpolation is not supported by the torch "
                         f"backend (as in Keras). Received: interpolation={interpolation!r}")
    _check_interpolation(interpolation, _RESIZE_MODES)
    if fill_mode != "constant":
        raise ValueError("Invalid value for argument `fill_mode`. Only 'constant' is "
                         f"supported. Received: fill_mode={fill_mode!r}")
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    _check_rank(images)
    out_dtype = images.dtype
    unbatched = images.dim() == 3
    x = images.unsqueeze(0) if unbatched else images
    if x.dtype not in (torch.float32, torch.float64):
        x = x.to(torch.float32)
    x = _to_nchw(x, data_format)
    target_h, target_w = size
    height, width = x.shape[-2], x.shape[-1]
    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
        crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
        top = int(float(height - crop_h) / 2)
        left = int(float(width - crop_w) / 2)
        x = x[:, :, top:top + crop_h, left:left + crop_w]
    elif pad_to_aspect_ratio:
        padded_h = max(height, int(float(width * target_h) / target_w))
        padded_w = max(width, int(float(height * target_w) / target_h))
        # The same margin goes on both sides (Keras adds `(padded - size) // 2`
        # before and after, so an odd difference loses one row/column).
        margin_h = int(float(padded_h - height) / 2)
        margin_w = int(float(padded_w - width) / 2)
        if margin_h > 0:
            x = F.pad(x, (0, 0, margin_h, margin_h), value=float(fill_value))
        if margin_w > 0:
            x = F.pad(x, (margin_w, margin_w, 0, 0), value=float(fill_value))
    if interpolation not in ("bilinear", "bicubic"):
        antialias = False
    out = F.interpolate(x, size=size, mode=_RESIZE_MODES[interpolation],
                        align_corners=False if interpolation != "nearest" else None,
                        antialias=bool(antialias))
    if interpolation == "bicubic" and out_dtype == torch.uint8:
        out = out.clamp(0, 255)
    out = _from_nchw(out, data_format)
    if unbatched:
        out = out.squeeze(0)
    if out.dtype != out_dtype:
        if out_dtype in _INT_DTYPES:
            out = torch.round(out)
        out = out.to(out_dtype)
    return out


# -- map_coordinates and the transforms built on it -----------------------------------
def _mirror_index(index, size):
    period = size - 1
    if period == 0:
        return torch.zeros_like(index)
    return torch.abs((index + period) % (2 * period) - period)


def _reflect_index(index, size):
    return torch.floor_divide(_mirror_index(2 * index + 1, 2 * size + 1) - 1, 2)


def _fix_index(index, size, fill_mode):
    if fill_mode in ("constant", "nearest"):
        return torch.clip(index, 0, size - 1)
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "mirror":
        return _mirror_index(index, size)
    return _reflect_index(index, size)


def _interpolation_nodes(coordinate, order):
    """[(integer index, weight), ...] along one axis."""
    if order == 0:
        if coordinate.dtype.is_floating_point:
            coordinate = torch.round(coordinate)
        return [(coordinate.to(torch.int32), 1)]
    lower = torch.floor(coordinate)
    upper_weight = coordinate - lower
    index = lower.to(torch.int32)
    return [(index, 1 - upper_weight), (index + 1, upper_weight)]


def _map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0.0):
    """Samples `inputs` at `coordinates` (one array per axis of `inputs`)."""
    integer_input = not inputs.dtype.is_floating_point and not inputs.dtype.is_complex
    if integer_input and isinstance(fill_value, (int, float)):
        fill_value = int(fill_value)
    per_axis = []
    for coordinate, size in zip(coordinates, inputs.shape):
        nodes = []
        for index, weight in _interpolation_nodes(coordinate, order):
            valid = ((index >= 0) & (index < size)) if fill_mode == "constant" else None
            nodes.append((_fix_index(index, size, fill_mode), valid, weight))
        per_axis.append(nodes)
    result = None
    # Terms are summed in the order Keras sums them (last axis fastest), so
    # float results are bit-identical.
    for combination in itertools.product(*per_axis):
        indices = tuple(c[0] for c in combination)
        values = inputs[indices]
        validity = [c[1] for c in combination if c[1] is not None]
        if validity:
            ok = validity[0]
            for v in validity[1:]:
                ok = ok & v
            values = torch.where(ok, values, fill_value)
        weight = combination[0][2]
        for c in combination[1:]:
            weight = weight * c[2]
        term = weight * values
        result = term if result is None else result + term
    if integer_input and result.dtype.is_floating_point:
        result = torch.round(result)
    return result.to(inputs.dtype)


def _coordinate_list(coordinates):
    if isinstance(coordinates, (list, tuple)):
        return [convert_to_tensor(c) for c in coordinates]
    coordinates = convert_to_tensor(coordinates)
    return list(coordinates.unbind(0)) if coordinates.dim() else [coordinates]


@op
def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """Samples `inputs` at the given (fractional) coordinates.

    Args:
        inputs: The input array, of any rank.
        coordinates: The coordinates at which `inputs` is evaluated: an array
            whose first dimension (or a list whose length) is the rank of
            `inputs`; `coordinates[i]` holds the positions along axis `i`.
        order: `0` (nearest neighbour) or `1` (linear interpolation).
        fill_mode: How points outside the input are filled: `"constant"`
            (`fill_value`), `"nearest"` (edge value), `"wrap"` (periodic),
            `"mirror"` (`c d c b | a b c d | c b a b`) or `"reflect"`
            (`d c b a | a b c d | d c b a`).
        fill_value: Value of the points outside the input when
            `fill_mode="constant"`.

    Returns:
        An array of the shape of `coordinates[0]`, in the dtype of `inputs`.

    Example:

    >>> x = np.arange(4.0)
    >>> keras.ops.image.map_coordinates(x, [np.array([0.5, 2.0, 9.0])], order=1)
    tensor([0.5000, 2.0000, 0.0000])
    """
    inputs = convert_to_tensor(inputs)
    coordinate_arrays = _coordinate_list(coordinates)
    if len(coordinate_arrays) != inputs.dim():
        raise ValueError("First dim of `coordinates` must be the same as the rank of `inputs`. "
                         f"Received inputs with shape: {tuple(inputs.shape)} and coordinate "
                         f"leading dim of {len(coordinate_arrays)}")
    if coordinate_arrays[0].dim() < 1:
        raise ValueError("Invalid coordinates rank: expected at least rank 2. Received input "
                         f"with shape: {(len(coordinate_arrays),)}")
    order = _int_value(order, "order")
    if order not in (0, 1):
        raise ValueError(f"`order` must be 0 (nearest) or 1 (linear). Received: order={order}")
    _check_fill_mode(fill_mode)
    return _map_coordinates(inputs, coordinate_arrays, order, fill_mode, fill_value)


@op
def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Applies projective transform(s) to the image(s).

    Args:
        images: Input image or batch of images (rank 3 or 4).
        transform: A vector of 8 numbers or an `(N, 8)` array. A row
            `[a0, a1, a2, b0, b1, b2, c0, c1]` maps each output point `(x, y)`
            to the input point `(a0 x + a1 y + a2, b0 x + b1 y + b2)` (the
            inverse of the image's motion). As in Keras on torch, `c0` and
            `c1` are not used (treated as 0).
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or
            `"reflect"`: how points outside the input are filled.
        fill_value: Value of the points outside the input when
            `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The transformed image or batch of images.

    Example:

    >>> image = np.arange(9.0).reshape(3, 3, 1)
    >>> shift_right = [1.0, 0.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> keras.ops.image.affine_transform(image, shift_right)[:, :, 0]
    tensor([[0., 0., 1.],
            [0., 3., 4.],
            [0., 6., 7.]])
    """
    _check_interpolation(interpolation, _TRANSFORM_ORDERS)
    _check_fill_mode(fill_mode)
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    _check_rank(images)
    if transform.dim() not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError("Invalid transform: expected a vector of 8 values or an (N, 8) "
                         f"array. Received input with shape: transform.shape="
                         f"{tuple(transform.shape)}")
    unbatched = images.dim() == 3
    x = images.unsqueeze(0) if unbatched else images
    if data_format == "channels_first":
        x = x.permute(0, 2, 3, 1)
    batch = x.shape[0]
    if transform.dim() == 1:
        transform = transform.unsqueeze(0)
    if not transform.dtype.is_floating_point:
        transform = transform.to(dtypes.to_torch(config.floatx()))
    if transform.shape[0] == 1 and batch > 1:
        transform = transform.expand(batch, 8)
    elif transform.shape[0] != batch:
        raise ValueError(f"affine_transform: {transform.shape[0]} transforms for a batch of "
                         f"{batch} images.")
    # The sampling point of output pixel (row, col, channel): a 3x3 matrix
    # applied to (row, col, channel), plus the translation; the channel
    # coordinate maps to itself.
    a0, a1, a2, b0, b1, b2 = transform[:, :6].unbind(1)
    zero = torch.zeros_like(a0)
    one = torch.ones_like(a0)
    matrix = torch.stack([torch.stack([b1, a1, zero], -1), torch.stack([b0, a0, zero], -1),
                          torch.stack([zero, zero, one], -1)], 1)
    offset = torch.stack([b2, a2, zero], -1)
    grid = torch.meshgrid(*[torch.arange(n, dtype=transform.dtype, device=transform.device)
                            for n in x.shape[1:]], indexing="ij")
    # (batch, height, width, channels, 3): the (row, col, channel) of every pixel.
    points = torch.stack(grid, dim=-1).unsqueeze(0).repeat(batch, 1, 1, 1, 1)
    coordinates = torch.einsum("Bhwij, Bjk -> Bhwik", points, matrix)
    coordinates = torch.moveaxis(coordinates, -1, 1)
    coordinates = coordinates + offset.reshape(batch, 3, 1, 1, 1)
    order = _TRANSFORM_ORDERS[interpolation]
    out = torch.stack([
        _map_coordinates(x[i], list(coordinates[i]), order, fill_mode, fill_value)
        for i in range(batch)])
    if data_format == "channels_first":
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if unbatched else out


def _homography(start_points, end_points):
    """The 8 coefficients mapping each end point to its start point (per batch row)."""
    dtype = torch.promote_types(torch.promote_types(start_points.dtype, end_points.dtype),
                                dtypes.to_torch(config.floatx()))
    if not dtype.is_floating_point:
        dtype = dtypes.to_torch(config.floatx())
    solve_dtype = torch.promote_types(dtype, torch.float32)
    start = start_points.to(dtype)
    end = end_points.to(dtype)
    rows, targets = [], []
    for k in range(4):
        sx, sy = start[:, k, 0], start[:, k, 1]
        ex, ey = end[:, k, 0], end[:, k, 1]
        zero, one = torch.zeros_like(ex), torch.ones_like(ex)
        rows.append(torch.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1))
        rows.append(torch.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1))
        targets += [sx, sy]
    system = torch.stack(rows, 1).to(solve_dtype)
    rhs = torch.stack(targets, -1).unsqueeze(-1).to(solve_dtype)
    return torch.linalg.solve(system, rhs).reshape(-1, 8).to(dtype)


@op
def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Applies the perspective transformation that moves `start_points` to
    `end_points`.

    Args:
        images: Input image or batch of images (rank 3 or 4).
        start_points: `(4, 2)` or `(N, 4, 2)` array of `(x, y)` corner points
            in the input image.
        end_points: Array of the same shape: where those points go in the
            output image.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_value: Value of the output points that come from outside the input.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The transformed image or batch of images.

    Example:

    >>> image = np.arange(16.0).reshape(4, 4, 1)
    >>> corners = np.array([[0, 0], [3, 0], [0, 3], [3, 3]], dtype='float32')
    >>> out = keras.ops.image.perspective_transform(image, corners, corners)
    >>> bool(keras.ops.all(out == keras.ops.convert_to_tensor(image)))
    True
    """
    _check_interpolation(interpolation, _TRANSFORM_ORDERS)
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    _check_rank(images)
    start_points = convert_to_tensor(start_points, dtype=dtypes.name_of(images.dtype))
    end_points = convert_to_tensor(end_points, dtype=dtypes.name_of(images.dtype))
    for name, points in (("start_points", start_points), ("end_points", end_points)):
        if points.dim() not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(f"Invalid {name} shape: expected (4, 2) for a single image or "
                             f"(N, 4, 2) for a batch. Received shape: {tuple(points.shape)}")
    if start_points.shape != end_points.shape:
        raise ValueError("start_points and end_points must have the same shape. Received "
                         f"start_points.shape={tuple(start_points.shape)}, "
                         f"end_points.shape={tuple(end_points.shape)}")
    unbatched = images.dim() == 3
    x = images.unsqueeze(0) if unbatched else images
    if start_points.dim() == 2:
        start_points, end_points = start_points.unsqueeze(0), end_points.unsqueeze(0)
    if data_format == "channels_first":
        x = x.permute(0, 2, 3, 1)
    batch, height, width, channels = x.shape
    coefficients = _homography(start_points, end_points)
    if coefficients.shape[0] == 1 and batch > 1:
        coefficients = coefficients.expand(batch, 8)
    elif coefficients.shape[0] != batch:
        raise ValueError(f"perspective_transform: {coefficients.shape[0]} point sets for a "
                         f"batch of {batch} images.")
    grid_dtype = images.dtype if images.dtype.is_floating_point else coefficients.dtype
    cols, rows = torch.meshgrid(torch.arange(width, dtype=grid_dtype, device=x.device),
                                torch.arange(height, dtype=grid_dtype, device=x.device),
                                indexing="xy")
    order = _TRANSFORM_ORDERS[interpolation]
    outputs = []
    for i in range(batch):
        c0, c1, c2, c3, c4, c5, c6, c7 = coefficients[i]
        denominator = c6 * cols + c7 * rows + 1.0
        src_x = (c0 * cols + c1 * rows + c2) / denominator
        src_y = (c3 * cols + c4 * rows + c5) / denominator
        coords = [src_y.flatten(), src_x.flatten()]
        planes = [_map_coordinates(x[i, :, :, ch], coords, order, "constant", fill_value)
                  .reshape(height, width) for ch in range(channels)]
        outputs.append(torch.stack(planes, -1).to(images.dtype))
    out = torch.stack(outputs)
    if data_format == "channels_first":
        out = out.permute(0, 3, 1, 2)
    return out.squeeze(0) if unbatched else out


# -- filters -------------------------------------------------------------------------
def _gaussian_1d(size, sigma, dtype, device):
    positions = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    weights = torch.exp(-0.5 * (positions / sigma) ** 2)
    return weights / torch.sum(weights)


def _blur_nchw(x, kernel_size, sigma):
    """Depthwise Gaussian blur of an NCHW float tensor, Keras's torch layout:
    the (k1, k0) outer product is read as a (k0, k1) kernel and both spatial
    axes are zero-padded by k0 // 2 (the same thing for square kernels)."""
    k0, k1 = kernel_size
    horizontal = _gaussian_1d(k0, sigma[0], x.dtype, x.device)
    vertical = _gaussian_1d(k1, sigma[1], x.dtype, x.device)
    kernel = torch.outer(vertical, horizontal).reshape(1, 1, k0, k1)
    channels = x.shape[1]
    kernel = kernel.expand(channels, 1, k0, k1)
    return F.conv2d(x, kernel, stride=1, padding=k0 // 2, groups=channels)


@op
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Applies a Gaussian blur to the image(s).

    Each channel is convolved with a normalised Gaussian kernel; the borders
    are zero-padded.

    Args:
        images: Input image or batch of images (rank 3 or 4).
        kernel_size: `(height, width)` of the kernel (an int means both).
        sigma: `(sigma_height, sigma_width)` standard deviations of the kernel
            (a number means both).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The blurred image or batch of images (integer images are blurred in
        float32 and rounded back).

    Example:

    >>> image = np.zeros((5, 5, 1), dtype='float32'); image[2, 2, 0] = 1.0
    >>> blurred = keras.ops.image.gaussian_blur(image, kernel_size=3, sigma=1.0)
    >>> round(float(keras.ops.sum(blurred)), 4), blurred.shape
    (1.0, torch.Size([5, 5, 1]))
    """
    data_format = _data_format(data_format)
    kernel_size = _int_tuple(kernel_size, 2, "kernel_size")
    sigma = convert_to_tensor(sigma if isinstance(sigma, (list, tuple)) else (sigma, sigma))
    if sigma.dim() == 0:
        sigma = sigma.expand(2)
    if sigma.numel() != 2:
        raise ValueError(f"`sigma` must be a number or a tuple of two numbers. "
                         f"Received: sigma={sigma.tolist()}")
    images = convert_to_tensor(images)
    _check_rank(images)
    out_dtype = images.dtype
    unbatched = images.dim() == 3
    x = images.unsqueeze(0) if unbatched else images
    if not x.dtype.is_floating_point:
        x = x.to(torch.float32)
    sigma = sigma.to(x.device)
    out = _from_nchw(_blur_nchw(_to_nchw(x, data_format), kernel_size, sigma), data_format)
    out = _cast_back(out, out_dtype)
    return out.squeeze(0) if unbatched else out


@op
def sobel_edges(images, data_format=None):
    """Sobel edge maps of a batch of images.

    Args:
        images: Batch of images (rank 4), float dtype.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The vertical and horizontal gradients `[dy, dx]` in a new last axis:
        `(batch, height, width, channels, 2)` for channels_last,
        `(batch, channels, height, width, 2)` for channels_first (borders
        zero-padded).

    Example:

    >>> images = np.zeros((1, 4, 4, 1), dtype='float32'); images[:, :, 2:, :] = 1.0
    >>> keras.ops.image.sobel_edges(images)[0, 1, :, 0, 1]
    tensor([ 0.,  4.,  4., -4.])
    """
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    if images.dim() != 4:
        raise ValueError("Invalid images rank: expected rank 4 (batch of images). "
                         f"Received: images.shape={tuple(images.shape)}")
    _float_images(images, "sobel_edges")
    x = _to_nchw(images, data_format)
    channels = x.shape[1]
    dx_kernel = torch.tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=x.dtype,
                             device=x.device)
    dy_kernel = dx_kernel.t().contiguous()
    edges_x = F.conv2d(x, dx_kernel.view(1, 1, 3, 3).repeat(channels, 1, 1, 1), padding=1,
                       groups=channels)
    edges_y = F.conv2d(x, dy_kernel.view(1, 1, 3, 3).repeat(channels, 1, 1, 1), padding=1,
                       groups=channels)
    edges = torch.stack([edges_y, edges_x], dim=-1)
    if data_format == "channels_last":
        edges = edges.permute(0, 2, 3, 1, 4)
    return edges


@op
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Applies a random elastic deformation to the image(s).

    Two fields of standard-normal noise (times `sigma`) are smoothed with a
    Gaussian blur of standard deviation `sigma` (kernel size
    `int(6 * sigma) | 1`); each output pixel `(y, x)` is sampled from the input
    at `(y + alpha * dy, x + alpha * dx)`.

    Args:
        images: Input image or batch of images (rank 3 or 4).
        alpha: Scale of the displacements.
        sigma: Standard deviation of the smoothing filter.
        interpolation: `"nearest"` or `"bilinear"`.
        fill_mode: `"constant"`, `"nearest"`, `"wrap"`, `"mirror"` or
            `"reflect"`: how points outside the input are filled.
        fill_value: Value of the points outside the input when
            `fill_mode="constant"`.
        seed: None (torch's global generator, as Keras on torch), an integer
            or a `keras.random.SeedGenerator`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The deformed image or batch of images.

    Example:

    >>> images = np.random.default_rng(0).random((2, 16, 16, 3)).astype('float32')
    >>> keras.ops.image.elastic_transform(images, alpha=5.0, sigma=2.0, seed=1).shape
    torch.Size([2, 16, 16, 3])
    """
    from torkeras import random as _random
    _check_interpolation(interpolation, _TRANSFORM_ORDERS)
    _check_fill_mode(fill_mode)
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    _check_rank(images)
    alpha = convert_to_tensor(alpha)
    sigma = convert_to_tensor(sigma)
    if sigma.dim() or alpha.dim():
        raise ValueError("`alpha` and `sigma` must be scalars. "
                         f"Received: alpha={alpha.tolist()}, sigma={sigma.tolist()}")
    size = int(6 * float(sigma)) | 1
    unbatched = images.dim() == 3
    x = images.unsqueeze(0) if unbatched else images
    if data_format == "channels_last":
        batch, height, width, channels = x.shape
    else:
        batch, channels, height, width = x.shape
    noise_dtype = x.dtype if x.dtype.is_floating_point else torch.float32
    generator = _random._generator(seed, x.device)
    noise = [torch.normal(0.0, 1.0, size=(batch, height, width), generator=generator,
                          dtype=noise_dtype, device=x.device) * sigma for _ in range(2)]
    # The noise goes through the blur in the image layout, as Keras does it
    # (conv2d on a permuted channels_last view rounds differently).
    smoothed = [_blur_nchw(_to_nchw(n.unsqueeze(1 if data_format == "channels_first" else -1),
                                    data_format), (size, size),
                           torch.stack([sigma, sigma]))[:, 0] for n in noise]
    dx, dy = smoothed
    cols, rows = torch.meshgrid(torch.arange(width, device=x.device),
                                torch.arange(height, device=x.device), indexing="xy")
    sample_x = cols.unsqueeze(0) + alpha * dx
    sample_y = rows.unsqueeze(0) + alpha * dy
    order = _TRANSFORM_ORDERS[interpolation]
    out = torch.zeros_like(x)
    for ch in range(channels):
        planes = torch.stack([
            _map_coordinates(x[b, ..., ch] if data_format == "channels_last" else x[b, ch],
                             [sample_y[b], sample_x[b]], order, fill_mode, fill_value)
            for b in range(batch)])
        if data_format == "channels_last":
            out[..., ch] = planes
        else:
            out[:, ch] = planes
    return out.squeeze(0) if unbatched else out


# -- scale_and_translate -------------------------------------------------------------
def _triangle_kernel(x):
    return torch.maximum(torch.tensor(0, dtype=x.dtype, device=x.device), 1 - torch.abs(x))


def _keys_cubic_kernel(x):
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return torch.where(x >= 2.0, 0.0, torch.where(x >= 1.0, far, near))


def _lanczos_kernel(radius, x):
    y = radius * torch.sin(np.pi * x) * torch.sin(np.pi * x / radius)
    safe = torch.where(x != 0, np.pi ** 2 * x ** 2, 1)
    out = torch.where(x > 1e-3, torch.divide(y, safe), 1)
    return torch.where(x > radius, 0.0, out)


_SCALE_KERNELS = {"linear": _triangle_kernel, "cubic": _keys_cubic_kernel,
                  "lanczos3": lambda x: _lanczos_kernel(3.0, x),
                  "lanczos5": lambda x: _lanczos_kernel(5.0, x)}


def _resampling_matrix(in_size, out_size, scale, translation, kernel, antialias):
    """(in_size, out_size) weights: output sample j from input pixels i."""
    inv_scale = 1.0 / scale
    kernel_scale = torch.maximum(inv_scale, torch.ones_like(inv_scale)) if antialias else 1.0
    positions = ((torch.arange(out_size, dtype=scale.dtype, device=scale.device) + 0.5)
                 * inv_scale - translation * inv_scale - 0.5)
    pixels = torch.arange(in_size, dtype=scale.dtype, device=scale.device)
    distance = torch.abs(positions[None, :] - pixels[:, None]) / kernel_scale
    weights = kernel(distance)
    total = torch.sum(weights, dim=0, keepdim=True)
    weights = torch.where(torch.abs(total) > 1000.0 * float(np.finfo(np.float32).eps),
                          torch.divide(weights, torch.where(total != 0, total, 1)), 0)
    inside = (positions >= -0.5) & (positions <= in_size - 0.5)
    return torch.where(inside[None, :], weights, 0)


@op
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    """Resamples `images` to `output_shape` with a scale and a translation.

    Along each axis `spatial_dims[k]`, output position `y` (pixel centres at
    `i + 0.5`) samples the input at `(y - translation[k]) / scale[k]`; samples
    that fall outside the input are zero.

    Args:
        images: The input array.
        output_shape: The output shape (one integer per dimension of `images`).
        scale: `[K]` scales, one per spatial dimension.
        translation: `[K]` translations, one per spatial dimension.
        spatial_dims: The `K` axes that `scale` and `translation` apply to.
        method: `"linear"` (also `"bilinear"`, `"trilinear"`, `"triangle"`),
            `"cubic"` (also `"bicubic"`, `"tricubic"`; Keys cubic kernel),
            `"lanczos3"` or `"lanczos5"`.
        antialias: Whether the kernel is widened when downsampling.

    Returns:
        The resampled array (integer inputs are rounded and clipped to the
        input's range).

    Example:

    >>> x = np.arange(4.0).reshape(1, 4, 1)
    >>> keras.ops.image.scale_and_translate(x, (1, 8, 1), scale=[2.0], translation=[0.0], spatial_dims=[1], method='linear')[0, :, 0]
    tensor([0.0000, 0.2500, 0.7500, 1.2500, 1.7500, 2.2500, 2.7500, 3.0000])
    """
    if method not in _SCALE_METHODS:
        raise ValueError(f"Invalid value for argument `method`. Expected one of "
                         f"{sorted(_SCALE_METHODS)}. Received: method={method!r}")
    kernel = _SCALE_KERNELS[_SCALE_METHODS[method]]
    images = convert_to_tensor(images)
    scale = convert_to_tensor(scale)
    translation = convert_to_tensor(translation)
    dtype = torch.promote_types(scale.dtype, translation.dtype)
    if not dtype.is_floating_point:
        dtype = dtypes.to_torch(config.floatx())
    scale, translation = scale.to(dtype), translation.to(dtype)
    output_shape = tuple(_int_value(d, "output_shape", 0) for d in output_shape)
    if len(output_shape) != images.dim():
        raise ValueError(f"`output_shape` must have one entry per dimension of `images` "
                         f"({images.dim()}). Received: output_shape={output_shape}")
    if isinstance(spatial_dims, (int, np.integer)):
        spatial_dims = (spatial_dims,)
    spatial_dims = tuple(_int_value(d, "spatial_dims") for d in spatial_dims)
    if scale.reshape(-1).shape[0] != len(spatial_dims) or \
            translation.reshape(-1).shape[0] != len(spatial_dims):
        raise ValueError("`scale` and `translation` must have one value per spatial "
                         f"dimension ({len(spatial_dims)}).")
    scale, translation = scale.reshape(-1), translation.reshape(-1)
    if not spatial_dims:
        return images
    integer_input = not images.dtype.is_floating_point
    out = images.to(torch.float32) if integer_input else images.clone()
    for k, dim in enumerate(spatial_dims):
        dim = dim % images.dim()
        weights = _resampling_matrix(images.shape[dim], output_shape[dim], scale[k],
                                     translation[k], kernel, antialias).to(out.dtype)
        out = torch.tensordot(out, weights, dims=([dim], [0]))
        out = torch.moveaxis(out, -1, dim)
    if integer_input:
        out = torch.clip(torch.round(out), torch.min(images), torch.max(images)).to(images.dtype)
    return out


# -- patches -------------------------------------------------------------------------
def _patches(x, size, strides, dilation, padding, data_format, n):
    """Patches of an (N, C, *spatial) or (N, *spatial, C) tensor, flattened in
    (patch position..., channel) order as Keras's identity-kernel convolution
    lays them out."""
    if data_format == "channels_last":
        x = torch.movedim(x, -1, 1)
    spatial = x.shape[2:]
    if padding == "same":
        pads = []
        for length, k, s, d in zip(spatial, size, strides, dilation):
            span = (k - 1) * d + 1
            if s == 1:
                total = span - 1
            else:
                total = max(0, (-(-length // s) - 1) * s + span - length)
            pads.append((total // 2, total - total // 2))
        flat = [p for pair in reversed(pads) for p in pair]
        if any(flat):
            x = F.pad(x, flat)
    for i, (k, s, d) in enumerate(zip(size, strides, dilation)):
        x = x.unfold(2 + i, (k - 1) * d + 1, s)
    if any(d > 1 for d in dilation):
        x = x[(Ellipsis,) + tuple(slice(None, None, d) for d in dilation)]
    # x: (N, C, out..., k...) -> (N, out..., k..., C) -> (N, out..., prod(k) * C)
    order = [0] + list(range(2, 2 + n)) + list(range(2 + n, 2 + 2 * n)) + [1]
    x = x.permute(order)
    out_spatial = x.shape[1:1 + n]
    x = x.reshape(x.shape[0], *out_spatial, -1)
    if data_format == "channels_first":
        x = torch.movedim(x, -1, 1)
    return x


def _patch_arguments(images, size, strides, dilation_rate, padding, n, data_format):
    size = _int_tuple(size, n, "size")
    strides = size if strides is None or (not isinstance(strides, (int, np.integer))
                                          and len(strides) == 0) else \
        _int_tuple(strides, n, "strides")
    dilation = _int_tuple(dilation_rate, n, "dilation_rate")
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding!r}")
    if images.dim() not in (n + 1, n + 2):
        kind = "image" if n == 2 else "volume"
        raise ValueError(f"Invalid images rank: expected rank {n + 1} (single {kind}) or "
                         f"rank {n + 2} (batch). Received input with shape: "
                         f"images.shape={tuple(images.shape)}")
    return size, strides, dilation, padding, _data_format(data_format)


def _extract(images, size, strides, dilation_rate, padding, data_format, n):
    size, strides, dilation, padding, data_format = _patch_arguments(
        images, size, strides, dilation_rate, padding, n, data_format)
    unbatched = images.dim() == n + 1
    x = images.unsqueeze(0) if unbatched else images
    out = _patches(x, size, strides, dilation, padding, data_format, n)
    return out.squeeze(0) if unbatched else out


@op
def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    """Extracts patches from image(s) (or volume(s) when `size` has 3 entries).

    Each output position holds one patch flattened in (row, column, channel)
    order: `size[0] * size[1] * channels` values.

    Args:
        images: Image `(H, W, C)` / batch `(N, H, W, C)` for 2D patches, volume
            `(D, H, W, C)` / batch `(N, D, H, W, C)` for 3D patches
            (channels first with `data_format="channels_first"`).
        size: Patch size: an int or `(height, width)` for 2D patches,
            `(depth, height, width)` for 3D patches.
        strides: Step between patches; defaults to `size` (no overlap).
        dilation_rate: Spacing between the sampled pixels of a patch.
        padding: `"valid"` (patches inside the image) or `"same"` (zero
            padding so that there are `ceil(size / strides)` patches per axis).
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The patches: `(out_h, out_w, patch values)` per image (batched: with
        the batch axis first).

    Example:

    >>> images = np.arange(32.0).reshape(1, 4, 4, 2)
    >>> keras.ops.image.extract_patches(images, 2).shape
    torch.Size([1, 2, 2, 8])
    """
    if not isinstance(size, (int, np.integer)):
        if not isinstance(size, (tuple, list)):
            raise TypeError("Invalid `size` argument. Expected an int or a tuple. "
                            f"Received: size={size} of type {type(size).__name__}")
        if len(size) not in (2, 3):
            raise ValueError("Invalid `size` argument. Expected a tuple of length 2 or 3. "
                             f"Received: size={size} with length {len(size)}")
    n = 3 if not isinstance(size, (int, np.integer)) and len(size) == 3 else 2
    return _extract(convert_to_tensor(images), size, strides, dilation_rate, padding,
                    data_format, n)


def _patches_unknown_dims(spec, arguments, args, kwargs):
    """Output spatial sizes of unknown input sizes are unknown (a graph node)."""
    from torkeras.graph.keras_tensor import KerasTensor
    images = args[0] if args else kwargs.get("images")
    size = arguments.get("size")
    n = 3 if not isinstance(size, (int, np.integer)) and len(size) == 3 else 2
    first = 1 if _data_format(arguments.get("data_format")) == "channels_first" else 0
    rank = len(images.shape)
    offset = rank - (n + 1)  # 1 with a batch axis, 0 without
    shape = list(spec.shape)
    for axis in range(offset + first, offset + first + n):
        if images.shape[axis] is None:
            shape[axis] = None
    return KerasTensor(tuple(shape), spec.dtype)


extract_patches._raw._keep_unknown_dims = _patches_unknown_dims


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Extracts 3D patches from volume(s).

    Each output position holds one patch flattened in (depth, row, column,
    channel) order.

    Args:
        volumes: One volume `(D, H, W, C)` or a batch `(N, D, H, W, C)`
            (channels first with `data_format="channels_first"`).
        size: Patch size: an int or `(depth, height, width)`.
        strides: Step between patches; defaults to `size`.
        dilation_rate: Spacing between the sampled voxels of a patch.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The patches, rank 4 (one volume) or 5 (a batch).

    Example:

    >>> volumes = np.zeros((1, 4, 4, 4, 1), dtype='float32')
    >>> keras.ops.image.extract_patches_3d(volumes, 2).shape
    torch.Size([1, 2, 2, 2, 8])
    """
    # As in Keras, this is `extract_patches` with a 3-entry size (a graph
    # node records it as ExtractPatches).
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size),) * 3
    elif not isinstance(size, (tuple, list)) or len(size) != 3:
        raise ValueError("Invalid `size` argument. Expected an int or a tuple of length 3. "
                         f"Received: size={size!r}")
    return extract_patches(volumes, tuple(size), strides, dilation_rate, padding, data_format)


# -- crop and pad --------------------------------------------------------------------
def _two_of_three(first, second, target, names):
    if [first, second, target].count(None) != 1:
        raise ValueError(f"Must specify exactly two of {names[0]}, {names[1]}, {names[2]}. "
                         f"Received: {names[0]}={first}, {names[1]}={second}, "
                         f"{names[2]}={target}")


def _crop_pad_arguments(images, values, names, data_format):
    data_format = _data_format(data_format)
    _check_rank(images)
    values = [_int_value(v, name) for v, name in zip(values, names)]
    first, left, second, right, target_h, target_w = values
    _two_of_three(first, second, target_h, (names[0], names[2], names[4]))
    _two_of_three(left, right, target_w, (names[1], names[3], names[5]))
    for value, name in zip(values, names):
        if value is not None and value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
    if data_format == "channels_last":
        height, width = images.shape[-3], images.shape[-2]
    else:
        height, width = images.shape[-2], images.shape[-1]
    return values, height, width, data_format


@op
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    """Pads images with zeros to a given height and width.

    Give exactly two of `top_padding`, `bottom_padding`, `target_height` and
    exactly two of `left_padding`, `right_padding`, `target_width`.

    Args:
        images: Input image or batch of images (rank 3 or 4).
        top_padding: Rows of zeros added on top.
        left_padding: Columns of zeros added on the left.
        bottom_padding: Rows of zeros added at the bottom.
        right_padding: Columns of zeros added on the right.
        target_height: Height of the output images.
        target_width: Width of the output images.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The padded image or batch of images.

    Example:

    >>> image = np.ones((2, 2, 1))
    >>> keras.ops.image.pad_images(image, top_padding=1, left_padding=1, target_height=4, target_width=3)[:, :, 0]
    tensor([[0., 0., 0.],
            [0., 1., 1.],
            [0., 1., 1.],
            [0., 0., 0.]])
    """
    images = convert_to_tensor(images)
    names = ("top_padding", "left_padding", "bottom_padding", "right_padding",
             "target_height", "target_width")
    values, height, width, data_format = _crop_pad_arguments(
        images, (top_padding, left_padding, bottom_padding, right_padding, target_height,
                 target_width), names, data_format)
    top, left, bottom, right, target_h, target_w = values
    if top is None:
        top = target_h - bottom - height
    if bottom is None:
        bottom = target_h - top - height
    if left is None:
        left = target_w - right - width
    if right is None:
        right = target_w - left - width
    for value, name in ((top, "top_padding"), (left, "left_padding"),
                        (right, "right_padding"), (bottom, "bottom_padding")):
        if value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
    if data_format == "channels_last":
        pads = (0, 0, left, right, top, bottom)
    else:
        pads = (left, right, top, bottom)
    return F.pad(images, pads)


@op
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crops images to a given height and width.

    Give exactly two of `top_cropping`, `bottom_cropping`, `target_height`
    and exactly two of `left_cropping`, `right_cropping`, `target_width`.

    Args:
        images: Input image or batch of images (rank 3 or 4).
        top_cropping: Rows removed from the top.
        left_cropping: Columns removed from the left.
        bottom_cropping: Rows removed from the bottom.
        right_cropping: Columns removed from the right.
        target_height: Height of the output images.
        target_width: Width of the output images.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        The cropped image or batch of images.

    Example:

    >>> image = np.arange(16.0).reshape(4, 4, 1)
    >>> keras.ops.image.crop_images(image, top_cropping=1, left_cropping=1, target_height=2, target_width=2)[:, :, 0]
    tensor([[ 5.,  6.],
            [ 9., 10.]])
    """
    images = convert_to_tensor(images)
    names = ("top_cropping", "left_cropping", "bottom_cropping", "right_cropping",
             "target_height", "target_width")
    values, height, width, data_format = _crop_pad_arguments(
        images, (top_cropping, left_cropping, bottom_cropping, right_cropping, target_height,
                 target_width), names, data_format)
    top, left, bottom, right, target_h, target_w = values
    if top is None:
        top = height - target_h - bottom
    if target_h is None:
        target_h = height - bottom - top
    if left is None:
        left = width - target_w - right
    if target_w is None:
        target_w = width - right - left
    for value, name in ((top, "top_cropping"), (target_h, "target_height"),
                        (left, "left_cropping"), (target_w, "target_width")):
        if value < 0:
            raise ValueError(f"{name} must be >= 0. Received: {name}={value}")
    if top + target_h > height or left + target_w > width:
        raise ValueError(f"Cropping {target_h}x{target_w} at row {top}, column {left} does "
                         f"not fit in images of size {height}x{width}.")
    if data_format == "channels_last":
        return images[..., top:top + target_h, left:left + target_w, :]
    return images[..., top:top + target_h, left:left + target_w]


# -- ssim ----------------------------------------------------------------------------
@op
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Structural similarity index (SSIM) between two images or batches.

    Local means, variances and covariance are Gaussian-weighted
    (`filter_size` x `filter_size`, standard deviation `filter_sigma`, no
    padding); the SSIM map `(2 mu1 mu2 + C1)(2 s12 + C2) / ((mu1^2 + mu2^2 +
    C1)(s1^2 + s2^2 + C2))` with `C1 = (k1 max_val)^2`, `C2 = (k2 max_val)^2`
    is averaged over space, then over channels.

    Args:
        image1: First image or batch of images (rank 3 or 4).
        image2: Second image(s), same shape as `image1`.
        max_val: Dynamic range of the pixel values (1.0 for [0, 1], 255 for uint8).
        filter_size: Size of the Gaussian window.
        filter_sigma: Standard deviation of the Gaussian window.
        k1: First stabilisation constant.
        k2: Second stabilisation constant.
        data_format: `"channels_last"` or `"channels_first"`; defaults to
            `keras.config.image_data_format()`.

    Returns:
        A scalar for single images, a `(batch,)` vector for batches, in the
        dtype of `image1`.

    Example:

    >>> a = np.random.default_rng(0).random((1, 16, 16, 1)).astype('float32')
    >>> float(keras.ops.image.ssim(a, a, filter_size=7))
    1.0
    >>> float(keras.ops.image.ssim(a, 1.0 - a, filter_size=7)) < 0
    True
    """
    data_format = _data_format(data_format)
    image1 = convert_to_tensor(image1)
    image2 = convert_to_tensor(image2)
    _check_rank(image1, "image1")
    _check_rank(image2, "image2")
    if image1.shape != image2.shape:
        raise ValueError("image1 and image2 must have the same shape. Received: "
                         f"image1.shape={tuple(image1.shape)}, image2.shape="
                         f"{tuple(image2.shape)}")
    filter_size = _int_value(filter_size, "filter_size", 1)
    original_dtype = image1.dtype
    compute_dtype = original_dtype if original_dtype.is_floating_point else torch.float32
    a = image1.to(compute_dtype)
    b = image2.to(compute_dtype)
    unbatched = a.dim() == 3
    if unbatched:
        a, b = a.unsqueeze(0), b.unsqueeze(0)
    if data_format == "channels_last":
        a, b = a.permute(0, 3, 1, 2), b.permute(0, 3, 1, 2)
    batch, channels, height, width = a.shape
    if filter_size > height or filter_size > width:
        raise ValueError(f"`filter_size` ({filter_size}) is larger than the images "
                         f"({height}x{width}).")
    # Keras's layout: (batch * channels, height, width, 1) images, moved to
    # contiguous NCHW in channels_last memory format for the convolution, and
    # a (size, size, 1, 1) kernel permuted to (1, 1, size, size); the same
    # layouts give the same float32 rounding.
    a = a.reshape(-1, height, width, 1)
    b = b.reshape(-1, height, width, 1)
    positions = torch.arange(filter_size, dtype=compute_dtype, device=a.device) \
        - (filter_size - 1) / 2.0
    window = torch.exp(-(positions ** 2) / (2.0 * filter_sigma ** 2))
    window = window / torch.sum(window)
    kernel = torch.outer(window, window).reshape(filter_size, filter_size, 1, 1)
    kernel = kernel.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)

    def local_mean(t):
        t = t.permute(0, 3, 1, 2).contiguous().contiguous(memory_format=torch.channels_last)
        return F.conv2d(t, kernel).permute(0, 2, 3, 1)

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mu1, mu2 = local_mean(a), local_mean(b)
    mu1_sq, mu2_sq, mu12 = mu1 * mu1, mu2 * mu2, mu1 * mu2
    var1 = local_mean(a * a) - mu1_sq
    var2 = local_mean(b * b) - mu2_sq
    cov = local_mean(a * b) - mu12
    ssim_map = ((2.0 * mu12 + c1) * (2.0 * cov + c2)) / ((mu1_sq + mu2_sq + c1) * (var1 + var2 + c2))
    per_channel = torch.mean(ssim_map, dim=(1, 2, 3)).reshape(batch, channels)
    result = torch.mean(per_channel, dim=-1)
    if unbatched:
        result = result.squeeze(0)
    return result.to(original_dtype)
