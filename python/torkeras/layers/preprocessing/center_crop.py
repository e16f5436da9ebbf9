"""CenterCrop: cuts the central (height, width) window of images."""

import torch

from torkeras.layers.layer import Layer
from torkeras.layers.preprocessing import _image_base as B
from torkeras.ops import image as image_ops


class CenterCrop(Layer):
    """Crops the central `(height, width)` window of images.

    Works on a batch of images (rank 4) or on one image (rank 3). The inputs
    are cast to the layer's compute dtype. When an image is smaller than the
    target in height or in width, it is not padded: the largest centred
    window with the target aspect ratio is resized (bilinearly) to
    `(height, width)` instead, as Keras does.

    Args:
        height: Positive integer, the height of the output images.
        width: Positive integer, the width of the output images.
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
    >>> keras.layers.CenterCrop(2, 2)(x)[0, :, :, 0].tolist()
    [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height = B.check_size(height, "height", "CenterCrop")
        self.width = B.check_size(width, "width", "CenterCrop")
        self.data_format = B.standardize_data_format(data_format)

    def call(self, inputs):
        x = torch.as_tensor(inputs).to(getattr(torch, self.compute_dtype))
        B.check_image_rank(x.shape, "CenterCrop")
        h_axis, w_axis = B.spatial_axes(x.dim(), self.data_format)
        in_h, in_w = x.shape[h_axis], x.shape[w_axis]
        if in_h >= self.height and in_w >= self.width:
            top = (in_h - self.height) // 2
            left = (in_w - self.width) // 2
            x = x.narrow(h_axis, top, self.height)
            return x.narrow(w_axis, left, self.width)
        return image_ops.resize(x, (self.height, self.width), interpolation="bilinear",
                                crop_to_aspect_ratio=True, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        return B.resized_shape(input_shape, self.height, self.width, self.data_format,
                               "CenterCrop")

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "height": self.height,
                       "width": self.width})
        return config
