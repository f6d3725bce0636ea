"""The source list: load a TOML file of agencies, validate every entry, fail with one clear error.

A source list is a TOML file holding an array of ``[[source]]`` tables (see ``seeds/sources.toml``).
Every problem found is reported at once, each naming the file, the entry and the field, so that
a broken list never starts a crawl.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.platforms import platform_table

# Every platform name a source may use, and those never crawled (``crawl = false``): one list,
# in crawler/platforms/platforms.toml.
PLATFORMS = tuple(platform_table())
UNCRAWLABLE = frozenset(name for name, t in platform_table().items() if t.get("crawl") is False)
SELECTOR_KEYS = ("item", "link", "title", "date", "body", "next", "document", "strip")
STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP".split()
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = ("id", "name", "state", "timezone", "platform", "listing_url")
_OPTIONAL = ("feed_url", "hosts", "enabled", "disabled_reason", "notes", "selectors")
# a host name, optionally with a port: "www.telluride-co.gov", "police.example.gov:8080"
_HOST = re.compile(
    r"^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$"
)
_ALLOWED = _REQUIRED + _OPTIONAL


class SourceListError(ValueError):
    """A source list that cannot be used; ``problems`` holds one line per fault."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s) in the source list:\n{lines}")


@dataclass(frozen=True)
class Source:
    """One agency's publishing place, as validated from the source list."""

    id: str
    name: str
    state: str
    timezone: str
    platform: str
    listing_url: str
    feed_url: str | None = None
    enabled: bool = True
    disabled_reason: str | None = None
    notes: str | None = None
    selectors: dict[str, str] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()

    @property
    def netloc(self) -> str:
        """Host (and port) of the listing URL."""
        return urlsplit(self.listing_url).netloc.lower()

    def same_site(self, url: str) -> bool:
        """Whether ``url`` is on this source's own site: the only one its crawl may visit.

        The listing URL's host and port, or one of the source's own ``hosts`` (an agency that
        moved to a new domain, or whose city serves the releases from a second host), each
        with or without a leading ``www.`` (departments redirect between the two all the
        time); any other host is off-site. Used for links, redirects and PDFs alike.
        """
        try:
            netloc = urlsplit(url).netloc
        except ValueError:
            return False
        return _site(netloc) in self.sites

    @property
    def sites(self) -> frozenset[str]:
        """The hosts this source's crawl may visit, without their leading ``www.``."""
        return frozenset({_site(self.netloc), *(_site(h) for h in self.hosts)})

    @classmethod
    def from_row(cls, row: dict) -> Source:
        """The source an ``agencies`` row was made from (:meth:`as_row` read back)."""
        return cls(
            id=row["id"],
            name=row["name"],
            state=row["state"],
            timezone=row["timezone"],
            platform=row["platform"],
            listing_url=row["listing_url"],
            feed_url=row.get("feed_url"),
            enabled=bool(row.get("enabled", 1)),
            disabled_reason=row.get("disabled_reason"),
            selectors=json.loads(row.get("selectors") or "{}"),
            hosts=tuple(json.loads(row.get("hosts") or "[]")),
        )

    def as_row(self) -> dict:
        """The source as an ``agencies`` table row."""
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "timezone": self.timezone,
            "platform": self.platform,
            "listing_url": self.listing_url,
            "feed_url": self.feed_url,
            "enabled": int(self.enabled),
            "disabled_reason": self.disabled_reason,
            "selectors": json.dumps(self.selectors, sort_keys=True) if self.selectors else None,
            "hosts": json.dumps(list(self.hosts)) if self.hosts else None,
        }


