"""torkeras.datasets and torkeras.utils.file_utils, on files written here
(no network: origins are file:// URLs or a refused local port)."""

import gzip
import hashlib
import io
import os
import struct
import tarfile

import numpy as np
import pytest

from torkeras.datasets import fashion_mnist, mnist
from torkeras.datasets._idx import IDXFormatError, read_idx
from torkeras.utils import file_utils
from torkeras.utils.file_utils import DownloadError, get_file

REFUSED = "http://127.0.0.1:9/mnist.npz"  # discard port: connection refused at once


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def idx_bytes(array, magic=None):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def write_gz(path, payload):
    with gzip.open(path, "wb") as f:
        f.write(payload)
    return path


def write_fashion_dir(directory, n_train=5, n_test=3, seed=0):
    rng = np.random.default_rng(seed)
    data = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, (n_train,), dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, (n_test,), dtype=np.uint8),
    }
    os.makedirs(directory, exist_ok=True)
    write_gz(directory / "train-images-idx3-ubyte.gz", idx_bytes(data["x_train"]))
    write_gz(directory / "train-labels-idx1-ubyte.gz", idx_bytes(data["y_train"]))
    write_gz(directory / "t10k-images-idx3-ubyte.gz", idx_bytes(data["x_test"]))
    write_gz(directory / "t10k-labels-idx1-ubyte.gz", idx_bytes(data["y_test"]))
    return data


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _no_fashion_env(monkeypatch):
    monkeypatch.delenv(fashion_mnist.ENV_VAR, raising=False)


def leftovers(directory):
    """Files in `directory` other than finished ones (temp/partial files)."""
    if not os.path.isdir(directory):
        return []
    return [n for n in os.listdir(directory) if n.startswith(".") or n.endswith(".part")]


# --------------------------------------------------------------------- IDX


def test_read_idx_roundtrip_gzip_and_raw(tmp_path):
    images = np.arange(5 * 28 * 28, dtype=np.uint32).astype(np.uint8).reshape(5, 28, 28)
    gz = write_gz(tmp_path / "img.gz", idx_bytes(images))
    raw = tmp_path / "img.idx"
    raw.write_bytes(idx_bytes(images))
    for path in (gz, raw):
        out = read_idx(path, expected_magic=2051, expected_shape=(None, 28, 28))
        assert out.dtype == np.uint8 and out.shape == (5, 28, 28)
        np.testing.assert_array_equal(out, images)
        assert out.flags.writeable


def test_read_idx_big_endian_types(tmp_path):
    values = np.array([[1, -2, 300], [70000, 5, -6]], dtype=">i4")
    payload = struct.pack(">I", 0x0C02) + struct.pack(">2I", 2, 3) + values.tobytes()
    path = write_gz(tmp_path / "ints.gz", payload)
    out = read_idx(path)
    assert out.dtype == np.int32 and out.dtype.isnative
    np.testing.assert_array_equal(out, values.astype(np.int32))


def test_read_idx_corrupted_magic(tmp_path):
    labels = np.array([1, 2, 3], dtype=np.uint8)
    bad = bytearray(idx_bytes(labels))
    bad[0] = 0x7F  # magic no longer starts with two zero bytes
    path = write_gz(tmp_path / "labels.gz", bytes(bad))
    with pytest.raises(IDXFormatError, match="magic number"):
        read_idx(path)
    with pytest.raises(IDXFormatError, match=r"bad IDX magic number .*expected 2049"):
        read_idx(path, expected_magic=2049)


