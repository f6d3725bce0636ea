"""Agencies: the sources' rows, the registry of every agency, discovered candidates, checks."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.store.connection import StoreBase, now_utc
from pipelines.store.errors import StoreError

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
"""The columns of ``agencies`` a registry row writes (and ``crawler.discovery.registry`` reads)."""


class Registry(StoreBase):
    """Sources and registry agencies in ``agencies``; ``discovered_sources``; ``source_checks``."""

    def upsert_agencies(self, rows: Iterable[dict]) -> None:
        """Record (or refresh) the agencies of a source list."""
        with self.db.atomic():
            self.db["agencies"].upsert_all(list(rows), pk="id")

    def agencies(self) -> list[dict]:
        """Every source's agency row, as the crawl last recorded it (its selectors included).

        Registry agencies without a source (no ``listing_url``) are not among them.
        """
        return self.query("SELECT * FROM agencies WHERE listing_url IS NOT NULL ORDER BY id")

    def load_registry(self, rows: Iterable[dict]) -> dict[str, int]:
        """Put every registry agency into ``agencies`` (one transaction); ``{"new", "updated"}``.

        A registry row only writes its own columns: a source row's listing, platform and
        crawl history are never touched. Raises :class:`StoreError` when a registry id is a
        source's id (the two would be confused), naming the ids.
        """
        rows = [
            {key: (row.get(key) or ("" if key == "state" else None)) for key in REGISTRY_COLUMNS}
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
