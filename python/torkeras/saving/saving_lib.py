"""The `.keras` zip and the `.weights.h5` weight files.

A `.keras` file is a zip with, stored uncompressed and in this order,
`metadata.json`, `config.json` (the model's Keras envelope) and
`model.weights.h5`. The h5 layout follows Keras 3: every saveable object has a
group `<path>/vars` (attribute `name`) holding datasets `0`, `1`, ... Models
list their layers under `layers/<snake_case(ClassName)>` (deduplicated `_1`,
`_2`, ...); other attributes are reached by their attribute name; the
optimizer is at `optimizer/vars/<i>` in `optimizer.variables` order.

`zipped=False` writes the same members into a directory. Objects with
`save_assets`/`load_assets` keep files under `assets/<their path>/`.
bfloat16 variables are stored as Keras stores them (raw 2-byte values tagged
with the dataset attribute `dtype="bfloat16"`).

Every write goes through `utils.atomic_files.atomic_write`: a temporary file
beside the target replaces it only once complete (through a symlink, the
file it points to), leftovers of killed saves are cleaned on the next save,
and errors name the target.
"""

import datetime
import io
import json
import os
import shutil
import tempfile
import warnings
import zipfile

import numpy as np

from torkeras import config as _config
from torkeras import naming
from torkeras.saving import serialization_lib
from torkeras.utils.atomic_files import atomic_write, atomic_write_bytes

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
VARS_FILENAME = "model.weights.h5"
ASSETS_DIRNAME = "assets"
KERAS_FORMAT_VERSION = "3.15.1"

_MAX_COMPRESSION_RATIO = 1000     # refuses compressed members that look like zip bombs
_READ_CHUNK = 1 << 20


# -- the object walk ----------------------------------------------------------
def _is_graph_model(obj):
    from torkeras.models.functional import Functional
    from torkeras.models.sequential import Sequential
    return isinstance(obj, (Functional, Sequential))


_INTERNAL = None


def _internal_attrs():
    """torch.nn.Module / Layer bookkeeping attributes (not user state)."""
    global _INTERNAL
    if _INTERNAL is None:
        import torch
        from torkeras.layers.layer import Layer
        _INTERNAL = set(torch.nn.Module().__dict__) | set(Layer.__new__(Layer).__dict__)
    return _INTERNAL


def _children(obj):
    """(attribute, child) pairs of a saveable, in Keras's order; a child is a
    saveable or a list of saveables (a container)."""
    from torkeras.layers.layer import Layer
    from torkeras.models.model import Model
    from torkeras.optimizers.optimizer import Optimizer
    out = []
    if _is_graph_model(obj):
        out.append(("layers", list(obj.layers)))
    candidates = {}
    if isinstance(obj, Layer) and not _is_graph_model(obj):
        in_lists = set()
        for attr, value in obj.__dict__.items():
            if attr in _internal_attrs():
                continue
            if isinstance(value, (list, tuple)) and any(isinstance(v, Layer) for v in value):
                items = [v for v in value if isinstance(v, Layer)]
                candidates[attr] = items
                in_lists.update(id(v) for v in items)
            elif isinstance(value, dict) and any(isinstance(v, Layer) for v in value.values()):
                items = [v for v in value.values() if isinstance(v, Layer)]
                candidates[attr] = items
                in_lists.update(id(v) for v in items)
        for attr, module in obj._modules.items():
            if isinstance(module, Layer) and id(module) not in in_lists:
                candidates[attr] = module
    if isinstance(obj, Model) and isinstance(getattr(obj, "optimizer", None), Optimizer):
        candidates["optimizer"] = obj.optimizer
    for attr in sorted(candidates, key=lambda a: (a.startswith("_"), a)):
        out.append((attr, candidates[attr]))
    return out


