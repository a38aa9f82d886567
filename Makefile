# The team's vocabulary: `make run` serves the portal, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test lint format check

help:
	@echo "make run     serve the portal with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite (honours DATABASE_URL)"
	@echo "make lint    ruff check and format check"
	@echo "make format  apply ruff fixes and formatting"
	@echo "make check   Django system checks and missing migrations"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 or python3)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "$(PYTHON) is older than Python 3.11."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: export DEBUG ?= true
run: install
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --noinput

demo: export DEBUG ?= true
demo: migrate
	$(MANAGE) load_demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: export DEBUG ?= true
check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
