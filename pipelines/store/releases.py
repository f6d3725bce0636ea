"""Releases and their earlier versions: ``releases`` and ``release_versions``; reparse reads.

A release is keyed by its canonical URL. Saving it again either confirms it (same text: only
its last-seen time moves), or keeps the stored text as a ``release_versions`` row and writes
the new one (the agency edited it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from pipelines.extract.record import Record
from pipelines.store.connection import now_utc
from pipelines.store.extraction import Extraction, extraction_hash
from pipelines.store.identity import release_uid

_WS = re.compile(r"\s+")
_STORED = (
    "id",
    "title",
    "published_at",
    "body_html",
    "body_text",
    "content_sha256",
    "updated_at",
    "first_seen_at",
    "extractor_version",
)
"""The columns of a stored release that saving it again compares and versions."""


def method_json(methods: dict | str | None) -> str | None:
    """``releases.extraction_method`` as stored: the strategies' dict as JSON (keys sorted)."""
    if not methods:
        return None
    if isinstance(methods, str):
        return methods
    return json.dumps(methods, sort_keys=True)


def content_hash(title: str | None, body_text: str | None) -> str:
    """A hash of what a reader sees: title and body text, whitespace-insensitive."""
    normalized = _WS.sub(" ", f"{title or ''}\n{body_text or ''}").strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def release_fields(release: dict) -> dict:
    """The ``releases`` columns a fetch of ``release`` writes, new or not: its text, its
    content hash, its extraction method as JSON, seen now (or at its ``fetched_at``), and not
    removed."""
    return {
        "agency_id": release["agency_id"],
        "url": release["url"],
        "title": release.get("title"),
        "published_at": release.get("published_at"),
        "published_raw": release.get("published_raw"),
        "page_sha256": release.get("page_sha256"),
        "body_html": release.get("body_html"),
        "body_text": release.get("body_text"),
        "content_sha256": content_hash(release.get("title"), release.get("body_text")),
        "extraction_method": method_json(release.get("extraction_method")),
        "last_seen_at": release.get("fetched_at") or now_utc(),
        "removed_at": None,
    }


def version_row(stored: dict, seen: str) -> dict:
    """The ``release_versions`` row that keeps a stored release's text, seen until ``seen``."""
    return {
        "release_id": stored["id"],
        "title": stored["title"],
        "published_at": stored["published_at"],
        "body_html": stored["body_html"],
        "body_text": stored["body_text"],
        "content_sha256": stored["content_sha256"],
        "seen_from": stored["updated_at"] or stored["first_seen_at"],
        "seen_until": seen,
    }


def _extraction_is_current(stored: dict, extraction: Record | None) -> bool:
    """Whether an unchanged release keeps its extraction: none given, or one of the same
    extractor version as the stored one."""
    new_version = extraction and extraction.get("extractor_version")
    return extraction is None or new_version == stored["extractor_version"]