def _walk(obj, path, visit, visited):
    if id(obj) in visited:
        return
    visited.add(id(obj))
    visit(obj, path)
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if isinstance(child, list):
            counts = {}
            for item in child:
                base = naming.to_snake_case(type(item).__name__)
                if base in counts:
                    counts[base] += 1
                    name = f"{base}_{counts[base]}"
                else:
                    counts[base] = 0
                    name = base
                _walk(item, f"{child_path}/{name}", visit, visited)
        else:
            _walk(child, child_path, visit, visited)


def _own_variables(obj):
    from torkeras.optimizers.optimizer import Optimizer
    if isinstance(obj, Optimizer):
        return list(obj.variables)
    own = list(getattr(obj, "_variables", []))
    return [v for v in own if v.trainable] + [v for v in own if not v.trainable]


def _custom_state_methods(obj):
    """The object's own save/load_own_variables, when its class defines them
    (layers otherwise use the generic variable list)."""
    from torkeras.layers.layer import Layer
    from torkeras.optimizers.optimizer import Optimizer
    if isinstance(obj, Optimizer):
        return None
    save = getattr(type(obj), "save_own_variables", None)
    load = getattr(type(obj), "load_own_variables", None)
    if save is None or load is None or getattr(Layer, "save_own_variables", None) is save:
        return None
    return save, load


# -- h5 store -------------------------------------------------------------------
# NumPy has no bfloat16. Keras writes bfloat16 variables as 2-byte opaque
# HDF5 data (the raw bits) with the dataset attribute dtype="bfloat16".
_BFLOAT16_TAG = "bfloat16"


def _variable_array(value):
    """A variable's (or tensor's) value as written to h5: a NumPy array, or
    for bfloat16 its raw bits."""
    import torch
    from torkeras.variables import Variable
    if isinstance(value, Variable):
        value = value.value
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
        if value.dtype == torch.bfloat16:
            return _Bfloat16Bits(value.contiguous().view(torch.int16).numpy().view("V2"))
        return value.numpy().copy()
    return np.asarray(value)


class _Bfloat16Bits:
    """Marks raw bfloat16 bits on their way into a dataset."""

    def __init__(self, bits):
        self.bits = bits


def _write_dataset(group, key, value):
    if isinstance(value, _Bfloat16Bits):
        dataset = group.create_dataset(key, data=value.bits)
        dataset.attrs["dtype"] = _BFLOAT16_TAG
        return
    value = _variable_array(value)
    if isinstance(value, _Bfloat16Bits):
        _write_dataset(group, key, value)
        return
    group.create_dataset(key, data=value)


def _dataset_value(dataset):
    """A stored dataset as an array, or as a bfloat16 torch tensor when Keras
    tagged it as bfloat16 (bit-exact)."""
    import torch
    tag = dataset.attrs.get("dtype") if hasattr(dataset, "attrs") else None
    if isinstance(tag, bytes):
        tag = tag.decode("utf-8")
    if tag == _BFLOAT16_TAG:
        raw = np.asarray(dataset[()])
        if raw.dtype.itemsize != 2:
            raise ValueError(f"Dataset {dataset.name!r} is tagged bfloat16 but holds "
                             f"{raw.dtype.itemsize}-byte values.")
        bits = np.ascontiguousarray(raw).view(np.int16)
        return torch.from_numpy(bits.copy()).view(torch.bfloat16)
    return np.asarray(dataset[()])


def save_weights_to_h5(model, h5file):
    from torkeras.optimizers.optimizer import Optimizer

    def visit(obj, path):
        group = h5file.require_group(f"{path}/vars" if path else "vars")
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            group.attrs["name"] = name
        custom = _custom_state_methods(obj)
        if custom is not None:
            store = {}
            custom[0](obj, store)
            items = list(store.items())
        else:
            items = [(str(i), _variable_array(v)) for i, v in enumerate(_own_variables(obj))]
            if isinstance(obj, Optimizer) and items:
                # The step counter is int32 in files written by Keras's torch backend.
                items[0] = (items[0][0], np.asarray(items[0][1]).astype("int32"))
        for key, value in items:
            _write_dataset(group, key, value)

    _walk(model, "", visit, set())


