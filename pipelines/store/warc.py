"""The raw archive (``pages`` and ``blobs``) as a WARC file, for web-archive tools (warcio).

One ``response`` record per archived page version, with the URL, the time it was fetched, its
HTTP status and headers and its bytes as blotter keeps them (decompressed: a stored
``Content-Encoding`` is left out and ``Content-Length`` is the body's). A name ending in ``.gz``
is written gzip-compressed per record, as web archives usually are.
"""

from __future__ import annotations

import io
import json
from http import HTTPStatus
from pathlib import Path

from pipelines.store import Store, StoreError

_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


class WarcError(ValueError):
    """A WARC export that cannot be made as asked; the message says why."""


def _warc_date(fetched_at: str) -> str:
    return fetched_at.replace("+00:00", "Z") if fetched_at.endswith("+00:00") else fetched_at


def write_warc(db: Path | str, out: Path | str) -> int:
    """Write every archived page of ``db`` to the WARC file ``out``; return the records written.

    The file is written beside ``out`` and renamed at the end: a failed export leaves no half
    file. Raises :class:`WarcError` for a database that does not exist.
    """
    # imported here: `scrapy export` is imported by every scrapy command, WARCs are rare
    from warcio.statusandheaders import StatusAndHeaders  # noqa: PLC0415
    from warcio.warcwriter import WARCWriter  # noqa: PLC0415

    try:
        store = Store(db, readonly=True)
    except StoreError as exc:
        raise WarcError(str(exc)) from None
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    written = 0
    try:
        with partial.open("wb") as target:
            writer = WARCWriter(target, gzip=out.suffix == ".gz")
            for page in store.archived_pages():
                body = store.blob(page["sha256"]) or b""
                status = int(page["status"] or 200)
                try:
                    phrase = HTTPStatus(status).phrase
                except ValueError:
                    phrase = ""
                headers = [
                    (name, value)
                    for name, value in json.loads(page["headers"] or "{}").items()
                    if name not in _DROPPED
                ]
                headers.append(("content-length", str(len(body))))
                record = writer.create_warc_record(
                    page["url"],
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=StatusAndHeaders(
                        f"{status} {phrase}".strip(), headers, protocol="HTTP/1.1"
                    ),
                    warc_headers_dict={"WARC-Date": _warc_date(page["fetched_at"])},
                )
                writer.write_record(record)
                written += 1
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        store.close()
    partial.replace(out)
    return written
