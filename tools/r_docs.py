"""Roxygen help pages for the generated R wrappers, from the Python docstrings.

tools/generate_r_wrappers.py calls `roxygen_block()` for every wrapper it
writes; roxygen2 then turns the blocks into man/*.Rd (see tools/document.sh).

The docstrings are Google style (Keras's): a summary line, a blank line, a
description, then sections such as `Args:` (`name: text` entries, continued on
more-indented lines), `Returns:`, `Call arguments:`, `Example:`. The summary
becomes the title, the description the description, `Args:` the `@param`
entries; `Example(s):` (Python code) is not used: R examples come from
tools/r_examples.py. Text is converted to roxygen markdown that is safe in Rd:
backticked code is kept (roxygen escapes it), Rd/markdown specials in prose
are escaped, and the Python literals True/False/None are written as R's
TRUE/FALSE/NULL.
"""

import inspect
import re

# Section headers (a line `Header:` at the docstring's base indent).
SECTIONS = {
    "args": "args", "arguments": "args", "parameters": "args",
    "returns": "returns", "return": "returns", "yields": "returns",
    "raises": "skip", "example": "skip", "examples": "skip",
    "call arguments": "section", "input shape": "section", "output shape": "section",
    "note": "section", "notes": "section", "reference": "section",
    "references": "section", "attributes": "skip",
}

_HEADER = re.compile(r"^([A-Z][A-Za-z ]*):\s*$")
_ARG = re.compile(r"^(\*{0,2}[A-Za-z_][A-Za-z0-9_]*)\s*(\([^)]*\))?\s*:\s*(.*)$")


class Doc:
    def __init__(self):
        self.summary = ""
        self.description = []   # paragraphs (each one string)
        self.args = {}          # python argument name -> text
        self.returns = ""
        self.sections = []      # (title, [paragraphs])


def own_doc(obj):
    """The object's own docstring (not one inherited from a base class)."""
    if inspect.isclass(obj):
        doc = obj.__dict__.get("__doc__")
    else:
        doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else ""


def _paragraphs(lines):
    paras, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paras.append(" ".join(current))
            current = []
    if current:
        paras.append(" ".join(current))
    return paras


def parse_docstring(text):
    """A Doc. Arguments and returns are read by tools/docstrings.py (the parser
    the docstring tests use); description sections (`Call arguments:`, `Input
    shape:`, ...) by this module."""
    doc = _parse_own(text)
    if not text:
        return doc
    try:
        import docstrings
        parsed = docstrings.parse(text)
    except (ImportError, ValueError):
        return doc
    starred = {k: v for k, v in doc.args.items() if k.startswith("*")}
    doc.args = dict(parsed["args"])
    doc.args.update(starred)
    if parsed["returns"]:
        doc.returns = "\n\n".join(" ".join(p.split())
                                  for p in parsed["returns"].split("\n\n") if p.strip())
    return doc


def _parse_own(text):
    doc = Doc()
    if not text:
        return doc
    lines = text.splitlines()
    # summary: the first paragraph
    i = 0
    summary = []
    while i < len(lines) and lines[i].strip():
        if _HEADER.match(lines[i]) and lines[i].split(":")[0].lower() in SECTIONS:
            break
        summary.append(lines[i].strip())
        i += 1
    doc.summary = " ".join(summary)
    # body: description until the first section, then sections
    kind, title, body = "description", None, []

    def flush():
        if kind == "description":
            doc.description.extend(_paragraphs(body))
        elif kind == "args":
            doc.args.update(_parse_args(body))
        elif kind == "returns":
            doc.returns = " ".join(_paragraphs(_dedent(body)))
        elif kind == "section":
            paras = _paragraphs(_dedent(body))
            if paras:
                doc.sections.append((title, paras))

    for line in lines[i:]:
        m = _HEADER.match(line)
        if m and m.group(1).lower() in SECTIONS:
            flush()
            kind, title, body = SECTIONS[m.group(1).lower()], m.group(1), []
            continue
        body.append(line)
    flush()
    return doc


def _dedent(lines):
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return [line[cut:] for line in lines]


def _parse_args(lines):
    lines = _dedent(lines)
    args, name, text = {}, None, []
    for line in lines:
        m = _ARG.match(line) if line[:1].strip() else None
        if m:
            if name:
                args[name] = " ".join(text)
            name, text = m.group(1), [m.group(3).strip()]
        elif name and line.strip():
            text.append(line.strip())
    if name:
        args[name] = " ".join(text)
    return {k: v.strip() for k, v in args.items()}


# --------------------------------------------------------------------------
# Text -> roxygen markdown that is valid Rd
# --------------------------------------------------------------------------

_LITERALS = [(re.compile(r"\bTrue\b"), "TRUE"), (re.compile(r"\bFalse\b"), "FALSE"),
             (re.compile(r"\bNone\b(?! of\b)"), "NULL")]