def _stored_member(group, name, where):
    """`group[name]`, refusing a soft or external link before anything
    follows it (so nothing outside the file is ever opened); None when the
    group has no member `name`. `where` is the member's path, for errors."""
    import h5py
    key = name.encode("utf-8")
    if not group.id.links.exists(key):  # H5Lexists: never follows the link itself
        return None
    info = group.id.links.get_info(key)
    if info.type != h5py.h5l.TYPE_HARD:
        value = group.id.links.get_val(key)
        if isinstance(value, tuple):
            kind, target = "external link", ":".join(v.decode("utf-8", "replace") for v in value)
        else:
            kind, target = "soft link", value.decode("utf-8", "replace")
        raise ValueError(f"Refusing to read {where!r} from the weights file: it is a soft or "
                         f"external link ({kind} to {target!r}), not an object stored in "
                         "the file.")
    return group[name]


def _read_vars(h5file, path):
    """The datasets of `<path>/vars` as {str(i): dataset}; None when absent.
    Every component of the path is checked, not only the last: a link on a
    parent group (`layers`, `layers/dense`) is refused like one on a dataset."""
    import h5py
    gpath = f"{path}/vars" if path else "vars"
    group = h5file
    parts = gpath.split("/")
    for depth, part in enumerate(parts):
        where = "/".join(parts[:depth + 1])
        group = _stored_member(group, part, where)
        if group is None:
            return None
        if not isinstance(group, h5py.Group):
            raise ValueError(f"The weights file has a dataset at {where!r} where a group "
                             "was expected.")
    out = {}
    for key in group.keys():
        dataset = _stored_member(group, key, f"{gpath}/{key}")
        if not isinstance(dataset, h5py.Dataset):
            continue
        if dataset.external or dataset.is_virtual:
            raise ValueError(f"Refusing to read {gpath}/{key}: external or virtual datasets "
                             "are not allowed.")
        out[key] = dataset
    return out


def load_weights_from_h5(model, h5file, skip_mismatch=False):
    """Loads `h5file` into `model` all or nothing: when any part fails (a
    refused link, a shape mismatch, ...), the variables loaded so far get
    their values from before back."""
    from torkeras.utils.variable_snapshot import VariableSnapshot
    variables = _walked_variables(model)
    before = VariableSnapshot(variables) if variables else None
    try:
        _load_weights(model, h5file, skip_mismatch)
    except BaseException:
        if before is not None:
            before.restore()
        raise


def _walked_variables(model):
    """The variables of every object the h5 walk visits (each once)."""
    found = {}

    def visit(obj, path):
        for variable in _own_variables(obj):
            found.setdefault(id(variable), variable)

    _walk(model, "", visit, set())
    return list(found.values())


