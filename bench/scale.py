"""``python -m bench.scale [--n 18000]`` (``make bench-scale``): one machine, thousands of agencies.

A generated site of N agencies (``sitegen.bench_site``, one host each, ``--per-agency`` releases
each, the four platforms in turn) is served on 127.0.0.1 by ``sitegen.server.DemoServer`` as a
proxy, every answer held ``--latency`` seconds (0.5) like a remote site. The crawls are
``scrapy ingest`` with blotter's **polite settings as shipped** (robots.txt, 2 requests at once
and 1 s between them per site, AutoThrottle on, ``CONCURRENT_REQUESTS`` as in
``crawler/settings.py``): only the proxy is added, and the address guard's lookups are left out
(``BLOTTER_ALLOW_PRIVATE=true``, as in ``make demo`` and ``make bench``). The generated hosts are
reserved ``.test`` names that no resolver knows, fetched through the proxy, so the guard's
lookup of each would measure only this machine's resolver answering "no such name": the
resolvers seen here answer about 6 a second whatever the number of threads, dropping the rest
for a 5 s retry, which bound a first full crawl at about 20 pages/s. That rate is measured on
its own (``--dns-sample`` names looked up in the guard's threads) and reported beside the
crawl. Measured:

1. the first full crawl at ``--small`` agencies (1,000) and at N: pages/s (requests answered /
   the crawl's own elapsed time), wall time, peak RSS;
2. two simulated later nights at N with nothing new: before each, the archive's clock is moved
   back (``Store.age_archive``) so that the previous crawl was launched exactly 24 hours before
   this one, as a nightly cron job runs them; requests per source and wall time.

Peak RSS is sampled once a second over the crawl's whole process tree (the crawl and its
extraction worker, summed); the largest single process (``ru_maxrss``) is kept too. Writes
``bench/results-scale.json`` and prints a Markdown table. Never part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench.child import run_child
from bench.run import machine, markdown_table, verdict_text, verdicts
from pipelines.store import Store
from sitegen.bench_site import generate, write_site, write_sources
from sitegen.server import DemoServer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results-scale.json"
NIGHT = 86400.0
DNS_THREADS = 32  # BLOTTER_DNS_THREADS, the address guard's lookup threads
TARGETS = {
    "pages_per_s_ratio": (">=", 0.8),  # pages/s at N / pages/s at --small
    "peak_rss_mb": ("<", 400.0),
    "night_requests_per_source": ("<=", 1.05),
    "night_wall_s": ("<", 1800.0),
}


def crawl(sources: Path, db: Path, server: DemoServer, log: Path) -> dict:
    """One polite ``scrapy ingest`` of ``sources`` into ``db`` through ``server``; its figures."""
    command = [sys.executable, "-m", "scrapy", "ingest", "--sources", str(sources)]
    command += ["--db", str(db), "--proxy", server.proxy_url, "-s", "LOG_LEVEL=WARNING"]
    command += ["-s", "BLOTTER_ALLOW_PRIVATE=true"]  # no lookups of the .test names: see above
    before = len(server.requests)
    launched = datetime.now(UTC)
    child = run_child(command, log, tree_rss=True)
    served = len(server.requests) - before
    store = Store(db, readonly=True)
    try:
        row = store.latest_run()
    finally:
        store.close()
    if row is None:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"scrapy ingest recorded no run:\n{tail}")
    elapsed = row["elapsed_seconds"] or 0.0
    return {
        "exit_code": child.returncode,
        "run_id": row["id"],
        "status": row["status"],
        "launched_at": launched.isoformat(),
        "started_at": row["started_at"],
        "sources": row["sources"],
        "requests": row["requests"],
        "requests_per_source": round(row["requests"] / row["sources"], 3),
        "pages_served": served,
        "new": row["new"],
        "unchanged": row["unchanged"],
        "errors": row["errors"],
        "elapsed_s": round(elapsed, 1),
        "pages_per_s": round(served / elapsed, 1) if elapsed else 0.0,
        "wall_s": round(child.wall_seconds, 1),
        "peak_rss_mb": round(child.tree_peak_rss_mb, 1),
        "largest_process_rss_mb": round(child.peak_rss_mb, 1),
    }


def age_to_next_night(db: Path, previous: dict) -> float:
    """Move the archive's clock so ``previous`` (a crawl) was launched 24 hours before now.

    As cron does: one launch a day at the same time, the next crawl launched right after this.
    """
    launched = datetime.fromisoformat(previous["launched_at"])
    store = Store(db)
    try:  # the clock read last, right before the next launch: opening the store takes time
        shift = NIGHT - (datetime.now(UTC) - launched).total_seconds()
        store.age_archive(shift)
    finally:
        store.close()
    return shift


def build(agencies: int, per_agency: int, work: Path, say) -> tuple[Path, Path, Path]:
    """Generate and write ``agencies`` sites; (sites dir, source list, database path)."""
    say(f"generating {agencies} agencies x {per_agency} release(s) ...")
    t0 = time.perf_counter()
    sites, sources = work / f"sites-{agencies}", work / f"sources-{agencies}.toml"
    generated = generate(agencies * per_agency, per_agency=per_agency)
    files = write_site(generated, sites)
    write_sources(generated, sources)
    say(f"  {len(generated)} sites, {files} files in {time.perf_counter() - t0:.0f} s")
    db = work / f"scale-{agencies}.db"
    return sites, sources, db


def _lookup_seconds(host: str) -> float:
    started = time.perf_counter()
    try:
        socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)  # as crawler/guard.py does
    except (OSError, UnicodeError):
        pass
    return time.perf_counter() - started


def resolver_rate(names: int, threads: int) -> dict:
    """How fast this machine's resolver answers ``names`` unknown ``.test`` names looked up in
    ``threads`` threads, as the address guard would look up the generated hosts."""
    token = os.urandom(4).hex()  # names no resolver has cached an answer for
    hosts = [f"police.lookup-{token}-{i}.test" for i in range(names)]
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        seconds = list(pool.map(_lookup_seconds, hosts))
    wall = time.perf_counter() - started
    return {
        "names": names,
        "threads": threads,
        "wall_s": round(wall, 1),
        "names_per_s": round(names / wall, 1) if wall else 0.0,
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "slowest_s": round(max(seconds), 1),
        "over_1s": sum(1 for x in seconds if x >= 1.0),
    }


def measure(
    n: int,
    small: int,
    per_agency: int,
    latency: float,
    work: Path,
    say: Callable[[str], object] = print,
    dns_sample: int = 200,
) -> dict:
    """Every figure of the scale benchmark, as a dict."""
    log = work / "crawl.log"
    figures: dict = {"latency_s": latency, "per_agency": per_agency}
    if dns_sample:
        say(f"resolver: {dns_sample} unknown names in {DNS_THREADS} threads ...")
        figures["resolver"] = resolver_rate(dns_sample, DNS_THREADS)
        say(f"  {figures['resolver']['names_per_s']} names/s")
    sizes = [small, n] if small and small < n else [n]
    for agencies in sizes:
        sites, sources, db = build(agencies, per_agency, work, say)
        with DemoServer(sites, latency=latency) as server:
            say(f"full crawl of {agencies} agencies (polite, {latency} s latency) ...")
            full = crawl(sources, db, server, log)
            say(f"  {full['pages_per_s']} pages/s, {full['elapsed_s']} s, {full['peak_rss_mb']} MB")
            figures[f"full_{agencies}"] = full
            if agencies != n:
                continue
            previous = full
            for night in (1, 2):
                shift = age_to_next_night(db, previous)
                say(f"night {night}: archive aged {shift:.0f} s; incremental crawl ...")
                later = crawl(sources, db, server, log)
                later["archive_aged_s"] = round(shift, 1)
                say(f"  {later['requests_per_source']} requests/source, {later['wall_s']} s wall")
                figures[f"night_{night}"] = later
                previous = later
        shutil.rmtree(sites, ignore_errors=True)
    at_small = figures.get(f"full_{small}")
    at_n = figures[f"full_{n}"]
    figures["pages_per_s_ratio"] = (
        round(at_n["pages_per_s"] / at_small["pages_per_s"], 3)
        if at_small and at_small["pages_per_s"]
        else None
    )
    figures["peak_rss_mb"] = at_n["peak_rss_mb"]
    nights = [figures["night_1"], figures["night_2"]]
    figures["night_requests_per_source"] = figures["night_1"]["requests_per_source"]
    figures["nights_mean_requests_per_source"] = round(
        sum(x["requests"] for x in nights) / sum(x["sources"] for x in nights), 3
    )
    figures["night_wall_s"] = max(x["wall_s"] for x in nights)
    return {
        "n": n,
        "small": small,
        "machine": {**machine(), "loadavg": os.getloadavg()},
        "figures": figures,
        "targets": verdicts(figures, TARGETS),
    }


def table(results: dict) -> str:
    """The figures as a Markdown table (the README quotes it)."""
    f, t, n, small = results["figures"], results["targets"], results["n"], results["small"]

    def mark(key: str) -> str:
        return verdict_text(t[key])

    def full_row(agencies: int) -> tuple[str, str, str]:
        x = f[f"full_{agencies}"]
        return (
            f"first full crawl, {agencies:,} agencies",
            f"{x['pages_per_s']:.1f} pages/s ({x['pages_served']:,} requests in "
            f"{x['elapsed_s']:.0f} s; {x['errors']} errors; peak RSS {x['peak_rss_mb']:.0f} MB)",
            "",
        )

    rows = [full_row(small)] if f.get(f"full_{small}") else []
    rows.append(full_row(n))
    rows.append((f"pages/s at {n:,} / at {small:,}", str(f["pages_per_s_ratio"]),
                 mark("pages_per_s_ratio")))  # fmt: skip
    rows.append((f"peak RSS at {n:,} (crawl + worker)", f"{f['peak_rss_mb']:.0f} MB",
                 mark("peak_rss_mb")))  # fmt: skip
    for night in (1, 2):
        x = f[f"night_{night}"]
        rows.append((
            f"night {night} later, nothing new",
            f"{x['requests_per_source']:.3f} requests/source ({x['requests']:,}), "
            f"wall {x['wall_s']:.0f} s ({x['elapsed_s']:.0f} s crawling)",
            mark("night_requests_per_source") if night == 1 else "",
        ))  # fmt: skip
    rows.append(("slowest night, wall time", f"{f['night_wall_s']:.0f} s", mark("night_wall_s")))
    if r := f.get("resolver"):
        rows.append((
            "this machine's resolver, unknown names (not in the crawls)",
            f"{r['names_per_s']:.1f} names/s ({r['names']} in {r['wall_s']:.0f} s, "
            f"{r['threads']} threads; {r['over_1s']} took over 1 s)",
            "",
        ))  # fmt: skip
    m = results["machine"]
    return markdown_table(
        f"N = {n:,} agencies x {f['per_agency']} release, {f['latency_s']} s latency, polite "
        f"settings; {m['nproc']} CPUs ({m['cpu']}), load {m['loadavg'][0]:.1f} at the end, "
        f"Python {m['python']}, Scrapy {m['scrapy']}, {m['date'][:16]}",
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0, or 1 if a crawl failed (a missed target is reported, not failed)."""
    summary = __doc__.split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=summary)
    parser.add_argument("--n", type=int, default=18000, help="agencies (default %(default)s)")
    parser.add_argument("--small", type=int, default=1000, help="the smaller first crawl")
    parser.add_argument("--per-agency", type=int, default=1, help="releases per agency")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per answer")
    parser.add_argument("--out", type=Path, default=RESULTS, help="default %(default)s")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and dbs")
    dns_help = "unknown names to time this machine's resolver on (0: none)"
    parser.add_argument("--dns-sample", type=int, default=200, help=dns_help)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="blotter-scale-"))
    try:
        results = measure(
            args.n, args.small, args.per_agency, args.latency, work,
            say=lambda s: print(s, flush=True), dns_sample=args.dns_sample,
        )  # fmt: skip
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results))
    print(f"\nwritten to {args.out}")
    crawls = [v for v in results["figures"].values() if isinstance(v, dict) and "exit_code" in v]
    return 1 if any(c["exit_code"] != 0 for c in crawls) else 0


if __name__ == "__main__":
    raise SystemExit(main())
