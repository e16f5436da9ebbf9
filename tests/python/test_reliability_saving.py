"""Issue 9, saving and files: custom activations survive a save, zip bombs
and h5 links are refused, and saves are atomic (stale temp files of a killed
save are cleaned, errors name the target, symlinks stay links).

Error messages come from docs/reliability.md ("Saving and loading files").
"""

import errno
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import pytest

import torkeras as keras
from reliability_table import documented_pattern

X = np.linspace(-2.0, 2.0, 24, dtype="float32").reshape(8, 3)


def scaled_tanh(x):
    return keras.ops.tanh(x) * 2.0


@keras.saving.register_keras_serializable(package="reliability")
def shifted_relu(x):
    return keras.ops.relu(x) + 1.0


def _dense_model(activation):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation=activation)])


def _saved_config(path):
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("config.json"))


# -- item 1: custom activations ------------------------------------------------
def test_plain_function_activation_round_trips_with_custom_objects(tmp_path):
    model = _dense_model(scaled_tanh)
    path = tmp_path / "plain.keras"
    model.save(path)
    stored = _saved_config(path)["config"]["layers"][-1]["config"]["activation"]
    # Keras 3's form of a custom function: found again by its name.
    assert stored == {"module": __name__, "class_name": "function", "config": "scaled_tanh",
                      "registered_name": "scaled_tanh"}
    loaded = keras.saving.load_model(path, custom_objects={"scaled_tanh": scaled_tanh})
    assert loaded.layers[0].activation is scaled_tanh
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    with keras.saving.custom_object_scope({"scaled_tanh": scaled_tanh}):
        scoped = keras.saving.load_model(path)
    assert scoped.layers[0].activation is scaled_tanh


def test_registered_activation_loads_without_custom_objects(tmp_path):
    model = _dense_model(shifted_relu)
    path = tmp_path / "registered.keras"
    model.save(path)
    stored = _saved_config(path)["config"]["layers"][-1]["config"]["activation"]
    assert stored["config"] == stored["registered_name"] == "reliability>shifted_relu"
    loaded = keras.saving.load_model(path)
    assert loaded.layers[0].activation is shifted_relu
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert loaded.predict(X, verbose=0).min() >= 1.0


def test_missing_custom_activation_is_one_clear_error(tmp_path):
    path = tmp_path / "plain.keras"
    _dense_model(scaled_tanh).save(path)
    with pytest.raises(ValueError, match=documented_pattern("9.1-custom-activation-unknown")):
        keras.saving.load_model(path)
    # The message starts with the activation's name.
    with pytest.raises(ValueError, match=r"^Unknown activation 'scaled_tanh': it is not a "
                                         r"built-in activation \(elu, "):
        keras.saving.load_model(path)


def test_recurrent_activations_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((5, 3)),
                              keras.layers.LSTM(2, activation=scaled_tanh,
                                                recurrent_activation=shifted_relu)])
    path = tmp_path / "lstm.keras"
    model.save(path)
    x = np.linspace(-1.0, 1.0, 30, dtype="float32").reshape(2, 5, 3)
    loaded = keras.saving.load_model(path, custom_objects={"scaled_tanh": scaled_tanh})
    assert loaded.layers[0].cell.activation is scaled_tanh
    assert loaded.layers[0].cell.recurrent_activation is shifted_relu
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_lambda_activation_is_code_and_needs_unsafe_mode(tmp_path):
    with pytest.warns(UserWarning, match="Serializing a Python lambda"):
        model = _dense_model(lambda x: x * 3.0)
        path = tmp_path / "lambda.keras"
        model.save(path)
    with pytest.raises(ValueError, match="Refusing to deserialize a Python lambda"):
        keras.saving.load_model(path)
    loaded = keras.saving.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_builtin_activation_names_are_unchanged():
    assert keras.layers.Dense(2, activation="relu").get_config()["activation"] == "relu"
    assert keras.activations.get("gelu") is keras.activations.gelu
    assert keras.activations.deserialize("softmax") is keras.activations.softmax
    assert keras.activations.deserialize(
        {"module": "__main__", "class_name": "function", "config": "scaled_tanh",
         "registered_name": "scaled_tanh"},
        custom_objects={"scaled_tanh": scaled_tanh}) is scaled_tanh


