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

from sitegen.homepages import homepage_files, load_homepages
from sitegen.templates import esc, esc_attr, render

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
    return render("share_links.html", u=quote(url, safe=""), t=quote(title, safe=""))


def _town(site: Site) -> str:
    """ "Riverton" from "Riverton Police Department"; "Lakeshore County" from a sheriff's office."""
    for suffix in (" Police Department", " Sheriff's Office", " Sheriff’s Office", " Police"):
        if site.agency.endswith(suffix):
            return site.agency[: -len(suffix)]
    return site.agency


def _robots(disallow: str) -> bytes:
    return f"User-agent: *\nDisallow: {disallow}\n".encode()


def _doc(title: str, body_class: str, body: str) -> bytes:
    page = render("document.html", title=title, body_class=body_class, body=body)
    return (page + "\n").encode()


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
        body = render(
            "civicplus/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            listing=listing,
            content=content,
            side=side,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} • {town}, {site.state} • CivicEngage", "civicengage", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = [
            render(
                "civicplus/listing_item.html",
                r=r,
                url=esc_attr(detail_url(r)),
                dates=dates(r),
                teaser=teaser(r.body, 250),
            )
            for r in chunk
        ]
        content = render(
            "civicplus/listing.html",
            items=items,
            n=n,
            total=len(pages),
            prev_url=page_url(n - 1),
            next_url=page_url(n + 1),
        )
        key = f"CivicAlerts.aspx@CID={cid}" + ("" if n == 1 else f"&page={n}")
        files[key] = chrome("News Flash", content)

    for r in site.releases:
        content = render(
            "civicplus/detail.html",
            r=r,
            dates=dates(r),
            body=_document_pointer(r) if site.documents else body_html(r.body),
            share=_share_links(f"http://{site.host}{detail_url(r)}", r.title),
            views=site.views(r),
            listing=listing,
        )
        related = [
            {"url": detail_url(o), "title": o.title} for o in site.releases[:5] if o is not r
        ]
        side = render("civicplus/detail_side.html", related=related)
        files[f"CivicAlerts.aspx@AID={r.number}"] = chrome(r.title, content, side)

    widgets = [
        render("civicplus/widget_item.html", r=r, url=detail_url(r), teaser=teaser(r.body, 120))
        for r in site.releases[:3]
    ]
    home = render("civicplus/home.html", agency=site.agency, widgets=widgets, listing=listing)
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
        return render("wordpress/stamp.html", published=r.published, day=long_date(r.published))

    def post_classes(r: Release) -> str:
        return (
            f"post-{r.number} post type-post status-publish format-standard hentry"
            " category-press-releases"
        )

    def link(r: Release) -> dict:
        return {"url": detail_url(r), "title": r.title, "day": long_date(r.published)}

    entry_footer = render("wordpress/entry_footer.html", category=category)
    recent = [link(r) for r in site.releases[:5]]

    def chrome(title: str, body_class: str, content: str) -> bytes:
        body = render(
            "wordpress/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            category=category,
            content=content,
            recent=recent,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} – {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/wp-admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        posts = [
            render(
                "wordpress/listing_post.html",
                r=r,
                classes=post_classes(r),
                url=detail_url(r),
                stamp=stamp(r),
                excerpt=excerpt_words(r.body, 55),
                footer=entry_footer,
            )
            for r in chunk
        ]
        content = render(
            "wordpress/listing.html",
            posts=posts,
            n=n,
            total=len(pages),
            window=page_window(n, len(pages)),
            url=page_url,
        )
        key = "category/press-releases/" + ("" if n == 1 else f"page/{n}/") + "index.html"
        files[key] = chrome("Press Releases", "archive category category-press-releases", content)

    for i, r in enumerate(site.releases):
        related = [o for o in site.releases[max(0, i - 2) : i + 3] if o is not r][:3]
        older = site.releases[i + 1] if i + 1 < len(site.releases) else None
        newer = site.releases[i - 1] if i > 0 else None
        content = render(
            "wordpress/post.html",
            r=r,
            classes=post_classes(r),
            stamp=stamp(r),
            body=body_html(r.body),
            footer=entry_footer,
            share=_share_links(f"http://{site.host}{detail_url(r)}", r.title),
            views=site.views(r),
            related=[link(o) for o in related],
            older=link(older) if older else None,
            newer=link(newer) if newer else None,
        )
        key = detail_url(r).lstrip("/") + "index.html"
        files[key] = chrome(
            r.title, f"post-template-default single single-post postid-{r.number}", content
        )

    home_posts = [{**link(r), "iso": r.published.isoformat()} for r in site.releases[:4]]
    home = render("wordpress/home.html", agency=site.agency, posts=home_posts, category=category)
    files["index.html"] = chrome("Home", "home page-template-default", home)
    files.update(_wordpress_feeds(site, detail_url))
    return files


# --------------------------------------------------------------------------- Drupal


def _drupal(site: Site) -> dict[str, bytes]:
    town = _town(site)

    def detail_url(r: Release) -> str:
        return f"/news/{r.slug}"

    recent = [{"url": detail_url(r), "title": r.title} for r in site.releases[:3]]

    def chrome(title: str, body_class: str, content: str) -> bytes:
        body = render(
            "drupal/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            content=content,
            recent=recent,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} | {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    last = len(pages) - 1
    for n, chunk in enumerate(pages):
        rows = [
            {
                "url": detail_url(r),
                "title": r.title,
                "iso": r.published.isoformat(),
                "short": f"{r.published:%m/%d/%Y}",
            }
            for r in chunk
        ]
        content = render(
            "drupal/listing.html",
            rows=rows,
            n=n,
            last=last,
            window=page_window(n + 1, len(pages), around=4, ends=False),
        )
        page = chrome("News", "path-news", content)
        files[f"news@page={n}"] = page
        if n == 0:
            files["news/index.html"] = page

    for r in site.releases:
        content = render(
            "drupal/node.html",
            r=r,
            day=long_date(r.published),
            body=body_html(r.body),
            views=site.views(r),
            share=_share_links(f"http://{site.host}{detail_url(r)}", r.title),
        )
        files[detail_url(r).lstrip("/")] = chrome(
            r.title, f"path-node page-node-type-news-release node-{r.number}", content
        )

    home = render("drupal/home.html", agency=site.agency)
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
        body = render(
            "opencities/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            base=base,
            content=content,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} - City of {town}", "oc-body", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = [
            {
                "url": detail_url(r),
                "title": r.title,
                "published": r.published,
                "teaser": teaser(r.body, 180),
            }
            for r in chunk
        ]
        content = render(
            "opencities/listing.html",
            items=items,
            n=n,
            total=len(pages),
            window=page_window(n, len(pages)),
            url=page_url,
        )
        files[page_file(n)] = chrome("Police News", content)

    for r in site.releases:
        content = render(
            "opencities/article.html",
            r=r,
            body=body_html(r.body),
            share=_share_links(f"http://{site.host}{detail_url(r)}", r.title),
            views=site.views(r),
            base=base,
        )
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)

    home = render("opencities/home.html", town=town, agency=site.agency, base=base)
    files["index.html"] = chrome("Home", home)
    police = render("opencities/police.html", agency=site.agency, base=base)
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
    document = render(
        "feeds/rss.xml",
        title=title,
        link=link,
        description=description,
        items=items,
        self_url=self_url,
        extra=extra,
    )
    return (document + "\n").encode()


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
    return render("document_pointer.html", path=_document_path(r), title=r.title)


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
        items = [
            render(
                "civicplus/mobile_item.html",
                cid=cid,
                r=r,
                url=detail_url(r),
                teaser=teaser(r.body, 160),
                day=long_date(r.published),
            )
            for r in chunk
        ]
        content = render(
            "civicplus/mobile_listing.html",
            items=items,
            n=n,
            total=len(pages),
            prev_url=page_url(n - 1),
            next_url=page_url(n + 1),
        )
        key = f"m/newsflash@cat={cid}" + ("" if n == 1 else f"&Page={n}")
        files[key] = chrome("News Flash", content)
    for r in site.releases:
        content = render(
            "civicplus/mobile_detail.html",
            r=r,
            day=long_date(r.published),
            body=_document_pointer(r) if site.documents else body_html(r.body),
            listing=listing,
        )
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)
    return files


