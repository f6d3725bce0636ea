# blotter: `make demo` crawls the bundled demo sites, `make test` runs the tests.
# DB=path chooses the database file of any target that reads or writes one; SOURCES= the source
# list; ARGS= more scrapy options (-s NAME=VALUE, -L DEBUG). Exit codes: see README "Exit codes".
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SCRAPY := $(PY) -m scrapy
# A make variable reaches the shell as one single-quoted word: a value with spaces, ';' or '$'
# is an argument, never a command. (quote: ' closed, escaped, reopened)
quote = '$(subst ','\'',$(1))'
# DB= picks the database file; without it, BLOTTER_DB or data/releases.db (pipelines/store)
DBARG = $(if $(DB),--db $(call quote,$(DB)),)
# SOURCES= picks the source list (default seeds/sources.toml); SOURCE= ids within it
SOURCES ?= seeds/sources.toml
SOURCEARG = $(if $(SOURCE),--source $(call quote,$(SOURCE)),)
SINCEARG = $(if $(SINCE),--since $(call quote,$(SINCE)),)
# ARGS= is passed to scrapy as it is, split into words like a command line: -s NAME=VALUE
# settings, -L DEBUG (the full log, tracebacks included), --logfile FILE
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install demo ingest backfill merge reparse faults test lint format accuracy bench-extract bench lock clean serve export warc metadata nightly health test-platforms sites sites-check registry registry-build coverage discover discover-demo verify verify-demo check-source bench-scale

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# pip before 23.3 refuses the lock in hash-checking mode once the index holds an lxml newer
	# than the pinned one: it reads justext's "lxml[html_clean]>=4.4.2" as an unpinned requirement
	$(PY) -m pip install --quiet --disable-pip-version-check 'pip>=23.3'
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP) ## create .venv with the locked dependencies (a no-op when nothing changed)

demo: DB ?= data/demo.db
demo: $(STAMP) ## serve the bundled demo sites on 127.0.0.1 and crawl them into DB (data/demo.db)
	$(SCRAPY) demo --db $(call quote,$(DB)) $(ARGS)

ingest: $(STAMP) ## crawl every source of SOURCES (seeds/sources.toml) into DB (data/releases.db); SOURCE=id, SHARD=i/n
	$(SCRAPY) ingest --sources $(call quote,$(SOURCES)) $(DBARG) $(SOURCEARG) $(SINCEARG) \
		$(if $(SHARD),--shard $(call quote,$(SHARD)),) $(ARGS)

backfill: $(STAMP) ## page through SOURCE's whole listing (back to SINCE=YYYY-MM-DD) and re-check every release
	@test -n $(call quote,$(SOURCE)) || { echo "make backfill needs SOURCE=<id> (see $(SOURCES))"; exit 2; }
	$(SCRAPY) ingest --sources $(call quote,$(SOURCES)) $(DBARG) $(SOURCEARG) --backfill $(SINCEARG) $(ARGS)

merge: $(STAMP) ## merge shard databases SHARDS="a.db b.db" (crawled with SHARD=i/n) into DB (data/releases.db)
	@test -n "$(SHARDS)" || { echo 'make merge needs SHARDS="shard-1.db shard-2.db ..."'; exit 2; }
	$(SCRAPY) merge $(SHARDS) --into $(or $(DB),data/releases.db)

reparse: $(STAMP) ## re-run parsing and extraction over the archived pages of DB (no network); WORKERS=n (default: 1 per CPU)
	$(SCRAPY) reparse $(DBARG) $(if $(WORKERS),--workers $(call quote,$(WORKERS)),) $(ARGS)

serve: PORT ?= 8001
serve: $(STAMP) ## browse DB in Datasette on 127.0.0.1:PORT (8001); make serve DB=data/demo.db
	$(SCRAPY) serve $(DBARG) --port $(call quote,$(PORT)) $(ARGS)

export: TABLE ?= arrests
export: FORMAT ?= csv
export: OUT ?= data/exports/$(TABLE).$(FORMAT)
export: $(STAMP) ## write TABLE (arrests) of DB as FORMAT (csv|json) to OUT, and its codebook beside it; SINCE=YYYY-MM-DD
	@$(SCRAPY) export $(DBARG) --table $(call quote,$(TABLE)) --format $(call quote,$(FORMAT)) \
		--out $(call quote,$(OUT)) $(SINCEARG) $(ARGS)

