"""``scrapy discover``: find where agencies publish, from their homepages; write candidates.

    scrapy discover --state MT [--db DB] [--out data/discovered.toml]
    scrapy discover --agency pdap-rec00RgFAPxV31kPC,mt-custer-county-sheriffs-office
    scrapy discover --registry seeds/demo/registry.csv --demo     # the demo homepages

Agencies come from the database's registry (``make registry`` first) or from a registry file
(``--registry``, loaded into the database as by ``scrapy registry``), chosen by ``--state``
and/or ``--agency`` (ids or slugs); only those with a homepage are visited. Each visit is polite
as a crawl is (robots.txt, the user agent, delays, AutoThrottle) and spends at most
``BLOTTER_DISCOVER_MAX_REQUESTS`` requests. Candidates, with their evidence and ``status =
"discovered"``, are merged into ``--out`` (never into ``seeds/sources.toml``) and recorded in
the database's ``discovered_sources``.

Exit codes: 0 done (even when some agencies gave no candidate: the summary says why);
2 bad arguments, an unreadable registry, or no agency to visit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.demo import scraped_items
from crawler.commands.registry import link_sources
from crawler.discovery.candidates import (
    merge,
    read_discovered,
    state_timezone,
    unique_id,
    write_discovered,
)
from crawler.discovery.registry import RegistryError, read_registry, source_slug
from crawler.sources import SourceListError
from pipelines.store import Store, StoreError, now_utc

ROOT = Path(__file__).resolve().parents[2]
DEMO_REGISTRY = ROOT / "seeds" / "demo" / "registry.csv"
LOCAL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


def choose_agencies(rows: list[dict], states: list[str], ids: list[str]) -> list[dict]:
    """Registry rows of the given states and ids (or slugs), with a homepage."""
    chosen = []
    for row in rows:
        if states and row.get("state") not in states:
            continue
        if ids and row["id"] not in ids and row.get("slug") not in ids:
            continue
        if row.get("homepage_url"):
            chosen.append(row)
    return chosen


def candidate_entries(findings: list[dict], taken: dict[str, str | None]) -> list[dict]:
    """Discovered ``[[source]]`` entries of the spider's findings that have a listing."""
    entries = []
    when = now_utc()
    for finding in findings:
        if not finding.get("listing_url"):
            continue
        agency = finding["agency"]
        state = agency.get("state") or ""
        source_id = unique_id(
            source_slug(agency["name"], state), agency["id"], taken, agency.get("county") or ""
        )
        zone, guessed = state_timezone(state)
        evidence = {k: list(v) for k, v in finding["evidence"].items()}
        if guessed:
            evidence["timezone"] = [f"{zone}: most of {state}; the state spans two zones, check"]
        social = finding["platform"] == "social"
        entries.append(
            {
                "id": source_id,
                "name": agency["name"],
                "state": state,
                "timezone": zone or "UTC",
                "platform": finding["platform"],
                "listing_url": finding["listing_url"],
                "feed_url": finding.get("feed_url"),
                "enabled": False,
                "disabled_reason": (
                    "publishes on social media only (not crawled)"
                    if social
                    else f"discovered; not yet verified (scrapy check-source {source_id})"
                ),
                "status": "discovered",
                "registry_id": agency["id"],
                "homepage_url": agency["homepage_url"],
                "fingerprint": finding.get("fingerprint") or finding["platform"],
                "discovered_at": when,
                "evidence": evidence,
            }
        )
    return entries


