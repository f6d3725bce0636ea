"""Merge shard databases into one file, by stable keys: never by integer id.

``n`` crawls of the same source list cut with ``-a shard=i/n`` each write their own file;
:func:`merge_shard` upserts one of them into a target :class:`~pipelines.store.Store`:

- ``agencies`` by id (the shard's row wins: it is the list the shard last crawled);
- ``blobs`` by sha256, ``pages`` by (url, sha256) (the earliest first fetch and the latest
  fetch and check are kept, with the validators of the latest fetch);
- ``releases`` by canonical URL. The newer text wins and the older becomes a
  ``release_versions`` row; versions are kept from both sides, each once (by content hash and
  the time it was first seen). A release's ``people``, ``charges`` and ``bonds`` are replaced
  together by those of the side whose text or extraction is newer;
- ``crawl_runs`` (with their ``source_runs``) appended once each, by their ``uid``, keeping
  their shard.

The whole shard is merged in one transaction: a merge that fails leaves the target as it was.
Merging the same shard twice changes nothing; merging tonight's shards into last night's merged
file adds what is new (the merge is incremental).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.store import SCHEMA_VERSION, Store, StoreError

# columns every side keeps; the integer ids are never copied
_RELEASE_TIMES = ("first_seen_at", "last_seen_at", "updated_at", "removed_at")


@dataclass
class MergeCounts:
    """What merging one shard did to the target."""

    shard: str
    agencies: int = 0
    blobs: int = 0
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: int = 0
    runs: int = 0
    sources: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the merge report."""
        return (
            f"{self.shard}: {self.agencies} agencies, releases {self.new} new / {self.updated} "
            f"updated / {self.unchanged} unchanged, {self.versions} versions added, "
            f"{self.pages} pages and {self.blobs} blobs added, {self.runs} runs appended"
        )


