"""``python -m crawler.serve``: browse a blotter database in Datasette on 127.0.0.1.

    python -m crawler.serve --db data/demo.db --port 8001

Datasette gets ``datasette/metadata.yml`` (titles, column docs, canned queries: recent arrests
by agency, bonds over an amount, charges by category and month, search), with its database
section filed under the served file's name. The file is upgraded to the current schema first
(as any blotter command does); a crawl may write to it while it is served.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import uvicorn
import yaml
from datasette.app import Datasette

from pipelines.store import Store

ROOT = Path(__file__).resolve().parent.parent
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
    """Migrate ``db`` and serve it with Datasette (in this process) until stopped; return 0.

    Raises ``FileNotFoundError`` when ``db`` does not exist (no empty database is created).
    """
    if not Path(db).is_file():
        raise FileNotFoundError(db)
    Store(db).close()
    datasette = datasette_for(db)
    asyncio.run(datasette.invoke_startup())
    print(f"blotter: serving {db} on http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].strip("`: "))
    parser.add_argument("--db", default="data/releases.db", help="database (default: %(default)s)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8001, help="port (default: %(default)s)")
    args = parser.parse_args()
    try:
        code = serve(args.db, args.host, args.port)
    except FileNotFoundError:
        print(
            f"serve: no database at {args.db}: run `make ingest`, or `make demo` and then "
            "`make serve DB=data/demo.db`",
            file=sys.stderr,
        )
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    main()