def summary_lines(findings: list[dict], entries: list[dict]) -> list[str]:
    """One line per agency: its candidate, or why there is none; then a total."""
    by_registry = {e["registry_id"]: e for e in entries}
    lines = []
    for finding in sorted(
        findings, key=lambda f: (f["agency"].get("state") or "", f["agency"]["name"])
    ):
        agency = finding["agency"]
        entry = by_registry.get(agency["id"])
        head = f"{agency['id']:<28} {agency['name'][:40]:<40}"
        if entry:
            feed = f" feed {entry['feed_url']}" if entry.get("feed_url") else ""
            lines.append(
                f"{head} {entry['fingerprint']:<11} {entry['id']}: {entry['listing_url']}{feed}"
            )
        else:
            lines.append(f"{head} {'-':<11} no candidate: {finding.get('reason')}")
    requests = sum(f.get("requests", 0) for f in findings)
    lines.append(
        f"discovered: {len(entries)} candidate(s) for {len(findings)} agencies "
        f"({requests} requests)"
    )
    return lines


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return (
            "[--state XX[,YY]] [--agency ID[,ID]] [--registry FILE] [--db DB] "
            "[--out data/discovered.toml] [--proxy URL] [--demo] [--limit N]"
        )

    def short_desc(self) -> str:
        return "Visit agencies' homepages and write candidate sources to a discovered list"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--state", default="", help="only agencies of these states")
        parser.add_argument("--agency", default="", help="only these agency ids or slugs")
        parser.add_argument("--registry", type=Path, help="a registry file instead of the db's")
        parser.add_argument("--db", help="database file (default: BLOTTER_DB)")
        parser.add_argument("--out", type=Path, default=Path("data/discovered.toml"))
        parser.add_argument("--proxy", help="send every request through this HTTP proxy")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="serve the demo sites on 127.0.0.1 and discover over them "
            "(registry: seeds/demo/registry.csv unless --registry)",
        )
        parser.add_argument("--limit", type=int, default=0, help="visit at most N agencies")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.db:
            self.settings.set("BLOTTER_DB", opts.db, priority="cmdline")
        if opts.proxy:
            self.settings.set("BLOTTER_PROXY", opts.proxy, priority="cmdline")
        if opts.demo:
            for name, value in LOCAL_SETTINGS.items():
                self.settings.set(name, value, priority="cmdline")
            opts.registry = opts.registry or DEMO_REGISTRY

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        states = [s.strip().upper() for s in opts.state.split(",") if s.strip()]
        ids = [s.strip() for s in opts.agency.split(",") if s.strip()]
        db = self.settings.get("BLOTTER_DB")
        try:
            if opts.registry:  # its agencies join the database's registry, as make registry does
                rows = read_registry(opts.registry)
                store = Store(db)
                store.load_registry(rows)
                link_sources(store)
                store.close()
            else:
                store = Store(db)
                rows = store.registry_agencies(states, ids)
                empty = not rows and not store.registry_rows()
                store.close()
                if empty:
                    print(
                        f"blotter: {db}: no registry loaded (make registry DB={db})",
                        file=sys.stderr,
                    )
                    self.exitcode = 2
                    return
            existing = read_discovered(opts.out)
        except (RegistryError, StoreError, SourceListError) as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        agencies = choose_agencies(rows, states, ids)
        if opts.limit:
            agencies = agencies[: opts.limit]
        if not agencies:
            wanted = ", ".join(states + ids) or "the registry"
            print(f"blotter: no agency with a homepage in {wanted}", file=sys.stderr)
            self.exitcode = 2
            return
        assert self.crawler_process
        findings = scraped_items(
            self.crawler_process, self.settings, "discover", demo=opts.demo, agencies=agencies
        )
        taken = {e["id"]: e.get("registry_id") for e in existing}
        entries = candidate_entries(findings, taken)
        write_discovered(opts.out, merge(existing, entries))
        try:
            store = Store(db)
            store.save_discovered(
                {
                    **{
                        k: e.get(k)
                        for k in (
                            "id",
                            "registry_id",
                            "name",
                            "state",
                            "timezone",
                            "platform",
                            "listing_url",
                            "feed_url",
                            "homepage_url",
                            "discovered_at",
                            "status",
                        )
                    },
                    "evidence": _json(e["evidence"]),
                }
                for e in entries
            )
            store.close()
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
        for line in summary_lines(findings, entries):
            print(line)
        print(f"written: {opts.out}")


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
