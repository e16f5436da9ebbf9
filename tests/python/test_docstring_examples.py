"""The `>>>` examples in the docstrings of the Keras namespaces run and print
what they show.

Every module of the packages below is searched for docstring examples (the
`Example:` sections that tools/docstrings.py hands to the help pages); each
module's examples run as one doctest with `keras` bound to torkeras and `np`
to NumPy, as the examples assume. A failure names the module and shows the
expected and the actual output.
"""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import torkeras
from torkeras.saving import object_registration as _registration

# The module, not the function of the same name the package exports.
_dtype_policy = importlib.import_module("torkeras.dtype_policies.dtype_policy")

PACKAGES = ["torkeras.layers", "torkeras.losses", "torkeras.metrics", "torkeras.optimizers",
            "torkeras.callbacks", "torkeras.models", "torkeras.saving", "torkeras.utils",
            "torkeras.dtype_policies", "torkeras.mixed_precision", "torkeras.trainers"]
MODULES = ["torkeras.initializers", "torkeras.regularizers", "torkeras.constraints"]


def _module_names():
    names = list(MODULES)
    for package in PACKAGES:
        names.append(package)
        path = importlib.import_module(package).__path__
        names.extend(info.name for info in pkgutil.walk_packages(path, package + "."))
    return names


def _tests(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [t for t in finder.find(module, name, globs={"keras": torkeras, "np": np})
            if t.examples]


_WITH_EXAMPLES = [name for name in _module_names() if _tests(name)]


@pytest.fixture
def restored_globals():
    """Examples may set the global dtype policy or register custom objects;
    the next tests see the state as it was."""
    policy = _dtype_policy._GLOBAL_POLICY
    objects = dict(_registration._GLOBAL_CUSTOM_OBJECTS)
    names = dict(_registration._GLOBAL_CUSTOM_NAMES)
    yield
    _dtype_policy._GLOBAL_POLICY = policy
    _registration._GLOBAL_CUSTOM_OBJECTS.clear()
    _registration._GLOBAL_CUSTOM_OBJECTS.update(objects)
    _registration._GLOBAL_CUSTOM_NAMES.clear()
    _registration._GLOBAL_CUSTOM_NAMES.update(names)


def test_examples_exist():
    # The namespaces document their main objects with examples (hundreds of
    # lines); an empty collection would mean the search above broke.
    assert len(_WITH_EXAMPLES) >= 80, _WITH_EXAMPLES


@pytest.mark.parametrize("name", _WITH_EXAMPLES)
def test_docstring_examples_run(name, restored_globals):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in _tests(name):
        runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}:\n" + \
        "".join(report)
