"""The SQLite store: schema, migrations and every write blotter makes. The only module with SQL.

A database file is opened with :class:`Store`, which turns on foreign keys and WAL and applies any
pending migration in place (an older file is upgraded, never recreated). Releases are keyed by
their canonical URL; a changed page keeps its previous text in ``release_versions``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tomllib
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from pipelines.extract.name_parts import split_name
from pipelines.store.identity import release_uid
from pipelines.store.lock import Locked, WriterLock
from pipelines.store.migrations import migrations
from pipelines.store.views import create_views, drop_views

SCHEMA_VERSION = len(list(migrations.pending(Database(memory=True))))
ERROR_KINDS = ("layout", "store", "limit", "format", "fetch")
"""Kinds of a source's errors, gravest first: "layout" (fetched, but the selectors found no
links or body: a redesign), "store" (a release could not be saved), "limit" (a listing cut at a
configured limit), "format" (not the kind of page its platform serves), "fetch" (HTTP errors,
timeouts, refused connections and redirects)."""
DEFAULT_DB = "data/releases.db"
"""The database file when neither ``--db``/``DB=`` nor ``BLOTTER_DB`` names one."""
_WS = re.compile(r"\s+")
FULL_PASS_RETRIES = 3  # failed runs in a row after which a source stops getting full passes


NIBRS_FILE = resources.files("pipelines.extract") / "data" / "nibrs.toml"  # inside an egg too


@cache
def offense_codes() -> dict[str, dict]:
    """The NIBRS offense codes charges are mapped to: code → name, group, crime against."""
    with NIBRS_FILE.open("rb") as handle:
        return tomllib.load(handle)["codes"]


def method_json(methods: dict | str | None) -> str | None:
    """``releases.extraction_method`` as stored: the strategies' dict as JSON (keys sorted)."""
    if not methods:
        return None
    if isinstance(methods, str):
        return methods
    return json.dumps(methods, sort_keys=True)


def unpack_blob(data: bytes | None) -> bytes | None:
    """The archived bytes of a ``blobs.data`` value as stored (zlib), or None for None."""
    return zlib.decompress(data) if data is not None else None


def now_utc() -> str:
    """The current time as an ISO 8601 UTC string (seconds precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def content_hash(title: str | None, body_text: str | None) -> str:
    """A hash of what a reader sees: title and body text, whitespace-insensitive."""
    normalized = _WS.sub(" ", f"{title or ''}\n{body_text or ''}").strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def extraction_hash(extraction: dict) -> str:
    """A hash of everything an extraction says (its extractor version aside)."""
    content = {k: v for k, v in extraction.items() if k != "extractor_version"}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def problem_rows(extraction: dict) -> list[dict]:
    """The problems of an extraction as rows of ``extraction_problems`` (without ids): one per
    structured record of ``problem_records`` ({"field", "value", "reason", "person"}: the index
    of the person in ``people`` or None), then one per ``problems`` string that no record
    stands for (field and value NULL, the string as the reason)."""
    rows = []
    told = set()
    for rec in extraction.get("problem_records") or []:
        told.add(rec.get("text"))
        rows.append(
            {
                "person": rec.get("person"),
                "field": rec.get("field"),
                "value": _text_or_none(rec.get("value")),
                "reason": str(rec.get("reason") or rec.get("text") or "problem"),
            }
        )
    for text in extraction.get("problems") or []:
        if text not in told:
            rows.append({"person": None, "field": None, "value": None, "reason": str(text)})
    return rows


@dataclass
class RunCounts:
    """What one crawl run (or one source within it) did."""

    requests: int = 0
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


class StoreError(Exception):
    """A database file that cannot be used as asked; the message names the file and the fix."""


class StoreLocked(StoreError):
    """Another process holds the database's writer lock (``<db>.lock``)."""


# What a SQLite error says about the file, and what to do about it (first match wins).
_DIAGNOSES = (
    ("disk is full", "the disk is full: free some space and run again"),
    ("disk i/o error", "a disk I/O error (disk full, or failing?): check the disk and run again"),
    ("readonly", "cannot be written (a read-only file or directory?): check its permissions"),
    ("read-only", "cannot be written (a read-only file or directory?): check its permissions"),
    ("unable to open", "cannot be opened: check that its directory exists and is writable"),
    ("malformed", "is corrupt: restore it from a backup, or move it aside to start a new one"),
    ("not a database", "is not a SQLite database: check DB=/--db, or move the file aside"),
    ("locked", "is locked by another program: stop it (or wait) and run again"),
    ("busy", "is locked by another program: stop it (or wait) and run again"),
)


