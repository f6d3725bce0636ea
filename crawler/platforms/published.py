"""Publication dates of release pages: selectors first, then structured data and text readers.

Every result is an ISO 8601 date-time carrying the agency's UTC offset at that moment, so that
"10 a.m. in Hartford" stays 10 a.m. with ``-04:00`` in summer and ``-05:00`` in winter; a
publication that gives a day but no clock time is the day alone (``2021-10-26``), never a
made-up midnight.

When neither the source's nor the platform's ``date`` selector gives a date that passes the
check (it parses, is not before 1995 and not after the day the page was fetched), the readers
of ``dates.toml`` are tried in their order there: JSON-LD, meta tags (Open Graph
``article:published_time``), microdata, RDFa ``dc:date`` (Drupal 7), ``<time datetime>``, a
plain-text date under the headline, a "Posted on …" line, the URL. None of them takes a date
from the site's chrome or an event's own date.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import dateparser
from parsel import Selector

from crawler.platforms import alternatives
from crawler.platforms.checks import in_chrome
from crawler.platforms.texts import joined_text
from pipelines.extract import vocab

DATES_FILE = resources.files("crawler.platforms") / "dates.toml"  # inside an egg too
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# ISO 8601 basic format, as some newspaper CMSes write JSON-LD: 20080206T05:01:00Z
_ISO_BASIC = re.compile(r"\d{8}T\d{2}:?\d{2}(?::?\d{2})?(?:Z|[+-]\d{2}:?\d{2})?")
_WEEKDAY = "(?:" + "|".join(vocab.weekdays()) + ")"  # "monday" ... (data/calendar.toml)
_POSTED = re.compile(
    r"(?:Posted|Published|Released|Date)\s*(?:on)?\s*:?\s*"
    rf"((?:{_WEEKDAY},?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?)",
    re.IGNORECASE,
)
# The plain dates most "Posted on …" lines hold, with an optional clock time ("at 12:01 AM");
# parsed here without dateparser (about 1 ms each).
_PLAIN_DATE = re.compile(
    rf"(?:{_WEEKDAY},?\s+)?([A-Za-z]{{3,9}})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
    r"(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})\s*([ap])\.?\s?m\.?)?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d:\d\d|\d\s*[ap]\.?m\b|noon|midnight", re.IGNORECASE)
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTHS = tuple(name.lower() for name in vocab.month_names())  # "january" ... "december"
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})/(\d{1,2})/(\d{1,2})/")
_LABEL = re.compile(r"\b(?:Posted|Published|Released|Date)\b", re.IGNORECASE)


@cache
def dates_table() -> dict:
    """``dates.toml`` as read, once: the readers' order, the meta tag names, the earliest year."""
    with DATES_FILE.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def localize(moment: datetime | date, timezone: str) -> str | None:
    """``moment`` as ISO 8601 with the agency's offset (a naive or date-only value is local).

    None for a date no release can have (before 1900 or after 2199, such as a feed's
    "0001-01-01" placeholder), which would otherwise overflow when converted.
    """
    if not 1900 <= moment.year < 2200:
        return None
    if not isinstance(moment, datetime):
        return moment.isoformat()  # a day without a clock time stays a day: no midnight stamp
    zone = _zone(timezone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    else:
        moment = moment.astimezone(zone)
    return moment.replace(microsecond=0).isoformat()


def parse_published(raw: str | None, timezone: str) -> str | None:
    """Parse one publication-date string into ISO 8601 in the agency's timezone, or None.

    Accepts ISO 8601 (the Avada "2023-02-10T14:21:43-05:00February 10, 2023" form included),
    RFC 822 feed dates, "Posted on: October 3, 2026 | Last Modified on: …" and plain dates.
    """
    if not raw or not raw.strip():
        return None
    raw = " ".join(raw.split())
    if match := _ISO.match(raw) or _ISO_BASIC.match(raw):
        text = match.group(0).replace(" ", "T").replace("Z", "+00:00")
        try:
            if len(text) == 10:
                return localize(date.fromisoformat(text), timezone)
            return localize(datetime.fromisoformat(text), timezone)
        except ValueError:
            pass
    if match := _POSTED.search(raw):
        raw = match.group(1)
    raw = raw.split("|")[0].strip()
    if day := _plain_date(raw):
        return localize(day, timezone)
    parsed = dateparser.parse(
        raw,
        languages=["en"],
        settings={
            "TIMEZONE": timezone,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PREFER_DATES_FROM": "past",
        },
    )
    if not parsed:
        return None
    if parsed.time() == time(0, 0) and not _CLOCK.search(raw):
        return localize(parsed.date(), timezone)  # dateparser's midnight for a day alone
    return localize(parsed, timezone)


def _plain_date(raw: str) -> date | datetime | None:
    """ "January 7, 2025", "Tuesday, Jan. 7, 2025", "Sept 22, 2025" or "1/7/2025" (month first)
    as a date, and "Feb 6, 2008 at 12:01 AM" as a local date-time; None for anything else,
    which is left to dateparser."""
    if match := _PLAIN_DATE.fullmatch(raw):
        word = match.group(1).lower()
        months = [n for n, name in enumerate(_MONTHS, start=1) if name.startswith(word)]
        if len(months) != 1:
            return None
        month, day, year = months[0], int(match.group(2)), int(match.group(3))
        hour, minute, half = match.group(4), match.group(5), match.group(6)
    elif match := _SLASH_DATE.fullmatch(raw):
        month, day, year = (int(g) for g in match.groups())
        hour = minute = half = None
    else:
        return None
    try:
        if hour is None:
            return date(year, month, day)
        clock = int(hour) % 12 + (12 if half.lower() == "p" else 0)
        return datetime(year, month, day, clock, int(minute))
    except ValueError:
        return None


@dataclass(frozen=True)
class FoundDate:
    """A publication date that passed the check: ISO 8601, the raw text, the reader's name."""

    iso: str
    raw: str
    method: str


def date_problem(iso: str, fetched_at: datetime | None, timezone: str) -> str | None:
    """Why a parsed publication date cannot be right, or None: before ``earliest_year``
    (``dates.toml``), or after the day the page was fetched (in the agency's timezone)."""
    earliest = int(dates_table()["earliest_year"])
    if int(iso[:4]) < earliest:
        return f"before {earliest}"
    fetched = (fetched_at or datetime.now(UTC)).astimezone(_zone(timezone)).date()
    if iso[:10] > fetched.isoformat():
        return f"after the day it was fetched ({fetched.isoformat()})"
    return None


def checked_date(
    raw: str | None, method: str, timezone: str, fetched_at: datetime | None
) -> FoundDate | None:
    """``raw`` as a :class:`FoundDate` when it parses and passes :func:`date_problem`."""
    if not raw or not raw.strip():
        return None
    iso = parse_published(raw, timezone)
    if iso is None or date_problem(iso, fetched_at, timezone):
        return None
    return FoundDate(iso=iso, raw=" ".join(raw.split()), method=method)


def selector_date(
    page: Selector, selector: str, method: str, timezone: str, fetched_at: datetime | None
) -> FoundDate | None:
    """The first date found by ``selector`` (alternatives in the order written) that passes,
    from an element outside the chrome: its ``datetime`` or ``content`` attribute, else text."""
    for alternative in alternatives(selector):
        for node in page.css(alternative)[:3]:
            if in_chrome(node):
                continue
            attrib = node.root.attrib if hasattr(node.root, "attrib") else {}
            raw = attrib.get("datetime") or attrib.get("content")
            raw = raw or joined_text(node)
            if found := checked_date(raw, method, timezone, fetched_at):
                return found
    return None


def read_date(
    page: Selector, url: str, timezone: str, fetched_at: datetime | None = None
) -> FoundDate | None:
    """The page's publication date from the readers of ``dates.toml``, in order; None when
    none finds one that passes the check."""
    for reader in dates_table()["reader"]:
        name = reader["name"]
        for raw in READERS[name](page, url):
            if found := checked_date(raw, name, timezone, fetched_at):
                return found
    return None


def published_from_html(
    html: str, url: str, timezone: str, fetched_at: datetime | None = None
) -> tuple[str | None, str | None]:
    """A page's publication date by the readers alone: ``(iso, raw text)`` or ``(None, None)``."""
    found = read_date(Selector(text=html or "<html></html>"), url, timezone, fetched_at)
    return (found.iso, found.raw) if found else (None, None)


# -- the readers: each yields raw date strings, best first ------------------------------------


def _json_ld(page: Selector, url: str):
    for text in page.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                kinds = node.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(k, str) and k.endswith("Event") for k in kinds):
                    continue  # an event's dates say when it happens
                if isinstance(node.get("datePublished"), str):
                    yield node["datePublished"]
                stack.extend(v for v in node.values() if isinstance(v, dict | list))


