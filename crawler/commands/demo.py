"""``scrapy demo [--db data/demo.db]``: serve the bundled demo sites on 127.0.0.1, crawl them.

The crawl is the real one (``scrapy ingest`` over HTTP, through the demo server as a proxy),
with the politeness delays off because the sites are local. Exits with the crawl's exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.settings import Settings

from crawler.cli import BlotterCommand
from sitegen.server import DemoServer

if TYPE_CHECKING:
    from scrapy.crawler import CrawlerProcessBase

ROOT = Path(__file__).resolve().parents[2]
DEMO_SITES = ROOT / "seeds" / "demo" / "sites"
LOCAL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "BLOTTER_ALLOW_PRIVATE=true",  # the demo server is on 127.0.0.1
)


def crawl_demo(
    db: Path | str,
    sources: Path | str = ROOT / "seeds" / "demo.toml",
    sites: Path | str = DEMO_SITES,
    extra: list[str] | None = None,
    log_level: str = "WARNING",
) -> subprocess.CompletedProcess:
    """Serve ``sites``, run ``scrapy ingest`` over ``sources`` into ``db``, stop the server."""
    with DemoServer(sites) as server:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "ingest",
            "--sources",
            str(sources),
            "--db",
            str(db),
            "--proxy",
            server.proxy_url,
            "-s",
            f"LOG_LEVEL={log_level}",
        ]
        for setting in LOCAL_SETTINGS:
            command += ["-s", setting]
        command += extra or []
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(command, cwd=ROOT, env=env, check=False)


@contextlib.contextmanager
def demo_proxy(
    settings: Settings, sites: Path | str = DEMO_SITES, enabled: bool = True
) -> Iterator[DemoServer | None]:
    """Serve ``sites`` on 127.0.0.1 and send this process's crawl through it (its proxy set as
    ``BLOTTER_PROXY`` at command-line priority) until the block ends, then stop the server.

    With ``enabled=False`` (a command run without ``--demo``) nothing is served or set, and the
    block gets None.
    """
    if not enabled:
        yield None
        return
    with DemoServer(sites) as server:
        settings.set("BLOTTER_PROXY", server.proxy_url, priority="cmdline")
        yield server


def scraped_items(
    process: CrawlerProcessBase, settings: Settings, spider: str, *, demo: bool, **spider_args: Any
) -> list[dict]:
    """Run ``spider`` (with ``spider_args``) in ``process`` to its end, through the demo sites
    when ``demo``; every item it scraped, in the order scraped (what ``scrapy discover`` and
    the checking commands collect)."""
    items: list[dict] = []

    def collect(item: dict, **_: Any) -> None:
        items.append(item)

    with demo_proxy(settings, enabled=demo):
        crawler = process.create_crawler(spider)
        # (a local function, alive until the crawl ends: signals hold weak references)
        crawler.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(crawler, **spider_args)
        process.start()
    return items


class Command(BlotterCommand):
    usage = "[--db data/demo.db] [--log-level WARNING] [-- INGEST-ARGS]"
    summary = "Serve the bundled demo sites on 127.0.0.1 and crawl them into a database"
    accepts_extra_args = True

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser, default="data/demo.db")
        parser.add_argument("--log-level", default="WARNING", help="(default: %(default)s)")

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        extra = args[1:] if args[:1] == ["--"] else args
        return crawl_demo(opts.db, extra=extra, log_level=opts.log_level).returncode
