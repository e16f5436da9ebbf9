"""Files torkeras saves get the permissions a plain open() would give them
(umask 022 -> 0644, umask 077 -> 0600; an overwritten file keeps its mode),
not the 0600 of the temporary file an atomic write starts from
(python/torkeras/utils/atomic_files.py)."""

import contextlib
import os
import stat

import numpy as np
import pytest

import torkeras as keras
from torkeras.utils import atomic_files


@contextlib.contextmanager
def umask(mask):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def small_model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, mask, expected):
    model = small_model()
    with umask(mask):
        model.save(tmp_path / "m.keras")
        model.save_weights(tmp_path / "m.weights.h5")
        atomic_files.atomic_write_bytes(tmp_path / "raw.bin", b"abc")
    for name in ("m.keras", "m.weights.h5", "raw.bin"):
        assert mode(tmp_path / name) == expected, name


def test_the_umask_is_read_without_changing_it():
    with umask(0o027):
        assert atomic_files._current_umask() == 0o027
        assert atomic_files._current_umask() == 0o027
        probe = os.umask(0o027)
    assert probe == 0o027


def test_an_overwritten_file_keeps_its_mode(tmp_path):
    target = tmp_path / "m.keras"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with umask(0o022):
        small_model().save(target)
    assert mode(target) == 0o640
    assert keras.saving.load_model(target).layers[0].units == 2

    # A read-only file is replaced (the directory is writable) and stays read-only.
    readonly = tmp_path / "ro.bin"
    readonly.write_bytes(b"old")
    os.chmod(readonly, 0o444)
    atomic_files.atomic_write_bytes(readonly, b"new")
    assert readonly.read_bytes() == b"new"
    assert mode(readonly) == 0o444


def test_checkpoints_follow_the_umask(tmp_path):
    model = small_model()
    x = np.ones((4, 3), dtype="float32")
    y = np.zeros((4, 2), dtype="float32")
    path = tmp_path / "ckpt.weights.h5"
    callback = keras.callbacks.ModelCheckpoint(str(path), save_weights_only=True)
    with umask(0o022):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[callback])
    assert mode(path) == 0o644
    # No temporary file is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.weights.h5"]


def test_the_umask_without_proc(monkeypatch):
    # Where /proc/self/status is missing, the umask is set and restored.
    def no_proc(path, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", path)
    monkeypatch.setattr(atomic_files, "open", no_proc, raising=False)
    with umask(0o037):
        assert atomic_files._current_umask() == 0o037
        assert os.umask(0o037) == 0o037
