"""The extraction worker beside a crawl: what it runs, when it warms up, and what the crawl's
own process is spared.

The extraction rules run in the worker (``pipelines.extract.worker``), and pypdf only when the
first PDF arrives; a crawl process that loaded them anyway carried about 11 MB more (``make
bench``'s peak RSS). The import checks run in a fresh interpreter, as a crawl starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import scrapy

from pipelines.crawl import ExtractPipeline

ROOT = Path(__file__).resolve().parents[1]

# everything a `scrapy ingest` process imports before its first request: the settings, the
# spider, middlewares, pipelines and extensions, and every command module (Scrapy imports them
# all to list its commands)
_CRAWL_IMPORTS = """
import importlib, pkgutil, sys
import crawler.commands, crawler.settings as settings
for module in pkgutil.iter_modules(crawler.commands.__path__):
    importlib.import_module(f"crawler.commands.{module.name}")
for table in ("SPIDER_MIDDLEWARES", "DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES", "EXTENSIONS"):
    for path in getattr(settings, table, {}):
        importlib.import_module(path.rsplit(".", 1)[0])
import crawler.spiders.releases
print(" ".join(sorted(sys.modules)))
"""


def _loaded() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _CRAWL_IMPORTS], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_a_crawl_process_loads_no_extraction_rules_and_no_pypdf():
    loaded = _loaded()
    rules = {"release", "people", "charges", "bond", "dates", "location", "sentences"}
    assert not {f"pipelines.extract.{name}" for name in rules} & loaded
    assert "pypdf" not in loaded
    # what it does need is there
    assert {"crawler.spiders.releases", "pipelines.extract.html_text", "dateparser"} <= loaded


def test_the_package_still_gives_its_public_names():
    from pipelines.extract import EXTRACTOR_VERSION, Record, extract, text_and_extraction

    assert callable(extract) and callable(text_and_extraction)
    assert isinstance(EXTRACTOR_VERSION, str) and Record.__name__ == "Record"


def test_a_worker_entry_point_gives_what_the_library_gives():
    from pipelines.extract import text_and_extraction, worker

    html = "<p>Ray Holt, 52, of Dover was charged with burglary.</p>"
    assert worker.text_and_extraction(html, "", "2026-03-02") == text_and_extraction(
        html, "", "2026-03-02"
    )
    worker.warm_up()  # runs the rules once over its own short release, without error


class _Pool:
    def __init__(self):
        self.submitted = []

    def submit(self, fn, *args):
        self.submitted.append(fn)


def test_the_workers_warm_up_at_the_first_release_request_and_only_then():
    from pipelines.extract import worker

    pipeline = ExtractPipeline(workers=2)
    pipeline.pool = _Pool()
    listing = scrapy.Request("http://police.test/news", meta={"kind": "listing"})
    release = scrapy.Request("http://police.test/news/1", meta={"kind": "release"})

    pipeline.request_scheduled(listing)
    assert pipeline.pool.submitted == []  # a run that finds nothing new never starts a worker
    pipeline.request_scheduled(release)
    pipeline.request_scheduled(release)
    assert pipeline.pool.submitted == [worker.warm_up, worker.warm_up]  # once per worker
