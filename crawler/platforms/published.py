"""Publication dates of release pages: machine dates, meta tags, "Posted on …" lines, URL dates.

Every result is an ISO 8601 date-time carrying the agency's UTC offset at that moment, so that
"10 a.m. in Hartford" stays 10 a.m. with ``-04:00`` in summer and ``-05:00`` in winter; a
publication that gives a day but no clock time is the day alone (``2021-10-26``), never a
made-up midnight.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser
from bs4 import BeautifulSoup

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_POSTED = re.compile(
    r"(?:Posted|Published|Released|Date)\s*(?:on)?\s*:?\s*"
    r"((?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?)",
    re.IGNORECASE,
)
# The plain dates most "Posted on …" lines hold; parsed here without dateparser (about 1 ms each).
_PLAIN_DATE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d:\d\d|\d\s*[ap]\.?m\b|noon|midnight", re.IGNORECASE)
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})/(\d{1,2})/(\d{1,2})/")
_META_NAMES = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "dc.date",
    "dc.date.issued",
    "DC.date.issued",
    "pubdate",
    "publish-date",
    "date",
)


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
    if match := _ISO.match(raw):
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


def _plain_date(raw: str) -> date | None:
    """ "January 7, 2025", "Tuesday, Jan. 7, 2025", "Sept 22, 2025" or "1/7/2025" (month first)
    as a date; None for anything else, which is left to dateparser."""
    if match := _PLAIN_DATE.fullmatch(raw):
        word = match.group(1).lower()
        months = [n for n, name in enumerate(_MONTHS, start=1) if name.startswith(word)]
        if len(months) != 1:
            return None
        month, day, year = months[0], int(match.group(2)), int(match.group(3))
    elif match := _SLASH_DATE.fullmatch(raw):
        month, day, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def published_from_html(
    html: str, url: str, timezone: str, raw_hint: str | None = None
) -> tuple[str | None, str | None]:
    """Find a page's publication date: ``(iso, raw text it came from)``, or ``(None, None)``.

    Tries, in order: ``raw_hint`` (what the platform's date selector found), ``time[datetime]``,
    meta tags and JSON-LD ``datePublished``, a "Posted on …" line, then a date in the URL.
    """
    if raw_hint and (iso := parse_published(raw_hint, timezone)):
        return iso, raw_hint.strip()
    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.select("time[datetime]"):
        value = tag.get("datetime", "")
        if iso := parse_published(value, timezone):
            return iso, value
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        if key in _META_NAMES and (iso := parse_published(tag.get("content"), timezone)):
            return iso, tag.get("content")
    for script in soup.find_all("script", type="application/ld+json"):
        value = _json_ld_date(script.string or "")
        if value and (iso := parse_published(value, timezone)):
            return iso, value
    text = soup.get_text(" ")
    if (match := _POSTED.search(text)) and (iso := parse_published(match.group(0), timezone)):
        return iso, match.group(0).strip()
    if match := _URL_DATE.search(url):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None, None
        return localize(day, timezone), match.group(0)
    return None, None


def _json_ld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                return node["datePublished"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None
