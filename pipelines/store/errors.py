"""The store's errors, and what a SQLite error says about the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path


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
