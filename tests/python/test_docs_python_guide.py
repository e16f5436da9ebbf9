"""Runs the Python guides in docs/ as documentation tests.

The ```python blocks of each guide are executed in order, in one namespace,
inside a temporary working directory (the guides write checkpoints and logs to
relative paths). Any exception fails the test; the assertions that check the
results are part of the code blocks themselves.
"""
import os
import re

import pytest

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
GUIDES = ["training_with_built_in_methods.md", "customizing_fit.md",
          "writing_a_training_loop_from_scratch.md"]

_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def python_blocks(text):
    """The code of each ```python block, with the line it starts on."""
    blocks = []
    for match in _BLOCK.finditer(text):
        first_line = text.count("\n", 0, match.start(1)) + 1
        blocks.append((first_line, match.group(1)))
    return blocks


def test_python_blocks_are_found():
    blocks = python_blocks("text\n```python\na = 1\n```\nmore\n```python\nb = 2\n```\n"
                           "```r\nnot_python\n```\n")
    assert [code for _, code in blocks] == ["a = 1\n", "b = 2\n"]
    assert [line for line, _ in blocks] == [3, 7]


# Uses Debian's dataset-fashion-mnist, which `make test` installs.
@pytest.mark.parametrize("guide", GUIDES)
def test_python_guide_runs(guide, tmp_path, monkeypatch):
    doc = os.path.join(DOCS, guide)
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    blocks = python_blocks(text)
    assert len(blocks) >= 5  # a sanity check that the fences were recognised
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__guide__"}
    for first_line, code in blocks:
        # Padding with blank lines makes tracebacks point at the line of the doc.
        source = "\n" * (first_line - 1) + code
        try:
            exec(compile(source, doc, "exec"), namespace)
        except Exception as e:
            raise AssertionError(
                f"the block at docs/{guide}:{first_line} failed: "
                f"{type(e).__name__}: {e}") from e
