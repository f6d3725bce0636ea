"""The demo site generator: each platform's page structure, the URL-to-file mapping the demo
server uses, pagination, and the committed tree under seeds/demo/sites/."""

from __future__ import annotations

import shutil
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from sitegen import demo_sites as sitegen
from sitegen.demo_sites import SiteError, body_html, render_site

DEMO = Path(__file__).resolve().parent.parent / "seeds" / "demo"
SAMPLE = Path("/work/shared/corpus/hartford-2021-10-26-sample.txt")


def demo_sites() -> list[dict]:
    return sitegen.load_content(DEMO / "content")


def demo_sources() -> list[dict]:
    with (DEMO.parent / "demo.toml").open("rb") as fh:
        return tomllib.load(fh)["source"]


def make_site(platform: str, count: int = 7, per_page: int = 3) -> dict:
    """A small invented site: release n is published on Oct n, 2026 at 09:30 Eastern."""
    releases = [
        {
            "slug": f"release-{n}",
            "title": f"Release number {n} & friends",
            "published": f"2026-10-{n:02d}T09:30:00-04:00",
            "body": f"First paragraph of release {n}.\n\nSecond.\n- bullet one\n- bullet two",
        }
        for n in range(1, count + 1)
    ]
    site = {
        "host": f"{platform}.example.test",
        "platform": platform,
        "agency": "Example Police Department",
        "state": "OH",
        "timezone": "America/New_York",
        "per_page": per_page,
    }
    return {"site": site, "release": releases}


def file_for(files: dict[str, bytes], url: str) -> str:
    """The file the demo server answers `url` with (see sitegen/demo_sites.py's docstring)."""
    parts = urlsplit(url)
    key = unquote(parts.path).strip("/")
    if parts.query:
        key += "@" + unquote(parts.query)
    if key in files:
        return key
    index = f"{key}/index.html" if key else "index.html"
    assert index in files, f"no file for {url} (tried {key!r} and {index!r})"
    return index


def fetch(files: dict[str, bytes], url: str) -> Selector:
    return Selector(text=files[file_for(files, url)].decode("utf-8"))


# CSS selectors the crawler uses per platform: (listing item link, next-page link, detail title,
# detail date, detail body).
SELECTORS = {
    "civicplus": (
        'div.item a[id^="alertTitle_"]',
        "a.next",
        "#newsFlashDetail h3.article-title",
        "#newsFlashDetail div.date",
        "#newsFlashDetail div.article-content.fr-view",
    ),
    "wordpress": (
        "article.post.category-press-releases h2.entry-title a",
        "a.next.page-numbers",
        "article h1.entry-title",
        "article time.entry-date.published",
        "article div.entry-content",
    ),
    "drupal": (
        "div.view-content div.views-row h3 a",
        "li.pager__item--next a",
        "h1.page-title",
        "div.field--name-field-date time",
        "div.field--name-body",
    ),
    "opencities": (
        "div.list-item-container article > a",
        "a.next",
        "h1.oc-page-title",
        "p.news-article-published time",
        "div.news-article-content",
    ),
    "govaccess": (
        "div.news_list li.list_item h2.news_title a",
        "a.next",
        "h1.news_title",
        "div.news_date time",
        "div.news_body",
    ),
    "squarespace": (
        "article.blog-item a.blog-item-title",
        "a.older-link",
        "h1.entry-title",
        "time.dt-published",
        "div.blog-item-content",
    ),
}

LISTING = {
    "civicplus": "/CivicAlerts.aspx?CID=2",
    "wordpress": "/category/press-releases/",
    "drupal": "/news",
    "opencities": "/Government/Departments/Police/Police-News",
    "govaccess": "/Home/Components/News/News",
    "squarespace": "/news",
}


def crawl(files: dict[str, bytes], platform: str, listing_url: str) -> list[tuple[str, str]]:
    """Follow next links from the listing; return (detail URL, listing title) in order seen."""
    item_sel, next_sel = SELECTORS[platform][:2]
    url, seen_pages, found = listing_url, [], []
    while url:
        assert url not in seen_pages, f"pagination loops back to {url}"
        seen_pages.append(url)
        page = fetch(files, url)
        for link in page.css(item_sel):
            title = link.css("h2.list-item-title::text").get() or link.css("::text").get()
            found.append((urljoin(url, link.attrib["href"]), title))
        nxt = page.css(next_sel)
        assert len(nxt) <= 1
        url = urljoin(url, nxt[0].attrib["href"]) if nxt else None
    return found


