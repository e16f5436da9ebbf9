"""Keras's `keras.ops` math functions outside NumPy: segment reductions, FFTs
and short-time Fourier transforms, error functions, `cdist`, `logdet`, ...

Complex values travel as `(real, imag)` pairs of float tensors, as in Keras 3
(`fft(x)` takes and returns such a pair); `view_as_complex`/`view_as_real`
convert between pairs stacked on the last axis and complex tensors.
`logsumexp`, `rsqrt`, `erf` (ops.numpy) and `top_k`, `in_top_k` (ops.nn) belong
to the same Keras family and are re-exported here.
"""

import torch

from torkeras.ops.core import _floatx, _t, op
from torkeras.ops.nn import in_top_k, top_k  # noqa: F401  (Keras's ops.math family)
from torkeras.ops.numpy import erf, logsumexp, rsqrt  # noqa: F401

__all__ = ["segment_sum", "segment_max", "segment_min", "segment_prod", "top_k", "in_top_k",
           "logsumexp", "cdist", "extract_sequences", "fft", "fft2", "ifft2", "rfft", "irfft",
           "stft", "istft", "rsqrt", "erf", "erfc", "erfinv", "logdet", "view_as_complex",
           "view_as_real"]


def _float(x):
    x = _t(x)
    return x if x.is_floating_point() or x.is_complex() else x.to(_floatx())


# -- segment reductions ---------------------------------------------------------
_SEGMENT_START = {"sum": 0, "prod": 1}


def _segment_reduce(data, segment_ids, num_segments, reduction):
    data = _t(data)
    segment_ids = _t(segment_ids)
    if segment_ids.dim() != 1:
        raise ValueError("Argument `segment_ids` should be a 1-D vector, got shape "
                         f"{tuple(segment_ids.shape)}. Flatten the input (data.reshape((-1,) "
                         "+ data.shape[segment_ids.ndim:])) or map over it.")
    if data.dim() < 1 or segment_ids.shape[0] != data.shape[0]:
        raise ValueError("Arguments `segment_ids` and `data` should have the same leading "
                         f"dimension. Got {tuple(segment_ids.shape)} vs {tuple(data.shape)}.")
    if segment_ids.is_floating_point():
        if not torch.equal(segment_ids, torch.round(segment_ids)):
            raise ValueError("`segment_ids` must hold integers.")
    ids = segment_ids.to(torch.int64)
    if num_segments is None:
        num_segments = int(ids.max()) + 1 if ids.numel() else 0
    else:
        num_segments = int(num_segments)
        if num_segments < 0:
            raise ValueError(f"`num_segments` must be >= 0. Received: num_segments={num_segments}")
    # Out-of-range (and negative) ids go to an extra row that is dropped.
    ids = torch.where((ids >= 0) & (ids < num_segments), ids, num_segments)
    rest = tuple(data.shape[1:])
    compute = data if (data.is_floating_point() or data.dtype != torch.bool) else data.to(torch.int64)
    if reduction in _SEGMENT_START:
        start = _SEGMENT_START[reduction]
    elif compute.is_floating_point():
        start = float("-inf") if reduction == "amax" else float("inf")
    else:
        info = torch.iinfo(compute.dtype)
        start = info.min if reduction == "amax" else info.max
    out = torch.full((num_segments + 1,) + rest, start, dtype=compute.dtype, device=data.device)
    index = ids.reshape((-1,) + (1,) * len(rest)).expand(compute.shape)
    out = out.scatter_reduce(0, index, compute, reduction, include_self=True)
    return out[:num_segments].to(data.dtype)


@op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """Sums of the rows of `data` that share a segment id.

    Args:
        data: Tensor of shape `(N, ...)`.
        segment_ids: 1-D integer tensor of length `N`: the segment of each row
            (0-based). Ids outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; `None` uses `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` are sorted (accepted for Keras
            compatibility; the result does not depend on it).

    Returns:
        Tensor of shape `(num_segments, ...)`; empty segments are 0.

    Example:

    >>> data = np.array([[1.0, 5.0], [3.0, 2.0], [4.0, 4.0]])
    >>> keras.ops.segment_sum(data, np.array([0, 0, 2]))
    tensor([[4., 7.],
            [0., 0.],
            [4., 4.]])
    """
    return _segment_reduce(data, segment_ids, num_segments, "sum")