class Releases(Extraction):
    """Saving fetched releases, marking removed ones, and the reads and writes of reparse."""

    def known_urls(self, agency_id: str) -> set[str]:
        """Canonical URLs already stored for one agency."""
        rows = self.db.execute("SELECT url FROM releases WHERE agency_id = ?", [agency_id])
        return {url for (url,) in rows.fetchall()}

    def save_release(self, release: dict, extraction: Record | None = None) -> str:
        """Store one fetched release; return ``"new"``, ``"updated"`` or ``"unchanged"``.

        ``release`` carries agency_id, url, title, published_at, published_raw, body_html,
        body_text, fetched_at, and optionally extraction_method (a dict: which strategy read
        each part, stored as JSON). A release whose text changed keeps its previous version in
        ``release_versions``. The release, its version and its extracted rows are written in
        one transaction: a reader never sees half of it.
        """
        fields = release_fields(release)
        with self.db.atomic():
            stored = self._stored_release(release["url"])
            if stored is None:
                release_id, outcome = self._insert_release(fields), "new"
            elif stored["content_sha256"] == fields["content_sha256"]:
                release_id, outcome = self._confirm_release(stored["id"], fields), "unchanged"
                if _extraction_is_current(stored, extraction):
                    return outcome
            else:
                release_id, outcome = self._update_release(stored, fields), "updated"
            if extraction is not None:
                self._replace_extraction(release_id, extraction)
        return outcome

    def _stored_release(self, url: str) -> dict | None:
        """The stored release at ``url`` (the columns of ``_STORED``), or None."""
        row = self.db.execute(
            f"SELECT {', '.join(_STORED)} FROM releases WHERE url = ?", [url]
        ).fetchone()
        return dict(zip(_STORED, row, strict=True)) if row else None

    def _insert_release(self, fields: dict) -> int:
        """A release never stored before: first seen now, with its uid; returns its id."""
        row = fields | {
            "first_seen_at": fields["last_seen_at"],
            "updated_at": None,
            "uid": release_uid(fields["url"]),
        }
        return self._insert("releases", row)

    def _confirm_release(self, release_id: int, fields: dict) -> int:
        """The same text seen again: only its last-seen time, removal and method change."""
        self.db.execute(
            "UPDATE releases SET last_seen_at = ?, removed_at = NULL, "
            "extraction_method = ? WHERE id = ?",
            [fields["last_seen_at"], fields["extraction_method"], release_id],
        )
        return release_id

    def _update_release(self, stored: dict, fields: dict) -> int:
        """An edited release: the stored text becomes a version, the new one is written."""
        seen = fields["last_seen_at"]
        self._insert("release_versions", version_row(stored, seen))
        self._update("releases", stored["id"], fields | {"updated_at": seen})
        return stored["id"]

    def mark_removed(self, urls: Iterable[str], when: str | None = None) -> int:
        """Stamp ``removed_at`` on stored releases their site no longer serves; rows are kept."""
        when = when or now_utc()
        with self.db.atomic():
            changed = 0
            for url in urls:
                cursor = self.db.execute(
                    "UPDATE releases SET removed_at = ? WHERE url = ? AND removed_at IS NULL",
                    [when, url],
                )
                changed += cursor.rowcount
        return changed

    # -- reparse ------------------------------------------------------------------------------

    def archived_releases(
        self, after_id: int = 0, limit: int = 500, *, with_page: bool = False
    ) -> list[dict]:
        """Releases with an archived page, in id order after ``after_id``, with their source.

        ``with_page`` adds ``page``: the archived bytes as stored (:func:`unpack_blob` gives
        them back; None when the blob is missing), so a worker process can unpack them.
        """
        page = ", b.data AS page" if with_page else ""
        join = " LEFT JOIN blobs b ON b.sha256 = r.page_sha256" if with_page else ""
        return self.query(
            "SELECT r.id, r.url, r.agency_id, r.title, r.published_at, r.published_raw, "
            "r.body_html, r.body_text, r.extraction_sha256, r.page_sha256, "
            f"r.extraction_method, r.last_seen_at{page}, "
            "(SELECT max(p.fetched_at) FROM pages p WHERE p.sha256 = r.page_sha256) AS fetched_at "
            f"FROM releases r{join} WHERE r.page_sha256 IS NOT NULL AND r.id > ? "
            "ORDER BY r.id LIMIT ?",
            [after_id, limit],
        )

    def reparsed(self, release: dict, fields: dict, extraction: Record) -> bool:
        """Apply one reparse result; return whether anything stored changed.

        A new body from better parsing is not an edit by the agency: the release row is
        updated in place, without a ``release_versions`` row. Call inside :meth:`batch`.
        """
        changed = False
        if any(release.get(key) != value for key, value in fields.items()):
            digest = content_hash(fields.get("title"), fields.get("body_text"))
            self._update("releases", release["id"], {**fields, "content_sha256": digest})
            changed = True
        if extraction_hash(extraction) != release["extraction_sha256"]:
            self._replace_extraction(release["id"], extraction)
            changed = True
        return changed
