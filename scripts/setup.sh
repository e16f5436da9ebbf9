#!/usr/bin/env bash
# Installs everything `make demo` and `make test` need, idempotently:
#   1. Debian packages (R, the R packages, pandoc, Fashion-MNIST, Python venv
#      support) -- apt is skipped entirely when they are all installed;
#   2. the Python virtualenv .venv with torkeras installed editable plus its
#      [test] and [lint] extras, at the versions of constraints.txt -- pip
#      runs only when pyproject.toml or constraints.txt changed;
#   3. the R package, with `R CMD INSTALL` into the default library -- only
#      when its sources changed;
#   4. .venv-keras: real Keras 3 on the same CPU torch, the reference the
#      Keras comparison tests (tests/python/keras_reference/) compute against.
#      It is a separate virtualenv because Keras 3.15 needs NumPy 2 while
#      reticulate 1.28 needs NumPy 1.x in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STAMPS=$ROOT/.stamps
mkdir -p "$STAMPS"

log() { printf '[setup] %s\n' "$*"; }

# ---- 1. Debian packages ----------------------------------------------------------
APT_PACKAGES=(
  r-base-core r-base-dev
  # DESCRIPTION's Imports, then its Suggests
  r-cran-reticulate r-cran-zeallot r-cran-magrittr r-cran-generics
  r-cran-rlang r-cran-png
  r-cran-testthat r-cran-knitr r-cran-rmarkdown r-cran-withr r-cran-jsonlite
  r-cran-ggplot2 r-cran-fastmap r-cran-r6
  r-cran-roxygen2
  pandoc dataset-fashion-mnist graphviz
  python3 python3-venv python3-dev
  # Inside R, torch's matrix products go through R's BLAS (see
  # python/torkeras/bridge/blas.py); the reference BLAS is 10-30x slower.
  libopenblas0-pthread
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when apt does not know a missing package.
  need_update=0
  for pkg in "${missing[@]}"; do
    candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [[ -z $candidate || $candidate == "(none)" ]]; then need_update=1; break; fi
  done
  if ((need_update)); then
    log "apt-get update"
    "${SUDO[@]}" apt-get update -qq
  fi
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages: all installed"
fi

# ---- 2. Python virtualenv ------------------------------------------------------------
if [[ ! -x .venv/bin/python ]]; then
  log "creating .venv"
  python3 -m venv .venv
fi
py_hash=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [[ $(cat "$STAMPS/venv" 2>/dev/null) != "$py_hash" ]] ||
   ! .venv/bin/python -c "import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ('torkeras', 'pytest', 'ruff')))" >/dev/null 2>&1; then
  log "pip install -e .[test,lint] -c constraints.txt"
  .venv/bin/python -m pip install -q -e ".[test,lint]" -c constraints.txt
  echo "$py_hash" > "$STAMPS/venv"
else
  log "Python venv: up to date"
fi

# ---- 3. R package ------------------------------------------------------------------------
# The installed R package carries a copy of the Python sources (inst/python),
# which install_torkeras() pip-installs for users outside this repository.
# `cleanup` packs them (R CMD build and, through `configure`, R CMD INSTALL
# run it too); run here so that python/torkeras/_version.py follows
# DESCRIPTION before the hash below is taken.
./cleanup

# The hash covers what inst/python is made from, not the archive itself
# (tar records the copies' times, so each archive differs).
r_hash=$(find DESCRIPTION NAMESPACE R inst $([[ -d man ]] && echo man) python/torkeras \
           pyproject.toml constraints.txt README.md LICENSE cleanup -type f \
           ! -path 'inst/python/*' ! -path '*/__pycache__/*' -print0 | sort -z |
         xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [[ $(cat "$STAMPS/r-package" 2>/dev/null) != "$r_hash" ]] ||
   ! Rscript -e 'quit(status = !requireNamespace("torkeras", quietly = TRUE))' >/dev/null 2>&1; then
  log "R CMD INSTALL ."
  R CMD INSTALL --no-multiarch . > "$STAMPS/r-install.log" 2>&1 || {
    cat "$STAMPS/r-install.log" >&2; exit 1; }
  echo "$r_hash" > "$STAMPS/r-package"
else
  log "R package: up to date"
fi

# ---- 4. Keras 3 reference virtualenv ----------------------------------------------------
KERAS_REFERENCE_PINS=(torch==2.13.0 keras==3.15.1)
if [[ ! -x .venv-keras/bin/python ]]; then
  log "creating .venv-keras"
  python3 -m venv .venv-keras
fi
if [[ $(cat "$STAMPS/venv-keras" 2>/dev/null) != "${KERAS_REFERENCE_PINS[*]}" ]] ||
   ! KERAS_BACKEND=torch .venv-keras/bin/python -c "import keras, torch" >/dev/null 2>&1; then
  log "pip install ${KERAS_REFERENCE_PINS[*]} into .venv-keras"
  .venv-keras/bin/python -m pip install -q "${KERAS_REFERENCE_PINS[@]}"
  echo "${KERAS_REFERENCE_PINS[*]}" > "$STAMPS/venv-keras"
else
  log "Keras reference venv: up to date"
fi