def storage_problem(exc: BaseException) -> str | None:
    """What a storage exception says about the database file, or None when it is not one.

    ``database or disk is full``, read-only, corrupt and locked files, and I/O errors are
    storage problems (nothing can be stored until someone acts); a bad row is not.
    """
    if isinstance(exc, StoreError):
        return str(exc)
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
    ):
        return None
    text = str(exc).lower()
    return next((advice for needle, advice in _DIAGNOSES if needle in text), None)


def storage_error(path: Path | str, exc: BaseException) -> StoreError:
    """A :class:`StoreError` naming ``path``, what went wrong and what to do."""
    if isinstance(exc, StoreError):
        return exc
    advice = storage_problem(exc) or "could not be used"
    return StoreError(f"{path}: {advice} ({exc}); nothing already stored is lost")


class _Database(Database):
    """sqlite-utils' Database whose write transactions begin with ``BEGIN IMMEDIATE``.

    A transaction that starts as a read and later writes cannot wait for another writer (SQLite
    answers "database is locked" at once); one that takes the write lock first waits up to the
    busy timeout instead.
    """

    @contextlib.contextmanager
    def atomic(self):  # noqa: ANN201 - as in sqlite-utils
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


class Store:
    """One blotter database file.

    Opened for writing (the default), the file is created if need be, migrated to the current
    schema in place (an older file is upgraded, never recreated), and its views are made the
    current ones. Opened with ``readonly=True`` (health, export, serve), it is never written:
    a missing file, or one made by an older blotter that needs upgrading, raises
    :class:`StoreError`.

    A writing Store holds the database's writer lock (:mod:`pipelines.store.lock`) from before
    its migrations until :meth:`close`: a second writing process waits up to ``lock_wait``
    seconds (default ``BLOTTER_LOCK_WAIT``, 0) and then raises :class:`StoreLocked`. A file that
    cannot be opened, written or read (read-only, corrupt, disk full) raises :class:`StoreError`
    naming it and what to do.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False, lock_wait: float | None = None):
        self.path = Path(path)
        self.readonly = readonly
        self.lock: WriterLock | None = None
        if readonly:
            try:
                self.db = self._open_readonly()
            except sqlite3.DatabaseError as exc:
                raise storage_error(self.path, exc) from exc
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its directory ({exc})") from exc
        self.lock = WriterLock(self.path, lock_wait)
        try:
            self.lock.acquire()
        except Locked as exc:
            raise StoreLocked(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot take its lock file ({exc})") from exc
        try:
            self._open_writable()
        except BaseException as exc:
            self.lock.release()
            if isinstance(exc, sqlite3.DatabaseError):
                raise storage_error(self.path, exc) from exc
            raise

    def _open_writable(self) -> None:
        self.db = _Database(self.path)
        self.db.conn.isolation_level = "IMMEDIATE"  # implicit transactions take the write lock
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA busy_timeout = 10000")
        if self.db.journal_mode != "wal":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        if list(migrations.pending(self.db)):
            drop_views(self.db)
            migrations.apply(self.db)
            applied = len(list(migrations.applied(self.db)))
            self.db.execute(f"PRAGMA user_version = {int(applied)}")
        create_views(self.db)
        self._sync_offense_categories()

    @staticmethod
    def sqlite_version() -> str:
        """The version of the SQLite library the store runs on."""
        return sqlite3.sqlite_version

    def _open_readonly(self) -> Database:
        if not self.path.is_file():
            raise StoreError(
                f"{self.path}: no such database (crawl first: make demo or make ingest)"
            )
        uri = self.path.resolve().as_uri()
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            if os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK):
                raise
            # a read-only file (or directory) in WAL mode: no writer can be at work on it, so
            # it is read as it is, without the shared-memory file a WAL reader needs
            connection.close()
            connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
        db = Database(connection)
        db.execute("PRAGMA busy_timeout = 10000")
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            db.close()
            raise StoreError(
                f"{self.path}: made by an older blotter; upgrade it once with a writing command "
                f"(make reparse DB={self.path})"
            )
        return db

    def _sync_offense_categories(self) -> None:
        rows = [
            {
                "code": code,
                "name": entry["name"],
                "nibrs_group": entry["group"],
                "crime_against": entry["crime_against"],
            }
            for code, entry in offense_codes().items()
        ]
        current = {tuple(r.values()) for r in self.query("SELECT * FROM offense_categories")}
        if current != {tuple(r.values()) for r in rows}:
            with self.db.atomic():
                self.db.execute("DELETE FROM offense_categories")
                self.db["offense_categories"].insert_all(rows)

    def close(self) -> None:
        """Close the connection (everything written is already committed); free the lock."""
        try:
            self.db.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    @property
    def schema_version(self) -> int:
        """How many migrations this file has had applied."""
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- agencies -----------------------------------------------------------------------------

    def upsert_agencies(self, rows: Iterable[dict]) -> None:
        """Record (or refresh) the agencies of a source list."""
        with self.db.atomic():
            self.db["agencies"].upsert_all(list(rows), pk="id")

    # The hot path writes with plain statements: sqlite-utils' insert() reads the table's schema
    # on every call, which was most of the store's time per release in `make bench`.
    def _insert(self, table: str, row: dict) -> int:
        columns = ", ".join(f'"{name}"' for name in row)
        marks = ", ".join("?" for _ in row)
        cursor = self.db.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(row.values())
        )
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, row: dict) -> None:
        assignments = ", ".join(f'"{name}" = ?' for name in row)
        self.db.execute(f'UPDATE "{table}" SET {assignments} WHERE id = ?', [*row.values(), row_id])

    # -- releases -----------------------------------------------------------------------------

    def known_urls(self, agency_id: str) -> set[str]:
        """Canonical URLs already stored for one agency."""
        rows = self.db.execute("SELECT url FROM releases WHERE agency_id = ?", [agency_id])
        return {url for (url,) in rows.fetchall()}

    def save_release(self, release: dict, extraction: dict | None = None) -> str:
        """Store one fetched release; return ``"new"``, ``"updated"`` or ``"unchanged"``.

        ``release`` carries agency_id, url, title, published_at, published_raw, body_html,
        body_text, fetched_at, and optionally extraction_method (a dict: which strategy read
        each part, stored as JSON). A release whose text changed keeps its previous version in
        ``release_versions``. The release, its version and its extracted rows are written in
        one transaction: a reader never sees half of it.
        """
        digest = content_hash(release.get("title"), release.get("body_text"))
        seen = release.get("fetched_at") or now_utc()
        method = method_json(release.get("extraction_method"))
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
                "page_sha256": release.get("page_sha256"),
                "body_html": release.get("body_html"),
                "body_text": release.get("body_text"),
                "content_sha256": digest,
                "extraction_method": method,
                "last_seen_at": seen,
                "removed_at": None,
            }
            if row is None:
                fields |= {
                    "first_seen_at": seen,
                    "updated_at": None,
                    "uid": release_uid(release["url"]),
                }
                release_id = self._insert("releases", fields)
                outcome = "new"
            else:
                release_id, old_title, old_pub, old_html, old_text, old_digest = row[:6]
                updated_at, first_seen, old_version = row[6:]
                if old_digest == digest:
                    self.db.execute(
                        "UPDATE releases SET last_seen_at = ?, removed_at = NULL, "
                        "extraction_method = ? WHERE id = ?",
                        [seen, method, release_id],
                    )
                    outcome = "unchanged"
                    new_version = extraction and extraction.get("extractor_version")
                    if extraction is None or new_version == old_version:
                        return outcome
                else:
                    self._insert(
                        "release_versions",
                        {
                            "release_id": release_id,
                            "title": old_title,
                            "published_at": old_pub,
                            "body_html": old_html,
                            "body_text": old_text,
                            "content_sha256": old_digest,
                            "seen_from": updated_at or first_seen,
                            "seen_until": seen,
                        },
                    )
                    fields["updated_at"] = seen
                    self._update("releases", release_id, fields)
                    outcome = "updated"
            if extraction is not None:
                self._replace_extraction(release_id, extraction)
        return outcome

    def mark_removed(self, urls: Iterable[str], when: str | None = None) -> int:
        """Stamp ``removed_at`` on stored releases their site no longer serves; rows are kept."""
        when = when or now_utc()
        with self.db.atomic():
            changed = 0
            for url in urls:
                cursor = self.db.execute(
                    "UPDATE releases SET removed_at = ? WHERE url = ? AND removed_at IS NULL",
                    [when, url],
                )
                changed += cursor.rowcount
        return changed

    def _replace_extraction(self, release_id: int, extraction: dict) -> None:
        version = extraction.get("extractor_version")
        for table in ("extraction_problems", "bonds", "charges", "people"):
            self.db.execute(f"DELETE FROM {table} WHERE release_id = ?", [release_id])
        incident = extraction.get("incident") or {}
        self.db.execute(
            "UPDATE releases SET incident_date = ?, incident_time = ?, date_inferred = ?, "
            "location = ?, extraction_problems = ?, extractor_version = ?, "
            "extraction_sha256 = ? WHERE id = ?",
            [
                incident.get("date"),
                incident.get("time"),
                int(bool(incident.get("date_inferred"))),
                incident.get("location"),
                json.dumps(extraction.get("problems") or []),
                version,
                extraction_hash(extraction),
                release_id,
            ],
        )
        person_ids: list[int] = []
        for position, person in enumerate(extraction.get("people") or []):
            first_name, last_name = split_name(person.get("name"))
            person_id = self._insert(
                "people",
                {
                    "release_id": release_id,
                    "position": position,
                    "role": person.get("role") or "other",
                    "name": person.get("name"),
                    "first_name": first_name,
                    "last_name": last_name,
                    "age": person.get("age"),
                    "residence": person.get("residence"),
                    "juvenile": int(bool(person.get("juvenile"))),
                    "extractor_version": version,
                },
            )
            person_ids.append(person_id)
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
            for charge in charges:
                self._insert("charges", charge)
            bond = person.get("bond")
            if bond:
                self._insert(
                    "bonds",
                    {
                        "release_id": release_id,
                        "person_id": person_id,
                        "amount": bond.get("amount"),
                        "type": bond.get("type") or "unspecified",
                        "text": bond.get("text"),
                        "extractor_version": version,
                    },
                )

        for problem in problem_rows(extraction):
            person = problem.pop("person")
            in_range = isinstance(person, int) and 0 <= person < len(person_ids)
            self._insert(
                "extraction_problems",
                {
                    "release_id": release_id,
                    "person_id": person_ids[person] if in_range else None,
                    **problem,
                    "extractor_version": version,
                },
            )

    # -- reparse ------------------------------------------------------------------------------

    def archived_releases(
        self, after_id: int = 0, limit: int = 500, *, with_page: bool = False
    ) -> list[dict]:
        """Releases with an archived page, in id order after ``after_id``, with their source.

        ``with_page`` adds ``page``: the archived bytes as stored (:func:`unpack_blob` gives
        them back; None when the blob is missing), so a worker process can unpack them.
        """
        page = ", b.data AS page" if with_page else ""
        join = " LEFT JOIN blobs b ON b.sha256 = r.page_sha256" if with_page else ""
        return self.query(
            "SELECT r.id, r.url, r.agency_id, r.title, r.published_at, r.published_raw, "
            "r.body_html, r.body_text, r.extraction_sha256, r.page_sha256, "
            f"r.extraction_method, r.last_seen_at{page}, "
            "(SELECT max(p.fetched_at) FROM pages p WHERE p.sha256 = r.page_sha256) AS fetched_at "
            f"FROM releases r{join} WHERE r.page_sha256 IS NOT NULL AND r.id > ? "
            "ORDER BY r.id LIMIT ?",
            [after_id, limit],
        )

    def reparsed(self, release: dict, fields: dict, extraction: dict) -> bool:
        """Apply one reparse result; return whether anything stored changed.

        A new body from better parsing is not an edit by the agency: the release row is
        updated in place, without a ``release_versions`` row. Call inside :meth:`batch`.
        """
        changed = False
        if any(release.get(key) != value for key, value in fields.items()):
            digest = content_hash(fields.get("title"), fields.get("body_text"))
            self._update("releases", release["id"], {**fields, "content_sha256": digest})
            changed = True
        if extraction_hash(extraction) != release["extraction_sha256"]:
            self._replace_extraction(release["id"], extraction)
            changed = True
        return changed

    def batch(self):
        """A transaction for a batch of writes (a context manager)."""
        return self.db.atomic()

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, sources_file: str, source_ids: list[str], shard: str | None = None) -> int:
        """Open a ``crawl_runs`` row, and a "running" ``source_runs`` row per source.

        ``shard`` ("1/2") records which part of the source list the run crawled; every run gets
        a random ``uid`` that ``scrapy merge`` keeps. A run killed before :meth:`finish_run`
        leaves its sources "running", which tells the next run to page through those sources in
        full (see :meth:`needs_full_pass`).
        """
        with self.db.atomic():
            run_id = (
                self.db["crawl_runs"]
                .insert(
                    {
                        "started_at": now_utc(),
                        "sources_file": sources_file,
                        "sources": len(source_ids),
                        "status": "running",
                        "shard": shard,
                        "uid": uuid.uuid4().hex,
                    }
                )
                .last_pk
            )
            self.db["source_runs"].insert_all(
                [{"run_id": run_id, "agency_id": s, "status": "running"} for s in source_ids]
            )
        return run_id

    def finish_run(
        self,
        run_id: int,
        totals: RunCounts,
        per_source: dict[str, tuple[RunCounts, str | None, str | None]],
        elapsed: float,
        status: str,
        source_status: dict[str, str] | None = None,
        close_reason: str | None = None,
        dropped: dict[str, int] | None = None,
    ) -> None:
        """Close a run: its totals, and each source's counts, error and status.

        ``status`` is the run's ("ok", "failed" or "interrupted"); ``source_status`` each
        source's (by default "failed" when it had errors, else "ok"); ``close_reason`` why the
        crawl ended (Scrapy's close reason: "finished", "shutdown", "run_budget", ...);
        ``dropped`` how many requests of a source were dropped unsent when it was interrupted.
        """
        source_status = source_status or {}
        dropped = dropped or {}
        with self.db.atomic():
            self.db["crawl_runs"].update(
                run_id,
                {
                    "finished_at": now_utc(),
                    "elapsed_seconds": round(elapsed, 3),
                    "status": status,
                    "close_reason": close_reason,
                    **vars(totals),
                },
            )
            for agency_id, (counts, error, error_kind) in per_source.items():
                self.db.execute(
                    "UPDATE source_runs SET requests = ?, pages = ?, new = ?, updated = ?, "
                    "unchanged = ?, errors = ?, error = ?, error_kind = ?, status = ?, "
                    "dropped = ? WHERE run_id = ? AND agency_id = ?",
                    [
                        counts.requests,
                        counts.pages,
                        counts.new,
                        counts.updated,
                        counts.unchanged,
                        counts.errors,
                        error,
                        error_kind,
                        source_status.get(agency_id) or ("failed" if counts.errors else "ok"),
                        dropped.get(agency_id, 0),
                        run_id,
                        agency_id,
                    ],
                )

    def interrupt_run(self, run_id: int, reason: str) -> None:
        """Mark a run that could not finish itself (a second Ctrl-C) and its running sources
        ``interrupted``: their next run pages through them in full."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE crawl_runs SET status = 'interrupted', close_reason = ?, "
                "finished_at = ? WHERE id = ? AND status = 'running'",
                [reason, now_utc(), run_id],
            )
            self.db.execute(
                "UPDATE source_runs SET status = 'interrupted', error = coalesce(error, ?) "
                "WHERE run_id = ? AND status = 'running'",
                [f"interrupted: {reason}", run_id],
            )

    def needs_full_pass(self, agency_id: str, before_run: int | None = None) -> bool:
        """Whether a source's listing must be paged through in full on its next run.

        True when the source never ran, when its last run (before ``before_run``) was killed
        or interrupted mid-way (a signal, a time budget), or when it failed (a release past
        the first known page may be missing) — but not after three failed runs in a row: a
        page that fails every night would otherwise have the whole listing walked every
        night. Health flags such a source.
        """
        rows = self.db.execute(
            "SELECT status FROM source_runs WHERE agency_id = ? AND run_id < ? "
            "ORDER BY run_id DESC LIMIT ?",
            [agency_id, before_run if before_run is not None else 2**62, FULL_PASS_RETRIES],
        ).fetchall()
        statuses = [status for (status,) in rows]
        if not statuses or statuses[0] in ("running", "interrupted"):
            return True  # killed or stopped half-way: what it did not reach may be missing
        if statuses[0] == "ok":
            return False
        return not (len(statuses) == FULL_PASS_RETRIES and all(s == "failed" for s in statuses))

    # -- raw archive --------------------------------------------------------------------------

    def archive_page(
        self,
        *,
        url: str,
        agency_id: str | None,
        kind: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        fetched_at: str | None = None,
    ) -> str:
        """Keep one fetched page as fetched; return its sha256. Identical bytes are stored once."""
        digest = hashlib.sha256(body).hexdigest()
        fetched_at = fetched_at or now_utc()
        lowered = {k.lower(): v for k, v in headers.items()}
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
                [digest, len(body), zlib.compress(body, 6)],
            )
            self.db.execute(
                "INSERT INTO pages (url, agency_id, kind, status, content_type, headers, sha256, "
                "etag, last_modified, first_fetched_at, fetched_at, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url, sha256) DO UPDATE SET status = excluded.status, "
                "headers = excluded.headers, etag = excluded.etag, "
                "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
                "checked_at = excluded.checked_at",
                [
                    url,
                    agency_id,
                    kind,
                    status,
                    lowered.get("content-type"),
                    json.dumps(lowered, sort_keys=True),
                    digest,
                    lowered.get("etag"),
                    lowered.get("last-modified"),
                    fetched_at,
                    fetched_at,
                    fetched_at,
                ],
            )
        return digest

    def latest_page(self, url: str) -> dict | None:
        """The most recent archived fetch of ``url`` (without its body), or None."""
        rows = self.query(
            "SELECT url, agency_id, kind, status, content_type, headers, sha256, etag, "
            "last_modified, fetched_at, checked_at FROM pages WHERE url = ? "
            "ORDER BY fetched_at DESC, id DESC LIMIT 1",
            [url],
        )
        return rows[0] if rows else None

    def page_checked(self, url: str, sha256: str, checked_at: str | None = None) -> None:
        """Record that ``url`` was confirmed unchanged (a 304, or served from the archive)."""
        self.db.execute(
            "UPDATE pages SET checked_at = ? WHERE url = ? AND sha256 = ?",
            [checked_at or now_utc(), url, sha256],
        )

    def archived_pages(self) -> Iterable[dict]:
        """Every archived page version (without its body), in the order it was first kept."""
        cursor = self.db.execute(
            "SELECT id, url, agency_id, kind, status, headers, sha256, fetched_at FROM pages "
            "ORDER BY id"
        )
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def age_archive(self, seconds: float) -> int:
        """Move every archived page's fetch and check times ``seconds`` into the past.

        What a later night sees, without waiting for it: benchmarks and tests simulate the
        next night's crawl (robots.txt TTL, conditional requests) this way. Returns the rows
        moved.
        """
        shift = f"-{float(seconds):.3f} seconds"
        moved = "strftime('%Y-%m-%dT%H:%M:%S+00:00', {0}, ?)"
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE pages SET "
                + ", ".join(
                    f"{column} = {moved.format(column)}"
                    for column in ("first_fetched_at", "fetched_at", "checked_at")
                ),
                [shift, shift, shift],
            )
        return cursor.rowcount

    def blob(self, sha256: str) -> bytes | None:
        """The archived bytes with this sha256, or None."""
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        return unpack_blob(row[0]) if row else None

    # -- reading ------------------------------------------------------------------------------

    def count(self, table: str) -> int:
        """Rows in one table."""
        return self.db[table].count

    def query(self, sql: str, params: Iterable | dict | None = None) -> list[dict]:
        """Rows of a read-only query, as dicts."""
        return list(self.db.query(sql, params or []))

    def agencies(self) -> list[dict]:
        """Every source's agency row, as the crawl last recorded it (its selectors included).

        Registry agencies without a source (no ``listing_url``) are not among them.
        """
        return self.query("SELECT * FROM agencies WHERE listing_url IS NOT NULL ORDER BY id")

    # -- the registry, discovery and verification ---------------------------------------------

    REGISTRY_COLUMNS = (
        "id",
        "slug",
        "name",
        "state",
        "county",
        "county_fips",
        "municipality",
        "agency_type",
        "homepage_url",
        "defunct_year",
    )

    def load_registry(self, rows: Iterable[dict]) -> dict[str, int]:
        """Put every registry agency into ``agencies`` (one transaction); ``{"new", "updated"}``.

        A registry row only writes its own columns: a source row's listing, platform and
        crawl history are never touched. Raises :class:`StoreError` when a registry id is a
        source's id (the two would be confused), naming the ids.
        """
        rows = [
            {
                key: (row.get(key) or ("" if key == "state" else None))
                for key in self.REGISTRY_COLUMNS
            }
            for row in rows
        ]
        sources = {
            r["id"] for r in self.query("SELECT id FROM agencies WHERE listing_url IS NOT NULL")
        }
        clash = sorted(sources & {row["id"] for row in rows})
        if clash:
            raise StoreError(
                f"{self.path}: registry ids already used by sources: {', '.join(clash[:5])}"
            )
        known = {r["id"] for r in self.query("SELECT id FROM agencies")}
        with self.db.atomic():
            self.db["agencies"].upsert_all(rows, pk="id", batch_size=1000)
        new = sum(1 for row in rows if row["id"] not in known)
        return {"new": new, "updated": len(rows) - new}

    def registry_rows(self) -> list[dict]:
        """Every registry agency (``agencies`` rows without a listing): id, name and state."""
        return self.query(
            "SELECT id, name, state FROM agencies WHERE listing_url IS NULL ORDER BY id"
        )

    def unlinked_sources(self) -> list[dict]:
        """Sources not yet linked to a registry agency: id, name, state."""
        return self.query(
            "SELECT id, name, state FROM agencies WHERE listing_url IS NOT NULL "
            "AND registry_id IS NULL ORDER BY id"
        )

    def link_sources(self, links: dict[str, str]) -> int:
        """Record each source's registry agency (``{source id: registry id}``); how many."""
        with self.db.atomic():
            for source_id, registry_id in links.items():
                self.db.execute(
                    "UPDATE agencies SET registry_id = ? WHERE id = ? AND listing_url IS NOT NULL",
                    [registry_id, source_id],
                )
        return len(links)

    def registry_agencies(
        self, states: Iterable[str] = (), ids: Iterable[str] = (), homepage: bool = True
    ) -> list[dict]:
        """Registry agencies by state and/or id (or slug), those with a homepage by default."""
        sql = "SELECT * FROM agencies WHERE listing_url IS NULL"
        params: list = []
        states, ids = list(states), list(ids)
        if states:
            sql += f" AND state IN ({', '.join('?' for _ in states)})"
            params += states
        if ids:
            marks = ", ".join("?" for _ in ids)
            sql += f" AND (id IN ({marks}) OR slug IN ({marks}))"
            params += ids + ids
        if homepage:
            sql += " AND coalesce(homepage_url, '') != ''"
        return self.query(sql + " ORDER BY state, name", params)

    def save_discovered(self, rows: Iterable[dict]) -> int:
        """Record discovered candidate sources (replacing an earlier discovery of the same id)."""
        rows = list(rows)
        with self.db.atomic():
            self.db["discovered_sources"].upsert_all(rows, pk="id")
        return len(rows)

    def discovered_sources(self) -> list[dict]:
        """Every discovered candidate source, by id."""
        return self.query("SELECT * FROM discovered_sources ORDER BY id")

    def record_check(self, check: dict) -> int:
        """Keep one check of a source (``source_id``, ``origin``, ``listing_url``, ``status``
        ``verified`` or ``broken``, ``reason``, ``report``); updates a discovered candidate's
        status too. Returns the check's row id."""
        row = {**check, "checked_at": check.get("checked_at") or now_utc()}
        with self.db.atomic():
            check_id = self._insert("source_checks", row)
            self.db.execute(
                "UPDATE discovered_sources SET status = ? WHERE id = ?",
                [row["status"], row["source_id"]],
            )
        return check_id

    def coverage(self) -> list[dict]:
        """The ``coverage`` view, by state."""
        return self.query("SELECT * FROM coverage ORDER BY state")

    def latest_run(self) -> dict | None:
        """The newest ``crawl_runs`` row, or None when the file has none."""
        rows = self.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

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


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
