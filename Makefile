# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: bench bench-asde demo test test-sqlite test-postgres lint messages system-deps venv clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/.installed

system-deps:
	scripts/system-deps.sh

demo: venv
	$(BIN)/partnership demo

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	PARTNERSHIP_TESTING=1 $(BIN)/mypy src

# Compiled catalogues are committed so that `pip install .` works without gettext;
# this target remakes them from the .po files.
messages: venv
	cd src/partnership && ../../$(BIN)/django-admin compilemessages --ignore '.venv'

test-sqlite: venv
	$(BIN)/pytest

test-postgres: venv
	scripts/with-postgres.sh $(BIN)/pytest

test: system-deps venv messages lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var

bench: venv
	$(BIN)/python benchmarks/bench_releasability.py

bench-asde: venv
	$(BIN)/python benchmarks/bench_asterix.py