def _meta(page: Selector, url: str):
    found: dict[str, str] = {}
    for tag in page.xpath("//meta[@content]"):
        key = tag.attrib.get("property") or tag.attrib.get("name") or tag.attrib.get("itemprop")
        if key and key not in found:
            found[key] = tag.attrib["content"]
    for name in dates_table()["meta_names"]:
        if name in found:
            yield found[name]


def _microdata(page: Selector, url: str):
    for node in page.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        if not in_chrome(node):
            yield (node.attrib.get("content") or node.attrib.get("datetime") or joined_text(node))


_RDFA = " or ".join(
    f"contains(concat(' ', normalize-space(@property), ' '), ' {term} ')"
    for term in ("dc:date", "dc:created", "dcterms:created", "dcterms:issued")
)


def _rdfa(page: Selector, url: str):
    for node in page.xpath(f"//*[@content][{_RDFA}]"):
        if not in_chrome(node):
            yield node.attrib["content"]


def _time(page: Selector, url: str):
    for node in page.xpath("//time[@datetime]"):
        classes = (node.attrib.get("class") or "").lower()
        if "updated" in classes or "modified" in classes or in_chrome(node):
            continue
        yield node.attrib["datetime"]


def _own_text(node: Selector) -> str:
    return " ".join(" ".join(node.xpath("text()").getall()).split())