def _load_weights(model, h5file, skip_mismatch):
    from torkeras.optimizers.optimizer import Optimizer

    def visit(obj, path):
        stored = _read_vars(h5file, path)
        stored = {} if stored is None else stored
        custom = _custom_state_methods(obj)
        if custom is not None:
            custom[1](obj, {k: _dataset_value(v) for k, v in stored.items()})
            return
        if isinstance(obj, Optimizer):
            if not obj.built and len(stored) > len(obj.variables) and \
                    getattr(model, "built", False):
                # Saved after training: make the slots to load the state into.
                obj.build(model.trainable_weights)
            if len(stored) != len(obj.variables):
                warnings.warn(
                    f"Skipping variable loading for optimizer {obj.name!r}: it has "
                    f"{len(obj.variables)} variables, the file has {len(stored)}.",
                    stacklevel=3)
                return
            _load_optimizer(obj, stored)
            return
        variables = _own_variables(obj)
        if len(stored) != len(variables):
            msg = (f"Layer {getattr(obj, 'name', path)!r} (at {path or '/'!r} in the weights "
                   f"file) expected {len(variables)} variables, but received {len(stored)} "
                   f"variables during loading. Expected: {[v.name for v in variables]}")
            if skip_mismatch:
                warnings.warn(msg, stacklevel=3)
                return
            raise ValueError(msg)
        for i, variable in enumerate(variables):
            dataset = stored.get(str(i))
            if dataset is None:
                raise ValueError(f"Missing dataset {path}/vars/{i} in the weights file.")
            if tuple(dataset.shape) != tuple(variable.shape):
                msg = (f"The weight {variable.path!r} has shape {tuple(variable.shape)}, but the "
                       f"weights file has shape {tuple(dataset.shape)} at {path}/vars/{i}.")
                if skip_mismatch:
                    warnings.warn(msg, stacklevel=3)
                    continue
                raise ValueError(msg)
            variable.assign(_dataset_value(dataset))

    _walk(model, "", visit, set())


def _load_optimizer(optimizer, stored):
    lr_var = getattr(optimizer, "_lr_var", None)
    exact = optimizer.learning_rate if lr_var is not None else None
    for i, variable in enumerate(optimizer.variables):
        dataset = stored[str(i)]
        if tuple(dataset.shape) != tuple(variable.shape):
            warnings.warn(f"Skipping variable loading for optimizer {optimizer.name!r}: "
                          f"variable {i} has shape {tuple(variable.shape)}, the file has "
                          f"{tuple(dataset.shape)}.", stacklevel=4)
            return
    for i, variable in enumerate(optimizer.variables):
        variable.assign(_dataset_value(stored[str(i)]))
    if lr_var is not None and isinstance(exact, float) and \
            float(np.float32(exact)) == float(lr_var.numpy()):
        # The configured value, not its float32 rounding, as before saving.
        optimizer.learning_rate = exact


# -- .keras zip ---------------------------------------------------------------
class _ZipMembers:
    """Reads the members of an open `.keras` zip within one load's budget of
    decompressed bytes (`keras.config.max_decompressed_bytes()`: config,
    weights and assets together). The bytes are counted as they are read,
    not taken from the headers, which a crafted file can falsify; reading
    stops one byte past the budget."""

    def __init__(self, zf, filepath):
        self.zf, self.filepath = zf, filepath
        self.budget = _config.max_decompressed_bytes()
        self.used = 0
        announced = 0
        for info in zf.infolist():
            if info.compress_type != zipfile.ZIP_STORED and info.compress_size > 0 and \
                    info.file_size / info.compress_size > _MAX_COMPRESSION_RATIO:
                raise ValueError(f"Refusing to read {info.filename!r}: its compression ratio "
                                 "looks like a zip bomb.")
            announced += info.file_size
        if announced > self.budget:  # refused before any work when the headers admit it
            raise self._over_budget()

    def read(self, name):
        """The member's bytes."""
        out = io.BytesIO()
        self._copy(name, out)
        return out.getvalue()

    def extract(self, name, path):
        """Writes the member to the file `path`; returns `path`."""
        with open(path, "wb") as out:
            self._copy(name, out)
        return path

    def _copy(self, name, out):
        with self.zf.open(name) as src:
            while True:
                chunk = src.read(min(_READ_CHUNK, self.budget - self.used + 1))
                if not chunk:
                    return
                self.used += len(chunk)
                if self.used > self.budget:
                    raise self._over_budget()
                out.write(chunk)

    def _over_budget(self):
        return ValueError(
            f"Refusing to load {self.filepath!r}: its members decompress to more than "
            f"{self.budget} bytes, the budget of keras.config.max_decompressed_bytes(); it "
            "may be a zip bomb. If you trust this file, raise the budget with "
            "keras.config.set_max_decompressed_bytes().")