def check_shard(path: Path | str, into: Path | str) -> None:
    """Raise :class:`StoreError` naming ``path`` when it cannot be merged into ``into``."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such shard database")
    if Path(into).exists() and path.resolve() == Path(into).resolve():
        raise StoreError(f"{path}: is the target itself (--into); merge other files into it")
    try:
        shard = Store(path, readonly=True)
    except StoreError:
        raise
    except Exception as exc:  # not SQLite at all, or unreadable
        raise StoreError(f"{path}: not a blotter database ({exc})") from None
    try:
        tables = {t for (t,) in shard.db.execute("SELECT name FROM sqlite_master")}
        if not {"releases", "crawl_runs", "pages"} <= tables:
            raise StoreError(f"{path}: not a blotter database (no releases table)")
        version = shard.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: made by a newer blotter (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); merge with that version"
            )
    finally:
        shard.close()


def merge_shard(target: Store, path: Path | str) -> MergeCounts:
    """Upsert the shard database at ``path`` into ``target`` (see the module's docstring).

    One transaction: on any error nothing of the shard is kept and the error propagates.
    """
    check_shard(path, target.path)
    db = target.db
    counts = MergeCounts(shard=str(path))
    db.execute("ATTACH DATABASE ? AS shard", [str(Path(path).resolve())])  # only read
    try:
        with db.atomic():
            counts.agencies = _merge_agencies(target)
            counts.blobs = _changes(
                target,
                "INSERT INTO main.blobs (sha256, size, data) SELECT s.sha256, s.size, s.data "
                "FROM shard.blobs s WHERE s.sha256 NOT IN (SELECT sha256 FROM main.blobs)",
            )
            counts.pages = _merge_pages(target)
            _merge_releases(target, counts)
            counts.runs = _merge_runs(target)
    finally:
        db.execute("DETACH DATABASE shard")
    return counts


def _changes(target: Store, sql: str, params: list | None = None) -> int:
    return target.db.execute(sql, params or []).rowcount


def _names(columns: list[str], alias: str = "") -> str:
    """Quoted column names, comma-separated, each prefixed by ``alias.`` when one is given."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{c}"' for c in columns)


def _columns(target: Store, table: str, schema: str = "main") -> list[str]:
    return [row[1] for row in target.db.execute(f"PRAGMA {schema}.table_info([{table}])")]


def _common(target: Store, table: str, skip: tuple[str, ...] = ("id",)) -> list[str]:
    """Columns of ``table`` both files have (an older shard may lack a newer column)."""
    theirs = set(_columns(target, table, "shard"))
    return [c for c in _columns(target, table) if c in theirs and c not in skip]


def _merge_agencies(target: Store) -> int:
    columns = _common(target, "agencies", skip=())
    names = ", ".join(f'"{c}"' for c in columns)
    changed = " OR ".join(f'main.agencies."{c}" IS NOT excluded."{c}"' for c in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id")
    return _changes(
        target,
        f"INSERT INTO main.agencies ({names}) SELECT {names} FROM shard.agencies WHERE true "
        f"ON CONFLICT (id) DO UPDATE SET {updates} WHERE {changed}",
    )


def _merge_pages(target: Store) -> int:
    columns = _common(target, "pages")
    names = ", ".join(f'"{c}"' for c in columns)
    newer = "excluded.fetched_at > main.pages.fetched_at"
    latest = ", ".join(
        f'"{c}" = CASE WHEN {newer} THEN excluded."{c}" ELSE main.pages."{c}" END'
        for c in ("status", "content_type", "headers", "etag", "last_modified", "agency_id")
        if c in columns
    )
    before = _count(target, "pages")
    target.db.execute(
        f"INSERT INTO main.pages ({names}) SELECT {names} FROM shard.pages WHERE true "
        f"ON CONFLICT (url, sha256) DO UPDATE SET {latest}, "
        "first_fetched_at = min(main.pages.first_fetched_at, excluded.first_fetched_at), "
        "fetched_at = max(main.pages.fetched_at, excluded.fetched_at), "
        "checked_at = max(coalesce(main.pages.checked_at, ''), coalesce(excluded.checked_at, '')) "
        "WHERE excluded.fetched_at > main.pages.fetched_at "
        "OR coalesce(excluded.checked_at, '') > coalesce(main.pages.checked_at, '') "
        "OR excluded.first_fetched_at < main.pages.first_fetched_at"
    )
    return _count(target, "pages") - before


def _count(target: Store, table: str) -> int:
    return target.db.execute(f"SELECT count(*) FROM main.[{table}]").fetchone()[0]


def _text_since(row: dict) -> str:
    """When a release's current text was first seen."""
    return row["updated_at"] or row["first_seen_at"]


def _merge_releases(target: Store, counts: MergeCounts) -> None:
    """Upsert every release of the shard that is new or differs from the target's row."""
    db = target.db
    columns = _common(target, "releases")
    picked = ", ".join(f's."{c}"' for c in columns)
    # only the rows that are new to the target or differ from it in any column
    differs = " OR ".join(f's."{c}" IS NOT t."{c}"' for c in columns)
    shard_rows = db.execute(
        f"SELECT s.id AS shard_id, t.id AS target_id, {picked} FROM shard.releases s "
        f"LEFT JOIN main.releases t ON t.url = s.url WHERE t.id IS NULL OR {differs} "
        "ORDER BY s.id"
    )
    names = [d[0] for d in shard_rows.description]
    rows = [dict(zip(names, values, strict=True)) for values in shard_rows.fetchall()]
    counts.unchanged = db.execute("SELECT count(*) FROM shard.releases").fetchone()[0] - len(rows)
    if any(row["target_id"] is None for row in rows):
        _insert_new_releases(target, columns, counts)
    for theirs in rows:
        shard_id, target_id = theirs.pop("shard_id"), theirs.pop("target_id")
        if target_id is None:
            continue
        ours = target.query(
            f"SELECT {_names(columns)} FROM main.releases WHERE id = ?",
            [target_id],
        )[0]
        counts.versions += _copy_versions(target, shard_id, target_id)
        fields = _times(ours, theirs)
        if theirs["content_sha256"] != ours["content_sha256"]:
            if _text_since(theirs) > _text_since(ours):
                counts.versions += _keep_version(target, target_id, ours, _text_since(theirs))
                fields = {**theirs, **fields, "updated_at": _text_since(theirs)}
                _replace_derived(target, shard_id, target_id)
            else:  # the shard's text is the older one: ours stays, seen since it replaced it
                counts.versions += _keep_version(target, target_id, theirs, _text_since(ours))
                fields["updated_at"] = _text_since(ours)
        elif _extraction_newer(theirs, ours):
            fields |= {c: theirs[c] for c in columns if c not in _RELEASE_TIMES}
            _replace_derived(target, shard_id, target_id)
        changed = {k: v for k, v in fields.items() if ours.get(k) != v}
        if changed:
            target._update("releases", target_id, changed)
            counts.updated += 1
        else:
            counts.unchanged += 1


def _insert_new_releases(target: Store, columns: list[str], counts: MergeCounts) -> int:
    """Copy the releases new to the target, with their versions and derived rows, in bulk.

    Set-based (``INSERT … SELECT`` through temporary id maps) rather than row by row: the first
    merge of a shard copies every release it has.
    """
    db = target.db
    db.execute("CREATE TEMP TABLE IF NOT EXISTS merge_new (shard_id INTEGER PRIMARY KEY)")
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS merge_releases "
        "(shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS merge_people "
        "(shard_id INTEGER PRIMARY KEY, target_id INTEGER NOT NULL)"
    )
    for table in ("merge_new", "merge_releases", "merge_people"):
        db.execute(f"DELETE FROM temp.{table}")
    db.execute(
        "INSERT INTO temp.merge_new SELECT s.id FROM shard.releases s "
        "WHERE s.url NOT IN (SELECT url FROM main.releases)"
    )
    names = _names(columns)
    picked = ", ".join(f's."{c}"' for c in columns)
    db.execute(
        f"INSERT INTO main.releases ({names}) SELECT {picked} FROM shard.releases s "
        "JOIN temp.merge_new n ON n.shard_id = s.id ORDER BY s.id"
    )
    db.execute(
        "INSERT INTO temp.merge_releases SELECT s.id, t.id FROM shard.releases s "
        "JOIN temp.merge_new n ON n.shard_id = s.id JOIN main.releases t ON t.url = s.url"
    )
    added = db.execute("SELECT count(*) FROM temp.merge_new").fetchone()[0]
    counts.new += added
    versions = [c for c in _common(target, "release_versions") if c != "release_id"]
    counts.versions += _changes(
        target,
        f"INSERT INTO main.release_versions (release_id, {_names(versions)}) "
        f"SELECT m.target_id, {_names(versions, 'v')} "
        "FROM shard.release_versions v JOIN temp.merge_releases m ON m.shard_id = v.release_id "
        "ORDER BY v.id",
    )
    # people: inserted in the shard's order, then matched back by (release, position)
    people = [c for c in _common(target, "people") if c != "release_id"]
    db.execute(
        f"INSERT INTO main.people (release_id, {_names(people)}) "
        f"SELECT m.target_id, {_names(people, 'p')} FROM shard.people p "
        "JOIN temp.merge_releases m ON m.shard_id = p.release_id ORDER BY p.id"
    )
    db.execute(
        "INSERT INTO temp.merge_people SELECT p.id, t.id FROM shard.people p "
        "JOIN temp.merge_releases m ON m.shard_id = p.release_id "
        "JOIN main.people t ON t.release_id = m.target_id AND t.position IS p.position"
    )
    copied = db.execute(
        "SELECT (SELECT count(*) FROM shard.people p JOIN temp.merge_releases m "
        "ON m.shard_id = p.release_id), (SELECT count(*) FROM temp.merge_people)"
    ).fetchone()
    if copied[0] != copied[1]:
        raise StoreError(
            f"{counts.shard}: people of a release share a position; merge refused (reparse it)"
        )
    for table in ("charges", "bonds"):
        columns_ = [c for c in _common(target, table) if c not in ("release_id", "person_id")]
        db.execute(
            f"INSERT INTO main.[{table}] (release_id, person_id, {_names(columns_)}) "
            f"SELECT m.target_id, mp.target_id, {_names(columns_, 'x')} "
            f"FROM shard.[{table}] x JOIN temp.merge_releases m ON m.shard_id = x.release_id "
            "LEFT JOIN temp.merge_people mp ON mp.shard_id = x.person_id ORDER BY x.id"
        )
    return added


def _times(ours: dict, theirs: dict) -> dict:
    """The seen-times of a release known to both: first seen earliest, last seen latest.

    ``removed_at`` is the word of the side that looked last.
    """

    def looked(row: dict) -> str:
        return max(row["last_seen_at"] or "", row["removed_at"] or "")

    return {
        "first_seen_at": min(ours["first_seen_at"], theirs["first_seen_at"]),
        "last_seen_at": max(ours["last_seen_at"], theirs["last_seen_at"]),
        "removed_at": (theirs if looked(theirs) > looked(ours) else ours)["removed_at"],
    }


def _extraction_newer(theirs: dict, ours: dict) -> bool:
    """Same text: whether the shard's extraction should replace the target's."""
    if theirs.get("extraction_sha256") == ours.get("extraction_sha256"):
        return False
    return (theirs["last_seen_at"] or "") >= (ours["last_seen_at"] or "")


def _keep_version(target: Store, release_id: int, row: dict, until: str) -> int:
    """Keep ``row``'s text as a version of the release (once); return rows added."""
    exists = target.db.execute(
        "SELECT 1 FROM main.release_versions WHERE release_id = ? AND content_sha256 = ? "
        "AND seen_from IS ?",
        [release_id, row["content_sha256"], _text_since(row)],
    ).fetchone()
    if exists:
        return 0
    target._insert(
        "release_versions",
        {
            "release_id": release_id,
            "title": row["title"],
            "published_at": row["published_at"],
            "body_html": row["body_html"],
            "body_text": row["body_text"],
            "content_sha256": row["content_sha256"],
            "seen_from": _text_since(row),
            "seen_until": until,
        },
    )
    return 1


def _copy_versions(target: Store, shard_id: int, release_id: int) -> int:
    """The shard's earlier texts of a release the target does not have yet."""
    columns = [c for c in _common(target, "release_versions") if c != "release_id"]
    names = ", ".join(f'"{c}"' for c in columns)
    picked = ", ".join(f'v."{c}"' for c in columns)
    return _changes(
        target,
        f"INSERT INTO main.release_versions (release_id, {names}) SELECT ?, {picked} "
        "FROM shard.release_versions v WHERE v.release_id = ? AND NOT EXISTS ("
        "SELECT 1 FROM main.release_versions m WHERE m.release_id = ? "
        "AND m.content_sha256 = v.content_sha256 AND m.seen_from IS v.seen_from) ORDER BY v.id",
        [release_id, shard_id, release_id],
    )


def _replace_derived(target: Store, shard_id: int, release_id: int) -> None:
    for table in ("bonds", "charges", "people"):
        target.db.execute(f"DELETE FROM main.[{table}] WHERE release_id = ?", [release_id])
    _copy_derived(target, shard_id, release_id)


def _copy_derived(target: Store, shard_id: int, release_id: int) -> None:
    """Copy a release's people, their charges and bonds, with the target's new ids."""
    people = _common(target, "people")
    person_ids: dict[int, int] = {}
    for row in target.query(
        f"SELECT id, {_names(people)} FROM shard.people WHERE release_id = ? ORDER BY id",
        [shard_id],
    ):
        old = row.pop("id")
        person_ids[old] = target._insert("people", {**row, "release_id": release_id})
    for table in ("charges", "bonds"):
        columns = _common(target, table)
        for row in target.query(
            f"SELECT {_names(columns)} FROM shard.[{table}] WHERE release_id = ? ORDER BY id",
            [shard_id],
        ):
            person = row.get("person_id")
            target._insert(
                table,
                {
                    **row,
                    "release_id": release_id,
                    "person_id": person_ids.get(person) if person is not None else None,
                },
            )


def _merge_runs(target: Store) -> int:
    """Append the shard's runs (and their per-source rows) the target does not have."""
    runs = _common(target, "crawl_runs")
    sources = [c for c in _common(target, "source_runs") if c != "run_id"]
    added = 0
    for run in target.query(
        f"SELECT id, {_names(runs)} FROM shard.crawl_runs "
        "WHERE uid NOT IN (SELECT uid FROM main.crawl_runs WHERE uid IS NOT NULL) ORDER BY id"
    ):
        shard_run = run.pop("id")
        run_id = target._insert("crawl_runs", run)
        names = ", ".join(f'"{c}"' for c in sources)
        target.db.execute(
            f"INSERT INTO main.source_runs (run_id, {names}) SELECT ?, {names} "
            "FROM shard.source_runs WHERE run_id = ? ORDER BY id",
            [run_id, shard_run],
        )
        added += 1
    return added


def merge(shards: list[Path | str], into: Path | str) -> list[MergeCounts]:
    """Merge each shard file into the database ``into`` (created if need be), in order.

    Every shard is checked before anything is written: a missing, foreign or newer file
    raises :class:`StoreError` naming it and the target is not touched. Each shard is then
    merged in its own transaction.
    """
    if not shards:
        raise StoreError("no shard database to merge")
    for path in shards:
        check_shard(path, into)
    target = Store(into)
    try:
        return [merge_shard(target, path) for path in shards]
    finally:
        target.close()
