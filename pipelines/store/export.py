"""One table or view of a blotter database as CSV or JSON (``scrapy export``, ``make export``).

Only what users should see can be exported (``pipelines.store.EXPORTS``: the views, releases and
what was extracted from them, the crawl runs), never the raw archive. CSV has a header row even
when no row matches; JSON is one array of objects. Exit codes: 0 written, 2 a wrong argument
(unknown table or format, bad date, no such database file).
``export_file`` writes beside the target and renames at the end: a failed export leaves no
half file and never clobbers an earlier good one. Beside each file it writes its codebook,
``<name>.codebook.csv``: one row per column (column, type, meaning, example) from
``pipelines/store/columns.toml``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pipelines.store import EXPORTS, Store, StoreError
from pipelines.store.codebook import codebook_rows, write_codebook

FORMATS = ("csv", "json")


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why and what would work."""


def export(
    db: Path | str,
    table: str,
    fmt: str,
    out: TextIO,
    since: str | None = None,
    codebook: list | None = None,
) -> int:
    """Write ``table`` of the database ``db`` to ``out`` as ``fmt``; return the rows written.

    When ``codebook`` is a list, the codebook rows of the exported columns are appended to it.
    Raises :class:`ExportError` naming the unknown table or format, a bad ``since``, or a
    database file that does not exist (no empty file is created in its place).
    """
    if table not in EXPORTS:
        raise ExportError(f"unknown table {table!r}: choose one of {', '.join(EXPORTS)}")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose csv or json")
    try:
        store = Store(db, readonly=True)
    except StoreError as exc:
        raise ExportError(str(exc)) from None
    try:
        try:
            columns, rows = store.export_cursor(table, since)
        except ValueError as exc:
            raise ExportError(str(exc)) from exc
        if codebook is not None:
            types = store.column_types(table, columns)
            codebook.extend(codebook_rows(table, list(zip(columns, types, strict=True))))
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


def export_file(
    db: Path | str, table: str, fmt: str, out: Path | str, since: str | None = None
) -> int:
    """Write ``table`` of ``db`` to the file ``out`` (``-``: standard output); return the rows.

    A file gets its codebook beside it (:func:`codebook_path`). Raises :class:`ExportError` as
    :func:`export` does; the files are then left as they were.
    """
    fmt = fmt.lower()
    if str(out) == "-":
        return export(db, table, fmt, sys.stdout, since=since)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    book = codebook_path(out)
    book_partial = book.with_name(book.name + ".part")
    codebook: list = []
    try:
        with partial.open("w", encoding="utf-8", newline="") as target:
            rows = export(db, table, fmt, target, since=since, codebook=codebook)
        with book_partial.open("w", encoding="utf-8", newline="") as target:
            write_codebook(codebook, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        book_partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    book_partial.replace(book)
    return rows


def codebook_path(out: Path | str) -> Path:
    """Where the codebook of an export file goes: ``arrests.csv`` → ``arrests.codebook.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}.codebook.csv")
