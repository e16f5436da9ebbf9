"""Packaging facts (docs/release.md): the version is set once, in DESCRIPTION,
and the `cleanup` script derives python/torkeras/_version.py and fills
inst/python from it; pyproject.toml holds ranges that the exact pins of
constraints.txt satisfy; the LICENSE is the Apache 2.0 text."""

import os
import re
import shutil
import subprocess
import tarfile
import tomllib

import pytest
from packaging.requirements import Requirement

import torkeras

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        return f.read()


def description_version(text):
    return re.search(r"^Version:\s*(\S+)\s*$", text, re.M).group(1)


def pyproject():
    return tomllib.loads(read("pyproject.toml"))


def constraint_pins():
    pins = {}
    for line in read("constraints.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", line
            pins[req.name.lower()] = spec.version
    return pins


def test_python_version_is_descriptions():
    version = description_version(read("DESCRIPTION"))
    assert torkeras.__version__ == version
    assert f'__version__ = "{version}"' in read("python/torkeras/_version.py")
    meta = pyproject()["project"]
    assert "version" not in meta and meta["dynamic"] == ["version"]
    assert pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "torkeras._version.__version__"}


def _package_tree(tmp_path, version):
    """A minimal source tree with the real cleanup script."""
    root = tmp_path / "pkg"
    (root / "python" / "torkeras" / "__pycache__").mkdir(parents=True)
    (root / "python" / "torkeras" / "__init__.py").write_text("")
    (root / "python" / "torkeras" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (root / "python" / "torkeras" / "stale.pyc").write_bytes(b"\0")
    for name in ("cleanup", "configure", "pyproject.toml", "constraints.txt", "README.md",
                 "LICENSE"):
        shutil.copy2(os.path.join(ROOT, name), root / name)
    description = re.sub(r"^Version:.*$", f"Version: {version}", read("DESCRIPTION"),
                         flags=re.M)
    (root / "DESCRIPTION").write_text(description)
    return root


@pytest.mark.parametrize("script", ["cleanup", "configure"])
def test_cleanup_derives_the_version_and_fills_inst_python(tmp_path, script):
    root = _package_tree(tmp_path, "9.8.7")
    subprocess.run(["sh", f"./{script}"], cwd=root, check=True)
    version_py = (root / "python" / "torkeras" / "_version.py").read_text()
    assert '__version__ = "9.8.7"' in version_py
    inst = root / "inst" / "python"
    assert sorted(os.listdir(inst)) == ["constraints.txt", "torkeras-9.8.7.tar.gz"]
    assert (inst / "constraints.txt").read_text() == read("constraints.txt")
    with tarfile.open(inst / "torkeras-9.8.7.tar.gz") as archive:
        names = sorted(archive.getnames())
        shipped_version = archive.extractfile(
            "torkeras-9.8.7/python/torkeras/_version.py").read().decode()
    assert names == ["torkeras-9.8.7", "torkeras-9.8.7/LICENSE", "torkeras-9.8.7/README.md",
                     "torkeras-9.8.7/constraints.txt", "torkeras-9.8.7/pyproject.toml",
                     "torkeras-9.8.7/python", "torkeras-9.8.7/python/torkeras",
                     "torkeras-9.8.7/python/torkeras/__init__.py",
                     "torkeras-9.8.7/python/torkeras/_version.py"]  # no __pycache__, .pyc
    assert shipped_version == version_py

    # An unchanged version leaves the file alone (no rewrite, same mtime).
    before = os.stat(root / "python" / "torkeras" / "_version.py").st_mtime_ns
    subprocess.run(["sh", "./cleanup"], cwd=root, check=True)
    assert os.stat(root / "python" / "torkeras" / "_version.py").st_mtime_ns == before


def test_cleanup_in_an_unpacked_tarball_keeps_inst_python(tmp_path):
    # A tarball has inst/python but no python/ directory: nothing changes.
    root = _package_tree(tmp_path, "1.2.3")
    subprocess.run(["sh", "./cleanup"], cwd=root, check=True)
    shutil.rmtree(root / "python")
    os.remove(root / "pyproject.toml")
    subprocess.run(["sh", "./cleanup"], cwd=root, check=True)
    assert sorted(os.listdir(root / "inst" / "python")) == ["constraints.txt",
                                                           "torkeras-1.2.3.tar.gz"]


def test_dependencies_are_ranges_that_the_constraints_satisfy():
    project = pyproject()["project"]
    pins = constraint_pins()
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    for line in requirements:
        req = Requirement(line)
        assert not any(s.operator in ("==", "===") for s in req.specifier), line
        name = req.name.lower()
        assert name in pins, f"{name} has no exact version in constraints.txt"
        assert req.specifier.contains(pins[name]), f"{pins[name]} is outside {line}"
    # The library needs torch, numpy and h5py; pandas and pyarrow are extras.
    names = {Requirement(r).name for r in project["dependencies"]}
    assert names == {"torch", "numpy", "h5py"}
    assert project["optional-dependencies"]["pandas"] == ["pandas>=2.2,<3"]
    assert project["optional-dependencies"]["pyarrow"] == ["pyarrow>=15,<21"]


def test_the_constraints_are_what_this_environment_runs():
    from importlib.metadata import version
    for name, pinned in constraint_pins().items():
        installed = version(name).split("+", 1)[0]  # torch 2.13.0+cpu
        assert installed == pinned, name


def test_license_metadata():
    project = pyproject()["project"]
    assert project["license"] == "Apache-2.0"
    assert project["license-files"] == ["LICENSE"]
    assert project["readme"] == "README.md"
    text = read("LICENSE")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in text
    assert re.search(r"^License: Apache License \(== 2\.0\)$", read("DESCRIPTION"), re.M)
