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

import h5py
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
                                         r"built-in activation \(celu, elu, "):
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


def _partly_written_temp(directory, target_name):
    for temp in _temp_files(directory, target_name):
        try:
            if os.path.getsize(os.path.join(directory, temp)) > 0:
                return True
        except FileNotFoundError:  # renamed into place meanwhile
            pass
    return False


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
            # Kill once the temporary file has bytes in it, so the kill lands
            # mid-write rather than between creating the file and writing to it.
            while not _partly_written_temp(directory, name) and time.monotonic() < deadline:
                time.sleep(0.001)
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
        if _partly_written_temp(directory, name):
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


# -- item 7: a budget of decompressed bytes -------------------------------------
class BlobLayer(keras.layers.Layer):
    """Keeps `size` bytes as an asset file."""

    def __init__(self, size=0, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.blob = bytes(size)

    def call(self, x):
        return x

    def get_config(self):
        return {**super().get_config(), "size": self.size}

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "blob.bin"), "wb") as f:
            f.write(bytes(range(256)) * (self.size // 256))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "blob.bin"), "rb") as f:
            self.blob = f.read()


@pytest.fixture
def budget(monkeypatch):
    """Sets keras.config's decompression budget for one test (put back after)."""
    from torkeras import config
    monkeypatch.setattr(config, "_MAX_DECOMPRESSED_BYTES", config._MAX_DECOMPRESSED_BYTES)
    return keras.config.set_max_decompressed_bytes


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile's directory for one test, to see what a load leaves there."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _blob_model_file(tmp_path, size=1 << 20):
    model = keras.Sequential([keras.Input((3,)), BlobLayer(size, name="blob")])
    path = tmp_path / "blob.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        total = sum(info.file_size for info in zf.infolist())
    return path, total


def _load_blob(path):
    with keras.saving.custom_object_scope({"BlobLayer": BlobLayer}):
        return keras.saving.load_model(path)


def test_default_budget_is_8_gib():
    assert keras.config.max_decompressed_bytes() == 8 * 1024**3


def test_a_file_within_the_budget_loads_one_byte_more_is_refused(tmp_path, budget,
                                                                 private_tmp):
    path, total = _blob_model_file(tmp_path)
    budget(total)
    assert _load_blob(path).layers[0].blob == bytes(range(256)) * 4096
    budget(total - 1)
    with pytest.raises(ValueError, match=documented_pattern("9.7-zip-over-budget")) as info:
        _load_blob(path)
    assert str(info.value).startswith(f"Refusing to load {str(path)!r}: its members "
                                      f"decompress to more than {total - 1} bytes")
    assert os.listdir(private_tmp) == []


def test_the_budget_counts_bytes_read_not_headers(tmp_path, budget, private_tmp, monkeypatch):
    path, _ = _blob_model_file(tmp_path)
    with zipfile.ZipFile(path) as zf:
        config_size = zf.getinfo("config.json").file_size
    budget(config_size + (1 << 19))  # runs out half-way through the 1 MB asset
    real_infolist = zipfile.ZipFile.infolist

    def lying_headers(self):
        # Headers announcing 1 byte per member: the up-front check passes.
        infos = []
        for info in real_infolist(self):
            fake = zipfile.ZipInfo(info.filename, info.date_time)
            fake.compress_type, fake.file_size, fake.compress_size = info.compress_type, 1, 1
            infos.append(fake)
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_headers)
    reads = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        reads.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    with pytest.raises(ValueError, match=documented_pattern("9.7-zip-over-budget")):
        _load_blob(path)
    assert reads == ["config.json", "assets/layers/blob_layer/blob.bin"]
    assert os.listdir(private_tmp) == []  # the partial asset was removed


def test_compressed_bomb_in_the_weights_is_refused(tmp_path, budget, private_tmp):
    model = _dense_model("relu")
    path = tmp_path / "bomb.keras"
    model.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    # 64 MB of weights, compressed to well under the per-member ratio refusal.
    members["model.weights.h5"] = members["model.weights.h5"] + \
        np.random.default_rng(0).integers(0, 4, 64 << 20, dtype=np.uint8).tobytes()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert os.path.getsize(path) < 32 << 20
    budget(16 << 20)
    with pytest.raises(ValueError, match=documented_pattern("9.7-zip-over-budget")):
        keras.saving.load_model(path)
    with pytest.raises(ValueError, match=documented_pattern("9.7-zip-over-budget")):
        _dense_model("relu").load_weights(path)
    assert os.listdir(private_tmp) == []


@pytest.mark.parametrize("value", [0, -1, 1.5, float("inf"), float("nan"), True, "8e9", None])
def test_budget_must_be_a_positive_integer(budget, value):
    with pytest.raises(ValueError, match=documented_pattern("9.7-budget-invalid")):
        budget(value)
    assert keras.config.max_decompressed_bytes() == 8 * 1024**3


def test_budget_takes_whole_floats(budget):
    budget(4e9)
    assert keras.config.max_decompressed_bytes() == 4_000_000_000
    assert type(keras.config.max_decompressed_bytes()) is int


# -- item 8: links anywhere on an h5 path -----------------------------------------
def _two_dense():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])


