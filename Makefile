# The two commands of the README:
#   make demo   install what is needed, then run inst/examples/demo.R
#   make test   install what is needed, then run ruff, pytest, testthat, the
#               vignettes and R CMD check
# and the parts of `make test` on their own (docs/release.md):
#   make lint            ruff check (configuration in pyproject.toml)
#   make check           R CMD build + R CMD check --no-manual: 0 errors,
#                        warnings and notes (scripts/check.sh)
#   make release-check   the same with the vignettes built and the tests run
#                        inside R CMD check: the release tarball
#   make document        regenerate R/generated-*.R, then man/ and NAMESPACE
#                        (roxygen2; tools/document.sh)
# Installation (scripts/setup.sh) is idempotent and skips what is up to date.

PYTHON := $(CURDIR)/.venv/bin/python

.PHONY: setup demo test bench lint check release-check document

setup:
	@scripts/setup.sh

demo: setup
	RETICULATE_PYTHON=$(PYTHON) Rscript inst/examples/demo.R

test: setup
	@RETICULATE_PYTHON=$(PYTHON) scripts/test.sh

lint: setup
	$(CURDIR)/.venv/bin/ruff check .

check: setup
	@RETICULATE_PYTHON=$(PYTHON) scripts/check.sh

release-check: setup
	@RETICULATE_PYTHON=$(PYTHON) scripts/check.sh --full

document: setup
	@RETICULATE_PYTHON=$(PYTHON) PYTHON=$(PYTHON) tools/document.sh

bench: setup
	$(PYTHON) bench/fit_overhead.py
	$(PYTHON) bench/custom_training.py
	RETICULATE_PYTHON=$(PYTHON) Rscript bench/fit_overhead.R
	RETICULATE_PYTHON=$(PYTHON) Rscript bench/custom_training.R
