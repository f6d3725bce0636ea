"""Render police-department news sites as static files, one renderer per publishing platform.

The demo (`make demo`) serves these files on 127.0.0.1 for the fictional hosts `*.test`; the
crawler then fetches them over real HTTP exactly as it would fetch a department's site.

A site is plain data (the parsed `seeds/demo/content/<host>.toml`)::

    {"site": {"host": "police.riverton.test", "platform": "civicplus",
              "agency": "Riverton Police Department", "state": "OH",
              "timezone": "America/New_York", "per_page": 8},
     "release": [{"slug": "...", "title": "...", "published": "2026-10-03T14:21:43-04:00",
                  "body": "First paragraph.\\n\\nSecond.\\n- a bullet", "modified": "2026-10-04"}]}

`render_site(site)` returns `{path: bytes}`, paths relative to the site's root directory and
named the way the demo server maps requests to files:

- `http://host/a/b`      -> `a/b`, or `a/b/index.html` when `a/b` is a directory;
- `http://host/a/b?q=1`  -> `a/b@q=1` (the query percent-decoded).

Run `python -m sitegen.demo_sites` to rewrite `seeds/demo/sites/` from `seeds/demo/content/`, or
`python -m sitegen.demo_sites --check` to verify that the committed tree is up to date.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import textwrap
import tomllib
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

PLATFORMS = ("civicplus", "wordpress", "drupal", "opencities", "govaccess", "squarespace")
COPYRIGHT_YEAR = 2026
DEMO_DIR = Path(__file__).resolve().parent.parent / "seeds" / "demo"

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class SiteError(ValueError):
    """A site description that cannot be rendered; the message names the host and the field."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Release:
    """One press release as a site shows it."""

    number: int  # stable numeric id: CivicPlus AID, WordPress post id, Drupal node id
    slug: str
    title: str
    published: datetime  # timezone-aware, in the agency's local offset
    body: str
    modified: date | None = None


@dataclass(frozen=True)
class Site:
    """A department's site: who publishes it, on which platform, and its releases, newest first."""

    host: str
    platform: str
    agency: str
    state: str
    timezone: str
    per_page: int
    releases: tuple[Release, ...]
    documents: bool = False  # CivicPlus: each release is a PDF the News Flash item links to

    @property
    def pages(self) -> list[tuple[Release, ...]]:
        """The listing pages in order; always at least one (possibly empty) page."""
        n = self.per_page
        chunks = [self.releases[i : i + n] for i in range(0, len(self.releases), n)]
        return chunks or [()]

    def views(self, release: Release) -> int:
        """A stable, plausible view count for a release's counter."""
        return 40 + zlib.crc32(f"{self.host}/{release.slug}".encode()) % 2400


