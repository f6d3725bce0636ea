"""Release and article pages saved from real sites, read the way blotter reads a release.

The pages live in ``../shared/real-pages/`` (see its SOURCES.md) and are read at test time;
nothing of them is copied here. The expected dates are this project's reading of each page:
the publication date the page shows, or None for a page that shows none (event, calendar and
notice pages, whose dates are when something happens). The chrome of each page is named by
its own selectors, so that the test does not share the reader's rules: no line of it may end
up in the body.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura
from parsel import Selector

from crawler.platforms.pages import parse_release
from crawler.sources import Source

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-pages"

# file → (platform it is read as, the publication day it shows, its chrome)
PAGES: dict[str, tuple[str, str | None, list[str]]] = {
    # a real Boston police release, the <article> element only
    "squarespace/bpd_news_article.html": ("squarespace", "2018-05-31", ["footer.article-meta"]),
    # WordPress news page: breaking-news bar, share bar, byline, sidebar, comments, footer
    "generic/ww_herald.html": (
        "wordpress",
        "2019-05-06",
        ["nav", ".breaking-bar", ".sharedaddy", ".byline", ".article-sidebar", "footer"],
    ),
    # the same page as a source on no known platform would read it
    "generic/ww_herald.html#rss": (
        "rss",
        "2019-05-06",
        ["nav", ".breaking-bar", ".sharedaddy", ".byline", ".article-sidebar", "footer"],
    ),
    # Drupal 7: RDFa dc:date, comments with their own dc:date, sidebar, footer
    "generic/ww_universalhub.html": (
        "drupal",
        "2012-12-13",
        [".main-menu", ".breadcrumb", ".sidebar", "#comments", ".comment", ".footer"],
    ),
    "generic/ww_universalhub.html#rss": (
        "rss",
        "2012-12-13",
        [".main-menu", ".breadcrumb", ".sidebar", "#comments", ".comment", ".footer"],
    ),
    # plain-text date under the headline ("Feb 6, 2008 at 12:01 AM"), JSON-LD in basic ISO form
    "generic/ww_patriotledger.html": (
        "rss",
        "2008-02-06",
        [".toprail-nav-left", ".toprail-nav-right", "footer", "nav.drawer"],
    ),
    # microdata datePublished; header navigation, asides, comment rules, footer
    "generic/ww_wbur.html": (
        "rss",
        "2016-03-21",
        [".row-nav-primary", ".row-nav-itn", ".byline", "aside", "footer", ".footer-container"],
    ),
    # JSON-LD (UTC) and article:published_time (no offset) for the same moment
    "generic/ww_wgbh.html": (
        "rss",
        "2018-12-21",
        [".PageHeaderNavigation", ".ArticlePage-aside", ".Footer"],
    ),
    # event pages: "Date:" is the meeting's, a footer widget lists other posts' dates
    "wordpress/cb_chi_ssa_19_detail.html": (
        "wordpress",
        None,
        [".top-menu", ".et-social-icons", "#main-footer", ".mn-actions"],
    ),
    "wordpress/cb_chi_ssa_43_detail.html": (
        "wordpress",
        None,
        [".top-menu", ".et-social-icons", "#main-footer", ".mn-actions"],
    ),
    "wordpress/cb_cook_landbank_detail.html": (
        "wordpress",
        None,
        [".fusion-main-menu", ".fusion-secondary-header", ".fusion-footer", ".fusion-social-links"],
    ),
    # a calendar page: no publication date
    "wordpress/cb_chi_low_income_housing_trust_fund.html": (
        "wordpress",
        None,
        ["#omc-main-navigation", ".omc-sidebar", "footer"],
    ),
    # Drupal listing and notice pages: meeting dates only
    "drupal/cb_chi_board_elections.html": ("drupal", None, ["header.header", "footer"]),
    "drupal/cb_chi_housing_authority_notice.html": (
        "drupal",
        None,
        [".site-header", "aside.sidebar", ".site-footer"],
    ),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-pages is absent")


def _source(platform: str) -> Source:
    return Source(
        id="real-page",
        name="Real page",
        state="MA",
        timezone="America/New_York",
        platform=platform,
        listing_url="https://www.example.org/news",
    )


def _read(name: str):
    path = REAL / name.split("#")[0]
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    html = path.read_text(encoding="utf-8", errors="replace")
    platform, day, chrome = PAGES[name]
    return html, parse_release(html, "https://www.example.org/news/page", _source(platform)), day


def _chrome_lines(html: str, selectors: list[str]) -> list[str]:
    page = Selector(text=html)
    lines = []
    for selector in selectors:
        for node in page.css(selector):
            for text in node.xpath(".//text()[not(ancestor::script)][not(ancestor::style)]"):
                line = " ".join(text.get().split())
                if len(line.split()) >= 2:
                    lines.append(line)
    return lines


@pytest.mark.parametrize("name", sorted(PAGES))
def test_publication_date_is_the_one_the_page_shows(name: str) -> None:
    _, page, day = _read(name)
    assert ((page.published_at or "")[:10] or None) == day, page.methods


@pytest.mark.parametrize("name", sorted(PAGES))
def test_body_holds_no_site_chrome(name: str) -> None:
    html, page, _ = _read(name)
    platform, _, selectors = PAGES[name]
    chrome = _chrome_lines(html, selectors)
    assert chrome, f"the chrome selectors of {name} match nothing"
    lines = {" ".join(line.split()) for line in page.body_text.splitlines()}
    body = " ".join(page.body_text.split())
    # a chrome line that is a line of the body, or a long one found anywhere in it
    inside = [
        c for c in chrome if c != page.title and (c in lines or (len(c.split()) >= 5 and c in body))
    ]
    assert not inside, (page.methods, inside[:5])


@pytest.mark.parametrize("name", [n for n, (_, day, _) in PAGES.items() if day])
def test_article_body_is_the_article(name: str) -> None:
    """The body holds the words the article has (trafilatura's reading of it, computed here)."""
    html, page, _ = _read(name)
    found = trafilatura.extract(html, favor_precision=True, include_comments=False)
    article = set((found or "").split())
    if len(article) < 50:  # trafilatura finds no article: nothing to compare with
        pytest.skip("trafilatura reads no article here")
    body = set(page.body_text.split())
    assert len(article & body) >= 0.8 * len(article), page.methods