def _model_jsons(model):
    import torkeras
    config_json = json.dumps(serialization_lib.serialize_with_shared_objects(model))
    metadata_json = json.dumps({
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "torkeras_version": torkeras.__version__,
    })
    return config_json, metadata_json


def _weights_bytes(model):
    import h5py
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        save_weights_to_h5(model, h5file)
    return buffer.getvalue()


def save_model(model, filepath, zipped=True):
    """Writes `model` to a `.keras` zip, or with `zipped=False` to a directory
    holding the same members (as Keras 3 does). Each file is written
    atomically; the zip as a whole."""
    config_json, metadata_json = _model_jsons(model)
    weights = _weights_bytes(model)
    with tempfile.TemporaryDirectory(prefix="torkeras-assets-") as assets_dir:
        _save_assets(model, assets_dir)
        asset_files = _files_under(assets_dir)
        if zipped:
            def write(tmp):
                with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
                    zf.writestr(METADATA_FILENAME, metadata_json)
                    zf.writestr(CONFIG_FILENAME, config_json)
                    zf.writestr(VARS_FILENAME, weights)
                    for rel in asset_files:
                        zf.write(os.path.join(assets_dir, rel), f"{ASSETS_DIRNAME}/{rel}")

            atomic_write(filepath, write)
            return
        filepath = os.fspath(filepath)
        if os.path.exists(filepath) and not os.path.isdir(filepath):
            raise FileExistsError(f"Cannot save to directory {filepath!r}: a file with that name "
                                  "exists.")
        os.makedirs(filepath, exist_ok=True)
        for name, data in ((METADATA_FILENAME, metadata_json.encode("utf-8")),
                           (CONFIG_FILENAME, config_json.encode("utf-8")),
                           (VARS_FILENAME, weights)):
            atomic_write_bytes(os.path.join(filepath, name), data)
        target_assets = os.path.join(filepath, ASSETS_DIRNAME)
        if os.path.isdir(target_assets):
            shutil.rmtree(target_assets)  # stale assets of an earlier save
        for rel in asset_files:
            target = os.path.join(target_assets, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(os.path.join(assets_dir, rel), "rb") as f:
                atomic_write_bytes(target, f.read())


def _files_under(directory):
    """Relative paths (with "/") of the files below `directory`, sorted."""
    out = []
    for root, _, files in os.walk(directory):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), directory)
            out.append(rel.replace(os.sep, "/"))
    return sorted(out)


# -- assets -----------------------------------------------------------------------
def _asset_methods(obj):
    save = getattr(obj, "save_assets", None)
    load = getattr(obj, "load_assets", None)
    return (save, load) if callable(save) and callable(load) else None


def _save_assets(model, assets_dir):
    """Objects with `save_assets(dir_path)` / `load_assets(dir_path)` write
    their files to `assets/<their h5 path>/` (the model's own to `assets/`)."""
    def visit(obj, path):
        methods = _asset_methods(obj)
        if methods is not None:
            directory = os.path.join(assets_dir, *path.split("/")) if path else assets_dir
            os.makedirs(directory, exist_ok=True)
            methods[0](directory)

    _walk(model, "", visit, set())


def _load_assets(model, assets_dir):
    def visit(obj, path):
        methods = _asset_methods(obj)
        if methods is not None:
            directory = os.path.join(assets_dir, *path.split("/")) if path else assets_dir
            if os.path.isdir(directory):
                methods[1](directory)

    _walk(model, "", visit, set())


def _extract_assets(members, names, target):
    """Copies the zip's `assets/...` members below `target`, refusing names
    that would leave it."""
    root = os.path.realpath(target)
    for name in names:
        if not name.startswith(ASSETS_DIRNAME + "/") or name.endswith("/"):
            continue
        rel = name[len(ASSETS_DIRNAME) + 1:]
        dest = os.path.realpath(os.path.join(root, *rel.split("/")))
        if os.path.isabs(rel) or not dest.startswith(root + os.sep):
            raise ValueError(f"Refusing to extract {name!r}: it points outside the assets "
                             "directory.")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        members.extract(name, dest)


