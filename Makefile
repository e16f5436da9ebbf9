# The two commands of the README:
#   make demo   install what is needed, then run inst/examples/demo.R
#   make test   install what is needed, then run pytest, testthat and the vignettes
# Installation (scripts/setup.sh) is idempotent and skips what is up to date.

PYTHON := $(CURDIR)/.venv/bin/python

.PHONY: setup demo test bench

setup:
	@scripts/setup.sh

demo: setup
	RETICULATE_PYTHON=$(PYTHON) Rscript inst/examples/demo.R

test: setup
	@RETICULATE_PYTHON=$(PYTHON) scripts/test.sh

bench: setup
	$(PYTHON) bench/fit_overhead.py
	$(PYTHON) bench/custom_training.py
	RETICULATE_PYTHON=$(PYTHON) Rscript bench/fit_overhead.R
	RETICULATE_PYTHON=$(PYTHON) Rscript bench/custom_training.R
