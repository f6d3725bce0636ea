"""``scrapy registry``: load the US agency registry into the database, or re-derive it.

- ``scrapy registry [--db DB] [--file seeds/registry/agencies.csv.gz] [--sources FILE]``: put
  every agency of the registry file into ``agencies`` (new ones added, known ones refreshed,
  sources and their history untouched), record the source list's sources there as a crawl
  does (``--sources``, default ``BLOTTER_SOURCES``; ``--sources -`` for none), and link each
  source to its registry agency by name and state.
- ``scrapy registry --build FROM.csv [--file OUT]``: derive the registry file from PDAP's
  agency export (``pdap-agencies.csv``); the same export always gives the same bytes.

Exit codes: 0 done; 2 a file that cannot be read (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.cli import BlotterCommand
from crawler.discovery.registry import (
    REGISTRY_FILE,
    RegistryError,
    match_source,
    read_pdap,
    read_registry,
    registry_index,
    write_registry,
)
from crawler.sources import SourceListError, load_sources
from pipelines.store import Store, StoreError


def link_sources(store: Store) -> dict[str, str]:
    """Link every unlinked source of ``store`` to the one registry agency of its name and state."""
    index = registry_index(store.registry_rows())
    links = {}
    for source in store.unlinked_sources():
        if found := match_source(source["name"], source["state"], index):
            links[source["id"]] = found
    store.link_sources(links)
    return links


class Command(BlotterCommand):
    usage = "[--db DB] [--file REGISTRY] | --build PDAP.csv [--file OUT]"
    summary = "Load the US agency registry into the database (or --build it from PDAP's export)"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)
        parser.add_argument(
            "--file",
            type=Path,
            default=REGISTRY_FILE,
            help="registry file (default: seeds/registry/agencies.csv.gz)",
        )
        parser.add_argument(
            "--build", type=Path, metavar="PDAP.csv", help="derive --file from PDAP's export"
        )
        parser.add_argument(
            "--sources", help="source list whose sources to record (default: BLOTTER_SOURCES)"
        )

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        try:
            if opts.build:
                return self._build(opts.build, opts.file)
            rows = read_registry(opts.file)
            path = opts.sources or self.settings.get("BLOTTER_SOURCES")
            sources = [] if path == "-" else load_sources(path)
        except (RegistryError, SourceListError) as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return 2
        try:
            store = Store(opts.db)
            counts = store.load_registry(rows)
            store.upsert_agencies(source.as_row() for source in sources)
            links = link_sources(store)
            total = store.count("agencies")
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return 2
        store.close()
        print(
            f"registry: {len(rows)} agencies from {opts.file} into {opts.db} "
            f"({counts['new']} new, {counts['updated']} refreshed); "
            f"{len(sources)} source(s) of {path} recorded, {len(links)} newly linked to their "
            f"agency; agencies table: {total} rows"
        )
        for source_id, registry_id in sorted(links.items()):
            print(f"  {source_id} -> {registry_id}")
        return 0

    @staticmethod
    def _build(pdap: Path, out: Path) -> int:
        rows, report = read_pdap(pdap)
        write_registry(rows, out)
        print(
            f"registry: {report.rows} agencies of {report.states} states from {pdap} -> {out} "
            f"({out.stat().st_size:,} bytes); {report.with_homepage} with a homepage "
            f"({report.homepage_fixed} bare hosts given http://, "
            f"{report.homepage_dropped} not a URL and left out)"
        )
        return 0
