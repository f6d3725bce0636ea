"""Pure page parsers: listing HTML → release links and next page; release HTML → its parts.

No Scrapy here (parsel selectors only), so a reparse of the archive and the tests call the
same code the spider does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.platforms import alternatives, platform_selectors, selectors_for
from crawler.platforms.checks import body_problem, in_chrome
from crawler.platforms.general import general_body, general_title
from crawler.platforms.published import read_date, selector_date
from crawler.platforms.texts import has_text, joined_text, text_nodes
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
    ``methods`` says which strategy produced each part (stored as
    ``releases.extraction_method``): for ``title``, ``date`` and ``body``, "source" (the
    source's own selectors), "platform" (its platform's), "general" (the general extractor;
    for dates, the name of the reader of ``dates.toml`` that found it), "feed" (the listing's
    item), "pdf" (the PDF's text and metadata); absent when nothing was found.
    ``body_check`` holds why the body kept failed its check, when no strategy passed it.
    """

    title: str | None
    published_at: str | None
    published_raw: str | None
    body_html: str
    document_url: str | None = None
    methods: dict[str, str] = field(default_factory=dict)

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
            text = joined_text(label[0])
            entries[link] = ListingEntry(link=link, title=text or None)
    next_href = page.css(selectors.next).xpath("@href").get()
    next_url = join_url(url, next_href.strip()) if next_href and next_href.strip() else None
    if next_url and (not source.same_site(next_url) or next_url == url):
        next_url = None
    return ListingPage(links=links, next_url=next_url, entries=entries)


def _body(page: Selector, selector: str, document: str) -> Selector | None:
    """The first body alternative that matches an element with text or a document link."""
    for alternative in alternatives(selector):
        for node in page.css(alternative):
            if has_text(node) or (document and node.css(document)):
                return node
    return None


def _stripped(node: Selector, strip: str) -> Selector:
    """``node`` without the elements ``strip`` matches (a copy; the page is left as it was)."""
    if not strip or not node.css(strip):
        return node
    root = copy.deepcopy(node.root)
    clean = Selector(root=root)
    for chrome in clean.css(strip):
        chrome.root.drop_tree()
    return clean


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
        words = len(" ".join(text_nodes(body)).split())
        link_words = len(" ".join(text_nodes(anchor)).split())
        if words - link_words < POINTER_MAX_WORDS:
            return link
    return None


def _strategies(source: Source, key: str) -> list[tuple[str, str]]:
    """(method, selector) pairs for one part: the source's own selector, then the platform's."""
    found = []
    if own := source.selectors.get(key):
        found.append(("source", own))
    if platform := getattr(platform_selectors(source), key):
        found.append(("platform", platform))
    return found


def _title(page: Selector, source: Source) -> tuple[str | None, str | None]:
    """(title, method): the first title outside the chrome, by selectors, else the general one."""
    for method, selector in _strategies(source, "title"):
        for alternative in alternatives(selector):
            for node in page.css(alternative)[:3]:
                text = joined_text(node)
                if text and len(text) <= 300 and not in_chrome(node):
                    return text, method
    if title := general_title(page):
        return title, "general"
    return None, None


def _release_body(
    page: Selector, html: str, url: str, source: Source
) -> tuple[str, str, str | None, str | None]:
    """(body HTML, method, document link, why it failed its check) of a release page.

    The source's ``body`` selector, then the platform's; each result, less the platform's
    ``strip`` chrome, must pass :func:`body_problem`, else the general extractor is tried. A
    body that points to its PDF is accepted as it is. When nothing passes, a short body
    without chrome is kept, then the general extractor's, then a selector's with chrome,
    with the reason; when nothing at all is found, ``PageError``.
    """
    selectors = selectors_for(source)
    rejected: list[tuple[str, Selector, str]] = []
    for method, selector in _strategies(source, "body"):
        node = _body(page, selector, selectors.document)
        if node is None:
            continue
        document = _document_link(node, url, source, selectors)
        node = _stripped(node, selectors.strip)
        problem = body_problem(node)
        if problem is None or document:
            return node.get(), method, document, None
        rejected.append((method, node, problem))
    general = general_body(html, url)
    general_problem = body_problem(text=html_to_text(general)) if general else "nothing found"
    if general and general_problem is None:
        return general, "general", None, None
    for method, node, problem in rejected:
        if not problem.startswith("site chrome"):
            return node.get(), method, None, problem
    if general and not general_problem.startswith("site chrome"):
        return general, "general", None, general_problem
    if rejected:
        method, node, problem = rejected[0]
        return node.get(), method, None, problem
    raise PageError(
        f"{url}: no release body found with selector {selectors.body!r}, nor by the general "
        "extractor",
        "layout",
    )


def parse_release(
    html: str, url: str, source: Source, fetched_at: datetime | None = None
) -> ReleasePage:
    """Title, publication date (ISO 8601, agency's offset), body HTML and text of a release page.

    Each part comes from the first strategy whose result passes its check: the source's own
    selectors, the platform's, then the general extractor (see ``ReleasePage.methods``). A date
    after ``fetched_at`` (default: now) or before 1995 is never accepted. Raises ``PageError``
    naming the URL and the selector when no strategy finds a body.
    """
    page = Selector(text=html or "<html></html>")
    body_html, body_method, document, problem = _release_body(page, html, url, source)
    title, title_method = _title(page, source)
    found = None
    for method, selector in _strategies(source, "date"):
        if found := selector_date(page, selector, method, source.timezone, fetched_at):
            break
    found = found or read_date(page, url, source.timezone, fetched_at)
    methods = {"body": body_method}
    if title_method:
        methods["title"] = title_method
    if found:
        methods["date"] = found.method
    if problem:
        methods["body_check"] = problem
    return ReleasePage(
        title=title,
        published_at=found.iso if found else None,
        published_raw=found.raw if found else None,
        body_html=body_html,
        document_url=document,
        methods=methods,
    )
