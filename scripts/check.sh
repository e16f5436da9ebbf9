#!/usr/bin/env bash
# `make check`: R CMD build, then R CMD check --no-manual, of the work tree as
# a clean checkout of it would be (the files git tracks plus new files git does
# not ignore, with their current contents; never .venv, .stamps, ...).
# Fails unless the check ends with 0 errors, 0 warnings and 0 notes.
#
#   scripts/check.sh            the check `make test` runs: examples run, but
#                               not tests/testthat nor the vignettes, which
#                               scripts/test.sh runs against the installed
#                               package already (running them twice doubles
#                               the time of `make test` and finds nothing new);
#   scripts/check.sh --full     the release check (docs/release.md): the
#                               vignettes are built into the tarball, and
#                               check runs the tests and the vignettes too.
#
# Output: .cache/check/ (--full: .cache/release-check/; or $CHECK_DIR): the
# tarball and torkeras.Rcheck/00check.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
full=0
case "${1:-}" in
  "") ;;
  --full) full=1 ;;
  *) echo "usage: scripts/check.sh [--full]" >&2; exit 2 ;;
esac

# Examples (and with --full the tests and vignettes) run torkeras' Python.
export RETICULATE_PYTHON=${RETICULATE_PYTHON:-$ROOT/.venv/bin/python}
# Every package in Suggests must be installed: a missing one is an error,
# not a skipped test.
export _R_CHECK_FORCE_SUGGESTS_=true
out=${CHECK_DIR:-$ROOT/.cache/$([[ $full == 1 ]] && echo release-check || echo check)}
rm -rf "$out"
mkdir -p "$out/src/torkeras"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
  xargs -0 cp --parents -t "$out/src/torkeras"

cd "$out"
build_opts=(--no-build-vignettes)
check_opts=(--no-manual --no-tests --ignore-vignettes)
if ((full)); then
  build_opts=()
  check_opts=(--no-manual)
  # tests/testthat.R runs the tests only where the Python environment is
  # known to be there, which NOT_CRAN=true says (as in `make test`).
  export NOT_CRAN=true
  # Some tests read files of the repository that the tarball does not carry
  # (docs/reliability.md); they look under TORKERAS_SOURCE_ROOT.
  export TORKERAS_SOURCE_ROOT=$ROOT
fi
echo "==> R CMD build ${build_opts[*]}"
R CMD build "${build_opts[@]}" src/torkeras
tarball=$(ls torkeras_*.tar.gz)
echo "==> R CMD check ${check_opts[*]} $tarball"
R CMD check "${check_opts[@]}" "$tarball" || true
log=$out/torkeras.Rcheck/00check.log
status=$(grep -E '^Status:' "$log" | tail -n 1 || true)
echo "R CMD check: ${status:-no status (see $log)}"
[[ $status == "Status: OK" ]]
