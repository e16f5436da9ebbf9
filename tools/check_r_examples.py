"""Runs the R @examples of every generated wrapper in ONE R process.

    mkdir -p /tmp/lib-me && R CMD INSTALL --no-multiarch --library=/tmp/lib-me .
    R_LIBS=/tmp/lib-me RETICULATE_PYTHON=$PWD/.venv/bin/python \
        .venv/bin/python tools/check_r_examples.py [--only op_sum,layer_dense] [--show]
    ... tools/check_r_examples.py --man man   # the examples of every man/*.Rd page

The names are read from R/generated-*.R (every top-level `name <- function`),
the examples from tools/r_examples.py (example_for). Each example is run as R CMD
check runs it: its top-level values are printed, in a fresh environment whose
parent is the global one, after library(torkeras). With --man DIR the examples
are instead those of the Rd pages in DIR (tools::Rd2ex, as R CMD check extracts
them), hand-written pages included, so the generated help pages are checked as
they will be run. A name without an example,
an example that signals an error or an R warning, or one that takes longer than
--slow seconds (default 2) is reported, and the exit status is 1; examples over
1 second are listed as notes (some ops pay a one-time cost on first use, e.g.
op_jvp imports torch.func).
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import r_examples  # noqa: E402

_DEF = re.compile(r"^([A-Za-z.][A-Za-z0-9_.]*) <- function\(", re.M)


def generated_names():
    """[(r_name, family)] for every function defined in R/generated-*.R."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "R", "generated-*.R"))):
        family = os.path.basename(path)[len("generated-"):-len(".R")]
        with open(path, encoding="utf-8") as f:
            for name in _DEF.findall(f.read()):
                out.append((name, family))
    return out


def r_char(names):
    return "c(" + ", ".join(r_string(n) for n in sorted(names)) + ")"


def r_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# The examples of every Rd page in a directory, as R CMD check extracts them.
R_FROM_MAN = r"""
.examples <- list()
for (.rd in sort(list.files(%s, pattern = "[.]Rd$", full.names = TRUE))) {
  .out <- tempfile()
  tools::Rd2ex(.rd, .out)
  if (file.exists(.out)) {
    .lines <- readLines(.out, encoding = "UTF-8")
    .examples[[sub("[.]Rd$", "", basename(.rd))]] <- paste(.lines, collapse = "\n")
  }
}
"""

R_DRIVER = r"""
suppressPackageStartupMessages(library(torkeras))
# Warm up (Python, torch and the first layer call) so that the first example's
# time is its own.
invisible(layer_dense(units = 1)(op_ones(c(1, 1))))
%s
.results <- file(%s, open = "w")
for (.name in names(.examples)) {
  .env <- new.env(parent = globalenv())
  .warnings <- character()
  .t0 <- proc.time()[["elapsed"]]
  .out <- character()
  .err <- tryCatch({
    .out <- utils::capture.output(withCallingHandlers(
      source(exprs = parse(text = .examples[[.name]], keep.source = FALSE),
             local = .env, echo = FALSE, print.eval = TRUE),
      warning = function(w) {
        .warnings <<- c(.warnings, conditionMessage(w))
        invokeRestart("muffleWarning")
      }))
    ""
  }, error = function(e) paste(conditionMessage(e), collapse = " "))
  .secs <- proc.time()[["elapsed"]] - .t0
  .status <- if (nzchar(.err)) "ERROR" else if (length(.warnings)) "WARNING" else "OK"
  .msg <- if (nzchar(.err)) .err else paste(.warnings, collapse = " | ")
  writeLines(paste(.name, .status, sprintf("%%.3f", .secs),
                   gsub("[\t\n]", " ", .msg), sep = "\t"), .results)
  if (%s) {
    cat("==== ", .name, " (", .status, ")\n", sep = "")
    cat(.examples[[.name]], "\n---\n", sep = "")
    cat(.out, sep = "\n")
  }
  flush(.results)
}
close(.results)
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated R names to run (default: all)")
    ap.add_argument("--show", action="store_true", help="print each example and its output")
    ap.add_argument("--slow", type=float, default=2.0,
                    help="report examples that take longer than this many seconds")
    ap.add_argument("--man", metavar="DIR",
                    help="run the \\examples of the Rd pages in DIR instead of the table")
    ap.add_argument("--rscript", default="Rscript")
    args = ap.parse_args(argv)

    names = generated_names()
    wanted = set()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {n for n, _ in names}
        if unknown and not args.man:
            ap.error("--only: not a generated wrapper: " + ", ".join(sorted(unknown)))
        names = [(n, f) for n, f in names if n in wanted]

    missing, examples = [], {}
    for name, family in ([] if args.man else names):
        if name in r_examples.INTERNAL:
            continue
        code = r_examples.example_for(name, family)
        if code is None:
            missing.append(name)
        else:
            examples[name] = code

    with tempfile.TemporaryDirectory() as tmp:
        results_path = os.path.join(tmp, "results.tsv")
        if args.man:
            source = R_FROM_MAN % r_string(os.path.abspath(args.man))
            if args.only:
                source += f".examples <- .examples[intersect(names(.examples), {r_char(wanted)})]\n"
        else:
            source = ".examples <- list(" + ",\n".join(
                f"`{n}` = {r_string(c)}" for n, c in examples.items()) + ")"
        script = R_DRIVER % (
            source,
            r_string(results_path), "TRUE" if args.show else "FALSE")
        script_path = os.path.join(tmp, "examples.R")
        with open(script_path, "w", encoding="utf-8") as f:
            f.write(script)
        proc = subprocess.run([args.rscript, "--vanilla", script_path], cwd=tmp)
        rows = []
        if os.path.exists(results_path):
            with open(results_path, encoding="utf-8") as f:
                rows = [line.rstrip("\n").split("\t", 3) for line in f if line.strip()]

    ran = {r[0] for r in rows}
    failures = [r for r in rows if r[1] != "OK"]
    slow = [r for r in rows if r[1] == "OK" and float(r[2]) > args.slow]
    not_run = [n for n in examples if n not in ran]
    if args.man and not rows:
        not_run = ["(the Rd examples)"]
    total = sum(float(r[2]) for r in rows)

    for name in missing:
        print(f"NO EXAMPLE  {name}")
    for name, status, secs, msg in failures:
        print(f"{status:<11} {name} ({secs}s): {msg}")
    for name, _, secs, _ in slow:
        print(f"SLOW        {name}: {secs}s (limit {args.slow}s)")
    for name, status, secs, _ in rows:
        if status == "OK" and 1.0 < float(secs) <= args.slow:
            print(f"NOTE        {name} takes {secs}s")
    for name in not_run:
        print(f"NOT RUN     {name} (the R process stopped: exit status {proc.returncode})")
    print(f"{len(rows)} examples run in {total:.1f}s: {len(rows) - len(failures)} ok, "
          f"{len(failures)} failed, {len(slow)} slow; {len(missing)} names without an example")
    return 1 if (missing or failures or slow or not_run or proc.returncode) else 0


if __name__ == "__main__":
    sys.exit(main())