# --------------------------------------------------------------------------- structures


@pytest.mark.parametrize("platform", sitegen.PLATFORMS)
def test_every_platform_lists_each_release_once_newest_first(platform: str) -> None:
    files = render_site(make_site(platform, count=7, per_page=3))
    found = crawl(files, platform, f"http://{platform}.example.test{LISTING[platform]}")
    titles = [title for _, title in found]
    assert titles == [f"Release number {n} & friends" for n in range(7, 0, -1)]
    assert len({url for url, _ in found}) == 7


@pytest.mark.parametrize("platform", sitegen.PLATFORMS)
def test_every_platform_detail_page_has_title_date_and_body(platform: str) -> None:
    files = render_site(make_site(platform))
    host = f"http://{platform}.example.test"
    for url, title in crawl(files, platform, host + LISTING[platform]):
        page = fetch(files, url)
        _, _, title_sel, date_sel, body_sel = SELECTORS[platform]
        assert page.css(title_sel + "::text").get() == title
        assert page.css(date_sel)
        body = page.css(body_sel)
        assert len(body) == 1
        paragraphs = body.css("p::text").getall()
        assert paragraphs[0].startswith("First paragraph of release")
        assert body.css("ul li::text").getall() == ["bullet one", "bullet two"]
        # page chrome stays outside the body
        assert "© 2026" in " ".join(page.css("footer").xpath("string()").getall())
        assert "Share" not in body.xpath("string()").get()
        assert "view" not in body.xpath("string()").get().lower()


def test_civicplus_listing_and_detail_match_news_flash() -> None:
    files = render_site(make_site("civicplus", count=4, per_page=3))
    page = Selector(text=files["CivicAlerts.aspx@CID=2"].decode())
    item = page.css("div.item")[0]
    assert item.css('h3 a[id="alertTitle_104"]::attr(href)').get() == "/CivicAlerts.aspx?AID=104"
    assert item.css("div.date::text").get() == "Posted on: October 4, 2026"
    assert item.css("div.item.intro.fr-view::text").get().startswith("First paragraph")
    assert item.css("a.more::text").get() == "Read on..."
    assert page.css("a.next::attr(href)").get() == "/CivicAlerts.aspx?CID=2&page=2"
    assert b'href="/CivicAlerts.aspx?CID=2&amp;page=2">Next</a>' in files["CivicAlerts.aspx@CID=2"]
    assert not Selector(text=files["CivicAlerts.aspx@CID=2&page=2"].decode()).css("a.next")

    detail = files["CivicAlerts.aspx@AID=101"].decode()
    assert "<!-- Article Footer / Related News --></div>" in detail
    counter = Selector(text=detail).css(".viewCount::text").get()
    assert counter.startswith("Viewed ") and counter.endswith(" times")


def test_civicplus_shows_last_modified_when_given() -> None:
    site = make_site("civicplus", count=2)
    site["release"][0]["modified"] = "2026-10-04"
    files = render_site(site)
    page = Selector(text=files["CivicAlerts.aspx@AID=101"].decode())
    dates = page.css("#newsFlashDetail div.date::text").get()
    assert dates == "Posted on: October 1, 2026 | Last Modified on: October 4, 2026"


def test_wordpress_keeps_machine_date_and_permalinks() -> None:
    files = render_site(make_site("wordpress", count=7, per_page=3))
    assert "category/press-releases/page/3/index.html" in files
    assert "2026/10/07/release-7/index.html" in files
    page = Selector(text=files["category/press-releases/index.html"].decode())
    stamp = page.css("article time.entry-date.published")[0]
    assert stamp.attrib["datetime"] == "2026-10-07T09:30:00-04:00"
    assert stamp.css("::text").get() == "October 7, 2026"
    assert page.css("article div.entry-summary")
    assert page.css("a.next.page-numbers::attr(href)").get() == "/category/press-releases/page/2/"


