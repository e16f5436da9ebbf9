#!/usr/bin/env bash
# Runs every test suite, even after a failure, then prints a summary and
# exits non-zero if anything failed:
#   ruff (the lint rules of pyproject.toml), pytest (tests/python), testthat
#   (tests/testthat, against the installed R package), every vignettes/*.Rmd
#   knitted as a documentation test, and R CMD check of the package built as
#   a clean checkout would build it (scripts/check.sh: 0 errors, warnings and
#   notes; the examples run there, the tests and vignettes only here).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export RETICULATE_PYTHON=${RETICULATE_PYTHON:-$ROOT/.venv/bin/python}
export NOT_CRAN=true
# The Keras comparison tests must run here, not be skipped (tests/python/keras_reference.py).
export TORKERAS_REQUIRE_KERAS_REFERENCE=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=()
summary=()

echo "==> ruff"
if .venv/bin/ruff check . 2>&1 | tee "$tmp/ruff.log"; then
  summary+=("ruff: $(tail -n 1 "$tmp/ruff.log")")
else
  summary+=("ruff: $(grep -E '^Found [0-9]+ error' "$tmp/ruff.log" | tail -n 1)")
  failed+=("ruff")
fi

echo "==> pytest"
.venv/bin/python -m pytest tests/python -q 2>&1 | tee "$tmp/pytest.log"
status=${PIPESTATUS[0]}
summary+=("pytest: $(grep -E '(passed|failed|error|no tests ran)' "$tmp/pytest.log" | tail -n 1)")
((status == 0)) || failed+=("pytest (exit $status)")

echo "==> testthat"
Rscript -e 'testthat::test_dir("tests/testthat", package = "torkeras",
                               load_package = "installed",
                               stop_on_failure = TRUE)' 2>&1 | tee "$tmp/testthat.log"
status=${PIPESTATUS[0]}
summary+=("testthat: $(grep -E '^\[ FAIL' "$tmp/testthat.log" | tail -n 1)")
((status == 0)) || failed+=("testthat (exit $status)")

for rmd in vignettes/*.Rmd; do
  [[ -e $rmd ]] || continue
  echo "==> knit $rmd"
  out=$tmp/$(basename "$rmd" .Rmd)
  mkdir -p "$out"
  if Rscript -e 'args <- commandArgs(TRUE)
                 rmarkdown::render(args[1], output_dir = args[2],
                                   intermediates_dir = args[2],
                                   envir = new.env(), quiet = TRUE)' \
       "$rmd" "$out"; then
    summary+=("vignette $rmd: ok")
  else
    summary+=("vignette $rmd: FAILED")
    failed+=("$rmd")
  fi
done

echo "==> R CMD check"
if scripts/check.sh 2>&1 | tee "$tmp/check.log"; then :; else failed+=("R CMD check"); fi
summary+=("$(grep -E '^R CMD check:' "$tmp/check.log" | tail -n 1)")
[[ -n ${summary[-1]} ]] || summary[-1]="R CMD check: did not finish (see above)"

echo
echo "==> summary"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all tests passed"
