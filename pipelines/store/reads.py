"""Reads for people and reports: health, search, sizes, column types and exports."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.store.connection import StoreBase


@dataclass(frozen=True)
class Export:
    """How one table or view is exported: its columns, its date filter, its row order."""

    order: str
    since: str | None = None
    columns: str = "*"


_RELEASE_SINCE = "release_id IN (SELECT id FROM releases WHERE substr(published_at, 1, 10) >= ?)"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# What users may export: the views and the tables of releases and what was extracted from
# them. Not the raw archive (pages, blobs), the search index or the migration log; releases
# without their stored HTML (body_text holds the words).
EXPORTS: dict[str, Export] = {
    "arrests": Export("release_date, agency_id, release_id, person_id", "release_date >= ?"),
    "charge_counts": Export("agency_id, month, category", "month >= ?"),
    "source_health": Export("agency_id"),
    "agencies": Export("id"),
    "releases": Export(
        "published_at, id",
        "substr(published_at, 1, 10) >= ?",
        "id, uid, agency_id, url, title, published_at, published_raw, body_text, incident_date, "
        "incident_time, date_inferred, location, first_seen_at, last_seen_at, updated_at, "
        "removed_at, extractor_version",
    ),
    "release_versions": Export(
        "release_id, id",
        _RELEASE_SINCE,
        "id, release_id, title, published_at, body_text, seen_from, seen_until",
    ),
    "people": Export("release_id, position", _RELEASE_SINCE),
    "charges": Export("release_id, person_id, position", _RELEASE_SINCE),
    "bonds": Export("release_id, person_id, id", _RELEASE_SINCE),
    "extraction_problems": Export("release_id, id", _RELEASE_SINCE),
    "release_people": Export("release_id, position", _RELEASE_SINCE),
    "offense_categories": Export("code"),
    "crawl_runs": Export("id", "substr(started_at, 1, 10) >= ?"),
    "source_runs": Export(
        "run_id, agency_id", "run_id IN (SELECT id FROM crawl_runs WHERE started_at >= ?)"
    ),
}


class Reads(StoreBase):
    """Read-only questions a command asks of the file."""

    def release_texts(self) -> list[tuple[str, str | None, str, str]]:
        """(body text, publication day, state, agency name) of every release, in id order."""
        return self.db.execute(
            "SELECT r.body_text, substr(r.published_at, 1, 10), a.state, a.name "
            "FROM releases r JOIN agencies a ON a.id = r.agency_id ORDER BY r.id"
        ).fetchall()

    def table_sizes(self) -> dict[str, int]:
        """Bytes per table and index after a WAL checkpoint ({} without SQLite's dbstat)."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            rows = self.db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat
            return {}
        return dict(rows)

    def source_health(self) -> list[dict]:
        """The ``source_health`` view, one row per agency in id order (see migration 004)."""
        return self.query("SELECT * FROM source_health ORDER BY agency_id")

    def search_releases(self, words: str, limit: int = 20) -> list[dict]:
        """Releases whose title or text match ``words`` (FTS5 syntax), best match first.

        Each row: id, agency_id, title, published_at, url, and a ``snippet`` of the text with
        the matched words in [brackets].
        """
        return self.query(
            "SELECT r.id, r.agency_id, r.title, r.published_at, r.url, "
            "snippet(releases_fts, 1, '[', ']', '…', 12) AS snippet "
            "FROM releases_fts JOIN releases r ON r.id = releases_fts.rowid "
            "WHERE releases_fts MATCH ? ORDER BY releases_fts.rank LIMIT ?",
            [words, limit],
        )

    def is_empty(self) -> bool:
        """Whether the file holds no release yet (a fresh default database, a crawl not run)."""
        return self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM releases)").fetchone()[0] == 1

    def column_types(self, table: str, columns: list[str]) -> list[str]:
        """The SQLite type of each of ``columns`` of a table or view: declared, else as stored.

        A view's computed column has no declared type; it is read from the first non-null
        value (``text`` when the column holds none).
        """
        declared = {c.name: (c.type or "").lower() for c in self.db[table].columns}
        types = []
        for name in columns:
            kind = declared.get(name, "")
            if not kind:
                row = self.db.execute(
                    f'SELECT typeof("{name}") FROM "{table}" WHERE "{name}" IS NOT NULL LIMIT 1'
                ).fetchone()
                kind = row[0] if row else "text"
            types.append(kind)
        return types

    def export_cursor(self, table: str, since: str | None = None) -> tuple[list[str], Iterable]:
        """Column names and a row cursor over one exportable table or view (see ``EXPORTS``).

        ``since`` (``YYYY-MM-DD``) keeps rows of releases published (for ``charge_counts``: of
        months) on or after that day. Raises ``KeyError`` for a table not in ``EXPORTS`` and
        ``ValueError`` for a ``since`` the table cannot be filtered by or that is not a date.
        """
        spec = EXPORTS[table]
        sql = f"SELECT {spec.columns} FROM {table}"
        params: list[str] = []
        if since is not None:
            if not _ISO_DAY.fullmatch(since):
                raise ValueError(f"since must be a date like 2021-10-01, not {since!r}")
            if spec.since is None:
                raise ValueError(f"{table} has no date to filter by: export it without since")
            sql += f" WHERE {spec.since}"
            params.append(since[:7] if table == "charge_counts" else since)
        sql += f" ORDER BY {spec.order}"
        cursor = self.db.execute(sql, params)
        return [column[0] for column in cursor.description], cursor