# -- item 10 (saving): atomic writes ---------------------------------------------
_SAVE_FOREVER = """
import sys
import torkeras as keras
model = keras.Sequential([keras.Input((2048,)), keras.layers.Dense(4096)])
print("saving", flush=True)
while True:
    model.save(sys.argv[1])
"""


def _temp_files(directory, target_name):
    return sorted(n for n in os.listdir(directory) if n.startswith(f".{target_name}.tmp-"))


def _kill_mid_save(target, attempts=3):
    """Runs a child that saves a 32 MB model to `target` in a loop and kills it
    (SIGKILL) while a temporary file exists; returns the child's pid."""
    directory, name = os.path.split(target)
    for _ in range(attempts):
        child = subprocess.Popen([sys.executable, "-c", _SAVE_FOREVER, target],
                                 stdout=subprocess.PIPE, cwd=directory)
        try:
            assert child.stdout.readline().strip() == b"saving"
            deadline = time.monotonic() + 30
            while not _temp_files(directory, name) and time.monotonic() < deadline:
                time.sleep(0.001)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
        if _temp_files(directory, name):
            return child.pid
    pytest.fail("the child never got killed while its temporary file existed")


def test_temp_file_of_a_killed_save_is_removed_by_the_next_save(tmp_path):
    target = str(tmp_path / "big.keras")
    pid = _kill_mid_save(target)
    leftovers = _temp_files(tmp_path, "big.keras")
    assert len(leftovers) == 1 and f"-{pid}-" in leftovers[0]
    assert os.path.getsize(tmp_path / leftovers[0]) > 0
    if os.path.exists(target):  # a save completed before the kill: still whole
        with zipfile.ZipFile(target) as zf:
            assert zf.testzip() is None
    model = _dense_model("relu")
    model.save(target)
    assert _temp_files(tmp_path, "big.keras") == []
    loaded = keras.saving.load_model(target)
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_stale_cleanup_spares_live_writers_other_hosts_and_other_files(tmp_path):
    from torkeras.utils import atomic_files
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    here = atomic_files._HOST_TAG
    elsewhere = "0badf00d" if here != "0badf00d" else "0badf00e"
    names = {
        "dead_writer": f".m.keras.tmp-{here}-{dead_pid}-abcd1234",
        "live_writer": f".m.keras.tmp-{here}-{os.getpid()}-abcd1234",
        "other_host_recent": f".m.keras.tmp-{elsewhere}-{dead_pid}-abcd1234",
        "other_host_old": f".m.keras.tmp-{elsewhere}-{dead_pid}-efgh5678",
        "other_target": f".n.keras.tmp-{here}-{dead_pid}-abcd1234",
        "not_our_pattern": ".m.keras.tmp-something-else",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    old = time.time() - atomic_files.STALE_AFTER_SECONDS - 60
    os.utime(tmp_path / names["other_host_old"], (old, old))
    _dense_model("relu").save(tmp_path / "m.keras")
    remaining = set(os.listdir(tmp_path)) - {"m.keras"}
    assert remaining == {names["live_writer"], names["other_host_recent"],
                         names["other_target"], names["not_our_pattern"]}


def _simulated_disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_names_the_target_and_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = _dense_model("relu")
    model.save(path)
    before = path.read_bytes()
    monkeypatch.setattr(zipfile.ZipFile, "writestr", _simulated_disk_full)
    with pytest.raises(OSError, match=documented_pattern("9.10-save-disk-full")) as info:
        model.save(path)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(path)
    assert str(info.value) == f"[Errno 28] Could not save (No space left on device): '{path}'"
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]


