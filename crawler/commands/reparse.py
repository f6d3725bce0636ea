"""``scrapy reparse [--db DB]``: rebuild every release from its archived page (no network)."""

from __future__ import annotations

import argparse

from crawler.cli import BlotterCommand
from crawler.reparse import reparse


class Command(BlotterCommand):
    usage = "[--db DB]"
    summary = "Re-run page parsing and extraction over the archived pages (no network)"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        report = reparse(opts.db)
        print(
            f"reparsed {report.releases} releases from the archive: {report.changed} changed, "
            f"{report.errors} errors, {report.seconds:.2f} s ({report.rate:.0f} releases/s)"
        )
        return 1 if report.errors else 0
