# Everything runs inside .venv, which the Makefile creates and fills from the
# pinned requirements on first use. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KB := $(PY) -m scripts.kb
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help serve build validate fmt fmt-check stats linkcheck export contributing lint test test-fast test-overlay bench clean

help:
	@echo "make serve      preview the site at http://127.0.0.1:8000 (rebuilds on edit, shows data problems)"
	@echo "make build      validate the data, then build the site strictly into site/"
	@echo "make validate   check every record, reference, date and quote"
	@echo "make fmt        rewrite the YAML in canonical form (fmt-check: show the diff only)"
	@echo "make linkcheck  check every link and anchor of the built site"
	@echo "make contributing  write CONTRIBUTING.md from docs/contributing.md"
	@echo "make lint       lint and format-check the Python (ruff)"
	@echo "make test       run the whole test suite"
	@echo "make test-overlay  the whole suite on data/ with a fixture source laid over it"
	@echo "make bench N=1000  benchmark the build against plain MkDocs"

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@# The project's modules as bytecode, as pip compiled the packages: with PYTHONDONTWRITEBYTECODE
	@# (above) nothing else writes it, and every build and test run would compile them again.
	$(PY) -m compileall -q macros scripts
	touch $@

# While the data has problems, the preview shows them (file:line, hint) at every address; it goes
# back to the site by itself once they are fixed.
serve: $(VENV)/.installed
	$(VENV)/bin/mkdocs serve --strict

# Built beside the published folder and swapped in only on success: a failed build leaves the last good site.
build: $(VENV)/.installed
	$(KB) validate
	rm -rf site.tmp
	$(VENV)/bin/mkdocs build --strict --site-dir site.tmp
	rm -rf site
	mv site.tmp site

validate: $(VENV)/.installed
	$(KB) validate

fmt: $(VENV)/.installed
	$(KB) fmt

fmt-check: $(VENV)/.installed
	$(KB) fmt --check

stats: $(VENV)/.installed
	$(KB) stats

export: $(VENV)/.installed
	$(KB) export --out exports

# CONTRIBUTING.md (what GitHub shows) is made from the site's docs/contributing.md: edit that, then run this.
contributing: $(VENV)/.installed
	$(PY) -m scripts.contributing

linkcheck: $(VENV)/.installed
	@test -d site || $(MAKE) build
	$(PY) -m scripts.linkcheck site

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: $(VENV)/.installed
	$(PY) -m pytest -n 2 -q

test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not browser and not slow"

# The whole suite on another knowledge base: data/ with the records of OVERLAY laid over it, as a
# contributor's pull request adds them (tests/kbdata.py). A correct data-only change keeps it green.
OVERLAY ?= tests/fixtures/third-source/data
test-overlay: $(VENV)/.installed
	$(PY) tests/kbdata.py lay-over $(OVERLAY) build/kb-overlay/data
	KB_DATA=build/kb-overlay/data $(PY) -m pytest -n 2 -q

N ?= 1000
bench: $(VENV)/.installed
	$(PY) -m scripts.bench --entities $(N)

clean:
	rm -rf site site.tmp .pytest_cache build *.egg-info
