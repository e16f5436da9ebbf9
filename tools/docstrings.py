"""One parser for torkeras's Google-style docstrings.

Used by tests/python/test_docstrings.py (every public API is documented) and by
the R help-page generator (the roxygen `@param`, `@returns` and `@examples` of
a wrapper come from the Python docstring), so both read docstrings the same way.

The format::

    Summary line (the first paragraph; may wrap onto further lines).

    Optional description paragraphs.

    Args:
        name: Text, which may continue on lines
            indented further than the name.
        other_name: Text.
        **kwargs: Base layer keyword arguments, such as `name` and `dtype`.

    Returns:
        Text.

    Raises:
        ValueError: when ...

    Example:

    >>> x = keras.ops.ones((2, 3))

A section header is one of the names in `SECTIONS` followed by a colon, alone
on its line. Any other line (including unknown headers such as `Note:`) is
part of the description. `parse(doc)` returns a dict with the keys
`summary`, `description`, `args` ({name: text}, in order, with `*`/`**`
stripped from the names), `returns`, `raises` and `examples`; absent parts
are "" (or {} for args).
"""

import inspect
import re

# header -> key of the result
SECTIONS = {
    "Args": "args",
    "Arguments": "args",
    "Returns": "returns",
    "Return": "returns",
    "Raises": "raises",
    "Example": "examples",
    "Examples": "examples",
}

_HEADER = re.compile(r"^(%s):\s*$" % "|".join(SECTIONS))
_ENTRY = re.compile(r"^(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)(?:\s*\([^)]*\))?:(?:\s+(.*))?$")


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _join(lines):
    """Dedented text of `lines`, trimmed of blank lines at both ends."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return ""
    margin = min(_indent(l) for l in lines if l.strip())
    return "\n".join(l[margin:] if l.strip() else "" for l in lines)


def _collapse(text):
    """Paragraph text on one line (single spaces)."""
    return " ".join(text.split())


def parse_args(lines):
    """{name: text} from the body lines of an `Args:` section.

    An entry is `name: text` at the indentation of the first entry; lines
    indented further continue it (joined with single spaces, except that a
    blank line keeps a paragraph break). Raises ValueError on a line at the
    entry indentation that is not `name: text`.
    """
    body = [l for l in lines]
    firsts = [l for l in body if l.strip()]
    if not firsts:
        return {}
    base = _indent(firsts[0])
    args = {}
    current = None
    parts = []

    def flush():
        if current is not None:
            paras = "\n".join(parts).split("\n\n")
            args[current] = "\n\n".join(_collapse(p) for p in paras if p.strip())

    for line in body:
        if not line.strip():
            if current is not None:
                parts.append("")
            continue
        ind = _indent(line)
        if ind < base:
            raise ValueError(f"Args entry line indented less than the first entry: {line!r}")
        if ind == base:
            m = _ENTRY.match(line.strip())
            if not m:
                raise ValueError(f"Args line is not `name: text`: {line.strip()!r}")
            flush()
            current = m.group(1).lstrip("*")
            if current in args:
                raise ValueError(f"Args entry {current!r} appears twice")
            parts = [m.group(2) or ""]
        else:
            parts.append(line.strip())
    flush()
    return args


def parse(doc):
    """Splits a docstring into its parts (see the module docstring).

    `doc` may be None or a raw `__doc__` (indentation is cleaned here).
    """
    out = {"summary": "", "description": "", "args": {}, "returns": "", "raises": "",
           "examples": ""}
    if not doc or not doc.strip():
        return out
    lines = inspect.cleandoc(doc).splitlines()

    # The summary is the first paragraph, unless it is a section.
    i = 0
    summary = []
    while i < len(lines) and lines[i].strip() and not _HEADER.match(lines[i].strip()):
        summary.append(lines[i])
        i += 1
    out["summary"] = _collapse(" ".join(summary))

    description = []
    section = None   # key of the current section
    header_indent = 0
    body = {}
    for line in lines[i:]:
        stripped = line.strip()
        m = _HEADER.match(stripped)
        if m and (section is None or _indent(line) <= header_indent):
            section = SECTIONS[m.group(1)]
            header_indent = _indent(line)
            if section in body:
                raise ValueError(f"Section {m.group(1)!r} appears twice")
            body[section] = []
            continue
        if section is not None and stripped and _indent(line) <= header_indent \
                and section != "examples":
            # A non-indented line after an indented section ends it.
            section = None
        if section is None:
            description.append(line)
        else:
            body[section].append(line)

    out["description"] = _join(description)
    if "args" in body:
        out["args"] = parse_args(body["args"])
    for key in ("returns", "raises", "examples"):
        if key in body:
            out[key] = _join(body[key])
    return out


def parameters(obj):
    """The documented-parameter names of a function or class constructor.

    Returns (names, var_keyword): the named parameters in order (without
    `self`, `*args`, `**kwargs`), and whether it takes `**kwargs`.
    """
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return [], False
    names = []
    var_kw = False
    for i, p in enumerate(sig.parameters.values()):
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.kind is p.VAR_KEYWORD:
            var_kw = True
            continue
        if i == 0 and p.name in ("self", "cls") and target is not obj:
            continue
        names.append(p.name)
    return names, var_kw


def variadic(obj):
    """The names of the `*args` and `**kwargs` parameters of a function or class
    constructor (those present), e.g. `{"args", "kwargs"}`."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return set()
    return {p.name for p in sig.parameters.values()
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def own_doc(obj):
    """The docstring an object carries itself (a class's own `__doc__`, not an
    inherited one)."""
    if inspect.isclass(obj):
        return vars(obj).get("__doc__")
    return getattr(obj, "__doc__", None)
