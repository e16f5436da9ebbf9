"""Every public name of Keras 3's numerical namespaces exists in torkeras.

The names come from real Keras 3 (tests/keras_reference/names.py, run in
.venv-keras); the only names allowed to be missing are the TensorFlow/JAX-only
ones in docs/keras_coverage.md, each with its reason.
"""
import importlib
import os
import re

import pytest

import keras_reference

DOC = os.path.join(keras_reference.ROOT, "docs", "keras_coverage.md")
ROW = re.compile(r"^\|\s*([\w.]+)\s*\|\s*(\w+)\s*\|\s*(.+?)\s*\|\s*$")


def documented_exceptions():
    rows = {}
    with open(DOC, encoding="utf-8") as f:
        for line in f:
            match = ROW.match(line)
            if match and match.group(1) not in ("namespace", "---"):
                rows.setdefault(match.group(1), {})[match.group(2)] = match.group(3)
    return rows


def keras_namespaces():
    return [key for key in keras_reference.load("names") if key != "keras_version"]


def torkeras_names(namespace):
    try:
        module = importlib.import_module(f"torkeras.{namespace}")
    except ImportError:
        module = importlib.import_module("torkeras")
        for part in namespace.split("."):
            module = getattr(module, part, None)
            if module is None:
                return set()
    return set(dir(module))


def test_the_reference_is_keras_3_15():
    assert str(keras_reference.load("names")["keras_version"]).startswith("3.15")


@pytest.mark.parametrize("namespace", [
    "ops", "ops.numpy", "ops.nn", "ops.linalg", "ops.image", "activations", "losses",
    "metrics", "optimizers", "optimizers.schedules", "initializers", "regularizers",
    "constraints", "mixed_precision", "dtype_policies", "random", "config"])
def test_every_keras_name_exists(namespace):
    names = keras_reference.load("names")
    assert namespace in keras_namespaces()
    excepted = documented_exceptions().get(namespace, {})
    have = torkeras_names(namespace)
    missing = [n for n in names[namespace].tolist() if n not in have and n not in excepted]
    assert not missing, (f"torkeras.{namespace} lacks {len(missing)} of Keras 3's names "
                         f"(implement them or document why in docs/keras_coverage.md): "
                         f"{' '.join(missing)}")


def test_the_exceptions_table_is_true():
    names = keras_reference.load("names")
    for namespace, rows in documented_exceptions().items():
        assert namespace in names, f"docs/keras_coverage.md: unknown namespace {namespace}"
        keras_has = set(names[namespace].tolist())
        have = torkeras_names(namespace)
        for name in rows:
            assert name in keras_has, f"docs/keras_coverage.md: Keras has no {namespace}.{name}"
            assert name not in have, (f"docs/keras_coverage.md: torkeras has {namespace}.{name}; "
                                      "remove its row")
