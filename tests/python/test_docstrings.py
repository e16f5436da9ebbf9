"""Every public class and function of the Keras namespaces is documented.

For each name in torkeras.<namespace> (not starting with "_", a class or
function defined in torkeras) the docstring — for a class its own `__doc__`,
which documents the constructor — has a summary line and an `Args:` section
with a `name: text` entry for every named parameter of the function or
`__init__` (not self, *args, **kwargs). A Layer subclass that takes **kwargs
also documents `**kwargs` (the base layer options `name`, `dtype`, ...). An
entry naming no parameter is an error too (a stale or misspelled entry), unless
the callable takes **kwargs. The docstrings are read with tools/docstrings.py,
the parser the R help-page generator uses.

An object exported under several names or namespaces (an alias) is checked
once: in the namespace whose package defines it when it is exported there,
otherwise in the first namespace of NAMESPACES that exports it.
"""

import importlib
import inspect
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import docstrings  # noqa: E402

sys.path.pop(0)

NAMESPACES = ["layers", "losses", "metrics", "optimizers", "optimizers.schedules", "ops",
              "activations", "initializers", "regularizers", "constraints", "callbacks",
              "random", "config", "models", "saving", "utils", "mixed_precision",
              "dtype_policies"]

# Public sub-namespaces walked with their parent (keras.ops.image.resize, ...).
SUBMODULES = {"ops": ["image", "linalg", "math", "nn", "numpy"]}

# Names a namespace module holds only because its implementation imports them
# (not part of the API the namespace offers).
IMPLEMENTATION_IMPORTS = {
    "losses": {"convert_to_tensor", "serialize_object_or_function"},
    "metrics": {"serialize_object_or_function"},
    "optimizers": {"object_envelope"},
    "optimizers.schedules": {"object_envelope"},
    "ops": {"KerasTensor", "Variable", "op"},
    "initializers": {"serialize_object"},
    "regularizers": {"serialize_object"},
    "constraints": {"serialize_object"},
    "random": {"Variable", "op"},
}


def _exports(ns):
    """[(qualified name, object)] of the public classes/functions of `ns`."""
    modules = [("", importlib.import_module("torkeras." + ns))]
    for sub in SUBMODULES.get(ns, []):
        modules.append((sub + ".", importlib.import_module(f"torkeras.{ns}.{sub}")))
    skip = IMPLEMENTATION_IMPORTS.get(ns, set())
    out = []
    for prefix, module in modules:
        names = getattr(module, "__all__", None) or dir(module)
        for name in sorted(names):
            if name.startswith("_") or name in skip:
                continue
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            if not (getattr(obj, "__module__", None) or "").startswith("torkeras"):
                continue
            out.append((prefix + name, obj))
    return out


def _owners():
    """{id(object): namespace} deciding where each object is checked."""
    exported = {ns: _exports(ns) for ns in NAMESPACES}
    where = {}
    for ns in NAMESPACES:
        for _, obj in exported[ns]:
            if ns not in where.setdefault(id(obj), []):
                where[id(obj)].append(ns)
    owner = {}
    for ns in NAMESPACES:
        for _, obj in exported[ns]:
            if id(obj) in owner:
                continue
            namespaces = where[id(obj)]
            defining = [n for n in namespaces
                        if (obj.__module__ + ".").startswith("torkeras." + n + ".")]
            # the most specific defining package wins, else the first exporter
            owner[id(obj)] = max(defining, key=len) if defining else namespaces[0]
    return exported, owner


def _is_layer_class(obj):
    from torkeras.layers import Layer
    return inspect.isclass(obj) and issubclass(obj, Layer)


def problems(name, obj):
    """The ways the docstring of `obj` falls short, as messages."""
    doc = docstrings.own_doc(obj)
    if not doc or not doc.strip():
        return [f"{name}: no docstring"]
    try:
        parsed = docstrings.parse(doc)
    except ValueError as e:
        return [f"{name}: docstring does not parse: {e}"]
    out = []
    if not parsed["summary"]:
        out.append(f"{name}: no summary line")
    params, var_kw = docstrings.parameters(obj)
    args = parsed["args"]
    for p in params:
        if p not in args:
            out.append(f"{name}: argument `{p}` not documented in Args:")
        elif not args[p].strip():
            out.append(f"{name}: argument `{p}` has an empty description")
    if var_kw and _is_layer_class(obj) and "kwargs" not in args:
        out.append(f"{name}: `**kwargs` (base layer arguments such as `name` and `dtype`) "
                   "not documented in Args:")
    if not var_kw:
        allowed = set(params) | docstrings.variadic(obj)
        for a in args:
            if a not in allowed:
                out.append(f"{name}: Args: documents `{a}`, which is not a parameter")
    return out


_EXPORTED, _OWNER = _owners()


@pytest.mark.parametrize("ns", NAMESPACES)
def test_docstrings(ns):
    checked = set()
    failures = []
    count = 0
    for name, obj in _EXPORTED[ns]:
        if _OWNER[id(obj)] != ns or id(obj) in checked:
            continue
        checked.add(id(obj))
        count += 1
        failures.extend(problems(f"{ns}.{name}", obj))
    assert count > 0, f"torkeras.{ns} exports no documented objects?"
    assert not failures, (f"{len(failures)} docstring problems in torkeras.{ns} "
                          f"({count} objects checked):\n" + "\n".join(failures))