# -- loading ------------------------------------------------------------------------
def _model_from_config_json(config_json, custom_objects, compile, safe_mode):
    config = json.loads(config_json)
    if not compile:
        config.pop("compile_config", None)
    with serialization_lib.ObjectSharingScope():
        return serialization_lib.deserialize_keras_object(
            config, custom_objects=custom_objects, safe_mode=safe_mode)


def _load_state(model, filepath, names, read_weights, assets_dir):
    import h5py
    if VARS_FILENAME in names:
        with h5py.File(read_weights(), "r") as h5file:
            load_weights_from_h5(model, h5file)
    elif "model.weights.npz" in names:
        raise ValueError(f"{filepath!r} stores its weights as npz, which is not "
                         "supported; re-save it with the default h5 weights.")
    if assets_dir is not None and os.path.isdir(assets_dir):
        _load_assets(model, assets_dir)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a `.keras` zip, or a directory written with `zipped=False`."""
    if os.path.isdir(filepath):
        return _load_model_from_dir(filepath, custom_objects, compile, safe_mode)
    with zipfile.ZipFile(filepath, "r") as zf:
        members = _ZipMembers(zf, filepath)
        names = zf.namelist()
        if CONFIG_FILENAME not in names:
            raise ValueError(f"{filepath!r} is not a Keras model file: it has no "
                             f"{CONFIG_FILENAME}.")
        model = _model_from_config_json(members.read(CONFIG_FILENAME).decode("utf-8"),
                                        custom_objects, compile, safe_mode)
        # Weights and assets are streamed to a private directory, removed
        # with all it holds however the load ends.
        with tempfile.TemporaryDirectory(prefix="torkeras-load-") as work_dir:
            assets_dir = os.path.join(work_dir, ASSETS_DIRNAME)
            # As in Keras, only a zip with more than the three members has assets.
            has_assets = len(names) > 3
            if has_assets:
                _extract_assets(members, names, assets_dir)
            weights_path = os.path.join(work_dir, VARS_FILENAME)
            _load_state(model, filepath, names,
                        lambda: members.extract(VARS_FILENAME, weights_path),
                        assets_dir if has_assets else None)
    return model


def _load_model_from_dir(dirpath, custom_objects, compile, safe_mode):
    names = os.listdir(dirpath)
    if CONFIG_FILENAME not in names:
        raise ValueError(f"{dirpath!r} is not a Keras model directory: it has no "
                         f"{CONFIG_FILENAME}.")
    with open(os.path.join(dirpath, CONFIG_FILENAME), "r", encoding="utf-8") as f:
        model = _model_from_config_json(f.read(), custom_objects, compile, safe_mode)
    _load_state(model, dirpath, names, lambda: os.path.join(dirpath, VARS_FILENAME),
                os.path.join(dirpath, ASSETS_DIRNAME))
    return model


def save_weights_only(model, filepath):
    import h5py

    def write(tmp):
        with h5py.File(tmp, "w") as h5file:
            save_weights_to_h5(model, h5file)

    atomic_write(filepath, write)


def load_weights_only(model, filepath, skip_mismatch=False):
    import h5py
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with zipfile.ZipFile(filepath, "r") as zf, \
                tempfile.TemporaryDirectory(prefix="torkeras-load-") as work_dir:
            weights = _ZipMembers(zf, filepath).extract(VARS_FILENAME,
                                                        os.path.join(work_dir, VARS_FILENAME))
            with h5py.File(weights, "r") as h5file:
                load_weights_from_h5(model, h5file, skip_mismatch=skip_mismatch)
        return
    with h5py.File(filepath, "r") as h5file:
        load_weights_from_h5(model, h5file, skip_mismatch=skip_mismatch)
