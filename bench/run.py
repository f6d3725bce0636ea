"""``python -m bench.run [--n N] [--skip-4n]``: blotter against bare Scrapy on the same pages.

One run, side by side, on a generated local site (``sitegen.bench_site``) served on 127.0.0.1 by
``sitegen.server.DemoServer`` as a proxy:

1. bare Scrapy (``bench.bare_spider``) fetches every listing and release page: the ceiling;
2. the full ``scrapy ingest`` crawls the same pages into a fresh database;
3. the database size per 1,000 releases (after a WAL checkpoint);
4. a second, incremental ``scrapy ingest`` on the unchanged site: requests per source;
5. ``pipelines.extract.extract`` alone over the stored release texts;
6. ``crawler.reparse.reparse`` over the archive (4N's when measured), in workers and alone,
   each as many times as the crawls, alternating;
7. the full ingest again on a site of 4N releases, for its peak RSS (skipped with --skip-4n).

Each crawl runs in its own subprocess with the same settings (delays and AutoThrottle off,
the same concurrency); its peak RSS is the child's own ``ru_maxrss`` from ``os.wait4``. Pages
per second = requests the server answered during the crawl / the crawl's own elapsed time
(spider opened → closed), so interpreter start-up is left out of both. Prints a table and
writes the same figures to ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.child import Child, run_child
from crawler.commands.demo import LOCAL_SETTINGS
from pipelines.store import Store
from sitegen.bench_site import generate, write_site, write_sources
from sitegen.server import DemoServer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"

TARGETS = {
    "ingest_vs_bare": (">=", 0.7),
    "extract_ms_per_release": ("<=", 5.0),
    "reparse_releases_per_s": (">=", 1000.0),
    "peak_rss_mb_4n": ("<", 300.0),
    "incremental_requests_per_source": ("<=", 1.2),
}


def ingest(sources: Path, db: Path, proxy: str, log: Path) -> tuple[Child, dict]:
    """One ``scrapy ingest`` run as ``make demo`` runs it; returns the child and its run's row."""
    command = [sys.executable, "-m", "scrapy", "ingest", "--sources", str(sources)]
    command += ["--db", str(db), "--proxy", proxy, "-s", "LOG_LEVEL=WARNING"]
    for setting in LOCAL_SETTINGS:
        command += ["-s", setting]
    child = run_child(command, log)
    row = None
    if db.is_file():
        store = Store(db, readonly=True)
        try:
            row = store.latest_run()
        finally:
            store.close()
    if row is None:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"scrapy ingest recorded no run (exit {child.returncode}):\n{tail}")
    return child, row


def bare(sources: Path, proxy: str, work: Path, log: Path) -> tuple[Child, dict]:
    """The bare Scrapy crawl of the same pages; returns the child and its figures."""
    out = work / "bare.json"
    command = [sys.executable, "-m", "bench.bare_spider", "--sources", str(sources)]
    command += ["--proxy", proxy, "--out", str(out)]
    child = run_child(command, log)
    return child, json.loads(out.read_text()) if out.exists() else {}


def build(n: int, work: Path) -> tuple[Path, Path, int]:
    """Generate ``n`` releases under ``work``; return (sites dir, source list, agency count)."""
    agencies = generate(n)
    sites, sources = work / "sites", work / "sources.toml"
    write_site(agencies, sites)
    write_sources(agencies, sources)
    return sites, sources, len(agencies)


EXTRACTION_TABLES = ("people", "charges", "bonds", "idx_people", "idx_charges", "idx_bonds")


def db_size(db: Path) -> tuple[int, dict[str, int]]:
    """Bytes of the database file after a WAL checkpoint (WAL included), and bytes per part."""
    store = Store(db)
    try:
        rows = store.table_sizes().items()
    finally:
        store.close()
    total = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    parts = {"archive": 0, "releases": 0, "search": 0, "extraction": 0, "other": 0}
    for name, size in rows:
        if name.startswith(("blobs", "pages", "sqlite_autoindex_blobs", "idx_pages")):
            parts["archive"] += size
        elif name.startswith("releases_fts"):
            parts["search"] += size
        elif name.startswith(("releases", "idx_releases", "release_versions", "idx_release_")):
            parts["releases"] += size
        elif name.startswith(EXTRACTION_TABLES):
            parts["extraction"] += size
        else:
            parts["other"] += size
    return total, parts


