"""The SQLite store: schema, migrations and every write blotter makes. The only module with SQL.

A database file is opened with :class:`Store`, which turns on foreign keys and WAL and applies any
pending migration in place (an older file is upgraded, never recreated). Releases are keyed by
their canonical URL; a changed page keeps its previous text in ``release_versions``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database, Migrations

migrations = Migrations("blotter")


@migrations(name="001_core")
def _core(db: Database) -> None:
    db["agencies"].create(
        {
            "id": str,
            "name": str,
            "state": str,
            "timezone": str,
            "platform": str,
            "listing_url": str,
            "feed_url": str,
            "enabled": int,
            "disabled_reason": str,
        },
        pk="id",
        not_null={"name", "state", "timezone", "platform", "listing_url"},
    )
    db["releases"].create(
        {
            "id": int,
            "agency_id": str,
            "url": str,
            "title": str,
            "published_at": str,
            "published_raw": str,
            "body_html": str,
            "body_text": str,
            "content_sha256": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "updated_at": str,
            "removed_at": str,
        },
        pk="id",
        not_null={"agency_id", "url", "content_sha256", "first_seen_at", "last_seen_at"},
        foreign_keys=[("agency_id", "agencies", "id")],
    )
    db["releases"].create_index(["url"], unique=True)
    db["releases"].create_index(["agency_id"])
    db["releases"].create_index(["published_at"])
    db["release_versions"].create(
        {
            "id": int,
            "release_id": int,
            "title": str,
            "published_at": str,
            "body_html": str,
            "body_text": str,
            "content_sha256": str,
            "seen_from": str,
            "seen_until": str,
        },
        pk="id",
        not_null={"release_id", "content_sha256"},
        foreign_keys=[("release_id", "releases", "id")],
    )
    db["release_versions"].create_index(["release_id"])
    db["crawl_runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "sources_file": str,
            "sources": int,
            "requests": int,
            "pages": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "errors": int,
            "elapsed_seconds": float,
            "status": str,
        },
        pk="id",
    )
    db["source_runs"].create(
        {
            "id": int,
            "run_id": int,
            "agency_id": str,
            "requests": int,
            "pages": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "errors": int,
            "error": str,
            "status": str,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id"), ("agency_id", "agencies", "id")],
    )
    db["source_runs"].create_index(["run_id"])
    db["source_runs"].create_index(["agency_id"])


@migrations(name="002_extraction")
def _extraction(db: Database) -> None:
    for column, kind in (
        ("incident_date", str),
        ("incident_time", str),
        ("date_inferred", int),
        ("location", str),
        ("extraction_problems", str),
        ("extractor_version", str),
    ):
        db["releases"].add_column(column, kind)
    db["people"].create(
        {
            "id": int,
            "release_id": int,
            "position": int,
            "role": str,
            "name": str,
            "age": int,
            "residence": str,
            "juvenile": int,
            "extractor_version": str,
        },
        pk="id",
        not_null={"release_id", "role"},
        foreign_keys=[("release_id", "releases", "id")],
    )
    db["people"].create_index(["release_id"])
    db["charges"].create(
        {
            "id": int,
            "release_id": int,
            "person_id": int,
            "position": int,
            "text": str,
            "statute": str,
            "counts": int,
            "canonical": str,
            "category": str,
            "confidence": str,
            "extractor_version": str,
        },
        pk="id",
        not_null={"release_id", "text"},
        foreign_keys=[("release_id", "releases", "id"), ("person_id", "people", "id")],
    )
    db["charges"].create_index(["release_id"])
    db["charges"].create_index(["person_id"])
    db["charges"].create_index(["category"])
    db["bonds"].create(
        {
            "id": int,
            "release_id": int,
            "person_id": int,
            "amount": int,
            "type": str,
            "text": str,
            "extractor_version": str,
        },
        pk="id",
        not_null={"release_id", "type"},
        foreign_keys=[("release_id", "releases", "id"), ("person_id", "people", "id")],
    )
    db["bonds"].create_index(["release_id"])
    db["bonds"].create_index(["person_id"])


SCHEMA_VERSION = len(list(migrations.pending(Database(memory=True))))
_WS = re.compile(r"\s+")


def now_utc() -> str:
    """The current time as an ISO 8601 UTC string (seconds precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def content_hash(title: str | None, body_text: str | None) -> str:
    """A hash of what a reader sees: title and body text, whitespace-insensitive."""
    normalized = _WS.sub(" ", f"{title or ''}\n{body_text or ''}").strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


@dataclass
class RunCounts:
    """What one crawl run (or one source within it) did."""

    requests: int = 0
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


class Store:
    """One blotter database file, migrated to the current schema on open."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 10000")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(self.db)
        applied = len(list(migrations.applied(self.db)))
        self.db.execute(f"PRAGMA user_version = {int(applied)}")

    def close(self) -> None:
        """Close the connection; everything written is already committed."""
        self.db.close()

    @property
    def schema_version(self) -> int:
        """How many migrations this file has had applied."""
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- agencies -----------------------------------------------------------------------------

    def upsert_agencies(self, rows: Iterable[dict]) -> None:
        """Record (or refresh) the agencies of a source list."""
        with self.db.atomic():
            self.db["agencies"].upsert_all(list(rows), pk="id")

    # -- releases -----------------------------------------------------------------------------

    def known_urls(self, agency_id: str) -> set[str]:
        """Canonical URLs already stored for one agency."""
        rows = self.db.execute("SELECT url FROM releases WHERE agency_id = ?", [agency_id])
        return {url for (url,) in rows.fetchall()}

    def save_release(self, release: dict, extraction: dict | None = None) -> str:
        """Store one fetched release; return ``"new"``, ``"updated"`` or ``"unchanged"``.

        ``release`` carries agency_id, url, title, published_at, published_raw, body_html,
        body_text, fetched_at. A release whose text changed keeps its previous version in
        ``release_versions``. The release, its version and its extracted rows are written in
        one transaction: a reader never sees half of it.
        """
        digest = content_hash(release.get("title"), release.get("body_text"))
        seen = release.get("fetched_at") or now_utc()
        with self.db.atomic():
            row = self.db.execute(
                "SELECT id, title, published_at, body_html, body_text, content_sha256, "
                "updated_at, first_seen_at, extractor_version FROM releases WHERE url = ?",
                [release["url"]],
            ).fetchone()
            fields = {
                "agency_id": release["agency_id"],
                "url": release["url"],
                "title": release.get("title"),
                "published_at": release.get("published_at"),
                "published_raw": release.get("published_raw"),
                "body_html": release.get("body_html"),
                "body_text": release.get("body_text"),
                "content_sha256": digest,
                "last_seen_at": seen,
                "removed_at": None,
            }
            if row is None:
                fields |= {"first_seen_at": seen, "updated_at": None}
                release_id = self.db["releases"].insert(fields).last_pk
                outcome = "new"
            else:
                release_id, old_title, old_pub, old_html, old_text, old_digest = row[:6]
                updated_at, first_seen, old_version = row[6:]
                if old_digest == digest:
                    self.db.execute(
                        "UPDATE releases SET last_seen_at = ?, removed_at = NULL WHERE id = ?",
                        [seen, release_id],
                    )
                    outcome = "unchanged"
                    new_version = extraction and extraction.get("extractor_version")
                    if extraction is None or new_version == old_version:
                        return outcome
                else:
                    self.db["release_versions"].insert(
                        {
                            "release_id": release_id,
                            "title": old_title,
                            "published_at": old_pub,
                            "body_html": old_html,
                            "body_text": old_text,
                            "content_sha256": old_digest,
                            "seen_from": updated_at or first_seen,
                            "seen_until": seen,
                        }
                    )
                    fields["updated_at"] = seen
                    self.db["releases"].update(release_id, fields)
                    outcome = "updated"
            if extraction is not None:
                self._replace_extraction(release_id, extraction)
        return outcome

    def replace_extraction(self, release_id: int, extraction: dict) -> None:
        """Replace one release's derived rows (people, charges, bonds) in one transaction."""
        with self.db.atomic():
            self._replace_extraction(release_id, extraction)

    def _replace_extraction(self, release_id: int, extraction: dict) -> None:
        version = extraction.get("extractor_version")
        for table in ("bonds", "charges", "people"):
            self.db.execute(f"DELETE FROM {table} WHERE release_id = ?", [release_id])
        incident = extraction.get("incident") or {}
        self.db.execute(
            "UPDATE releases SET incident_date = ?, incident_time = ?, date_inferred = ?, "
            "location = ?, extraction_problems = ?, extractor_version = ? WHERE id = ?",
            [
                incident.get("date"),
                incident.get("time"),
                int(bool(incident.get("date_inferred"))),
                incident.get("location"),
                json.dumps(extraction.get("problems") or []),
                version,
                release_id,
            ],
        )
        for position, person in enumerate(extraction.get("people") or []):
            person_id = (
                self.db["people"]
                .insert(
                    {
                        "release_id": release_id,
                        "position": position,
                        "role": person.get("role") or "other",
                        "name": person.get("name"),
                        "age": person.get("age"),
                        "residence": person.get("residence"),
                        "juvenile": int(bool(person.get("juvenile"))),
                        "extractor_version": version,
                    }
                )
                .last_pk
            )
            charges = [
                {
                    "release_id": release_id,
                    "person_id": person_id,
                    "position": n,
                    "text": charge.get("text"),
                    "statute": charge.get("statute"),
                    "counts": charge.get("counts"),
                    "canonical": charge.get("canonical"),
                    "category": charge.get("category"),
                    "confidence": _text_or_none(charge.get("confidence")),
                    "extractor_version": version,
                }
                for n, charge in enumerate(person.get("charges") or [])
            ]
            if charges:
                self.db["charges"].insert_all(charges)
            bond = person.get("bond")
            if bond:
                self.db["bonds"].insert(
                    {
                        "release_id": release_id,
                        "person_id": person_id,
                        "amount": bond.get("amount"),
                        "type": bond.get("type") or "unspecified",
                        "text": bond.get("text"),
                        "extractor_version": version,
                    }
                )

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, sources_file: str, sources: int) -> int:
        """Open a ``crawl_runs`` row and return its id."""
        return (
            self.db["crawl_runs"]
            .insert(
                {
                    "started_at": now_utc(),
                    "sources_file": sources_file,
                    "sources": sources,
                    "status": "running",
                }
            )
            .last_pk
        )

    def finish_run(
        self,
        run_id: int,
        totals: RunCounts,
        per_source: dict[str, tuple[RunCounts, str | None]],
        elapsed: float,
        status: str,
    ) -> None:
        """Close a run: its totals, and one ``source_runs`` row per source with its error."""
        with self.db.atomic():
            self.db["crawl_runs"].update(
                run_id,
                {
                    "finished_at": now_utc(),
                    "elapsed_seconds": round(elapsed, 3),
                    "status": status,
                    **vars(totals),
                },
            )
            self.db["source_runs"].insert_all(
                [
                    {
                        "run_id": run_id,
                        "agency_id": agency_id,
                        **vars(counts),
                        "error": error,
                        "status": "failed" if counts.errors else "ok",
                    }
                    for agency_id, (counts, error) in per_source.items()
                ]
            )

    # -- reading ------------------------------------------------------------------------------

    def count(self, table: str) -> int:
        """Rows in one table."""
        return self.db[table].count

    def query(self, sql: str, params: Iterable | dict | None = None) -> list[dict]:
        """Rows of a read-only query, as dicts."""
        return list(self.db.query(sql, params or []))


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