@dataclass
class CrawlPlan:
    """What one crawl covers: the sources chosen from a list, and each URL's source in O(1).

    ``enabled`` are crawled; ``skipped`` (chosen but disabled) are only recorded as agencies.
    """

    file: str
    chosen: list[Source]
    shard: str | None = None  # "1/2" when the list was cut into shards (see shard_sources)
    _by_site: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.enabled: dict[str, Source] = {s.id: s for s in self.chosen if s.enabled}
        self.skipped: list[Source] = [s for s in self.chosen if not s.enabled]
        for source in self.enabled.values():
            for site in source.sites:
                self._by_site.setdefault(site, []).append(source.id)

    @classmethod
    def of(cls, file: str, chosen: Iterable[Source], shard: str | None = None) -> CrawlPlan:
        """The plan for the sources chosen from ``file`` (see :func:`select_sources`).

        ``shard`` ("i/n") only labels the plan: the sources given are already that shard's.
        """
        return cls(file=str(file), chosen=list(chosen), shard=shard)

    @property
    def ids(self) -> list[str]:
        """The ids of the sources crawled, in list order."""
        return list(self.enabled)

    def agency_rows(self) -> list[dict]:
        """Every chosen source (disabled ones too) as an ``agencies`` row."""
        return [s.as_row() for s in self.chosen]

    def source(self, source_id: str) -> Source | None:
        """The crawled source of that id, or None."""
        return self.enabled.get(source_id)

    def source_for(self, url: str) -> str | None:
        """The id of the first crawled source whose site ``url`` is on (a dict lookup), or None."""
        ids = self._by_site.get(_site(urlsplit(url).netloc))
        return ids[0] if ids else None


