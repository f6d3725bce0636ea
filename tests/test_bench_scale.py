"""A smoke run of ``make bench-scale`` on four agencies (the real one is never part of the tests).

Whether a night reuses a robots.txt depends on seconds (was it confirmed later into its crawl
than tonight's crawl is now?): with four sites that is a coin toss, at 18,000 the bench shows
it. What holds for every source: none reuses its robots.txt on both nights.
"""

from bench.scale import measure


def test_four_agencies_crawled_then_two_nights_later(tmp_path):
    results = measure(n=4, small=0, per_agency=1, latency=0.0, work=tmp_path, say=lambda _: None)
    f = results["figures"]
    full, night1, night2 = f["full_4"], f["night_1"], f["night_2"]
    assert (full["exit_code"], full["errors"], full["new"], full["sources"]) == (0, 0, 4, 4)
    assert full["pages_served"] == 12  # robots.txt, listing, release, per agency
    assert night1["exit_code"] == night2["exit_code"] == 0
    assert night1["new"] == night2["new"] == 0
    for night in (night1, night2):  # every request the crawl counted reached the site
        assert night["pages_served"] == night["requests"]
    # one request (the listing) or two (robots.txt asked again) per source and night, and
    # no robots.txt is reused on both nights: it would be two days old by the second
    for night in (night1, night2):
        assert 1.0 <= night["requests_per_source"] <= 2.0
    assert night1["requests"] + night2["requests"] >= 3 * full["sources"]
    assert set(results["targets"]) >= {"peak_rss_mb", "night_requests_per_source"}
    assert f["peak_rss_mb"] > 0
