"""What ``scrapy check-source`` and ``scrapy verify`` share: finding the sources, running the
``check`` spider over them, the demo server, and recording verdicts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.demo import scraped_items
from crawler.discovery.candidates import as_sources, read_discovered, write_discovered
from crawler.discovery.check import verdict
from crawler.discovery.registry import slugify
from crawler.sources import Source, load_sources
from pipelines.store import Store, now_utc

ROOT = Path(__file__).resolve().parents[1]
DEMO_SOURCES = ROOT / "seeds" / "demo.toml"
LOCAL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


def url_source(url: str, platform: str | None) -> Source:
    """An ad-hoc source for a listing URL (``scrapy check-source URL``); platform ``auto``
    when not given: the check spider fingerprints the page."""
    host = urlsplit(url).hostname or "site"
    return Source(
        id=slugify(host) or "site",
        name=host,
        state="",
        timezone="UTC",
        platform=platform or "auto",
        listing_url=url,
    )


class CheckingCommand(ScrapyCommand):
    """Options and running shared by ``check-source`` and ``verify``."""

    requires_project = True

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--sources", help="source list (default: BLOTTER_SOURCES; seeds/demo.toml with --demo)"
        )
        parser.add_argument(
            "--discovered",
            type=Path,
            default=Path("data/discovered.toml"),
            help="discovered list (default: %(default)s)",
        )
        parser.add_argument("--db", help="database file (default: BLOTTER_DB)")
        parser.add_argument("--proxy", help="send every request through this HTTP proxy")
        parser.add_argument(
            "--demo", action="store_true", help="serve the demo sites on 127.0.0.1 and check there"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if opts.db:
            self.settings.set("BLOTTER_DB", opts.db, priority="cmdline")
        if opts.proxy:
            self.settings.set("BLOTTER_PROXY", opts.proxy, priority="cmdline")
        if opts.demo:
            for name, value in LOCAL_SETTINGS.items():
                self.settings.set(name, value, priority="cmdline")
        opts.sources = opts.sources or (
            str(DEMO_SOURCES) if opts.demo else self.settings.get("BLOTTER_SOURCES")
        )

    def listed(self, opts: argparse.Namespace) -> list[Source]:
        """The sources of the source list (``SourceListError`` when it is wrong)."""
        return load_sources(opts.sources)

    @staticmethod
    def discovered(opts: argparse.Namespace) -> tuple[list[dict], list[Source]]:
        """The discovered list's entries and their sources (social-only ones left out)."""
        entries = read_discovered(opts.discovered)
        crawlable = [e for e in entries if e.get("platform") != "social"]
        return entries, as_sources(crawlable, opts.discovered) if crawlable else []

    def check(self, sources: list[Source], opts: argparse.Namespace) -> list[dict]:
        """Run the check spider over ``sources``; one result per source, in their order."""
        assert self.crawler_process
        results = scraped_items(
            self.crawler_process, self.settings, "check", demo=opts.demo, sources=sources
        )
        return sorted(results, key=lambda r: r["index"])

    def record(self, results: list[dict], origins: list[str], opts: argparse.Namespace) -> None:
        """Keep each verdict in the database (``source_checks``) and the discovered list;
        ``origins[i]`` is ``"listed"`` or ``"discovered"`` for the i-th source checked."""
        when = now_utc()
        store = Store(self.settings.get("BLOTTER_DB"))
        verdicts = {}
        try:
            for result in results:
                source = result["source"]
                status, reason = verdict(result["listings"], result["release"])
                origin = origins[result["index"]]
                if origin == "discovered":
                    verdicts[source.id] = (status, reason)
                report = {
                    "listings": [
                        {
                            "url": c.url,
                            "kind": c.kind,
                            "links": len(c.links),
                            "next": c.next_url,
                            "strategy": c.strategy,
                            "error": c.error,
                        }
                        for c in result["listings"]
                    ],
                    "release": vars(result["release"]).copy() if result["release"] else None,
                }
                store.record_check(
                    {
                        "source_id": source.id,
                        "origin": origin,
                        "listing_url": source.listing_url,
                        "status": status,
                        "reason": reason,
                        "report": json.dumps(report, default=str, ensure_ascii=False),
                        "checked_at": when,
                    }
                )
        finally:
            store.close()
        entries = read_discovered(opts.discovered)
        changed = False
        for entry in entries:
            if entry["id"] in verdicts:
                entry["status"], entry["status_reason"] = verdicts[entry["id"]]
                entry["checked_at"] = when
                changed = True
        if changed:
            write_discovered(opts.discovered, entries)


def no_extra(args: list[str], most: int) -> None:
    """Refuse more positional arguments than a command takes."""
    if len(args) > most:
        raise UsageError(f"unexpected arguments: {' '.join(args[most:])}")