def test_read_idx_wrong_kind_of_file(tmp_path):
    labels = write_gz(tmp_path / "labels.gz", idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(IDXFormatError, match="expected 2051"):
        read_idx(labels, expected_magic=2051)


def test_read_idx_truncated_and_trailing(tmp_path):
    images = np.zeros((2, 28, 28), np.uint8)
    data = idx_bytes(images)
    short = write_gz(tmp_path / "short.gz", data[:-10])
    with pytest.raises(IDXFormatError, match="truncated"):
        read_idx(short)
    long = write_gz(tmp_path / "long.gz", data + b"xx")
    with pytest.raises(IDXFormatError, match="trailing"):
        read_idx(long)
    header_only = write_gz(tmp_path / "hdr.gz", data[:6])
    with pytest.raises(IDXFormatError, match="truncated IDX header"):
        read_idx(header_only)
    tiny = write_gz(tmp_path / "tiny.gz", b"\x00\x00")
    with pytest.raises(IDXFormatError, match="too short"):
        read_idx(tiny)


def test_read_idx_wrong_image_size(tmp_path):
    path = write_gz(tmp_path / "img.gz", idx_bytes(np.zeros((2, 27, 28), np.uint8)))
    with pytest.raises(IDXFormatError, match="do not match"):
        read_idx(path, expected_shape=(None, 28, 28))


def test_read_idx_corrupted_gzip(tmp_path):
    good = gzip.compress(idx_bytes(np.zeros((2, 28, 28), np.uint8)))
    path = tmp_path / "cut.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(IDXFormatError, match="gzip"):
        read_idx(path)


# ------------------------------------------------------------ fashion_mnist


def test_fashion_mnist_from_directory_argument(tmp_path):
    data = write_fashion_dir(tmp_path / "fm")
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(data_dir=tmp_path / "fm")
    assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (5,) and y_train.dtype == np.uint8
    assert x_test.shape == (3, 28, 28) and y_test.shape == (3,)
    for name, got in zip(("x_train", "y_train", "x_test", "y_test"),
                         (x_train, y_train, x_test, y_test)):
        np.testing.assert_array_equal(got, data[name])


def test_fashion_mnist_from_env_var(tmp_path, monkeypatch):
    data = write_fashion_dir(tmp_path / "fm", n_train=4, n_test=2, seed=1)
    monkeypatch.setenv(fashion_mnist.ENV_VAR, str(tmp_path / "fm"))
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, data["x_train"])
    np.testing.assert_array_equal(y_test, data["y_test"])