_PROSE_ESCAPES = str.maketrans({"\\": "\\\\", "{": "\\{", "}": "\\}", "[": "\\[",
                                "]": "\\]", "*": "&#42;", "<": "&lt;", ">": "&gt;",
                                "@": "@@"})


def r_literals(text):
    for pattern, repl in _LITERALS:
        text = pattern.sub(repl, text)
    return text


def rd_text(text):
    """Docstring prose -> roxygen markdown: one line per paragraph, paragraphs
    separated by an empty line."""
    paras = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(_rd_paragraph(" ".join(p.split())) for p in paras)


def _rd_paragraph(text):
    text = r_literals(text.strip())
    parts = re.split(r"(`+[^`]*`+)", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 1:  # a code span: roxygen escapes it; `@` is still a tag start
            out.append(_code_span(part))
        else:
            out.append(part.translate(_PROSE_ESCAPES))
    line = "".join(out)
    # a line start that markdown would read as a heading or a list
    if re.match(r"^(#|[-+] |\d+[.)] )", line):
        line = "\\" + line if line[0] in "#-+" else line.replace(".", "\\.", 1)
    return line


def _code_span(span):
    code = span.strip("`")
    if re.match(r"^\s*r ", code):
        # roxygen would run `r ...` as inline R code: write the Rd macro instead
        code = code.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "\\verb{" + code.strip() + "}"
    return span.replace("@", "@@")


def rd_title(text):
    title = rd_text(text)
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


# --------------------------------------------------------------------------
# Per-argument notes from the conversion rules
# --------------------------------------------------------------------------

RULE_NOTES = {
    "as_integer": "Whole numbers are passed as integers (a fractional number is an error).",
    "as_integer_tuple": "Whole numbers: one number, or a vector of them "
                        "(passed as a tuple).",
    "as_axis": "Axes are 1-based in R (`1` is the first axis, negative values count "
               "from the end; `0` is an error).",
    "as_shape_arg": "A shape: a vector of whole numbers, with `NA` (or `NULL` in a "
                    "list) for an unknown dimension.",
    "as_reshape_dims": "The target dimensions; `NA` (or `-1`) for the one that is "
                       "inferred.",
    "as_py_index": "Index values are 1-based in R.",
    "as_activation": "The name of an activation (`\"relu\"`), an `activation_*()` "
                     "function, or an R function of one tensor.",
    "index_rule(zero_indexed)": "Index values are 1-based in R "
                                "(0-based with `zero_indexed = TRUE`).",
}


def r_default(formal):
    """`name = value` formal -> its R default source, or None."""
    if " = " in formal:
        return formal.split(" = ", 1)[1]
    return None


def param_text(py_name, doc_text, rule, default_src, py_ref):
    """The @param text for one R formal that is a Python argument."""
    pieces = []
    if doc_text:
        pieces.append(rd_text(doc_text))
    else:
        what = f"Passed to `{py_ref}` as `{py_name}`"
        if default_src is not None:
            what += f" (default in R: `{default_src}`)" if default_src != "NULL" else \
                " (`NULL`: the Python default)"
        elif py_name != "...":
            what += " (required)"
        pieces.append(rd_text(what + "."))
    note = RULE_NOTES.get(rule or "")
    if note:
        pieces.append(note)
    text = " ".join(pieces)
    return text if text.endswith((".", ")")) else text + "."


def roxygen_lines(tag, text):
    """`#' @tag text` lines (text may hold several lines)."""
    lines = text.splitlines() or [""]
    head = f"#' @{tag} {lines[0]}" if tag else f"#' {lines[0]}"
    return [head.rstrip()] + [f"#' {line}".rstrip() for line in lines[1:]]


def roxygen_block(*, title, description, params, returns, family, examples=None,
                  sections=(), rdname=None):
    """The roxygen comment block (a string ending with a newline).

    params: [(r formal name, text)]; sections: [(title, [paragraph])].
    """
    out = [f"#' {title}", "#'"]
    for i, para in enumerate(description):
        if i:
            out.append("#'")
        out.append(f"#' {para}")
    for sec_title, paras in sections:
        out += ["#'", f"#' @section {rd_text(sec_title)}:"]
        for i, para in enumerate(paras):
            if i:
                out.append("#'")
            out.append(f"#' {rd_text(para)}")
    out.append("#'")
    for name, text in params:
        out += roxygen_lines("param", f"{name} {text}")
    out += roxygen_lines("returns", returns)
    if family:
        out.append(f"#' @family {family}")
    if rdname:
        out.append(f"#' @rdname {rdname}")
    out.append("#' @export")
    if examples:
        out.append("#' @examples")
        out += [f"#' {line}".rstrip() for line in examples.rstrip("\n").splitlines()]
    return "\n".join(out) + "\n"