def extraction_speed(db: Path) -> dict:
    """``extract()`` alone over every stored release text: ms per release and releases/s."""
    from pipelines.extract import extract

    store = Store(db, readonly=True)
    try:
        rows = store.release_texts()
    finally:
        store.close()
    for text, published, _state, _agency in rows[:50]:  # warm-up: caches, lazy imports
        extract(text, published=published)
    times = []
    for text, published, _state, _agency in rows:
        t0 = time.perf_counter()
        extract(text, published=published)
        times.append(time.perf_counter() - t0)
    total = sum(times)
    times.sort()
    return {
        "releases": len(times),
        "mean_ms": round(1000 * total / len(times), 3),
        "median_ms": round(1000 * statistics.median(times), 3),
        "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 3),
        "releases_per_s": round(len(times) / total, 1),
    }


def reparse_speed(db: Path, workers: int | None = None) -> dict:
    """``crawler.reparse.reparse`` over the archive of a copy of ``db`` (default workers)."""
    from crawler.reparse import reparse

    copy = db.with_name(f"{db.stem}-reparse-{workers}.db")
    source, target = Store(db), Store(copy)
    try:
        source.db.conn.backup(target.db.conn)
    finally:
        source.close()
        target.close()
    report = reparse(str(copy), log=lambda *_: None, workers=workers)
    copy.unlink()
    return {
        "workers": report.workers,
        "releases": report.releases,
        "changed": report.changed,
        "errors": report.errors,
        "seconds": round(report.seconds, 3),
        "releases_per_s": round(report.rate, 1),
    }


def crawl_figures(child: Child, served: int, elapsed: float) -> dict:
    """What one crawl did: pages served, its own elapsed time, pages/s, wall time, peak RSS."""
    return {
        "exit_code": child.returncode,
        "pages": served,
        "elapsed_s": round(elapsed, 3),
        "pages_per_s": round(served / elapsed, 1) if elapsed else 0.0,
        "wall_s": round(child.wall_seconds, 3),
        "peak_rss_mb": round(child.peak_rss_mb, 1),
    }