def test_fashion_mnist_missing_files_in_explicit_dir(tmp_path):
    write_fashion_dir(tmp_path / "fm")
    os.remove(tmp_path / "fm" / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(FileNotFoundError, match="t10k-labels-idx1-ubyte.gz"):
        fashion_mnist.load_data(data_dir=tmp_path / "fm")


def test_fashion_mnist_count_mismatch(tmp_path):
    write_fashion_dir(tmp_path / "fm")
    write_gz(tmp_path / "fm" / "train-labels-idx1-ubyte.gz", idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(ValueError, match="5 images but .* 4 labels"):
        fashion_mnist.load_data(data_dir=tmp_path / "fm")


def test_fashion_mnist_corrupted_magic(tmp_path):
    write_fashion_dir(tmp_path / "fm")
    labels = bytearray(idx_bytes(np.zeros(5, np.uint8)))
    labels[3] = 0x03  # 2051 (images) where 2049 (labels) is expected
    write_gz(tmp_path / "fm" / "train-labels-idx1-ubyte.gz", bytes(labels))
    with pytest.raises(IDXFormatError, match="expected 2049"):
        fashion_mnist.load_data(data_dir=tmp_path / "fm")


def test_fashion_mnist_download_path(tmp_path, keras_home, monkeypatch, capsys):
    """No system files: download from the origin with sha256 checks, then cache."""
    origin_dir = tmp_path / "origin"
    data = write_fashion_dir(origin_dir, n_train=6, n_test=2, seed=3)
    hashes = {n: sha256(origin_dir / n) for n in fashion_mnist.FILES}
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", str(tmp_path / "no-such-dir"))
    monkeypatch.setattr(fashion_mnist, "BASE_ORIGIN", origin_dir.as_uri() + "/")
    monkeypatch.setattr(fashion_mnist, "FILE_HASHES", hashes)

    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train, data["x_train"])
    np.testing.assert_array_equal(y_test, data["y_test"])
    cache = keras_home / "datasets" / "fashion-mnist"
    assert sorted(os.listdir(cache)) == sorted(fashion_mnist.FILES)
    assert capsys.readouterr().out.count("Downloading data from") == 4

    # Second call: served from the cache even with the origin gone.
    for n in fashion_mnist.FILES:
        os.remove(origin_dir / n)
    (x_train2, _), _ = fashion_mnist.load_data()
    np.testing.assert_array_equal(x_train2, data["x_train"])
    assert "Downloading" not in capsys.readouterr().out


def test_fashion_mnist_download_bad_checksum(tmp_path, keras_home, monkeypatch):
    origin_dir = tmp_path / "origin"
    write_fashion_dir(origin_dir)
    hashes = {n: sha256(origin_dir / n) for n in fashion_mnist.FILES}
    hashes[fashion_mnist.TRAIN_IMAGES] = "0" * 64
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", str(tmp_path / "no-such-dir"))
    monkeypatch.setattr(fashion_mnist, "BASE_ORIGIN", origin_dir.as_uri() + "/")
    monkeypatch.setattr(fashion_mnist, "FILE_HASHES", hashes)
    with pytest.raises(ValueError, match="corrupted"):
        fashion_mnist.load_data()
    cache = keras_home / "datasets" / "fashion-mnist"
    assert fashion_mnist.TRAIN_IMAGES not in os.listdir(cache)
    assert leftovers(cache) == []


def test_fashion_mnist_real_hashes_are_sha256():
    assert set(fashion_mnist.FILE_HASHES) == set(fashion_mnist.FILES)
    for digest in fashion_mnist.FILE_HASHES.values():
        assert len(digest) == 64 and int(digest, 16) >= 0


# Debian's dataset-fashion-mnist is installed by `make test` (scripts/setup.sh).
def test_fashion_mnist_debian_files():
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.uint8
    assert y_train.min() == 0 and y_train.max() == 9
    assert y_test.min() == 0 and y_test.max() == 9
    assert np.all(np.bincount(y_train, minlength=10) == 6000)
    assert np.all(np.bincount(y_test, minlength=10) == 1000)


# ----------------------------------------------------------------- get_file


def test_get_file_file_origin_and_cache(tmp_path, keras_home, capsys):
    src = tmp_path / "src" / "payload.bin"
    src.parent.mkdir()
    src.write_bytes(b"hello torkeras" * 1000)
    digest = sha256(src)

    path = get_file("payload.bin", origin=src.as_uri(), file_hash=digest)
    assert path == str(keras_home / "datasets" / "payload.bin")
    assert open(path, "rb").read() == src.read_bytes()
    assert "Downloading data from" in capsys.readouterr().out

    # Second call uses the cache: no download even though the origin is gone.
    src.unlink()
    assert get_file("payload.bin", origin=src.as_uri(), file_hash=digest) == path
    assert "Downloading" not in capsys.readouterr().out
    assert leftovers(keras_home / "datasets") == []


def test_get_file_md5_and_defaults(tmp_path, keras_home):
    src = tmp_path / "data.txt"
    src.write_bytes(b"abc")
    md5 = hashlib.md5(b"abc").hexdigest()
    path = get_file(origin=src.as_uri(), file_hash=md5)  # fname from the URL, md5 by length
    assert os.path.basename(path) == "data.txt"
    path2 = get_file("d2.txt", origin=src.as_uri(), md5_hash=md5, cache_subdir="sub")
    assert path2 == str(keras_home / "sub" / "d2.txt")
    path3 = get_file("d3.txt", origin=src.as_uri(), cache_dir=tmp_path / "explicit")
    assert path3 == str(tmp_path / "explicit" / "datasets" / "d3.txt")


def test_get_file_checksum_mismatch_leaves_nothing(tmp_path, keras_home):
    src = tmp_path / "payload.bin"
    src.write_bytes(b"\x00" * 5000)
    with pytest.raises(ValueError, match=r"expected sha256 f{64}, got"):
        get_file("payload.bin", origin=src.as_uri(), file_hash="f" * 64)
    datadir = keras_home / "datasets"
    assert os.listdir(datadir) == []


def test_get_file_stale_cache_is_redownloaded(tmp_path, keras_home):
    src = tmp_path / "payload.bin"
    src.write_bytes(b"good contents")
    cached = keras_home / "datasets" / "payload.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"corrupted")
    with pytest.warns(UserWarning, match="does not match"):
        path = get_file("payload.bin", origin=src.as_uri(), file_hash=sha256(src))
    assert open(path, "rb").read() == b"good contents"


def test_get_file_unreachable_origin(keras_home):
    with pytest.raises(DownloadError) as info:
        get_file("mnist.npz", origin=REFUSED)
    message = str(info.value)
    assert REFUSED in message
    assert str(keras_home / "datasets" / "mnist.npz") in message
    assert os.listdir(keras_home / "datasets") == []


def test_get_file_requires_origin(keras_home):
    with pytest.raises(ValueError, match="origin"):
        get_file("x.bin")
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("x.bin", origin="file:///nonexistent", file_hash="ab", hash_algorithm="crc")


def test_get_file_extract_tar(tmp_path, keras_home):
    archive = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        blob = b"inside"
        info = tarfile.TarInfo("bundle/a.txt")
        info.size = len(blob)
        tar.addfile(info, io.BytesIO(blob))
    out = get_file("bundle.tar.gz", origin=archive.as_uri(), extract=True)
    assert out == str(keras_home / "datasets" / "bundle")
    assert open(os.path.join(out, "bundle", "a.txt"), "rb").read() == b"inside"


def test_keras_cache_dir_respects_env(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert file_utils.keras_cache_dir() == str(tmp_path / "kh")
    assert file_utils.keras_cache_dir(tmp_path / "other") == str(tmp_path / "other")


# -------------------------------------------------------------------- mnist


def write_mnist_npz(path, n_train=5, n_test=2):
    rng = np.random.default_rng(7)
    data = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, (n_train,), dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, (n_test,), dtype=np.uint8),
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path, **data)
    return data