def _parse_published(value: object, where: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise SiteError(f"{where}: published {value!r} is not ISO 8601") from exc
    else:
        raise SiteError(f"{where}: published must be an ISO 8601 string, got {value!r}")
    if moment.utcoffset() is None:
        raise SiteError(f"{where}: published {value!r} has no UTC offset")
    return moment


def _parse_modified(value: object, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError as exc:
            raise SiteError(f"{where}: modified {value!r} is not an ISO 8601 date") from exc
    raise SiteError(f"{where}: modified must be an ISO 8601 date, got {value!r}")


def parse_site(data: dict) -> Site:
    """Validate a site description (see the module docstring) and return it as a `Site`.

    Releases get numbers in publication order, starting at `[site] first_id` (default 101),
    unless a release gives its own `id`. Raises `SiteError` naming the host and the field.
    """
    meta = data.get("site")
    if not isinstance(meta, dict):
        raise SiteError("site description has no [site] table")
    host = meta.get("host", "")
    if not isinstance(host, str) or not _HOST.match(host):
        raise SiteError(f"[site] host {host!r} is not a lowercase host name")
    for key in ("platform", "agency", "state"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise SiteError(f"{host}: [site] {key} is missing")
    if meta["platform"] not in PLATFORMS:
        raise SiteError(f"{host}: platform {meta['platform']!r} is not one of {PLATFORMS}")
    per_page = meta.get("per_page")
    if not isinstance(per_page, int) or per_page < 1:
        raise SiteError(f"{host}: [site] per_page must be a positive integer, got {per_page!r}")
    first_id = meta.get("first_id", 101)

    raw = data.get("release", [])
    if not isinstance(raw, list):
        raise SiteError(f"{host}: [[release]] must be an array of tables")
    parsed: list[tuple[datetime, int, dict]] = []
    for index, item in enumerate(raw):
        where = f"{host}: release #{index + 1}"
        for key in ("slug", "title", "published", "body"):
            if key not in item:
                raise SiteError(f"{where}: missing {key!r}")
        if not isinstance(item["slug"], str) or not _SLUG.match(item["slug"]):
            raise SiteError(f"{where}: slug {item['slug']!r} must be URL-safe ([A-Za-z0-9._~-])")
        where = f"{host}: release {item['slug']!r}"
        if not str(item["title"]).strip() or not str(item["body"]).strip():
            raise SiteError(f"{where}: title and body must not be empty")
        parsed.append((_parse_published(item["published"], where), index, item))

    parsed.sort(key=lambda entry: (entry[0], entry[1]))
    releases: list[Release] = []
    seen_numbers: set[int] = set()
    seen_slugs: set[str] = set()
    for position, (published, _, item) in enumerate(parsed):
        where = f"{host}: release {item['slug']!r}"
        number = int(item.get("id", first_id + position))
        if number in seen_numbers:
            raise SiteError(f"{where}: id {number} is used twice")
        if item["slug"] in seen_slugs:
            raise SiteError(f"{where}: slug is used twice")
        seen_numbers.add(number)
        seen_slugs.add(item["slug"])
        releases.append(
            Release(
                number=number,
                slug=item["slug"],
                title=" ".join(str(item["title"]).split()),
                published=published,
                body=str(item["body"]).strip(),
                modified=_parse_modified(item.get("modified"), where),
            )
        )
    releases.reverse()  # newest first, as every listing shows them
    return Site(
        host=host,
        platform=meta["platform"],
        agency=meta["agency"],
        state=meta["state"],
        timezone=str(meta.get("timezone", "")),
        per_page=per_page,
        releases=tuple(releases),
        documents=bool(meta.get("documents", False)),
    )


# --------------------------------------------------------------------------- text helpers


def esc(text: str) -> str:
    """HTML-escape text for element content (quotes stay as typed)."""
    return html.escape(text, quote=False)


def esc_attr(text: str) -> str:
    """HTML-escape text for a double-quoted attribute value."""
    return html.escape(text, quote=True)


def body_blocks(body: str) -> Iterator[tuple[str, list[str]]]:
    """Split a body into blocks: ("p", [lines]) for paragraphs, ("ul", [items]) for bullets.

    Paragraphs are separated by blank lines; a line starting with "- " is a bullet, and
    consecutive bullets form one list. Other lines of one paragraph stay separate lines.
    """
    for chunk in _PARAGRAPH_BREAK.split(body.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        kind, group = "", []
        for line in lines:
            this = "ul" if line.startswith("- ") else "p"
            text = line[2:].strip() if this == "ul" else line
            if this != kind and group:
                yield kind, group
                group = []
            kind = this
            group.append(text)
        if group:
            yield kind, group


def body_html(body: str) -> str:
    """The body as HTML paragraphs and lists; lines inside one paragraph are joined by <br>."""
    parts = []
    for kind, lines in body_blocks(body):
        if kind == "ul":
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>\n".join(esc(line) for line in lines) + "</p>")
    return "\n".join(parts)


def plain_text(body: str) -> str:
    """The body as one line of text, bullets and paragraphs joined by spaces."""
    return " ".join(" ".join(lines) for _, lines in body_blocks(body))


def teaser(body: str, limit: int) -> str:
    """The start of the body, cut at a word boundary to at most `limit` characters plus "..."."""
    text = plain_text(body)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "..."


def excerpt_words(body: str, words: int) -> str:
    """WordPress-style excerpt: the first `words` words, then " [&hellip;]" if cut."""
    tokens = plain_text(body).split()
    if len(tokens) <= words:
        return esc(" ".join(tokens))
    return esc(" ".join(tokens[:words])) + " [&hellip;]"


def page_window(current: int, total: int, around: int = 2, ends: bool = True) -> list[int | None]:
    """Page numbers (1-based) a pager shows around `current`; None marks an ellipsis.

    With `ends`, the first and last pages are always shown (WordPress style); without, only
    the window is (Drupal style). Keeps listing pages small when a site has thousands of pages.
    """
    low, high = max(1, current - around), min(total, current + around)
    shown: list[int | None] = []
    if ends and low > 1:
        shown.append(1)
        if low > 2:
            shown.append(None)
    elif low > 1:
        shown.append(None)
    shown.extend(range(low, high + 1))
    if high < total:
        if ends:
            if high < total - 1:
                shown.append(None)
            shown.append(total)
        else:
            shown.append(None)
    return shown


def long_date(day: date) -> str:
    """ "October 3, 2026"."""
    return f"{day:%B} {day.day}, {day.year}"


def _share_links(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return (
        '<ul class="share-links">'
        f'<li><a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={u}"'
        ' rel="noopener" target="_blank">Facebook</a></li>'
        f'<li><a class="share-twitter" href="https://twitter.com/intent/tweet?url={u}&amp;text={t}"'
        ' rel="noopener" target="_blank">X</a></li>'
        f'<li><a class="share-email" href="mailto:?subject={t}&amp;body={u}">Email</a></li>'
        '<li><a class="share-print" href="#" onclick="window.print();return false;">Print</a></li>'
        "</ul>"
    )


def _town(site: Site) -> str:
    """ "Riverton" from "Riverton Police Department"; "Lakeshore County" from a sheriff's office."""
    for suffix in (" Police Department", " Sheriff's Office", " Sheriff’s Office", " Police"):
        if site.agency.endswith(suffix):
            return site.agency[: -len(suffix)]
    return site.agency


def _robots(disallow: str) -> bytes:
    return f"User-agent: *\nDisallow: {disallow}\n".encode()


def _doc(title: str, body_class: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        '<link rel="stylesheet" href="/assets/site.css">\n'
        f'</head>\n<body class="{body_class}">\n{body}\n</body>\n</html>\n'
    ).encode()


# --------------------------------------------------------------------------- CivicPlus


def _civicplus(site: Site) -> dict[str, bytes]:
    cid = 2
    town = _town(site)
    listing = f"/CivicAlerts.aspx?CID={cid}"

    def page_url(n: int) -> str:
        return listing if n == 1 else f"{listing}&page={n}"

    def detail_url(r: Release) -> str:
        return f"/CivicAlerts.aspx?AID={r.number}"

    def dates(r: Release) -> str:
        text = f"Posted on: {long_date(r.published)}"
        if r.modified:
            text += f" | Last Modified on: {long_date(r.modified)}"
        return text

    def chrome(title: str, content: str, side: str = "") -> bytes:
        body = f"""<a class="skipToContentLink" href="#contentarea">Skip to Main Content</a>
<div id="divSiteWrapper">
<header id="bannerContainer">
<div class="siteLogo"><a href="/" title="Home">{esc(site.agency)}</a></div>
<p class="siteTagline">{esc(town)}, {esc(site.state)} &middot; Serving with Integrity</p>
<form id="searchForm" action="/Search" method="get"><label for="searchBox">Search</label>
<input id="searchBox" name="searchPhrase" type="text"></form>
</header>
<nav id="mainNav" aria-label="Main"><ul class="rootNav">
<li><a href="/">Home</a></li>
<li><a href="{listing}">News Flash</a></li>
<li><a href="/#contact">Contact Us</a></li>
</ul></nav>
<div id="contentarea" class="moduleContentNew">
<div class="breadCrumbs"><a href="/">Home</a> &rsaquo; <a href="{listing}">News Flash</a></div>
<main id="moduleContent">
{content}
</main>
<aside id="sideNav" class="sideNav">
<h4>Categories</h4>
<ul><li><a href="{listing}">Police News</a></li></ul>
{side}
<h4>Tools</h4>
<ul class="tools"><li><a href="/#rss">RSS</a></li>
<li><a href="/#notify">Notify Me&reg;</a></li></ul>
</aside>
</div>
<footer id="footer">
<div class="contactInfo" id="contact">{esc(site.agency)} &middot; 100 Public Square, {esc(town)},
{esc(site.state)} &middot; Emergency: 9-1-1 &middot; Non-Emergency: (555) 010-0100</div>
<p class="copyright">&copy; {COPYRIGHT_YEAR} {esc(town)}, {esc(site.state)}. All rights reserved.
Government Websites by <a href="/#civicplus">CivicPlus&reg;</a></p>
</footer>
</div>"""
        return _doc(f"{title} • {town}, {site.state} • CivicEngage", "civicengage", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = []
        for r in chunk:
            url = esc_attr(detail_url(r))
            items.append(
                f"""<div class="item">
<h3><a id="alertTitle_{r.number}" href="{url}">{esc(r.title)}</a></h3>
<div class="date">{esc(dates(r))}</div>
<div class="item intro fr-view">{esc(teaser(r.body, 250))}</div>
<a class="more" href="{url}" aria-label="Read on {esc_attr(r.title)}">Read on...</a>
</div>"""
            )
        pager = []
        if n > 1:
            pager.append(f'<a class="prev" href="{esc_attr(page_url(n - 1))}">Previous</a>')
        pager.append(f'<span class="pageNumber">Page {n} of {len(pages)}</span>')
        if n < len(pages):
            pager.append(f'<a class="next" href="{esc_attr(page_url(n + 1))}">Next</a>')
        content = (
            '<h1 class="pageTitle">News Flash</h1>\n'
            '<h2 class="category">Police News</h2>\n'
            '<div class="listing">\n' + "\n".join(items) + "\n</div>\n"
            '<div class="pagination">' + " ".join(pager) + "</div>"
        )
        key = f"CivicAlerts.aspx@CID={cid}" + ("" if n == 1 else f"&page={n}")
        files[key] = chrome("News Flash", content)

    for r in site.releases:
        url = f"http://{site.host}{detail_url(r)}"
        content = f"""<h1 class="pageTitle">News Flash</h1>
<div id="newsFlashDetail"><h3 class="article-title">{esc(r.title)}</h3>
<div class="date">{esc(dates(r))}</div>
<div class="article-content fr-view">
{_document_pointer(r) if site.documents else body_html(r.body)}
</div><!-- Article Footer / Related News --></div>
<div class="articleTools">{_share_links(url, r.title)}
<p class="viewCount">Viewed {site.views(r):,} times</p></div>
<div class="returnLink"><a href="{listing}">&laquo; Return to full list</a></div>"""
        related = "".join(
            f'<li><a href="{esc_attr(detail_url(o))}">{esc(o.title)}</a></li>'
            for o in site.releases[:5]
            if o is not r
        )
        side = f'<h4>Other News in Police News</h4>\n<ul class="relatedNews">{related}</ul>'
        files[f"CivicAlerts.aspx@AID={r.number}"] = chrome(r.title, content, side)

    widget = "\n".join(
        f'<li class="widgetItem" data-news-i-d="{r.number}"><h4 class="widgetTitle">'
        f'<a id="newsFlashItemHeader{r.number}" href="{esc_attr(detail_url(r))}">{esc(r.title)}</a>'
        f'</h4><div class="widgetDesc">{esc(teaser(r.body, 120))}</div>'
        f'<a class="readOn" id="newsFlashReadOn{r.number}" href="{esc_attr(detail_url(r))}">'
        "Read on...</a>"
        "</li>"
        for r in site.releases[:3]
    )
    home = f"""<h1 class="pageTitle">Welcome to the {esc(site.agency)}</h1>
<div class="widget newsFlash"><h2>News Flash</h2><ul class="widgetList">
{widget}
</ul><a class="widgetViewAll" href="{listing}">View All</a></div>"""
    files["index.html"] = chrome(site.agency, home)
    files.update(_civicplus_mobile(site, cid, chrome))
    files[f"RSSFeed.aspx@ModID=1&CID=Police-News-{cid}"] = _civicplus_rss(site, cid, detail_url)
    if site.documents:
        for r in site.releases:
            files[_document_path(r).lstrip("/")] = text_pdf(
                r.title, [line for _, lines in body_blocks(r.body) for line in lines], r.published
            )
    return files


# --------------------------------------------------------------------------- WordPress


def _wordpress(site: Site) -> dict[str, bytes]:
    category = "/category/press-releases/"
    town = _town(site)

    def page_url(n: int) -> str:
        return category if n == 1 else f"{category}page/{n}/"

    def detail_url(r: Release) -> str:
        return f"/{r.published:%Y/%m/%d}/{r.slug}/"

    def stamp(r: Release) -> str:
        return (
            f'<time class="entry-date published" datetime="{r.published.isoformat()}">'
            f"{long_date(r.published)}</time>"
        )

    def post_classes(r: Release) -> str:
        return (
            f"post-{r.number} post type-post status-publish format-standard hentry"
            " category-press-releases"
        )

    entry_footer = (
        '<footer class="entry-footer"><span class="cat-links">Posted in '
        f'<a href="{category}" rel="category tag">Press Releases</a></span></footer>'
    )

    recent = "".join(
        f'<li><a href="{esc_attr(detail_url(r))}">{esc(r.title)}</a></li>'
        for r in site.releases[:5]
    )

    def chrome(title: str, body_class: str, content: str) -> bytes:
        body = f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{esc(site.agency)}</a></p>
<p class="site-description">Serving the people of {esc(town)}, {esc(site.state)}</p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/">Home</a></li>
<li class="menu-item"><a href="{category}">Press Releases</a></li>
<li class="menu-item"><a href="/#jail">Jail Division</a></li>
<li class="menu-item"><a href="/#contact">Contact</a></li>
</ul></nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{content}
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_search"><form role="search" method="get" action="/">
<label>Search for: <input type="search" class="search-field" name="s"></label></form></section>
<section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2>
<ul>{recent}</ul></section>
<section class="widget widget_text"><h2 class="widget-title">Emergency</h2>
<div class="textwidget"><p>Dial 9-1-1. Non-emergency dispatch: (555) 010-0200.</p></div></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info" id="contact">&copy; {COPYRIGHT_YEAR} {esc(site.agency)} &middot;
200 Courthouse Drive, {esc(town)}, {esc(site.state)} &middot;
Proudly powered by <a href="/#wordpress">WordPress</a></div>
</footer>
</div>"""
        return _doc(f"{title} – {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/wp-admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        posts = "\n".join(
            f"""<article id="post-{r.number}" class="{post_classes(r)}">
<header class="entry-header">
<h2 class="entry-title"><a href="{esc_attr(detail_url(r))}" rel="bookmark">{esc(r.title)}</a></h2>
<div class="entry-meta"><span class="posted-on">{stamp(r)}</span></div></header>
<div class="entry-summary"><p>{excerpt_words(r.body, 55)}</p></div>
{entry_footer}
</article>"""
            for r in chunk
        )
        links = []
        if n > 1:
            links.append(f'<a class="prev page-numbers" href="{page_url(n - 1)}">Previous</a>')
        for k in page_window(n, len(pages)):
            if k is None:
                links.append('<span class="page-numbers dots">&hellip;</span>')
            elif k == n:
                links.append(f'<span aria-current="page" class="page-numbers current">{k}</span>')
            else:
                links.append(f'<a class="page-numbers" href="{page_url(k)}">{k}</a>')
        if n < len(pages):
            links.append(f'<a class="next page-numbers" href="{page_url(n + 1)}">Next</a>')
        content = (
            '<header class="page-header"><h1 class="page-title">Category: '
            "<span>Press Releases</span></h1></header>\n"
            + posts
            + '\n<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
            + "".join(links)
            + "</div></nav>"
        )
        key = "category/press-releases/" + ("" if n == 1 else f"page/{n}/") + "index.html"
        files[key] = chrome("Press Releases", "archive category category-press-releases", content)

    for i, r in enumerate(site.releases):
        url = f"http://{site.host}{detail_url(r)}"
        related = [o for o in site.releases[max(0, i - 2) : i + 3] if o is not r][:3]
        related_html = "".join(
            f'<li class="related-post"><a href="{esc_attr(detail_url(o))}">{esc(o.title)}</a>'
            f" <span>{long_date(o.published)}</span></li>"
            for o in related
        )
        nav = []
        if i + 1 < len(site.releases):
            older = site.releases[i + 1]
            nav.append(
                f'<div class="nav-previous"><a href="{esc_attr(detail_url(older))}" rel="prev">'
                f"{esc(older.title)}</a></div>"
            )
        if i > 0:
            newer = site.releases[i - 1]
            nav.append(
                f'<div class="nav-next"><a href="{esc_attr(detail_url(newer))}" rel="next">'
                f"{esc(newer.title)}</a></div>"
            )
        content = f"""<article id="post-{r.number}" class="{post_classes(r)}">
<header class="entry-header"><h1 class="entry-title">{esc(r.title)}</h1>
<div class="entry-meta"><span class="posted-on">{stamp(r)}</span>
<span class="byline"> by <span class="author vcard">Public Information Officer</span></span>
</div></header>
<div class="entry-content">
{body_html(r.body)}
</div>
{entry_footer}
</article>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>
{_share_links(url, r.title)}</div>
<div class="post-views"><span class="post-views-label">Post Views:</span>
<span class="post-views-count">{site.views(r):,}</span></div>
<div id="related-posts" class="related-posts"><h3>Related</h3><ul>{related_html}</ul></div>
<nav class="navigation post-navigation" aria-label="Posts">
<div class="nav-links">{"".join(nav)}</div></nav>
<div id="comments" class="comments-area"><p class="no-comments">Comments are closed.</p></div>"""
        key = detail_url(r).lstrip("/") + "index.html"
        files[key] = chrome(
            r.title, f"post-template-default single single-post postid-{r.number}", content
        )

    home_posts = "".join(
        f'<li><a href="{esc_attr(detail_url(r))}">{esc(r.title)}</a> '
        f'<time datetime="{r.published.isoformat()}">{long_date(r.published)}</time></li>'
        for r in site.releases[:4]
    )
    home = (
        f'<h1 class="page-title">{esc(site.agency)}</h1>\n'
        f'<section class="home-news"><h2>Latest Press Releases</h2><ul>{home_posts}</ul>'
        f'<p><a href="{category}">All press releases</a></p></section>'
    )
    files["index.html"] = chrome("Home", "home page-template-default", home)
    files.update(_wordpress_feeds(site, detail_url))
    return files


# --------------------------------------------------------------------------- Drupal


def _drupal(site: Site) -> dict[str, bytes]:
    town = _town(site)

    def detail_url(r: Release) -> str:
        return f"/news/{r.slug}"

    recent = "".join(
        f'<li><a href="{esc_attr(detail_url(r))}">{esc(r.title)}</a></li>'
        for r in site.releases[:3]
    )

    def chrome(title: str, body_class: str, content: str) -> bytes:
        body = f"""<a href="#main-content" class="visually-hidden focusable skip-link">
Skip to main content</a>
<div class="dialog-off-canvas-main-canvas">
<div class="layout-container">
<header role="banner" class="region region-header">
<div id="block-sitebranding" class="block block-system-branding-block">
<a href="/" rel="home" class="site-branding__name">{esc(site.agency)}</a>
<div class="site-branding__slogan">City of {esc(town)}, {esc(site.state)}</div></div>
</header>
<nav role="navigation" id="block-mainnavigation" class="block block-menu navigation menu--main">
<ul class="menu"><li class="menu-item"><a href="/">Home</a></li>
<li class="menu-item menu-item--active-trail"><a href="/news">News</a></li>
<li class="menu-item"><a href="/#records">Records Requests</a></li>
<li class="menu-item"><a href="/#contact">Contact</a></li></ul></nav>
<main role="main" class="layout-main">
<a id="main-content" tabindex="-1"></a>
<div class="region region-content">
{content}
</div>
</main>
<aside class="layout-sidebar-first region region-sidebar-first" role="complementary">
<div class="block block-views block-views-blocknews-block-1"><h2>Recent News</h2><ul>
{recent}
</ul></div>
</aside>
<footer role="contentinfo" class="region region-footer" id="contact">
<p>{esc(site.agency)} &middot; 300 N. Main St., {esc(town)}, {esc(site.state)} &middot;
Non-emergency (555) 010-0300</p>
<p class="copyright">&copy; {COPYRIGHT_YEAR} City of {esc(town)}. All rights reserved.</p>
</footer>
</div>
</div>"""
        return _doc(f"{title} | {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    last = len(pages) - 1
    for n, chunk in enumerate(pages):
        rows = "\n".join(
            f'<div class="views-row"><h3><a href="{esc_attr(detail_url(r))}" hreflang="en">'
            f"{esc(r.title)}</a></h3>"
            f'<div class="views-field-created"><time datetime="{r.published.isoformat()}">'
            f"{r.published:%m/%d/%Y}</time></div></div>"
            for r in chunk
        )
        pager = []
        if n > 0:
            pager.append(
                '<li class="pager__item pager__item--first">'
                '<a href="?page=0" title="Go to first page">'
                "« First</a></li>"
            )
            pager.append(
                f'<li class="pager__item pager__item--previous"><a href="?page={n - 1}" rel="prev">'
                "‹ Previous</a></li>"
            )
        for k in page_window(n + 1, len(pages), around=4, ends=False):
            if k is None:
                pager.append('<li class="pager__item pager__item--ellipsis">&hellip;</li>')
                continue
            k -= 1
            active = " is-active" if k == n else ""
            pager.append(
                f'<li class="pager__item{active}"><a href="?page={k}" title="Go to page {k + 1}">'
                f"{k + 1}</a></li>"
            )
        if n < last:
            pager.append(
                f'<li class="pager__item pager__item--next"><a href="?page={n + 1}" rel="next">'
                "Next ›</a></li>"
            )
            pager.append(
                '<li class="pager__item pager__item--last">'
                f'<a href="?page={last}" title="Go to last page">'
                "Last »</a></li>"
            )
        content = f"""<h1 class="page-title">News</h1>
<div class="views-element-container">
<div class="view view-news view-id-news view-display-id-page_1">
<div class="view-content">
{rows}
</div>
<nav class="pager" role="navigation" aria-labelledby="pagination-heading">
<h4 id="pagination-heading" class="visually-hidden">Pagination</h4>
<ul class="pager__items js-pager__items">{"".join(pager)}</ul></nav>
</div></div>"""
        page = chrome("News", "path-news", content)
        files[f"news@page={n}"] = page
        if n == 0:
            files["news/index.html"] = page

    for r in site.releases:
        url = f"http://{site.host}{detail_url(r)}"
        content = f"""<h1 class="page-title">{esc(r.title)}</h1>
<article role="article" class="node node--type-news-release node--view-mode-full">
<div class="node__content">
<div class="field field--name-field-date field--type-datetime field--label-hidden field__item">
<time datetime="{r.published.isoformat()}">{long_date(r.published)}</time></div>
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary
 field--label-hidden field__item">
{body_html(r.body)}
</div>
</div>
<div class="node__links"><ul class="links inline">
<li class="statistics-counter">{site.views(r):,} views</li></ul></div>
</article>
<div class="block block-share">{_share_links(url, r.title)}</div>"""
        files[detail_url(r).lstrip("/")] = chrome(
            r.title, f"path-node page-node-type-news-release node-{r.number}", content
        )

    home = (
        f'<h1 class="page-title">Welcome to the {esc(site.agency)}</h1>\n'
        f'<p>Read the latest <a href="/news">news releases</a>.</p>'
    )
    files["index.html"] = chrome("Home", "path-frontpage", home)
    return files


# --------------------------------------------------------------------------- OpenCities


def _opencities(site: Site) -> dict[str, bytes]:
    base = "/Government/Departments/Police/Police-News"
    key = "dlv_OC CL News Listing"
    town = _town(site)

    def page_url(n: int) -> str:
        return base if n == 1 else f"{base}?{quote(key)}=(pageindex={n})"

    def page_file(n: int) -> str:
        return base.lstrip("/") + ("/index.html" if n == 1 else f"@{key}=(pageindex={n})")

    def detail_url(r: Release) -> str:
        return f"{base}/{r.slug}"

    def chrome(title: str, content: str) -> bytes:
        body = f"""<div id="oc-site">
<header class="oc-header">
<a class="oc-logo" href="/">{esc(town)}, {esc(site.state)}</a>
<form class="oc-search" action="/Search-Results" method="get"><label for="q">Search</label>
<input id="q" name="q" type="search"></form>
<nav class="oc-main-nav"><ul>
<li><a href="/">Home</a></li>
<li><a href="/Government/Departments/Police">Police</a></li>
<li><a href="{base}">Police News</a></li>
<li><a href="/#contact">Contact Us</a></li>
</ul></nav>
</header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/Government/Departments/Police">Police</a></li>
<li><a href="{base}">Police News</a></li></ol></nav>
<main id="main-content" class="main-content">
{content}
</main>
<aside class="oc-sidebar"><h2>Related Information</h2><ul>
<li><a href="/Government/Departments/Police">{esc(site.agency)}</a></li>
<li><a href="/#compstat">CompStat Reports</a></li></ul></aside>
<footer class="oc-footer" id="contact">
<p>{esc(site.agency)} &middot; 50 Jefferson Plaza, {esc(town)}, {esc(site.state)}
&middot; (555) 010-0400</p>
<p class="copyright">&copy; {COPYRIGHT_YEAR} City of {esc(town)} &middot;
<a href="/#privacy">Privacy</a></p>
</footer>
</div>"""
        return _doc(f"{title} - City of {town}", "oc-body", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = "\n".join(
            f'<div class="list-item-container"><article><a href="{esc_attr(detail_url(r))}">'
            f'<h2 class="list-item-title">{esc(r.title)}</h2>'
            '<span class="list-item-block-date">'
            f'<span class="part-date">{r.published.day}</span>'
            f'<span class="part-month">{r.published:%b}</span>'
            f'<span class="part-year">{r.published.year}</span></span>'
            f'<span class="list-item-block-desc">{esc(teaser(r.body, 180))}</span>'
            "</a></article></div>"
            for r in chunk
        )
        pager = []
        if n > 1:
            pager.append(
                f'<li><a class="prev" href="{esc_attr(page_url(n - 1))}">Previous</a></li>'
            )
        for k in page_window(n, len(pages)):
            if k is None:
                pager.append('<li class="ellipsis"><span>&hellip;</span></li>')
            elif k == n:
                pager.append(f'<li class="current"><span>{k}</span></li>')
            else:
                pager.append(
                    f'<li><a class="page-link" href="{esc_attr(page_url(k))}">{k}</a></li>'
                )
        if n < len(pages):
            pager.append(f'<li><a class="next" href="{esc_attr(page_url(n + 1))}">Next</a></li>')
        content = f"""<h1 class="oc-page-title">Police News</h1>
<div class="list-container">
{items}
</div>
<div class="pagination-container"><ul class="pagination">{"".join(pager)}</ul></div>"""
        files[page_file(n)] = chrome("Police News", content)

    for r in site.releases:
        url = f"http://{site.host}{detail_url(r)}"
        content = f"""<h1 class="oc-page-title">{esc(r.title)}</h1>
<div class="news-article">
<p class="news-article-published">
<time datetime="{r.published.isoformat()}">{r.published.day} {r.published:%B %Y}</time></p>
<div class="news-article-content">
{body_html(r.body)}
</div>
</div>
<div class="social-share"><h2>Share this page</h2>{_share_links(url, r.title)}</div>
<p class="page-views">This page has been viewed {site.views(r):,} times.</p>
<p class="back-link"><a href="{base}">Back to Police News</a></p>"""
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)

    home = (
        f'<h1 class="oc-page-title">City of {esc(town)}</h1>\n'
        f'<p><a href="{base}">{esc(site.agency)} news</a></p>'
    )
    files["index.html"] = chrome("Home", home)
    police = (
        f'<h1 class="oc-page-title">{esc(site.agency)}</h1>\n'
        f'<p>Latest updates are posted in <a href="{base}">Police News</a>.</p>'
    )
    files["Government/Departments/Police/index.html"] = chrome(site.agency, police)
    return files


# --------------------------------------------------------------------------- feeds and documents


def rfc822(moment: datetime, utc: bool = False) -> str:
    """ "Thu, 03 Sep 2026 14:00:00 +0000": an RSS pubDate (in UTC with `utc`)."""
    if utc:
        moment = moment.astimezone(UTC)
    return moment.strftime("%a, %d %b %Y %H:%M:%S ") + moment.strftime("%z")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_document(
    title: str, link: str, description: str, items: list[str], self_url: str, extra: str = ""
) -> bytes:
    """An RSS 2.0 document around already rendered `<item>` elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        f"<channel>\n<title>{esc(title)}</title>\n<link>{esc(link)}</link>\n"
        f"<description>{esc(description)}</description>\n<language>en-US</language>\n"
        f'<atom:link href="{esc_attr(self_url)}" rel="self" type="application/rss+xml"/>\n'
        + extra
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    ).encode()


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _pdf_date(moment: datetime) -> str:
    offset = moment.strftime("%z") or "+0000"
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


def text_pdf(title: str, paragraphs: list[str], created: datetime) -> bytes:
    """A small, valid PDF of text paragraphs (Helvetica, US Letter), with `/Title` and
    `/CreationDate` set: what a department's press-release PDF looks like to a parser.

    Deterministic: the same arguments always give the same bytes. Text must be Latin-1.
    """
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 90) or [""]
        lines.append("")
    per_page = 56
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    first_page = 5  # objects: 1 catalog, 2 pages, 3 font, 4 info, then page + content pairs
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        (
            f"<< /Title {_pdf_string(title)} /Producer (blotter demo) "
            f"/CreationDate ({_pdf_date(created)}) >>"
        ).encode("latin-1"),
    ]
    for i, page_lines in enumerate(pages):
        ops = ["BT", "/F1 10 Tf", "13 TL", "72 730 Td"]
        ops += [f"{_pdf_string(line)} Tj T*" for line in page_lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>"
            ).encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document_path(r: Release) -> str:
    return f"/DocumentCenter/View/{3000 + r.number}/{r.slug}"


def _document_pointer(r: Release) -> str:
    """A News Flash body that only links to the release's PDF in the Document Center."""
    return (
        f'<p><a href="{esc_attr(_document_path(r))}" target="_blank">{esc(r.title)} (PDF)</a></p>'
    )


# --------------------------------------------------------------------------- CivicPlus extras


def _civicplus_mobile(site: Site, cid: int, chrome: Callable[..., bytes]) -> dict[str, bytes]:
    """The mobile News Flash (`/m/newsflash?cat=N`, paged `&Page=N`) and its detail pages."""
    listing = f"/m/newsflash?cat={cid}"

    def page_url(n: int) -> str:
        return listing if n == 1 else f"{listing}&Page={n}"

    def detail_url(r: Release) -> str:
        return f"/m/newsflash/home/detail/{r.number}"

    files: dict[str, bytes] = {}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = "\n".join(
            f"""<li id="list-articles-category-{cid}-{r.number}" class="list-group-item">
<h3 class="article-list-header"><a class="article-title-link" href="{esc_attr(detail_url(r))}"
 aria-label="Open Article {esc_attr(r.title)}">{esc(r.title)}</a></h3>
<div class="article-preview">{esc(teaser(r.body, 160))}</div>
<div class="article-list-footer"><span class="fst-italic">Posted on {long_date(r.published)}</span>
</div></li>"""
            for r in chunk
        )
        pager = []
        if n > 1:
            pager.append(
                f'<a class="page-link" rel="prev" href="{esc_attr(page_url(n - 1))}">Prev</a>'
            )
        if n < len(pages):
            pager.append(
                f'<a class="page-link" rel="next" href="{esc_attr(page_url(n + 1))}">Next</a>'
            )
        content = (
            '<h1 class="pageTitle">News Flash</h1>\n<ul class="list-group news-list">\n'
            + items
            + '\n</ul>\n<nav class="pagination">'
            + " ".join(pager)
            + "</nav>"
        )
        key = f"m/newsflash@cat={cid}" + ("" if n == 1 else f"&Page={n}")
        files[key] = chrome("News Flash", content)
    for r in site.releases:
        body = _document_pointer(r) if site.documents else body_html(r.body)
        content = f"""<div class="article-header"><h1 class="article-title">{esc(r.title)}</h1>
<div class="date">Posted on {long_date(r.published)}</div></div>
<div class="article-content">
{body}
</div>
<div class="article-footer"><a href="{esc_attr(listing)}">Back to News Flash</a></div>"""
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)
    return files


def _civicplus_rss(site: Site, cid: int, detail_url: Callable[[Release], str]) -> bytes:
    """The category feed `RSSFeed.aspx?ModID=1&CID=Police-News-N`: every item, not paged, and
    CivicPlus's quirk: the clock time is local but the offset always reads -0500."""
    items = [
        f"""<item>
<title>{esc(r.title)}</title>
<link>http://{site.host}{esc(detail_url(r))}</link>
<description>{esc(teaser(r.body, 250))}</description>
<pubDate>{r.published.strftime("%a, %d %b %Y %H:%M:%S")} -0500</pubDate>
<guid isPermaLink="true">http://{site.host}{esc(detail_url(r))}</guid>
</item>"""
        for r in site.releases
    ]
    self_url = f"http://{site.host}/RSSFeed.aspx?ModID=1&CID=Police-News-{cid}"
    return rss_document(
        f"{_town(site)}, {site.state} - News Flash - Police News",
        f"http://{site.host}/CivicAlerts.aspx?CID={cid}",
        "Police News",
        items,
        self_url,
    )


# --------------------------------------------------------------------------- WordPress extras


def _wordpress_feeds(site: Site, detail_url: Callable[[Release], str]) -> dict[str, bytes]:
    """`/feed/` (paged `?paged=N`, `per_page` items a page) and the REST API
    `/wp-json/wp/v2/posts?per_page=N` (paged `&page=N`), as WordPress core serves them."""
    files: dict[str, bytes] = {}
    base = f"http://{site.host}"
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = [
            f"""<item>
<title>{esc(r.title)}</title>
<link>{base}{esc(detail_url(r))}</link>
<dc:creator>{_cdata("Public Information Officer")}</dc:creator>
<pubDate>{rfc822(r.published, utc=True)}</pubDate>
<category>{_cdata("Press Releases")}</category>
<guid isPermaLink="false">{base}/?p={r.number}</guid>
<description>{_cdata(excerpt_words(r.body, 55))}</description>
<content:encoded>{_cdata(body_html(r.body))}</content:encoded>
</item>"""
            for r in chunk
        ]
        newest = chunk[0].published if chunk else datetime(COPYRIGHT_YEAR, 1, 1, tzinfo=UTC)
        extra = f"<lastBuildDate>{rfc822(newest, utc=True)}</lastBuildDate>\n"
        self_url = f"{base}/feed/" + ("" if n == 1 else f"?paged={n}")
        files["feed" if n == 1 else f"feed@paged={n}"] = rss_document(
            site.agency, base, f"Serving the people of {_town(site)}", items, self_url, extra
        )
        posts = [
            {
                "id": r.number,
                "date": r.published.replace(tzinfo=None).isoformat(),
                "date_gmt": r.published.astimezone(UTC).replace(tzinfo=None).isoformat(),
                "link": f"{base}{detail_url(r)}",
                "title": {"rendered": esc(r.title)},
                "content": {"rendered": body_html(r.body) + "\n", "protected": False},
                "excerpt": {"rendered": f"<p>{excerpt_words(r.body, 55)}</p>\n"},
            }
            for r in chunk
        ]
        query = f"per_page={site.per_page}" + ("" if n == 1 else f"&page={n}")
        files[f"wp-json/wp/v2/posts@{query}"] = json.dumps(
            posts, ensure_ascii=False, separators=(",", ":")
        ).encode()
    return files


# --------------------------------------------------------------------------- govAccess


def _govaccess(site: Site) -> dict[str, bytes]:
    base = "/Home/Components/News/News"
    category = 18
    town = _town(site)

    def page_url(n: int) -> str:
        return base if n == 1 else f"{base}?page={n}"

    def detail_url(r: Release) -> str:
        return f"{base}/{r.number}/{category}"

    def stamp(r: Release) -> str:
        return f'<time datetime="{r.published.isoformat()}">{long_date(r.published)}</time>'

    def chrome(title: str, content: str) -> bytes:
        body = f"""<div id="skip"><a href="#main">Skip to Main Content</a></div>
<header class="header">
<div class="logo"><a href="/">City of {esc(town)}, {esc(site.state)}</a></div>
<nav class="nav main_nav" aria-label="Main"><ul>
<li><a href="/">Home</a></li><li><a href="/our-city/departments/police">Police</a></li>
<li><a href="{base}">News</a></li><li><a href="/#contact">Contact Us</a></li></ul></nav>
</header>
<div class="breadcrumbs"><a href="/">Home</a> / <a href="{base}">News</a></div>
<main id="main" class="main">
{content}
</main>
<footer class="footer" id="contact"><p>{esc(site.agency)} &middot; 400 Civic Center Plaza,
{esc(town)}, {esc(site.state)} &middot; (555) 010-0500</p>
<p class="copyright">&copy; {COPYRIGHT_YEAR} City of {esc(town)} &middot;
Government Websites by <a href="/#granicus">Granicus</a></p></footer>"""
        return _doc(f"{title} | City of {town}", "govaccess", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = "\n".join(
            f"""<li class="list_item"><h2 class="news_title">
<a href="{esc_attr(detail_url(r))}">{esc(r.title)}</a></h2>
<div class="news_date">{stamp(r)}</div>
<p class="news_teaser">{esc(teaser(r.body, 200))}</p></li>"""
            for r in chunk
        )
        pager = []
        if n > 1:
            pager.append(f'<a class="prev" href="{esc_attr(page_url(n - 1))}">Previous</a>')
        pager.append(f'<span class="page_count">Page {n} of {len(pages)}</span>')
        if n < len(pages):
            pager.append(f'<a class="next" href="{esc_attr(page_url(n + 1))}">Next</a>')
        content = f"""<h1 class="page_title">News</h1>
<div class="list news_list"><ul>
{items}
</ul></div>
<div class="pagination">{" ".join(pager)}</div>"""
        key = base.lstrip("/") + ("/index.html" if n == 1 else f"@page={n}")
        files[key] = chrome("News", content)
    for r in site.releases:
        url = f"http://{site.host}{detail_url(r)}"
        content = f"""<article class="news_detail">
<h1 class="news_title">{esc(r.title)}</h1>
<div class="news_date">Posted on: {stamp(r)}</div>
<div class="news_body fr-view">
{body_html(r.body)}
</div>
</article>
<div class="share">{_share_links(url, r.title)}</div>
<p class="news_return"><a href="{base}">Return to News</a></p>"""
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)
    home = (
        f'<h1 class="page_title">City of {esc(town)}</h1>\n'
        f'<p><a href="{base}">City news</a> &middot; {esc(site.agency)}</p>'
    )
    files["index.html"] = chrome("Home", home)
    return files


# --------------------------------------------------------------------------- Squarespace


def _squarespace(site: Site) -> dict[str, bytes]:
    base = f"http://{site.host}"
    town = _town(site)

    def detail_url(r: Release) -> str:
        p = r.published
        return f"/news/{p.year}/{p.month}/{p.day}/{r.slug}"

    def offset(r: Release) -> int:
        return int(r.published.timestamp() * 1000)

    def chrome(title: str, body_class: str, content: str) -> bytes:
        body = f"""<div class="Site" data-nc-base="header">
<header class="Header"><div class="Header-branding"><a href="/">{esc(site.agency)}</a></div>
<nav class="Header-nav"><a href="/">Home</a> <a href="/news">News</a>
<a href="/#contact">Contact</a></nav></header>
<main class="Main Main--blog-list">
{content}
</main>
<footer class="Footer" id="contact"><div class="sqs-block html-block"><p>{esc(site.agency)}
&middot; 1 Schroeder Plaza, {esc(town)}, {esc(site.state)}</p>
<p>&copy; {COPYRIGHT_YEAR} {esc(site.agency)}. Powered by Squarespace.</p></div></footer>
</div>"""
        return _doc(f"{title} — {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/config")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        posts = "\n".join(
            f"""<article class="blog-item entry hentry" id="article-{r.number}">
<h1 class="blog-title">
<a href="{esc_attr(detail_url(r))}" class="blog-item-title">{esc(r.title)}</a></h1>
<time class="dt-published" datetime="{r.published:%Y-%m-%d}">{long_date(r.published)}</time>
<div class="blog-excerpt"><p>{esc(teaser(r.body, 220))}</p></div>
<a class="blog-more-link" href="{esc_attr(detail_url(r))}">Read More</a></article>"""
            for r in chunk
        )
        older = ""
        if n < len(pages):
            older = f'<a class="older-link" href="/news?offset={offset(chunk[-1])}">Older Posts</a>'
        content = (
            f'<div class="blog-list">\n{posts}\n</div>\n'
            f'<nav class="BlogList-pagination">{older}</nav>'
        )
        key = "news/index.html" if n == 1 else f"news@offset={offset(pages[n - 2][-1])}"
        files[key] = chrome("News", "collection-type-blog view-list", content)
        items = [
            f"""<item>
<title>{esc(r.title)}</title>
<category>Press Releases</category>
<dc:creator>{esc(site.agency)}</dc:creator>
<pubDate>{rfc822(r.published, utc=True)}</pubDate>
<link>{base}{esc(detail_url(r))}</link>
<guid isPermaLink="false">5f0c0a7e1d2c3b4a:{r.number:08d}</guid>
<description>{_cdata(body_html(r.body))}</description>
</item>"""
            for r in chunk
        ]
        # the feed pages as the blog does: the items before the previous page's last one
        query = "format=rss" + ("" if n == 1 else f"&offset={offset(pages[n - 2][-1])}")
        self_url = f"{base}/news?{query}"
        files[f"news@{query}"] = rss_document(
            f"News — {site.agency}", f"{base}/news", "", items, self_url
        )
    for r in site.releases:
        url = f"{base}{detail_url(r)}"
        content = f"""<article class="BlogItem hentry entry" id="article-{r.number}">
<div class="BlogItem-meta"><time class="dt-published" datetime="{r.published:%Y-%m-%d}">
{long_date(r.published)}</time></div>
<h1 class="entry-title" data-content-field="title">{esc(r.title)}</h1>
<div class="blog-item-content e-content">
<div class="sqs-layout sqs-grid-12 columns-12"><div class="sqs-block html-block">
<div class="sqs-block-content">
{body_html(r.body)}
</div></div></div>
</div>
</article>
<div class="BlogItem-share">{_share_links(url, r.title)}</div>"""
        files[detail_url(r).lstrip("/")] = chrome(
            r.title, "collection-type-blog view-item", content
        )
    home = f'<h1>{esc(site.agency)}</h1>\n<p><a href="/news">News</a></p>'
    files["index.html"] = chrome("Home", "homepage", home)
    return files


RENDERERS: dict[str, Callable[[Site], dict[str, bytes]]] = {
    "civicplus": _civicplus,
    "wordpress": _wordpress,
    "drupal": _drupal,
    "opencities": _opencities,
    "govaccess": _govaccess,
    "squarespace": _squarespace,
}


def render_site(site: dict) -> dict[str, bytes]:
    """Render a site description to `{path: bytes}`, paths relative to the site's root directory.

    Deterministic: the same description always gives the same bytes. Raises `SiteError` for an
    invalid description or when two pages would need the same path (or a file and a directory
    would share one).
    """
    parsed = parse_site(site)
    files = RENDERERS[parsed.platform](parsed)
    _check_paths(parsed.host, files)
    return files


def _check_paths(host: str, files: dict[str, bytes]) -> None:
    dirs = {str(parent) for name in files for parent in Path(name).parents if str(parent) != "."}
    clash = sorted(dirs & files.keys())
    if clash:
        raise SiteError(f"{host}: {clash[0]!r} would be both a file and a directory")


# --------------------------------------------------------------------------- command line


def load_content(content_dir: Path) -> list[dict]:
    """Read every `<host>.toml` in `content_dir`; the file name must equal `[site] host`."""
    sites = []
    for path in sorted(content_dir.glob("*.toml")):
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise SiteError(f"{path}: {exc}") from exc
        host = data.get("site", {}).get("host")
        if host != path.stem:
            raise SiteError(f"{path}: [site] host {host!r} must match the file name")
        sites.append(data)
    return sites


def build_tree(content_dir: Path) -> dict[Path, bytes]:
    """Every file of every site, keyed by path relative to the `sites/` directory."""
    tree: dict[Path, bytes] = {}
    for data in load_content(content_dir):
        host = data["site"]["host"]
        for name, content in render_site(data).items():
            tree[Path(host) / name] = content
    return tree


def _existing(out_dir: Path) -> dict[Path, Path]:
    if not out_dir.is_dir():
        return {}
    return {p.relative_to(out_dir): p for p in out_dir.rglob("*") if p.is_file()}


def diff_tree(tree: dict[Path, bytes], out_dir: Path) -> list[str]:
    """What differs between `tree` and the files under `out_dir`, one line per file."""
    existing = _existing(out_dir)
    problems = [f"missing: {rel}" for rel in sorted(tree.keys() - existing.keys())]
    problems += [f"stale: {rel}" for rel in sorted(existing.keys() - tree.keys())]
    problems += [
        f"changed: {rel}"
        for rel in sorted(tree.keys() & existing.keys())
        if existing[rel].read_bytes() != tree[rel]
    ]
    return problems


def write_tree(tree: dict[Path, bytes], out_dir: Path) -> int:
    """Make `out_dir` hold exactly `tree`: write changed files, delete stale files and empty
    directories. Returns the number of files written or deleted."""
    changes = 0
    for rel, path in _existing(out_dir).items():
        if rel not in tree:
            path.unlink()
            changes += 1
    for rel, content in tree.items():
        path = out_dir / rel
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        changes += 1
    if out_dir.is_dir():
        for directory in sorted(out_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m sitegen.demo_sites [--check]`; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m sitegen.demo_sites", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="fail if the sites are out of date")
    parser.add_argument("--content", type=Path, default=DEMO_DIR / "content")
    parser.add_argument("--out", type=Path, default=DEMO_DIR / "sites")
    args = parser.parse_args(argv)
    try:
        tree = build_tree(args.content)
    except SiteError as exc:
        print(f"sitegen: {exc}", file=sys.stderr)
        return 2
    if args.check:
        problems = diff_tree(tree, args.out)
        for line in problems:
            print(f"sitegen --check: {line}", file=sys.stderr)
        if problems:
            print("sitegen: run `python -m sitegen.demo_sites` to regenerate", file=sys.stderr)
            return 1
        print(f"sitegen: {len(tree)} files up to date in {args.out}")
        return 0
    changes = write_tree(tree, args.out)
    print(f"sitegen: {len(tree)} files in {args.out} ({changes} written or removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
