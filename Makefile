# Ataa — the two commands are `make run` and `make test` (README.md). Nothing else is installed by hand.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/ataa
RUN_OS_PACKAGES := python3 python3-venv gettext
TEST_OS_PACKAGES := $(RUN_OS_PACKAGES) chromium fonts-noto-core fonts-kacst

export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help run test check bench env os-deps os-deps-test node-deps messages compile-messages \
        prepare-db demo test-sqlite test-postgres openapi clean

help:
	@echo "make run    — start Ataa with demo data on http://127.0.0.1:8000 (web server and worker)"
	@echo "make test   — install what the tests need and run the whole suite (SQLite, then PostgreSQL)"
	@echo "make check  — lint, format, migrations, translations, import contracts, OpenAPI snapshot"
	@echo "make bench  — run the benchmarks of bench/ and write docs/benchmarks.md"

# --- Environment ----------------------------------------------------------------------------
os-deps:
	@bash scripts/os_deps.sh $(RUN_OS_PACKAGES)

os-deps-test:
	@bash scripts/os_deps.sh $(TEST_OS_PACKAGES)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

env: $(UV)
	$(UV) sync --frozen --quiet

# Node only fetches axe-core for the browser tests. A machine may already have Node with its own
# npm (NodeSource), which Debian's npm package conflicts with: install only when npm is missing.
node-deps:
	@command -v npm >/dev/null || bash scripts/os_deps.sh nodejs npm
	@[ -d node_modules/axe-core ] || npm ci --no-audit --no-fund --loglevel=error

compile-messages: env
	@$(MANAGE) compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules -v0

# --- Run ------------------------------------------------------------------------------------
prepare-db: env compile-messages
	@mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo

run: os-deps prepare-db
	@$(MANAGE) demo_logins
	$(VENV)/bin/honcho -f Procfile start

# --- Quality gates --------------------------------------------------------------------------
check: os-deps env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(PY) scripts/check_translations.py
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) export_openapi --check docs/openapi.json

messages: env
	$(PY) scripts/check_translations.py --update

openapi: env
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) export_openapi docs/openapi.json

# --- Tests ----------------------------------------------------------------------------------
test: os-deps-test env node-deps compile-messages
	@bash scripts/test.sh

bench: env
	$(PY) bench/run.py

clean:
	rm -rf var $(VENV) $(TOOLS) node_modules