def test_drupal_pager_uses_relative_zero_based_query() -> None:
    files = render_site(make_site("drupal", count=7, per_page=3))
    assert {"news/index.html", "news@page=1", "news@page=2"} <= files.keys()
    first = Selector(text=files["news/index.html"].decode())
    assert first.css("li.pager__item--next a::attr(href)").get() == "?page=1"
    row_time = first.css("div.views-row div.views-field-created time")[0]
    assert row_time.attrib["datetime"] == "2026-10-07T09:30:00-04:00"
    assert row_time.css("::text").get() == "10/07/2026"
    assert "news/release-7" in files


def test_opencities_pagination_key_is_percent_encoded_in_links_and_decoded_in_files() -> None:
    files = render_site(make_site("opencities", count=7, per_page=3))
    base = "Government/Departments/Police/Police-News"
    assert f"{base}@dlv_OC CL News Listing=(pageindex=2)" in files
    first = Selector(text=files[f"{base}/index.html"].decode())
    assert first.css("a.next::attr(href)").get() == (
        "/Government/Departments/Police/Police-News?dlv_OC%20CL%20News%20Listing=(pageindex=2)"
    )
    block = first.css("span.list-item-block-date")[0]
    assert block.css("span::text").getall() == ["7", "Oct", "2026"]
    detail = Selector(text=files[f"{base}/release-7"].decode())
    assert detail.css("p.news-article-published time::text").get() == "7 October 2026"


@pytest.mark.parametrize("platform", sitegen.PLATFORMS)
def test_every_site_has_robots_and_a_home_page(platform: str) -> None:
    files = render_site(make_site(platform))
    assert files["robots.txt"].startswith(b"User-agent: *\n")
    assert "index.html" in files


def test_rendering_is_deterministic() -> None:
    site = make_site("wordpress")
    assert render_site(site) == render_site(site)


def test_body_keeps_paragraphs_lines_and_bullets_apart() -> None:
    body = "One & two.\n\nLine a\nLine b\n- first\n- second\nAfter"
    assert body_html(body) == (
        "<p>One &amp; two.</p>\n<p>Line a<br>\nLine b</p>\n"
        "<ul><li>first</li><li>second</li></ul>\n<p>After</p>"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"published": "2026-10-01T09:30:00"}, "has no UTC offset"),
        ({"slug": "has space"}, "must be URL-safe"),
        ({"slug": "release-2"}, "slug is used twice"),
    ],
)
def test_invalid_releases_are_refused_with_the_host_named(change: dict, message: str) -> None:
    site = make_site("drupal")
    site["release"][0].update(change)
    with pytest.raises(SiteError, match=message) as err:
        render_site(site)
    assert "drupal.example.test" in str(err.value)


def test_unknown_platform_is_refused() -> None:
    site = make_site("drupal")
    site["site"]["platform"] = "joomla"
    with pytest.raises(SiteError, match="joomla"):
        render_site(site)


# --------------------------------------------------------------------------- the demo content


def test_demo_has_enough_releases_and_every_listing_has_two_pages() -> None:
    sites = demo_sites()
    assert {s["site"]["platform"] for s in sites} == set(sitegen.PLATFORMS)
    assert sum(len(s["release"]) for s in sites) >= 64
    for data in sites:
        assert len(sitegen.parse_site(data).pages) >= 2, data["site"]["host"]


@pytest.mark.parametrize("source", demo_sources(), ids=lambda s: s["id"])
def test_demo_pagination_chains_through_every_release_exactly_once(source: dict) -> None:
    data = next(
        s for s in demo_sites() if s["site"]["host"] == urlsplit(source["listing_url"]).hostname
    )
    files = render_site(data)
    # the site's HTML listing (a source may read the same site through its feed instead)
    host = urlsplit(source["listing_url"]).hostname
    found = crawl(files, source["platform"], f"http://{host}{LISTING[source['platform']]}")
    titles = [title for _, title in found]
    expected = [r.title for r in sitegen.parse_site(data).releases]
    assert titles == expected
    assert len({url for url, _ in found}) == len(expected)
    for url, title in found:
        page = fetch(files, url)
        assert page.css(SELECTORS[source["platform"]][2] + "::text").get() == title


