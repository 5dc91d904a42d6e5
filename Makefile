# The two set-up commands: `make demo` and `make test`. Both create or update .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	JICHITAI_DEBUG=1 $(BIN)/jichitai demo

# -rs: say why tests were skipped (tests/browser skip, saying so, when Chromium is missing).
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto -rs

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/progress_pages.py
	$(BIN)/python bench/analysis_import.py
	$(BIN)/python bench/large_lists.py
	$(BIN)/python bench/checklist.py
	$(BIN)/python bench/cloud_align.py
	$(BIN)/python bench/hostile_uploads.py
	$(BIN)/python bench/national.py --sizes 30,300 --staff 2000

# docs/screenshots/*.png from a fresh demo in a temporary directory; needs Chromium (says so when missing).
.PHONY: screenshots
screenshots: $(VENV)/.installed
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) var