def measure(n: int, work: Path, skip_4n: bool, rounds: int = 2, say=print) -> dict:
    """Every figure of the benchmark at ``n`` (and 4n unless ``skip_4n``), as a dict.

    Bare and full crawls alternate for ``rounds`` rounds (each full crawl into a fresh
    database) and the best round of each is compared, so a burst of load from other programs
    hurts neither side more than the other.
    """
    log = work / "crawl.log"
    say(f"generating {n} releases ...")
    sites, sources, agencies = build(n, work / f"n{n}")
    bare_runs, full_runs = [], []
    with DemoServer(sites) as server:
        for round_ in range(1, rounds + 1):
            say(f"round {round_}/{rounds}: bare Scrapy crawl (the ceiling) ...")
            before = len(server.requests)
            child, figures = bare(sources, server.proxy_url, work, log)
            served = len(server.requests) - before
            bare_runs.append(crawl_figures(child, served, figures["elapsed_seconds"]))
            bare_runs[-1]["releases"] = figures["releases"]

            say(f"round {round_}/{rounds}: full blotter ingest ...")
            before = len(server.requests)
            child, row = ingest(sources, work / f"n{n}-{round_}.db", server.proxy_url, log)
            full_runs.append(
                crawl_figures(child, len(server.requests) - before, row["elapsed_seconds"])
            )
            full_runs[-1].update(releases=row["new"], errors=row["errors"], status=row["status"])
        bare_run = dict(max(bare_runs, key=lambda run: run["pages_per_s"]))
        full = dict(max(full_runs, key=lambda run: run["pages_per_s"]))
        full["peak_rss_mb"] = max(run["peak_rss_mb"] for run in full_runs)
        db = work / f"n{n}-1.db"
        size, parts = db_size(db)

        say("incremental ingest on the unchanged site ...")
        before = len(server.requests)
        child, row = ingest(sources, db, server.proxy_url, log)
        incremental = crawl_figures(child, len(server.requests) - before, row["elapsed_seconds"])
        incremental.update(
            requests=row["requests"],
            sources=row["sources"],
            requests_per_source=round(row["requests"] / row["sources"], 3),
            new=row["new"],
            errors=row["errors"],
        )

    say("extraction alone ...")
    extraction = extraction_speed(db)
    at_4n = None
    if not skip_4n:
        say(f"full blotter ingest at 4N = {4 * n} releases ...")
        sites4, sources4, agencies4 = build(4 * n, work / f"n{4 * n}")
        db4 = work / f"n{4 * n}.db"
        with DemoServer(sites4) as server:
            child, row = ingest(sources4, db4, server.proxy_url, log)
            at_4n = crawl_figures(child, len(server.requests), row["elapsed_seconds"])
            at_4n.update(releases=row["new"], errors=row["errors"], agencies=agencies4)
        shutil.rmtree(sites4, ignore_errors=True)

    # over the largest archive at hand (4N: 20,000 releases by default), with the default
    # workers and in one process, alternating for as many rounds as the crawls, the best of
    # each kept (as for the crawls: a burst of other load hurts neither kind more)
    archive = db4 if at_4n else db
    parallel_runs, sequential_runs = [], []
    for round_ in range(1, rounds + 1):
        say(f"round {round_}/{rounds}: reparse from the archive of {archive.name}, in workers "
            "and in one process ...")  # fmt: skip
        parallel_runs.append(reparse_speed(archive))
        sequential_runs.append(reparse_speed(archive, workers=0))
    reparsed = dict(max(parallel_runs, key=lambda run: run["releases_per_s"]))
    reparsed["sequential"] = max(sequential_runs, key=lambda run: run["releases_per_s"])
    reparsed["speedup"] = round(
        reparsed["releases_per_s"] / reparsed["sequential"]["releases_per_s"], 2
    )
    reparsed["rounds"] = [
        {"workers": p["releases_per_s"], "one_process": q["releases_per_s"]}
        for p, q in zip(parallel_runs, sequential_runs, strict=True)
    ]

    releases = full["releases"] or 1
    figures = {
        "rounds": rounds,
        "bare": bare_run,
        "ingest": full,
        "bare_rounds": bare_runs,
        "ingest_rounds": full_runs,
        "ingest_vs_bare": round(full["pages_per_s"] / bare_run["pages_per_s"], 3)
        if bare_run["pages_per_s"]
        else 0.0,
        "extraction": extraction,
        "extract_ms_per_release": extraction["mean_ms"],
        "reparse": reparsed,
        "reparse_releases_per_s": reparsed["releases_per_s"],
        "ingest_4n": at_4n,
        "peak_rss_mb_n": full["peak_rss_mb"],
        "peak_rss_mb_4n": at_4n["peak_rss_mb"] if at_4n else None,
        "incremental": incremental,
        "incremental_requests_per_source": incremental["requests_per_source"],
        "db_bytes": size,
        "db_mb_per_1000_releases": round(size / releases * 1000 / 2**20, 2),
        "db_parts_mb_per_1000_releases": {
            k: round(v / releases * 1000 / 2**20, 2) for k, v in parts.items()
        },
    }
    return {
        "n": n,
        "agencies": agencies,
        "machine": machine(),
        "figures": figures,
        "targets": verdicts(figures),
    }


def verdicts(figures: dict, targets: dict[str, tuple[str, float]] = TARGETS) -> dict:
    """Each of ``targets`` with its measured value and whether it is met (None when not
    measured)."""
    out = {}
    for key, (op, bound) in targets.items():
        value = figures.get(key)
        met = None
        if value is not None:
            met = {">=": value >= bound, "<=": value <= bound, "<": value < bound}[op]
        out[key] = {"value": value, "target": f"{op} {bound:g}", "met": met}
    return out


