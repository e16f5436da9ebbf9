"""Reader for the IDX format of the (Fashion-)MNIST files.

Layout: a 4-byte big-endian magic number -- two zero bytes, a type code and the
number of dimensions -- then one big-endian uint32 per dimension, then the
values in C order (big-endian for multi-byte types). Labels files have magic
2049 (uint8, 1 dim) and image files 2051 (uint8, 3 dims).
"""

import gzip
import struct
import zlib

import numpy as np

__all__ = ["IDXFormatError", "LABELS_MAGIC", "IMAGES_MAGIC", "read_idx"]

LABELS_MAGIC = 2049
IMAGES_MAGIC = 2051

_TYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class IDXFormatError(ValueError):
    """The file is not a well-formed IDX file (or not the one expected)."""


def _read_bytes(path):
    with open(path, "rb") as f:
        head = f.read(2)
    try:
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as f:
                return f.read()
        with open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise IDXFormatError(f"{path}: corrupted gzip stream ({e}).") from e


def read_idx(path, expected_magic=None, expected_shape=None):
    """Read an IDX file (optionally gzip-compressed) into a numpy array.

    Args:
        path: file path; gzip is detected from the content, not the name.
        expected_magic: if given, the magic number the file must have
            (e.g. ``LABELS_MAGIC`` or ``IMAGES_MAGIC``).
        expected_shape: if given, a tuple whose non-``None`` entries the
            dimensions must equal (e.g. ``(None, 28, 28)``).

    Returns:
        A numpy array with native byte order.
    """
    data = _read_bytes(path)
    if len(data) < 4:
        raise IDXFormatError(
            f"{path}: too short to be an IDX file ({len(data)} bytes)."
        )
    (magic,) = struct.unpack(">I", data[:4])
    if expected_magic is not None and magic != expected_magic:
        raise IDXFormatError(
            f"{path}: bad IDX magic number {magic} (0x{magic:08x}); expected "
            f"{expected_magic} (0x{expected_magic:08x}). The file is corrupted "
            f"or is not the expected kind of IDX file."
        )
    zeros, type_code, ndim = magic >> 16, (magic >> 8) & 0xFF, magic & 0xFF
    if zeros != 0 or type_code not in _TYPES:
        raise IDXFormatError(
            f"{path}: bad IDX magic number {magic} (0x{magic:08x}); not an IDX file."
        )
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise IDXFormatError(
            f"{path}: truncated IDX header ({ndim} dimensions announced, "
            f"{len(data)} bytes in the file)."
        )
    shape = struct.unpack(f">{ndim}I", data[4:header_len])
    if expected_shape is not None:
        ok = len(shape) == len(expected_shape) and all(
            e is None or e == s for s, e in zip(shape, expected_shape)
        )
        if not ok:
            want = tuple("n" if e is None else e for e in expected_shape)
            raise IDXFormatError(
                f"{path}: IDX dimensions {shape} do not match the expected {want}."
            )
    dtype = _TYPES[type_code]
    count = int(np.prod(shape, dtype=np.int64))
    n_bytes = count * dtype.itemsize
    available = len(data) - header_len
    if available != n_bytes:
        what = "truncated" if available < n_bytes else "has trailing bytes"
        raise IDXFormatError(
            f"{path}: IDX data {what}: dimensions {shape} need {n_bytes} bytes "
            f"of {dtype.name} values, found {available}."
        )
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header_len)
    array = array.reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)