warc: OUT ?= data/exports/archive.warc.gz
warc: $(STAMP) ## write the raw archive of DB (every fetched page) as a WARC file to OUT
	@$(SCRAPY) export $(DBARG) --table pages --format warc --out $(call quote,$(OUT)) $(ARGS)

nightly: KEEP ?= 30
nightly: $(STAMP) ## ingest under a lock (exit 75 if a run holds it), logged to data/logs/; for cron
	$(SCRAPY) nightly $(DBARG) --sources $(call quote,$(SOURCES)) --log-dir data/logs \
		--keep $(call quote,$(KEEP)) \
		$(if $(strip $(ARGS)$(SHARD)),-- $(ARGS) $(if $(SHARD),--shard $(call quote,$(SHARD)),),)

health: $(STAMP) ## per-source health table of DB; exit 1 when a source is broken or failing, or every source failed
	$(SCRAPY) health $(DBARG) $(ARGS)

REGISTRY ?= seeds/registry/agencies.csv.gz
DISCOVERED ?= data/discovered.toml
SOURCES ?= seeds/sources.toml

registry: $(STAMP) ## load every US agency (seeds/registry, from PDAP) into DB's agencies; REGISTRY= another file
	$(SCRAPY) registry $(DBARG) --file $(REGISTRY) --sources $(SOURCES)

registry-build: $(STAMP) ## re-derive seeds/registry/agencies.csv.gz from PDAP's export: FROM=pdap-agencies.csv
	@test -n "$(FROM)" || { echo "make registry-build needs FROM=<PDAP agencies CSV>"; exit 2; }
	$(SCRAPY) registry --build $(FROM) --file $(REGISTRY)

coverage: $(STAMP) ## per state: agencies, with a homepage, discovered/verified/enabled/crawled ok; docs/coverage.md
	$(SCRAPY) coverage $(DBARG)

discover: $(STAMP) ## visit the homepages of STATE=XX or AGENCY=id[,id] (registry in DB); candidates to DISCOVERED
	@test -n "$(STATE)$(AGENCY)" || { echo "make discover needs STATE=XX or AGENCY=<registry id or slug>"; exit 2; }
	$(SCRAPY) discover $(DBARG) --out $(DISCOVERED) $(if $(STATE),--state $(STATE),) \
		$(if $(AGENCY),--agency "$(AGENCY)",) $(if $(LIMIT),--limit $(LIMIT),)

discover-demo: DB ?= data/demo.db
discover-demo: $(STAMP) ## discover over the demo homepages (127.0.0.1) into data/demo-discovered.toml
	$(SCRAPY) discover --demo --db $(DB) --out data/demo-discovered.toml

verify: $(STAMP) ## check every enabled (SOURCES) and discovered (DISCOVERED) source; mark verified or broken
	$(SCRAPY) verify $(DBARG) --sources $(SOURCES) --discovered $(DISCOVERED)

verify-demo: DB ?= data/demo.db
verify-demo: $(STAMP) ## verify the demo sources and data/demo-discovered.toml against the demo sites
	$(SCRAPY) verify --demo --db $(DB) --discovered data/demo-discovered.toml

check-source: $(STAMP) ## what blotter reads from SOURCE=id|URL (of SOURCES or DISCOVERED), with a verdict
	@test -n "$(SOURCE)" || { echo "make check-source needs SOURCE=<id or listing URL>"; exit 2; }
	$(SCRAPY) check-source "$(SOURCE)" $(DBARG) --sources $(SOURCES) --discovered $(DISCOVERED)

faults: $(STAMP) ## play every fault kind against local hostile servers; one table (exit 1 if one failed)
	$(PY) -m tests.faults

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
	$(PY) -m bench.run --n $(call quote,$(N))

metadata: $(STAMP) ## regenerate datasette/metadata.yml and the README's table list from pipelines/store/columns.toml
	$(PY) -m pipelines.store.codebook --metadata

bench-scale: N ?= 18000
bench-scale: $(STAMP) ## first crawl and two later nights of N agencies (18000), polite, 0.5 s latency; bench/results-scale.json
	$(PY) -m bench.scale --n $(N)

lock: ## re-resolve requirements.lock from pyproject.toml (needs the package registry)
	test -x .venv-tools/bin/uv || { $(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet uv; }
	.venv-tools/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 -o requirements.lock

clean: ## remove the virtualenv and the demo database
	rm -rf $(VENV) .venv-tools .venv-scrapyd data/demo.db data/demo.db-wal data/demo.db-shm