@op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """Maxima of the rows of `data` that share a segment id.

    Row `i` of the result reduces the rows `data[j]` with `segment_ids[j] == i`.
    Empty segments are `-inf` (the smallest value of the dtype for integer data).

    Args:
        data: Tensor of shape `(N, ...)`.
        segment_ids: 1-D integer tensor of length `N`: the segment of each row
            (0-based). Ids outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; `None` uses `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` are sorted (accepted for Keras
            compatibility; the result does not depend on it).

    Returns:
        Tensor of shape `(num_segments, ...)` and of the dtype of `data`.

    Raises:
        ValueError: if `segment_ids` and `data` differ in length, the ids are
            not integers, or `num_segments` is negative.

    Example:

    >>> data = np.array([[1.0, 5.0], [3.0, 2.0], [4.0, 4.0]])
    >>> keras.ops.segment_max(data, np.array([0, 0, 2]), num_segments=3)
    tensor([[3., 5.],
            [-inf, -inf],
            [4., 4.]])
    """
    return _segment_reduce(data, segment_ids, num_segments, "amax")


@op
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """Minima of the rows of `data` that share a segment id.

    Row `i` of the result reduces the rows `data[j]` with `segment_ids[j] == i`.
    Empty segments are `inf` (the largest value of the dtype for integer data).

    Args:
        data: Tensor of shape `(N, ...)`.
        segment_ids: 1-D integer tensor of length `N`: the segment of each row
            (0-based). Ids outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; `None` uses `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` are sorted (accepted for Keras
            compatibility; the result does not depend on it).

    Returns:
        Tensor of shape `(num_segments, ...)` and of the dtype of `data`.

    Raises:
        ValueError: if `segment_ids` and `data` differ in length, the ids are
            not integers, or `num_segments` is negative.

    Example:

    >>> data = np.array([[1.0, 5.0], [3.0, 2.0], [4.0, 4.0]])
    >>> keras.ops.segment_min(data, np.array([0, 0, 2]), num_segments=3)
    tensor([[1., 2.],
            [inf, inf],
            [4., 4.]])
    """
    return _segment_reduce(data, segment_ids, num_segments, "amin")


@op
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """Products of the rows of `data` that share a segment id.

    Row `i` of the result reduces the rows `data[j]` with `segment_ids[j] == i`.
    Empty segments are 1.

    Args:
        data: Tensor of shape `(N, ...)`.
        segment_ids: 1-D integer tensor of length `N`: the segment of each row
            (0-based). Ids outside `[0, num_segments)` are dropped.
        num_segments: Number of segments; `None` uses `max(segment_ids) + 1`.
        sorted: Whether `segment_ids` are sorted (accepted for Keras
            compatibility; the result does not depend on it).

    Returns:
        Tensor of shape `(num_segments, ...)` and of the dtype of `data`.

    Raises:
        ValueError: if `segment_ids` and `data` differ in length, the ids are
            not integers, or `num_segments` is negative.

    Example:

    >>> data = np.array([[1.0, 5.0], [3.0, 2.0], [4.0, 4.0]])
    >>> keras.ops.segment_prod(data, np.array([0, 0, 2]), num_segments=3)
    tensor([[ 3., 10.],
            [ 1.,  1.],
            [ 4.,  4.]])
    """
    return _segment_reduce(data, segment_ids, num_segments, "prod")


