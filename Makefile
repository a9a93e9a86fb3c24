# Bốn Tốt — set-up, run and test. `make run` and `make test` do everything on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The address people reach the app at: links in e-mails and the QR code on signed PDFs.
BONTOT_PUBLIC_URL ?= http://$(HOST):$(PORT)
export BONTOT_PUBLIC_URL
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: help install redis run test lint format messages makemessages system-deps clean prodlike prodlike-smoke documents loadtest

help:
	@echo "make run    — set up, migrate, load the demo data, start the task worker and serve at http://$(HOST):$(PORT)"
	@echo "make test   — set up and run the whole test suite (DATABASE_URL=postgres://… for PostgreSQL)"
	@echo "make lint   — ruff check, ruff format --check, manage.py check, makemigrations --check"
	@echo "make documents — every kind of document from the demo data, as PDF/Word and PNG pages, in var/documents/"
	@echo "make prodlike — production settings on PostgreSQL: gunicorn (2 workers) and the task worker (docs/deploy.md)"
	@echo "make loadtest — locust for 5 minutes against gunicorn, PostgreSQL and the task worker on a province built beforehand (docs/benchmarks.md)"

$(VENV)/.installed: requirements.lock
	@test -x "$$(command -v $(PYTHON))" || { echo "Cần $(PYTHON) (Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages the app and the tests need, from Debian: gettext (compilemessages), the Pango
# and HarfBuzz-subset libraries WeasyPrint renders and subsets fonts with, Chromium for the browser
# tests (tests/e2e/) and poppler-utils (pdftoppm, pdftotext) for reading documents back.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
		echo "Cài gói hệ thống:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Redis holds the rate-limit counters (web/counters.py): started here, without persistence, when
# nothing answers on 127.0.0.1:6379 (a machine's own Redis service is used as it is).
redis: system-deps
	@$(PY) -c "import socket; socket.create_connection(('127.0.0.1', 6379), 1)" 2>/dev/null \
		|| redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save "" --appendonly no >/dev/null

messages: $(VENV)/.installed system-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=templates/simple_history --no-obsolete

install: $(VENV)/.installed node_modules/.installed messages redis

run: install
	BONTOT_DEMO=1 $(PY) manage.py migrate --noinput -v0
	BONTOT_DEMO=1 $(PY) manage.py create_seal_certificate --if-missing
	BONTOT_DEMO=1 $(PY) manage.py load_demo
	@echo "Bốn Tốt: http://$(HOST):$(PORT)  (tiến trình nền db_worker chạy cùng; Ctrl-C dừng cả hai)"
	@trap 'kill 0' INT TERM EXIT; \
	BONTOT_DEMO=1 $(PY) manage.py db_worker --interval 1 & \
	BONTOT_DEMO=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Every kind of document rendered from the demo data (demo/management/commands/render_documents.py)
# on a scratch SQLite database of its own, to PDF (and Word) with PNG pages and an index.html.
DOCS_ENV := DATABASE_URL=sqlite:///var/documents.sqlite3 BONTOT_DEMO=1 BONTOT_MEDIA_ROOT=var/documents-media
documents: install
	rm -rf var/documents.sqlite3 var/documents-media
	$(DOCS_ENV) $(PY) manage.py migrate --noinput -v0
	$(DOCS_ENV) $(PY) manage.py create_seal_certificate --if-missing
	$(DOCS_ENV) $(PY) manage.py load_demo >/dev/null
	$(DOCS_ENV) $(PY) manage.py render_documents --out var/documents

# Production-like run on one machine (scripts/prodlike.sh): a fresh PostgreSQL database with the
# demo data, gunicorn and db_worker; prodlike-smoke starts it, signs a pledge over HTTP, stops it.
prodlike: install
	scripts/prodlike.sh run

prodlike-smoke: install
	scripts/prodlike.sh smoke

# The load test (docs/benchmarks.md): locust in its own environment against a province built
# beforehand with build_province in LOAD_DB (default bontot_bench). Not part of `make test`.
LOAD_DB ?= bontot_bench
.venv-load/.installed: benchmarking/load-requirements.lock
	python3 -m venv .venv-load
	.venv-load/bin/pip install -q -r benchmarking/load-requirements.lock
	touch $@

loadtest: install .venv-load/.installed
	PRODLIKE_DB=$(LOAD_DB) scripts/prodlike.sh load

# The suite on every core (pytest-xdist): each worker has its own test database and Redis database;
# the browser tests run together on one worker (tests/e2e/conftest.py). TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules var test-artifacts
