"""A smoke run of ``make bench-scale`` on four agencies (the real one is never part of the tests).

Each night is launched exactly a day after the one before (the archive's clock is moved), and
the robots.txt TTL is judged at the launch: night 1 reuses every robots.txt the full crawl
fetched (one request per source: the listing), night 2 finds them two days old and asks again
(two per source), whatever each crawl's start-up took.
"""

from bench.scale import measure


def test_four_agencies_crawled_then_two_nights_later(tmp_path):
    results = measure(n=4, small=0, per_agency=1, latency=0.0, work=tmp_path, say=lambda _: None,
                      dns_sample=0)  # fmt: skip
    f = results["figures"]
    full, night1, night2 = f["full_4"], f["night_1"], f["night_2"]
    assert (full["exit_code"], full["errors"], full["new"], full["sources"]) == (0, 0, 4, 4)
    assert full["pages_served"] == 12  # robots.txt, listing, release, per agency
    assert night1["exit_code"] == night2["exit_code"] == 0
    assert night1["new"] == night2["new"] == 0
    for night in (night1, night2):  # every request the crawl counted reached the site
        assert night["pages_served"] == night["requests"]
    assert night1["requests_per_source"] == 1.0  # the listing; robots.txt from the archive
    assert night2["requests_per_source"] == 2.0  # robots.txt two days old: asked again
    assert set(results["targets"]) >= {"peak_rss_mb", "night_requests_per_source"}
    assert f["peak_rss_mb"] > 0


def no_such_names(monkeypatch) -> list[str]:
    """Make every lookup of bench.scale answer "no such name" at once; the names asked for."""
    import socket

    from bench import scale

    asked: list[str] = []

    def unknown(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(scale.socket, "getaddrinfo", unknown)
    return asked


def test_the_resolver_is_timed_on_names_nobody_has_asked_for(monkeypatch):
    from bench import scale

    asked = no_such_names(monkeypatch)
    rate = scale.resolver_rate(names=5, threads=2)
    assert len(set(asked)) == 5 and all(h.endswith(".test") for h in asked)
    assert (rate["names"], rate["threads"], rate["over_1s"]) == (5, 2, 0)
    assert rate["names_per_s"] > 0


def test_the_command_writes_its_results_and_exits_0(tmp_path, monkeypatch, capsys):
    import json

    from bench import scale

    no_such_names(monkeypatch)
    out = tmp_path / "results-scale.json"
    argv = ["--n", "4", "--small", "0", "--latency", "0", "--dns-sample", "3", "--out", str(out)]
    assert scale.main(argv) == 0
    figures = json.loads(out.read_text())["figures"]
    assert figures["resolver"]["names"] == 3 and figures["full_4"]["exit_code"] == 0
    assert "this machine's resolver" in capsys.readouterr().out
