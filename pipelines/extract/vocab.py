"""One loader for the extraction's data files (`pipelines/extract/data/*.toml`).

    load("charges.toml")          # the parsed TOML table, read once per process
    words("charge_words.toml", "gerunds")   # a vocabulary list of that file, as a tuple

Files are read through `importlib.resources`, so they are found inside an installed package
as well as in a source checkout. A missing file or a malformed one raises `DataFileError`
naming the file (and the key, for `words()`), never a bare KeyError.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

PACKAGE = "pipelines.extract"
FOLDER = "data"


class DataFileError(ValueError):
    """A data file of the extraction is missing, unreadable or lacks a key."""


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed TOML of `data/<name>` (cached: each file is read once per process)."""
    resource = resources.files(PACKAGE).joinpath(FOLDER, name)
    try:
        with resource.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise DataFileError(f"data file not found: {FOLDER}/{name}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"data file {FOLDER}/{name} is not valid TOML: {exc}") from exc


def section(name: str, key: str) -> Any:
    """`load(name)[key]`, with an error naming the file and the key when it is absent."""
    data = load(name)
    if key not in data:
        raise DataFileError(f"data file {FOLDER}/{name} has no [{key}]")
    return data[key]


def words(name: str, key: str) -> tuple[str, ...]:
    """The word list `key` of data file `name`: either a TOML array of strings or a table
    with a `words = [...]` array (and, beside it, the `examples` that document it)."""
    value = section(name, key)
    if isinstance(value, dict):
        value = value.get("words")
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise DataFileError(f"data file {FOLDER}/{name}: [{key}] is not a list of words")
    return tuple(value)


def mapping(name: str, key: str) -> dict[str, Any]:
    """The table `key` of data file `name` as a dict (its `examples`, if any, left out)."""
    value = section(name, key)
    if not isinstance(value, dict):
        raise DataFileError(f"data file {FOLDER}/{name}: [{key}] is not a table")
    inner = value.get("values", value)
    return {k: v for k, v in inner.items() if k not in ("examples", "not_examples")}


@cache
def months() -> dict[str, int]:
    """Every written form of a month, lower-cased, to its number, from `data/calendar.toml`:
    ``months()["sept"] == 9``, ``months()["december"] == 12``."""
    out: dict[str, int] = {}
    for entry in section("calendar.toml", "month"):
        for form in entry["forms"]:
            out[form.lower()] = int(entry["number"])
    return out


@cache
def month_names() -> tuple[str, ...]:
    """The twelve full month names in order, as written: "January" ... "December"."""
    entries = sorted(section("calendar.toml", "month"), key=lambda e: int(e["number"]))
    return tuple(e["forms"][0] for e in entries)


@cache
def month_abbreviations() -> tuple[str, ...]:
    """The month forms that are abbreviations (all but the full names), as written: "Jan",
    "Sept", "Sep", ... ("May" is a full name)."""
    return tuple(form for entry in section("calendar.toml", "month") for form in entry["forms"][1:])


@cache
def weekdays() -> dict[str, int]:
    """Weekday names, lower-cased, to their number (0 = Monday), from `data/calendar.toml`."""
    return {e["name"].lower(): int(e["number"]) for e in section("calendar.toml", "weekday")}