# -- distances and sequences ------------------------------------------------------
@op
def cdist(x, y):
    """Euclidean distances between every pair of rows of `x` and `y`.

    Args:
        x: Tensor of shape `(..., m, d)`.
        y: Tensor of shape `(..., n, d)` (batch dimensions broadcast).

    Returns:
        Tensor of shape `(..., m, n)`.

    Example:

    >>> keras.ops.cdist(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[3.0, 4.0]]))
    tensor([[5.0000],
            [3.6056]])
    """
    x, y = _float(x), _float(y)
    if x.dim() < 2 or y.dim() < 2:
        raise ValueError("Inputs to `cdist` must have rank >= 2. Received shapes: "
                         f"x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}")
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("The last dimension of inputs to `cdist` must match. Received "
                         f"shapes: x.shape={tuple(x.shape)}, y.shape={tuple(y.shape)}")
    if x.dtype != y.dtype:
        common = torch.promote_types(x.dtype, y.dtype)
        x, y = x.to(common), y.to(common)
    diff = x.unsqueeze(-2) - y.unsqueeze(-3)
    return torch.sqrt(torch.sum(diff * diff, dim=-1))


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif hasattr(value, "__index__"):
            value = int(value.__index__())
        else:
            raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    if value <= 0:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value}")
    return value


