"""The schema's tables, as sqlite-utils migrations applied in order on a writable open.

Migrations only create and alter tables, indexes and triggers; the views are defined once, in
``views.sql``, and re-created by :mod:`pipelines.store.views` after the migrations run.

A new migration says what it adds with :func:`create_table` and :func:`add_columns`, e.g.::

    @migrations(name="016_release_notes")
    def _release_notes(db: Database) -> None:
        # notes a reader keeps on a release
        create_table(
            db,
            "release_notes",
            {"id": int, "release_id": int, "note": str, "noted_at": str},
            not_null={"release_id", "note"},
            foreign_keys=[("release_id", "releases", "id")],
            indexes=[["release_id"]],
        )
        add_columns(db, "releases", {"note_count": int}, defaults={"note_count": 0})

Migrations 001 to 015 were written before these helpers and stay as they are: their SQL is the
schema of every file made since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database, Migrations
from sqlite_utils.db import Table

migrations = Migrations("blotter")


def create_table(
    db: Database,
    name: str,
    columns: dict[str, type],
    *,
    pk: str = "id",
    not_null: Iterable[str] = (),
    foreign_keys: Iterable[tuple[str, str, str]] = (),
    indexes: Iterable[Sequence[str]] = (),
    unique: Iterable[Sequence[str]] = (),
) -> Table:
    """Create table ``name`` with ``columns`` (name → Python type, in order), its primary key,
    NOT NULL columns and foreign keys (``(column, other table, other column)``), then an index
    on each column list of ``indexes`` and a unique index on each of ``unique``.

    Raises ``ValueError`` naming the table when ``pk``, a NOT NULL column or a foreign key's
    column is not among ``columns`` (sqlite-utils would otherwise add or ignore it silently).
    """
    named = [pk, *not_null, *(fk[0] for fk in foreign_keys)]
    missing = [column for column in named if column not in columns]
    if missing:
        raise ValueError(f"table {name}: {', '.join(missing)} not among its columns")
    table = db[name].create(
        columns, pk=pk, not_null=set(not_null), foreign_keys=list(foreign_keys) or None
    )
    for index in indexes:
        table.create_index(list(index))
    for index in unique:
        table.create_index(list(index), unique=True)
    return table


def add_columns(
    db: Database, name: str, columns: dict[str, type], *, defaults: dict | None = None
) -> list[str]:
    """Add each of ``columns`` (name → Python type) that table ``name`` lacks, in order; a
    column with a value in ``defaults`` is ``NOT NULL DEFAULT`` that value, so every existing
    row gets it. Returns the columns added (a column already there is left as it is).

    Raises ``ValueError`` naming the table when it does not exist, or when ``defaults`` names a
    column not in ``columns``.
    """
    defaults = defaults or {}
    stray = [column for column in defaults if column not in columns]
    if stray:
        raise ValueError(f"table {name}: defaults for {', '.join(stray)}, not among its columns")
    if not db[name].exists():
        raise ValueError(f"table {name} does not exist: create it first")
    present = set(db[name].columns_dict)
    added = []
    for column, kind in columns.items():
        if column in present:
            continue
        db[name].add_column(column, kind, not_null_default=defaults.get(column))
        added.append(column)
    return added


@migrations(name="001_core")
def _core(db: Database) -> None:
    _agencies_table(db)
    _release_tables(db)
    _run_tables(db)


def _agencies_table(db: Database) -> None:
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


def _release_tables(db: Database) -> None:
    """Releases keyed by canonical URL, and every earlier text of each in release_versions."""
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


def _run_tables(db: Database) -> None:
    """What each crawl did (crawl_runs), and per source (source_runs)."""
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


@migrations(name="003_archive")
def _archive(db: Database) -> None:
    # Raw pages as fetched. Bodies live once per sha256 in `blobs`, zlib-compressed;
    # `pages` has one row per (url, content) with the validators for conditional requests.
    db["blobs"].create(
        {"sha256": str, "size": int, "data": bytes}, pk="sha256", not_null={"size", "data"}
    )
    db["pages"].create(
        {
            "id": int,
            "url": str,
            "agency_id": str,
            "kind": str,
            "status": int,
            "content_type": str,
            "headers": str,
            "sha256": str,
            "etag": str,
            "last_modified": str,
            "first_fetched_at": str,
            "fetched_at": str,
            "checked_at": str,
        },
        pk="id",
        not_null={"url", "kind", "sha256", "fetched_at"},
        foreign_keys=[("sha256", "blobs", "sha256")],
    )
    db["pages"].create_index(["url", "sha256"], unique=True)
    db["pages"].create_index(["url", "fetched_at"])
    db["releases"].add_column("page_sha256", str)
    db["releases"].add_column("extraction_sha256", str)


@migrations(name="004_views_and_search")
def _search(db: Database) -> None:
    # (the views first made here are defined in views.sql, re-created on open)
    db["releases"].enable_fts(["title", "body_text"], create_triggers=True, tokenize="porter")


@migrations(name="005_arrests_one_row_and_fts_trigger")
def _fts_trigger(db: Database) -> None:
    # The search index needs refreshing only when the words change: not on every
    # `last_seen_at` stamp or re-extraction, which rewrote each release's index entry per crawl.
    db.execute("DROP TRIGGER IF EXISTS releases_au")
    db.execute(
        """
        CREATE TRIGGER releases_au AFTER UPDATE OF title, body_text ON releases BEGIN
          INSERT INTO releases_fts (releases_fts, rowid, title, body_text)
            VALUES ('delete', old.rowid, old.title, old.body_text);
          INSERT INTO releases_fts (rowid, title, body_text)
            VALUES (new.rowid, new.title, new.body_text);
        END
        """
    )


@migrations(name="006_agency_selectors")
def _agency_selectors(db: Database) -> None:
    # a source's own CSS selectors (JSON), so that a reparse reads pages as the crawl did
    db["agencies"].add_column("selectors", str)


@migrations(name="007_offense_categories")
def _offense_categories(db: Database) -> None:
    # NIBRS code names beside the codes: filled from pipelines/extract/data/nibrs.toml on every open
    db["offense_categories"].create(
        {"code": str, "name": str, "nibrs_group": str, "crime_against": str},
        pk="code",
        not_null={"name"},
    )


@migrations(name="008_source_run_error_kind")
def _error_kind(db: Database) -> None:
    # what kind of error a source met (see ERROR_KINDS), so health never reads error wording
    db["source_runs"].add_column("error_kind", str)


@migrations(name="009_extraction_problems")
def _extraction_problems(db: Database) -> None:
    # what the extractor doubted or threw away (a date after publication, an age of 140, a bond
    # of $2 billion), one row per problem so users can review them; replaced with the extraction
    db["extraction_problems"].create(
        {
            "id": int,
            "release_id": int,
            "person_id": int,
            "field": str,
            "value": str,
            "reason": str,
            "extractor_version": str,
        },
        pk="id",
        not_null={"release_id", "reason"},
        foreign_keys=[("release_id", "releases", "id"), ("person_id", "people", "id")],
    )
    db["extraction_problems"].create_index(["release_id"])
    db["extraction_problems"].create_index(["field"])


@migrations(name="010_registry")
def _registry(db: Database) -> None:
    # Every US agency of the registry (seeds/registry) lives in `agencies`, with or without a
    # source: a registry agency has state, county, type and homepage but no timezone, platform
    # or listing_url. A source (a row with a listing_url) links to its agency by registry_id.
    db["agencies"].transform(not_null={"timezone": False, "platform": False, "listing_url": False})
    for column in (
        "registry_id",
        "slug",
        "county",
        "county_fips",
        "municipality",
        "agency_type",
        "homepage_url",
        "defunct_year",
    ):
        db["agencies"].add_column(column, str)
    db["agencies"].create_index(["state"])
    db["agencies"].create_index(["registry_id"])
    # candidate sources found on agencies' homepages (scrapy discover), never crawled as such
    db["discovered_sources"].create(
        {
            "id": str,
            "registry_id": str,
            "name": str,
            "state": str,
            "timezone": str,
            "platform": str,
            "listing_url": str,
            "feed_url": str,
            "homepage_url": str,
            "evidence": str,
            "discovered_at": str,
            "status": str,
        },
        pk="id",
        not_null={"name", "listing_url", "discovered_at", "status"},
    )
    db["discovered_sources"].create_index(["registry_id"])
    # one row per check of a source (scrapy check-source / make verify): verified or broken
    db["source_checks"].create(
        {
            "id": int,
            "source_id": str,
            "origin": str,
            "listing_url": str,
            "status": str,
            "reason": str,
            "report": str,
            "checked_at": str,
        },
        pk="id",
        not_null={"source_id", "status", "checked_at"},
    )
    db["source_checks"].create_index(["source_id", "id"])


@migrations(name="011_extraction_method")
def _extraction_method(db: Database) -> None:
    # which strategy read each part of a release (JSON: {"body": "platform", "date": "json-ld",
    # "title": "source"}; see crawler/platforms/pages.py), so health can tell a source whose
    # selectors stopped matching; and a source's own extra hosts (JSON list), so that a reparse
    # applies the same same-site rule the crawl did
    db["releases"].add_column("extraction_method", str)
    db["agencies"].add_column("hosts", str)


@migrations(name="012_reader_columns")
def _reader_columns(db: Database) -> None:
    # What readers of the data asked for: a release id that survives rebuilds and merges (from
    # the canonical URL, the one stable key), first and last names beside the name as written,
    # and publication days without a made-up midnight.
    from pipelines.extract.name_parts import split_name
    from pipelines.store.identity import release_uid

    db["releases"].add_column("uid", str)
    db["people"].add_column("first_name", str)
    db["people"].add_column("last_name", str)
    for release_id, url in db.execute("SELECT id, url FROM releases").fetchall():
        db.execute("UPDATE releases SET uid = ? WHERE id = ?", [release_uid(url), release_id])
    db["releases"].create_index(["uid"], unique=True)
    for person_id, name in db.execute("SELECT id, name FROM people").fetchall():
        first, last = split_name(name)
        db.execute(
            "UPDATE people SET first_name = ?, last_name = ? WHERE id = ?",
            [first, last, person_id],
        )
    # a publication stamped at exactly local midnight whose raw text shows no clock time was
    # a date-only publication: keep the date alone
    for table in ("releases", "release_versions"):
        raw = "published_raw" if table == "releases" else "NULL"
        db.execute(
            f"UPDATE {table} SET published_at = substr(published_at, 1, 10) "
            "WHERE substr(published_at, 11, 9) = 'T00:00:00' "
            f"AND coalesce({raw}, '') NOT GLOB '*[0-9]:[0-9][0-9]*'"
        )


@migrations(name="013_run_status")
def _run_status(db: Database) -> None:
    # why a crawl ended (Scrapy's close reason: finished, shutdown, run_budget, storage_error...)
    # and how many requests of an interrupted source were dropped unsent; status may now also
    # be "interrupted" (signal, closespider, time budget), which gets the source a full pass
    db["crawl_runs"].add_column("close_reason", str)
    db["source_runs"].add_column("dropped", int, not_null_default=0)


@migrations(name="015_shards")
def _shards(db: Database) -> None:
    # A run's shard ("1/2": the part of the source list it crawled, or NULL for the whole list)
    # and a uid that stays the same when `scrapy merge` copies the run into another file, so
    # that merging a shard twice appends its runs once.
    db["crawl_runs"].add_column("shard", str)
    db["crawl_runs"].add_column("uid", str)
    db.execute("UPDATE crawl_runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
    db["crawl_runs"].create_index(["uid"], unique=True)


@migrations(name="016_pages_by_sha256")
def _pages_by_sha256(db: Database) -> None:
    # A release finds its archived page by the page's hash (`archived_releases`, the reparse):
    # without an index each lookup read every page, so a reparse of 20,000 releases spent
    # 2.9 ms a release on it, growing with the archive.
    db["pages"].create_index(["sha256"], if_not_exists=True)
