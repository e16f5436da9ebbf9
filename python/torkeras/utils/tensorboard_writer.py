"""A small TensorBoard event-file writer (no TensorFlow, no protobuf runtime).

An event file is a sequence of TFRecord records, each framing one serialized
`Event` protobuf:

    uint64 length (little endian)
    uint32 masked crc32c of the 8 length bytes
    bytes  data (the Event)
    uint32 masked crc32c of data

The messages written here are encoded by hand (field numbers from TensorFlow's
event.proto / summary.proto / histogram.proto):

    Event          1: wall_time (double)  2: step (int64)  3: file_version (string)
                   5: summary (Summary)
    Summary        1: value (repeated Summary.Value)
    Summary.Value  1: tag (string)  2: simple_value (float)  5: histo (HistogramProto)
    HistogramProto 1: min  2: max  3: num  4: sum  5: sum_squares (doubles)
                   6: bucket_limit (packed doubles)  7: bucket (packed doubles)

The first record of a file is an Event with `file_version = "brain.Event:2"`.
"""

import os
import socket
import struct
import threading
import time

import numpy as np

# ---- crc32c (Castagnoli), table driven ----------------------------------------

_CRC32C_POLY = 0x82F63B78  # reversed 0x1EDC6F41


def _make_crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _CRC32C_POLY if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC32C_TABLE = _make_crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C of `data` (bytes); `crc32c(b"123456789") == 0xE3069283`."""
    table = _CRC32C_TABLE
    crc ^= 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    """The masked CRC TFRecord stores: rotate right by 15, add a constant."""
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(data):
    """Frames `data` as one TFRecord record."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


# ---- protobuf wire format --------------------------------------------------------

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


def _varint(value):
    if value < 0:
        value &= (1 << 64) - 1  # int64 negatives take ten bytes, two's complement
    out = bytearray()
    while True:
        bits = value & 0x7F
        value >>= 7
        if value:
            out.append(bits | 0x80)
        else:
            out.append(bits)
            return bytes(out)


def _key(field, wire_type):
    return _varint((field << 3) | wire_type)


def _double_field(field, value):
    return _key(field, _FIXED64) + struct.pack("<d", float(value))


def _float_field(field, value):
    return _key(field, _FIXED32) + struct.pack("<f", float(value))


def _int64_field(field, value):
    return _key(field, _VARINT) + _varint(int(value))


def _bytes_field(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _key(field, _BYTES) + _varint(len(data)) + data


def _packed_doubles_field(field, values):
    values = np.asarray(values, dtype="<f8")
    return _bytes_field(field, values.tobytes())


def encode_event(wall_time, step=0, file_version=None, summary=None):
    """Serializes an Event; `summary` is an encoded Summary (bytes) or None."""
    out = _double_field(1, wall_time)
    if step:
        out += _int64_field(2, step)
    if file_version is not None:
        out += _bytes_field(3, file_version)
    if summary is not None:
        out += _bytes_field(5, summary)
    return out


def encode_scalar_value(tag, value):
    """A Summary.Value holding a `simple_value` scalar."""
    return _bytes_field(1, tag) + _float_field(2, value)


def histogram_proto(values, bins=30):
    """Encodes a HistogramProto of `values` with `bins` equal-width buckets
    (bucket_limit holds each bucket's right edge)."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    values = values[np.isfinite(values)]
    if values.size == 0:
        lo = hi = 0.0
        limits, counts = [0.0], [0.0]
    else:
        lo, hi = float(values.min()), float(values.max())
        if lo == hi:
            # One bucket, [value - 0.5, value + 0.5], as TensorFlow does.
            limits, counts = [hi + 0.5], [float(values.size)]
        else:
            counts, edges = np.histogram(values, bins=bins, range=(lo, hi))
            limits, counts = edges[1:].tolist(), counts.astype(np.float64).tolist()
    return (_double_field(1, lo) + _double_field(2, hi) + _double_field(3, values.size)
            + _double_field(4, float(values.sum())) + _double_field(5, float((values ** 2).sum()))
            + _packed_doubles_field(6, limits) + _packed_doubles_field(7, counts))


def encode_histogram_value(tag, values, bins=30):
    """A Summary.Value holding a `histo`."""
    return _bytes_field(1, tag) + _bytes_field(5, histogram_proto(values, bins))


def encode_summary(encoded_values):
    return b"".join(_bytes_field(1, v) for v in encoded_values)


# ---- the writer -----------------------------------------------------------------

_file_counter = 0
_file_counter_lock = threading.Lock()


def _event_file_name():
    global _file_counter
    with _file_counter_lock:
        _file_counter += 1
        n = _file_counter
    return (f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}."
            f"{os.getpid()}.{n}.v2")


class EventFileWriter:
    """Appends events to a new event file in `logdir` (created if needed).

    `add_scalar(tag, value, step)`, `add_histogram(tag, values, step)`,
    `flush()`, `close()`. Records are buffered and written on `flush()`/`close()`.
    """

    def __init__(self, logdir, filename_suffix=""):
        os.makedirs(logdir, exist_ok=True)
        self.logdir = logdir
        self.path = os.path.join(logdir, _event_file_name() + filename_suffix)
        self._file = open(self.path, "wb")
        self._pending = []
        self._write_event(encode_event(time.time(), 0, file_version="brain.Event:2"))
        self.flush()

    def _write_event(self, event_bytes):
        if self._file is None:
            raise ValueError(f"The event file {self.path!r} is closed.")
        self._pending.append(tfrecord(event_bytes))

    def add_summary(self, encoded_values, step, wall_time=None):
        summary = encode_summary(encoded_values)
        self._write_event(encode_event(time.time() if wall_time is None else wall_time,
                                       int(step), summary=summary))

    def add_scalar(self, tag, value, step, wall_time=None):
        self.add_summary([encode_scalar_value(tag, value)], step, wall_time)

    def add_scalars(self, scalars, step, wall_time=None):
        """Writes a dict tag -> value as one event."""
        if scalars:
            self.add_summary([encode_scalar_value(t, v) for t, v in scalars.items()],
                             step, wall_time)

    def add_histogram(self, tag, values, step, bins=30, wall_time=None):
        self.add_summary([encode_histogram_value(tag, values, bins)], step, wall_time)

    def flush(self):
        if self._file is not None and self._pending:
            self._file.write(b"".join(self._pending))
            self._pending = []
            self._file.flush()

    def close(self):
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None

    @property
    def closed(self):
        return self._file is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
