"""Issue 9 (reliability): the documented table of bad inputs and faults.

The cases themselves live in the `test_reliability_*.py` files next to this
one (one per area: saving, compile, data, callbacks) and in
tests/testthat/test-reliability*.R; each looks its message up in
docs/reliability.md. This file checks the table itself: it parses, and every
row is used by some test, so no documented message goes unchecked.
"""

import pathlib

import reliability_table

TESTS = pathlib.Path(__file__).resolve().parents[1]


def _test_sources():
    files = list((TESTS / "python").glob("test_reliability*.py"))
    files += list((TESTS / "testthat").glob("test-reliability*.R"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_table_parses_with_messages():
    rows = reliability_table.rows()
    assert rows, "docs/reliability.md has no rows"
    for case_id, (given, message) in rows.items():
        assert given and message, f"row {case_id!r} lacks an input or a message"


def test_every_documented_row_is_tested():
    sources = _test_sources()
    unused = [case_id for case_id in reliability_table.rows()
              if f'"{case_id}"' not in sources]
    assert not unused, f"rows of docs/reliability.md no test checks: {unused}"