def test_failed_weights_save_names_the_target(tmp_path, monkeypatch):
    from torkeras.saving import saving_lib
    path = tmp_path / "m.weights.h5"
    monkeypatch.setattr(saving_lib, "save_weights_to_h5", _simulated_disk_full)
    with pytest.raises(OSError, match=documented_pattern("9.10-save-disk-full")) as info:
        _dense_model("relu").save_weights(path)
    assert info.value.filename == str(path)
    assert os.listdir(tmp_path) == []


def test_unwritable_directory_names_the_target(tmp_path, monkeypatch):
    # Root ignores directory permissions: the refusal is simulated where the
    # temporary file is created, as the OS would raise it.
    def refuse(*args, dir=None, prefix="", **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                              os.path.join(dir, prefix + "abcd1234"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    path = tmp_path / "m.keras"
    with pytest.raises(PermissionError, match=documented_pattern("9.10-save-permission-denied")) \
            as info:
        _dense_model("relu").save(path)
    assert info.value.filename == str(path)
    assert os.listdir(tmp_path) == []


def test_saving_over_a_directory_names_the_target(tmp_path):
    path = tmp_path / "m.keras"
    path.mkdir()
    with pytest.raises(IsADirectoryError) as info:
        _dense_model("relu").save(path)
    assert str(info.value) == f"[Errno 21] Could not save (Is a directory): '{path}'"
    assert os.listdir(tmp_path) == ["m.keras"] and os.listdir(path) == []


def _link(tmp_path, name, real_name):
    real_dir = tmp_path / "real"
    real_dir.mkdir(exist_ok=True)
    link = tmp_path / name
    link.symlink_to(real_dir / real_name)
    return link, real_dir / real_name


def test_saving_through_a_symlink_updates_its_target(tmp_path):
    first, second = _dense_model("relu"), _dense_model("relu")
    for save, name in ((lambda m, p: m.save(p), "m.keras"),
                       (lambda m, p: m.save_weights(p), "m.weights.h5")):
        link, real = _link(tmp_path, name, "stored-" + name)
        save(first, link)
        save(second, link)
        assert link.is_symlink() and os.readlink(link) == str(real) and real.is_file()
        assert _temp_files(real.parent, real.name) == []
    loaded = keras.saving.load_model(tmp_path / "real" / "stored-m.keras")
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), second.predict(X, verbose=0))
    weights = _dense_model("relu")
    weights.load_weights(tmp_path / "real" / "stored-m.weights.h5")
    np.testing.assert_array_equal(weights.predict(X, verbose=0), second.predict(X, verbose=0))


def test_unzipped_save_through_a_symlinked_directory(tmp_path):
    real = tmp_path / "real_dir"
    real.mkdir()
    link = tmp_path / "model_dir"
    link.symlink_to(real)
    model = _dense_model("relu")
    model.save(link, zipped=False)
    (real / "config.json").rename(real / "config.json.bak")
    (real / "config.json").symlink_to(real / "config.json.bak")
    model.save(link, zipped=False)
    assert link.is_symlink() and (real / "config.json").is_symlink()
    assert sorted(os.listdir(real)) == ["config.json", "config.json.bak", "metadata.json",
                                        "model.weights.h5"]
    loaded = keras.saving.load_model(link)
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


@pytest.mark.parametrize("weights_only", [True, False])
def test_model_checkpoint_through_a_symlink(tmp_path, weights_only):
    name = "ckpt.weights.h5" if weights_only else "ckpt.keras"
    link, real = _link(tmp_path, name, "stored-" + name)
    model = _dense_model("relu")
    model.compile(optimizer="sgd", loss="mse")
    y = np.ones((8, 4), "float32")
    checkpoint = keras.callbacks.ModelCheckpoint(str(link), save_weights_only=weights_only)
    model.fit(X, y, epochs=2, verbose=0, callbacks=[checkpoint])
    assert link.is_symlink() and real.is_file()
    restored = _dense_model("relu")
    if weights_only:
        restored.load_weights(real)
    else:
        restored = keras.saving.load_model(real)
    np.testing.assert_array_equal(restored.predict(X, verbose=0), model.predict(X, verbose=0))
