"""``scrapy serve``: browse a blotter database in Datasette on 127.0.0.1.

    scrapy serve --db data/demo.db --port 8001

Datasette gets ``datasette/metadata.yml`` (titles, column docs, canned queries: recent arrests
by agency, bonds over an amount, charges by category and month, search), with its database
section filed under the served file's name. The file is opened read-only (a crawl may write to
it while it is served).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import uvicorn
import yaml
from datasette.app import Datasette

from crawler.cli import BlotterCommand
from pipelines.exitcodes import EXIT_STORAGE
from pipelines.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
METADATA = ROOT / "datasette" / "metadata.yml"
TEMPLATE_DATABASE = "blotter"


def metadata_for(db: Path | str, template: Path | str = METADATA) -> dict:
    """The Datasette metadata for serving ``db``: the template's database section renamed.

    Datasette names a database after its file (``data/demo.db`` is ``demo``), and keys its
    metadata, canned queries included, by that name.
    """
    metadata = yaml.safe_load(Path(template).read_text(encoding="utf-8"))
    databases = metadata.get("databases") or {}
    if TEMPLATE_DATABASE in databases:
        databases[Path(db).stem] = databases.pop(TEMPLATE_DATABASE)
    return metadata


def datasette_for(db: Path | str, template: Path | str = METADATA) -> Datasette:
    """A Datasette instance serving ``db`` with blotter's metadata and canned queries."""
    return Datasette([str(db)], metadata=metadata_for(db, template))


def serve(db: Path | str, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve ``db`` with Datasette (in this process) until stopped; return 0.

    Raises :class:`StoreError` when ``db`` does not exist (no empty database is created) or
    needs an upgrade first.
    """
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
            return serve(opts.db, opts.host, opts.port)
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return EXIT_STORAGE