def machine() -> dict:
    """The machine the figures come from."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import scrapy

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "sqlite": Store.sqlite_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def table(results: dict) -> str:
    """The figures as a Markdown table (the README quotes it as is)."""
    f, t = results["figures"], results["targets"]
    n, bare_run, full, inc = results["n"], f["bare"], f["ingest"], f["incremental"]
    ext, rep, big = f["extraction"], f["reparse"], f["ingest_4n"]

    def mark(key: str) -> str:
        return verdict_text(t[key])

    parts = f["db_parts_mb_per_1000_releases"]
    rows = [
        (f"bare Scrapy, same pages (ceiling), best of {f['rounds']}",
         f"{bare_run['pages_per_s']:.0f} pages/s ({bare_run['pages']} pages, "
         f"{bare_run['elapsed_s']:.1f} s)", ""),
        (f"full blotter ingest, best of {f['rounds']}",
         f"{full['pages_per_s']:.0f} pages/s ({full['pages']} pages, {full['elapsed_s']:.1f} s)",
         ""),
        ("ingest / bare", f"{f['ingest_vs_bare']:.2f}", mark("ingest_vs_bare")),
        ("extraction alone",
         f"{ext['mean_ms']:.2f} ms/release mean, {ext['median_ms']:.2f} median, "
         f"{ext['p95_ms']:.2f} p95 ({ext['releases_per_s']:.0f} releases/s)",
         mark("extract_ms_per_release")),
        (f"reparse from the archive, {rep['workers']} workers, best of {len(rep['rounds'])}",
         f"{rep['releases_per_s']:.0f} releases/s ({rep['releases']} in {rep['seconds']:.1f} s; "
         f"in one process {rep['sequential']['releases_per_s']:.0f}/s, x{rep['speedup']:.2f})",
         mark("reparse_releases_per_s")),
        (f"peak RSS of the ingest, N = {n}", f"{full['peak_rss_mb']:.0f} MB", ""),
        (f"peak RSS of the ingest, 4N = {4 * n}",
         f"{big['peak_rss_mb']:.0f} MB ({big['pages_per_s']:.0f} pages/s)" if big else "skipped",
         mark("peak_rss_mb_4n")),
        ("incremental run",
         f"{inc['requests_per_source']:.2f} requests/source ({inc['requests']} for "
         f"{inc['sources']} sources, {inc['elapsed_s']:.1f} s)",
         mark("incremental_requests_per_source")),
        ("database size",
         f"{f['db_mb_per_1000_releases']:.2f} MB per 1,000 releases (archive "
         f"{parts['archive']:.2f}, releases {parts['releases']:.2f}, search {parts['search']:.2f},"
         f" extraction {parts['extraction']:.2f})", ""),
    ]  # fmt: skip
    m = results["machine"]
    return markdown_table(
        f"N = {n} releases, {results['agencies']} agencies; {m['nproc']} CPUs ({m['cpu']}), "
        f"Python {m['python']}, Scrapy {m['scrapy']}, SQLite {m['sqlite']}, {m['date'][:10]}",
        rows,
    )


def verdict_text(verdict: dict) -> str:
    """A target cell: "<= 5 met", ">= 0.7 MISSED", or the target and "-" when not measured."""
    met = verdict["met"]
    return f"{verdict['target']} {'met' if met else 'MISSED' if met is False else '-'}"


def markdown_table(heading: str, rows: list[tuple[str, str, str]]) -> str:
    """``heading``, then the (figure, measured, target) rows as a Markdown table."""
    lines = [heading, "", "| figure | measured | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0, or 1 if a crawl failed (a missed target is reported, not failed)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="releases (default %(default)s)")
    parser.add_argument("--skip-4n", action="store_true", help="skip the ingest at 4N")
    parser.add_argument("--out", type=Path, default=RESULTS, help="default %(default)s")
    parser.add_argument("--rounds", type=int, default=2, help="bare/full rounds (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites and dbs")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="blotter-bench-"))
    try:
        results = measure(
            args.n, work, args.skip_4n, args.rounds, say=lambda s: print(s, flush=True)
        )
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
    f = results["figures"]
    crawls = [f["bare"], f["ingest"], f["incremental"], f["ingest_4n"]]
    return 1 if any(c and c["exit_code"] != 0 for c in crawls) else 0


if __name__ == "__main__":
    raise SystemExit(main())
