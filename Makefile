# The two commands a newcomer needs: `make run` (the app on SQLite with demo data) and
# `make test` (the whole suite on the local PostgreSQL and Redis).
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || \
	ls $$HOME/.pyenv/versions/3.13*/bin/python3 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The Redis database the Celery integration tests use (their queues are named per run).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1:8000

.PHONY: install run test services browser lint

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python 3.12+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py serve $(HOST) --then demo_logins

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

# The browser tests drive Debian's chromium (Playwright never downloads a browser here), with CJK
# fonts so that the Chinese pages' screenshots show characters, and check every page's markup
# with the Nu HTML checker, which runs on Java.
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi 'noto.*cjk' && command -v java >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk default-jre-headless >/dev/null; }

test: install services browser
	$(VENV)/bin/ruff check .
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
