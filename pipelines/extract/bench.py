"""Speed of `extract()`: `python -m pipelines.extract.bench [--rounds N]`.

Runs extract() over every .txt in tests/corpus/written/ plus the Hartford sample (when
../shared is present), after one warm-up pass, and prints releases/second, median and p95
milliseconds per release, and the share of the time spent inside dateparser.

`python -m pipelines.extract.bench --adversarial [--size N]` instead times hostile inputs
(repeated phrases of about N characters, 100 KB by default) that once made the extraction
regexes take time growing with the square of the input; each line prints the seconds taken by
extract() (or by the one stage named) on one input. A benchmark, not a test: no thresholds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from pipelines.extract import dates as dates_mod
from pipelines.extract import extract

ROOT = Path(__file__).resolve().parents[2]


def corpus() -> list[tuple[str, str]]:
    """(name, text) of the releases to time."""
    files = sorted((ROOT / "tests" / "corpus" / "written").glob("*.txt"))
    sample = ROOT.parent / "shared" / "corpus" / "hartford-2021-10-26-sample.txt"
    if sample.exists():
        files.append(sample)
    return [(f.name, f.read_text(encoding="utf-8", errors="replace")) for f in files]


def _timed_dateparser():
    """Wrap the dateparser call to measure its share; returns (restore, totals)."""
    totals = {"s": 0.0}
    original = dates_mod._parser

    def parser(base):
        real = original(base)

        class Timed:
            def get_date_data(self, phrase):
                t0 = time.perf_counter()
                try:
                    return real.get_date_data(phrase)
                finally:
                    totals["s"] += time.perf_counter() - t0

        return Timed()

    dates_mod._parser = parser

    def restore():
        dates_mod._parser = original

    return restore, totals


ADVERSARIAL: list[tuple[str, str]] = [
    # (stage, repeated phrase); stage "extract" runs the whole extract()
    ("clean", "!["),
    ("clean", "[a]("),
    ("clean", "Share\n"),  # a trailer mark per line and no prose: each mark once scanned its prefix
    ("extract", "!["),
    ("extract", "the man was held on bail "),
    ("extract", "John Smith, 31, of Hartford, "),
    ("extract", "a 31-year-old man was arrested and "),
    ("extract", "He met J. R. Smith and the police and "),
    ("sentences", "St. "),
    ("extract", "St. "),
    ("extract", "the man was seen Monday and "),
    ("extract", "charged with theft and "),
    ("find_locations", "Smith-"),
    ("extract", "Smith-"),
    ("extract", "<script>"),
]


def adversarial_inputs(size: int = 100_000) -> list[tuple[str, str, str]]:
    """(stage, phrase, text) for each hostile input: the phrase repeated to about `size` chars."""
    return [(stage, phrase, phrase * max(1, size // len(phrase))) for stage, phrase in ADVERSARIAL]


def run_adversarial(size: int) -> int:
    """Print the seconds each adversarial input takes in its stage; returns 0."""
    from pipelines.extract import location
    from pipelines.extract import sentences as cleantext

    stages = {
        "extract": lambda t: extract(t, published="2022-06-15"),
        "clean": cleantext.clean,
        "sentences": cleantext.sentences,
        "find_locations": location.find_locations,
    }
    extract("warm-up. John Smith, 31, was arrested.", published="2022-06-15")
    for stage, phrase, text in adversarial_inputs(size):
        t0 = time.perf_counter()
        stages[stage](text)
        took = time.perf_counter() - t0
        print(f"{took:8.3f} s  {stage:<15} {phrase!r} x {len(text) // len(phrase)}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark; returns 0."""
    ap = argparse.ArgumentParser(prog="python -m pipelines.extract.bench")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes over the corpus")
    ap.add_argument("--published", default="2022-06-15", help="publication date passed in")
    ap.add_argument(
        "--adversarial", action="store_true", help="time hostile inputs instead of the corpus"
    )
    ap.add_argument("--size", type=int, default=100_000, help="adversarial input size (chars)")
    args = ap.parse_args(argv)
    if args.adversarial:
        return run_adversarial(args.size)
    docs = corpus()
    if not docs:
        print("no releases found under tests/corpus/written/")
        return 0
    for _, text in docs:  # warm-up: imports, data files, regex compilation
        extract(text, published=args.published)
    restore, totals = _timed_dateparser()
    # clear the per-phrase cache so every timed pass pays for dateparser like a fresh release
    per_release: list[float] = []
    t_all = time.perf_counter()
    try:
        for _ in range(args.rounds):
            dates_mod.parse_with_dateparser.cache_clear()
            for _, text in docs:
                t0 = time.perf_counter()
                extract(text, published=args.published)
                per_release.append((time.perf_counter() - t0) * 1000)
    finally:
        restore()
    wall = time.perf_counter() - t_all
    per_release.sort()
    p95 = per_release[min(len(per_release) - 1, int(len(per_release) * 0.95))]
    print(f"releases: {len(docs)} x {args.rounds} rounds")
    print(f"releases/second: {len(per_release) / wall:.1f}")
    print(f"median ms/release: {statistics.median(per_release):.2f}")
    print(f"p95 ms/release: {p95:.2f}")
    print(
        f"dateparser: {totals['s'] * 1000 / len(per_release):.2f} ms/release "
        f"({100 * totals['s'] / wall:.1f}% of the time)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