def _civicplus_rss(site: Site, cid: int, detail_url: Callable[[Release], str]) -> bytes:
    """The category feed `RSSFeed.aspx?ModID=1&CID=Police-News-N`: every item, not paged, and
    CivicPlus's quirk: the clock time is local but the offset always reads -0500."""
    items = [
        render(
            "civicplus/feed_item.html",
            r=r,
            host=site.host,
            path=detail_url(r),
            teaser=teaser(r.body, 250),
        )
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
            render(
                "wordpress/feed_item.html",
                r=r,
                base=base,
                path=detail_url(r),
                creator=_cdata("Public Information Officer"),
                pub_date=rfc822(r.published, utc=True),
                category=_cdata("Press Releases"),
                description=_cdata(excerpt_words(r.body, 55)),
                content=_cdata(body_html(r.body)),
            )
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
        return render("govaccess/stamp.html", published=r.published, day=long_date(r.published))

    def chrome(title: str, content: str) -> bytes:
        body = render(
            "govaccess/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            base=base,
            content=content,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} | City of {town}", "govaccess", body)

    files: dict[str, bytes] = {"robots.txt": _robots("/admin/")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        items = [
            render(
                "govaccess/listing_item.html",
                r=r,
                url=detail_url(r),
                stamp=stamp(r),
                teaser=teaser(r.body, 200),
            )
            for r in chunk
        ]
        content = render(
            "govaccess/listing.html",
            items=items,
            n=n,
            total=len(pages),
            prev_url=page_url(n - 1),
            next_url=page_url(n + 1),
        )
        key = base.lstrip("/") + ("/index.html" if n == 1 else f"@page={n}")
        files[key] = chrome("News", content)
    for r in site.releases:
        content = render(
            "govaccess/detail.html",
            r=r,
            stamp=stamp(r),
            body=body_html(r.body),
            share=_share_links(f"http://{site.host}{detail_url(r)}", r.title),
            base=base,
        )
        files[detail_url(r).lstrip("/")] = chrome(r.title, content)
    home = render("govaccess/home.html", town=town, agency=site.agency, base=base)
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
        body = render(
            "squarespace/chrome.html",
            agency=site.agency,
            town=town,
            state=site.state,
            content=content,
            year=COPYRIGHT_YEAR,
        )
        return _doc(f"{title} — {site.agency}", body_class, body)

    files: dict[str, bytes] = {"robots.txt": _robots("/config")}
    pages = site.pages
    for n, chunk in enumerate(pages, start=1):
        posts = [
            render(
                "squarespace/listing_post.html",
                r=r,
                url=detail_url(r),
                day=long_date(r.published),
                teaser=teaser(r.body, 220),
            )
            for r in chunk
        ]
        older = offset(chunk[-1]) if n < len(pages) else None
        content = render("squarespace/listing.html", posts=posts, older=older)
        key = "news/index.html" if n == 1 else f"news@offset={offset(pages[n - 2][-1])}"
        files[key] = chrome("News", "collection-type-blog view-list", content)
        items = [
            render(
                "squarespace/feed_item.html",
                r=r,
                agency=site.agency,
                pub_date=rfc822(r.published, utc=True),
                base=base,
                path=detail_url(r),
                description=_cdata(body_html(r.body)),
            )
            for r in chunk
        ]
        # the feed pages as the blog does: the items before the previous page's last one
        query = "format=rss" + ("" if n == 1 else f"&offset={offset(pages[n - 2][-1])}")
        self_url = f"{base}/news?{query}"
        files[f"news@{query}"] = rss_document(
            f"News — {site.agency}", f"{base}/news", "", items, self_url
        )
    for r in site.releases:
        content = render(
            "squarespace/post.html",
            r=r,
            day=long_date(r.published),
            body=body_html(r.body),
            share=_share_links(f"{base}{detail_url(r)}", r.title),
        )
        files[detail_url(r).lstrip("/")] = chrome(
            r.title, "collection-type-blog view-item", content
        )
    home = render("squarespace/home.html", agency=site.agency)
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
PLATFORMS = tuple(RENDERERS)  # the platforms the demo sites can be rendered in


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
    sites = load_content(content_dir)
    for data in sites:
        host = data["site"]["host"]
        for name, content in render_site(data).items():
            tree[Path(host) / name] = content
    if (homepages := content_dir.parent / "homepages.toml").is_file():  # sitegen/homepages.py
        tree.update(homepage_files(sites, load_homepages(homepages)))
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
            print("sitegen: run `make sites` to regenerate", file=sys.stderr)
            return 1
        print(f"sitegen: {len(tree)} files up to date in {args.out}")
        return 0
    changes = write_tree(tree, args.out)
    print(f"sitegen: {len(tree)} files in {args.out} ({changes} written or removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
