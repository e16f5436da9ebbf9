"""The table of docs/reliability.md (input -> error message), for the tests.

A row is `| id | input | error |`; a `|` inside a cell is written `\\|`. The
tests look a message up by id and assert that the error raised contains it
word for word, so the documentation cannot drift from what the code says.
"""

import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def rows():
    """{id: (input, message)} for every table row of the document."""
    table = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip().replace("\\|", "|") for c in _CELL_SPLIT.split(line)[1:-1]]
        if len(cells) != 3 or cells[0] == "id":
            continue
        case_id, given, message = cells
        if case_id in table:
            raise ValueError(f"{DOC.name}: the id {case_id!r} appears twice")
        table[case_id] = (given, message)
    return table


def documented_message(case_id):
    """The error message docs/reliability.md documents for `case_id`."""
    table = rows()
    if case_id not in table:
        raise KeyError(f"{DOC.name} has no row {case_id!r}")
    return table[case_id][1]


def documented_pattern(case_id):
    """`documented_message` as a regular expression for `pytest.raises(match=)`."""
    return re.escape(documented_message(case_id))