def _weights(model):
    return [w.numpy().copy() for w in model.weights]


@pytest.mark.parametrize("linked", ["layers", "layers/dense", "layers/dense/vars",
                                    "layers/dense_1", "layers/dense_1/vars",
                                    "layers/dense_1/vars/0"])
def test_external_links_anywhere_on_a_path_are_refused(tmp_path, linked):
    outside = tmp_path / "outside.weights.h5"
    _two_dense().save_weights(outside)  # other weights, a perfect fit
    crafted = tmp_path / "crafted.weights.h5"
    _two_dense().save_weights(crafted)
    with h5py.File(crafted, "a") as f:
        del f[linked]
        f[linked] = h5py.ExternalLink(str(outside), "/" + linked)
    model = _two_dense()
    before = _weights(model)
    with pytest.raises(ValueError, match=documented_pattern("9.8-h5-link")) as info:
        model.load_weights(crafted)
    assert str(info.value).startswith(f"Refusing to read {linked!r} from the weights file")
    assert f"(external link to '{outside}:/{linked}')" in str(info.value)
    # Nothing was loaded, also not the first layer's weights before the link.
    for kept, now in zip(before, _weights(model)):
        np.testing.assert_array_equal(kept, now)


def test_an_external_link_is_not_followed(tmp_path):
    crafted = tmp_path / "crafted.weights.h5"
    _two_dense().save_weights(crafted)
    with h5py.File(crafted, "a") as f:
        del f["layers"]
        # Following it would fail with h5py's own error: there is no such file.
        f["layers"] = h5py.ExternalLink(str(tmp_path / "missing.h5"), "/layers")
    with pytest.raises(ValueError, match=documented_pattern("9.8-h5-link")):
        _two_dense().load_weights(crafted)


def test_soft_link_on_a_parent_group_is_refused(tmp_path):
    crafted = tmp_path / "crafted.weights.h5"
    _two_dense().save_weights(crafted)
    with h5py.File(crafted, "a") as f:
        f.copy("layers/dense_1", "stash")
        f["stash/vars/0"][...] = 7.0
        del f["layers/dense_1"]
        f["layers/dense_1"] = h5py.SoftLink("/stash")
    with pytest.raises(ValueError, match=documented_pattern("9.8-h5-link")) as info:
        _two_dense().load_weights(crafted)
    assert "(soft link to '/stash')" in str(info.value)


def test_links_in_the_weights_of_a_keras_file_are_refused(tmp_path):
    path = tmp_path / "m.keras"
    _two_dense().save(path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    weights = tmp_path / "w.h5"
    weights.write_bytes(members["model.weights.h5"])
    with h5py.File(weights, "a") as f:
        del f["layers/dense"]
        f["layers/dense"] = h5py.ExternalLink(str(tmp_path / "elsewhere.h5"), "/x")
    members["model.weights.h5"] = weights.read_bytes()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(ValueError, match=documented_pattern("9.8-h5-link")):
        keras.saving.load_model(path)
