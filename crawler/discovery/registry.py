"""The US agency registry: derived from the Police Data Accessibility Project's agency table.

``seeds/registry/agencies.csv.gz`` holds one row per agency of PDAP's export
(``pdap-agencies.csv``): a stable id, the name, state, county, municipality, agency type and
homepage URL. It is re-derived by ``scrapy registry --build FROM.csv`` and loaded into the
``agencies`` table by ``scrapy registry`` (``make registry``).

**Ids** are ``pdap-`` followed by PDAP's own record id (``airtable_uid``, e.g.
``pdap-rec00RgFAPxV31kPC``), kept as written (it is case-sensitive). PDAP's id does not change
when a volunteer corrects an agency's name, state or URL, so a regeneration from a newer export
keeps every id, and everything linked to it (a source's ``registry_id``, a discovered
candidate). A name slug would change with every such correction, and is not unique (two
"Washington Township Police Department" in one state). A readable ``slug`` column
(``mt-custer-county-sheriffs-office``) is kept beside the id for people.

Pure functions: no Scrapy, no SQL.
"""

from __future__ import annotations

import ast
import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.store.registry import REGISTRY_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
REGISTRY_FILE = ROOT / "seeds" / "registry" / "agencies.csv.gz"
COLUMNS = REGISTRY_COLUMNS  # the store's agencies columns a registry row fills
PDAP_COLUMNS = ("name", "state_iso", "homepage_url", "jurisdiction_type", "airtable_uid")
_STATE_SUFFIX = re.compile(r"\s+-\s+[A-Z]{2}$")


class RegistryError(ValueError):
    """A registry or PDAP file that cannot be read; the message names the file and the row."""


@dataclass
class BuildReport:
    """What a build of the registry read and wrote."""

    rows: int = 0
    with_homepage: int = 0
    homepage_fixed: int = 0  # "www.x.gov" given a scheme
    homepage_dropped: int = 0  # not a URL at all: kept out of homepage_url
    states: int = 0


