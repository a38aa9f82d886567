# The team's vocabulary: `make run` serves the portal, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM_PATH := $(CHROMIUM)

.DEFAULT_GOAL := help
.PHONY: help install browser run worker serve migrate demo test e2e fuzz lint format check backup restore bench audit

help:
	@echo "make run     serve the portal with demo data on http://127.0.0.1:$(PORT)"
	@echo "make worker  run the task worker alone (sends queued e-mail; make run starts one)"
	@echo "make test    run the whole test suite, browser tests included (honours DATABASE_URL)"
	@echo "make e2e     run only the browser tests"
	@echo "make fuzz    hostile inputs at length: the whole corpus on every page and API operation"
	@echo "make lint    ruff check and format check, and the layers (import-linter)"
	@echo "make format  apply ruff fixes and formatting"
	@echo "make check   Django system checks and missing migrations"
	@echo "make serve   production server: collectstatic, migrate, gunicorn (needs SECRET_KEY...)"
	@echo "make backup  write a backup of all records and media to var/backups/"
	@echo "make restore BACKUP=path  restore a backup into an empty database"
	@echo "make bench   load test under gunicorn against PostgreSQL (CACHE=off without caches)"
	@echo "make audit   Nu HTML checker on every page type, Lighthouse on ten (STRICT=1 to fail)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 or python3)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "$(PYTHON) is older than Python 3.11."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# The browser tests drive Debian's Chromium; Playwright's own browser download is never used.
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends chromium fonts-dejavu-core fonts-liberation >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium"; \
			exit 1; \
		fi; \
	fi

# The task worker (e-mail) runs beside the development server and stops with it.
run: install
	@mkdir -p var/static var/mail
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) build_downloads
	$(MANAGE) refresh_aggregates
	$(MANAGE) ensure_admin
	$(MANAGE) send_agreement_reminders --schedule
	@$(MANAGE) db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		echo "Task worker started (pid $$worker); mail is written to var/mail/"; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

# The task worker alone: sends the queued e-mail (production runs it under systemd).
worker: install
	@mkdir -p var/mail
	$(MANAGE) send_agreement_reminders --schedule
	$(MANAGE) db_worker

migrate: install
	@mkdir -p var/static
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) build_downloads
	$(MANAGE) refresh_aggregates

# A fixed hash seed: Schemathesis then draws the same examples on every run (tests/api/test_fuzz.py).
test: install browser
	PYTHONHASHSEED=0 $(BIN)/pytest

e2e: install browser
	$(BIN)/pytest tests/e2e

# The long fuzzing run: the hostile walk with its whole corpus, Schemathesis with more examples.
API_FUZZ_EXAMPLES ?= 200
fuzz: install
	HOSTILE_WALK_ALL=1 API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider \
		tests/test_hostile_walk.py tests/api/test_fuzz.py tests/test_bad_input.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Production: the strict settings (SECRET_KEY required), static files collected, gunicorn.
serve: export DJANGO_SETTINGS_MODULE := config.settings.base
serve: install
	@mkdir -p var
	$(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(MANAGE) ensure_groups
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi

backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/<file>"; exit 1; }
	$(MANAGE) restore "$(BACKUP)"

# Load test: gunicorn against the local PostgreSQL with the scale-10 dataset, driven by wrk.
bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(BIN)/python bench/run.py $(if $(CACHE),--cache $(CACHE),) $(if $(SCALE),--scale $(SCALE),) \
		$(if $(filter live,$(MODE)),--live,)

# The Nu HTML checker (Java) and Lighthouse (Chromium) from the npm registry, pinned in
# audit/package-lock.json; vnu-jar's own Java download is skipped (--ignore-scripts).
audit/node_modules/.installed: audit/package-lock.json
	@command -v npm >/dev/null || { echo "make audit needs Node.js 18.16+ and npm: sudo apt-get install npm"; exit 1; }
	npm ci --prefix audit --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

audit: install browser audit/node_modules/.installed
	$(BIN)/python audit/run.py $(if $(STRICT),--strict,) $(AUDIT_ARGS)
