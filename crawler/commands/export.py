"""``scrapy export --table T [--format csv|json] [--out F] [--since D] [--db DB]``.

Writes one table or view of the database (see ``pipelines.store.EXPORTS``) as CSV or JSON, and
beside a file its codebook (``<name>.codebook.csv``: column, type, meaning, example). Reading a
database that holds no release yet is not an error but is said on stderr. The raw archive goes
out whole as WARC: ``--table pages --format warc --out archive.warc.gz``.
Exit codes: 0 written, 2 a wrong argument (unknown table or format, bad date, no database).
"""

from __future__ import annotations

import argparse
import sys

from crawler.cli import BlotterCommand, warn_if_empty
from pipelines.store import EXPORTS
from pipelines.store.export import ExportError, codebook_path, export_file
from pipelines.store.warc import WarcError, write_warc


class Command(BlotterCommand):
    usage = "--table TABLE [--format csv|json] [--out FILE] [--since YYYY-MM-DD] [--db DB]"
    summary = "Write one table or view of the database as CSV or JSON"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)
        parser.add_argument(
            "--table", required=True, help=f"one of: {', '.join(EXPORTS)}; or pages (as WARC)"
        )
        parser.add_argument(
            "--format", default="csv", help="csv (default) or json; warc for --table pages"
        )
        parser.add_argument("--since", help="only rows of releases published on or after a date")
        parser.add_argument("--out", default="-", help="output file (default: standard output)")

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        if opts.format.lower() == "warc" or opts.table == "pages":
            return self.warc(opts)
        try:
            rows = export_file(opts.db, opts.table, opts.format, opts.out, since=opts.since)
        except ExportError as exc:
            print(f"export: {exc}", file=sys.stderr)
            return 2
        warn_if_empty(opts.db, "export")
        if opts.out != "-":
            print(
                f"export: {rows} rows of {opts.table} written to {opts.out} "
                f"(columns explained in {codebook_path(opts.out)})",
                file=sys.stderr,
            )
        return 0

    def warc(self, opts: argparse.Namespace) -> int:
        """The raw archive as WARC: ``--table pages --format warc --out FILE``."""
        if opts.table != "pages" or opts.format.lower() != "warc" or opts.out == "-":
            print(
                f"export: unknown table {opts.table!r} as {opts.format}: the raw archive (pages) "
                "is exported only whole, as WARC, to a file: --table pages --format warc "
                "--out data/exports/archive.warc.gz (make warc)",
                file=sys.stderr,
            )
            return 2
        if opts.since:
            print(
                "export: a WARC export takes no --since (it is the whole archive)", file=sys.stderr
            )
            return 2
        try:
            records = write_warc(opts.db, opts.out)
        except WarcError as exc:
            print(f"export: {exc}", file=sys.stderr)
            return 2
        warn_if_empty(opts.db, "export")
        print(f"export: {records} archived pages written to {opts.out} (WARC)", file=sys.stderr)
        return 0