def _site(netloc: str) -> str:
    netloc = netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def _url_problem(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a string URL"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return f"must be an http(s) URL, got {value!r}"
    if not parts.hostname or " " in value:
        return f"is not a valid URL: {value!r}"
    return None


def _validate_entry(where: str, raw: object) -> tuple[Source | None, list[str]]:
    """The source of one ``[[source]]`` entry, or None with every fault found in it.

    Checks run in a fixed order, so a list's problems always read the same: the fields'
    names, their shape (without which nothing else can be checked), then each field's value.
    """
    if not isinstance(raw, dict):
        return None, [f"{where}: must be a table"]
    problems = _unknown_fields(where, raw)
    shape = _required_fields(where, raw)
    if shape:
        return None, problems + shape
    for check in _VALUE_CHECKS:
        problems += check(where, raw)
    hosts, host_problems = _hosts(where, raw)
    problems += host_problems or _feed_host(where, raw, hosts)
    for check in _SETTING_CHECKS:
        problems += check(where, raw)
    selectors, selector_problems = _selectors(where, raw)
    problems += selector_problems + _generic_selectors(where, raw, selectors)
    if problems:
        return None, problems
    return _source(raw, hosts, selectors), []


def _unknown_fields(where: str, raw: dict) -> list[str]:
    """``source #1 ('x'): unknown field 'feed'`` for each field the format does not have."""
    return [f"{where}: unknown field {key!r}" for key in sorted(set(raw) - set(_ALLOWED))]


def _required_fields(where: str, raw: dict) -> list[str]:
    """``missing field 'name'``, ``field 'name' must be a non-empty string``."""
    shape: list[str] = []
    for key in _REQUIRED:
        if key not in raw:
            shape.append(f"{where}: missing field {key!r}")
        elif not isinstance(raw[key], str) or not raw[key].strip():
            shape.append(f"{where}: field {key!r} must be a non-empty string")
    return shape


def _id_slug(where: str, raw: dict) -> list[str]:
    """``field 'id' must be a lowercase slug [a-z0-9-], got 'Riverton PD'``."""
    if _ID.match(raw["id"]):
        return []
    return [f"{where}: field 'id' must be a lowercase slug [a-z0-9-], got {raw['id']!r}"]


def _state_code(where: str, raw: dict) -> list[str]:
    """``field 'state' must be a two-letter US code, got 'Ohio'``."""
    if raw["state"] in STATES:
        return []
    return [f"{where}: field 'state' must be a two-letter US code, got {raw['state']!r}"]


def _timezone(where: str, raw: dict) -> list[str]:
    """``field 'timezone' is not an IANA timezone: 'EST5'``."""
    try:
        ZoneInfo(raw["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        return [f"{where}: field 'timezone' is not an IANA timezone: {raw['timezone']!r}"]
    return []


def _platform(where: str, raw: dict) -> list[str]:
    """``field 'platform' must be one of civicplus, ...; got 'joomla'``."""
    if raw["platform"] in PLATFORMS:
        return []
    return [
        f"{where}: field 'platform' must be one of {', '.join(PLATFORMS)}; got {raw['platform']!r}"
    ]


def _urls(where: str, raw: dict) -> list[str]:
    """``field 'feed_url' must be an http(s) URL, got 'ftp://...'`` (see :func:`_url_problem`)."""
    return [
        f"{where}: field {key!r} {why}"
        for key in ("listing_url", "feed_url")
        if key in raw and (why := _url_problem(raw[key]))
    ]


def _feed_host(where: str, raw: dict, hosts: tuple[str, ...]) -> list[str]:
    """``field 'feed_url' is on 'feeds.example.com', neither the listing's host nor one of
    'hosts': add it to hosts`` (a feed URL that is not a URL is :func:`_urls`'s fault)."""
    if not isinstance(raw.get("feed_url"), str) or _url_problem(raw["feed_url"]):
        return []
    allowed = {_site(urlsplit(raw["listing_url"]).netloc), *(_site(h) for h in hosts)}
    if _site(urlsplit(raw["feed_url"]).netloc) in allowed:
        return []
    return [
        f"{where}: field 'feed_url' is on {urlsplit(raw['feed_url']).netloc!r}, "
        "neither the listing's host nor one of 'hosts': add it to hosts"
    ]


def _enabled_flag(where: str, raw: dict) -> list[str]:
    """``field 'enabled' must be true or false``."""
    if isinstance(raw.get("enabled", True), bool):
        return []
    return [f"{where}: field 'enabled' must be true or false"]


def _text_fields(where: str, raw: dict) -> list[str]:
    """``field 'notes' must be a string`` (and the same of ``disabled_reason``)."""
    return [
        f"{where}: field {key!r} must be a string"
        for key in ("disabled_reason", "notes")
        if key in raw and not isinstance(raw[key], str)
    ]


def _disabled_reason(where: str, raw: dict) -> list[str]:
    """``field 'disabled_reason' is required when enabled = false``."""
    if raw.get("enabled", True) is False and not raw.get("disabled_reason"):
        return [f"{where}: field 'disabled_reason' is required when enabled = false"]
    return []


def _crawlable(where: str, raw: dict) -> list[str]:
    """``platform 'social' is never crawled; set enabled = false with a disabled_reason``."""
    if raw.get("enabled", True) is not False and raw["platform"] in UNCRAWLABLE:
        return [
            f"{where}: platform {raw['platform']!r} is never crawled; set enabled = false "
            "with a disabled_reason"
        ]
    return []


def _selectors(where: str, raw: dict) -> tuple[dict, list[str]]:
    """The entry's selectors and their faults: ``field 'selectors' must be a table``,
    ``unknown selector 'links' (known: item, ...)``, ``selector 'body' must be a non-empty CSS
    selector``."""
    selectors = raw.get("selectors", {})
    if not isinstance(selectors, dict):
        return {}, [f"{where}: field 'selectors' must be a table"]
    problems: list[str] = []
    for key, value in selectors.items():
        if key not in SELECTOR_KEYS:
            problems.append(
                f"{where}: unknown selector {key!r} (known: {', '.join(SELECTOR_KEYS)})"
            )
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: selector {key!r} must be a non-empty CSS selector")
    return selectors, problems


def _generic_selectors(where: str, raw: dict, selectors: dict) -> list[str]:
    """``platform 'generic' needs selectors.link`` (and ``.body``) when the source is crawled."""
    if raw["platform"] != "generic" or raw.get("enabled", True) is False:
        return []
    return [
        f"{where}: platform 'generic' needs selectors.{key}"
        for key in ("link", "body")
        if key not in selectors
    ]


# The checks of an entry's values, in the order their problems are listed: the fields' own
# values, then (after the hosts and the feed's host) the settings that depend on each other.
_VALUE_CHECKS = (_id_slug, _state_code, _timezone, _platform, _urls)
_SETTING_CHECKS = (_enabled_flag, _text_fields, _disabled_reason, _crawlable)


def _source(raw: dict, hosts: tuple[str, ...], selectors: dict) -> Source:
    """The :class:`Source` of an entry every check passed."""
    return Source(
        id=raw["id"],
        name=raw["name"].strip(),
        state=raw["state"],
        timezone=raw["timezone"],
        platform=raw["platform"],
        listing_url=raw["listing_url"],
        feed_url=raw.get("feed_url"),
        enabled=raw.get("enabled", True),
        disabled_reason=raw.get("disabled_reason"),
        notes=raw.get("notes"),
        selectors=dict(selectors),
        hosts=hosts,
    )


def _hosts(where: str, raw: dict) -> tuple[tuple[str, ...], list[str]]:
    """The entry's ``hosts`` (lowercased host names, optionally with a port) and its faults."""
    value = raw.get("hosts", [])
    if not isinstance(value, list):
        return (), [f"{where}: field 'hosts' must be a list of host names, got {value!r}"]
    hosts: list[str] = []
    problems: list[str] = []
    listing = (
        _site(urlsplit(raw["listing_url"]).netloc) if isinstance(raw["listing_url"], str) else ""
    )
    for item in value:
        if not isinstance(item, str) or not _HOST.match(item.strip().lower()):
            problems.append(
                f"{where}: field 'hosts' holds {item!r}, which is not a host name "
                "(write www.example.gov: no scheme, no path)"
            )
            continue
        host = item.strip().lower()
        if _site(host) == listing:
            problems.append(f"{where}: field 'hosts' repeats the listing URL's own host {host!r}")
        elif host in hosts:
            problems.append(f"{where}: field 'hosts' lists {host!r} twice")
        else:
            hosts.append(host)
    return tuple(hosts), problems


def parse_sources(data: dict, path: Path | str = "<sources>") -> list[Source]:
    """Validate an already-parsed source list; raise ``SourceListError`` naming every fault."""
    problems: list[str] = []
    for key in sorted(set(data) - {"source"}):
        problems.append(f"unknown top-level key {key!r} (expected only [[source]] tables)")
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourceListError(path, problems + ["no [[source]] entries"])
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(entries, start=1):
        label = raw.get("id") if isinstance(raw, dict) else None
        where = f"source #{number}" + (f" ({label!r})" if label else "")
        source, found = _validate_entry(where, raw)
        problems.extend(found)
        if source is None:
            continue
        if source.id in seen:
            problems.append(
                f"{where}: duplicate id {source.id!r} (first used by source #{seen[source.id]})"
            )
            continue
        seen[source.id] = number
        sources.append(source)
    if problems:
        raise SourceListError(path, problems)
    return sources


def load_sources(path: Path | str) -> list[Source]:
    """Read and validate a source list file; raise ``SourceListError`` naming every fault."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SourceListError(path, ["file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceListError(path, [f"not valid TOML: {exc}"]) from None
    return parse_sources(data, path)


def select_sources(
    sources: Iterable[Source], wanted: str | None, path: Path | str = ""
) -> list[Source]:
    """The sources to crawl: every one, or those named in ``wanted`` (comma-separated ids).

    An unknown id raises ``SourceListError`` listing the ids that exist.
    """
    sources = list(sources)
    if not wanted:
        return sources
    by_id = {s.id: s for s in sources}
    ids = [w.strip() for w in wanted.split(",") if w.strip()]
    unknown = [w for w in ids if w not in by_id]
    if unknown:
        raise SourceListError(
            path,
            [f"unknown source id {u!r}; the ids are: {', '.join(sorted(by_id))}" for u in unknown],
        )
    return [by_id[w] for w in ids]


_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(shard: str) -> tuple[int, int]:
    """``"i/n"`` as ``(i, n)`` with 1 <= i <= n; ValueError names a malformed one."""
    match = _SHARD.match(shard or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(
            f"shard must be i/n with 1 <= i <= n (e.g. 1/2, the first of two), got {shard!r}"
        )
    return int(match[1]), int(match[2])


def shard_of(source_id: str, shards: int) -> int:
    """The shard (1 to ``shards``) a source belongs to: a stable hash of its id.

    The same on every machine and every Python run (sha256, not ``hash()``), and independent of
    the other entries of the list: adding an agency never moves another one to another shard.
    """
    digest = hashlib.sha256(source_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def shard_sources(sources: Iterable[Source], shard: str | None) -> list[Source]:
    """The sources of shard ``"i/n"`` (every source when ``shard`` is None or empty).

    Disabled sources are kept in their shard too, so that the shards' ``agencies`` tables
    together hold the whole list. ValueError names a malformed ``shard``.
    """
    sources = list(sources)
    if not shard:
        return sources
    number, shards = parse_shard(shard)
    return [s for s in sources if shard_of(s.id, shards) == number]


def resolve_path(path: Path | str, home: Path | str | None) -> str:
    """``path`` as given when absolute (or when ``home`` is unset), else under ``home``.

    ``home`` is the ``BLOTTER_HOME`` setting: the base relative source lists and database paths
    are taken from when the crawl does not run in the checkout (under Scrapyd, for one).
    """
    return str(Path(home) / path) if home else str(path)