def _headline(page: Selector, url: str):
    for heading in page.xpath("//h1")[:2]:
        if in_chrome(heading):
            continue
        following = heading.xpath(
            "following::*[not(self::script or self::style)][text()[normalize-space()]]"
        )
        for node in following[:12]:
            line = _own_text(node)
            if (_PLAIN_DATE.fullmatch(line) or _SLASH_DATE.fullmatch(line)) and not in_chrome(node):
                yield line
                return
        return


def _label(page: Selector, url: str):
    event_page = bool(page.xpath("//*[contains(@itemtype, 'Event')]")) or any(
        '"Event"' in text
        for text in page.xpath("//script[@type='application/ld+json']/text()").getall()
    )
    holders = page.xpath(
        "//body//*[not(self::script or self::style)][text()[contains(., 'osted')"
        " or contains(., 'ublished') or contains(., 'eleased') or contains(., 'ate')]]"
    )
    for parent in holders:
        if not _LABEL.search(_own_text(parent)) or in_chrome(parent):
            continue
        for holder in (parent, *parent.xpath("..")[:1]):
            text = " ".join(" ".join(holder.xpath(".//text()").getall()).split())
            if match := _POSTED.search(text):
                if event_page and match.group(0).lower().startswith("date"):
                    break  # "Date:" on an event's page is when the event happens
                yield match.group(0)
                break


def _url(page: Selector, url: str):
    if match := _URL_DATE.search(url):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return
        yield day.isoformat()


READERS = {
    "json-ld": _json_ld,
    "meta": _meta,
    "microdata": _microdata,
    "rdfa": _rdfa,
    "time": _time,
    "headline": _headline,
    "label": _label,
    "url": _url,
}
