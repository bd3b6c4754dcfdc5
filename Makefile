# levy: two commands for a fresh Debian machine with Python 3.
#   make run   installs, upgrades the SQLite database, loads the demo, serves http://127.0.0.1:5000
#   make test  installs with the test extras, lints, runs the suite on SQLite and on PostgreSQL
SHELL := /bin/bash
# Debian's own python3 where there is one: the distribution patches it, and it is built with
# profile-guided optimisation, so every `flask levy` command and test starts about a fifth
# sooner than on a self-built interpreter (bench/run.py). `make PYTHON=python3.12` for another.
PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
# the demo is the council as at its March 2021 scrutiny report; unset for real use
DEMO_AS_OF ?= 2021-03-31
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test assets system-deps lint test-sqlite test-postgres screenshots clean bench

$(BIN)/python:
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  else echo "Install python3-venv (sudo apt-get install python3-venv) and run make again"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

static/govuk/levy.css: package.json package-lock.json frontend/levy.scss
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "Install Node.js and npm and run make again"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/govuk
	npm run -s build

# Bytecode for the project's own modules, as pip compiles the installed ones: each
# `flask levy` process then starts without compiling them (even with PYTHONDONTWRITEBYTECODE)
install: $(VENV)/.installed static/govuk/levy.css
	@$(BIN)/python -m compileall -q levy wsgi.py
install-test: $(VENV)/.installed-test static/govuk/levy.css system-deps
	@$(BIN)/python -m compileall -q levy wsgi.py

# Debian's Chromium for the browser tests and PostgreSQL's server for the second pass
system-deps:
	@bash .ci/system-deps

run: install
	$(FLASK) db upgrade
	$(FLASK) levy seed-demo
	@echo
	@echo "  levy is running at http://$(HOST):$(PORT)"
	@echo "  Sign in with any of these (password: worcestershire-demo):"
	@echo "    admin@levy.demo        administrator"
	@echo "    ld@levy.demo           L&D apprenticeships team"
	@echo "    finance@levy.demo      HR and finance"
	@echo "    manager@levy.demo      directorate manager (People, Schools)"
	@echo "    careleavers@levy.demo  care leavers team"
	@echo "    employer@levy.demo     local business with transfer applications"
	@echo "    newbusiness@levy.demo  local business that has not applied yet"
	@echo
	@echo "  The demo runs as of $(DEMO_AS_OF) (FLASK_LEVY_AS_OF); a real deployment leaves it unset."
	FLASK_LEVY_AS_OF=$(DEMO_AS_OF) $(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-sqlite: install-test
	@echo "=== pytest on SQLite ==="
	$(BIN)/python -m pytest

# The second pass runs only the tests that reach a database (marked `db` by tests/conftest.py
# from their fixtures): the others, and the browser tests, gave their answer on the first
test-postgres: install-test
	@echo "=== pytest on PostgreSQL (database tests) ==="
	bash .ci/with-postgres $(BIN)/python -m pytest -m "db and not browser"

# the browser tests again, saving a full-page screenshot of each page they visit in test-artifacts/
screenshots: install-test
	LEVY_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser

test: install-test lint test-sqlite test-postgres

bench: install-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/cohorts.py

clean:
	rm -rf $(VENV) node_modules static/govuk test-artifacts .pytest_cache .ruff_cache
