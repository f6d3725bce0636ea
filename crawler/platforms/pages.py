"""Pure page parsers: listing HTML → release links and next page; release HTML → its parts.

No Scrapy here (parsel selectors only), so a reparse of the archive and the tests call the
same code the spider does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList

from crawler.platforms import alternatives, first_match, selectors_for
from crawler.platforms.published import published_from_html
from crawler.sources import Source
from pipelines.extract.html_text import html_to_text

_SKIP_HREF = ("mailto:", "javascript:", "tel:", "#")
# A body with fewer words than this besides its document link only points to the document.
POINTER_MAX_WORDS = 40


def join_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None when it is not a usable URL (``http://[::1``)."""
    try:
        url = urljoin(base, href)
        urlsplit(url).netloc  # noqa: B018 - raises ValueError for a malformed host
    except ValueError:
        return None
    return url


class PageError(ValueError):
    """A page that does not have the structure its platform promises; the message says where.

    ``kind`` is stored with the source's run (``source_runs.error_kind``): "layout" when the
    page was read but its selectors matched nothing (a redesign), "format" when it is not what
    its platform serves (bad JSON, an unreadable PDF).
    """

    def __init__(self, message: str, kind: str = "format"):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ListingEntry:
    """What a listing (feed item, JSON post, HTML link) says about one release before its page
    is fetched: used when the page itself lacks a part (a PDF's title, a body-less page)."""

    link: str
    title: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    content_html: str = ""


@dataclass(frozen=True)
class ListingPage:
    """What a listing page offers: release links (same host, page order, no repeats), next page.

    ``entries`` holds what the listing says about each link (keyed by link). ``next_is_guess``
    marks a next page computed from a page parameter rather than linked: it may not exist.
    """

    links: list[str]
    next_url: str | None
    entries: dict[str, ListingEntry] = field(default_factory=dict)
    next_is_guess: bool = False


@dataclass(frozen=True)
class ReleasePage:
    """The parts of one release page.

    ``document_url`` is set when the page only points to the release's PDF (same host).
    """

    title: str | None
    published_at: str | None
    published_raw: str | None
    body_html: str
    document_url: str | None = None

    @property
    def body_text(self) -> str:
        """The body's visible text (computed when asked: the crawl leaves it to the pipelines)."""
        return html_to_text(self.body_html)


def parse_listing(html: str, url: str, source: Source) -> ListingPage:
    """Release links and the next-page URL of a listing page, per the source's selectors.

    With an ``item`` selector, each item gives at most one link (the first ``link`` match
    inside it); otherwise every ``link`` match counts. Links to other hosts are dropped. An
    empty list is not an error here: the caller knows whether this page ought to have links.
    Each link's text is kept as its entry's title (a PDF link's only title may be its text).
    """
    selectors = selectors_for(source)
    page = Selector(text=html or "<html></html>")
    if selectors.item:
        anchors = [
            found[0] for item in page.css(selectors.item) if (found := item.css(selectors.link))
        ]
    else:
        anchors = list(page.css(selectors.link))
    links: list[str] = []
    entries: dict[str, ListingEntry] = {}
    for anchor in anchors:
        href = (anchor.xpath("@href").get() or "").strip()
        if not href or href.startswith(_SKIP_HREF):
            continue
        link = join_url(url, href)
        if link and source.same_site(link) and link not in links:
            links.append(link)
            label = anchor.css("h1, h2, h3, h4") or [anchor]  # a card link: its heading
            text = " ".join(" ".join(label[0].css("::text").getall()).split())
            entries[link] = ListingEntry(link=link, title=text or None)
    next_href = page.css(selectors.next).xpath("@href").get()
    next_url = join_url(url, next_href.strip()) if next_href and next_href.strip() else None
    if next_url and (not source.same_site(next_url) or next_url == url):
        next_url = None
    return ListingPage(links=links, next_url=next_url, entries=entries)


def _has_text(node) -> bool:
    return bool("".join(node.css("::text").getall()).strip())


def _body(page: Selector, selectors) -> SelectorList:
    """The first body alternative that matches an element with text or a document link."""
    for alternative in alternatives(selectors.body):
        for node in page.css(alternative):
            if _has_text(node) or (selectors.document and node.css(selectors.document)):
                return SelectorList([node])
    return SelectorList([])


def _document_link(body, url: str, source: Source, selectors) -> str | None:
    """The body's same-host document link when the body is little more than that link."""
    if not selectors.document:
        return None
    for anchor in body.css(selectors.document):
        href = (anchor.xpath("@href").get() or "").strip()
        if not href or href.startswith(_SKIP_HREF):
            continue
        link = join_url(url, href)
        if not link or not source.same_site(link):
            continue
        words = len(" ".join(body.css("::text").getall()).split())
        link_words = len(" ".join(anchor.css("::text").getall()).split())
        if words - link_words < POINTER_MAX_WORDS:
            return link
    return None


def parse_release(html: str, url: str, source: Source) -> ReleasePage:
    """Title, publication date (ISO 8601, agency's offset), body HTML and text of a release page.

    The body is the first ``body`` alternative holding text (or a document link). Raises
    ``PageError`` naming the URL and the selector when the page has no body.
    """
    selectors = selectors_for(source)
    page = Selector(text=html or "<html></html>")
    body = _body(page, selectors)
    if not body:
        raise PageError(f"{url}: no release body found with selector {selectors.body!r}", "layout")
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
        document_url=_document_link(body[0], url, source, selectors),
    )
