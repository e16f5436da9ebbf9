"""Resizing: resizes images to a fixed (height, width) with `ops.image.resize`."""

import torch

from torkeras.layers.layer import Layer, KerasTensor
from torkeras.layers.preprocessing import _image_base as B
from torkeras.ops import image as image_ops

_INTERPOLATIONS = ("bilinear", "nearest", "bicubic")
_UNSUPPORTED = ("area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


class Resizing(Layer):
    """Resizes images to `(height, width)`.

    Works on a batch of images (rank 4) or on one image (rank 3), in either
    data format. Floating-point inputs are cast to the layer's compute dtype;
    integer images keep their dtype (the resized values are rounded).

    Args:
        height: Positive integer, the height of the output images.
        width: Positive integer, the width of the output images.
        interpolation: `"bilinear"` (default), `"nearest"` or `"bicubic"`.
            `"area"`, `"lanczos3"`, `"lanczos5"`, `"gaussian"` and
            `"mitchellcubic"` are not available on the torch backend (Keras 3
            on torch rejects them too) and raise a `ValueError`.
        crop_to_aspect_ratio: If `True`, the largest centred window of the
            target aspect ratio is cut from each image and resized, so the
            aspect ratio is kept without distortion.
        pad_to_aspect_ratio: If `True`, the images are padded (equally on both
            sides, with `fill_value`) to the target aspect ratio before
            resizing. At most one of `crop_to_aspect_ratio` and
            `pad_to_aspect_ratio` may be `True`.
        fill_mode: How padded pixels are filled with `pad_to_aspect_ratio`;
            only `"constant"` is supported (as in Keras on torch).
        fill_value: The value of padded pixels.
        antialias: Whether to use an antialiasing filter when downsampling
            (bilinear and bicubic only).
        data_format: `"channels_last"` (images `(batch, height, width,
            channels)`) or `"channels_first"` (`(batch, channels, height,
            width)`); `None` uses `keras.config.image_data_format()`.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        3-D (one image) or 4-D (a batch) tensor, as given by `data_format`.

    Output shape:
        The input shape with height `height` and width `width`.

    Example:
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> keras.layers.Resizing(2, 2)(x)[0, :, :, 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height = B.check_size(height, "height", "Resizing")
        self.width = B.check_size(width, "width", "Resizing")
        if interpolation in _UNSUPPORTED:
            raise ValueError(f"Resizing: interpolation={interpolation!r} is not supported by "
                             f"the torch backend (as in Keras 3 on torch); use one of "
                             f"{_INTERPOLATIONS}.")
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(f"Resizing: `interpolation` must be one of {_INTERPOLATIONS}. "
                             f"Received: interpolation={interpolation!r}")
        if fill_mode != "constant":
            raise ValueError("Resizing: `fill_mode` must be 'constant' (the only mode Keras "
                             f"supports for resizing). Received: fill_mode={fill_mode!r}")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of `crop_to_aspect_ratio` and "
                             "`pad_to_aspect_ratio` can be True.")
        try:
            fill_value = float(fill_value)
        except (TypeError, ValueError):
            raise ValueError("Resizing: `fill_value` must be a number. "
                             f"Received: fill_value={fill_value!r}") from None
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)
        self.data_format = B.standardize_data_format(data_format)

    def call(self, inputs):
        x = torch.as_tensor(inputs)
        B.check_image_rank(x.shape, "Resizing")
        return image_ops.resize(
            x, (self.height, self.width), interpolation=self.interpolation,
            antialias=self.antialias, crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio, fill_mode=self.fill_mode,
            fill_value=self.fill_value, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return B.resized_shape(input_shape, self.height, self.width, self.data_format,
                               "Resizing")

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape(tuple(inputs.shape))
        dtype = str(inputs.dtype).replace("torch.", "")
        if "float" in dtype or dtype == "bool":
            dtype = self.compute_dtype
        return KerasTensor(shape, dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "data_format": self.data_format, "height": self.height, "width": self.width,
            "interpolation": self.interpolation,
            "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
            "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
            "fill_value": self.fill_value, "antialias": self.antialias})
        return config