def test_mnist_from_cached_file(keras_home, monkeypatch, capsys):
    cached = keras_home / "datasets" / "mnist.npz"
    data = write_mnist_npz(cached)
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(cached))
    monkeypatch.setattr(mnist, "ORIGIN", REFUSED)  # proves no network access

    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (5,) and x_test.shape == (2, 28, 28) and y_test.shape == (2,)
    np.testing.assert_array_equal(x_train, data["x_train"])
    np.testing.assert_array_equal(y_test, data["y_test"])
    assert "Downloading" not in capsys.readouterr().out


def test_mnist_downloads_and_verifies(tmp_path, keras_home, monkeypatch):
    src = tmp_path / "origin" / "mnist.npz"
    data = write_mnist_npz(src)
    monkeypatch.setattr(mnist, "ORIGIN", src.as_uri())
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(src))
    (x_train, _), _ = mnist.load_data()
    np.testing.assert_array_equal(x_train, data["x_train"])
    assert (keras_home / "datasets" / "mnist.npz").is_file()

    monkeypatch.setattr(mnist, "FILE_HASH", "0" * 64)
    os.remove(keras_home / "datasets" / "mnist.npz")
    with pytest.raises(ValueError, match="corrupted"):
        mnist.load_data()
    assert os.listdir(keras_home / "datasets") == []


def test_mnist_rejects_pickled_content(tmp_path, keras_home, monkeypatch):
    cached = keras_home / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    np.savez(cached, x_train=np.array([{"a": 1}], dtype=object),
             y_train=np.zeros(1, np.uint8), x_test=np.zeros(1, np.uint8),
             y_test=np.zeros(1, np.uint8))
    monkeypatch.setattr(mnist, "FILE_HASH", sha256(cached))
    with pytest.raises(ValueError, match="allow_pickle"):
        mnist.load_data()


def test_mnist_offline_error(keras_home, monkeypatch):
    monkeypatch.setattr(mnist, "ORIGIN", REFUSED)
    with pytest.raises(DownloadError) as info:
        mnist.load_data()
    message = str(info.value)
    assert "Download failed" in message
    assert REFUSED in message
    assert str(keras_home / "datasets" / "mnist.npz") in message
    assert not (keras_home / "datasets" / "mnist.npz").exists()
    assert leftovers(keras_home / "datasets") == []


def test_mnist_default_origin_and_hash():
    assert mnist.ORIGIN == "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
    assert mnist.FILE_HASH == "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def test_datasets_namespace():
    import torkeras.datasets as ds

    assert ds.mnist is mnist and ds.fashion_mnist is fashion_mnist
    assert callable(ds.mnist.load_data) and callable(ds.fashion_mnist.load_data)
