"""Stable identifiers of stored rows, the same in every database built from the same pages."""

from __future__ import annotations

import hashlib

UID_LENGTH = 16


def release_uid(url: str) -> str:
    """A release's stable id: the first 16 hex digits of the sha256 of its canonical URL.

    Integer ids depend on the order a database was filled in; the canonical URL does not, so
    two databases crawled independently (or rebuilt, or merged) give a release the same uid.
    """
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:UID_LENGTH]
