"""Opening a database file: its lock, pragmas, migrations and views; the write helpers.

:class:`StoreBase` is what every part of :class:`pipelines.store.Store` builds on: ``self.db``
(sqlite-utils), ``self.path``, :meth:`StoreBase.query`, :meth:`StoreBase.batch` and the plain
``INSERT``/``UPDATE`` helpers of the hot path.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from pipelines.store.errors import StoreError, StoreLocked, storage_error
from pipelines.store.lock import Locked, WriterLock
from pipelines.store.migrations import migrations
from pipelines.store.offenses import sync_offense_categories
from pipelines.store.views import create_views, drop_views

SCHEMA_VERSION = len(list(migrations.pending(Database(memory=True))))


def now_utc() -> str:
    """The current time as an ISO 8601 UTC string (seconds precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


class StoreBase:
    """An open database file (see :class:`pipelines.store.Store` for what opening promises)."""

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
        sync_offense_categories(self.db)

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

    def count(self, table: str) -> int:
        """Rows in one table."""
        return self.db[table].count

    def query(self, sql: str, params: Iterable | dict | None = None) -> list[dict]:
        """Rows of a read-only query, as dicts."""
        return list(self.db.query(sql, params or []))

    def batch(self):
        """A transaction for a batch of writes (a context manager)."""
        return self.db.atomic()