def test_demo_sources_agree_with_the_content_files() -> None:
    sites = {s["site"]["host"]: s["site"] for s in demo_sites()}
    sources = demo_sources()
    assert len(sources) == len(sites)
    for source in sources:
        assert set(source) == {"id", "name", "state", "timezone", "platform", "listing_url"}
        site = sites[urlsplit(source["listing_url"]).hostname]
        assert (source["name"], source["state"], source["platform"], source["timezone"]) == (
            site["agency"],
            site["state"],
            site["platform"],
            site["timezone"],
        )


def test_demo_publication_offsets_match_each_agency_time_zone() -> None:
    for data in demo_sites():
        zone = ZoneInfo(data["site"]["timezone"])
        for release in data["release"]:
            published = datetime.fromisoformat(release["published"])
            assert published.utcoffset() == published.astimezone(zone).utcoffset(), release["slug"]


def test_demo_release_bodies_are_80_to_300_words_except_the_sample() -> None:
    for data in demo_sites():
        for release in data["release"]:
            words = len(release["body"].split())
            if release["slug"] == "Man-Held-on-2-Million-Bond-After-Shooting-at-Officer":
                continue
            assert 80 <= words <= 300, (release["slug"], words)


def test_hartford_sample_release_is_the_sample_text_with_charge_lines_as_paragraphs() -> None:
    data = next(s for s in demo_sites() if s["site"]["host"] == "police.hartford.test")
    release = next(r for r in data["release"] if r["published"] == "2021-10-26T10:00:00-04:00")
    if SAMPLE.exists():
        assert release["body"].strip() == SAMPLE.read_text(encoding="utf-8").strip()
    files = render_site(data)
    page = fetch(
        files,
        f"http://police.hartford.test/Government/Departments/Police/Police-News/{release['slug']}",
    )
    paragraphs = page.css("div.news-article-content p::text").getall()
    assert "Criminal attempt to commit murder" in paragraphs
    assert "Criminal possession of a firearm and unlawful" in paragraphs
    assert "Discharge of a firearm." in paragraphs


# --------------------------------------------------------------------------- the command


def test_check_passes_on_the_committed_tree() -> None:
    assert sitegen.main(["--check"]) == 0


def test_check_fails_on_changed_missing_or_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "sites"
    shutil.copytree(DEMO / "sites", out)
    assert sitegen.main(["--check", "--out", str(out)]) == 0
    (out / "police.riverton.test" / "robots.txt").write_text("changed")
    (out / "police.riverton.test" / "stale.html").write_text("old")
    (out / "www.millbrookpd.test" / "news@page=1").unlink()
    assert sitegen.main(["--check", "--out", str(out)]) == 1


def test_generate_rewrites_and_removes_stale_files(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "sites"
    content.mkdir()
    (content / "drupal.example.test.toml").write_text(
        '[site]\nhost = "drupal.example.test"\nplatform = "drupal"\nagency = "Example Police"\n'
        'state = "TX"\nper_page = 2\n\n[[release]]\nslug = "a"\ntitle = "A"\n'
        'published = "2026-10-01T09:00:00-05:00"\nbody = "Text."\n'
    )
    (out / "gone.example.test" / "old").mkdir(parents=True)
    (out / "gone.example.test" / "old" / "index.html").write_text("stale")
    assert sitegen.main(["--content", str(content), "--out", str(out)]) == 0
    assert (out / "drupal.example.test" / "news" / "a").is_file()
    assert not (out / "gone.example.test").exists()
    assert sitegen.main(["--check", "--content", str(content), "--out", str(out)]) == 0


def test_pagers_show_a_window_of_pages_so_big_sites_stay_small() -> None:
    assert sitegen.page_window(6, 1667) == [1, None, 4, 5, 6, 7, 8, None, 1667]
    assert sitegen.page_window(1, 3) == [1, 2, 3]
    site = make_site("wordpress", count=0)
    site["release"] = [
        {
            "slug": f"r-{i}",
            "title": f"T {i}",
            "published": f"2026-01-01T00:00:{i % 60:02d}-05:00",
            "body": "Text.",
        }
        for i in range(600)
    ]
    files = render_site(site)
    assert len(files["category/press-releases/page/50/index.html"]) < 10_000
