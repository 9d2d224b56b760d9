# Newsdesk Review: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo lint format bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py reanalyse --missing

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	mkdir -p var
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The load and archive benchmarks need PostgreSQL (and wrk); the archive is generated
# once into ARCHIVE_DATABASE_URL (100,000 articles: the first run takes a while).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsdesk_bench
ARCHIVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsdesk_archive
# The load bench measures the production configuration: a Redis cache shared by the
# workers (without one, pages are not cached whole: docs/DECISIONS.md).
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/3

bench: install-dev
	$(PY) bench/bench_analysis.py
	$(PY) bench/bench_diff.py
	$(PY) bench/bench_compare_page.py
	$(PY) bench/bench_cli_diff.py
	DATABASE_URL=$(BENCH_DATABASE_URL) CACHE_URL=$(BENCH_CACHE_URL) $(PY) bench/bench_load.py
	DATABASE_URL=$(ARCHIVE_DATABASE_URL) $(PY) bench/bench_archive.py
	DATABASE_URL=$(ARCHIVE_DATABASE_URL) $(PY) bench/bench_matching.py
	# need PostgreSQL at 127.0.0.1:5432 (user postgres); they make their own databases
	$(PY) bench/bench_recording.py
	$(PY) bench/bench_ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
