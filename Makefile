# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve serve-postgres load-test npm bench bench-anp bench-trustfunds bench-logistics bench-lists bench-asde demo test test-sqlite test-postgres lint messages system-deps venv clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/.installed

# Front-end and geographic data packages (world-atlas: Natural Earth borders), from the lock file.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm: node_modules/.installed

system-deps:
	scripts/system-deps.sh

demo: venv npm
	scripts/demo.sh

# The production server (gunicorn): SQLite in var/ or DATABASE_URL; serve-postgres on a
# throwaway PostgreSQL (removed when the server stops). See deploy/README.md.
serve: venv npm
	scripts/serve-production.sh

serve-postgres: venv npm
	scripts/with-postgres.sh scripts/serve-production.sh

# The working day under load (benchmarks/load/README.md): PostgreSQL, the ten-year data set.
load-test: venv npm
	$(BIN)/pip install -q -e '.[test,bench]'
	PARTNERSHIP_PG_PORT=$${PARTNERSHIP_PG_PORT:-54318} scripts/with-postgres.sh benchmarks/load/run.sh

lint: venv
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	PARTNERSHIP_TESTING=1 $(BIN)/mypy src
	$(BIN)/lint-imports --no-cache --no-logo

# Compiled catalogues are committed so that `pip install .` works without gettext;
# this target remakes them from the .po files.
messages: venv
	cd src/partnership && ../../$(BIN)/django-admin compilemessages --ignore '.venv'

# The suite in PYTEST_WORKERS processes (pytest-xdist; each has its own test database), tests of
# one xdist_group on one worker; then the `serial` tests (timing-sensitive) alone, in one process.
PYTEST_WORKERS ?= 3
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup -m "not serial"

# Both runs share the test database's template (tests/databases.py): migrated and loaded once.
SHARED_TEMPLATE := d=$$(mktemp -d) && trap "rm -rf $$d" EXIT && export PARTNERSHIP_TEST_TEMPLATE_DIR=$$d

test-sqlite: venv npm
	$(SHARED_TEMPLATE) && $(BIN)/pytest $(PYTEST_PARALLEL) && $(BIN)/pytest -m serial

test-postgres: venv npm
	scripts/with-postgres.sh bash -c '$(SHARED_TEMPLATE) && $(BIN)/pytest $(PYTEST_PARALLEL) && $(BIN)/pytest -m serial'

test: system-deps venv messages lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var node_modules

bench: venv
	$(BIN)/python benchmarks/bench_releasability.py

bench-anp: venv
	$(BIN)/python benchmarks/bench_anp.py

bench-trustfunds: venv
	$(BIN)/python benchmarks/bench_trustfunds.py

bench-logistics: venv
	$(BIN)/python benchmarks/bench_logistics.py

bench-lists: venv
	$(BIN)/python benchmarks/bench_lists.py

bench-asde: venv npm
	$(BIN)/python benchmarks/bench_asterix.py
