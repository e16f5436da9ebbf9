"""Shared helpers of the image preprocessing layers (rank-3 or rank-4 images)."""

from torkeras.layers.core import arg_utils as U


def check_size(value, name, layer):
    """`value` as a positive Python int, or a ValueError naming `layer` and `name`."""
    if isinstance(value, bool):
        raise ValueError(f"{layer}: `{name}` must be a positive integer. "
                         f"Received: {name}={value!r}")
    try:
        as_int = int(value)
    except (TypeError, ValueError):
        as_int = None
    if as_int is None or as_int != value or as_int <= 0:
        raise ValueError(f"{layer}: `{name}` must be a positive integer. "
                         f"Received: {name}={value!r}")
    return as_int


def check_image_rank(shape, layer):
    """Raise unless `shape` is the shape of one image (rank 3) or a batch (rank 4)."""
    if len(shape) not in (3, 4):
        raise ValueError(f"{layer}: expected images of rank 3 (one image) or 4 (a batch); "
                         f"received an input of shape {tuple(shape)}.")


def spatial_axes(rank, data_format):
    """The (height, width) axes of a rank-3 or rank-4 image tensor."""
    if data_format == "channels_last":
        return (rank - 3, rank - 2)
    return (rank - 2, rank - 1)


def resized_shape(input_shape, height, width, data_format, layer):
    """`input_shape` with its height and width replaced."""
    shape = list(input_shape)
    check_image_rank(shape, layer)
    h_axis, w_axis = spatial_axes(len(shape), data_format)
    shape[h_axis] = height
    shape[w_axis] = width
    return tuple(shape)


standardize_data_format = U.standardize_data_format
