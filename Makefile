# blotter: `make demo` crawls the bundled demo sites, `make test` runs the tests.
# DB=path chooses the database file of any target that reads or writes one.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCRAPY := $(PY) -m scrapy
# DB= picks the database file; without it, BLOTTER_DB or data/releases.db (pipelines/store)
DBARG = $(if $(DB),--db $(DB),)

.DEFAULT_GOAL := help
.PHONY: help install demo ingest backfill reparse test lint format accuracy bench-extract bench bench-scale lock clean serve export nightly health test-platforms sites sites-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP) ## create .venv with the locked dependencies (a no-op when nothing changed)

demo: DB ?= data/demo.db
demo: $(STAMP) ## serve the bundled demo sites on 127.0.0.1 and crawl them into DB (data/demo.db)
	$(SCRAPY) demo --db $(DB)

ingest: $(STAMP) ## crawl every source of seeds/sources.toml into DB (data/releases.db); SOURCE=id for one
	$(SCRAPY) ingest --sources seeds/sources.toml $(DBARG) $(if $(SOURCE),--source $(SOURCE),) \
		$(if $(SINCE),--since $(SINCE),)

backfill: $(STAMP) ## page through SOURCE's whole listing (back to SINCE=YYYY-MM-DD) and re-check every release
	@test -n "$(SOURCE)" || { echo "make backfill needs SOURCE=<id> (see seeds/sources.toml)"; exit 2; }
	$(SCRAPY) ingest --sources seeds/sources.toml $(DBARG) --source $(SOURCE) --backfill \
		$(if $(SINCE),--since $(SINCE),)

reparse: $(STAMP) ## re-run parsing and extraction over the archived pages of DB (no network); WORKERS=n (default: 1 per CPU)
	$(SCRAPY) reparse $(DBARG) $(if $(WORKERS),--workers $(WORKERS),)

serve: PORT ?= 8001
serve: $(STAMP) ## browse DB in Datasette on 127.0.0.1:PORT (8001); make serve DB=data/demo.db
	$(SCRAPY) serve $(DBARG) --port $(PORT)

export: TABLE ?= arrests
export: FORMAT ?= csv
export: OUT ?= data/exports/$(TABLE).$(FORMAT)
export: $(STAMP) ## write TABLE (arrests) of DB as FORMAT (csv|json) to OUT; SINCE=YYYY-MM-DD
	@$(SCRAPY) export $(DBARG) --table $(TABLE) --format $(FORMAT) --out $(OUT) \
		$(if $(SINCE),--since $(SINCE),)

nightly: KEEP ?= 30
nightly: $(STAMP) ## ingest under a lock (exit 75 if a run holds it), logged to data/logs/; for cron
	$(SCRAPY) nightly $(DBARG) --sources seeds/sources.toml --log-dir data/logs --keep $(KEEP)

health: $(STAMP) ## per-source health table of DB; exit 1 when a source looks broken or failing
	$(SCRAPY) health $(DBARG)

test: $(STAMP) ## run the test suite (no network needed)
	$(PY) -m pytest

lint: $(STAMP) ## ruff: lint and formatting check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP) ## ruff: fix formatting
	$(PY) -m ruff format .

accuracy: $(STAMP) ## extraction precision/recall on the written and real labelled corpora
	$(PY) -m tests.accuracy

test-platforms: $(STAMP) ## the platform adapters against their fixtures (tests/fixtures/platforms)
	$(PY) -m pytest tests/test_platforms.py

sites: $(STAMP) ## regenerate the demo sites (seeds/demo/sites) from seeds/demo/content
	$(PY) -m sitegen.demo_sites

sites-check: $(STAMP) ## exit 1 when seeds/demo/sites is out of date with its content
	$(PY) -m sitegen.demo_sites --check

bench-extract: $(STAMP) ## extraction speed over the corpus (releases per second)
	$(PY) -m pipelines.extract.bench

bench: N ?= 5000
bench: $(STAMP) ## blotter vs bare Scrapy on a generated site of N releases (N=5000); bench/results.json
	$(PY) -m bench.run --n $(N)

bench-scale: N ?= 18000
bench-scale: $(STAMP) ## first crawl and two later nights of N agencies (18000), polite, 0.5 s latency; bench/results-scale.json
	$(PY) -m bench.scale --n $(N)

lock: ## re-resolve requirements.lock from pyproject.toml (needs the package registry)
	test -x .venv-tools/bin/uv || { $(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet uv; }
	.venv-tools/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 -o requirements.lock

clean: ## remove the virtualenv and the demo database
	rm -rf $(VENV) .venv-tools data/demo.db data/demo.db-wal data/demo.db-shm
