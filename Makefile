# The two set-up commands of the README. Each creates .venv if needed and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench lint clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "accountability-tui needs Python 3.11 or newer (make PYTHON=python3.11 ...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

## make run: open the app on the default database (created with the Hertfordshire data on first run)
# An editable install leaves no compiled bytecode and PYTHONDONTWRITEBYTECODE stops Python writing it, so every
# start would compile the app from source (a sixth of its start-up; measured: make bench): compile what changed.
run: $(VENV)/.installed-run
	@$(BIN)/python -m compileall -q src
	$(BIN)/accountability-tui $(ARGS)

## make test: check the layers and the types (make lint), then run every test
test: lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make bench: build the national-scale data (once, in bench/.data) and measure every target
bench: $(VENV)/.installed-test
	@$(BIN)/python -m compileall -q src
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

## make lint: ruff, the import contracts between the layers (lint-imports) and the type checker (mypy)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist .pytest_cache
