# Two commands on a fresh machine: `make run` and `make test`. Everything else is installed from here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
SPOT   := $(VENV)/bin/spotcheck
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test bench bench-public lint venv clean

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip >/dev/null
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# The main job on the embedded default (SQLite): demo city, the year's four quarters, then the API.
run: venv
	$(SPOT) demo
	$(SPOT) serve --host $(HOST) --port $(PORT)

# The whole suite against SQLite and a throw-away PostgreSQL started here.
test: venv
	$(VENV)/bin/ruff check spotcheck tests bench
	$(VENV)/bin/ruff format --check spotcheck tests bench
	$(VENV)/bin/mypy spotcheck
	scripts/ensure-chromium.sh
	SPOTCHECK_REQUIRE_PG=1 scripts/with-postgres.sh $(PY) -m pytest

bench: venv
	$(VENV)/bin/pip install -q -e '.[bench]'
	$(PY) -m bench

# Public pages and API under load: its own PostgreSQL, uvicorn with 1 then 2 workers (bench/results/public.json).
bench-public: venv
	$(VENV)/bin/pip install -q -e '.[bench]'
	$(PY) -m bench public

lint: venv
	$(VENV)/bin/ruff check spotcheck tests bench
	$(VENV)/bin/ruff format --check spotcheck tests bench

clean:
	rm -rf $(VENV) data/spotcheck.sqlite