@op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of `sequence_length` values every `sequence_stride` steps along
    the last axis.

    Args:
        x: Tensor of shape `(..., T)`.
        sequence_length: Frame length.
        sequence_stride: Hop between frame starts.

    Returns:
        Tensor of shape `(..., 1 + (T - sequence_length) // sequence_stride,
        sequence_length)`.

    Example:

    >>> keras.ops.extract_sequences(keras.ops.arange(6), sequence_length=3, sequence_stride=2)
    tensor([[0, 1, 2],
            [2, 3, 4]], dtype=torch.int32)
    """
    x = _t(x)
    if x.dim() < 1:
        raise ValueError(f"Input should have rank >= 1. Received: input.shape = {tuple(x.shape)}")
    length = _positive_int(sequence_length, "sequence_length")
    stride = _positive_int(sequence_stride, "sequence_stride")
    return x.unfold(-1, length, stride).clone()


# -- Fourier transforms ---------------------------------------------------------------
def _complex_pair(x):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("Input `x` should be a tuple of two tensors - real and imaginary. "
                         f"Received: x={x!r}")
    real, imag = _t(x[0]), _t(x[1])
    if real.shape != imag.shape:
        raise ValueError("Input `x` should be a tuple of two tensors - real and imaginary - "
                         "of the same shape. Received: x[0].shape = "
                         f"{tuple(real.shape)}, x[1].shape = {tuple(imag.shape)}")
    if not real.is_floating_point() or not imag.is_floating_point():
        raise ValueError("Both tensors of `x` (real and imaginary parts) must be floating "
                         f"point. Received dtypes {real.dtype} and {imag.dtype}.")
    if real.dtype != imag.dtype:
        common = torch.promote_types(real.dtype, imag.dtype)
        real, imag = real.to(common), imag.to(common)
    if real.dtype in (torch.float16, torch.bfloat16):
        real, imag = real.float(), imag.float()
    return torch.complex(real, imag)


def _rank_at_least(z, rank):
    if z.dim() < rank:
        raise ValueError(f"Input should have rank >= {rank}. Received: input.shape = "
                         f"{tuple(z.shape)}")


@op
def fft(x):
    """Fast Fourier transform along the last axis.

    Args:
        x: Tuple `(real, imag)` of two float tensors of the same shape.

    Returns:
        Tuple `(real, imag)` of the transform.

    Example:

    >>> real, imag = keras.ops.fft((np.array([1.0, 0.0, 0.0, 0.0]), np.zeros(4)))
    >>> real
    tensor([1., 1., 1., 1.])
    """
    z = _complex_pair(x)
    _rank_at_least(z, 1)
    out = torch.fft.fft(z)
    return out.real, out.imag


@op
def fft2(x):
    """2-D fast Fourier transform over the last two axes.

    Args:
        x: Tuple `(real, imag)` of two float tensors of the same shape, rank >= 2.

    Returns:
        Tuple `(real, imag)` of the transform.

    Example:

    >>> real, imag = keras.ops.fft2((np.ones((2, 2)), np.zeros((2, 2))))
    >>> real
    tensor([[4., 0.],
            [0., 0.]])
    """
    z = _complex_pair(x)
    _rank_at_least(z, 2)
    out = torch.fft.fft2(z)
    return out.real, out.imag


@op
def ifft2(x):
    """Inverse 2-D fast Fourier transform over the last two axes.

    Args:
        x: Tuple `(real, imag)` of two float tensors of the same shape, rank >= 2.

    Returns:
        Tuple `(real, imag)` of the inverse transform.

    Example:

    >>> x = (np.arange(4.0).reshape(2, 2), np.zeros((2, 2)))
    >>> real, imag = keras.ops.ifft2(keras.ops.fft2(x))
    >>> real
    tensor([[0., 1.],
            [2., 3.]])
    """
    z = _complex_pair(x)
    _rank_at_least(z, 2)
    out = torch.fft.ifft2(z)
    return out.real, out.imag


@op
def rfft(x, fft_length=None):
    """Fast Fourier transform of a real signal along the last axis.

    Args:
        x: Real tensor.
        fft_length: Transform length; the last axis is cropped or zero-padded
            to it. `None` uses the length of the last axis.

    Returns:
        Tuple `(real, imag)` of the `fft_length // 2 + 1` non-negative
        frequency terms.

    Example:

    >>> real, imag = keras.ops.rfft(np.array([1.0, 2.0, 3.0, 4.0]))
    >>> real, imag
    (tensor([10., -2., -2.]), tensor([0., 2., 0.]))
    """
    x = _float(x)
    _rank_at_least(x, 1)
    n = None if fft_length is None else _positive_int(fft_length, "fft_length")
    out = torch.fft.rfft(x, n=n, dim=-1, norm="backward")
    return out.real, out.imag


@op
def irfft(x, fft_length=None):
    """Inverse of `rfft`: a real signal from its non-negative frequency terms.

    Args:
        x: Tuple `(real, imag)` of two float tensors.
        fft_length: Output length; `None` uses `2 * (x[0].shape[-1] - 1)`
            (give it when the original length was odd).

    Returns:
        Real tensor whose last axis has `fft_length` values.

    Example:

    >>> keras.ops.irfft(keras.ops.rfft(np.array([1.0, 2.0, 3.0, 4.0])), fft_length=4)
    tensor([1., 2., 3., 4.])
    """
    z = _complex_pair(x)
    _rank_at_least(z, 1)
    n = None if fft_length is None else _positive_int(fft_length, "fft_length")
    return torch.fft.irfft(z, n=n, dim=-1, norm="backward")


def _window(window, sequence_length, dtype, device):
    if window is None:
        return None
    if isinstance(window, str):
        if window == "hann":
            return torch.hann_window(sequence_length, periodic=True, dtype=dtype, device=device)
        if window == "hamming":
            return torch.hamming_window(sequence_length, periodic=True, dtype=dtype,
                                        device=device)
        raise ValueError('If a string is passed to `window`, it must be one of "hann", '
                         f'"hamming". Received: window={window}')
    win = _t(window).to(dtype=dtype, device=device)
    if win.dim() != 1 or win.shape[-1] != sequence_length:
        raise ValueError("The shape of `window` must be equal to [sequence_length]. "
                         f"Received: window shape={tuple(win.shape)}")
    return win


@op
def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    """Short-time Fourier transform along the last axis.

    Args:
        x: float32 or float64 tensor of shape `(..., T)`.
        sequence_length: Frame (window) length.
        sequence_stride: Hop between frames, a positive integer.
        fft_length: FFT size, `>= sequence_length` (the window is zero-padded
            to it, centred).
        window: `"hann"` (default), `"hamming"` (both periodic), a 1-D tensor of
            length `sequence_length`, or `None` (no window).
        center: Pad `x` by `fft_length // 2` on both sides (reflect padding) so
            that frame `t` is centred at `t * sequence_stride`.

    Returns:
        Tuple `(real, imag)` of shape `(..., num_frames, fft_length // 2 + 1)`.

    Example:

    >>> real, imag = keras.ops.stft(np.ones(64, dtype='float32'), 16, 8, 16)
    >>> real.shape
    torch.Size([9, 9])
    """
    stride = _positive_int(sequence_stride, "sequence_stride")
    sequence_length = _positive_int(sequence_length, "sequence_length")
    fft_length = _positive_int(fft_length, "fft_length")
    x = _t(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError("Invalid input type. Expected `float32` or `float64`. "
                        f"Received: input type={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError("`fft_length` must equal or larger than `sequence_length`. Received: "
                         f"sequence_length={sequence_length}, fft_length={fft_length}")
    win = _window(window, sequence_length, x.dtype, x.device)
    if win is None:
        win = torch.ones((sequence_length,), dtype=x.dtype, device=x.device)
    batch_shape, samples = tuple(x.shape[:-1]), x.shape[-1]
    flat = x.reshape((-1, samples)) if x.dim() > 2 else x
    out = torch.stft(flat, n_fft=fft_length, hop_length=stride, win_length=sequence_length,
                     window=win, center=bool(center), return_complex=True)
    if x.dim() > 2:
        out = out.reshape(batch_shape + tuple(out.shape[-2:]))
    out = out.transpose(-2, -1)
    return out.real, out.imag


def _overlap_add(frames, stride):
    """Sums frames `(..., n, L)` placed every `stride` samples."""
    *batch, n, length = frames.shape
    if stride > length:
        raise ValueError("`sequence_stride` must equal or less than the frame length. "
                         f"Received: sequence_stride={stride}, frame length={length}")
    if stride < length / n:
        raise ValueError("`sequence_stride` must equal or greater than the frame length "
                         f"divided by the number of frames. Received: sequence_stride={stride}, "
                         f"frame length={length}, frames={n}")
    flat = frames.reshape((-1, n, length)).transpose(1, 2)  # (B, L, n)
    total = stride * (n - 1) + length
    out = torch.nn.functional.fold(flat, output_size=(1, total), kernel_size=(1, length),
                                   stride=(1, stride))
    return out.reshape(tuple(batch) + (total,))


@op
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    """Inverse short-time Fourier transform: the signal back from `stft`.

    Frames are inverse-FFT'd, windowed and overlap-added, then divided by the
    sum of the squared windows at each sample, so `istft(stft(x))` returns `x`
    (up to rounding) for windows that overlap enough.

    Args:
        x: Tuple `(real, imag)` of shape `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length: Frame (window) length, as given to `stft`.
        sequence_stride: Hop between frames, as given to `stft`.
        fft_length: FFT size, as given to `stft`.
        length: Crop (or pad) the output to exactly this many samples; `None`
            keeps the natural length.
        window: `"hann"` (default), `"hamming"`, a 1-D tensor of length
            `sequence_length`, or `None`, as given to `stft`.
        center: Whether `stft` padded the signal (then the padding is removed).
            Default `True`.

    Returns:
        Real tensor of shape `(..., samples)`.

    Example:

    >>> x = keras.ops.sin(keras.ops.linspace(0.0, 20.0, 64))
    >>> spec = keras.ops.stft(x, 16, 4, 16)
    >>> y = keras.ops.istft(spec, 16, 4, 16, length=64)
    >>> bool(keras.ops.max(keras.ops.abs(y - x)) < 1e-5)
    True
    """
    stride = _positive_int(sequence_stride, "sequence_stride")
    sequence_length = _positive_int(sequence_length, "sequence_length")
    fft_length = _positive_int(fft_length, "fft_length")
    z = _complex_pair(x)
    _rank_at_least(z, 2)
    dtype = z.real.dtype
    win = _window(window, sequence_length, dtype, z.device)
    if length is not None:
        length = int(length)
    if sequence_length == fft_length and center and win is not None:
        # torch's own inverse applies (same window normalisation).
        batch_shape = tuple(z.shape[:-2])
        flat = z.reshape((-1,) + tuple(z.shape[-2:])) if z.dim() > 3 else z
        out = torch.istft(flat.transpose(-2, -1), n_fft=fft_length, hop_length=stride,
                          win_length=sequence_length, window=win, center=True, length=length,
                          return_complex=False)
        if z.dim() > 3:
            out = out.reshape(batch_shape + (out.shape[-1],))
        return out
    frames = torch.fft.irfft(z, n=fft_length, dim=-1, norm="backward")
    expected = fft_length + stride * (frames.shape[-2] - 1)
    if win is not None:
        left = (fft_length - sequence_length) // 2
        win = torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))
        # Divide by the sum of the squared windows that overlap each sample.
        overlaps = -(-fft_length // stride)
        sq = torch.nn.functional.pad(win * win, (0, overlaps * stride - fft_length))
        denom = sq.reshape(overlaps, stride).sum(0, keepdim=True).repeat(overlaps, 1).reshape(-1)
        frames = frames * (win / denom[:fft_length])
    out = _overlap_add(frames, stride)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = -(fft_length // 2)
    else:
        end = expected
    return out[..., start:end]


# -- element-wise and matrix functions ------------------------------------------------
@op
def erfc(x):
    """Elementwise complementary error function `1 - erf(x)`.

    Computed directly, so it stays accurate where `erf(x)` is close to 1. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.erfc(np.array([0.0, 3.0]))
    tensor([1.0000e+00, 2.2090e-05])
    """
    return torch.erfc(_float(x))


@op
def erfinv(x):
    """Elementwise inverse error function: `erfinv(erf(x)) == x`.

    Defined on `[-1, 1]`: `+-inf` at `+-1`, `nan` outside. Integer and boolean inputs are computed in `floatx()`.

    Args:
        x: Input tensor.

    Returns:
        A floating-point tensor of the shape of `x`.

    Example:

    >>> keras.ops.erfinv(np.array([0.0, 0.5, 1.0]))
    tensor([0.0000, 0.4769,    inf])
    """
    return torch.erfinv(_float(x))


@op
def logdet(x):
    """Log-determinant of a square matrix (or of each matrix in a batch).

    Args:
        x: Tensor of shape `(..., M, M)`.

    Returns:
        Tensor of shape `(...,)`: `log(det(x))`, `nan` for a negative
        determinant and `-inf` for a singular matrix.

    Example:

    >>> keras.ops.logdet(np.array([[np.e, 0.0], [0.0, np.e]]))
    tensor(2.0000)
    """
    x = _float(x)
    if x.dim() < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError("Expected `x` to be a square matrix (or a batch of them). "
                         f"Received: x.shape={tuple(x.shape)}")
    return torch.logdet(x)


@op
def view_as_complex(x):
    """A complex tensor from a real tensor holding (real, imaginary) pairs in its last axis.

    Args:
        x: Real tensor whose last axis has size 2.

    Returns:
        A complex64 tensor of shape `x.shape[:-1]` (a new tensor, not a view
        sharing memory).

    Raises:
        ValueError: if the last axis does not have size 2.

    Example:

    >>> keras.ops.view_as_complex(np.array([[1.0, 2.0], [3.0, -1.0]]))
    tensor([1.+2.j, 3.-1.j])
    """
    x = _t(x)
    if x.dim() < 1 or x.shape[-1] != 2:
        raise ValueError("Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {tuple(x.shape)}")
    return torch.complex(x[..., 0].to(torch.float32), x[..., 1].to(torch.float32))


@op
def view_as_real(x):
    """The real and imaginary parts of `x` as a real tensor with a last axis of size 2.

    For a real `x` the imaginary parts are 0.

    Args:
        x: Complex (or real) tensor.

    Returns:
        A real tensor of shape `x.shape + (2,)`.

    Example:

    >>> keras.ops.view_as_real(np.array([1 + 2j, 3 - 1j], dtype="complex64"))
    tensor([[ 1.,  2.],
            [ 3., -1.]])
    """
    x = _t(x)
    if x.is_complex():
        return torch.stack((x.real, x.imag), dim=-1)
    return torch.stack((x, torch.zeros_like(x)), dim=-1)

