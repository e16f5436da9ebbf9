"""Rescaling: `inputs * scale + offset`, in the layer's compute dtype."""

import numpy as np
import torch

from torkeras import config as _config
from torkeras.layers.layer import Layer


def _plain(value, name):
    """A scale/offset as a Python float or (nested) list of floats, checked."""
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":
        value = value["config"]["value"]  # the form Keras writes for NumPy arrays
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, bool):
        raise ValueError(f"Rescaling: `{name}` must be a number or an array of numbers. "
                         f"Received: {name}={value!r}")
    if isinstance(value, (int, float, np.number)):
        return float(value)
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"Rescaling: `{name}` must be a number or an array of numbers. "
                         f"Received: {name}={value!r}") from None
    if array.ndim == 0:
        return float(array)
    return array.tolist()


class Rescaling(Layer):
    """Rescales inputs: `output = inputs * scale + offset`.

    The inputs (of any dtype, e.g. `uint8` images) are cast to the layer's
    compute dtype first. To map `[0, 255]` to `[0, 1]` use `scale=1/255`; to
    map it to `[-1, 1]` use `scale=1/127.5, offset=-1`. An array `scale`
    (e.g. one factor per channel) broadcasts against the trailing axes; with
    `keras.config.image_data_format() == "channels_first"` it is given
    trailing unit axes so that it lines up with the channel axis of images.

    Args:
        scale: A number or an array of numbers, the multiplier.
        offset: A number or an array of numbers, added after scaling.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Input shape:
        Any shape.

    Output shape:
        Same as the input.

    Example:
    >>> x = np.array([[0, 127.5, 255]], dtype="float32")
    >>> keras.layers.Rescaling(1 / 127.5, offset=-1)(x).tolist()
    [[-1.0, 0.0, 1.0]]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _plain(scale, "scale")
        self.offset = _plain(offset, "offset")
        self.supports_masking = True

    def _constant(self, value, dtype, device):
        tensor = torch.as_tensor(value, dtype=dtype, device=device)
        if tensor.dim() > 0 and _config.image_data_format() == "channels_first":
            tensor = tensor.reshape(tuple(tensor.shape) + (1,) * max(0, 3 - tensor.dim()))
        return tensor

    def call(self, inputs):
        dtype = getattr(torch, self.compute_dtype)
        x = torch.as_tensor(inputs).to(dtype)
        scale = self._constant(self.scale, dtype, x.device)
        offset = torch.as_tensor(self.offset, dtype=dtype, device=x.device)
        return x * scale + offset

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale, "offset": self.offset})
        return config
