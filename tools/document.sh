#!/bin/sh
# Writes everything generated in the R package, in order:
#   1. R/generated-*.R from the Python signatures and docstrings
#      (tools/generate_r_wrappers.py),
#   2. man/*.Rd and NAMESPACE from the roxygen blocks of R/*.R (roxygen2),
#   3. tools/roxygen.sha256, which lets `generate_r_wrappers.py --check` (and
#      so `make test`) tell when man/ or NAMESPACE are stale.
# Run from anywhere; takes a few minutes (roxygen2 renders ~800 pages).
set -e
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" tools/generate_r_wrappers.py
RETICULATE_PYTHON=${RETICULATE_PYTHON:-$PWD/.venv/bin/python} \
  Rscript -e 'roxygen2::roxygenise(roclets = c("collate", "namespace", "rd"))'
"$PY" tools/generate_r_wrappers.py --stamp
