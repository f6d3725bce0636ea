"""`make serve`: Datasette on a crawled demo database, answering its canned queries over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
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
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


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
        deadline = time.monotonic() + 30
        while True:
            try:
                get(base + "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"Datasette did not start on {base}:\n{output}")
                time.sleep(0.2)
        yield base + "/demo"
    finally:
        process.terminate()
        process.wait(timeout=10)


def canned(server: str, name: str, **params: str) -> list[dict]:
    query = urllib.parse.urlencode({**params, "_shape": "array"})
    return json.loads(get(f"{server}/{name}.json?{query}"))


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


def test_metadata_titles_and_column_docs_are_served(server):
    metadata = json.loads(get(server.rsplit("/", 1)[0] + "/-/metadata.json"))
    queries = metadata["databases"]["demo"]["queries"]
    assert set(queries) == {"recent_arrests", "bonds_over", "charges_by_category_month", "search"}
    page = get(server + "/arrests").decode()
    assert "One row per arrested person" in page
    assert "Bond in whole dollars" in page  # a column description


def test_the_metadata_follows_the_database_file_name():
    metadata = metadata_for("/srv/blotter/pd.db")
    assert list(metadata["databases"]) == ["pd"]
    assert "search" in metadata["databases"]["pd"]["queries"]


def test_a_reporter_searches_in_the_browser(server):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium): browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server + "/search")
            assert "Search releases" in page.inner_text("h1")
            page.fill("input[name=q]", "Cajigas")
            page.locator("form.sql input[type=submit]").click()
            page.wait_for_selector("table.rows-and-columns")
            assert CAJIGAS_TITLE in page.inner_text("table.rows-and-columns")
            page.goto(server + "/arrests?name__contains=Cajigas")
            table = page.inner_text("table.rows-and-columns")
            assert "2000000" in table.replace(",", "") and "Jose Cajigas" in table
        finally:
            browser.close()
