"""Loading, converting, saving and resizing single images.

``load_img`` / ``save_img`` read and write image files through Pillow;
``img_to_array`` / ``array_to_img`` convert between Pillow images and NumPy
arrays; ``smart_resize`` resizes an image (or batch) to a target size after
cropping its centre to the target aspect ratio, so nothing is distorted.

Pillow is imported lazily: importing this module works without it, calling a
function that needs it raises ``ImportError`` saying to install Pillow.
"""

import io
import pathlib
import warnings

import numpy as np

from torkeras import config

# Names accepted by `load_img(interpolation=)`, mapped to Pillow's resampling
# filter names.
_PIL_RESAMPLE_NAMES = {
    "nearest": "NEAREST",
    "bilinear": "BILINEAR",
    "bicubic": "BICUBIC",
    "hamming": "HAMMING",
    "box": "BOX",
    "lanczos": "LANCZOS",
}


def _pil_image():
    try:
        from PIL import Image
    except ImportError as exc:  # pragma: no cover - Pillow is a dependency of the venv
        raise ImportError(
            "Image loading and saving require the Pillow package: `pip install pillow`.") from exc
    return Image


_data_format = config._standardize_data_format


def _to_numpy(x, dtype=None):
    try:
        import torch
        if isinstance(x, torch.Tensor):
            x = x.detach().cpu().numpy()
    except ImportError:  # pragma: no cover
        pass
    return np.asarray(x, dtype=dtype)


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Loads an image file into a Pillow image.

    Args:
        path: Path to the image file (`str` or `pathlib.Path`), or an
            `io.BytesIO` holding its bytes.
        color_mode: `"rgb"` (default), `"rgba"` or `"grayscale"`: the colour
            mode the image is converted to. Grayscale keeps 16/32-bit integer
            images (modes `"I;16"`, `"I"`) as they are.
        target_size: `None` (keep the file's size) or a `(height, width)`
            tuple the image is resized to.
        interpolation: Resampling filter used when resizing: `"nearest"`
            (default), `"bilinear"`, `"bicubic"`, `"hamming"`, `"box"` or
            `"lanczos"`.
        keep_aspect_ratio: If `True`, the largest centred crop with the aspect
            ratio of `target_size` is taken before resizing, so the image is
            not distorted.

    Returns:
        A `PIL.Image.Image`.

    Raises:
        TypeError: `path` is neither path-like nor an `io.BytesIO`.
        ValueError: `color_mode` or `interpolation` is not one of the values
            above, or `target_size` is not two positive integers.

    Example:

    >>> import io
    >>> buffer = io.BytesIO()
    >>> keras.utils.array_to_img(np.zeros((80, 100, 3))).save(buffer, format="PNG")
    >>> img = keras.utils.load_img(buffer, target_size=(64, 64))
    >>> keras.utils.img_to_array(img).shape
    (64, 64, 3)
    """
    Image = _pil_image()
    if color_mode not in ("rgb", "rgba", "grayscale"):
        raise ValueError(
            '`color_mode` must be "grayscale", "rgb" or "rgba". '
            f"Received: color_mode={color_mode!r}")
    if target_size is not None:
        try:
            target_size = tuple(target_size)
        except TypeError:
            target_size = (target_size,)
        if (len(target_size) != 2
                or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                           and s > 0 for s in target_size)):
            raise ValueError(
                "`target_size` must be None or a (height, width) tuple of positive "
                f"integers. Received: target_size={target_size!r}")
    if isinstance(path, io.BytesIO):
        img = Image.open(path)
    elif isinstance(path, (str, bytes, pathlib.PurePath)):
        if isinstance(path, bytes):
            path = path.decode()
        with open(path, "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(
            "`path` must be a path (str or pathlib.Path) or an io.BytesIO. "
            f"Received an object of type {type(path).__name__}")

    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif img.mode != "RGB":
        img = img.convert("RGB")

    if target_size is not None:
        out_w, out_h = int(target_size[1]), int(target_size[0])
        if img.size != (out_w, out_h):
            if interpolation not in _PIL_RESAMPLE_NAMES:
                raise ValueError(
                    "`interpolation` must be one of "
                    f"{', '.join(_PIL_RESAMPLE_NAMES)}. Received: interpolation={interpolation!r}")
            resample = getattr(Image.Resampling, _PIL_RESAMPLE_NAMES[interpolation])
            if keep_aspect_ratio:
                w, h = img.size
                crop_h = min(h, (w * out_h) // out_w)
                crop_w = min(w, (h * out_w) // out_h)
                top = (h - crop_h) // 2
                left = (w - crop_w) // 2
                img = img.resize((out_w, out_h), resample,
                                 box=(left, top, left + crop_w, top + crop_h))
            else:
                img = img.resize((out_w, out_h), resample)
    return img


def img_to_array(img, data_format=None, dtype=None):
    """Converts a Pillow image to a NumPy array.

    Args:
        img: A `PIL.Image.Image` (or anything `np.asarray` turns into a rank 2
            or rank 3 array).
        data_format: `"channels_last"` (array `(height, width, channels)`) or
            `"channels_first"` (`(channels, height, width)`); defaults to
            `keras.config.image_data_format()`.
        dtype: Array dtype; defaults to `keras.config.floatx()`.

    Returns:
        A rank 3 NumPy array. A single-channel image gets a channel axis of
        size 1.

    Raises:
        ValueError: the image is not rank 2 or 3, or `data_format` is invalid.

    Example:

    >>> from PIL import Image
    >>> img = Image.new("RGB", (4, 2))
    >>> keras.utils.img_to_array(img).shape
    (2, 4, 3)
    """
    data_format = _data_format(data_format)
    if dtype is None:
        dtype = config.floatx()
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 3:
        if data_format == "channels_first":
            x = x.transpose(2, 0, 1)
    elif x.ndim == 2:
        if data_format == "channels_first":
            x = x.reshape((1,) + x.shape)
        else:
            x = x.reshape(x.shape + (1,))
    else:
        raise ValueError(
            "`img` must be a single image of rank 2 or 3; got an array of shape "
            f"{x.shape}")
    return x


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a rank 3 array to a Pillow image.

    Args:
        x: Array (NumPy array, torch tensor or nested lists) of shape
            `(height, width, channels)` (or `(channels, height, width)` with
            `data_format="channels_first"`) with 1, 3 or 4 channels.
        data_format: Layout of `x`; defaults to
            `keras.config.image_data_format()`.
        scale: If `True`, values are shifted and scaled linearly so that the
            minimum becomes 0 and the maximum 255 (a constant image becomes
            all 0). If `False`, values are used as they are (and truncated to
            integers).
        dtype: Dtype `x` is converted to before scaling; defaults to
            `keras.config.floatx()`.

    Returns:
        A `PIL.Image.Image`: mode `"RGB"` (3 channels), `"RGBA"` (4), `"L"`
        (1 channel with values up to 255) or `"I"` (1 channel with larger
        values, kept as 32-bit integers).

    Raises:
        ValueError: `x` is not rank 3, has another number of channels, or
            `data_format` is invalid.

    Example:

    >>> x = np.random.uniform(size=(8, 8, 3))
    >>> keras.utils.array_to_img(x).size
    (8, 8)
    """
    data_format = _data_format(data_format)
    if dtype is None:
        dtype = config.floatx()
    Image = _pil_image()
    x = np.array(_to_numpy(x, dtype=dtype), copy=True)
    if x.ndim != 3:
        raise ValueError(
            "`x` must be a single image of rank 3 (height, width, channels); got an "
            f"array of shape {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(np.ascontiguousarray(x.astype("uint8")))
    if channels == 3:
        return Image.fromarray(np.ascontiguousarray(x.astype("uint8")))
    if channels == 1:
        if np.max(x) > 255:
            return Image.fromarray(np.ascontiguousarray(x[:, :, 0].astype("int32")))
        return Image.fromarray(np.ascontiguousarray(x[:, :, 0].astype("uint8")))
    raise ValueError(
        "`x` must have 1, 3 or 4 channels; got an array of shape "
        f"{tuple(x.shape)} with {channels} channels (data_format={data_format!r})")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (or file object) with Pillow.

    Args:
        path: Path (`str` or `pathlib.Path`) or a writable binary file object.
        x: Array accepted by `array_to_img`.
        data_format: Layout of `x`; defaults to
            `keras.config.image_data_format()`.
        file_format: Format name for Pillow (e.g. `"png"`, `"jpeg"`; `"jpg"`
            means `"jpeg"`). If `None`, taken from the extension of `path`;
            required when `path` is a file object.
        scale: Whether to rescale values to `[0, 255]` (see `array_to_img`).
        **kwargs: Passed to `PIL.Image.Image.save()` (e.g. `quality=95`).

    Returns:
        None. An RGBA image saved as JPEG is converted to RGB first, with a
        warning.

    Example:

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "out.png")
    >>> keras.utils.save_img(path, np.zeros((8, 8, 3)))
    >>> keras.utils.img_to_array(keras.utils.load_img(path)).shape
    (8, 8, 3)
    """
    data_format = _data_format(data_format)
    if file_format is None and isinstance(path, (str, pathlib.PurePath)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format is not None and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format is not None and file_format.lower() == "jpeg":
        warnings.warn("The JPEG format does not support RGBA images, converting to RGB.",
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes images to `size` without distorting their aspect ratio.

    The largest centred crop with the aspect ratio of `size` is taken (e.g. a
    `(340, 500)` image resized to `(200, 200)` is first cropped to
    `(340, 340)` around its centre), then resized to `size` with
    `keras.ops.image.resize`.

    Args:
        x: Image `(height, width, channels)` or batch
            `(batch, height, width, channels)` (channels first with
            `data_format="channels_first"`), as a NumPy array or torch tensor.
        size: `(height, width)` of the output.
        interpolation: `"bilinear"` (default), `"nearest"` or `"bicubic"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Returns:
        The resized image(s): a NumPy array for NumPy input, otherwise a torch
        tensor.

    Raises:
        ValueError: `size` is not two integers or `x` is not rank 3 or 4.

    Example:

    >>> x = np.random.uniform(size=(340, 500, 3))
    >>> keras.preprocessing.image.smart_resize(x, (200, 200)).shape
    (200, 200, 3)
    """
    from torkeras.ops import image as image_ops
    import torch

    data_format = _data_format(data_format)
    try:
        size = tuple(size)
    except TypeError:
        size = (size,)
    if len(size) != 2:
        raise ValueError(f"`size` must be a (height, width) tuple of 2 integers. Received: size={size}")
    was_numpy = isinstance(x, np.ndarray)
    img = x if isinstance(x, torch.Tensor) else torch.as_tensor(np.array(x))
    if img.ndim not in (3, 4):
        raise ValueError(
            "`x` must be an image (height, width, channels) or a batch of images "
            f"(batch, height, width, channels); got shape {tuple(img.shape)}")
    if data_format == "channels_last":
        height, width = img.shape[-3], img.shape[-2]
    else:
        height, width = img.shape[-2], img.shape[-1]
    target_h, target_w = size
    crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
    crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
    top = int(float(height - crop_h) / 2)
    left = int(float(width - crop_w) / 2)
    if data_format == "channels_last":
        img = img[..., top:top + crop_h, left:left + crop_w, :]
    else:
        img = img[..., top:top + crop_h, left:left + crop_w]
    out = image_ops.resize(img, size=size, interpolation=interpolation, data_format=data_format)
    if was_numpy:
        return out.detach().cpu().numpy()
    return out
