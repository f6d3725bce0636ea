"""Feed listings: RSS 2.0 and Atom (WordPress ``/feed/``, Squarespace ``?format=rss``, CivicPlus
``RSSFeed.aspx``, any other feed) → release links with what each item says about its release.

Pure: text in, ``ListingPage`` out. Each item's link is then fetched as a release page and read
with the platform's HTML selectors; the item's title, date and content fill what that page lacks.
Paging: an Atom/RSS ``<link rel="next">`` wins; otherwise a platform with a ``page_param`` in
``feeds.toml`` (WordPress ``?paged=N``) or an ``offset_param`` (Squarespace ``&offset=<epoch ms
of the last item>``) gets a guessed next page, which the crawler may find missing.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from html import unescape
from importlib import resources
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from parsel import Selector

from crawler.platforms.pages import ListingEntry, ListingPage, join_url
from crawler.platforms.published import localize, parse_published
from crawler.sources import Source

FEEDS_FILE = resources.files("crawler.platforms") / "feeds.toml"  # inside an egg too
# a feed may open with an XML declaration, processing instructions (xml-stylesheet), a DOCTYPE
# (RSS 0.91) and comments before its root element
_FEED_START = re.compile(
    rb"^\s*(?:<\?[^>]*>\s*|<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S
)
_TAGS = re.compile(r"<[^>]+>")


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")


def _decode(xml: bytes) -> str:
    """Feed bytes as text, in the encoding the XML declaration names (UTF-8 when none)."""
    declared = _DECLARED.match(xml)
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return xml.decode(encoding, "replace")
    except LookupError:  # an encoding Python does not know
        return xml.decode("utf-8", "replace")


@cache
def feed_table() -> dict[str, dict]:
    """Per-platform feed constants (``feeds.toml``), read once."""
    with FEEDS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def looks_like_feed(body: bytes | str) -> bool:
    """Whether a response body is an RSS or Atom document (whatever its Content-Type says)."""
    head = body[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return bool(_FEED_START.match(head.lstrip(b"\xef\xbb\xbf")))


def strip_tags(html: str | None) -> str:
    """Plain one-line text of a small HTML fragment (a feed title)."""
    return " ".join(unescape(_TAGS.sub(" ", html or "")).split())


def _local_clock(url: str) -> bool:
    markers = feed_table().get("local_clock", {}).get("url_contains", [])
    return any(marker in url for marker in markers)


def feed_date(raw: str | None, url: str, source: Source) -> str | None:
    """A feed's item date as ISO 8601 in the agency's timezone, or None.

    RFC 822 (``pubDate``) and ISO 8601 (Atom) are read. For feeds listed under
    ``[local_clock]`` in feeds.toml (CivicPlus: "-0500" all year, clock time local), the stated
    offset is dropped and the clock time read in the agency's timezone.
    """
    if not raw or not raw.strip():
        return None
    raw = " ".join(raw.split())
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return parse_published(raw, source.timezone)
    if _local_clock(url):
        moment = moment.replace(tzinfo=None)
    return localize(moment, source.timezone)


def with_page(url: str, param: str, number: int) -> str:
    """``url`` with its ``param`` query parameter set to ``number`` (kept in place, or added)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == param for key, _ in query):
        query = [(key, str(number) if key == param else value) for key, value in query]
    else:
        query.append((param, str(number)))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def page_number(url: str, param: str, first: int = 1) -> int:
    """The page number ``url`` asks for through ``param`` (``first`` when absent or junk)."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == param and value.isdigit():
            return int(value)
    return first


def _entry_link(item: Selector, atom: bool) -> str:
    if atom:
        for rel in ("alternate", ""):
            for link in item.xpath("link"):
                if (link.attrib.get("rel") or "") == rel or (
                    rel == "" and "rel" not in link.attrib
                ):
                    if href := (link.attrib.get("href") or "").strip():
                        return href
        return ""
    link = " ".join(item.xpath("link/text()").getall()).strip()
    if not link:
        guid = item.xpath("guid")
        if guid and guid[0].attrib.get("isPermaLink", "true") != "false":
            link = (guid[0].xpath("string()").get() or "").strip()
    return link


def parse_feed(xml: str | bytes, url: str, source: Source) -> ListingPage:
    """The release links of one RSS or Atom page, each with its item's title, date and content.

    Items whose link leads off the source's host are dropped; items keep feed order. Content is
    ``content:encoded`` or Atom ``content``, else ``description`` / ``summary``.
    """
    text = _decode(xml) if isinstance(xml, bytes) else xml
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text.lstrip("\ufeff"))  # parsel wants no declaration
    doc = Selector(text=text or "<rss/>", type="xml")
    doc.remove_namespaces()
    atom = bool(doc.xpath("/feed"))
    items = doc.xpath("/feed/entry") if atom else doc.xpath("//item")
    links: list[str] = []
    entries: dict[str, ListingEntry] = {}
    for item in items:
        href = _entry_link(item, atom)
        if not href:
            continue
        link = join_url(url, href)
        if link is None or not source.same_site(link) or link in entries:
            continue
        if atom:
            raw_date = item.xpath("published/text()").get() or item.xpath("updated/text()").get()
            content = item.xpath("content/text()").get() or item.xpath("summary/text()").get()
        else:
            raw_date = item.xpath("pubDate/text()").get() or item.xpath("date/text()").get()
            content = item.xpath("encoded/text()").get() or item.xpath("description/text()").get()
        title = strip_tags(item.xpath("title/text()").get()) or None
        raw_date = raw_date.strip() if raw_date else None
        links.append(link)
        entries[link] = ListingEntry(
            link=link,
            title=title,
            published_at=feed_date(raw_date, url, source),
            published_raw=raw_date,
            content_html=(content or "").strip(),
        )
    last_date = entries[links[-1]].published_at if links else None
    next_url, guessed = _next_page(doc, url, source, bool(items), last_date)
    return ListingPage(links=links, next_url=next_url, entries=entries, next_is_guess=guessed)


def offset_of(published_at: str) -> int:
    """A publication date (ISO 8601 with offset) as Squarespace's paging offset: epoch ms."""
    return int(datetime.fromisoformat(published_at).timestamp() * 1000)


def _next_page(
    doc: Selector, url: str, source: Source, had_items: bool, last_date: str | None
) -> tuple[str | None, bool]:
    for link in doc.xpath("//link[@rel='next']"):
        href = (link.attrib.get("href") or "").strip()
        if href and (nxt := join_url(url, href)) and nxt != url and source.same_site(nxt):
            return nxt, False
    constants = feed_table().get(source.platform, {})
    if not had_items:
        return None, False
    if offset := constants.get("offset_param"):
        if not last_date:
            return None, False  # no date on the last item: no offset to page from
        return with_page(url, offset, offset_of(last_date)), True
    param = constants.get("page_param")
    if not param:
        return None, False
    number = page_number(url, param, constants.get("first_page", 1))
    return with_page(url, param, number + 1), True
