"""WordPress REST listings: ``/wp-json/wp/v2/<type>?per_page=N&page=M`` JSON → release links.

Pure: JSON text in, ``ListingPage`` out. Each post gives its ``link``, ``title.rendered``,
``date_gmt`` (UTC; else ``date``, the site's local clock) and ``content.rendered``. An item that
is a file (``source_url``) or whose content is nothing but a link to a PDF leads to that PDF
(how some towns publish weekly press logs). Paging: ``page`` + 1 while the ``X-WP-TotalPages``
header (when given) says there are more, or while a page comes back full.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from parsel import Selector

from crawler.platforms import selectors_for
from crawler.platforms.feeds import feed_table, page_number, strip_tags, with_page
from crawler.platforms.pages import (
    POINTER_MAX_WORDS,
    ListingEntry,
    ListingPage,
    PageError,
    join_url,
)
from crawler.platforms.published import localize, parse_published
from crawler.platforms.texts import text_nodes
from crawler.sources import Source

_JSON_START = re.compile(rb"^\s*[\[{]")


def looks_like_json(body: bytes | str) -> bool:
    """Whether a response body is JSON (an array or object), whatever its Content-Type says."""
    head = body[:64]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return bool(_JSON_START.match(head.lstrip(b"\xef\xbb\xbf")))


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


def _published(post: dict, source: Source) -> tuple[str | None, str | None]:
    gmt, local = post.get("date_gmt"), post.get("date")
    if isinstance(gmt, str) and gmt:
        try:
            moment = datetime.fromisoformat(gmt.replace("Z", "")).replace(tzinfo=UTC)
            return localize(moment, source.timezone), local if isinstance(local, str) else gmt
        except ValueError:
            pass
    if isinstance(local, str) and local:
        return parse_published(local, source.timezone), local
    return None, None


def _document(post: dict, content: str, url: str, source: Source) -> str | None:
    """The PDF an item stands for: its file, or the only thing its content links to."""
    file_url = post.get("source_url")
    if isinstance(file_url, str) and file_url.lower().split("?")[0].endswith(".pdf"):
        return join_url(url, file_url)
    document = selectors_for(source).document
    if not content or not document:
        return None
    body = Selector(text=content)
    for anchor in body.css(document):
        href = (anchor.xpath("@href").get() or "").strip()
        words = len(" ".join(text_nodes(body)).split())
        if href and words - len(" ".join(text_nodes(anchor)).split()) < POINTER_MAX_WORDS:
            return join_url(url, href)
    return None


def parse_wp_json(
    text: str | bytes, url: str, source: Source, total_pages: int | None = None
) -> ListingPage:
    """The release links of one wp-json page, each with its post's title, date and content.

    ``total_pages`` is the ``X-WP-TotalPages`` header when the server sent one. Raises
    ``PageError`` naming the URL when the JSON is not a list of posts (a WordPress error object
    such as ``rest_post_invalid_page_number`` included).
    """
    try:
        posts = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise PageError(f"{url}: not valid JSON ({type(exc).__name__}: {exc})") from None
    if not isinstance(posts, list):
        code = posts.get("code") if isinstance(posts, dict) else None
        raise PageError(f"{url}: expected a JSON list of posts, got {code or type(posts).__name__}")
    links: list[str] = []
    entries: dict[str, ListingEntry] = {}
    for post in posts:
        if not isinstance(post, dict):
            continue
        content = _rendered(post.get("content")) or _rendered(post.get("excerpt"))
        href = _document(post, content, url, source) or post.get("link")
        if not isinstance(href, str) or not href.strip():
            continue
        link = join_url(url, href.strip())
        if link is None or not source.same_site(link) or link in entries:
            continue
        published_at, published_raw = _published(post, source)
        links.append(link)
        entries[link] = ListingEntry(
            link=link,
            title=strip_tags(_rendered(post.get("title"))) or None,
            published_at=published_at,
            published_raw=published_raw,
            content_html=content.strip(),
        )
    constants = feed_table()["wp-json"]
    param = constants["page_param"]
    number = page_number(url, param, constants["first_page"])
    per_page = page_number(url, constants["per_page_param"], constants["default_per_page"])
    if total_pages is not None:
        more = number < total_pages
    else:
        more = len(posts) >= per_page > 0
    next_url = with_page(url, param, number + 1) if more else None
    return ListingPage(
        links=links, next_url=next_url, entries=entries, next_is_guess=total_pages is None
    )
