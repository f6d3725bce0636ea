"""The discovered list: candidate ``[[source]]`` entries found on agencies' homepages.

``scrapy discover`` writes them (default ``data/discovered.toml``), never ``seeds/sources.toml``.
Each entry is a source-list entry (id, name, state, timezone, platform, listing_url,
feed_url), disabled until someone checks it, plus what discovery knows:

```toml
[[source]]
id = "riverton-oh-pd"
name = "Riverton Police Department"
state = "OH"
timezone = "America/New_York"
platform = "civicplus"
listing_url = "http://police.riverton.test/CivicAlerts.aspx?CID=2"
feed_url = "http://police.riverton.test/RSSFeed.aspx?ModID=1&CID=Police-News-2"
enabled = false
disabled_reason = "discovered; not yet verified (scrapy check-source riverton-oh-pd)"
status = "discovered"            # then "verified" or "broken" (make verify)
status_reason = "…"
registry_id = "pdap-…"
homepage_url = "http://www.riverton.test/"
fingerprint = "civicplus"
discovered_at = "2026-12-01T20:31:07+00:00"
[source.evidence]
platform = ["CivicPlus footer byline: 'Government Websites by <a …>' on http://…/"]
listing = ["…"]
```

To crawl a candidate, copy its source-list fields into ``seeds/sources.toml`` and set
``enabled = true``; :func:`as_sources` reads the list as :class:`~crawler.sources.Source`s
(the discovery fields set aside), validated like any source list.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from crawler.discovery.registry import slugify
from crawler.sources import PLATFORMS, Source, SourceListError, parse_sources

TIMEZONES_FILE = resources.files("crawler.discovery") / "timezones.toml"  # inside an egg too

DISCOVERY_KEYS = (
    "status",
    "status_reason",
    "registry_id",
    "homepage_url",
    "fingerprint",
    "discovered_at",
    "checked_at",
    "evidence",
)
STATUSES = ("discovered", "verified", "broken")
_ORDER = (
    "id",
    "name",
    "state",
    "timezone",
    "platform",
    "listing_url",
    "feed_url",
    "enabled",
    "disabled_reason",
    "notes",
    "status",
    "status_reason",
    "registry_id",
    "homepage_url",
    "fingerprint",
    "discovered_at",
    "checked_at",
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {_toml_value(v)},\n" for v in value) + "]"
    # a JSON string (ASCII-escaped non-printables, no surrogate pairs) is a TOML basic string
    return json.dumps(str(value), ensure_ascii=False)


def dumps(entries: list[dict], header: str = "") -> str:
    """The entries as a TOML document of ``[[source]]`` tables (``evidence`` as a sub-table)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    for entry in entries:
        lines += ["", "[[source]]"]
        for key in _ORDER:
            if entry.get(key) is not None and entry.get(key) != "":
                lines.append(f"{key} = {_toml_value(entry[key])}")
        extra = sorted(set(entry) - set(_ORDER) - {"evidence"})
        for key in extra:
            if entry[key] is not None:
                lines.append(f"{key} = {_toml_value(entry[key])}")
        if entry.get("evidence"):
            lines.append("[source.evidence]")
            for key, value in entry["evidence"].items():
                lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def read_discovered(path: Path | str) -> list[dict]:
    """The entries of a discovered list; ``[]`` when the file does not exist yet.

    Raises ``SourceListError`` naming the file when it is not valid TOML or holds no tables.
    """
    path = Path(path)
    if not path.is_file():
        return []
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SourceListError(path, [f"not valid TOML: {exc}"]) from None
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceListError(path, ["[[source]] must be an array of tables"])
    return entries


def merge(old: list[dict], new: list[dict]) -> list[dict]:
    """``old`` with ``new`` entries replacing those of the same id, sorted by id.

    A rediscovered candidate whose listing and feed did not change keeps its verification.
    """
    merged = {entry["id"]: entry for entry in old}
    for entry in new:
        before = merged.get(entry["id"])
        if (
            before
            and before.get("listing_url") == entry.get("listing_url")
            and before.get("feed_url") == entry.get("feed_url")
        ):
            for key in ("status", "status_reason", "checked_at"):
                if before.get(key):
                    entry[key] = before[key]
        merged[entry["id"]] = entry
    return [merged[key] for key in sorted(merged)]


HEADER = """Sources discovered on agencies' homepages by `scrapy discover` (make discover).
Candidates, not yet crawled: check each with `scrapy check-source ID --sources THIS-FILE`
(make verify marks them verified or broken), then copy its source fields into
seeds/sources.toml with enabled = true."""


def write_discovered(path: Path | str, entries: list[dict]) -> None:
    """Write the discovered list whole (a temporary file renamed into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(dumps(entries, HEADER), encoding="utf-8")
    partial.replace(path)


def as_sources(entries: list[dict], path: Path | str) -> list[Source]:
    """The entries as validated sources (discovery fields set aside); ``SourceListError``
    names every entry at fault, as for any source list."""
    plain = [{k: v for k, v in e.items() if k not in DISCOVERY_KEYS} for e in entries]
    for entry in plain:  # a discovered platform the crawler has no reader for
        if entry.get("platform") not in (None, *PLATFORMS):
            entry["platform"] = "generic"
    return parse_sources({"source": plain}, path)


@cache
def _zones() -> dict:
    with TIMEZONES_FILE.open("rb") as handle:
        return tomllib.load(handle)


def state_timezone(state: str) -> tuple[str | None, bool]:
    """The timezone a state's discovered source gets, and whether it is a guess (the state
    spans two zones): ``"OH"`` → ``("America/New_York", False)``."""
    table = _zones()
    return table["zone"].get(state), state in table.get("split", [])


def unique_id(
    wanted: str, registry_id: str | None, taken: dict[str, str | None], county: str = ""
) -> str:
    """``wanted``, or ``wanted-<county>`` / ``wanted-2`` … when another agency already has it.

    ``taken`` maps ids in use to their registry ids; the chosen id is added to it.
    """
    candidates = [wanted]
    if county:
        candidates.append(f"{wanted}-{slugify(county.split(';')[0])}")
    candidates += [f"{wanted}-{n}" for n in range(2, 100)]
    for candidate in candidates:
        if candidate not in taken or taken[candidate] == registry_id:
            taken[candidate] = registry_id
            return candidate
    raise ValueError(f"no free id for {wanted!r}")