# -- the parser itself --------------------------------------------------------

def test_parser_reads_every_section():
    doc = """Adds two things.

    Longer description that
    spans lines.

    Note: an unknown header stays in the description.

    Args:
        x: The first
            thing, continued.
        y (int): The second.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        The sum, with broadcasting.

    Raises:
        ValueError: when the shapes differ.

    Example:

    >>> add(1, 2)
    3
    """
    p = docstrings.parse(doc)
    assert p["summary"] == "Adds two things."
    assert p["description"] == ("Longer description that\nspans lines.\n\n"
                                "Note: an unknown header stays in the description.")
    assert p["args"] == {"x": "The first thing, continued.", "y": "The second.",
                         "kwargs": "Base layer keyword arguments, such as `name` and `dtype`."}
    assert list(p["args"]) == ["x", "y", "kwargs"]
    assert p["returns"] == "The sum, with broadcasting."
    assert p["raises"] == "ValueError: when the shapes differ."
    assert p["examples"] == ">>> add(1, 2)\n3"


def test_parser_wrapped_summary_and_missing_parts():
    p = docstrings.parse("First line\ncontinues here.")
    assert p["summary"] == "First line continues here."
    assert p["args"] == {} and p["returns"] == "" and p["examples"] == ""
    assert docstrings.parse(None)["summary"] == ""


def test_parser_rejects_malformed_args():
    with pytest.raises(ValueError, match="not `name: text`"):
        docstrings.parse("S.\n\nArgs:\n    x - the input\n")
    with pytest.raises(ValueError, match="appears twice"):
        docstrings.parse("S.\n\nArgs:\n    x: a.\n    x: b.\n")


def test_checker_finds_missing_and_stale_entries():
    def f(a, b=1, *args):
        """Does f.

        Args:
            a: The a.
            c: Not a parameter.
        """
    msgs = problems("f", f)
    assert "f: argument `b` not documented in Args:" in msgs
    assert "f: Args: documents `c`, which is not a parameter" in msgs
    assert len(msgs) == 2

    class Base:
        """Base.

        Args:
            a: The a.
        """

        def __init__(self, a):
            pass

    class Child(Base):
        pass

    # a class's inherited __doc__ does not count
    assert problems("Child", Child) == ["Child: no docstring"]
    assert problems("Base", Base) == []


# -- the examples are true ------------------------------------------------------
# The `>>>` examples of these namespaces print the real results; they run as
# doctests (with `keras` = torkeras and `np` = numpy), so an example whose
# output stops matching the code fails here.
EXAMPLE_NAMESPACES = ["ops", "activations", "random", "config"]


@pytest.mark.parametrize("ns", EXAMPLE_NAMESPACES)
def test_docstring_examples_run(ns):
    import doctest

    import numpy as np

    import torkeras
    from torkeras import config

    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    # The config examples change global settings and seed the generators; put
    # everything back so that later tests see the session as it was.
    import random as py_random

    import torch
    saved = (config.floatx(), config.epsilon(), config.image_data_format(),
             config.dtype_policy(), config.is_flash_attention_enabled(),
             config.is_interactive_logging_enabled(), config.is_traceback_filtering_enabled(),
             config.max_epochs(), config.max_steps_per_epoch(), config.max_decompressed_bytes())
    rng_states = (py_random.getstate(), np.random.get_state(), torch.random.get_rng_state())
    checked = set()
    ran = 0
    report = []
    try:
        for name, obj in _EXPORTED[ns]:
            if _OWNER[id(obj)] != ns or id(obj) in checked:
                continue
            checked.add(id(obj))
            examples = docstrings.parse(docstrings.own_doc(obj))["examples"]
            if ">>>" not in examples:
                continue
            test = parser.get_doctest(examples, {"keras": torkeras, "np": np},
                                      f"{ns}.{name}", None, 0)
            runner.run(test, out=report.append)
            ran += 1
    finally:
        config.set_floatx(saved[0])
        config.set_epsilon(saved[1])
        config.set_image_data_format(saved[2])
        config.set_dtype_policy(saved[3])
        if saved[4] is False:
            config.disable_flash_attention()
        else:
            config.enable_flash_attention()
        (config.enable_interactive_logging if saved[5] else config.disable_interactive_logging)()
        (config.enable_traceback_filtering if saved[6] else config.disable_traceback_filtering)()
        config.set_max_epochs(saved[7])
        config.set_max_steps_per_epoch(saved[8])
        config.set_max_decompressed_bytes(saved[9])
        py_random.setstate(rng_states[0])
        np.random.set_state(rng_states[1])
        torch.random.set_rng_state(rng_states[2])
    results = runner.summarize(verbose=False)
    assert ran > 0
    assert results.failed == 0, (
        f"{results.failed} of {results.attempted} docstring example lines in torkeras.{ns} "
        "do not print what the docstring says:\n" + "".join(report)[:20000])
