"""How a depthwise/separable convolution pads its input for torch.

`torch_padding(spatial, padding, kernel_size, strides, dilation_rate)` returns
`(padding argument for F.convNd, explicit F.pad list or None)`. "same" follows
Keras/TensorFlow: when the total padding along an axis is odd the extra element
goes after, which torch's symmetric `padding=` cannot express, so those inputs
are padded explicitly with `F.pad` first.
"""

import functools

from torkeras.layers.core import arg_utils as U


@functools.lru_cache(maxsize=256)
def torch_padding(spatial, padding, kernel_size, strides, dilation_rate):
    if padding == "valid":
        return 0, None
    pairs = [U.same_padding(n, k, s, d) for n, k, s, d in
             zip(spatial, kernel_size, strides, dilation_rate)]
    if all(a == b for a, b in pairs):
        return tuple(a for a, _ in pairs), None
    flat = []
    for before, after in reversed(pairs):  # F.pad lists the last axis first
        flat += [before, after]
    return 0, tuple(flat)
