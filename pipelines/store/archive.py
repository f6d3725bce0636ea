"""The raw archive: every fetched page (``pages``) and its bytes, stored once (``blobs``)."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable

from pipelines.store.connection import StoreBase, now_utc


def unpack_blob(data: bytes | None) -> bytes | None:
    """The archived bytes of a ``blobs.data`` value as stored (zlib), or None for None."""
    return zlib.decompress(data) if data is not None else None


class Archive(StoreBase):
    """Keeping fetched pages, and reading them back."""

    def archive_page(
        self,
        *,
        url: str,
        agency_id: str | None,
        kind: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        fetched_at: str | None = None,
    ) -> str:
        """Keep one fetched page as fetched; return its sha256. Identical bytes are stored once."""
        digest = hashlib.sha256(body).hexdigest()
        fetched_at = fetched_at or now_utc()
        lowered = {k.lower(): v for k, v in headers.items()}
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)",
                [digest, len(body), zlib.compress(body, 6)],
            )
            self.db.execute(
                "INSERT INTO pages (url, agency_id, kind, status, content_type, headers, sha256, "
                "etag, last_modified, first_fetched_at, fetched_at, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url, sha256) DO UPDATE SET status = excluded.status, "
                "headers = excluded.headers, etag = excluded.etag, "
                "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
                "checked_at = excluded.checked_at",
                [
                    url,
                    agency_id,
                    kind,
                    status,
                    lowered.get("content-type"),
                    json.dumps(lowered, sort_keys=True),
                    digest,
                    lowered.get("etag"),
                    lowered.get("last-modified"),
                    fetched_at,
                    fetched_at,
                    fetched_at,
                ],
            )
        return digest

    def latest_page(self, url: str) -> dict | None:
        """The most recent archived fetch of ``url`` (without its body), or None."""
        rows = self.query(
            "SELECT url, agency_id, kind, status, content_type, headers, sha256, etag, "
            "last_modified, fetched_at, checked_at FROM pages WHERE url = ? "
            "ORDER BY fetched_at DESC, id DESC LIMIT 1",
            [url],
        )
        return rows[0] if rows else None

    def page_checked(self, url: str, sha256: str, checked_at: str | None = None) -> None:
        """Record that ``url`` was confirmed unchanged (a 304, or served from the archive)."""
        self.db.execute(
            "UPDATE pages SET checked_at = ? WHERE url = ? AND sha256 = ?",
            [checked_at or now_utc(), url, sha256],
        )

    def archived_pages(self) -> Iterable[dict]:
        """Every archived page version (without its body), in the order it was first kept."""
        cursor = self.db.execute(
            "SELECT id, url, agency_id, kind, status, headers, sha256, fetched_at FROM pages "
            "ORDER BY id"
        )
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def age_archive(self, seconds: float) -> int:
        """Move every archived page's fetch and check times ``seconds`` into the past.

        What a later night sees, without waiting for it: benchmarks and tests simulate the
        next night's crawl (robots.txt TTL, conditional requests) this way. Returns the rows
        moved.
        """
        shift = f"-{float(seconds):.3f} seconds"
        moved = "strftime('%Y-%m-%dT%H:%M:%S+00:00', {0}, ?)"
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE pages SET "
                + ", ".join(
                    f"{column} = {moved.format(column)}"
                    for column in ("first_fetched_at", "fetched_at", "checked_at")
                ),
                [shift, shift, shift],
            )
        return cursor.rowcount

    def blob(self, sha256: str) -> bytes | None:
        """The archived bytes with this sha256, or None."""
        row = self.db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
        return unpack_blob(row[0]) if row else None
