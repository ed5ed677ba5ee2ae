# Two commands do everything on a fresh machine with Python 3.11:
#   make reports   build every report on the default data
#   make test      run the whole test suite (lint, then every test)
# Both create .venv and install crmlab into it first (pinned by constraints.txt).
# While developing: make quick (the tests that run no notebook and drive no browser), make lint,
# make strip (notebooks without outputs before a commit; or `pre-commit install` once).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: reports test quick venv system-deps lint bench clean-venv strip

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

reports: $(STAMP)
	$(BIN)/crmlab run --all $(ARGS)

test: lint
	$(BIN)/python -m pytest $(ARGS)

quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(ARGS)

# System packages for the browser test, Chinese glyphs in charts and Java for Spark (Debian/Ubuntu; root or sudo).
system-deps:
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk openjdk-17-jre-headless

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/nbstripout --keep-id --verify src/crmlab/notebooks/*.ipynb

# Strip outputs and execution counts from the notebooks (cell ids and tags stay): a JupyterLab save
# with outputs would otherwise commit thousands of lines of images.
strip: $(STAMP)
	$(BIN)/nbstripout --keep-id src/crmlab/notebooks/*.ipynb

# Benchmarks print ratios against the tools a user would otherwise use; they are not tests.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean-venv:
	rm -rf $(VENV)

# First screens of the index and three reader pages (one Chinese) for docs/screenshots/ (after make reports
# and `crmlab run --all --lang zh`; needs Chromium). ARGS: other pages, e.g. ARGS="index.html 30-basket-analysis/latest-en.html".
.PHONY: screenshots
screenshots: $(STAMP)
	$(BIN)/python -m crmlab.reports.screenshot $(ARGS)
