"""The NIBRS offense codes charges are mapped to, and their ``offense_categories`` table."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from sqlite_utils import Database

NIBRS_FILE = resources.files("pipelines.extract") / "data" / "nibrs.toml"  # inside an egg too


@cache
def offense_codes() -> dict[str, dict]:
    """The NIBRS offense codes charges are mapped to: code → name, group, crime against."""
    with NIBRS_FILE.open("rb") as handle:
        return tomllib.load(handle)["codes"]


def sync_offense_categories(db: Database) -> None:
    """Make ``offense_categories`` hold exactly the codes of ``nibrs.toml`` (written only when
    they differ, in one transaction)."""
    rows = [
        {
            "code": code,
            "name": entry["name"],
            "nibrs_group": entry["group"],
            "crime_against": entry["crime_against"],
        }
        for code, entry in offense_codes().items()
    ]
    current = {tuple(r.values()) for r in db.query("SELECT * FROM offense_categories")}
    if current != {tuple(r.values()) for r in rows}:
        with db.atomic():
            db.execute("DELETE FROM offense_categories")
            db["offense_categories"].insert_all(rows)
