"""`make serve`: Datasette on a crawled demo database, answering its canned queries over HTTP.

The browser test opens what a reader would (the front page, arrests, a release, each canned
query with a good and a bad input, the dashboard) in headless Chromium at 1440 px and saves
screenshots under data/screenshots/ (the README's pictures come from there).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from crawler.commands.serve import metadata_for

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CAJIGAS_TITLE = "Man Held on $2 Million Bond After Shooting at Officer"
SCREENSHOTS = ROOT / "data" / "screenshots"
QUERIES = {"recent_arrests", "bonds_over", "charges_by_category_month", "search"}
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def wait_for(base: str, process: subprocess.Popen) -> None:
    """Return once Datasette answers on ``base``; fail with its output if it never does."""
    deadline = time.monotonic() + 30
    while True:
        try:
            get(base + "/-/versions.json")
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"Datasette did not start on {base}:\n{output}")
            time.sleep(0.2)


_DBS: dict[str, Path] = {}


def server_db(server: str) -> Path:
    """The database file a ``server`` fixture serves."""
    return _DBS[server]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    """`scrapy serve` on a free 127.0.0.1 port over a freshly crawled demo.db."""
    db = tmp_path_factory.mktemp("serve") / "demo.db"
    assert crawl_demo(db).returncode == 0
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, process)
        _DBS[base + "/demo"] = db
        yield base + "/demo"
    finally:
        process.terminate()
        process.wait(timeout=10)


def canned(server: str, name: str, **params: str) -> list[dict]:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    return json.loads(get(f"{server}/{name}.json?{query}"))


def refused(server: str, name: str, **params: str) -> str:
    """The error a canned query answers a bad input with (HTTP 400 and its message)."""
    query = urllib.parse.urlencode(params)
    with pytest.raises(urllib.error.HTTPError) as caught:
        get(f"{server}/{name}.json?{query}")
    assert caught.value.code == 400
    return json.loads(caught.value.read())["error"]


def test_recent_arrests_by_agency(server):
    rows = canned(server, "recent_arrests", agency="hartford-ct-pd")
    assert rows and {r["agency"] for r in rows} == {"Hartford Police Department"}
    dates = [r["release_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    [cajigas] = [r for r in rows if r["name"] == "Jose Cajigas"]
    assert cajigas["bond_amount"] == 2000000
    assert cajigas["charges"].count("; ") == 2
    by_name = canned(server, "recent_arrests", agency="Hartford")
    assert [r["name"] for r in by_name] == [r["name"] for r in rows]
    assert len(canned(server, "recent_arrests")) > len(rows)  # empty agency: every agency


def test_bonds_over_an_amount_written_as_a_reporter_would(server):
    rows = canned(server, "bonds_over", amount="$2,000,000")
    assert rows and all(r["bond_amount"] >= 2000000 for r in rows)
    assert "Jose Cajigas" in {r["name"] for r in rows}
    amounts = [r["bond_amount"] for r in rows]
    assert amounts == sorted(amounts, reverse=True)
    assert len(canned(server, "bonds_over", amount="1000")) > len(rows)


def test_charges_by_category_and_month(server):
    rows = canned(server, "charges_by_category_month")
    assert rows and all(set(r) >= {"month", "category", "charges", "people"} for r in rows)
    hartford = canned(server, "charges_by_category_month", agency="hartford-ct-pd")
    assert {r["agencies"] for r in hartford} == {"hartford-ct-pd"}
    assert "2021-10" in {r["month"] for r in hartford}
    category = rows[0]["category"]
    one = canned(server, "charges_by_category_month", category=category)
    assert {r["category"] for r in one} == {category}


def test_search_finds_the_hartford_release_and_survives_odd_input(server):
    [hit] = canned(server, "search", q="Cajigas")
    assert (hit["agency"], hit["title"]) == ("Hartford Police Department", CAJIGAS_TITLE)
    assert "[Cajigas]" in hit["snippet"]
    assert canned(server, "search", q="") == []
    assert canned(server, "search", q='"unbalanced OR') == []


def test_each_canned_query_says_what_is_wrong_with_its_input(server):
    assert "whole dollars" in refused(server, "bonds_over", amount="abc")
    assert "no agency matches" in refused(server, "recent_arrests", agency="Atlantis PD")
    assert "no agency has the id" in refused(server, "charges_by_category_month", agency="nope")
    error = refused(server, "charges_by_category_month", category="XX9")
    assert "not a NIBRS offense code" in error
    assert "type a word" in refused(server, "search", q="???")
    assert canned(server, "bonds_over", amount="")  # empty: every bond


def test_metadata_titles_and_column_docs_are_served(server):
    metadata = json.loads(get(server.rsplit("/", 1)[0] + "/-/metadata.json"))
    assert set(metadata["databases"]) == {"demo"}
    assert set(metadata["databases"]["demo"]["queries"]) == QUERIES
    page = get(server + "/arrests").decode()
    assert "One row per arrested person" in page
    assert "Bond in whole dollars" in page  # a column description, folded under a summary
    assert "What the columns mean" in page
    assert "$2,000,000" in get(server + "/arrests?name__contains=Cajigas").decode()


def test_the_metadata_follows_the_database_file_name():
    metadata = metadata_for("/srv/blotter/pd.db")
    assert list(metadata["databases"]) == ["pd"]
    assert "search" in metadata["databases"]["pd"]["queries"]
    charts = metadata["plugins"]["datasette-dashboards"]["blotter"]["charts"]
    assert {chart["db"] for chart in charts.values()} == {"pd"}


def test_plain_datasette_serves_every_canned_query(server, tmp_path):
    """`datasette data/demo.db -m datasette/metadata.yml`, without make serve or its plugin."""
    db = Path(server_db(server))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "datasette", str(db), "-m", "datasette/metadata.yml"]
        + ["--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, process)
        plain = base + "/demo"
        assert "Jose Cajigas" in {
            r["name"] for r in canned(plain, "recent_arrests", agency="Hartford")
        }
        assert canned(plain, "bonds_over", amount="$2,000,000")
        assert canned(plain, "charges_by_category_month", agency="hartford-ct-pd")
        [hit] = canned(plain, "search", q="Cajigas")
        assert hit["title"] == CAJIGAS_TITLE
        assert "whole dollars" in refused(plain, "bonds_over", amount="abc")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_release_page_shows_its_people_and_its_text_as_paragraphs(server):
    [hit] = canned(server, "search", q="Cajigas")
    html = get(f"{server}/releases/{hit['release_id']}").decode("utf-8")
    people = html[html.index('<table class="people') : html.index("</table>", html.index("people"))]
    assert "Jose Cajigas" in people and "$2,000,000" in people
    text = html[html.index('<div class="release-text">') :]
    assert text.count("<p>") >= 3
    with pytest.raises(urllib.error.HTTPError) as caught:  # no such release: no page
        get(f"{server}/releases/999999")
    assert caught.value.code == 404


def test_a_reporter_reads_the_data_in_the_browser(server):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium): browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    [hit] = canned(server, "search", q="Cajigas")
    site = server.rsplit("/", 1)[0]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})

            def shoot(name: str) -> None:
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

            page.goto(site + "/")
            start = page.locator(".start-here")
            assert start.get_by_role("link", name="arrests").count() == 1
            assert start.get_by_role("link", name="dashboard").count() == 1
            shoot("index")

            page.goto(server + "/arrests")
            headers = page.locator("table.rows-and-columns th").evaluate_all(
                "cells => cells.map(cell => cell.dataset.column)"
            )
            assert headers[:9] == [
                "agency", "release_date", "name", "age", "residence", "charges",
                "bond_amount", "bond_type", "incident_date",
            ]  # fmt: skip
            for column in ("name", "charges", "bond_amount"):
                box = page.locator(f"th.col-{column}").bounding_box()
                assert box and box["x"] + box["width"] <= 1440, f"{column} is off-screen"
            assert page.locator("dl.column-descriptions").is_hidden()
            shoot("arrests")

            page.goto(f"{server}/releases/{hit['release_id']}")
            assert CAJIGAS_TITLE in page.inner_text("h1")
            people = page.inner_text("table.people")
            assert "Jose Cajigas" in people and "$2,000,000" in people
            text = page.inner_text("body")
            assert "<p>" not in text and "body_html" not in text and "content_sha256" not in text
            assert page.locator(".release-text p").count() >= 3
            assert page.get_by_role("link", name=hit["url"]).count() >= 1
            shoot("release")

            good_and_bad = {
                "recent_arrests": ({"agency": "Hartford"}, {"agency": "Atlantis PD"}),
                "bonds_over": ({"amount": "$250,000"}, {"amount": "abc"}),
                "charges_by_category_month": ({"category": "13A"}, {"category": "XX9"}),
                "search": ({"q": "Cajigas"}, {"q": "???"}),
            }
            for name, (good, bad) in good_and_bad.items():
                page.goto(f"{server}/{name}?{urllib.parse.urlencode(good)}")
                assert page.locator("table.rows-and-columns tbody tr").count() > 0, name
                assert page.locator(".message-error").count() == 0, name
                if name == "search":
                    assert CAJIGAS_TITLE in page.inner_text("table.rows-and-columns")
                shoot(f"query-{name}")
                page.goto(f"{server}/{name}?{urllib.parse.urlencode(bad)}")
                error = page.inner_text(".message-error")
                assert "JSON path" not in error and list(bad.values())[0] in error, error
                shoot(f"query-{name}-bad")

            page.goto(site + "/-/dashboards/blotter")
            page.wait_for_selector(".dashboard-card canvas, .dashboard-card svg", timeout=20000)
            charts = page.locator(".dashboard-card canvas, .dashboard-card svg")
            assert charts.count() >= 4
            box = charts.first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100
            assert "No data" not in page.inner_text("body")
            shoot("dashboard")
        finally:
            browser.close()
