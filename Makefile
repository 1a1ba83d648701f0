# The two commands of the README:
#   make run    set up and serve the app with demo data on http://127.0.0.1:8000 (SQLite)
#   make test   set up and run the whole test suite against PostgreSQL
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.deps-installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests and checks run with production-like settings: DEBUG off, a throwaway key.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key-not-for-production ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: run test setup setup-test lint format messages static clean bench

$(DEPS): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup:
	scripts/system-deps.sh run
	$(MAKE) $(DEPS)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

setup-test:
	scripts/system-deps.sh test
	$(MAKE) $(DEPS)
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput -v 0
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	export DATABASE_URL="$$(scripts/ensure-postgres.sh)" $(TEST_ENV) && \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) manage.py check --fail-level WARNING && \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks that print figures (bench/README.md); each sets up its own database.
BENCHES ?= page_weight load lighthouse report pdf
bench: setup-test
	@status=0; for b in $(BENCHES); do $(PY) bench/$$b.py || status=1; done; exit $$status

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# Refresh the interface catalogues from the code and templates.
messages: $(DEPS)
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=node_modules
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
