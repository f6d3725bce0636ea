"""What blotter reads from a source's first listing page and its newest release, and a verdict.

Pure functions over fetched bytes (``scrapy check-source`` and ``make verify`` fetch them):
:func:`check_listing` says which release links and next page the platform's reader found and
by which strategy (feed items, wp-json posts, or which CSS selector alternative);
:func:`check_release` says what the release reader took for title, date and body, and how;
:func:`verdict` turns both into ``verified`` or ``broken`` with the reason, and
:func:`report_lines` prints it for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsel import Selector

from crawler.platforms import alternatives, selectors_for
from crawler.platforms.dispatch import listing_kind, read_listing, read_release
from crawler.platforms.pages import ListingEntry, PageError
from crawler.platforms.pdf import is_pdf
from crawler.sources import Source

MIN_BODY_WORDS = 20
NO_FALLBACK = "no fallback available"
METHOD_WORDS = {
    "source": "the source's own selectors",
    "platform": "the platform's selectors (platforms.toml)",
    "general": "the general extractor (the selectors found nothing usable)",
    "feed": "the listing's feed item",
    "pdf": "the PDF's text and metadata",
}


@dataclass
class ListingCheck:
    """What the listing reader found on one listing page (or why it could not be read)."""

    url: str
    kind: str = ""
    links: list[str] = field(default_factory=list)
    next_url: str | None = None
    strategy: str = ""
    error: str | None = None
    layout: bool = False  # fetched, but the selectors found nothing
    entries: dict[str, ListingEntry] = field(default_factory=dict)


@dataclass
class ReleaseCheck:
    """What the release reader took from one release page (or why it could not be read)."""

    url: str
    title: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    words: int = 0
    first_words: str = ""
    strategies: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    layout: bool = False
    document_url: str | None = None  # the page only points to the release's PDF
    fallback: str | None = None  # set when the selectors failed and a general reader stood in


def _origin(source: Source, key: str) -> str:
    if key in source.selectors:
        return "the source's own selector"
    return f"the {source.platform} selector (platforms.toml)"


def _matching(page: Selector, selector: str) -> str | None:
    for alternative in alternatives(selector):
        if page.css(alternative):
            return alternative
    return None


def check_listing(
    body: bytes,
    url: str,
    source: Source,
    encoding: str | None = None,
    total_pages: int | None = None,
) -> ListingCheck:
    """Read a listing response as the crawl would; say what was found and how."""
    kind = listing_kind(body)
    result = ListingCheck(url=url, kind=kind)
    try:
        page = read_listing(body, url, source, encoding, total_pages=total_pages)
    except PageError as exc:
        result.error = str(exc)
        return result
    result.links, result.next_url, result.entries = page.links, page.next_url, page.entries
    if kind == "feed":
        result.strategy = "feed items (RSS/Atom <item>/<entry> links)"
    elif kind == "json":
        result.strategy = "wp-json posts (each post's link)"
    else:
        selectors = selectors_for(source)
        html = Selector(text=body.decode(encoding or "utf-8", "replace"))
        matched = _matching(html, selectors.link)
        scope = f" inside item {selectors.item!r}" if selectors.item else ""
        if matched:
            result.strategy = f"link selector {matched!r}{scope} ({_origin(source, 'link')})"
        else:
            result.strategy = f"link selector {selectors.link!r}{scope} matched nothing"
    if not result.links:
        result.layout = kind == "html"
        if kind == "html":
            result.error = (
                f"selectors no longer match: {result.strategy}; no release links; {NO_FALLBACK}"
            )
        else:
            result.error = f"the {kind} listing holds no release links"
    return result


def check_release(
    body: bytes,
    url: str,
    source: Source,
    encoding: str | None = None,
    content_type: str | None = None,
    entry: ListingEntry | None = None,
) -> ReleaseCheck:
    """Read a release response as the crawl would; say what each field came from."""
    result = ReleaseCheck(url=url)
    try:
        page = read_release(body, url, source, encoding, content_type, entry)
    except PageError as exc:
        result.error = f"selectors no longer match: {exc}; {NO_FALLBACK}"
        result.layout = True
        return result
    text = page.body_text
    words = text.split()
    result.title, result.published_at, result.published_raw = (
        page.title,
        page.published_at,
        page.published_raw,
    )
    result.words, result.first_words = len(words), " ".join(words[:25])
    result.document_url = page.document_url
    # Readers that record which strategy produced each part (``ReleasePage.methods``: source,
    # platform, general, feed, pdf) are reported as they say; otherwise, as found below.
    methods = dict(getattr(page, "methods", None) or {})
    if methods:
        for key in ("title", "date", "body"):
            if key in methods:
                result.strategies[key] = METHOD_WORDS.get(methods[key], methods[key])
        stale = [
            key
            for key in ("title", "date", "body")
            if source.selectors.get(key) and methods.get(key) in ("platform", "general")
        ]
        if stale:
            result.layout = True
            result.error = "selectors no longer match: " + "; ".join(
                f"the source's {key} selector {source.selectors[key]!r} found nothing, "
                f"{result.strategies[key]} read it instead"
                for key in stale
            )
        if methods.get("body") == "general":
            result.fallback = (
                "selectors no longer match: the body was read by the general extractor"
            )
        return result
    if is_pdf(body, content_type):
        result.strategies.update(
            title="the PDF's metadata or the listing's link text",
            date="the PDF's metadata or the listing",
            body="the PDF's text (pypdf)",
        )
        return result
    selectors = selectors_for(source)
    html = Selector(text=body.decode(encoding or "utf-8", "replace"))
    for key, selector in (("title", selectors.title), ("body", selectors.body)):
        matched = _matching(html, selector)
        result.strategies[key] = (
            f"selector {matched!r} ({_origin(source, key)})"
            if matched
            else "the listing's entry (feed item)"
        )
    date_match = _matching(html, selectors.date)
    if date_match and page.published_raw:
        result.strategies["date"] = (
            f"page metadata or selector {date_match!r} ({_origin(source, 'date')}); "
            f"raw {page.published_raw!r}"
        )
    elif page.published_at:
        result.strategies["date"] = f"page metadata or the listing; raw {page.published_raw!r}"
    else:
        result.strategies["date"] = f"none found (selector {selectors.date!r})"
    return result


def verdict(listings: list[ListingCheck], release: ReleaseCheck | None) -> tuple[str, str]:
    """``("verified", why)`` when a listing gave links and the newest release read with a
    title, a date and a body of at least ``MIN_BODY_WORDS`` words; else ``("broken", why)``."""
    usable = [c for c in listings if c.links]
    if not usable:
        return "broken", "; ".join(c.error or f"{c.url}: no release links" for c in listings)
    if release is None:
        return "broken", "the newest release was not fetched"
    if release.error:
        return "broken", f"newest release {release.url}: {release.error}"
    missing = [
        name
        for name, value in (("title", release.title), ("date", release.published_at))
        if not value
    ]
    if release.words < MIN_BODY_WORDS:
        missing.append(f"body (only {release.words} words)")
    if missing:
        return "broken", f"newest release {release.url}: missing {', '.join(missing)}"
    first = usable[0]
    note = f"; {release.fallback}" if release.fallback else ""
    return (
        "verified",
        f"{len(first.links)} release links on {first.url}; newest release read "
        f"(title, date {release.published_at[:10]}, {release.words} words){note}",
    )


def report_lines(
    source: Source, listings: list[ListingCheck], release: ReleaseCheck | None
) -> list[str]:
    """What blotter read, for people: listing pages, the newest release, the verdict."""
    lines = [f"source {source.id} ({source.name}, {source.platform})"]
    for check in listings:
        lines.append(f"  listing {check.url}  [{check.kind or 'not read'}]")
        if check.strategy:
            lines.append(f"    strategy:   {check.strategy}")
        lines.append(f"    links:      {len(check.links)}")
        for link in check.links[:3]:
            lines.append(f"                {link}")
        if len(check.links) > 3:
            lines.append(f"                … and {len(check.links) - 3} more")
        lines.append(f"    next page:  {check.next_url or '-'}")
        if check.error:
            lines.append(f"    problem:    {check.error}")
    if release is not None:
        lines.append(f"  newest release {release.url}")
        if release.error:
            lines.append(f"    problem:    {release.error}")
        else:
            lines.append(f"    title:      {release.title or '-'}")
            lines.append(f"    date:       {release.published_at or '-'}")
            lines.append(f"    body:       {release.words} words: {release.first_words} …")
            for key, value in release.strategies.items():
                lines.append(f"    {key + ' from:':<11} {value}")
            if release.fallback:
                lines.append(f"    problem:    {release.fallback}")
    status, why = verdict(listings, release)
    lines.append(f"  verdict: {status}: {why}")
    return lines
