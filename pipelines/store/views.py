"""The views of ``views.sql``, re-created on open when their SQL has changed."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Protocol

from sqlite_utils import Database

_HEADER = re.compile(r"^-- view: (\w+)\s*$", re.M)
_CREATE = re.compile(r"^CREATE VIEW \w+ AS\s*", re.I | re.M)


@cache
def view_definitions() -> dict[str, str]:
    """Each view's name → its ``SELECT`` (without ``CREATE VIEW``), in the file's order."""
    text = resources.files("pipelines.store").joinpath("views.sql").read_text(encoding="utf-8")
    parts = _HEADER.split(text)
    views: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sql = "\n".join(line for line in body.splitlines() if not line.startswith("--"))
        views[name] = _CREATE.sub("", sql.strip()).rstrip(";").strip()
    return views


def drop_views(db: Database) -> None:
    """Drop every view ``views.sql`` defines (before migrations alter the tables under them)."""
    for name in view_definitions():
        db.execute(f"DROP VIEW IF EXISTS [{name}]")


def create_views(db: Database) -> None:
    """Make each view's SQL the file's: create it, or replace it when it differs."""
    existing = {
        name: sql
        for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'")
    }
    for name, select in view_definitions().items():
        wanted = f"CREATE VIEW [{name}] AS {select}"
        if existing.get(name) != wanted:
            db.execute(f"DROP VIEW IF EXISTS [{name}]")
            db.execute(wanted)


RELEASE_PAGE_SQL = {
    "release": (
        "SELECT r.id, r.uid, r.title, r.url, r.published_at, r.published_raw, r.incident_date, "
        "r.incident_time, r.location, r.body_text, r.first_seen_at, r.updated_at, "
        "r.removed_at, a.id AS agency_id, a.name AS agency "
        "FROM releases r JOIN agencies a ON a.id = r.agency_id WHERE r.id = :id"
    ),
    "people": "SELECT * FROM release_people WHERE release_id = :id ORDER BY position",
    "versions": "SELECT count(*) AS n FROM release_versions WHERE release_id = :id",
}
"""The read-only queries a release's Datasette page runs (:func:`release_page`), by name;
each takes the release's ``:id``."""


class AsyncDatabase(Protocol):
    """What :func:`release_page` needs of a database: Datasette's ``Database`` has it."""

    async def execute(self, sql: str, params: dict) -> Any: ...


async def release_page(db: AsyncDatabase, release_id: int) -> dict | None:
    """A release's page (``datasette/plugins/blotter_pages.py``): the release with its agency,
    ``people`` (rows of ``release_people``, in order), ``paragraphs`` of its text and
    ``earlier_versions`` (a count). None when no release has that id."""
    params = {"id": release_id}
    rows = [dict(r) for r in await db.execute(RELEASE_PAGE_SQL["release"], params)]
    if not rows:
        return None
    release = rows[0]
    people = [dict(r) for r in await db.execute(RELEASE_PAGE_SQL["people"], params)]
    versions = list(await db.execute(RELEASE_PAGE_SQL["versions"], params))[0][0]
    lines = (line.strip() for line in (release["body_text"] or "").splitlines())
    return {
        **release,
        "people": people,
        "paragraphs": [line for line in lines if line],
        "earlier_versions": versions,
    }