def slugify(text: str) -> str:
    """A lowercase ASCII slug: ``"Sheriff's Office, Custer"`` → ``sheriffs-office-custer``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _county(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    if raw.startswith("["):
        try:
            names = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            names = [raw.strip("[]'\"")]
        return "; ".join(str(n).strip() for n in names if str(n).strip())
    return raw


def clean_homepage(raw: str) -> tuple[str, str]:
    """``(url, what was done)``: the homepage as an http(s) URL, or ``""`` when it is none.

    ``what`` is ``""`` (kept), ``"fixed"`` (a bare host given ``http://``) or ``"dropped"``.
    """
    url = (raw or "").strip()
    if not url:
        return "", ""
    if " " in url:
        return "", "dropped"
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname and "." in parts.hostname:
        return url, ""
    if not parts.scheme and re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|$)", url):
        return "http://" + url, "fixed"
    return "", "dropped"


def derive_rows(pdap_rows: Iterable[dict], where: str = "pdap") -> tuple[list[dict], BuildReport]:
    """The registry rows of PDAP's agency rows, sorted by id, and a report of what was done.

    Raises ``RegistryError`` naming the row for a missing column, a row without
    ``airtable_uid``, or an id used twice.
    """
    report = BuildReport()
    rows: dict[str, dict] = {}
    for number, raw in enumerate(pdap_rows, start=2):  # line 1 is the header
        if number == 2:
            missing = [c for c in PDAP_COLUMNS if c not in raw]
            if missing:
                raise RegistryError(f"{where}: missing column(s) {', '.join(missing)}")
        uid = (raw.get("airtable_uid") or "").strip()
        if not uid:
            raise RegistryError(f"{where}, line {number}: no airtable_uid")
        agency_id = f"pdap-{uid}"
        if agency_id in rows:
            raise RegistryError(f"{where}, line {number}: airtable_uid {uid!r} used twice")
        state = (raw.get("state_iso") or "").strip().upper()
        name = _STATE_SUFFIX.sub("", (raw.get("name") or "").strip())
        name = name or (raw.get("submitted_name") or "").strip()
        if not name:
            raise RegistryError(f"{where}, line {number}: agency {uid!r} has no name")
        homepage, done = clean_homepage(raw.get("homepage_url") or "")
        report.homepage_fixed += done == "fixed"
        report.homepage_dropped += done == "dropped"
        report.with_homepage += bool(homepage)
        rows[agency_id] = {
            "id": agency_id,
            "slug": slugify(f"{state} {name}") if state else slugify(name),
            "name": name,
            "state": state,
            "county": _county(raw.get("county_name") or ""),
            "county_fips": (raw.get("county_fips") or "").strip(),
            "municipality": (raw.get("municipality") or "").strip(),
            "agency_type": (raw.get("jurisdiction_type") or "").strip(),
            "homepage_url": homepage,
            "defunct_year": (raw.get("defunct_year") or "").strip(),
        }
    report.rows = len(rows)
    report.states = len({r["state"] for r in rows.values() if r["state"]})
    return [rows[key] for key in sorted(rows)], report


def read_pdap(path: Path | str) -> tuple[list[dict], BuildReport]:
    """Read PDAP's agency CSV export and derive the registry rows (see :func:`derive_rows`)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return derive_rows(csv.DictReader(handle), str(path))
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text ({exc})") from None


def encode_registry(rows: list[dict]) -> bytes:
    """The registry as gzip-compressed CSV, byte-identical for identical rows (no timestamp)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def write_registry(rows: list[dict], path: Path | str = REGISTRY_FILE) -> None:
    """Write the registry file whole (a temporary file renamed into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(encode_registry(rows))
    partial.replace(path)


def read_registry(path: Path | str = REGISTRY_FILE) -> list[dict]:
    """The registry rows of a derived file (``.csv.gz`` or plain ``.csv``, same columns).

    Raises ``RegistryError`` naming the file for a missing file or a missing column.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file (make registry-build FROM=...)") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise RegistryError(f"{path}: not a readable gzip file ({exc})") from None
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    missing = [
        c for c in ("id", "name", "state", "homepage_url") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise RegistryError(f"{path}: missing column(s) {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=2):
        if not row.get("id") or not row.get("name"):
            raise RegistryError(f"{path}, line {number}: id and name are required")
        rows.append({c: (row.get(c) or "") for c in COLUMNS})
        if not rows[-1]["slug"]:
            rows[-1]["slug"] = slugify(f"{row['state']} {row['name']}")
    return rows


# -- matching a source-list entry to its registry agency -----------------------------------------

_ABBREVIATIONS = {
    "dept": "department",
    "pd": "police department",
    "so": "sheriffs office",
    "co": "county",
    "twp": "township",
    "st": "saint",
    "ft": "fort",
    "mt": "mount",
    "office": "department",  # "Sheriff's Office" and "Sheriff's Department" name one agency
    "sheriffs": "sheriff",
    "marshals": "marshal",
}


def name_key(name: str) -> str:
    """A name reduced for matching: lowercase words, ``Dept.`` and "Office" → department,
    no "the", "of", "city", "town": ``"Telluride Marshal's Office"`` → ``telluride marshal
    department``."""
    words = slugify(name).split("-")
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in words)
    return " ".join(w for w in expanded.split() if w not in ("the", "of", "city", "town"))


def registry_index(rows: Iterable[dict]) -> dict[tuple[str, str], list[str]]:
    """``(state, name_key)`` → registry ids, for :func:`match_source`."""
    index: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        index.setdefault((row["state"], name_key(row["name"])), []).append(row["id"])
    return index


def match_source(name: str, state: str, index: dict[tuple[str, str], list[str]]) -> str | None:
    """The registry id of the agency a source's name and state denote, when exactly one does."""
    found = index.get((state, name_key(name)), [])
    return found[0] if len(found) == 1 else None


# -- source ids for discovered agencies ----------------------------------------------------------

_KINDS = (
    (re.compile(r"\b(county )?sheriff'?s? (office|department)$|\bsheriff$", re.I), "so"),
    (re.compile(r"\bpolice (department|dept\.?)$|\bpolice$", re.I), "pd"),
    (re.compile(r"\bdepartment of public safety$|\bpublic safety( department)?$", re.I), "dps"),
    (re.compile(r"\bmarshal'?s? (office|service)$|\bmarshal$", re.I), "marshal"),
    (re.compile(r"\bconstable'?s? office$", re.I), "constable"),
)


def source_slug(name: str, state: str) -> str:
    """A source id in the style of ``seeds/sources.toml``: place, state, kind.

    ``("Seattle Police Department", "WA")`` → ``seattle-wa-pd``;
    ``("Lakeshore County Sheriff's Office", "MI")`` → ``lakeshore-mi-so``. A name of no known
    kind keeps its words: ``("Capitol Protection Unit", "TX")`` → ``capitol-protection-unit-tx``.
    """
    text = " ".join(name.split())
    for pattern, kind in _KINDS:
        place, count = pattern.subn("", text)
        if count:
            place = re.sub(r"\b(city|town|village|borough|township) of\b", "", place, flags=re.I)
            place_slug = slugify(place) or slugify(text)
            return f"{place_slug}-{state.lower()}-{kind}" if state else f"{place_slug}-{kind}"
    return f"{slugify(text)}-{state.lower()}" if state else slugify(text)
