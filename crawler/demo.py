"""``python -m crawler.demo``: serve the bundled demo sites on 127.0.0.1 and crawl them.

The crawl is the real one (``scrapy ingest`` over HTTP, through the demo server as a proxy),
with the politeness delays off because the sites are local. Exits with the crawl's exit code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from crawler.demoserver import DemoServer

ROOT = Path(__file__).resolve().parent.parent
LOCAL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
)


def crawl_demo(
    db: Path | str,
    sources: Path | str = ROOT / "seeds" / "demo.toml",
    sites: Path | str = ROOT / "seeds" / "demo" / "sites",
    extra: list[str] | None = None,
    log_level: str = "WARNING",
) -> subprocess.CompletedProcess:
    """Serve ``sites``, run ``scrapy ingest`` over ``sources`` into ``db``, stop the server."""
    with DemoServer(sites) as server:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "ingest",
            "--sources",
            str(sources),
            "--db",
            str(db),
            "--proxy",
            server.proxy_url,
            "-s",
            f"LOG_LEVEL={log_level}",
        ]
        for setting in LOCAL_SETTINGS:
            command += ["-s", setting]
        command += extra or []
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(command, cwd=ROOT, env=env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="data/demo.db", help="database file (default: %(default)s)")
    parser.add_argument("--log-level", default="WARNING")
    args, extra = parser.parse_known_args()
    result = crawl_demo(args.db, extra=extra, log_level=args.log_level)
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
