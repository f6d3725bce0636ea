"""``python -m pipelines.export``: one table or view of a blotter database as CSV or JSON.

    python -m pipelines.export --db data/demo.db --table arrests --format csv --since 2021-10-01

Only what users should see can be exported (``pipelines.store.EXPORTS``: the views, releases and
what was extracted from them, the crawl runs), never the raw archive. CSV has a header row even
when no row matches; JSON is one array of objects. Exit codes: 0 written, 2 a wrong argument
(unknown table or format, bad date, no such database file).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pipelines.store import EXPORTS, Store

FORMATS = ("csv", "json")


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why and what would work."""


def export(db: Path | str, table: str, fmt: str, out: TextIO, since: str | None = None) -> int:
    """Write ``table`` of the database ``db`` to ``out`` as ``fmt``; return the rows written.

    Raises :class:`ExportError` naming the unknown table or format, a bad ``since``, or a
    database file that does not exist (no empty file is created in its place).
    """
    if table not in EXPORTS:
        raise ExportError(f"unknown table {table!r}: choose one of {', '.join(EXPORTS)}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose csv or json")
    if not Path(db).is_file():
        raise ExportError(f"no database at {db}: run `make demo` or `make ingest` first")
    store = Store(db)
    try:
        try:
            columns, rows = store.export_cursor(table, since)
        except ValueError as exc:
            raise ExportError(str(exc)) from exc
        writer = _write_csv if fmt == "csv" else _write_json
        return writer(columns, rows, out)
    finally:
        store.close()


def _write_csv(columns: list[str], rows: Iterable[tuple], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
    return written


def _write_json(columns: list[str], rows: Iterable[tuple], out: TextIO) -> int:
    written = 0
    out.write("[")
    for row in rows:
        out.write(",\n  " if written else "\n  ")
        out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
        written += 1
    out.write("\n]\n" if written else "]\n")
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].strip("`: "))
    parser.add_argument("--db", required=True, help="database file")
    parser.add_argument("--table", required=True, help=f"one of: {', '.join(EXPORTS)}")
    parser.add_argument("--format", default="csv", help="csv (default) or json")
    parser.add_argument("--since", help="only rows of releases published on or after YYYY-MM-DD")
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    args = parser.parse_args(argv)
    fmt = args.format.lower()
    if args.out == "-":
        try:
            export(args.db, args.table, fmt, sys.stdout, since=args.since)
        except ExportError as exc:
            print(f"export: {exc}", file=sys.stderr)
            return 2
        return 0
    # Written beside the target and renamed at the end: a failed export leaves no half file
    # and never clobbers an earlier good one.
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as target:
            rows = export(args.db, args.table, fmt, target, since=args.since)
    except ExportError as exc:
        partial.unlink(missing_ok=True)
        print(f"export: {exc}", file=sys.stderr)
        return 2
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    print(f"export: {rows} rows of {args.table} written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
