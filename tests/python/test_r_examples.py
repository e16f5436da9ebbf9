"""The R help pages' examples (tools/r_examples.py): every generated wrapper has
one, and each is valid R. Running them is tools/check_r_examples.py's job (it
needs the installed R package); this test only needs Rscript to parse."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import check_r_examples  # noqa: E402
import r_examples  # noqa: E402


def test_every_generated_wrapper_has_an_example():
    names = check_r_examples.generated_names()
    assert len(names) > 500, "R/generated-*.R not found or nearly empty"
    missing = [n for n, fam in names
               if n not in r_examples.INTERNAL and r_examples.example_for(n, fam) is None]
    assert not missing, ("generated R wrappers without an example; add them to "
                         f"tools/r_examples.py: {missing}")


def test_examples_call_their_own_function():
    # An example shows its function: the name appears as a call or as an argument
    # (activation = activation_relu). A copy-paste slip shows up here.
    for name, fam in check_r_examples.generated_names():
        code = r_examples.example_for(name, fam)
        if code is not None:
            assert name + "(" in code or "= " + name in code, (name, code)


def test_internal_helpers_have_no_example():
    for name in r_examples.INTERNAL:
        assert r_examples.example_for(name, "layers") is None


def test_template_fills_in_the_name():
    code = r_examples.example_for("op_sum", "ops")
    assert code.splitlines()[-1] == "op_sum(x, axis = 2)"
    assert "{r}" not in code
    code = r_examples.example_for("activation_gelu", "activations")
    assert "activation_gelu(x)" in code and "activation = activation_gelu" in code
    assert r_examples.example_for("op_not_a_function", "ops") is None


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
def test_every_example_parses_as_r(tmp_path):
    examples = {n: r_examples.example_for(n, f) for n, f in check_r_examples.generated_names()
                if n not in r_examples.INTERNAL}
    script = ("ex <- list(" + ",\n".join(
        f"`{n}` = {check_r_examples.r_string(c)}" for n, c in examples.items() if c) + ")\n"
        "for (n in names(ex)) tryCatch(parse(text = ex[[n]], keep.source = FALSE),\n"
        "  error = function(e) cat('PARSE ERROR', n, conditionMessage(e), '\\n'))\n"
        "cat('parsed', length(ex), '\\n')\n")
    path = tmp_path / "parse_examples.R"
    path.write_text(script, encoding="utf-8")
    out = subprocess.run(["Rscript", "--vanilla", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "PARSE ERROR" not in out.stdout, out.stdout
    assert f"parsed {len(examples)}" in out.stdout
