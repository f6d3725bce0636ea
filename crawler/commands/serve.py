"""``scrapy serve``: browse a blotter database in Datasette on 127.0.0.1.

    scrapy serve --db data/demo.db --port 8001

Datasette gets ``datasette/metadata.yml`` (titles, column docs, canned queries: recent arrests
by agency, bonds over an amount, charges by category and month, search; the dashboard), with
its database section filed under the served file's name, and blotter's pages
(``datasette/templates``: the front page, table pages, a release's page) and plugin
(``datasette/plugins``: bonds in dollars, links to releases). The file is opened read-only (a
crawl may write to it while it is served).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.cli import BlotterCommand, warn_if_empty
from pipelines.exitcodes import EXIT_STORAGE
from pipelines.store import Store, StoreError

if TYPE_CHECKING:
    from datasette.app import Datasette

# Datasette, uvicorn and yaml are imported where they are used: Scrapy imports every command
# module at startup, and a crawl should not carry a web server in its memory.

ROOT = Path(__file__).resolve().parents[2]
METADATA = ROOT / "datasette" / "metadata.yml"
TEMPLATES = ROOT / "datasette" / "templates"
PLUGINS = ROOT / "datasette" / "plugins"


def metadata_for(db: Path | str, template: Path | str = METADATA) -> dict:
    """The Datasette metadata for serving ``db``: its database section under the file's name.

    Datasette names a database after its file (``data/demo.db`` is ``demo``) and keys its
    metadata, canned queries included, by that name. ``datasette/metadata.yml`` files the
    section under ``demo`` and ``releases``; here it is filed under ``db``'s own name alone,
    and the dashboard's charts query that database.
    """
    import yaml  # noqa: PLC0415 - see the note on imports above

    metadata = yaml.safe_load(Path(template).read_text(encoding="utf-8"))
    databases = metadata.get("databases") or {}
    name = Path(db).stem
    if databases:
        section = databases.get(name) or next(iter(databases.values()))
        metadata["databases"] = {name: section}
    dashboards = (metadata.get("plugins") or {}).get("datasette-dashboards") or {}
    for dashboard in dashboards.values():
        for chart in (dashboard.get("charts") or {}).values():
            if "db" in chart:
                chart["db"] = name
    return metadata


def datasette_for(db: Path | str, template: Path | str = METADATA) -> Datasette:
    """A Datasette instance serving ``db`` with blotter's metadata, pages and dashboard."""
    from datasette.app import Datasette  # noqa: PLC0415 - see the note on imports above

    return Datasette(
        [str(db)],
        metadata=metadata_for(db, template),
        template_dir=str(TEMPLATES),
        plugins_dir=str(PLUGINS),
    )


def serve(db: Path | str, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve ``db`` with Datasette (in this process) until stopped; return 0.

    Raises :class:`StoreError` when ``db`` does not exist (no empty database is created) or
    needs an upgrade first.
    """
    import asyncio  # noqa: PLC0415 - see the note on imports above

    import uvicorn  # noqa: PLC0415

    Store(db, readonly=True).close()
    datasette = datasette_for(db)
    asyncio.run(datasette.invoke_startup())
    print(f"blotter: serving {db} on http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on")
    return 0


class Command(BlotterCommand):
    usage = "[--db DB] [--host 127.0.0.1] [--port 8001]"
    summary = "Browse a database in Datasette, with blotter's metadata and canned queries"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)
        parser.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
        parser.add_argument("--port", type=int, default=8001, help="port (default: %(default)s)")

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        try:
            Store(opts.db, readonly=True).close()  # a missing or old file: its error below
            warn_if_empty(opts.db, "serve")
            return serve(opts.db, opts.host, opts.port)
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return EXIT_STORAGE
