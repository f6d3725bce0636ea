"""The SQLite store: schema, migrations and every write blotter makes. The only package with SQL.

A database file is opened with :class:`Store`, which turns on foreign keys and WAL and applies any
pending migration in place (an older file is upgraded, never recreated). Releases are keyed by
their canonical URL; a changed page keeps its previous text in ``release_versions``.

:class:`Store` is composed of one part per thing the file holds, each in its own module:

- :mod:`~pipelines.store.connection`: opening the file (lock, pragmas, migrations, views), the
  write helpers, :meth:`Store.query` and :meth:`Store.batch`
- :mod:`~pipelines.store.releases`: releases and their versions, reparse reads and writes
- :mod:`~pipelines.store.extraction`: the rows extracted from a release (people, charges, ...)
- :mod:`~pipelines.store.runs`: crawl runs and source runs
- :mod:`~pipelines.store.archive`: fetched pages and their bytes
- :mod:`~pipelines.store.registry`: agencies, the registry, discovered sources and checks
- :mod:`~pipelines.store.reads`: health, coverage, search, sizes and exports
"""

from __future__ import annotations

from pipelines.store.archive import Archive, unpack_blob
from pipelines.store.connection import SCHEMA_VERSION, now_utc
from pipelines.store.errors import StoreError, StoreLocked, storage_error, storage_problem
from pipelines.store.extraction import extraction_hash, problem_rows
from pipelines.store.migrations import migrations
from pipelines.store.offenses import NIBRS_FILE, offense_codes
from pipelines.store.reads import EXPORTS, Export, Reads
from pipelines.store.registry import REGISTRY_COLUMNS, Registry
from pipelines.store.releases import Releases, content_hash, method_json
from pipelines.store.runs import ERROR_KINDS, FULL_PASS_RETRIES, RunCounts, Runs

__all__ = [
    "DEFAULT_DB",
    "ERROR_KINDS",
    "EXPORTS",
    "FULL_PASS_RETRIES",
    "NIBRS_FILE",
    "REGISTRY_COLUMNS",
    "SCHEMA_VERSION",
    "Export",
    "RunCounts",
    "Store",
    "StoreError",
    "StoreLocked",
    "content_hash",
    "extraction_hash",
    "method_json",
    "migrations",
    "now_utc",
    "offense_codes",
    "problem_rows",
    "storage_error",
    "storage_problem",
    "unpack_blob",
]

DEFAULT_DB = "data/releases.db"
"""The database file when neither ``--db``/``DB=`` nor ``BLOTTER_DB`` names one."""


class Store(Releases, Runs, Archive, Registry, Reads):
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
