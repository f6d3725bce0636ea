"""Which parser reads a response: by what the bytes are (PDF, feed, JSON, HTML), then by the
source's platform. The spider and the reparse of the archive both come through here.

- listing: RSS/Atom → ``feeds.parse_feed``; JSON → ``wpjson.parse_wp_json``; HTML →
  ``pages.parse_listing`` with the platform's selectors.
- release: PDF → ``pdf.parse_pdf``; HTML → ``pages.parse_release``, with what the listing said
  about the release (a feed item's title, date and content) filling what the page lacks.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from datetime import datetime

from crawler.platforms.feeds import looks_like_feed, parse_feed
from crawler.platforms.pages import (
    ListingEntry,
    ListingPage,
    PageError,
    ReleasePage,
    parse_listing,
    parse_release,
)
from crawler.platforms.pdf import is_pdf, parse_pdf
from crawler.platforms.published import date_problem
from crawler.platforms.wpjson import looks_like_json, parse_wp_json
from crawler.sources import Source
from pipelines.extract.html_text import html_to_text

_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 and UTF-32 byte-order marks start so


def plausible_encoding(body: bytes, declared: str | None) -> str | None:
    """The declared encoding, unless it is a UTF-16/32 one the bytes plainly are not in.

    A page that says ``charset=utf-16`` but is sent as ASCII/UTF-8 (no byte-order mark, no NUL
    byte in its first 4 KB, which UTF-16 text always has) would decode to noise: its
    releases are read as UTF-8 instead.
    """
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None  # an unknown charset: read as UTF-8, with replacements
    if name.startswith(("utf-16", "utf-32")):
        head = body[:4096]
        if not head.startswith(_WIDE_BOMS) and b"\x00" not in head:
            return None
    return declared


def _text(body: bytes | str, encoding: str | None) -> str:
    if isinstance(body, str):
        return body
    return body.decode(plausible_encoding(body, encoding) or "utf-8", "replace")


def listing_kind(body: bytes | str) -> str:
    """``"feed"``, ``"json"`` or ``"html"``: what a listing response holds."""
    if looks_like_feed(body):
        return "feed"
    if looks_like_json(body):
        return "json"
    return "html"


def read_listing(
    body: bytes | str,
    url: str,
    source: Source,
    encoding: str | None = None,
    total_pages: int | None = None,
) -> ListingPage:
    """Release links, next page and per-link entries of a listing response of any kind.

    ``total_pages`` is a wp-json ``X-WP-TotalPages`` header, when sent. Raises ``PageError``
    for a JSON listing that is not a list of posts.
    """
    kind = listing_kind(body)
    if kind == "feed":
        return parse_feed(body, url, source)
    if kind == "json":
        return parse_wp_json(_text(body, encoding), url, source, total_pages=total_pages)
    return parse_listing(_text(body, encoding), url, source)


def read_release(
    body: bytes | str,
    url: str,
    source: Source,
    encoding: str | None = None,
    content_type: str | None = None,
    entry: ListingEntry | None = None,
    last_modified: str | None = None,
    fetched_at: datetime | None = None,
) -> ReleasePage:
    """The parts of a release response of any kind (PDF or HTML page).

    ``entry`` is what the listing said about this release. For a PDF it gives the title and
    date when the file has none; for an HTML page it fills a missing title or date, and its
    content stands in for the body when the page has none. ``fetched_at`` (default: now)
    bounds the publication date: none after it is accepted. ``methods`` of the result says
    where each part came from ("feed" for the entry's). Raises ``PageError`` when neither the
    response nor the entry has a body.
    """
    if isinstance(body, bytes) and is_pdf(body, content_type):
        return parse_pdf(
            body,
            url,
            source,
            title_hint=entry.title if entry else None,
            published_hint=entry.published_at if entry else None,
            last_modified=last_modified,
            fetched_at=fetched_at,
        )
    if entry is not None and entry.published_at:
        if date_problem(entry.published_at, fetched_at, source.timezone):
            entry = replace(entry, published_at=None, published_raw=None)  # a feed's bad date
    try:
        page = parse_release(_text(body, encoding), url, source, fetched_at=fetched_at)
    except PageError:
        if entry is None or not html_to_text(entry.content_html):
            raise
        methods = {"body": "feed"}
        methods |= {"title": "feed"} if entry.title else {}
        methods |= {"date": "feed"} if entry.published_at else {}
        return ReleasePage(
            title=entry.title,
            published_at=entry.published_at,
            published_raw=entry.published_raw,
            body_html=entry.content_html,
            methods=methods,
        )
    if entry is not None:
        if not page.title and entry.title:
            page = replace(page, title=entry.title, methods={**page.methods, "title": "feed"})
        if not page.published_at and entry.published_at:
            page = replace(
                page,
                published_at=entry.published_at,
                published_raw=entry.published_raw,
                methods={**page.methods, "date": "feed"},
            )
    return page
