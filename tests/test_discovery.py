"""Discovery: platform fingerprints and link finding (pure), and `scrapy discover` end to end
over the demo homepages served on 127.0.0.1."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crawler.discovery.candidates import as_sources, dumps, merge, read_discovered, unique_id
from crawler.discovery.homepage import (
    civicplus_feed_for,
    feed_guesses,
    find_feeds,
    find_listings,
    find_police_page,
    fingerprint,
    fingerprint_rules,
    is_police_site,
    link_rules,
    site_family,
)
from crawler.discovery.registry import source_slug

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "discovery"
REAL = ROOT.parent / "shared" / "real-pages"


# -- every data-file rule matches its own example ------------------------------------------------


@pytest.mark.parametrize("rule", fingerprint_rules(), ids=lambda r: f"{r.kind}:{r.what[:30]}")
def test_each_fingerprint_rule_matches_its_example(rule):
    assert rule.pattern.search(rule.example)


@pytest.mark.parametrize(
    "rule",
    [*link_rules("listing"), *link_rules("skip"), *link_rules("police")],
    ids=lambda r: f"{r.kind}:{r.example}",
)
def test_each_link_rule_matches_its_example(rule):
    assert rule.pattern.search(rule.example)


# -- the five real county homepages --------------------------------------------------------------

REAL_HOMEPAGES = [
    ("civicplus/mt_granite_home.html", "https://www.granitecountymt.us/", "civicplus"),
    ("wordpress/mt_garfield_home.html", "https://garfieldcountymt.gov/", "wordpress"),
    (
        "wordpress/mt_mineral_home.html",
        "https://co.mineral.mt.us/departments/sheriff/",
        "wordpress",
    ),
    ("wordpress/mt_toole_home.html", "https://toolecountymt.gov/", "wordpress"),
    ("squarespace/mt_daniels_home.html", "https://www.danielscountymt.gov/", "squarespace"),
]


@pytest.mark.parametrize("name,url,platform", REAL_HOMEPAGES)
def test_real_county_homepages_are_fingerprinted(name, url, platform):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared not here)")
    found = fingerprint(path.read_text(encoding="utf-8", errors="replace"), url)
    assert found.platform == platform, found.scores
    assert found.evidence and all(e.where == url for e in found.evidence)


@pytest.mark.parametrize("name,url", [(n, u) for n, u, p in REAL_HOMEPAGES if p == "wordpress"])
def test_real_wordpress_homepages_advertise_their_feed_not_comments(name, url):
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared not here)")
    feeds = [f.url for f in find_feeds(path.read_text(encoding="utf-8", errors="replace"), url)]
    root = url.split("/")[2]
    assert f"https://{root}/feed/" in feeds
    assert not any("comments" in f for f in feeds)


# -- fingerprints and links on written pages -----------------------------------------------------


def test_social_media_homepage_is_social_from_its_address_alone():
    found = fingerprint("", "https://www.facebook.com/ExampleCountySheriff/")
    assert found.platform == "social"


def test_a_page_with_no_platform_markers_is_unknown():
    assert fingerprint("<html><body><p>Hello</p></body></html>", "https://x.test/").platform == (
        "unknown"
    )


def test_a_town_homepage_leads_to_its_police_page_and_from_there_to_police_releases():
    city = (FIXTURES / "city_homepage.html").read_text()
    url = "https://www.elmbendks.test/"
    assert fingerprint(city, url).platform == "wordpress"
    assert not is_police_site(city, url)
    police = find_police_page(city, url)
    assert police is not None
    assert (police.url, police.text) == (
        "https://www.elmbendks.test/departments/police/",
        "Police Department",
    )
    page = (FIXTURES / "police_page.html").read_text()
    assert is_police_site(page, police.url)
    best = find_listings(page, police.url)[0]
    assert best.url == "https://www.elmbendks.test/category/police-press-releases/"
    # on the town's homepage alone, only police-related listings count when asked
    assert find_listings(city, url, police_only=True) == []
    assert find_listings(city, url)[0].url == "https://www.elmbendks.test/category/town-news/"


def test_articles_read_more_links_and_feeds_are_never_listings():
    city = (FIXTURES / "city_homepage.html").read_text()
    urls = [link.url for link in find_listings(city, "https://www.elmbendks.test/")]
    assert not any("/2026/11/03/" in u or u.endswith("/feed/") for u in urls)


def test_feeds_are_autodiscovered_without_the_comments_feed():
    city = (FIXTURES / "city_homepage.html").read_text()
    assert [f.url for f in find_feeds(city, "https://www.elmbendks.test/")] == [
        "https://www.elmbendks.test/feed/"
    ]


def test_platform_feed_guesses():
    assert feed_guesses("wordpress", "https://a.test/", "https://a.test/category/news/") == [
        ("https://a.test/category/news/feed/", "WordPress category feed <listing>/feed/"),
        ("https://a.test/feed/", "WordPress site feed /feed/"),
        ("https://a.test/wp-json/", "WordPress REST API /wp-json/"),
    ]
    assert feed_guesses("drupal", "https://a.test/", "https://a.test/news") == [
        ("https://a.test/rss.xml", "Drupal front-page feed /rss.xml")
    ]
    assert [u for u, _ in feed_guesses("civicplus", "https://a.test/", None)] == [
        "https://a.test/rss.aspx",
        "https://a.test/RSSFeed.aspx?ModID=1&CID=All-newsflash.xml",
    ]
    assert feed_guesses("squarespace", "https://a.test/", "https://a.test/news") == [
        ("https://a.test/news?format=rss", "Squarespace collection feed ?format=rss")
    ]


def test_civicplus_feed_of_the_listing_category():
    feeds = [
        "https://a.test/RSSFeed.aspx?ModID=1&CID=All-newsflash.xml",
        "https://a.test/RSSFeed.aspx?ModID=1&CID=Police-News-2",
        "https://a.test/RSSFeed.aspx?ModID=58&CID=All-calendar.xml",
    ]
    assert civicplus_feed_for(feeds, "https://a.test/CivicAlerts.aspx?CID=2") == feeds[1]
    assert civicplus_feed_for(feeds, "https://a.test/CivicAlerts.aspx") == feeds[0]


@pytest.mark.parametrize(
    "url,family",
    [
        ("http://police.riverton.test/", "riverton.test"),
        ("https://www.ci.anytown.mn.us/", "anytown.mn.us"),
        ("https://co.mineral.mt.us/departments/sheriff/", "mineral.mt.us"),
        ("https://www.seattle.gov/police", "seattle.gov"),
    ],
)
def test_site_family(url, family):
    assert site_family(url) == family


@pytest.mark.parametrize(
    "name,state,slug",
    [
        ("Seattle Police Department", "WA", "seattle-wa-pd"),
        ("Lakeshore County Sheriff's Office", "MI", "lakeshore-mi-so"),
        ("Telluride Marshal's Office", "CO", "telluride-co-marshal"),
        ("Capitol Protection Unit", "TX", "capitol-protection-unit-tx"),
    ],
)
def test_source_ids_follow_the_source_list_style(name, state, slug):
    assert source_slug(name, state) == slug


def test_two_agencies_wanting_one_id_get_the_county_then_a_number():
    taken: dict = {"jackson-oh-pd": "pdap-A"}
    assert unique_id("jackson-oh-pd", "pdap-B", taken, "Stark") == "jackson-oh-pd-stark"
    assert unique_id("jackson-oh-pd", "pdap-A", taken) == "jackson-oh-pd"
    assert unique_id("jackson-oh-pd", "pdap-C", taken, "Stark") == "jackson-oh-pd-2"


# -- the discovered list -------------------------------------------------------------------------

ENTRY = {
    "id": "elm-bend-ks-pd",
    "name": "Elm Bend Police Department",
    "state": "KS",
    "timezone": "America/Chicago",
    "platform": "wordpress",
    "listing_url": "https://www.elmbendks.test/category/police-press-releases/",
    "feed_url": "https://www.elmbendks.test/category/police-press-releases/feed/",
    "enabled": False,
    "disabled_reason": "discovered; not yet verified",
    "status": "discovered",
    "registry_id": "pdap-recX",
    "evidence": {"listing": ["'Police Press Releases' -> … \"quoted\""]},
}


def test_discovered_list_round_trips_and_reads_as_a_source_list(tmp_path):
    path = tmp_path / "discovered.toml"
    path.write_text(dumps([ENTRY]))
    [entry] = read_discovered(path)
    assert entry == ENTRY
    [source] = as_sources([entry], path)
    assert (source.id, source.enabled, source.platform) == ("elm-bend-ks-pd", False, "wordpress")


def test_rediscovery_keeps_a_verification_when_nothing_changed():
    verified = {**ENTRY, "status": "verified", "status_reason": "ok"}
    again = [{**ENTRY}]
    assert merge([verified], again)[0]["status"] == "verified"
    moved = [{**ENTRY, "listing_url": "https://www.elmbendks.test/news/"}]
    assert merge([verified], moved)[0]["status"] == "discovered"


# -- end to end: the demo homepages --------------------------------------------------------------

EXPECTED = {  # registry id: (source id, listing, feed)
    "demo-riverton-oh-pd": (
        "riverton-oh-pd",
        "http://police.riverton.test/CivicAlerts.aspx?CID=2",
        "http://police.riverton.test/RSSFeed.aspx?ModID=1&CID=Police-News-2",
    ),
    "demo-lakeshore-mi-so": (
        "lakeshore-mi-so",
        "http://www.lakeshoresheriff.test/category/press-releases/",
        "http://www.lakeshoresheriff.test/feed/",
    ),
    "demo-millbrook-tx-pd": ("millbrook-tx-pd", "http://www.millbrookpd.test/news", None),
    "demo-hartford-ct-pd": (
        "hartford-ct-pd",
        "http://police.hartford.test/Government/Departments/Police/Police-News",
        None,
    ),
    "demo-harborview-wa-pd": (
        "harborview-wa-pd",
        "http://www.harborviewpd.test/category/press-releases/",
        "http://www.harborviewpd.test/feed/",
    ),
    "demo-port-alden-ma-pd": (
        "port-alden-ma-pd",
        "http://www.portaldenpd.test/news",
        "http://www.portaldenpd.test/news?format=rss",
    ),
    "demo-ocotillo-springs-az-pd": (
        "ocotillo-springs-az-pd",
        "http://www.ocotillosprings.test/Home/Components/News/News",
        None,
    ),
    "demo-laurel-ridge-nc-pd": (
        "laurel-ridge-nc-pd",
        # the desktop News Flash of the mobile listing seeds/demo.toml crawls
        "http://www.laurelridgenc.test/CivicAlerts.aspx?CID=2",
        "http://www.laurelridgenc.test/RSSFeed.aspx?ModID=1&CID=Police-News-2",
    ),
    "demo-quarry-hill-oh-so": (
        "quarry-hill-oh-so",
        "https://www.facebook.com/QuarryHillSheriff/",
        None,
    ),
}


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    where = tmp_path_factory.mktemp("discover")
    sources_before = (ROOT / "seeds" / "sources.toml").read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "discover",
            "--demo",
            "--db",
            str(where / "d.db"),
            "--out",
            str(where / "discovered.toml"),
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (ROOT / "seeds" / "sources.toml").read_bytes() == sources_before
    with (where / "discovered.toml").open("rb") as handle:
        return tomllib.load(handle)["source"], result.stdout, where


@pytest.mark.e2e
def test_discover_proposes_each_demo_agencys_listing_and_feed(discovered):
    entries, stdout, _ = discovered
    found = {e["registry_id"]: (e["id"], e["listing_url"], e.get("feed_url")) for e in entries}
    assert found == EXPECTED
    assert "discovered: 9 candidate(s) for 9 agencies" in stdout


@pytest.mark.e2e
def test_each_candidate_is_disabled_with_its_evidence_and_discovered_status(discovered):
    entries, _, _ = discovered
    by_id = {e["id"]: e for e in entries}
    for entry in entries:
        assert entry["status"] == "discovered" and entry["enabled"] is False
        assert entry["evidence"]["platform"]
    riverton = by_id["riverton-oh-pd"]
    assert riverton["platform"] == "civicplus"
    assert riverton["evidence"]["police_page"] == [
        "'Police' -> http://police.riverton.test/ on http://www.riverton.test/"
    ]
    assert "listed on http://police.riverton.test/rss.aspx" in riverton["evidence"]["feed"][0]
    assert by_id["quarry-hill-oh-so"]["platform"] == "social"
    assert by_id["ocotillo-springs-az-pd"]["evidence"]["police_page"][0].startswith("'Police'")
    platforms = {e["id"]: e["platform"] for e in entries}
    assert platforms["millbrook-tx-pd"] == "drupal"
    assert platforms["hartford-ct-pd"] == "opencities"
    assert platforms["port-alden-ma-pd"] == "squarespace"
    assert platforms["ocotillo-springs-az-pd"] == "govaccess"


@pytest.mark.e2e
def test_discovered_candidates_are_in_the_database_and_linked_to_the_registry(discovered):
    import sqlite3

    _, _, where = discovered
    with sqlite3.connect(where / "d.db") as conn:
        rows = conn.execute("SELECT id, registry_id, status FROM discovered_sources").fetchall()
        coverage = conn.execute("SELECT sum(agencies), sum(discovered) FROM coverage").fetchone()
    assert len(rows) == 9 and {status for _, _, status in rows} == {"discovered"}
    assert coverage == (9, 9)


@pytest.mark.e2e
def test_discover_obeys_robots_txt(tmp_path):
    from sitegen.server import DemoServer

    site = tmp_path / "sites" / "www.closedpd.test"
    site.mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    (site / "index.html").write_text(
        "<html><head><title>Closed Police Department</title></head><body>"
        '<a href="/news">News</a></body></html>'
    )
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "id,name,state,homepage_url\n"
        "test-closed,Closed Police Department,OH,http://www.closedpd.test/\n"
    )
    with DemoServer(tmp_path / "sites") as server:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "discover",
                "--registry",
                str(registry),
                "--proxy",
                server.proxy_url,
                "--db",
                str(tmp_path / "d.db"),
                "--out",
                str(tmp_path / "discovered.toml"),
                "-s",
                "LOG_LEVEL=WARNING",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=False,
        )
        requested = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert "no candidate: homepage http://www.closedpd.test/: refused" in result.stdout
    assert requested == ["www.closedpd.test/robots.txt"]
