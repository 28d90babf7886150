# Movilim: `make run` (demo on http://127.0.0.1:8000) and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := MOVILIM_DEBUG=1
PORT ?= 8000
# PostgreSQL for the second test pass; skipped when it does not answer.
TEST_PG_URL ?= postgres://postgres@127.0.0.1:5432/movilim

.PHONY: run test test-sqlite test-postgres lint install assets translations messages bench clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

assets: node_modules/.installed

translations: $(BIN)/.installed
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install translations
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEV_ENV) $(PY) manage.py demo
	@# The task worker (invitation mails) runs beside the server and stops with it.
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install translations
	./scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/mypy

messages: install
	$(DEV_ENV) $(PY) manage.py makemessages -l he -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests
	$(PY) scripts/fill_english_catalog.py

# Every benchmark runs even when one misses its target; the status says whether any did.
bench: install translations
	status=0; for b in pages imports exports teams wave_report search; do $(PY) bench/$$b.py || status=1; done; exit $$status

clean:
	rm -rf $(VENV) node_modules staticfiles var
