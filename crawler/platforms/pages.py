"""Pure page parsers: listing HTML → release links and next page; release HTML → its parts.

No Scrapy here (parsel selectors only), so a reparse of the archive and the tests call the
same code the spider does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.platforms import first_match, selectors_for
from crawler.sources import Source
from pipelines.published import published_from_html
from pipelines.text import html_to_text

_SKIP_HREF = ("mailto:", "javascript:", "tel:", "#")


class PageError(ValueError):
    """A page that does not have the structure its platform promises; the message says where."""


@dataclass(frozen=True)
class ListingPage:
    """What a listing page offers: release links (same host, page order, no repeats), next page."""

    links: list[str]
    next_url: str | None


@dataclass(frozen=True)
class ReleasePage:
    """The parts of one release page."""

    title: str | None
    published_at: str | None
    published_raw: str | None
    body_html: str
    body_text: str


def _same_host(url: str, source: Source) -> bool:
    return urlsplit(url).netloc.lower() == source.netloc


def parse_listing(html: str, url: str, source: Source) -> ListingPage:
    """Release links and the next-page URL of a listing page, per the source's selectors.

    Links to other hosts are dropped. An empty list is not an error here: the caller knows
    whether this page ought to have links.
    """
    selectors = selectors_for(source)
    page = Selector(text=html or "<html></html>")
    links: list[str] = []
    for href in page.css(selectors.link).xpath("@href").getall():
        href = href.strip()
        if not href or href.startswith(_SKIP_HREF):
            continue
        link = urljoin(url, href)
        if _same_host(link, source) and link not in links:
            links.append(link)
    next_href = page.css(selectors.next).xpath("@href").get()
    next_url = urljoin(url, next_href.strip()) if next_href and next_href.strip() else None
    if next_url and (not _same_host(next_url, source) or next_url == url):
        next_url = None
    return ListingPage(links=links, next_url=next_url)


def parse_release(html: str, url: str, source: Source) -> ReleasePage:
    """Title, publication date (ISO 8601, agency's offset), body HTML and text of a release page.

    Raises ``PageError`` naming the URL and the selector when the page has no body.
    """
    selectors = selectors_for(source)
    page = Selector(text=html or "<html></html>")
    body = first_match(page, selectors.body)
    if not body:
        raise PageError(f"{url}: no release body found with selector {selectors.body!r}")
    body_html = body[0].get()
    title_node = first_match(page, selectors.title)[:1]
    title = " ".join(" ".join(title_node.css("::text").getall()).split()) or None
    date_node = first_match(page, selectors.date)[:1]
    raw_date = date_node.xpath("@datetime").get() or " ".join(
        " ".join(date_node.css("::text").getall()).split()
    )
    published_at, published_raw = published_from_html(
        html, url, source.timezone, raw_hint=raw_date or None
    )
    return ReleasePage(
        title=title,
        published_at=published_at,
        published_raw=published_raw,
        body_html=body_html,
        body_text=html_to_text(body_html),
    )
