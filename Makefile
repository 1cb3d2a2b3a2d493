# Filing Desk — the whole set-up is `make run` (serve the demo) and `make test` (pass the tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
APT_RUN := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext
APT_TEST := $(APT_RUN) chromium
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test lint typecheck check-migrations messages system-deps system-deps-test serve seed ci clean

run: system-deps $(STAMP) messages ## install, migrate, load demo data and serve on http://127.0.0.1:8000
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py create_signing_cert
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  — demo logins above (password FilingDesk-2026)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | sha256sum | cut -c1-16)

test: system-deps-test $(STAMP) $(NODE_STAMP) messages lint typecheck check-migrations ## install everything and run the default suite (SQLite)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m "not services" -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy accounts audit jobs assets filings inbox reviews desk config ops api register

check-migrations: $(STAMP)
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP) ## compile the zh-hans / en catalogues
	@command -v msgfmt >/dev/null || { echo "gettext (msgfmt) is missing; run as root or install gettext"; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# Browser-test tools from npm (axe-core), exactly as package-lock.json pins them; re-installed when the
# lock file changes. Nothing is fetched while the tests run.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing (node 20 + npm): the axe-core browser test needs it"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-* && touch $@

# Debian packages: installed when missing and we are root; otherwise say what is missing.
system-deps:
	@./scripts/apt-ensure $(APT_RUN)

system-deps-test:
	@./scripts/apt-ensure $(APT_TEST)

.PHONY: prod prod-venv
prod: system-deps ## the production topology on this machine: release step, gunicorn, workers, beat (docs/operations.md)
	VENV=$$(./scripts/prod-venv) DJANGO_SETTINGS_MODULE=config.settings.prod ./scripts/prod

prod-venv: ## build (or reuse) the venv from requirements.txt alone and print its path
	@./scripts/prod-venv

ci: ## what CI runs: make test, then the service-backed suite
	bash .ci/run

clean:
	rm -rf $(VENV) var test-artifacts node_modules
