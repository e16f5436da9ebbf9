"""Runs docs/transformer_text_classification.md (the Python twin of the
transformer vignette) as a documentation test: its ```python blocks are
executed in order in one namespace; their own assertions check the results."""
import os

from test_docs_python_guide import python_blocks

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs",
                   "transformer_text_classification.md")


def test_transformer_guide_runs(tmp_path, monkeypatch):
    with open(DOC, encoding="utf-8") as f:
        blocks = python_blocks(f.read())
    assert len(blocks) >= 5  # the fences were recognised
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__guide__"}
    for first_line, code in blocks:
        # Blank-line padding makes tracebacks point at the line of the page.
        source = "\n" * (first_line - 1) + code
        try:
            exec(compile(source, DOC, "exec"), namespace)
        except Exception as e:
            raise AssertionError(f"the block at line {first_line} failed: "
                                 f"{type(e).__name__}: {e}") from e
