# Lantern: `make run` starts everything with demo data; `make test` runs the test suite.
# Both install what they need first. With DATABASE_URL / REDIS_URL unset they use a project-local
# PostgreSQL and Redis under .data/ (see README).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# The uv version is pinned once, in pyproject.toml's dev group ("uv==…"); the Dockerfile reads it there too.
UV_VERSION := $(shell sed -n 's/^ *"uv==\([0-9.]*\)".*/\1/p' pyproject.toml)
PYTHON ?= $(shell for p in python3.12 python3.13 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install run test lint check browser pdf-libs gettext messages stop clean db-roles bench

help:
	@echo "make run    start Lantern with demo data on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test   run the test suite"
	@echo "make lint   ruff + migrations check"
	@echo "make stop   stop the embedded PostgreSQL and Redis"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Lantern needs Python 3.12 or newer, and none was found (tried python3.12, python3.13, python3)."; \
	  echo "Install Python 3.12 (e.g. 'pyenv install 3.12'), or run: make PYTHON=/path/to/python3.12 run"; \
	  exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(PY) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PY)
	@touch $@

# The browser libraries Lantern serves (package.json: signature_pad), pinned with their hash in
# package-lock.json; no install scripts run. npm comes from Debian when missing and we may.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing npm for the vendored browser libraries…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "Lantern's browser libraries install with npm: sudo apt-get install npm"; exit 1; fi; \
	fi
	npm ci --ignore-scripts --omit=dev --no-audit --no-fund
	@touch $@

# The translations: each locale/<language>/LC_MESSAGES/django.po compiled to its .mo (built here, never
# committed). Django's compilemessages runs gettext's msgfmt: Debian's gettext is installed when missing and
# we may. The settings are imported with throwaway URLs: nothing connects, no server starts.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

gettext:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing gettext for the translations…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "The translations compile with gettext: sudo apt-get install gettext"; exit 1; fi; \
	fi

$(MO_FILES): %.mo: %.po | $(VENV)/.installed gettext
	DEBUG=true DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
	  DJANGO_SETTINGS_MODULE=recovery.settings $(PY) -m django compilemessages --verbosity 0 \
	  --ignore=$(VENV) --ignore=node_modules
	@touch $(MO_FILES)

messages: $(MO_FILES)

install: $(VENV)/.installed node_modules/.installed messages

browser:
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium"; exit 1; fi; \
	fi

# WeasyPrint (the PDFs) draws text with Debian's Pango; installed here when missing and we may.
pdf-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Pango for the PDFs…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else echo "The PDFs need Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; exit 1; fi; \
	fi

run: install pdf-libs
	$(PY) -m recovery.localrun

# Embedded servers (when the URLs are unset) start for the run and stop after it. The settings module is
# explicit: importing the recovery package (celery.py) would otherwise default it to production settings.
# The tests run in TEST_WORKERS parallel processes (pytest-xdist; each has its own test database, Celery
# queue, cache prefix and upload folder): `make test TEST_WORKERS=0` runs them in this one process, and
# `make test PYTEST_ARGS="tests/x.py"` runs only that file.
TEST_WORKERS ?= auto
test: install browser pdf-libs
	DJANGO_SETTINGS_MODULE=recovery.settings_test $(PY) -m recovery.embedded \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Create the owner and runtime roles on your own server (see README, "Security model"):
#   DATABASE_OWNER_URL=… DATABASE_URL=… make db-roles SUPERUSER_URL=postgres://postgres@host/postgres
db-roles: install
	$(PY) manage.py db_roles --superuser-url "$(SUPERUSER_URL)"

stop: install
	$(PY) -c "from recovery import embedded; embedded.stop_all()"

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

# Page timings at scale on YOUR database (DATABASE_URL, migrated and filled once by `manage.py seed_scale`):
# gunicorn with 2 workers and DEBUG off, p50/p95 per page against a floor. BENCH_ARGS="--concurrent 8" etc.
bench: install
	@if [ -z "$$DATABASE_URL" ]; then echo "Set DATABASE_URL to a database filled by: python manage.py seed_scale"; exit 1; fi
	DEBUG=true $(PY) manage.py benchmark_pages $(BENCH_ARGS)
